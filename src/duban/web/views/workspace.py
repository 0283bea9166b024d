"""A unit's workspace: what it owes in the round shown, and starting a report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from duban.accounts.access import access_for
from duban.accounts.models import Role
from duban.core.errors import UserError
from duban.notices.selectors import unread_count
from duban.reporting import selectors as reports
from duban.reporting import services
from duban.web import selectors
from duban.web.views.base import SignedInRequest, chosen_round


@login_required
def workspace(request: SignedInRequest) -> HttpResponse:
    # A leader reports on nothing: the one-page summary is what their workspace is for.
    roles = access_for(request.user).roles
    if roles and roles <= {Role.LEADER}:
        return redirect("web:summary")
    plan = selectors.plan_current()
    data = reports.workspace(user=request.user, plan=plan, round_=chosen_round(request, plan))
    context = {"data": data, "groups": reports.GROUPS, "unread": unread_count(user=request.user)}
    return render(request, "duban/work.html", context)


@login_required
@require_POST
def report_start(request: SignedInRequest, round_pk: int, assignment_pk: int) -> HttpResponse:
    plan = selectors.plan_current()
    round_ = reports.round_get(plan=plan, pk=round_pk)
    assignment = reports.assignment_get_for_user(user=request.user, pk=assignment_pk)
    try:
        report = services.report_start(round_=round_, assignment=assignment, by=request.user)
    except UserError as exc:
        messages.error(request, str(exc))
        return redirect("web:work")
    return redirect("web:report", pk=report.pk)
