"""Work passes to the successor: the seed plan (2021) names 人行海口中心支行, which became 中国人民银行海南省分行
on 2023-08-18. Its tasks (27 and the others) are the new branch's work — in its workspace, its reports, the
office's late list and the reminders — while the assignment keeps the unit and the name the plan wrote."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client

from duban.accounts.services import user_create
from duban.cli import main
from duban.notices.models import Notice
from duban.notices.services import notice_remind_unit, remind_run
from duban.orgs.models import OrgSuccession, OrgUnit
from duban.orgs.selectors import units_carried_by
from duban.plans.models import Assignment, Task
from duban.plans.selectors import assignment_list
from duban.reporting import selectors as reports
from duban.reporting.models import ReportingRound
from duban.reporting.services import report_save, report_start, report_submit

OPENS = date(2026, 7, 1)
DUE = date(2026, 10, 10)
# Tasks that name 人行海口中心支行 in the seed plan (see tests/plans/test_import_plan.py).
PBC_TASKS = (23, 27, 34)


@pytest.fixture
def world(cast: Any) -> dict[str, Any]:
    pbc = OrgUnit.objects.get(code="HI-PBC")
    old = OrgUnit.objects.get(code="HI-PBC-HK")
    banker = user_create(
        username="pbc", password="pw-pbc", unit=pbc, roles=["reporter", "approver"], email="pbc@example.org"
    )
    numbers = sorted(Assignment.objects.filter(task__plan=cast.plan, unit=old).values_list("task__number", flat=True))
    round_ = ReportingRound.objects.create(plan=cast.plan, title="2026年第3季度", period="2026Q3", opens=OPENS, due=DUE)
    round_.tasks.set(Task.objects.filter(plan=cast.plan, number__in=numbers))
    return {"pbc": pbc, "old": old, "banker": banker, "numbers": numbers, "round": round_}


@pytest.mark.django_db
def test_the_plan_names_the_old_branch(world: dict[str, Any]) -> None:
    assert world["numbers"] == list(PBC_TASKS)
    written = set(Assignment.objects.filter(unit=world["old"]).values_list("name_as_written", flat=True))
    assert written == {"人行海口中心支行"}


@pytest.mark.django_db
def test_the_successor_carries_its_predecessors_work_from_the_day_of_the_rename(world: dict[str, Any]) -> None:
    pbc, old = world["pbc"], world["old"]
    assert units_carried_by(unit_id=pbc.pk) == {pbc.pk, old.pk}
    assert units_carried_by(unit_id=pbc.pk, on=date(2023, 8, 17)) == {pbc.pk}
    assert units_carried_by(unit_id=old.pk) == {old.pk}


@pytest.mark.django_db
def test_a_merge_passes_the_work_of_every_predecessor(cast: Any, world: dict[str, Any]) -> None:
    """Two units merged into one: the successor carries both, through a chain of renames too."""
    pbc = world["pbc"]
    jrj = OrgUnit.objects.get(code="HI-JRJGJ")
    OrgSuccession.objects.create(predecessor=jrj, successor=pbc, effective=date(2024, 1, 1), kind="merge")
    carried = units_carried_by(unit_id=pbc.pk)
    assert carried == {pbc.pk, world["old"].pk, jrj.pk}
    tasks = {a.task.number for a in assignment_list(plan=cast.plan, unit=pbc)}
    assert tasks >= set(PBC_TASKS) and 27 in tasks


@pytest.mark.django_db
def test_the_successors_workspace_lists_the_tasks_with_the_name_as_written(world: dict[str, Any]) -> None:
    space = reports.workspace(user=world["banker"], plan=world["round"].plan, round_=world["round"], today=OPENS)
    items = [item for group in space.groups.values() for item in group]
    assert [i.assignment.task.number for i in items] == list(PBC_TASKS)
    assert {i.assignment.unit.code for i in items} == {"HI-PBC-HK"}

    client = Client()
    client.force_login(world["banker"])
    page = client.get(f"/work/?round={world['round'].pk}").content.decode()
    assert "原分工单位：人行海口中心支行" in page


@pytest.mark.django_db
def test_the_successor_reports_and_an_outsider_sees_nothing(cast: Any, world: dict[str, Any]) -> None:
    banker, round_ = world["banker"], world["round"]
    assignment = Assignment.objects.get(task__plan=cast.plan, task__number=27, unit=world["old"])
    report = report_start(round_=round_, assignment=assignment, by=banker)
    report = report_save(
        report=report,
        by=banker,
        expected_version=report.version,
        fields={"progress": "in_progress", "done": "已开展普惠金融政策宣传。", "next_steps": "继续推进。"},
    )
    report = report_submit(report=report, by=banker, expected_version=report.version)
    assert report.status == "submitted"
    # History keeps the plan's unit and name; the report is the successor's.
    assert report.assignment.unit.code == "HI-PBC-HK" and report.assignment.name_as_written == "人行海口中心支行"

    outsider = Client()
    outsider.force_login(cast.sanya)
    assert outsider.get(f"/reports/{report.pk}/").status_code == 404
    own = Client()
    own.force_login(banker)
    assert own.get(f"/reports/{report.pk}/").status_code == 200


@pytest.mark.django_db
def test_the_office_chases_the_successor_and_its_people_hear_of_it(
    cast: Any, world: dict[str, Any], mailoutbox: list[Any]
) -> None:
    round_ = world["round"]
    late = DUE + timedelta(days=1)
    data = reports.office_round(user=cast.office, plan=cast.plan, round_=round_, reminders={}, today=late)
    late_units = {item.unit.code: item for item in data.late}
    assert "HI-PBC" in late_units and "HI-PBC-HK" not in late_units
    assert [t.assignment.task.number for t in late_units["HI-PBC"].tasks] == list(PBC_TASKS)
    assert "中国人民银行海南省分行" in {c.label for c in data.by_unit}

    notice = notice_remind_unit(round_=round_, unit=world["pbc"], by=cast.office, today=late)
    assert notice.unit.code == "HI-PBC"
    assert "人行海口中心支行" not in notice.subject

    remind_run(today=late)
    overdue = Notice.objects.get(round=round_, kind=Notice.Kind.OVERDUE, unit__code="HI-PBC")
    assert not Notice.objects.filter(unit__code="HI-PBC-HK").exists()
    assert any("pbc@example.org" in m.to for m in mailoutbox)
    assert overdue in reports_inbox(world["banker"])


def reports_inbox(user: Any) -> list[Notice]:
    from duban.notices.selectors import notice_list_for_user

    return list(notice_list_for_user(user=user))


@pytest.mark.django_db
def test_duban_assignments_lists_the_inherited_tasks(
    cast: Any, world: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["assignments", "--unit", "中国人民银行海南省分行", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    inherited = [r for r in rows if r["unit_code"] == "HI-PBC-HK"]
    assert [r["task"] for r in inherited] == list(PBC_TASKS)
    assert {(r["name_as_written"], r["successor_code"]) for r in inherited} == {("人行海口中心支行", "HI-PBC")}

    assert main(["assignments", "--unit", "HI-PBC"]) == 0
    out = capsys.readouterr().out
    assert "任务分工（3 条）" in out and "HI-PBC-HK" in out


@pytest.mark.django_db
def test_the_successors_matrix_shows_the_inherited_tasks(cast: Any, world: dict[str, Any]) -> None:
    from duban.plans.matrix import matrix_build

    matrix = matrix_build(plan=cast.plan, unit=world["pbc"])
    assert [t.number for t in matrix.tasks] == list(PBC_TASKS)
