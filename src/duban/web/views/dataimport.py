"""数据导入, the office's page for data and facility files: upload and check (every bad row listed, nothing
written), confirm, follow the import job as it runs outside the request, and download a unit's template.

The page calls the same services as ``duban import-data`` and ``import-facilities`` (``indicators.services``);
only the office reaches it, anyone else gets a 404 (``views.base.office_page``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.core.errors import UserError
from duban.indicators.models import ImportJob
from duban.indicators.services.importing import DataImportError
from duban.indicators.services.jobs import import_job_check, import_job_confirm, import_job_discard, import_job_retry
from duban.indicators.template import (
    data_template_xlsx,
    element_set_get,
    element_sets,
    facility_template_xlsx,
    template_unit_get,
    template_units,
)
from duban.metrics.periods import Period
from duban.web import selectors
from duban.web.downloads import xlsx_response
from duban.web.views.base import SignedInRequest, office_page

# How many bad rows the page lists; the rest are counted (a wholly wrong file can have thousands).
PROBLEMS_SHOWN = 500


def _page(request: SignedInRequest, **extra: Any) -> HttpResponse:
    """The import page; a refused upload is shown on it, as Django shows a form with errors (status 200), with
    the form ready for the next try."""
    periods = selectors.template_periods()
    default = next((p for p in periods if p.granularity == "year" and p.end < timezone.localdate()), periods[0])
    context = {
        "jobs": selectors.import_jobs_listed(),
        "kinds": ImportJob.Kind.choices,
        "kind": request.POST.get("kind", ImportJob.Kind.DATA),
        "element_sets": element_sets(),
        "units": template_units(),
        "periods": periods,
        "default_period": str(default),
        "max_mb": settings.IMPORT_MAX_BYTES // (1024 * 1024),
        **extra,
    }
    return render(request, "duban/dataimport.html", context)


@office_page
def data_import(request: SignedInRequest) -> HttpResponse:
    return _page(request)


@office_page
@require_POST
def data_import_check(request: SignedInRequest) -> HttpResponse:
    upload = request.FILES.get("file")
    if upload is None:
        return _page(request, refused=_("请选择要上传的文件（CSV 或 XLSX）"))
    name = upload.name or "upload"
    limit = settings.IMPORT_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        # Refused before it is read: the size the upload declares is enough.
        refused = _("%(name)s：文件有 %(size).1f MB，超过上限 %(limit)d MB") % {
            "name": name,
            "size": upload.size / 1024 / 1024,
            "limit": limit // (1024 * 1024),
        }
        return _page(request, refused=refused)
    try:
        job = import_job_check(kind=request.POST.get("kind", ""), name=name, content=upload.read(), by=request.user)
    except DataImportError as exc:
        return _page(
            request,
            file_name=name,
            problems=exc.rows[:PROBLEMS_SHOWN],
            problems_total=len(exc.problems),
            refused=None if exc.rows else "\n".join(exc.problems),
        )
    except UserError as exc:
        return _page(request, file_name=name, refused=str(exc))
    return redirect("web:import_job", pk=job.pk)


@office_page
def import_job(request: SignedInRequest, pk: int) -> HttpResponse:
    row = selectors.import_job_row(pk=pk)
    return render(request, "duban/import_job.html", {"row": row, "job": row.job})


@office_page
def import_job_status(request: SignedInRequest, pk: int) -> JsonResponse:
    row = selectors.import_job_row(pk=pk)
    job = row.job
    return JsonResponse(
        {
            "state": job.state,
            "label": job.get_state_display(),
            "progress": job.progress,
            "step": _(job.step) if job.step else "",
            "finished": job.finished,
            "stale": row.stale,
        }
    )


_ACTIONS = {"confirm": import_job_confirm, "discard": import_job_discard, "retry": import_job_retry}


@office_page
@require_POST
def import_job_action(request: SignedInRequest, pk: int, action: str) -> HttpResponse:
    row = selectors.import_job_row(pk=pk)
    service = _ACTIONS.get(action)
    if service is None:
        raise Http404
    try:
        job = service(job=row.job, by=request.user)
    except UserError as exc:
        messages.error(request, str(exc))
        return redirect("web:import_job", pk=pk)
    if job.state == ImportJob.State.DISCARDED:
        messages.success(request, _("已放弃导入 %(name)s，未写入任何数据。") % {"name": job.file_name})
        return redirect("web:data_import")
    messages.success(request, _("已开始导入 %(name)s。") % {"name": job.file_name})
    return redirect("web:import_job", pk=pk)


@office_page
def data_template(request: SignedInRequest) -> HttpResponse:
    element_set = element_set_get(code=request.GET.get("set", ""))
    unit = template_unit_get(code=request.GET.get("unit", ""))
    try:
        period = Period.parse(request.GET.get("period", ""))
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("web:data_import")
    content = data_template_xlsx(element_set=element_set, unit=unit, period=period)
    return xlsx_response(content, f"{unit.name}-{period}-{element_set.name}-填报模板.xlsx")


@office_page
def facility_template(request: SignedInRequest) -> HttpResponse:
    unit = template_unit_get(code=request.GET.get("unit", ""))
    return xlsx_response(facility_template_xlsx(unit=unit), f"{unit.name}-机构登记-填报模板.xlsx")
