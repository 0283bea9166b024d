"""Rules of the cycle that guard the record: figures must be numbers, the office may review a task once through
its lead, nobody reviews their own report, a correction or a closure never makes a unit late, and a round
with reports cannot be deleted."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db.models.deletion import ProtectedError
from django.utils import timezone

from duban.indicators.models import DataValue
from duban.plans.models import Assignment, Task
from duban.reporting import selectors
from duban.reporting.models import ProgressReport, ReportingRound
from duban.reporting.selectors import figure_elements, round_assignments
from duban.reporting.services import (
    WorkflowError,
    report_accept,
    report_correct,
    report_save,
    report_sign_off,
    report_start,
    report_submit,
    round_add_adhoc,
    task_close,
)

Status = ProgressReport.Status


def sent_in(round_: ReportingRound, cast: Any, number: int, code: str, **figures: str) -> ProgressReport:
    reporter, approver = (
        (cast.haikou, cast.haikou_approver) if code == "460100" else (cast.minzheng, cast.minzheng_approver)
    )
    assignment = Assignment.objects.get(task__plan=cast.plan, task__number=number, unit__code=code)
    report = report_start(round_=round_, assignment=assignment, by=reporter)
    fields = {"progress": "in_progress", "done": "已推进", "figures": figures}
    report = report_save(report=report, by=reporter, expected_version=report.version, fields=fields)
    report = report_submit(report=report, by=reporter, expected_version=report.version)
    return report_sign_off(report=report, by=approver, expected_version=report.version)


@pytest.mark.django_db
@pytest.mark.parametrize("raw", ["nan", "inf", "-inf", "1e999"])
def test_a_figure_must_be_a_finite_number(cast: Any, round_: ReportingRound, raw: str) -> None:
    assignment = Assignment.objects.get(task__plan=cast.plan, task__number=6, unit__code="460100")
    report = report_start(round_=round_, assignment=assignment, by=cast.haikou)
    with pytest.raises(WorkflowError, match="不是有限的数"):
        report_save(
            report=report, by=cast.haikou, expected_version=report.version, fields={"figures": {"pop_60plus": raw}}
        )


@pytest.mark.django_db
def test_accepting_the_lead_report_accepts_what_it_consolidated(cast: Any, round_: ReportingRound) -> None:
    county = sent_in(round_, cast, 6, "460100", pop_60plus="250000")
    lead = sent_in(round_, cast, 6, "HI-MZT")
    assert list(lead.inputs.all()) == [county]
    report_accept(report=lead, by=cast.office, expected_version=lead.version, with_inputs=[county.pk])
    county.refresh_from_db()
    assert county.status == Status.ACCEPTED
    assert county.events.latest("pk").comment == "随牵头单位汇总报告一并通过"
    assert DataValue.objects.get(org__code="460100", element__code="pop_60plus", period="2022Q3").value == 250000
    detail = selectors.report_detail(user=cast.minzheng, pk=lead.pk)
    owing = [a.unit.code for a in detail.missing_inputs]
    assert len(owing) == 18 and "460100" not in owing and "460200" in owing  # the 19 jurisdictions but 海口


@pytest.mark.django_db
def test_nobody_reviews_a_report_they_submitted_or_signed_off(cast: Any, round_: ReportingRound) -> None:
    from duban.accounts.services import membership_set

    # 省发展改革委 leads task 39 and is the office: its approver, also of the office, signs off its own report.
    membership_set(user=cast.office, unit=cast.office.membership.unit, roles=["office", "approver", "reporter"])
    cast.office.__dict__.pop("_duban_access", None)
    assignment = Assignment.objects.get(task__plan=cast.plan, task__number=39, unit__code="HI-FGW")
    report = report_start(round_=round_, assignment=assignment, by=cast.office)
    report = report_save(report=report, by=cast.office, expected_version=report.version, fields={"done": "已起草"})
    report = report_submit(report=report, by=cast.office, expected_version=report.version)
    assert report.status == Status.SUBMITTED  # an approver's own submission leaves the unit at once
    with pytest.raises(WorkflowError, match="不能审核自己"):
        report_accept(report=report, by=cast.office, expected_version=report.version)
    colleague = cast.office.__class__.objects.create_user("office-2", password="x")
    membership_set(user=colleague, unit=cast.office.membership.unit, roles=["office"])
    assert report_accept(report=report, by=colleague, expected_version=report.version).status == Status.ACCEPTED


@pytest.mark.django_db
def test_a_correction_under_way_does_not_make_the_unit_late(cast: Any, round_: ReportingRound) -> None:
    report = sent_in(round_, cast, 31, "HI-MZT")
    report = report_accept(report=report, by=cast.office, expected_version=report.version)
    report_correct(report=report, by=cast.minzheng)
    office = selectors.office_round(
        user=cast.office, plan=cast.plan, round_=round_, reminders={}, today=date(2022, 11, 1)
    )
    late = {(u.unit.code, t.assignment.task.number) for u in office.late for t in u.tasks}
    assert ("HI-MZT", 31) not in late and ("HI-MZT", 6) in late
    from duban.notices.services import remind_run

    bodies = [n.body for n in remind_run(today=date(2022, 11, 1), dry_run=True).notices if n.unit.code == "HI-MZT"]
    assert bodies and all("任务31" not in body for body in bodies)


@pytest.mark.django_db
def test_closing_a_task_mid_round_keeps_what_was_sent(cast: Any, round_: ReportingRound) -> None:
    sent_in(round_, cast, 31, "HI-MZT")
    task = Task.objects.get(plan=cast.plan, number=31)
    adhoc = round_add_adhoc(
        plan=cast.plan, title="专项", due=timezone.localdate(), opens=date(2022, 7, 1), tasks=[task], by=cast.office
    )
    report = sent_in(adhoc, cast, 31, "HI-MZT")
    task_close(task=task, by=cast.office, reason="已全面完成")
    kept = set(round_assignments(adhoc).values_list("unit__code", flat=True))
    assert kept == {report.assignment.unit.code}  # the one sent in still counts; the others owe nothing


@pytest.mark.django_db
def test_an_adhoc_round_asks_for_no_figures(cast: Any, round_: ReportingRound) -> None:
    assignment = Assignment.objects.get(task__plan=cast.plan, task__number=6, unit__code="460100")
    adhoc = round_add_adhoc(
        plan=cast.plan, title="床位专项", due=date(2022, 8, 15), opens=date(2022, 8, 1), by=cast.office
    )
    assert figure_elements(assignment, round_) == ["pop_60plus"] and figure_elements(assignment, adhoc) == []


@pytest.mark.django_db
def test_a_unit_whose_approver_has_left_sends_its_reports_straight_on(cast: Any, round_: ReportingRound) -> None:
    cast.haikou_approver.is_active = False
    cast.haikou_approver.save()
    assignment = Assignment.objects.get(task__plan=cast.plan, task__number=31, unit__code="460100")
    report = report_start(round_=round_, assignment=assignment, by=cast.haikou)
    report = report_save(report=report, by=cast.haikou, expected_version=report.version, fields={"done": "已推进"})
    assert report_submit(report=report, by=cast.haikou, expected_version=report.version).status == Status.SUBMITTED


@pytest.mark.django_db
def test_a_round_with_reports_cannot_be_deleted(cast: Any, round_: ReportingRound) -> None:
    sent_in(round_, cast, 31, "HI-MZT")
    with pytest.raises(ProtectedError):
        round_.delete()
    assert ProgressReport.objects.filter(round=round_).count() == 1
