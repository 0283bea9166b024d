"""Task status (任务状态) against the database: what each report's state counts as, who may read the late units'
names, accepted completion feeding the milestones, closure, and ``duban tasks``."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from duban.accounts.services import user_create
from duban.cli import main
from duban.core.errors import UserError
from duban.orgs.models import OrgUnit
from duban.plans.models import Assignment
from duban.reporting.models import ReportingRound
from duban.reporting.selectors import (
    figure_elements,
    milestones_done,
    round_last_due,
    round_named,
    task_status_list,
)
from duban.reporting.services import (
    report_accept,
    report_correct,
    report_return,
    report_save,
    report_sign_off,
    report_start,
    report_submit,
    task_close,
)

AFTER_DUE = date(2022, 11, 1)  # the 2022Q3 round fell due on 2022-10-10
BEFORE_DUE = date(2022, 10, 5)


def sent(cast: Any, round_: ReportingRound, number: int, code: str, by: Any, approver: Any, **fields: Any) -> Any:
    """A report written, submitted and signed off: it has reached the reviewers."""
    a = Assignment.objects.get(task__plan=cast.plan, task__number=number, unit__code=code)
    report = report_start(round_=round_, assignment=a, by=by)
    figures = {code: 1000 for code in figure_elements(a, round_)}
    values = {"progress": "in_progress", "done": "（测试）推进了相关工作", "next_steps": "继续", "figures": figures}
    values |= fields
    report = report_save(report=report, by=by, expected_version=report.version, fields=values)
    report = report_submit(report=report, by=by, expected_version=report.version)
    if approver is not None:
        report = report_sign_off(report=report, by=approver, expected_version=report.version)
    return report


def status_of(user: Any, cast: Any, round_: ReportingRound, number: int, today: date = AFTER_DUE) -> Any:
    return next(
        r for r in task_status_list(user=user, plan=cast.plan, round_=round_, today=today) if r.task.number == number
    )


@pytest.mark.django_db
def test_every_task_has_a_status_and_the_late_units_are_named_for_the_office(cast: Any, round_: ReportingRound) -> None:
    rows = task_status_list(user=cast.office, plan=cast.plan, round_=round_, today=AFTER_DUE)
    assert len(rows) == 39 and all(r.status == "late" for r in rows)
    task39 = next(r for r in rows if r.task.number == 39)  # no jurisdictions: its departments are named
    assert "省发展改革委" in task39.judged.reason_zh or "逾期未报" in task39.judged.reason_zh
    assert status_of(cast.office, cast, round_, 6).judged.reason_zh.startswith("省民政厅、19 个市县逾期未报")
    # Before the due date nobody is late yet.
    early = status_of(cast.office, cast, round_, 6, today=BEFORE_DUE)
    assert early.status == "awaiting" and early.judged.reason_zh == "已报 0/20，截止2022年10月10日"


@pytest.mark.django_db
def test_a_county_reporter_sees_counts_not_names_except_for_a_task_its_unit_leads(
    cast: Any, round_: ReportingRound
) -> None:
    haikou = status_of(cast.haikou, cast, round_, 6)
    assert haikou.status == "late" and haikou.judged.reason_zh.startswith("1 个单位、19 个市县逾期未报")
    # 省民政厅 leads task 6: its people read their co-units' reports, and so who is late.
    assert status_of(cast.minzheng, cast, round_, 6).judged.reason_zh.startswith("省民政厅、19 个市县")
    assert status_of(cast.leader, cast, round_, 6).judged.reason_zh.startswith("省民政厅、19 个市县")


@pytest.mark.django_db
def test_what_each_report_state_counts_as(cast: Any, round_: ReportingRound) -> None:
    # A draft and a report awaiting its unit's sign-off have not left the unit: still late.
    a = Assignment.objects.get(task__plan=cast.plan, task__number=6, unit__code="460100")
    draft = report_start(round_=round_, assignment=a, by=cast.haikou)
    report_save(
        report=draft, by=cast.haikou, expected_version=draft.version, fields={"progress": "blocked", "done": "x"}
    )
    row = status_of(cast.office, cast, round_, 6)
    assert row.judged.sent == 0 and "海口" not in [r.name for r in row.judged.blocked]
    # The lead unit's report, sent with an obstacle, makes the task blocked.
    lead = sent(cast, round_, 6, "HI-MZT", cast.minzheng, cast.minzheng_approver, progress="blocked", problems="缺地")
    row = status_of(cast.office, cast, round_, 6)
    assert row.status == "blocked" and row.judged.reason_zh.startswith("省民政厅报受阻")
    # Returned: the unit must report again.
    report_return(report=lead, by=cast.office, expected_version=lead.version, comment="请补充")
    row = status_of(cast.office, cast, round_, 6)
    assert [r.code for r in row.judged.returned] == ["HI-MZT"]
    assert "省民政厅被退回待重报" in row.judged.reason_zh


@pytest.mark.django_db
def test_an_accepted_report_stands_while_its_correction_is_under_way(cast: Any, round_: ReportingRound) -> None:
    lead = sent(cast, round_, 38, "HI-MZT", cast.minzheng, cast.minzheng_approver)
    lead = report_accept(report=lead, by=cast.office, expected_version=lead.version)
    report_correct(report=lead, by=cast.minzheng)
    row = status_of(cast.office, cast, round_, 38)
    assert "HI-MZT" not in [r.code for r in row.judged.late]
    assert status_of(cast.office, cast, round_, 38).judged.accepted == 1


@pytest.mark.django_db
def test_a_task_reported_done_and_accepted_has_its_milestone_done(cast: Any, round_: ReportingRound) -> None:
    # Task 19, 到2022年底全面建立特殊困难老年人居家探访制度, is led by 省民政厅 and 省卫生健康委 together.
    wjw = user_create(username="wjw", password="pw-wjw", unit=OrgUnit.objects.get(code="HI-WJW"), roles=["reporter"])
    for code, by, approver in (("HI-MZT", cast.minzheng, cast.minzheng_approver), ("HI-WJW", wjw, None)):
        report = sent(cast, round_, 19, code, by, approver, progress="completed")
        report_accept(report=report, by=cast.office, expected_version=report.version)
    task_id = Assignment.objects.get(task__plan=cast.plan, task__number=19, unit__code="HI-MZT").task_id
    assert milestones_done(plan=cast.plan) == {task_id: date(2022, 9, 30)}
    # Judged years after its deadline, the milestone is done, not 逾期未完成.
    row = status_of(cast.office, cast, round_, 19, today=date(2025, 12, 31))
    assert [t.status for t in row.targets] == ["achieved"]
    assert "牵头单位报已完成并经审核" in row.judged.reason_zh
    assert row.status == "late"  # the co-units and the counties still owe their reports


@pytest.mark.django_db
def test_one_lead_saying_done_does_not_complete_a_task_with_two(cast: Any, round_: ReportingRound) -> None:
    report = sent(cast, round_, 19, "HI-MZT", cast.minzheng, cast.minzheng_approver, progress="completed")
    report_accept(report=report, by=cast.office, expected_version=report.version)
    assert milestones_done(plan=cast.plan) == {}


@pytest.mark.django_db
def test_a_closed_task_is_closed_whatever_else(cast: Any, round_: ReportingRound) -> None:
    from django.utils import timezone

    task = Assignment.objects.get(task__plan=cast.plan, task__number=38, unit__code="HI-MZT").task
    task_close(task=task, by=cast.office, reason="已完成")
    row = status_of(cast.office, cast, round_, 38, today=timezone.localdate())
    assert row.status == "closed" and row.judged.reason_zh.startswith(f"已于{timezone.localdate().year}年")


@pytest.mark.django_db
def test_the_default_round_is_the_latest_one_due(cast: Any, round_: ReportingRound) -> None:
    assert round_last_due(plan=cast.plan, today=AFTER_DUE) == round_
    assert round_named(plan=cast.plan, name="2022q3") == round_
    with pytest.raises(UserError, match="2022Q3"):
        round_named(plan=cast.plan, name="2030Q1")


@pytest.mark.django_db
def test_the_task_statuses_cost_a_fixed_number_of_queries(
    cast: Any, round_: ReportingRound, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from duban.core import dataversion

    # Every call reads the data version, so that the counts do not depend on how fast the test runs.
    monkeypatch.setattr(dataversion, "TRUST_SECONDS", -1.0)

    def count() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            task_status_list(user=cast.office, plan=cast.plan, round_=round_, today=AFTER_DUE)
        return len(queries)

    # A round with a closed task reads who had already reported (``round_assignments``): close one from the start.
    task_close(
        task=Assignment.objects.get(task__plan=cast.plan, task__number=38, unit__code="HI-MZT").task,
        by=cast.office,
        reason="已完成",
    )
    count()  # the user's access and the plan's region are read once and kept
    before = count()
    for number in range(1, 30):
        sent(cast, round_, number, "460100", cast.haikou, cast.haikou_approver)
    lead = sent(cast, round_, 6, "HI-MZT", cast.minzheng, cast.minzheng_approver, progress="completed")
    report_accept(report=lead, by=cast.office, expected_version=lead.version)
    # the beds target was missed: the office closes the task over the indicator check
    task_close(task=lead.assignment.task, by=cast.office, reason="已完成", override=True)
    assert count() == before


@pytest.mark.django_db
def test_duban_tasks_prints_every_task_as_json(
    cast: Any, round_: ReportingRound, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["tasks", "--round", "2022Q3", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 39
    six = rows[5]
    assert list(six) == [
        "number",
        "text",
        "status",
        "status_zh",
        "group",
        "reason",
        "reason_en",
        "units_late",
        "units_returned",
        "units_blocked",
        "reports",
        "targets",
        "lead",
        "round",
        "round_title",
        "due",
        "as_of",
    ]
    assert six["number"] == 6 and six["lead"] == ["HI-MZT"] and six["round"] == "2022Q3"
    assert six["units_late"][0] == {"code": "HI-MZT", "name": "海南省民政厅", "role": "lead"}
    assert six["reports"] == {"owed": 20, "sent": 0, "accepted": 0}
    assert six["as_of"] == "2022-09-30"
    assert main(["tasks", "--round", "2030Q1"]) == 2
    assert "no reporting round '2030Q1'" in capsys.readouterr().err
    assert main(["tasks"]) == 0
    assert "逾期未报" in capsys.readouterr().out
