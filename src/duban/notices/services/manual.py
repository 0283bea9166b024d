"""督办催办: the office reminds one unit, at once and by every channel."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from duban.accounts.access import access_for
from duban.audit.services import audit_record
from duban.core.errors import UserError
from duban.core.users import Actor
from duban.notices.models import Notice
from duban.notices.selectors import RecipientDirectory, pending_by_unit
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


def notice_remind_unit(*, round_: ReportingRound, unit: OrgUnit, by: Actor, today: date | None = None) -> Notice:
    """督办催办: the office reminds one unit of what it owes in ``round_``, at once and by every channel.
    At most one a day per unit and round: a second click the same day returns the first notice."""
    if not access_for(by).office:
        raise PermissionDenied
    today = today or timezone.localdate()
    key = f"manual:{round_.pk}:{unit.pk}:{today.isoformat()}"
    existing = Notice.objects.filter(key=key).first()
    if existing is not None:
        return existing
    owed = {u.pk: items for u, items in pending_by_unit(round_=round_)}.get(unit.pk)
    if not owed:
        raise NothingToRemind(f"{unit.name}在“{round_.title}”中没有待报送的任务，无需催办")
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
    item.recipients = RecipientDirectory().recipients(Audience.UNIT, unit)
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
    if created:
        deliveries_send(notice=notice)
    return notice
