"""The reminder run (催报): the notices each open round calls for today, written once each, then sent."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from duban.audit.services import audit_record
from duban.notices.models import Delivery, Notice
from duban.notices.selectors import RecipientDirectory, deliveries_sendable, latest_returns, pending_by_unit
from duban.notices.services.results import PlannedNotice, RemindReport
from duban.notices.services.sending import deliveries_send
from duban.notices.services.wording import due_soon_notice, escalation_notice, overdue_notice, returned_notice
from duban.reporting.models import ProgressReport, ReportingRound
from duban.reporting.services import rounds_keep_current

Audience = Notice.Audience
Status = ProgressReport.Status

# A unit is reminded this many days before the due date (and on every day up to it, once).
DUE_SOON_DAYS = 3
# After this many days overdue the unit's approvers and the office hear of it too.
ESCALATE_AFTER_DAYS = 7


def remind_run(*, today: date, dry_run: bool = False) -> RemindReport:
    """催报: for every round that has opened, remind each unit that still owes reports — before the due date
    (3 days to go), after it, and when one of its reports was returned — and escalate to the unit's approvers
    and the office a week after the due date. Then send every delivery not yet sent, old failures included.

    A dry run computes the same notices and recipients and writes and sends nothing."""
    report = RemindReport(today=today, dry_run=dry_run)
    if not dry_run:
        rounds_keep_current(today=today)
    directory = RecipientDirectory()
    # A plan replaced by a revision is no longer supervised; its units are chased under the revision.
    rounds = (
        ReportingRound.objects.filter(opens__lte=today, plan__next_revision__isnull=True)
        .select_related("plan")
        .order_by("due", "pk")
    )
    planned: list[PlannedNotice] = []
    for round_ in rounds:
        planned.extend(_round_notices(round_, today))
    existing = set(Notice.objects.filter(key__in=[p.key for p in planned]).values_list("key", flat=True))
    for item in planned:
        if item.key in existing:
            continue
        item.recipients = directory.recipients(item.audience, item.unit)
        if not dry_run:
            notice, created = notice_create(item)
            if not created:
                # Another run made it between our look and our write; it is theirs to report.
                continue
            item.notice = notice
        report.notices.append(item)
    if dry_run:
        report.waiting = deliveries_sendable().count()
        return report
    report.results = deliveries_send()
    if report.notices or report.results:
        audit_record(
            actor=None,
            action="notice_remind_run",
            object_type="notices.notice",
            object_repr=f"催报 {today.isoformat()}",
            after={
                "today": today.isoformat(),
                "created": len(report.notices),
                "sent": report.sent,
                "failed": len(report.failed),
            },
        )
    return report


def _round_notices(round_: ReportingRound, today: date) -> list[PlannedNotice]:
    """The notices ``round_`` calls for today, whether or not they exist yet."""
    owed = pending_by_unit(round_=round_)
    days_left = (round_.due - today).days
    out: list[PlannedNotice] = []
    for unit, items in owed:
        if 0 <= days_left <= DUE_SOON_DAYS:
            out.append(due_soon_notice(round_, unit, items, days_left))
        elif days_left < 0:
            out.append(overdue_notice(round_, unit, items, -days_left))
            if -days_left >= ESCALATE_AFTER_DAYS:
                out.append(escalation_notice(round_, unit, items, -days_left, Audience.APPROVERS))
                out.append(escalation_notice(round_, unit, items, -days_left, Audience.OFFICE))
        returned = [i for i in items if i.report is not None and i.report.status == Status.RETURNED]
        events = latest_returns(reports=[i.report for i in returned if i.report is not None])
        for item in returned:
            assert item.report is not None
            event = events.get(item.report.pk)
            # A report only becomes "returned" through a return, which leaves an event; without one there is
            # nothing to key the notice on, and the overdue reminders still name the report.
            if event is not None:
                out.append(returned_notice(round_, unit, item, event, days_left))
    return out


def notice_create(item: PlannedNotice) -> tuple[Notice, bool]:
    """The notice for ``item.key`` and its deliveries, written together; nothing if the key exists."""
    with transaction.atomic():
        notice, created = Notice.objects.get_or_create(
            key=item.key,
            defaults={
                "kind": item.kind,
                "audience": item.audience,
                "unit": item.unit,
                "round": item.round,
                "report": item.report,
                "subject": item.subject[:200],
                "body": item.body,
            },
        )
        if created:
            Delivery.objects.bulk_create(
                Delivery(notice=notice, channel=r.channel, address=r.address) for r in item.recipients
            )
    return notice, created
