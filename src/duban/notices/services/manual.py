"""督办催办: the office reminds one unit, at once and by every channel."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from duban.accounts.access import access_for
from duban.audit.services import audit_record
from duban.core.errors import UserError
from duban.core.users import Actor
from duban.notices.models import Notice
from duban.notices.selectors import PendingItem, RecipientDirectory, pending_by_unit
from duban.notices.services.results import PlannedNotice
from duban.notices.services.run import notice_create
from duban.notices.services.sending import deliveries_send
from duban.notices.services.wording import days_zh, owed_body, tail
from duban.orgs.models import OrgUnit
from duban.reporting.models import ReportingRound

Kind = Notice.Kind
Audience = Notice.Audience


class NothingToRemind(UserError):
    """The unit owes nothing in the round: there is nothing to remind it of."""


@dataclass
class Reminders:
    """What the office's reminder did: the notices sent now, and those already sent today and not again."""

    sent: list[Notice] = field(default_factory=list)
    already: list[Notice] = field(default_factory=list)


def notice_remind_unit(*, round_: ReportingRound, unit: OrgUnit, by: Actor, today: date | None = None) -> Notice:
    """督办催办: the office reminds one unit of what it owes in ``round_``, at once and by every channel.
    At most one a day per unit and round: a second click the same day returns the first notice."""
    done = notice_remind_units(round_=round_, by=by, units=[unit], today=today)
    return (done.sent or done.already)[0]


def notice_remind_units(
    *, round_: ReportingRound, by: Actor, units: list[OrgUnit] | None = None, today: date | None = None
) -> Reminders:
    """督办催办 for ``units``, or for every unit that still owes reports in ``round_`` (the late list's
    “全部催办”): each at most once a day, sent at once. A unit that owes nothing is refused when named, and
    passed over when the whole list is reminded."""
    if not access_for(by).office:
        raise PermissionDenied
    today = today or timezone.localdate()
    owing = dict((u.pk, (u, items)) for u, items in pending_by_unit(round_=round_))
    if units is None:
        chosen = list(owing.values())
    else:
        chosen = []
        for unit in units:
            key = f"manual:{round_.pk}:{unit.pk}:{today.isoformat()}"
            if unit.pk not in owing and not Notice.objects.filter(key=key).exists():
                raise NothingToRemind(f"{unit.name}在“{round_.title}”中没有待报送的任务，无需催办")
            chosen.append(owing.get(unit.pk, (unit, [])))
    done = Reminders()
    directory = RecipientDirectory()
    for unit, owed in chosen:
        notice, created = _remind(round_, unit, owed, by, today, directory)
        (done.sent if created else done.already).append(notice)
    for notice in done.sent:
        deliveries_send(notice=notice)
    return done


def _remind(
    round_: ReportingRound,
    unit: OrgUnit,
    owed: list[PendingItem],
    by: Actor,
    today: date,
    directory: RecipientDirectory,
) -> tuple[Notice, bool]:
    key = f"manual:{round_.pk}:{unit.pk}:{today.isoformat()}"
    existing = Notice.objects.filter(key=key).first()
    if existing is not None:
        return existing, False
    days_left = (round_.due - today).days
    item = PlannedNotice(
        key=key,
        kind=Kind.MANUAL,
        audience=Audience.UNIT,
        unit=unit,
        round=round_,
        subject=f"【督办催办】请尽快报送{round_.title}进展报告（{days_zh(days_left)}）",
        body=owed_body(unit.name, "督办办公室提醒：本单位", round_, owed, days_left)
        + tail("请尽快登录督办平台填报并报送。"),
    )
    item.recipients = directory.recipients(Audience.UNIT, unit)
    with transaction.atomic():
        notice, created = notice_create(item)
        if created:
            audit_record(
                actor=by,
                action="notice_manual",
                obj=notice,
                after={
                    "key": key,
                    "unit": unit.code,
                    "round": round_.pk,
                    "recipients": [r.address for r in item.recipients],
                },
            )
    return notice, created
