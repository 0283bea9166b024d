"""Who may do what to a progress report. Every view, download, command and service asks these, on the report
itself; a report a user may not see is answered as not found, so that ids cannot be probed."""

from __future__ import annotations

from django.db.models import Q

from duban.accounts.access import Access
from duban.plans.models import Assignment
from duban.reporting.models import ProgressReport

LEFT_UNIT = (ProgressReport.Status.SUBMITTED, ProgressReport.Status.RETURNED, ProgressReport.Status.ACCEPTED)


def visible_reports(access: Access) -> Q:
    """Reports the user may read: their own unit's in any state; once a report has left its unit, the office
    and leaders read it, and so does the lead unit of its task. A draft never leaves its unit."""
    own = Q(assignment__unit_id__in=access.unit_ids)
    if access.sees_everything:
        return own | Q(status__in=LEFT_UNIT)
    return own | (Q(status__in=LEFT_UNIT) & Q(assignment__task_id__in=access.led_task_ids))


def can_view(access: Access, report: ProgressReport) -> bool:
    if access.acts_for(report.assignment.unit_id):
        return True
    if not report.left_unit:
        return False
    return access.sees_everything or report.assignment.task_id in access.led_task_ids


def can_edit(access: Access, report: ProgressReport) -> bool:
    """Write the report and its evidence: a reporter of its unit, while it is a draft or returned."""
    return access.reporter and access.acts_for(report.assignment.unit_id) and report.editable


def can_write_for(access: Access, assignment: Assignment) -> bool:
    """Start a report on ``assignment``."""
    return access.reporter and access.acts_for(assignment.unit_id)


def can_sign_off(access: Access, report: ProgressReport) -> bool:
    """Sign the unit's report off (or send it back inside the unit): an approver of its unit."""
    return (
        access.approver
        and access.acts_for(report.assignment.unit_id)
        and report.status == ProgressReport.Status.AWAITING_SIGNOFF
    )


def can_review(access: Access, report: ProgressReport) -> bool:
    """Accept or return a submitted report: the office, or an approver of the lead unit for a co-unit's report."""
    if report.status != ProgressReport.Status.SUBMITTED:
        return False
    if access.office:
        return True
    return (
        access.approver
        and report.assignment.role != Assignment.Role.LEAD
        and not access.acts_for(report.assignment.unit_id)
        and report.assignment.task_id in access.led_task_ids
    )


def can_withdraw(access: Access, report: ProgressReport) -> bool:
    """Take a report back before anyone has reviewed it: a reporter of its unit, while it waits for the
    unit's sign-off or for review."""
    return (
        access.reporter
        and access.acts_for(report.assignment.unit_id)
        and report.status in (ProgressReport.Status.AWAITING_SIGNOFF, ProgressReport.Status.SUBMITTED)
    )


def can_correct(access: Access, report: ProgressReport) -> bool:
    return (
        access.reporter
        and access.acts_for(report.assignment.unit_id)
        and report.status == ProgressReport.Status.ACCEPTED
    )
