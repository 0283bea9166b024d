"""方案导入: the office uploads a task table, reviews and corrects what the parser read, and imports it — the
pages over ``plans.services.drafts``, which ends in the same ``plan_import`` as ``duban import-plan``."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.core.errors import UserError
from duban.orgs.models import OrgUnit
from duban.orgs.selectors import unit_find
from duban.plans import selectors as plans
from duban.plans.models import Assignment, Plan, PlanDraft
from duban.plans.services import (
    DEFAULT_REGION,
    plan_draft_create,
    plan_draft_discard,
    plan_draft_import,
    plan_draft_mapping_rows,
    plan_draft_preview,
    plan_draft_save,
)
from duban.plans.services.drafts import NEW_UNIT_KINDS
from duban.web.views.base import SignedInRequest, office_page

ROLES = Assignment.Role.choices


@office_page
def import_list(request: SignedInRequest) -> HttpResponse:
    return render(
        request,
        "duban/imports.html",
        {
            "drafts": plans.draft_list()[:50],
            "plans": plans.plans_in_force(),
            "regions": OrgUnit.objects.filter(level=OrgUnit.Level.PROVINCE).order_by("code"),
            "default_region": DEFAULT_REGION,
        },
    )


@office_page
@require_POST
def import_upload(request: SignedInRequest) -> HttpResponse:
    upload = request.FILES.get("document")
    if upload is None:
        messages.error(request, _("请选择要上传的文件"))
        return redirect("web:imports")
    try:
        region = _region(request.POST.get("region", DEFAULT_REGION))
        draft = plan_draft_create(
            content=upload.read(),
            source_name=upload.name or "",
            region=region,
            by=request.user,
            issuing_body=request.POST.get("issuing_body", ""),
            document_number=request.POST.get("document_number", ""),
            issued_on=_date(request.POST.get("issued_on", "")),
            revises=_plan(request.POST.get("revises", "")),
        )
    except UserError as exc:
        messages.error(request, str(exc))
        return redirect("web:imports")
    return redirect("web:import_review", pk=draft.pk)


@office_page
def import_review(request: SignedInRequest, pk: int) -> HttpResponse:
    draft = plans.draft_get(pk=pk)
    review = plans.draft_review(draft=draft)
    preview = plan_draft_preview(draft=draft, by=request.user) if draft.status == PlanDraft.Status.DRAFT else None
    return render(
        request,
        "duban/import_review.html",
        {
            "draft": draft,
            "review": review,
            "preview": preview,
            "roles": ROLES,
            "kinds": [(k, OrgUnit.Kind(k).label) for k in NEW_UNIT_KINDS],
            "comparators": [">=", ">", "<=", "<", "="],
            "plans": plans.plans_in_force(),
        },
    )


@office_page
@require_POST
def import_save(request: SignedInRequest, pk: int) -> HttpResponse:
    draft = plans.draft_get(pk=pk)
    try:
        _save(request, draft)
    except UserError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已保存"))
    return redirect("web:import_review", pk=draft.pk)


@office_page
@require_POST
def import_commit(request: SignedInRequest, pk: int) -> HttpResponse:
    draft = plans.draft_get(pk=pk)
    try:
        draft = _save(request, draft)
        result = plan_draft_import(
            draft=draft,
            by=request.user,
            expected_version=draft.version,
            save_aliases=request.POST.get("save_aliases") == "1",
        )
    except UserError as exc:
        messages.error(request, str(exc))
        return redirect("web:import_review", pk=draft.pk)
    counts = result.counts()
    messages.success(
        request,
        _("已导入方案“%(title)s”：%(tasks)s 项任务，%(assignments)s 条分工，%(targets)s 个目标")
        % {"title": result.plan.title, **counts},
    )
    return redirect("web:overview")


@office_page
@require_POST
def import_discard(request: SignedInRequest, pk: int) -> HttpResponse:
    draft = plans.draft_get(pk=pk)
    try:
        plan_draft_discard(draft=draft, by=request.user, expected_version=_version(request))
    except UserError as exc:
        messages.error(request, str(exc))
        return redirect("web:import_review", pk=draft.pk)
    messages.success(request, _("已放弃这份草稿"))
    return redirect("web:imports")


@office_page
def import_mapping(request: SignedInRequest, pk: int) -> HttpResponse:
    """The names mapped on the review page, as a ``--map`` file for ``duban import-plan``."""
    draft = plans.draft_get(pk=pk)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["name", "code"])
    writer.writeheader()
    writer.writerows(plan_draft_mapping_rows(draft=draft))
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mapping-{draft.pk}.csv"'
    return response


# --------------------------------------------------------------------------------------- the form


def _save(request: SignedInRequest, draft: PlanDraft) -> PlanDraft:
    return plan_draft_save(
        draft=draft,
        by=request.user,
        expected_version=_version(request),
        document=document_from_form(request.POST, draft.document),
        resolutions=resolutions_from_form(request.POST),
        issuing_body=request.POST.get("issuing_body", ""),
        document_number=request.POST.get("document_number", ""),
        issued_on=_date(request.POST.get("issued_on", "")),
        revises=_plan(request.POST.get("revises", "")),
    )


def document_from_form(post: Any, base: dict[str, Any]) -> dict[str, Any]:
    """The corrected document from the review form: ``t-I-…`` fields per task, ``t-I-u-J-…`` per unit and
    ``t-I-g-K-…`` per target, with a blank row of each for additions. A task may be dropped, merged into the
    one before it, or split (copied after itself, for both halves to be edited)."""
    tasks: list[dict[str, Any]] = []
    count = int(post.get("tasks", "0") or 0)
    for i in range(count):
        prefix = f"t-{i}-"
        if post.get(prefix + "drop"):
            continue
        task: dict[str, Any] = {
            "number": _int(post.get(prefix + "number", "")),
            "text": post.get(prefix + "text", "").strip(),
            "units": [],
            "targets": [],
        }
        for j in range(int(post.get(prefix + "units", "0") or 0) + 1):
            unit_prefix = f"{prefix}u-{j}-"
            name = post.get(unit_prefix + "name", "").strip()
            if name and not post.get(unit_prefix + "drop"):
                task["units"].append({"name": name, "role": post.get(unit_prefix + "role", "responsible")})
        for k in range(int(post.get(prefix + "targets", "0") or 0) + 1):
            goal = f"{prefix}g-{k}-"
            subject = post.get(goal + "subject", "").strip()
            if not subject or post.get(goal + "drop"):
                continue
            kind = post.get(goal + "kind", "quantity")
            target: dict[str, Any] = {"kind": kind, "subject": subject}
            if kind == "quantity":
                target["comparator"] = post.get(goal + "comparator", ">=")
                target["value"] = post.get(goal + "value", "").strip()
                target["unit"] = post.get(goal + "unit", "").strip() or None
            target["deadline"] = post.get(goal + "deadline", "").strip() or None
            task["targets"].append(target)
        if post.get(prefix + "merge") and tasks:
            previous = tasks[-1]
            previous["text"] += task["text"]
            previous["units"] += [u for u in task["units"] if u not in previous["units"]]
            previous["targets"] += task["targets"]
            continue
        tasks.append(task)
        if post.get(prefix + "split"):
            tasks.append({**task, "number": None, "units": list(task["units"]), "targets": []})
    # A split task takes the next free number; numbers the office typed are kept.
    used = {t["number"] for t in tasks if isinstance(t["number"], int)}
    for task in tasks:
        if not isinstance(task["number"], int):
            task["number"] = max(used, default=0) + 1
            used.add(task["number"])
    return {**base, "tasks": tasks}


def resolutions_from_form(post: Any) -> dict[str, dict[str, Any]]:
    """``r-N-name`` with ``r-N-choice``: a unit code, ``new`` (add it, ``r-N-kind`` under ``r-N-parent``) or
    nothing (still open)."""
    resolutions: dict[str, dict[str, Any]] = {}
    for n in range(int(post.get("names", "0") or 0)):
        name = post.get(f"r-{n}-name", "")
        choice = post.get(f"r-{n}-choice", "").strip()
        if not name or not choice:
            continue
        if choice == "new":
            resolutions[name] = {
                "new": {
                    "name": post.get(f"r-{n}-new-name", "").strip() or name,
                    "kind": post.get(f"r-{n}-kind", "other"),
                    "parent": post.get(f"r-{n}-parent", "").strip(),
                }
            }
        else:
            resolutions[name] = {"code": choice}
    return resolutions


def _version(request: SignedInRequest) -> int:
    return _int(request.POST.get("version", "")) or 0


def _int(raw: str) -> int | None:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


def _date(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        raise UserError(_("印发日期“%(value)s”不是有效日期") % {"value": raw}) from None


def _region(code: str) -> OrgUnit:
    unit = unit_find(code_or_name=code or DEFAULT_REGION)
    if unit is None:
        raise UserError(_("地区 %(code)s 不在登记册中") % {"code": code})
    return unit


def _plan(raw: str) -> Plan | None:
    if not raw:
        return None
    number = _int(raw)
    plan = plans.plans_in_force().filter(pk=number).first() if number else None
    if plan is None:
        raise UserError(_("要修订的方案 %(pk)s 不存在") % {"pk": raw})
    return plan
