"""The reporting pages: a unit's workspace, the report form, evidence, the office's workspace and the inbox.

Each view parses its input, calls one selector or service and renders; who may see or do what is decided by
``duban.reporting.rules`` on the object itself (a report one may not see is a 404, a step one may not take a 403).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.accounts.access import access_for
from duban.core.errors import UserError
from duban.plans import selectors as plan_selectors
from duban.reporting import selectors as reports
from duban.reporting import services
from duban.reporting.models import ProgressReport, ReportingRound
from duban.web import pagecache, selectors
from duban.web.downloads import xlsx_response

ACTIONS: dict[str, Callable[..., ProgressReport]] = {
    "submit": services.report_submit,
    "sign_off": services.report_sign_off,
    "send_back": services.report_send_back,
    "return": services.report_return,
    "accept": services.report_accept,
}
WITH_COMMENT = {"sign_off", "send_back", "return", "accept"}


def _round(request: HttpRequest, plan: Any) -> ReportingRound | None:
    raw = request.GET.get("round", "")
    if raw.isdigit():
        return reports.round_get(user=request.user, plan=plan, pk=int(raw))
    return reports.round_current(user=request.user, plan=plan)


def _version(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        raise UserError(_("表单缺少版本号，请刷新页面后重试")) from None


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
def workspace(request: HttpRequest) -> HttpResponse:
    plan = selectors.plan_current()
    from duban.notices.selectors import unread_count

    data = reports.workspace(user=request.user, plan=plan, round_=_round(request, plan))
    context = {"data": data, "groups": reports.GROUPS, "unread": unread_count(user=request.user)}
    return render(request, "duban/work.html", context)


@login_required
@require_POST
def report_start(request: HttpRequest, round_pk: int, assignment_pk: int) -> HttpResponse:
    plan = selectors.plan_current()
    round_ = reports.round_get(user=request.user, plan=plan, pk=round_pk)
    assignment = reports.assignment_get_for_user(user=request.user, pk=assignment_pk)
    try:
        report = services.report_start(round_=round_, assignment=assignment, by=request.user)
    except UserError as exc:
        messages.error(request, str(exc))
        return redirect("web:work")
    return redirect("web:report", pk=report.pk)


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    detail = reports.report_detail(user=request.user, pk=pk)
    return render(request, "duban/report.html", {"d": detail, "progress_choices": ProgressReport.Progress.choices})


def _fields(request: HttpRequest) -> dict[str, Any]:
    # Only what the form sent: an autosave from an older page must not blank a field it does not have.
    fields: dict[str, Any] = {name: request.POST[name] for name in services.TEXT_FIELDS if name in request.POST}
    figures = {key.removeprefix("figure_"): value for key, value in request.POST.items() if key.startswith("figure_")}
    if figures:
        fields["figures"] = figures
    return fields


@login_required
@require_POST
def report_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Save (a form post, or the page's autosave asking for JSON); ``then=submit`` submits after saving."""
    current = reports.report_get_for_user(user=request.user, pk=pk)
    try:
        saved = services.report_save(
            report=current, by=request.user, expected_version=_version(request), fields=_fields(request)
        )
        if request.POST.get("then") == "submit":
            saved = services.report_submit(report=saved, by=request.user, expected_version=saved.version)
            messages.success(request, _("已提交：%(status)s") % {"status": saved.get_status_display()})
        elif not _wants_json(request):
            messages.success(request, _("已保存"))
    except UserError as exc:
        if _wants_json(request):
            status = 409 if isinstance(exc, services.ReportConflict) else 400
            return JsonResponse({"error": str(exc)}, status=status)
        if isinstance(exc, services.ReportConflict):
            # The other person's version is kept; the page shows it with this user's text beside it to copy from.
            detail = reports.report_detail(user=request.user, pk=pk)
            context = {
                "d": detail,
                "progress_choices": ProgressReport.Progress.choices,
                "conflict": str(exc),
                "unsaved": _fields(request),
            }
            return render(request, "duban/report.html", context, status=409)
        messages.error(request, str(exc))
        return redirect("web:report", pk=pk)
    if _wants_json(request):
        saved_at = timezone.localtime(saved.updated_at).strftime("%H:%M:%S")
        return JsonResponse({"version": saved.version, "saved_at": saved_at})
    return redirect("web:report", pk=pk)


@login_required
@require_POST
def report_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    current = reports.report_get_for_user(user=request.user, pk=pk)
    try:
        if action == "correct":
            correction = services.report_correct(report=current, by=request.user)
            return redirect("web:report", pk=correction.pk)
        if action not in ACTIONS:
            raise Http404
        kwargs: dict[str, Any] = {"report": current, "by": request.user, "expected_version": _version(request)}
        if action in WITH_COMMENT:
            kwargs["comment"] = request.POST.get("comment", "")
        done = ACTIONS[action](**kwargs)
        messages.success(request, _("操作成功，报告状态：%(status)s") % {"status": done.get_status_display()})
    except UserError as exc:
        messages.error(request, str(exc))
    return redirect("web:report", pk=pk)


@login_required
@require_POST
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    from django.conf import settings

    current = reports.report_get_for_user(user=request.user, pk=pk)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise UserError(_("请选择要上传的文件"))
        if upload.size is not None and upload.size > settings.EVIDENCE_MAX_BYTES:
            # Refused before reading it: the size the browser sent is enough.
            raise services.WorkflowError(
                _("文件“%(name)s”超过上限 %(mb)d MB")
                % {"name": upload.name, "mb": settings.EVIDENCE_MAX_BYTES // (1024 * 1024)}
            )
        services.evidence_add(report=current, by=request.user, name=upload.name or "", content=upload.read())
        messages.success(request, _("已上传：%(name)s") % {"name": upload.name})
    except UserError as exc:
        messages.error(request, str(exc))
    return redirect("web:report", pk=pk)


@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    evidence = reports.evidence_get_for_user(user=request.user, pk=pk)
    response = FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.name, content_type=evidence.content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def evidence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = reports.evidence_get_for_user(user=request.user, pk=pk)
    try:
        services.evidence_remove(evidence=evidence, by=request.user)
        messages.success(request, _("已删除：%(name)s") % {"name": evidence.name})
    except UserError as exc:
        messages.error(request, str(exc))
    return redirect("web:report", pk=evidence.report_id)


@login_required
def office(request: HttpRequest) -> HttpResponse:
    plan = selectors.plan_current()
    data = reports.office_round(user=request.user, plan=plan, round_=_round(request, plan))
    if request.GET.get("format") == "xlsx" and data.round is not None:
        from duban.reporting.exports import office_round_xlsx

        return xlsx_response(office_round_xlsx(data), f"报送情况-{data.round.title}.xlsx")
    tasks = plan_selectors.task_list(plan=plan) if access_for(request.user).office else []
    return render(request, "duban/office.html", {"data": data, "tasks": tasks, "today": timezone.localdate()})


@login_required
@require_POST
def office_remind(request: HttpRequest, round_pk: int, unit_code: str) -> HttpResponse:
    from duban.notices.services import notice_remind_unit
    from duban.orgs.selectors import unit_find

    plan = selectors.plan_current()
    round_ = reports.round_get(user=request.user, plan=plan, pk=round_pk)
    unit = unit_find(code_or_name=unit_code)
    if unit is None or unit.code != unit_code:
        raise Http404
    try:
        notice = notice_remind_unit(round_=round_, unit=unit, by=request.user)
    except UserError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("已向%(unit)s发出催办：%(subject)s") % {"unit": unit.name, "subject": notice.subject}
        )
    return redirect(f"{reverse('web:office')}?round={round_.pk}#late")


@login_required
@require_POST
def round_add(request: HttpRequest) -> HttpResponse:
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


@login_required
@require_POST
def task_closure(request: HttpRequest, number: int, action: str) -> HttpResponse:
    plan = selectors.plan_current()
    task = plan_selectors.task_get(plan=plan, number=number)
    service = {"close": services.task_close, "reopen": services.task_reopen}.get(action)
    if service is None:
        raise Http404
    try:
        service(task=task, by=request.user, reason=request.POST.get("reason", ""))
        pagecache.forget_version()
        what = _("已销号") if action == "close" else _("已恢复督办")
        messages.success(request, _("任务 %(n)d：%(what)s") % {"n": number, "what": what})
    except UserError as exc:
        messages.error(request, str(exc))
    return redirect("web:task", number=number)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    from duban.notices.selectors import notice_list_for_user, notice_read_ids

    notices = list(notice_list_for_user(user=request.user)[:200])
    read = notice_read_ids(user=request.user, notices=notices)
    return render(request, "duban/inbox.html", {"notices": notices, "read": read})


@login_required
@require_POST
def inbox_read(request: HttpRequest) -> HttpResponse:
    from duban.notices.services import notice_mark_all_read

    notice_mark_all_read(user=request.user)
    return redirect("web:inbox")
