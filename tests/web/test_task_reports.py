"""The task page's 各单位报送: each unit's report for the round (state, text, figures, evidence, when, review) to
those who may read it, a count for the rest, and the earlier rounds as a timeline; queries that do not grow."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from duban.plans.models import Assignment
from duban.reporting.models import ReportingRound
from duban.reporting.selectors import figure_elements
from duban.reporting.services import (
    report_return,
    report_save,
    report_sign_off,
    report_start,
    report_submit,
    rounds_schedule,
)
from tests.web.conftest import signed_in


@pytest.fixture
def rounds(cast: Any) -> list[ReportingRound]:
    from duban.indicators.services import elements_load_bundled, targets_bind

    elements_load_bundled()
    targets_bind(plan=cast.plan)
    rounds_schedule(plan=cast.plan, until=date(2022, 12, 31), since=date(2022, 7, 1))
    return list(ReportingRound.objects.filter(plan=cast.plan).order_by("due"))


def send(cast: Any, round_: ReportingRound, code: str, reporter: Any, approver: Any, text: str) -> Any:
    a = Assignment.objects.get(task__plan=cast.plan, task__number=6, unit__code=code)
    report = report_start(round_=round_, assignment=a, by=reporter)
    fields = {"progress": "in_progress", "done": text, "figures": {c: 1234 for c in figure_elements(a, round_)}}
    report = report_save(report=report, by=reporter, expected_version=report.version, fields=fields)
    report = report_submit(report=report, by=reporter, expected_version=report.version)
    return report_sign_off(report=report, by=approver, expected_version=report.version)


@pytest.mark.django_db
def test_the_task_page_shows_each_units_report_to_those_who_may_read_it(cast: Any, rounds: list[Any]) -> None:
    first, second = rounds[0], rounds[1]
    sent = send(cast, first, "460100", cast.haikou, cast.haikou_approver, "海口新增床位八百张")
    report_return(report=sent, by=cast.office, expected_version=sent.version, comment="请补充佐证")
    send(cast, second, "460100", cast.haikou, cast.haikou_approver, "海口第四季度推进")
    office = signed_in(cast.office).get(f"/tasks/6/?round={second.pk}").content.decode()
    assert "各单位报送" in office and "海口第四季度推进" in office
    assert "1,234" in office and "60岁及以上" in office  # a figure under its element's name, not its code
    assert "未报送" in office and "三亚" in office  # units that sent nothing are listed too, by their names
    # the earlier round on the timeline: haikou's report was sent back
    assert first.title in office and "退回 1" in office
    # a county reads its own row only, and a count of the rest
    sanya = signed_in(cast.sanya).get(f"/tasks/6/?round={second.pk}").content.decode()
    assert "海口第四季度推进" not in sanya and "另有" in sanya
    haikou = signed_in(cast.haikou).get(f"/tasks/6/?round={first.pk}").content.decode()
    assert "海口新增床位八百张" in haikou and "请补充佐证" in haikou and "退回修改" in haikou


@pytest.mark.django_db
def test_the_task_pages_queries_do_not_grow_with_reports(cast: Any, rounds: list[Any]) -> None:
    round_ = rounds[0]
    client = signed_in(cast.office)
    send(cast, round_, "460100", cast.haikou, cast.haikou_approver, "一")

    def queries() -> int:
        from duban.web.pagecache import forget_version

        forget_version()
        from django.core.cache import cache

        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/tasks/6/?round={round_.pk}").status_code == 200
        return len(captured)

    one = queries()
    send(cast, round_, "HI-MZT", cast.minzheng, cast.minzheng_approver, "二")
    assert queries() == one


@pytest.mark.django_db
def test_the_unit_page_shows_its_reports_and_lateness_over_the_rounds(cast: Any, rounds: list[Any]) -> None:
    from django.utils import timezone

    from duban.orgs.models import OrgUnit
    from duban.reporting.selectors import unit_report_record

    first = rounds[0]
    send(cast, first, "460100", cast.haikou, cast.haikou_approver, "一")
    haikou = OrgUnit.objects.get(code="460100")
    record = unit_report_record(user=cast.office, unit=haikou, plan=cast.plan)
    owed = Assignment.objects.filter(task__plan=cast.plan, unit=haikou).count()
    today = timezone.localdate()
    by_round = {r.round.pk: r for r in record}
    assert [r.round.due for r in record] == sorted((r.round.due for r in record), reverse=True)
    row = by_round[first.pk]
    assert (row.owed, row.sent, row.on_time, row.days_late) == (owed, 1, 0, (today - first.due).days)
    assert by_round[rounds[1].pk].sent == 0 and by_round[rounds[1].pk].days_late == (today - rounds[1].due).days
    page = signed_in(cast.office).get("/units/460100/").content.decode()
    assert "报送记录" in page and first.title in page
    assert "报送记录" in signed_in(cast.haikou).get("/units/460100/").content.decode()
    assert "报送记录" not in signed_in(cast.sanya).get("/units/460100/").content.decode()


@pytest.mark.django_db
def test_search_puts_the_best_match_first_and_the_matrix_takes_what_search_takes(cast: Any) -> None:
    from duban.plans.models import Task

    client = signed_in(cast.office)
    page = client.get("/search/", {"q": "民政"}).content.decode()
    found = re.findall(r'href="/units/([^/"]+)/"', page)
    assert len(found) > 1 and found[0] == "HI-MZT"  # 省民政厅 before units that only hold 民政 somewhere
    page = client.get("/search/", {"q": "22"}).content.decode()
    numbers = [int(n) for n in re.findall(r'href="/tasks/(\d+)/"', page)]
    assert numbers and numbers[0] == 22
    assert Task.objects.filter(plan=cast.plan, text__contains="22").exclude(number=22).exists()
    matrix = client.get("/matrix/", {"unit": "民政"}).content.decode()
    assert "没有找到单位" not in matrix and "显示“海南省民政厅”的分工" in matrix
    ambiguous = client.get("/matrix/", {"unit": "海南"}).content.decode()
    assert "对应多个单位" in ambiguous or "显示“" in ambiguous
    assert "没有找到单位" in client.get("/matrix/", {"unit": "不存在的单位"}).content.decode()


@pytest.mark.django_db
def test_leaders_get_a_one_page_summary_for_a_meeting(cast: Any, rounds: list[Any]) -> None:
    from duban.accounts.models import Role
    from duban.accounts.services import user_create
    from duban.orgs.models import OrgUnit

    round_ = rounds[0]
    send(cast, round_, "460100", cast.haikou, cast.haikou_approver, "一")
    leader = signed_in(cast.leader)
    assert leader.get("/work/")["Location"] == "/summary/"  # a leader reports on nothing: the summary is theirs
    page = leader.get(f"/summary/?round={round_.pk}").content.decode()
    assert "会议简报" in page and round_.title in page and "需关注的任务" in page
    assert "逾期未报较多的单位" in page and "/units/460200/" in page  # 三亚 sent nothing: late on its tasks
    late = re.findall(r'href="/units/([^/"]+)/"', page.split("逾期未报较多的单位")[1])
    assert "460100" not in late[:1]  # 海口 sent its report on task 6, so it is not the first of the late
    assert "打印" in page
    assert signed_in(cast.office).get("/summary/").status_code == 200
    for user in (cast.haikou, cast.sanya, cast.minzheng):
        assert signed_in(user).get("/summary/").status_code == 404
    # someone who is a leader and also reports for a unit keeps the workspace
    both = user_create(
        username="both", password="pw-both", unit=OrgUnit.objects.get(code="HI-MZT"), roles=[Role.LEADER, Role.REPORTER]
    )
    assert signed_in(both).get("/work/").status_code == 200


@pytest.mark.django_db
def test_the_overview_says_why_it_assesses_at_the_plans_last_deadline_and_lets_the_office_pick(cast: Any) -> None:
    client = signed_in(cast.office)
    page = client.get("/").content.decode()
    assert "方案的最后期限已过，按最后期限评估" in page  # the seed plan ends in 2025; today is later
    assert '<select id="f-period" name="period">' in page and "2024年第4季度" in page
    chosen = client.get("/", {"period": "2024Q4"}).content.decode()
    assert "评估日期：2024年12月31日" in chosen and "按最后期限评估" not in chosen
    assert '<option value="2024Q4" selected>' in chosen


@pytest.mark.django_db
def test_in_english_a_quarterly_round_is_named_in_english(cast: Any, rounds: list[Any]) -> None:
    client = signed_in(cast.office)
    client.cookies["django_language"] = "en"
    first = rounds[0]
    assert first.title == "2022年第3季度"
    page = client.get(f"/?round={first.pk}").content.decode()
    assert "Q3 2022" in page and "2022年第3季度" not in page
    office = client.get("/office/").content.decode()
    assert "2022年第" not in office
    client.cookies["django_language"] = "zh-hans"
    assert "2022年第3季度" in client.get(f"/?round={first.pk}").content.decode()


@pytest.mark.django_db
def test_the_office_sees_what_every_round_owes_oldest_first(cast: Any, rounds: list[Any]) -> None:
    from duban.reporting.selectors import office_backlog

    first, second = rounds[0], rounds[1]
    send(cast, first, "460100", cast.haikou, cast.haikou_approver, "一")
    backlog = office_backlog(user=cast.office, plan=cast.plan)
    assert [b.round for b in backlog] == sorted((b.round for b in backlog), key=lambda r: r.due)
    by_round = {b.round.pk: b for b in backlog}
    owed = Assignment.objects.filter(task__plan=cast.plan).count()
    assert by_round[first.pk].missing == owed - 1 and by_round[first.pk].awaiting_review == 1
    assert by_round[second.pk].missing == owed and by_round[second.pk].days_overdue > 0
    page = signed_in(cast.office).get(f"/office/?round={rounds[-1].pk}").content.decode()
    assert "待办与逾期（全部轮次）" in page and page.index(first.title) < page.index(second.title)
    from django.http import Http404

    with pytest.raises(Http404):  # a county is told there is no such page
        office_backlog(user=cast.sanya, plan=cast.plan)


@pytest.mark.django_db
def test_an_impossible_figure_is_queried_at_review_and_stored_only_once_confirmed(cast: Any, rounds: list[Any]) -> None:
    from duban.indicators.models import DataValue
    from duban.indicators.services import data_values_set
    from duban.orgs.models import OrgUnit
    from duban.reporting.models import ProgressReport
    from duban.reporting.services import WorkflowError, report_accept

    round_ = rounds[0]
    haikou = OrgUnit.objects.get(code="460100")
    data_values_set(org=haikou, period="2022Q2", values={"pop_60plus": 356892}, source="统计年鉴")
    a = Assignment.objects.get(task__plan=cast.plan, task__number=6, unit=haikou)
    assert "pop_60plus" in figure_elements(a, round_)
    report = report_start(round_=round_, assignment=a, by=cast.haikou)
    fields = {"progress": "in_progress", "done": "推进", "figures": {"pop_60plus": 1000}}
    report = report_save(report=report, by=cast.haikou, expected_version=report.version, fields=fields)
    report = report_submit(report=report, by=cast.haikou, expected_version=report.version)
    report = report_sign_off(report=report, by=cast.haikou_approver, expected_version=report.version)
    page = signed_in(cast.office).get(f"/reports/{report.pk}/").content.decode()
    assert "与上期（2022Q2）356,892 相差超过 50%" in page and 'name="confirm_outliers"' in page
    with pytest.raises(WorkflowError, match="报送数据有异常"):
        report_accept(report=report, by=cast.office, expected_version=report.version)
    assert not DataValue.objects.filter(org=haikou, period=round_.period).exists()
    response = signed_in(cast.office).post(
        f"/reports/{report.pk}/accept", {"version": report.version, "comment": ""}, follow=True
    )
    assert "报送数据有异常" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.SUBMITTED
    signed_in(cast.office).post(f"/reports/{report.pk}/accept", {"version": report.version, "confirm_outliers": "1"})
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.ACCEPTED
    assert DataValue.objects.get(org=haikou, period=round_.period, element__code="pop_60plus").value == 1000
    assert "已核实异常数据" in report.events.get(action="accept").comment


@pytest.mark.django_db
def test_closing_a_task_whose_indicator_is_behind_needs_an_override_with_a_reason(cast: Any) -> None:
    from duban.audit.models import AuditEntry
    from duban.indicators.services import census_load_bundled, elements_load_bundled, targets_bind
    from duban.plans.models import Task
    from duban.reporting.models import TaskClosure
    from duban.reporting.selectors import closed_task_ids, closure_blockers
    from duban.reporting.services import WorkflowError, task_close

    elements_load_bundled()
    census_load_bundled()
    targets_bind(plan=cast.plan)
    task = Task.objects.get(plan=cast.plan, number=6)
    blockers = closure_blockers(task=task)
    assert blockers and "每千名老年人口拥有养老床位数" in blockers[0]
    client = signed_in(cast.office)
    page = client.get("/tasks/6/").content.decode()
    assert "销号需越过指标检查" in page and 'name="override"' in page
    with pytest.raises(WorkflowError, match="不能销号"):
        task_close(task=task, by=cast.office, reason="已完成")
    assert not TaskClosure.objects.exists()
    client.post("/tasks/6/close", {"reason": "省政府常务会议同意销号", "override": "1"})
    assert task.pk in closed_task_ids(plan=cast.plan)
    closure = TaskClosure.objects.get()
    assert closure.reason.startswith("省政府常务会议同意销号（越过指标检查：")
    assert AuditEntry.objects.get(action="task_close").after["overridden"] == blockers
    # a task without targets closes as before
    assert closure_blockers(task=Task.objects.get(plan=cast.plan, number=31)) == []


@pytest.mark.django_db
def test_a_report_sent_back_counts_as_owed_on_the_unit_page_as_in_the_office_backlog(
    cast: Any, rounds: list[Any]
) -> None:
    from duban.orgs.models import OrgUnit
    from duban.reporting.selectors import office_backlog, unit_report_record

    first = rounds[0]
    sent = send(cast, first, "460100", cast.haikou, cast.haikou_approver, "一")
    report_return(report=sent, by=cast.office, expected_version=sent.version, comment="请补充")
    haikou = OrgUnit.objects.get(code="460100")
    row = next(r for r in unit_report_record(user=cast.office, unit=haikou, plan=cast.plan) if r.round == first)
    assert row.sent == 0
    owed = Assignment.objects.filter(task__plan=cast.plan).count()
    assert next(b for b in office_backlog(user=cast.office, plan=cast.plan) if b.round == first).missing == owed
