"""One progress report: the page, saving (a form post or the page's autosave), the workflow steps, and its
evidence files."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.core.errors import UserError
from duban.notices.services import step_notices_send
from duban.reporting import selectors as reports
from duban.reporting import services
from duban.reporting.models import ProgressReport
from duban.web.views.base import SignedInRequest

ACTIONS: dict[str, Callable[..., ProgressReport]] = {
    "submit": services.report_submit,
    "sign_off": services.report_sign_off,
    "send_back": services.report_send_back,
    "return": services.report_return,
    "accept": services.report_accept,
    "withdraw": services.report_withdraw,
}
WITH_COMMENT = {"sign_off", "send_back", "return", "accept"}


def _version(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        raise UserError(_("表单缺少版本号，请刷新页面后重试")) from None


def _ids(values: list[str]) -> list[int]:
    try:
        return [int(value) for value in values]
    except ValueError:
        raise UserError(_("所选的配合单位报告无效，请刷新页面后重试")) from None


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _fields(request: HttpRequest) -> dict[str, Any]:
    # Only what the form sent: an autosave from an older page must not blank a field it does not have.
    fields: dict[str, Any] = {name: request.POST[name] for name in services.TEXT_FIELDS if name in request.POST}
    figures = {key.removeprefix("figure_"): value for key, value in request.POST.items() if key.startswith("figure_")}
    if figures:
        fields["figures"] = figures
    return fields


def _as_typed(detail: reports.ReportDetail, fields: dict[str, Any]) -> reports.ReportDetail:
    """The page's report showing what the user sent instead of what is stored — for display only, never saved."""
    for name in services.TEXT_FIELDS:
        if name in fields:
            setattr(detail.report, name, fields[name])
    typed = fields.get("figures", {})
    detail.figure_elements = [(e, typed.get(e.code, value)) for e, value in detail.figure_elements]
    return detail


@login_required
def report(request: SignedInRequest, pk: int) -> HttpResponse:
    detail = reports.report_detail(user=request.user, pk=pk)
    return render(request, "duban/report.html", {"d": detail, "progress_choices": ProgressReport.Progress.choices})


@login_required
@require_POST
def report_save(request: SignedInRequest, pk: int) -> HttpResponse:
    """Save (a form post, or the page's autosave asking for JSON); ``then=submit`` submits after saving."""
    current = reports.report_get_for_user(user=request.user, pk=pk)
    try:
        saved = services.report_save(
            report=current, by=request.user, expected_version=_version(request), fields=_fields(request)
        )
        if request.POST.get("then") == "submit":
            saved = services.report_submit(report=saved, by=request.user, expected_version=saved.version)
            step_notices_send(report=saved)
            messages.success(request, _("已提交：%(status)s") % {"status": saved.get_status_display()})
        elif request.POST.get("then") == "draw":
            saved = services.report_draw_from_inputs(report=saved, by=request.user, expected_version=saved.version)
            messages.success(request, _("已引用配合单位报告，请在此基础上修改汇总"))
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
        # Refused, nothing written: the page comes back as the user typed it, with the reason, so that
        # nothing typed is lost to a redirect.
        detail = _as_typed(reports.report_detail(user=request.user, pk=pk), _fields(request))
        context = {"d": detail, "progress_choices": ProgressReport.Progress.choices, "refused": str(exc)}
        return render(request, "duban/report.html", context, status=400)
    if _wants_json(request):
        saved_at = timezone.localtime(saved.updated_at).strftime("%H:%M:%S")
        return JsonResponse({"version": saved.version, "saved_at": saved_at})
    return redirect("web:report", pk=pk)


@login_required
@require_POST
def report_action(request: SignedInRequest, pk: int, action: str) -> HttpResponse:
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
        if action == "accept":
            kwargs["with_inputs"] = _ids(request.POST.getlist("with_inputs"))
            kwargs["outliers_confirmed"] = request.POST.get("confirm_outliers") == "1"
        done = ACTIONS[action](**kwargs)
        # The step is committed; telling whoever it hands the report to is the notices' part, a layer above.
        step_notices_send(report=done)
        messages.success(request, _("操作成功，报告状态：%(status)s") % {"status": done.get_status_display()})
    except UserError as exc:
        messages.error(request, str(exc))
    return redirect("web:report", pk=pk)


@login_required
@require_POST
def evidence_upload(request: SignedInRequest, pk: int) -> HttpResponse:
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
def evidence_download(request: SignedInRequest, pk: int) -> FileResponse:
    evidence = reports.evidence_get_for_user(user=request.user, pk=pk)
    response = FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.name, content_type=evidence.content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def evidence_delete(request: SignedInRequest, pk: int) -> HttpResponse:
    evidence = reports.evidence_get_for_user(user=request.user, pk=pk)
    try:
        services.evidence_remove(evidence=evidence, by=request.user)
        messages.success(request, _("已删除：%(name)s") % {"name": evidence.name})
    except UserError as exc:
        messages.error(request, str(exc))
    return redirect("web:report", pk=evidence.report_id)
