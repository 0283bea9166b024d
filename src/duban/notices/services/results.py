"""What the reminder run made, or in a dry run would make, and what sending did."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings

from duban.notices.models import Notice
from duban.notices.selectors import Recipient
from duban.orgs.models import OrgUnit
from duban.reporting.models import ProgressReport, ReportingRound

Kind = Notice.Kind
Audience = Notice.Audience


@dataclass
class PlannedNotice:
    """A notice the run created (``notice`` set) or, in a dry run, would create (``notice`` None)."""

    key: str
    kind: str
    audience: str
    unit: OrgUnit
    round: ReportingRound
    subject: str
    body: str
    report: ProgressReport | None = None
    recipients: list[Recipient] = field(default_factory=list)
    notice: Notice | None = None

    @property
    def kind_zh(self) -> str:
        return str(Kind(self.kind).label)

    @property
    def audience_zh(self) -> str:
        return str(Audience(self.audience).label)


@dataclass(frozen=True)
class SendResult:
    """The outcome of one try of one delivery."""

    delivery_id: int
    notice_id: int
    channel: str
    address: str
    ok: bool
    error: str = ""
    attempts: int = 0


@dataclass
class RemindReport:
    """What ``remind_run`` did, or in a dry run would do."""

    today: date
    dry_run: bool
    notices: list[PlannedNotice] = field(default_factory=list)
    results: list[SendResult] = field(default_factory=list)
    # Deliveries that earlier runs could not send and that this run would try again (a dry run's count).
    waiting: int = 0

    @property
    def sent(self) -> int:
        return sum(1 for r in self.results if r.ok)

    @property
    def failed(self) -> list[SendResult]:
        return [r for r in self.results if not r.ok]

    @property
    def given_up(self) -> list[SendResult]:
        """Failures that will not be tried again automatically: they have used up every attempt."""
        return [r for r in self.failed if r.attempts >= settings.NOTICE_MAX_ATTEMPTS]
