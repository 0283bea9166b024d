"""The reminder run (催报): who is reminded of what on which day, exactly once, and what a dry run leaves
behind (nothing). The round is task 17 and task 39 of the seed plan, due 2026-10-10: 22 units (see conftest)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail

from duban.audit.models import AuditEntry
from duban.notices.models import Delivery, Notice
from duban.notices.services import inbox_link, remind_run
from duban.orgs.models import OrgUnit
from duban.reporting.models import ProgressReport, ReportEvent, ReportingRound
from duban.reporting.services import report_return, report_save, report_sign_off, report_start, report_submit
from tests.notices.conftest import DUE, UNITS_IN_ROUND, assignment, report

Kind = Notice.Kind
Audience = Notice.Audience
Status = ProgressReport.Status


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def keys(kind: str) -> set[str]:
    return set(Notice.objects.filter(kind=kind).values_list("key", flat=True))


def day(offset: int) -> date:
    """The day ``offset`` days after the due date (before it if negative)."""
    return DUE + timedelta(days=offset)


@pytest.mark.django_db
def test_due_soon_at_three_days_and_not_at_four(cast: Any, round_: ReportingRound, mailoutbox: list[Any]) -> None:
    # A round that has not opened yet is nobody's business, even though it is due in two days.
    adhoc = ReportingRound.objects.create(
        plan=cast.plan, title="专项", kind="adhoc", period="2026Q4", opens=day(-2), due=day(-1)
    )

    assert remind_run(today=day(-4)).notices == []
    assert Notice.objects.count() == 0 and mailoutbox == []

    report_ = remind_run(today=day(-3))
    assert len(report_.notices) == UNITS_IN_ROUND
    assert {(n.kind, n.audience) for n in report_.notices} == {(Kind.DUE_SOON, Audience.UNIT)}
    assert Notice.objects.count() == UNITS_IN_ROUND
    haikou = unit("460100")
    assert f"due_soon:{round_.pk}:{haikou.pk}" in keys(Kind.DUE_SOON)

    notice = Notice.objects.get(unit=haikou)
    assert notice.subject == "【提醒】2026年第3季度进展报告将于 10月10日截止（还剩 3 天）"
    assert notice.round == round_ and notice.report is None
    assert notice.body == (
        "海口市：\n\n"
        f"本单位《{cast.plan.title}》2026年第3季度进展报告的截止日期为 2026年10月10日，还剩 3 天。"
        "以下 1 项任务尚未报送：\n\n"
        "  · 任务17　到2025年底，全省培训养老护理人员1.5万人次。（未填报）\n"
        "\n请在截止日期前登录督办平台填报并报送。\n"
        f"查看：{inbox_link()}\n\n—— 督办平台（系统自动发送，请勿回复）"
    )
    # 省民政厅 owes both tasks, in one notice.
    minzheng = Notice.objects.get(unit__code="HI-MZT")
    assert "以下 2 项任务尚未报送" in minzheng.body
    assert "  · 任务17　到2025年底，全省培训养老护理人员1.5万人次。（未填报）\n" in minzheng.body
    # A long task is cut to its first 30 characters: the number identifies it, the words remind.
    assert "  · 任务39　建立“一老一小”服务能力评价机制，加强对本方案落实情况的跟踪…（未填报）\n" in minzheng.body

    # Reporters with an address hear of it: 民政厅's and 海口's. 三亚's reporter has none; 21 units have no
    # users at all, and their notices wait in the inbox.
    assert sorted(m.to[0] for m in mailoutbox) == ["hk@example.org", "mz@example.org"]
    assert all(len(m.to) == 1 for m in mailoutbox)
    hk_mail = next(m for m in mailoutbox if m.to == ["hk@example.org"])
    assert hk_mail.subject == notice.subject and hk_mail.body == notice.body
    assert Delivery.objects.count() == 2
    assert set(Delivery.objects.values_list("state", "attempts")) == {(Delivery.State.SENT, 1)}
    assert [r.ok for r in report_.results] == [True, True]

    # The days up to the due date bring nothing new about this round; the due date itself is still "due
    # soon", not overdue.
    for offset in (-2, -1, 0):
        assert [n for n in remind_run(today=day(offset)).notices if n.round == round_] == []
    assert Notice.objects.filter(round=round_).count() == UNITS_IN_ROUND
    # The ad-hoc round, once open, names no tasks and so concerns every one of the plan's 56 units.
    # It is due soon on day -2 and overdue on day 0: two e-mails each time, to 民政厅 and 海口.
    assert Notice.objects.filter(round=adhoc, kind=Kind.DUE_SOON).count() == 56
    assert Notice.objects.filter(round=adhoc, kind=Kind.OVERDUE).count() == 56
    assert len(mailoutbox) == 6


@pytest.mark.django_db
def test_due_today_says_so(cast: Any, round_: ReportingRound) -> None:
    remind_run(today=day(0))
    notice = Notice.objects.get(unit__code="460100")
    assert notice.kind == Kind.DUE_SOON
    assert notice.subject == "【提醒】2026年第3季度进展报告今天截止"
    assert "截止日期为 2026年10月10日，今天截止。" in notice.body


@pytest.mark.django_db
def test_overdue_then_escalation_at_seven_days_and_not_at_six(
    cast: Any, round_: ReportingRound, mailoutbox: list[Any]
) -> None:
    cast.office.email = "office@example.org"
    cast.office.save()

    first = remind_run(today=day(1))
    assert len(first.notices) == UNITS_IN_ROUND
    assert {n.kind for n in first.notices} == {Kind.OVERDUE}
    haikou = Notice.objects.get(unit__code="460100")
    assert haikou.key == f"overdue:{round_.pk}:{unit('460100').pk}"
    assert haikou.subject == "【催报】2026年第3季度进展报告已逾期 1 天"
    assert "截止日期为 2026年10月10日，已逾期 1 天。" in haikou.body
    assert sorted(m.to[0] for m in mailoutbox) == ["hk@example.org", "mz@example.org"]

    assert remind_run(today=day(6)).notices == []
    assert Notice.objects.filter(kind=Kind.ESCALATION).count() == 0

    seventh = remind_run(today=day(7))
    assert len(seventh.notices) == 2 * UNITS_IN_ROUND
    assert {(n.kind, n.audience) for n in seventh.notices} == {
        (Kind.ESCALATION, Audience.APPROVERS),
        (Kind.ESCALATION, Audience.OFFICE),
    }
    hk = unit("460100")
    assert {f"escalation:approvers:{round_.pk}:{hk.pk}", f"escalation:office:{round_.pk}:{hk.pk}"} <= keys(
        Kind.ESCALATION
    )
    to_office = Notice.objects.get(kind=Kind.ESCALATION, audience=Audience.OFFICE, unit=hk)
    assert to_office.subject == "【督办】海口市2026年第3季度进展报告已逾期 7 天"
    assert to_office.body.startswith("督办办公室：\n\n海口市《")
    assert "请督促该单位尽快报送。" in to_office.body
    to_approvers = Notice.objects.get(kind=Kind.ESCALATION, audience=Audience.APPROVERS, unit=hk)
    assert to_approvers.body.startswith("海口市审核人：\n\n")

    # New mail on day 7: 海口's approver (民政厅's has no address) and the office, once per late unit.
    new = [m.to[0] for m in mailoutbox[2:]]
    assert new.count("hk-approver@example.org") == 1
    assert new.count("office@example.org") == UNITS_IN_ROUND
    assert len(new) == UNITS_IN_ROUND + 1

    assert remind_run(today=day(30)).notices == []
    assert Notice.objects.count() == 3 * UNITS_IN_ROUND


@pytest.mark.django_db
def test_a_late_first_run_sends_overdue_and_escalation_together(cast: Any, round_: ReportingRound) -> None:
    report_ = remind_run(today=day(10))
    assert len(report_.notices) == 3 * UNITS_IN_ROUND
    assert (
        Notice.objects.get(kind=Kind.OVERDUE, unit__code="460100").subject
        == "【催报】2026年第3季度进展报告已逾期 10 天"
    )


@pytest.mark.django_db
def test_units_that_have_reported_get_nothing(cast: Any, round_: ReportingRound) -> None:
    plan = cast.plan
    report(round_, plan, 17, "460100", Status.SUBMITTED, cast.haikou)
    report(round_, plan, 17, "469005", Status.ACCEPTED, cast.office)
    report(round_, plan, 39, "HI-MZT", Status.ACCEPTED, cast.minzheng)  # 民政厅 still owes task 17
    report(round_, plan, 17, "HI-MZT", Status.DRAFT, cast.minzheng)
    report(round_, plan, 17, "460200", Status.AWAITING_SIGNOFF, cast.sanya)  # signed off by nobody yet: owed
    # A superseded revision does not count, only the current one.
    old = report(round_, plan, 39, "HI-WJW", Status.SUBMITTED, cast.office)
    old.is_current = False
    old.save()

    remind_run(today=day(2))
    late = set(Notice.objects.values_list("unit__code", flat=True))
    assert len(late) == UNITS_IN_ROUND - 2
    assert "460100" not in late and "469005" not in late and "HI-WJW" in late
    minzheng = Notice.objects.get(unit__code="HI-MZT")
    assert "以下 1 项任务尚未报送" in minzheng.body
    assert "任务17　到2025年底，全省培训养老护理人员1.5万人次。（草稿未提交）" in minzheng.body
    assert "任务39" not in minzheng.body
    assert "（待本单位审核）" in Notice.objects.get(unit__code="460200").body


@pytest.mark.django_db
def test_returned_report_is_reminded_once_per_return(cast: Any, round_: ReportingRound, mailoutbox: list[Any]) -> None:
    draft = report_start(round_=round_, assignment=assignment(cast.plan, 39, "HI-MZT"), by=cast.minzheng)

    def submit_and_return(comment: str) -> ProgressReport:
        current = ProgressReport.objects.get(pk=draft.pk)
        current = report_save(
            report=current,
            by=cast.minzheng,
            expected_version=current.version,
            fields={"progress": "in_progress", "done": "已起草评价办法"},
        )
        current = report_submit(report=current, by=cast.minzheng, expected_version=current.version)
        current = report_sign_off(report=current, by=cast.minzheng_approver, expected_version=current.version)
        return report_return(report=current, by=cast.office, expected_version=current.version, comment=comment)

    returned = submit_and_return("请补充评价指标和时间安排")
    event = ReportEvent.objects.filter(report=returned, action=ReportEvent.Action.RETURN).get()

    # Mid-August: nothing is due, so the return is the only reason to write.
    created = remind_run(today=date(2026, 8, 15)).notices
    assert [(n.key, n.kind, n.audience, n.unit.code) for n in created] == [
        (f"returned:{event.pk}", Kind.RETURNED, Audience.UNIT, "HI-MZT")
    ]
    notice = Notice.objects.get()
    assert notice.report == returned and notice.round == round_
    assert notice.subject == "【退回】2026年第3季度任务39进展报告被退回，请修改后重新报送"
    assert "退回意见：请补充评价指标和时间安排" in notice.body
    assert "本轮截止日期为 2026年10月10日，还剩 56 天。" in notice.body
    assert [m.to for m in mailoutbox] == [["mz@example.org"]]

    assert remind_run(today=date(2026, 8, 16)).notices == []

    # Corrected, sent again and returned again: a new return, a new notice.
    again = submit_and_return("评价指标仍需细化")
    second = ReportEvent.objects.filter(report=again, action=ReportEvent.Action.RETURN).latest("pk")
    created = remind_run(today=date(2026, 8, 20)).notices
    assert [n.key for n in created] == [f"returned:{second.pk}"]
    assert "退回意见：评价指标仍需细化" in created[0].body
    assert len(mailoutbox) == 2

    # Once resubmitted, the report is no longer owed and nothing more is said about it.
    current = ProgressReport.objects.get(pk=draft.pk)
    current = report_save(report=current, by=cast.minzheng, expected_version=current.version, fields={"done": "已细化"})
    current = report_submit(report=current, by=cast.minzheng, expected_version=current.version)
    report_sign_off(report=current, by=cast.minzheng_approver, expected_version=current.version)
    assert remind_run(today=date(2026, 8, 25)).notices == []
    overdue = remind_run(today=day(1))
    assert "任务39" not in Notice.objects.get(kind=Kind.OVERDUE, unit__code="HI-MZT").body
    assert len(overdue.notices) == UNITS_IN_ROUND


@pytest.mark.django_db
def test_running_twice_creates_and_sends_nothing_new(cast: Any, round_: ReportingRound, mailoutbox: list[Any]) -> None:
    cast.office.email = "office@example.org"
    cast.office.save()
    first = remind_run(today=day(8))
    assert len(first.notices) == 3 * UNITS_IN_ROUND
    sent = len(mailoutbox)
    # unit: hk, mz; approvers: hk-approver; office: one per unit
    assert sent == 3 + UNITS_IN_ROUND
    deliveries = Delivery.objects.count()
    assert deliveries == sent

    second = remind_run(today=day(8))
    assert second.notices == [] and second.results == []
    assert len(mailoutbox) == sent
    assert Notice.objects.count() == 3 * UNITS_IN_ROUND
    assert Delivery.objects.count() == deliveries
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {1}


@pytest.mark.django_db
def test_dry_run_writes_and_sends_nothing(cast: Any, round_: ReportingRound, mailoutbox: list[Any]) -> None:
    audit_before = AuditEntry.objects.count()
    report_ = remind_run(today=day(7), dry_run=True)
    assert report_.dry_run
    assert len(report_.notices) == 3 * UNITS_IN_ROUND
    assert all(n.notice is None for n in report_.notices)
    haikou = next(n for n in report_.notices if n.unit.code == "460100" and n.kind == Kind.OVERDUE)
    assert [(r.channel, r.address) for r in haikou.recipients] == [("email", "hk@example.org")]
    assert haikou.subject == "【催报】2026年第3季度进展报告已逾期 7 天"
    assert report_.results == [] and report_.waiting == 0
    assert Notice.objects.count() == 0 and Delivery.objects.count() == 0
    assert mailoutbox == [] and AuditEntry.objects.count() == audit_before

    # What the dry run promised is what the real run does.
    real = remind_run(today=day(7))
    assert [n.key for n in real.notices] == [n.key for n in report_.notices]
    assert AuditEntry.objects.filter(action="notice_remind_run").count() == 1


@pytest.mark.django_db
def test_dry_run_counts_deliveries_waiting_for_a_retry(cast: Any, round_: ReportingRound, settings: Any) -> None:
    settings.EMAIL_BACKEND = "tests.notices.conftest.RefusingBackend"
    remind_run(today=day(1))
    assert Delivery.objects.filter(state=Delivery.State.FAILED).count() == 2
    assert remind_run(today=day(2), dry_run=True).waiting == 2
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {1}


@pytest.mark.django_db
def test_inactive_users_and_empty_addresses_get_no_mail(cast: Any, round_: ReportingRound) -> None:
    from duban.notices.models import UnitChannel

    cast.haikou.is_active = False
    cast.haikou.save()
    UnitChannel.objects.create(unit=unit("460100"), email="HK@example.org ")
    UnitChannel.objects.create(unit=unit("HI-MZT"), email="MZ@example.org")  # the reporter's, in capitals
    remind_run(today=day(1))
    assert set(Delivery.objects.filter(notice__unit__code="460100").values_list("address", flat=True)) == {
        "HK@example.org"
    }
    assert list(Delivery.objects.filter(notice__unit__code="HI-MZT").values_list("address", flat=True)) == [
        "mz@example.org"
    ]
    assert mail.outbox and all(len(m.to) == 1 for m in mail.outbox)


@pytest.mark.django_db
def test_quarterly_rounds_of_the_schedule(cast: Any) -> None:
    from duban.reporting.services import rounds_schedule

    # 2021Q1 is due on 10 April, 2021Q2 on 10 July; on 17 April the first is a week late and the second open.
    rounds_schedule(plan=cast.plan, until=date(2021, 6, 30))
    report_ = remind_run(today=date(2021, 4, 17))
    # Every one of the plan's 56 units owes the first quarter: overdue, and escalated to approvers and office.
    assert len(report_.notices) == 3 * 56
    assert {n.round.period for n in report_.notices} == {"2021Q1"}
    assert (
        Notice.objects.get(kind=Kind.OVERDUE, unit__code="460100").subject == "【催报】2021年第1季度进展报告已逾期 7 天"
    )
    # The second quarter comes due on 7 July.
    report_ = remind_run(today=date(2021, 7, 7))
    assert len(report_.notices) == 56 and {n.kind for n in report_.notices} == {Kind.DUE_SOON}


@pytest.mark.django_db
def test_a_plan_replaced_by_a_revision_is_not_chased(cast: Any, round_: ReportingRound) -> None:
    from duban.plans.models import Plan

    assert remind_run(today=date(2026, 10, 12), dry_run=True).notices  # owed while the plan is current
    Plan.objects.create(
        title=cast.plan.title,
        region=cast.plan.region,
        source_name="revised.txt",
        source_sha256="0" * 64,
        revision=2,
        previous=cast.plan,
    )
    assert remind_run(today=date(2026, 10, 12), dry_run=True).notices == []


@pytest.mark.django_db
def test_a_run_adds_the_current_quarters_round_to_plans_that_run_rounds(cast: Any) -> None:
    from duban.reporting.services import rounds_schedule

    assert remind_run(today=date(2025, 10, 12)).notices == []
    assert not ReportingRound.objects.exists()  # a plan nobody reports on is left alone
    rounds_schedule(plan=cast.plan, until=date(2025, 6, 30), since=date(2025, 4, 1))
    remind_run(today=date(2025, 10, 12), dry_run=True)
    assert ReportingRound.objects.count() == 1  # a dry run creates nothing
    remind_run(today=date(2025, 10, 12))
    periods = set(ReportingRound.objects.values_list("period", flat=True))
    assert periods == {"2025Q2", "2025Q4"}  # today's quarter; the quarter missed in between is not made late
