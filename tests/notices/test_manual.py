"""The office's one-click reminder (督办催办), the inbox, read marks and the late list's reminder count."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from duban.audit.models import AuditEntry
from duban.notices.models import Delivery, Notice
from duban.notices.selectors import notice_counts_by_unit, notice_list_for_user, unread_count
from duban.notices.services import (
    NothingToRemind,
    notice_mark_all_read,
    notice_mark_read,
    notice_remind_unit,
    remind_run,
)
from duban.orgs.models import OrgUnit
from duban.reporting.models import ProgressReport, ReportingRound
from tests.notices.conftest import DUE, UNITS_IN_ROUND, Receiver, report

Kind = Notice.Kind
Audience = Notice.Audience


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


@pytest.mark.django_db
def test_office_reminds_a_unit_once_a_day(
    cast: Any, round_: ReportingRound, mailoutbox: list[Any], receiver: Receiver
) -> None:
    from duban.notices.models import UnitChannel

    haikou = unit("460100")
    UnitChannel.objects.create(unit=haikou, webhook_url=receiver.url)
    today = DUE + timedelta(days=2)

    notice = notice_remind_unit(round_=round_, unit=haikou, by=cast.office, today=today)
    assert notice.key == f"manual:{round_.pk}:{haikou.pk}:2026-10-12"
    assert (notice.kind, notice.audience, notice.unit, notice.round) == (Kind.MANUAL, Audience.UNIT, haikou, round_)
    assert notice.subject == "【督办催办】请尽快报送2026年第3季度进展报告（已逾期 2 天）"
    assert notice.body.startswith("海口市：\n\n督办办公室提醒：本单位《")
    assert "  · 任务17　到2025年底，全省培训养老护理人员1.5万人次。（未填报）\n" in notice.body
    # Sent at once, by e-mail and to the unit's webhook.
    assert [m.to for m in mailoutbox] == [["hk@example.org"]]
    assert [p["kind"] for p in receiver.posts] == ["manual"]
    assert set(Delivery.objects.filter(notice=notice).values_list("state", flat=True)) == {Delivery.State.SENT}
    entry = AuditEntry.objects.get(action="notice_manual")
    assert entry.actor == cast.office and entry.object_id == str(notice.pk)
    assert entry.after == {
        "key": notice.key,
        "unit": "460100",
        "round": round_.pk,
        "recipients": ["hk@example.org", receiver.url],
    }

    # A second click the same day is the same reminder.
    again = notice_remind_unit(round_=round_, unit=haikou, by=cast.office, today=today)
    assert again.pk == notice.pk
    assert Notice.objects.filter(kind=Kind.MANUAL).count() == 1
    assert len(mailoutbox) == 1 and len(receiver.posts) == 1
    assert AuditEntry.objects.filter(action="notice_manual").count() == 1

    # The next day it may be sent again. Only the unit reminded hears of it.
    tomorrow = notice_remind_unit(round_=round_, unit=haikou, by=cast.office, today=today + timedelta(days=1))
    assert tomorrow.pk != notice.pk and tomorrow.key.endswith(":2026-10-13")
    assert [m.to for m in mailoutbox] == [["hk@example.org"], ["hk@example.org"]]


@pytest.mark.django_db
def test_manual_reminder_defaults_to_today(cast: Any, round_: ReportingRound) -> None:
    from django.utils import timezone

    notice = notice_remind_unit(round_=round_, unit=unit("460200"), by=cast.office)
    assert notice.key.endswith(f":{timezone.localdate().isoformat()}")
    assert not Delivery.objects.filter(notice=notice).exists()  # 三亚's reporter has no address: inbox only


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["leader", "haikou", "haikou_approver", "minzheng_approver", "sanya"])
def test_only_the_office_may_remind(cast: Any, round_: ReportingRound, who: str, mailoutbox: list[Any]) -> None:
    with pytest.raises(PermissionDenied):
        notice_remind_unit(round_=round_, unit=unit("460100"), by=getattr(cast, who), today=DUE)
    assert Notice.objects.count() == 0 and mailoutbox == []


@pytest.mark.django_db
def test_a_unit_that_owes_nothing_is_not_reminded(cast: Any, round_: ReportingRound) -> None:
    report(round_, cast.plan, 17, "460100", ProgressReport.Status.SUBMITTED, cast.haikou)
    with pytest.raises(NothingToRemind, match="海口市在“2026年第3季度”中没有待报送的任务"):
        notice_remind_unit(round_=round_, unit=unit("460100"), by=cast.office, today=DUE)
    # A unit with no assignment in the round owes nothing either.
    with pytest.raises(NothingToRemind):
        notice_remind_unit(round_=round_, unit=unit("HI-TJJ"), by=cast.office, today=DUE)
    assert Notice.objects.count() == 0


@pytest.mark.django_db
def test_the_late_list_counts_reminders_not_returns(cast: Any, round_: ReportingRound) -> None:
    hk, mz = unit("460100"), unit("HI-MZT")
    assert notice_counts_by_unit(round_=round_) == {}
    remind_run(today=DUE - timedelta(days=1))
    remind_run(today=DUE + timedelta(days=7))
    notice_remind_unit(round_=round_, unit=hk, by=cast.office, today=DUE + timedelta(days=7))
    counts = notice_counts_by_unit(round_=round_)
    assert len(counts) == UNITS_IN_ROUND
    # due soon, overdue, escalation to the approvers and to the office, and the office's own reminder
    assert counts[hk.pk] == 5
    assert counts[mz.pk] == 4
    # Another round's notices are not this round's.
    other = ReportingRound.objects.create(
        plan=cast.plan, title="专项", kind="adhoc", period="2026Q4", opens=date(2026, 10, 1), due=date(2026, 12, 1)
    )
    assert notice_counts_by_unit(round_=other) == {}


@pytest.mark.django_db
def test_inbox_shows_each_reader_their_notices(cast: Any, round_: ReportingRound) -> None:
    remind_run(today=DUE + timedelta(days=7))
    hk = unit("460100")

    def seen(user: Any) -> set[tuple[str, str]]:
        return {(n.kind, n.audience) for n in notice_list_for_user(user=user).filter(unit=hk)}

    assert seen(cast.haikou) == {(Kind.OVERDUE, Audience.UNIT)}
    assert seen(cast.haikou_approver) == {(Kind.OVERDUE, Audience.UNIT), (Kind.ESCALATION, Audience.APPROVERS)}
    assert seen(cast.office) == {(Kind.ESCALATION, Audience.OFFICE)}
    assert seen(cast.sanya) == set()
    # The office sees every escalation, and as a member of 省发展改革委 (which owes task 39) its unit's own notice.
    assert notice_list_for_user(user=cast.office).count() == UNITS_IN_ROUND + 1

    assert unread_count(user=cast.haikou_approver) == 2
    notice = notice_list_for_user(user=cast.haikou_approver).get(audience=Audience.APPROVERS)
    notice_mark_read(notice=notice, user=cast.haikou_approver)
    notice_mark_read(notice=notice, user=cast.haikou_approver)  # twice is once
    assert unread_count(user=cast.haikou_approver) == 1
    assert list(notice.read_by.all()) == [cast.haikou_approver]
    assert unread_count(user=cast.haikou) == 1

    # 三亚 may not touch 海口's notice, nor 海口's reporter the approvers' one.
    for outsider in (cast.sanya, cast.haikou):
        with pytest.raises(PermissionDenied):
            notice_mark_read(notice=notice, user=outsider)
    assert list(notice.read_by.all()) == [cast.haikou_approver]


@pytest.mark.django_db
def test_mark_all_read_marks_only_the_readers_own(cast: Any, round_: ReportingRound) -> None:
    remind_run(today=DUE + timedelta(days=7))
    assert unread_count(user=cast.office) == UNITS_IN_ROUND + 1
    assert notice_mark_all_read(user=cast.office) == UNITS_IN_ROUND + 1
    assert unread_count(user=cast.office) == 0
    assert notice_mark_all_read(user=cast.office) == 0
    # Others' marks are their own: 海口's approver still has both notices to read.
    assert unread_count(user=cast.haikou_approver) == 2
    assert Notice.read_by.through.objects.count() == UNITS_IN_ROUND + 1
