"""Notices of the workflow's hand-overs: when a step gives a report to somebody else to act on, they are told
at once — the unit's approvers of a report awaiting sign-off, the reporters of one sent back or returned, the
lead unit of a co-unit's report that has reached it."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from duban.notices.models import Notice
from duban.notices.selectors import PendingItem, RecipientDirectory
from duban.notices.services.results import PlannedNotice
from duban.notices.services.run import notice_create
from duban.notices.services.sending import deliveries_send
from duban.notices.services.wording import co_submitted_notice, returned_notice, sent_back_notice, signoff_notice
from duban.orgs.selectors import successor_of
from duban.plans.models import Assignment
from duban.reporting.models import ProgressReport, ReportEvent

Action = ReportEvent.Action
Status = ProgressReport.Status


def step_notices_send(*, report: ProgressReport, today: date | None = None) -> list[Notice]:
    """The notices the report's latest step calls for, each created once (keyed on the step) and sent at
    once; the ones created now. A step that hands nothing to anyone (an acceptance) calls for none, and
    neither does a step the report has already moved on from."""
    event = ReportEvent.objects.filter(report=report).select_related("by").order_by("-pk").first()
    if event is None or event.to_status != report.status:
        return []
    planned = _planned(report, event, today or timezone.localdate())
    if not planned:
        return []
    directory = RecipientDirectory()
    created: list[Notice] = []
    for item in planned:
        item.recipients = directory.recipients(item.audience, item.unit)
        notice, new = notice_create(item)
        if new:
            created.append(notice)
    for notice in created:
        deliveries_send(notice=notice)
    return created


def _planned(report: ProgressReport, event: ReportEvent, today: date) -> list[PlannedNotice]:
    # A renamed or merged unit reads no mail: its work is announced to the unit that carries it.
    unit = successor_of(report.assignment.unit)
    if event.action == Action.SUBMIT and report.status == Status.AWAITING_SIGNOFF:
        return [signoff_notice(report, unit, event)]
    if event.action == Action.SEND_BACK:
        return [sent_back_notice(report, unit, event)]
    if event.action == Action.RETURN:
        days_left = (report.round.due - today).days
        return [returned_notice(report.round, unit, PendingItem(report.assignment, report), event, days_left)]
    if event.action in (Action.SUBMIT, Action.SIGN_OFF) and report.status == Status.SUBMITTED:
        if report.assignment.role == Assignment.Role.LEAD:
            return []
        lead = (
            Assignment.objects.filter(task_id=report.assignment.task_id, role=Assignment.Role.LEAD)
            .select_related("unit")
            .first()
        )
        if lead is None:
            return []
        return [co_submitted_notice(report, successor_of(lead.unit), event)]
    return []
