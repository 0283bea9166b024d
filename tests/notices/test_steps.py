"""Every step that hands a report to someone tells them, once: the unit's approver when it awaits sign-off, the
reporter when it is sent back or returned, the lead unit when a co-unit's report reaches it. The office's
reminders say truthfully whether they were sent, reach every late unit at one click, and link absolutely."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from duban.notices.models import Notice
from duban.notices.services import inbox_link, notice_remind_units, step_notices_send
from duban.orgs.models import OrgUnit
from duban.reporting.models import ProgressReport, ReportingRound
from duban.reporting.services import (
    report_return,
    report_save,
    report_send_back,
    report_sign_off,
    report_start,
    report_submit,
)
from tests.notices.conftest import DUE, assignment

Kind = Notice.Kind
Audience = Notice.Audience


def haikou_report(cast: Any, round_: ReportingRound) -> ProgressReport:
    report = report_start(round_=round_, assignment=assignment(cast.plan, 17, "460100"), by=cast.haikou)
    report = report_save(report=report, by=cast.haikou, expected_version=report.version, fields={"done": "已培训"})
    return report_submit(report=report, by=cast.haikou, expected_version=report.version)


@pytest.mark.django_db
def test_each_hand_over_is_told_once(cast: Any, round_: ReportingRound, mailoutbox: list[Any]) -> None:
    from django.db.models import Q

    report = haikou_report(cast, round_)
    [signoff] = step_notices_send(report=report)
    assert (signoff.kind, signoff.audience, signoff.unit.code) == (Kind.SIGNOFF, Audience.APPROVERS, "460100")
    assert "任务17" in signoff.subject and f"/reports/{report.pk}/" in signoff.body
    assert [m.to for m in mailoutbox] == [["hk-approver@example.org"]]
    assert step_notices_send(report=report) == []  # once
    assert len(mailoutbox) == 1

    report = report_send_back(
        report=report, by=cast.haikou_approver, expected_version=report.version, comment="请补充培训人次"
    )
    [back] = step_notices_send(report=report)
    assert (back.kind, back.audience) == (Kind.SENT_BACK, Audience.UNIT) and "请补充培训人次" in back.body
    assert mailoutbox[-1].to == ["hk@example.org"]

    report = report_submit(report=report, by=cast.haikou, expected_version=report.version)
    step_notices_send(report=report)
    report = report_sign_off(report=report, by=cast.haikou_approver, expected_version=report.version)
    [lead] = step_notices_send(report=report)  # 省民政厅 leads task 17
    assert (lead.kind, lead.audience, lead.unit.code) == (Kind.CO_SUBMITTED, Audience.UNIT, "HI-MZT")
    assert "海口市" in lead.subject and mailoutbox[-1].to == ["mz@example.org"]

    report = report_return(report=report, by=cast.office, expected_version=report.version, comment="数据口径不一致")
    [returned] = step_notices_send(report=report)
    assert (returned.kind, returned.audience, returned.unit.code) == (Kind.RETURNED, Audience.UNIT, "460100")
    assert "数据口径不一致" in returned.body
    # The reminder run knows this return's notice and does not make another.
    from duban.notices.services import remind_run

    remind_run(today=DUE - timedelta(days=30))
    assert Notice.objects.filter(kind=Kind.RETURNED).count() == 1
    # Two sign-off requests (one per submission), the send-back, the lead's and the return.
    assert Notice.objects.filter(Q(report=report)).count() == 5


@pytest.mark.django_db
def test_links_are_absolute_with_the_sites_address(settings: Any) -> None:
    settings.SITE_URL = "https://duban.example.gov.cn"
    assert inbox_link() == "https://duban.example.gov.cn/inbox/"


@pytest.mark.django_db
def test_reminding_every_late_unit_at_once_and_again_the_same_day(
    cast: Any, round_: ReportingRound, mailoutbox: list[Any]
) -> None:
    today = DUE + timedelta(days=2)
    first = notice_remind_units(round_=round_, by=cast.office, today=today)
    assert len(first.sent) == 22 and first.already == []
    assert {n.kind for n in first.sent} == {Kind.MANUAL}
    again = notice_remind_units(round_=round_, by=cast.office, today=today, units=[OrgUnit.objects.get(code="460100")])
    assert again.sent == [] and [n.unit.code for n in again.already] == ["460100"]
