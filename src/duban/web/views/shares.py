"""The office shares a province target among the jurisdictions (目标分解): equal, by need, or by a table typed
on the page or uploaded as CSV/XLSX. Anyone else is told the page does not exist."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.core.errors import ImportRefused, UserError
from duban.indicators.selectors import plan_jurisdictions, share_target_get, share_targets
from duban.indicators.services import share_rows_from_file, target_shares_set
from duban.web import selectors
from duban.web.views.base import SignedInRequest, office_page


@office_page
def shares(request: SignedInRequest) -> HttpResponse:
    plan = selectors.plan_current()
    return render(
        request,
        "duban/shares.html",
        {"targets": share_targets(plan=plan), "units": plan_jurisdictions(plan=plan), "title": _("目标分解")},
    )


@office_page
@require_POST
def shares_set(request: SignedInRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_current()
    found = share_target_get(plan=plan, pk=pk)
    method = request.POST.get("method", "")
    upload = request.FILES.get("file")
    try:
        if upload is not None:
            method = "table"
            rows = share_rows_from_file(data=upload.read(), name=upload.name or "upload")
        else:
            typed = [(code, request.POST.get(f"share-{code}", "")) for code in request.POST.getlist("unit")]
            # A table's rows are numbered as the page lists the units, so that a message can name the row.
            rows = [(number, code, value) for number, (code, value) in enumerate(typed, start=1) if value.strip()]
        target_shares_set(share_target=found, method=method, by=request.user, rows=rows)
    except ImportRefused as exc:
        for problem in exc.problems:
            messages.error(request, problem)
    except UserError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已分解：%(subject)s") % {"subject": found.target.subject})
    return redirect(f"{reverse('web:shares')}#target-{found.target.pk}")
