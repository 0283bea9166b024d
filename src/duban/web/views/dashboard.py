"""The dashboard's pages, open to every signed-in user (see ``base.dashboard_page``): each parses its input,
calls one selector and renders; ``?format=xlsx`` hands out the page's table as a workbook."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from duban.orgs.selectors import unit_find
from duban.plans.matrix import matrix_build, matrix_xlsx
from duban.taskdoc.model import ROLE_LABELS
from duban.web import charts, selectors
from duban.web.downloads import ranking_xlsx_response, xlsx_response
from duban.web.pagecache import cached_page
from duban.web.status import TASK_LABEL
from duban.web.views.base import as_of, dashboard_page, status_round


@dashboard_page
@cached_page
def overview(request: HttpRequest) -> HttpResponse:
    if selectors.plan_current_or_none() is None:
        # A new installation: nothing to show yet but the way to start a plan.
        return render(request, "duban/no_plan.html")
    plan = selectors.plan_current()
    status = request.GET.get("status", "")
    chosen = selectors.GridFilter(
        status_round(request, plan),
        lead=request.GET.get("lead", "").strip(),
        status=status if status in TASK_LABEL else "",
    )
    data = selectors.overview(user=request.user, plan=plan, as_of=as_of(request), chosen=chosen)
    context = {
        "data": data,
        "task_labels": TASK_LABEL,
        "periods": selectors.template_periods(),
        "period": request.GET.get("period", ""),
        "today": date.today(),
    }
    return render(request, "duban/overview.html", context)


@dashboard_page
@cached_page
def summary(request: HttpRequest) -> HttpResponse:
    """会议简报: the plan on one printable page, for the office and leaders."""
    plan = selectors.plan_current()
    data = selectors.meeting_summary(
        user=request.user, plan=plan, as_of=as_of(request), round_=status_round(request, plan)
    )
    return render(request, "duban/summary.html", {"data": data})


@dashboard_page
@cached_page
def indicator(request: HttpRequest, code: str) -> HttpResponse:
    plan = selectors.plan_current()
    page = selectors.indicator_page(plan=plan, code=code, as_of=as_of(request))
    if request.GET.get("format") == "xlsx":
        return ranking_xlsx_response(page)
    figures = {
        "trajectory": charts.trajectory_figure(page),
        "ranking": charts.ranking_figure(page),
    }
    return render(
        request,
        "duban/indicator.html",
        {
            "page": page,
            "figures": figures,
            "map_svg": charts.map_svg(page, link=lambda code: reverse("web:unit", args=[code])),
        },
    )


@dashboard_page
@cached_page
def task(request: HttpRequest, number: int) -> HttpResponse:
    plan = selectors.plan_current()
    page = selectors.task_page(
        user=request.user, plan=plan, number=number, as_of=as_of(request), round_=status_round(request, plan)
    )
    return render(request, "duban/task.html", {"page": page})


@dashboard_page
@cached_page
def unit(request: HttpRequest, code: str) -> HttpResponse:
    plan = selectors.plan_current()
    page = selectors.unit_page(
        user=request.user, plan=plan, code=code, as_of=as_of(request), round_=status_round(request, plan)
    )
    return render(request, "duban/unit.html", {"page": page})


@dashboard_page
@cached_page
def matrix(request: HttpRequest) -> HttpResponse:
    plan = selectors.plan_current()
    unit_query = request.GET.get("unit", "").strip()
    role = request.GET.get("role") or None
    role = role if role in ROLE_LABELS else None
    chosen = unit_find(code_or_name=unit_query) if unit_query else None
    # What the header's search finds, the matrix takes too: a part of a name that finds one unit is that unit;
    # one that finds several offers them to choose from.
    if unit_query and chosen is None:
        chosen = selectors.unit_best_match(query=unit_query)
    candidates = selectors.units_matching(query=unit_query) if unit_query and chosen is None else []
    built = matrix_build(plan=plan, unit=chosen, role=role)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(matrix_xlsx(built), "责任分工矩阵.xlsx")
    rows = [(t, [(c, built.role(t, c)) for c in built.columns]) for t in built.tasks]
    return render(
        request,
        "duban/matrix.html",
        {
            "matrix": built,
            "rows": rows,
            "role_labels": ROLE_LABELS,
            "unit_query": unit_query,
            "unit_missing": bool(unit_query) and chosen is None and not candidates,
            "candidates": candidates[:20] if chosen is None else [],
            "chosen": chosen,
            "role": role or "",
        },
    )


@dashboard_page
def search(request: HttpRequest) -> HttpResponse:
    plan = selectors.plan_current()
    query = request.GET.get("q", "")
    result = selectors.search(plan=plan, query=query)
    if len(result.tasks) + len(result.units) == 1:
        if result.tasks:
            return redirect("web:task", number=result.tasks[0].number)
        return redirect("web:unit", code=result.units[0].code)
    return render(request, "duban/search.html", {"query": query, "result": result, "title": _("搜索")})
