"""Reads for notices: a user's inbox and the reminder counts; for the reminder run, what each unit still owes in
a round, who hears about a unit, and which deliveries wait to be sent. Read marks belong to a signed-in user, so
the reads of them take a ``User`` rather than a ``Viewer``."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.utils import timezone

from duban.accounts.access import access_for
from duban.accounts.models import Membership
from duban.core.users import Viewer
from duban.notices.models import Delivery, Notice, UnitChannel
from duban.orgs.models import OrgUnit
from duban.orgs.selectors import successors
from duban.plans.models import Assignment
from duban.reporting.models import ProgressReport, ReportEvent, ReportingRound
from duban.reporting.selectors import round_assignments, sent_keys

Audience = Notice.Audience
Status = ProgressReport.Status

# A report in these states has not reached the reviewers: the unit still owes it.
PENDING = (Status.DRAFT, Status.AWAITING_SIGNOFF, Status.RETURNED)

_STATE_ZH: dict[str | None, str] = {
    None: "未填报",
    Status.DRAFT: "草稿未提交",
    Status.AWAITING_SIGNOFF: "待本单位审核",
    Status.RETURNED: "已退回待修改",
}


def notice_list_for_user(*, user: Viewer) -> QuerySet[Notice]:
    """收件箱: notices to the user's unit, to its approvers if the user is one, and to the office."""
    access = access_for(user)
    mine = Q(pk__in=[])
    if access.unit_id is not None:
        mine |= Q(audience=Notice.Audience.UNIT, unit_id__in=access.unit_ids)
        if access.approver:
            mine |= Q(audience=Notice.Audience.APPROVERS, unit_id__in=access.unit_ids)
    if access.office:
        mine |= Q(audience=Notice.Audience.OFFICE)
    return Notice.objects.filter(mine).select_related("unit", "round")


def notice_counts_by_unit(*, round_: ReportingRound) -> dict[int, int]:
    """Reminders and escalations about each unit for ``round_`` (what the late list shows)."""
    kinds = [Notice.Kind.DUE_SOON, Notice.Kind.OVERDUE, Notice.Kind.ESCALATION, Notice.Kind.MANUAL]
    rows = Notice.objects.filter(round=round_, kind__in=kinds).values_list("unit_id", flat=True)
    return dict(Counter(rows))


def unread_count(*, user: User) -> int:
    return notice_list_for_user(user=user).exclude(read_by=user).count()


def notice_read_ids(*, user: User, notices: list[Notice]) -> set[int]:
    """Which of ``notices`` the user has read."""
    through = Notice.read_by.through
    return set(
        through.objects.filter(user_id=user.pk, notice_id__in=[n.pk for n in notices]).values_list(
            "notice_id", flat=True
        )
    )


# ---------------------------------------------------------------------------------- what is owed


@dataclass(frozen=True)
class PendingItem:
    """One assignment the unit still owes in a round, with its current report if it has one."""

    assignment: Assignment
    report: ProgressReport | None

    @property
    def state_zh(self) -> str:
        return _STATE_ZH.get(self.report.status if self.report else None, "")


def pending_by_unit(*, round_: ReportingRound) -> list[tuple[OrgUnit, list[PendingItem]]]:
    """Each unit that still owes reports in ``round_`` with what it owes, in the order of the register; the work
    of a unit renamed or merged is owed by the unit that carries it."""
    assignments = list(round_assignments(round_).select_related("task", "unit").order_by("unit__code", "task__number"))
    current = {r.assignment_id: r for r in ProgressReport.objects.filter(round=round_, is_current=True)}
    sent = sent_keys(rounds=[round_.pk])
    passed = successors()
    units: dict[int, OrgUnit] = {}
    owed: dict[int, list[PendingItem]] = defaultdict(list)
    for assignment in assignments:
        report = current.get(assignment.pk)
        if (round_.pk, assignment.pk) in sent or (report is not None and report.status not in PENDING):
            continue
        # A renamed or merged unit no longer reads its mail: its work is chased in the successor's name.
        unit = passed.get(assignment.unit_id, assignment.unit)
        units[unit.pk] = unit
        owed[unit.pk].append(PendingItem(assignment, report))
    return [(units[unit_id], items) for unit_id, items in owed.items()]


def latest_returns(*, reports: list[ProgressReport]) -> dict[int, ReportEvent]:
    """The latest return of each report: a second return later is a new reason to write."""
    if not reports:
        return {}
    events = ReportEvent.objects.filter(report__in=reports, action=ReportEvent.Action.RETURN).order_by("at", "pk")
    return {event.report_id: event for event in events}


# ------------------------------------------------------------------------------------ recipients


@dataclass(frozen=True)
class Recipient:
    """One address a notice goes to: an e-mail address or a webhook URL."""

    channel: str
    address: str

    def __str__(self) -> str:
        return self.address if self.channel == Delivery.Channel.EMAIL else f"推送 {self.address}"


class RecipientDirectory:
    """Who hears about a unit, read once per run: reporters, approvers, the office, the units' channels."""

    def __init__(self) -> None:
        self.reporters: dict[int, list[str]] = defaultdict(list)
        self.approvers: dict[int, list[str]] = defaultdict(list)
        self.office: list[str] = []
        self.office_units: list[int] = []
        members = Membership.objects.filter(user__is_active=True).select_related("user").order_by("user__username")
        for m in members:
            email = (m.user.email or "").strip()
            if m.reporter and email:
                self.reporters[m.unit_id].append(email)
            if m.approver and email:
                self.approvers[m.unit_id].append(email)
            if m.office:
                if email:
                    self.office.append(email)
                if m.unit_id not in self.office_units:
                    self.office_units.append(m.unit_id)
        self.channels = {c.unit_id: c for c in UnitChannel.objects.all()}

    def recipients(self, audience: str, unit: OrgUnit) -> list[Recipient]:
        channel = self.channels.get(unit.pk)
        emails: list[str] = []
        hooks: list[str] = []
        if audience == Audience.UNIT:
            emails = [*self.reporters.get(unit.pk, []), *([channel.email] if channel and channel.email else [])]
            hooks = [channel.webhook_url] if channel and channel.webhook_url else []
        elif audience == Audience.APPROVERS:
            emails = list(self.approvers.get(unit.pk, []))
            hooks = [channel.webhook_url] if channel and channel.webhook_url else []
        elif audience == Audience.OFFICE:
            emails = list(self.office)
            for unit_id in self.office_units:
                office_channel = self.channels.get(unit_id)
                if office_channel and office_channel.webhook_url:
                    hooks.append(office_channel.webhook_url)
        out: list[Recipient] = []
        seen: set[tuple[str, str]] = set()
        for channel_name, addresses in ((Delivery.Channel.EMAIL, emails), (Delivery.Channel.WEBHOOK, hooks)):
            for address in addresses:
                address = address.strip()
                # Two people sharing an address, or a member's address that is also the unit's, get one mail.
                folded = (channel_name, address.lower() if channel_name == Delivery.Channel.EMAIL else address)
                if address and folded not in seen:
                    seen.add(folded)
                    out.append(Recipient(channel_name, address))
        return out


# ---------------------------------------------------------------------------------------- sending

# A delivery claimed by a run that then died is claimable again after this long.
CLAIM_LEASE = timedelta(minutes=10)


def deliveries_sendable(*, now: datetime | None = None) -> QuerySet[Delivery]:
    """Deliveries waiting to be sent: never tried, failed, or claimed by a run longer than ``CLAIM_LEASE`` ago,
    and with tries left. A run claims one by updating it through this same condition."""
    stale = (now or timezone.now()) - CLAIM_LEASE
    waiting = Q(state__in=[Delivery.State.PENDING, Delivery.State.FAILED]) | Q(
        state=Delivery.State.SENDING, last_try_at__lt=stale
    )
    return Delivery.objects.filter(waiting, attempts__lt=settings.NOTICE_MAX_ATTEMPTS)
