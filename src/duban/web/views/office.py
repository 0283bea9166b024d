"""The office's workspace: a round's completion, its review queue and late units (``?format=xlsx`` for the
round's workbook), reminding a late unit, and adding a round of its own (专项报送)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.accounts.access import access_for
from duban.core.errors import UserError
from duban.notices.selectors import notice_counts_by_unit
from duban.notices.services import Reminders, notice_remind_units
from duban.orgs.selectors import unit_find
from duban.plans import selectors as plan_selectors
from duban.reporting import selectors as reports
from duban.reporting import services
from duban.reporting.exports import office_round_xlsx
from duban.web import selectors
from duban.web.downloads import xlsx_response
from duban.web.views.base import SignedInRequest, chosen_round


@login_required
def office(request: SignedInRequest) -> HttpResponse:
    plan = selectors.plan_current()
    round_ = chosen_round(request, plan)
    reminders = notice_counts_by_unit(round_=round_) if round_ is not None else {}
    data = reports.office_round(user=request.user, plan=plan, round_=round_, reminders=reminders)
    if request.GET.get("format") == "xlsx" and data.round is not None:
        return xlsx_response(office_round_xlsx(data), f"报送情况-{data.round.title}.xlsx")
    tasks = plan_selectors.task_list(plan=plan) if access_for(request.user).office else []
    statuses = {
        str(row.task.number): row for row in reports.task_status_list(user=request.user, plan=plan, round_=data.round)
    }
    backlog = reports.office_backlog(user=request.user, plan=plan)
    return render(
        request,
        "duban/office.html",
        {"data": data, "tasks": tasks, "statuses": statuses, "today": timezone.localdate(), "backlog": backlog},
    )


@login_required
@require_POST
def office_remind(request: SignedInRequest, round_pk: int, unit_code: str) -> HttpResponse:
    plan = selectors.plan_current()
    round_ = reports.round_get(plan=plan, pk=round_pk)
    unit = unit_find(code_or_name=unit_code)
    if unit is None or unit.code != unit_code:
        raise Http404
    try:
        done = notice_remind_units(round_=round_, by=request.user, units=[unit])
    except UserError as exc:
        messages.error(request, str(exc))
    else:
        _say_reminded(request, done)
    return redirect(f"{reverse('web:office')}?round={round_.pk}#late")


@login_required
@require_POST
def office_remind_all(request: SignedInRequest, round_pk: int) -> HttpResponse:
    plan = selectors.plan_current()
    round_ = reports.round_get(plan=plan, pk=round_pk)
    try:
        done = notice_remind_units(round_=round_, by=request.user)
    except UserError as exc:
        messages.error(request, str(exc))
    else:
        _say_reminded(request, done)
    return redirect(f"{reverse('web:office')}?round={round_.pk}#late")


def _say_reminded(request: SignedInRequest, done: Reminders) -> None:
    """What was sent and what was not: a unit already reminded today is not reminded again, and is told so."""
    if len(done.sent) == 1:
        notice = done.sent[0]
        messages.success(
            request, _("已向%(unit)s发出催办：%(subject)s") % {"unit": notice.unit.name, "subject": notice.subject}
        )
    elif done.sent:
        messages.success(request, _("已向 %(n)d 个单位发出催办") % {"n": len(done.sent)})
    if done.already:
        names = "、".join(n.unit.name for n in done.already)
        messages.info(request, _("今天已催办过，未重复发送：%(units)s") % {"units": names})
    if not done.sent and not done.already:
        messages.info(request, _("没有需要催办的单位"))


@login_required
@require_POST
def round_add(request: SignedInRequest) -> HttpResponse:
    plan = selectors.plan_current()
    try:
        due = date.fromisoformat(request.POST.get("due", ""))
    except ValueError:
        messages.error(request, _("请填写有效的截止日期"))
        return redirect("web:office")
    try:
        numbers = [int(n) for n in request.POST.getlist("tasks")]
    except ValueError:
        messages.error(request, _("任务序号应为数字"))
        return redirect("web:office")
    try:
        tasks = plan_selectors.tasks_by_number(plan=plan, numbers=numbers)
        round_ = services.round_add_adhoc(
            plan=plan, title=request.POST.get("title", ""), due=due, tasks=tasks, by=request.user
        )
    except UserError as exc:
        messages.error(request, str(exc))
        return redirect("web:office")
    messages.success(request, _("已新建专项轮次：%(title)s") % {"title": round_.title})
    return redirect(f"{reverse('web:office')}?round={round_.pk}")
