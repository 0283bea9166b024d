"""What the pages share: the signed-in request, who may open the dashboard, and the query parameters."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import TypeVar

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponseBase

from duban.accounts.access import access_for
from duban.metrics.periods import Period
from duban.plans.models import Plan
from duban.reporting import selectors as reports
from duban.reporting.models import ReportingRound
from duban.web import selectors

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


class SignedInRequest(HttpRequest):
    """A request that ``login_required`` let through: its user is a signed-in ``auth.User``, never the anonymous
    user that ``core.users.Viewer`` also allows."""

    user: User


def dashboard_page(view: View) -> View:
    """Who may open the dashboard, decided here once: every signed-in user, whatever their unit or roles.

    The overview and the indicator, task, unit, matrix and search pages show the plan the same way to the office,
    the units and the leaders alike, so the selectors behind them (``duban.web.selectors``) take no user. The
    reporting pages are the ones that differ by person, and their selectors read for ``request.user``.
    """
    return login_required(view)


def office_page(view: View) -> View:
    """A page of the supervising office's own work (importing plans): anyone else is told it does not exist,
    as for every object a user may not see."""

    @wraps(view)
    def checked(request: SignedInRequest, *args: object, **kwargs: object) -> HttpResponseBase:
        if not access_for(request.user).office:
            raise Http404
        return view(request, *args, **kwargs)

    return login_required(checked)  # type: ignore[return-value]


def as_of(request: HttpRequest) -> date:
    """The assessment date: the end of ``?period=``; by default today, or the plan's last deadline once it
    has passed (a finished plan is judged as it stood on its last day)."""
    try:
        return Period.parse(request.GET.get("period", "")).end
    except ValueError:
        return selectors.default_as_of()


def status_round(request: HttpRequest, plan: Plan) -> ReportingRound | None:
    """The round whose task statuses a dashboard page shows: ``?round=``, else the latest round already due."""
    raw = request.GET.get("round", "")
    if raw.isdigit():
        return reports.round_get(plan=plan, pk=int(raw))
    return reports.round_last_due(plan=plan)


def chosen_round(request: SignedInRequest, plan: Plan) -> ReportingRound | None:
    """The round named by ``?round=``, else the one people are working on."""
    raw = request.GET.get("round", "")
    if raw.isdigit():
        return reports.round_get(plan=plan, pk=int(raw))
    return reports.round_current(plan=plan)
