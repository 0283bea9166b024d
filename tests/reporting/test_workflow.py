"""The reporting cycle through its services: a round from draft to acceptance, corrections, figures, evidence,
closure, lost updates and the audit trail — each step by the cast member whose job it is, and refused for the
others."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from duban.audit.models import AuditEntry
from duban.indicators.models import DataValue
from duban.plans.models import Assignment, Task
from duban.reporting import selectors
from duban.reporting.models import ProgressReport, ReportEvent, ReportingRound
from duban.reporting.selectors import figure_elements, round_assignments
from duban.reporting.services import (
    ReportConflict,
    WorkflowError,
    evidence_add,
    report_accept,
    report_correct,
    report_return,
    report_save,
    report_send_back,
    report_sign_off,
    report_start,
    report_submit,
    round_add_adhoc,
    rounds_schedule,
    task_close,
    task_reopen,
)

Status = ProgressReport.Status
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def assignment(plan: Any, number: int, code: str) -> Assignment:
    return Assignment.objects.get(task__plan=plan, task__number=number, unit__code=code)


def written(report: ProgressReport, by: Any, **fields: Any) -> ProgressReport:
    defaults = {"progress": "in_progress", "done": "已新增养老床位 300 张", "problems": "", "next_steps": "继续推进"}
    return report_save(report=report, by=by, expected_version=report.version, fields=defaults | fields)


def test_quarterly_rounds_are_due_ten_days_after_the_quarter(cast: Any) -> None:
    created = rounds_schedule(plan=cast.plan, until=date(2022, 3, 31))
    # The plan was imported without an issue date: it starts on 2021-01-01 (a year before the first deadline).
    assert [(r.period, r.due) for r in created][:2] == [("2021Q1", date(2021, 4, 10)), ("2021Q2", date(2021, 7, 10))]
    assert created[-1].period == "2022Q1" and created[-1].title == "2022年第1季度"
    assert rounds_schedule(plan=cast.plan, until=date(2022, 3, 31)) == []


@pytest.mark.django_db
def test_a_round_from_the_county_to_the_office(cast: Any, round_: ReportingRound) -> None:
    county = report_start(round_=round_, assignment=assignment(cast.plan, 6, "460100"), by=cast.haikou)
    county = written(county, cast.haikou, figures={"pop_60plus": "250000"})
    county = report_submit(report=county, by=cast.haikou, expected_version=county.version)
    assert county.status == Status.AWAITING_SIGNOFF  # 海口 has an approver: the report waits inside the unit
    with pytest.raises(Http404):  # … where neither the office nor the lead unit can read it yet
        selectors.report_get_for_user(user=cast.office, pk=county.pk)
    with pytest.raises(Http404):
        selectors.report_get_for_user(user=cast.minzheng, pk=county.pk)
    county = report_sign_off(report=county, by=cast.haikou_approver, expected_version=county.version)
    assert county.status == Status.SUBMITTED and county.submitted_at is not None
    assert selectors.report_get_for_user(user=cast.minzheng, pk=county.pk) == county  # the lead reads it now

    lead = report_start(round_=round_, assignment=assignment(cast.plan, 6, "HI-MZT"), by=cast.minzheng)
    lead = written(lead, cast.minzheng, done="全省新增养老床位 3000 张，汇总各市县情况")
    lead = report_submit(report=lead, by=cast.minzheng, expected_version=lead.version)
    lead = report_sign_off(report=lead, by=cast.minzheng_approver, expected_version=lead.version)
    assert list(lead.inputs.all()) == [county]  # the consolidated report records what it consolidated

    lead = report_return(report=lead, by=cast.office, expected_version=lead.version, comment="请补充各市县床位数据")
    assert lead.status == Status.RETURNED
    lead = written(lead, cast.minzheng, done="全省新增养老床位 3000 张，其中海口 300 张")
    lead = report_submit(report=lead, by=cast.minzheng, expected_version=lead.version)
    lead = report_sign_off(report=lead, by=cast.minzheng_approver, expected_version=lead.version)
    lead = report_accept(report=lead, by=cast.office, expected_version=lead.version)
    assert lead.status == Status.ACCEPTED
    steps = [(e.action, e.to_status, e.comment) for e in ReportEvent.objects.filter(report=lead)]
    assert steps == [
        ("submit", "awaiting_signoff", ""),
        ("sign_off", "submitted", ""),
        ("return", "returned", "请补充各市县床位数据"),
        ("submit", "awaiting_signoff", ""),
        ("sign_off", "submitted", ""),
        ("accept", "accepted", ""),
    ]


@pytest.mark.django_db
def test_accepted_figures_become_data_values_with_the_report_as_source(cast: Any, round_: ReportingRound) -> None:
    haikou = assignment(cast.plan, 6, "460100")
    assert figure_elements(haikou) == ["pop_60plus"]
    assert figure_elements(assignment(cast.plan, 6, "HI-MZT")) == []  # a department reports no figures
    report = report_start(round_=round_, assignment=haikou, by=cast.haikou)
    with pytest.raises(WorkflowError, match="60岁及以上人口"):  # a figure asked for is missing, named in Chinese
        report_submit(report=written(report, cast.haikou), by=cast.haikou, expected_version=report.version + 1)
    report = ProgressReport.objects.get(pk=report.pk)
    with pytest.raises(WorkflowError, match="“60岁及以上人口”的值“二十五万”不是数字") as refused:
        written(report, cast.haikou, figures={"pop_60plus": "二十五万"})
    assert "pop_60plus" not in str(refused.value)
    assert written(report, cast.haikou, figures={"pop_60plus": "12万"}).figures == {"pop_60plus": 120000}
    report = ProgressReport.objects.get(pk=report.pk)
    with pytest.raises(WorkflowError, match="pop_total"):
        written(report, cast.haikou, figures={"pop_total": "1"})
    report = written(report, cast.haikou, figures={"pop_60plus": "250,000"})
    report = report_submit(report=report, by=cast.haikou, expected_version=report.version)
    report = report_sign_off(report=report, by=cast.haikou_approver, expected_version=report.version)
    assert not DataValue.objects.filter(org__code="460100", period="2022Q3").exists()  # not before acceptance
    report_accept(report=report, by=cast.office, expected_version=report.version)
    value = DataValue.objects.get(org__code="460100", element__code="pop_60plus", period="2022Q3")
    assert value.value == 250000 and f"进展报告 {report.pk}" in value.source
    entry = AuditEntry.objects.get(action="data_value_set")
    assert (entry.before, entry.after["value"], entry.actor) == (None, 250000, cast.office)


@pytest.mark.django_db
def test_who_may_do_what(cast: Any, round_: ReportingRound) -> None:
    haikou = assignment(cast.plan, 6, "460100")
    with pytest.raises(PermissionDenied):  # 三亚 cannot start 海口's report
        report_start(round_=round_, assignment=haikou, by=cast.sanya)
    with pytest.raises(PermissionDenied):  # an approver signs off, a reporter writes
        report_start(round_=round_, assignment=haikou, by=cast.haikou_approver)
    report = written(
        report_start(round_=round_, assignment=haikou, by=cast.haikou), cast.haikou, figures={"pop_60plus": 1}
    )
    for outsider in (cast.sanya, cast.minzheng, cast.office):
        with pytest.raises(PermissionDenied):
            written(report, outsider)
    report = report_submit(report=report, by=cast.haikou, expected_version=report.version)
    with pytest.raises(PermissionDenied):  # the reporter cannot sign off their own report
        report_sign_off(report=report, by=cast.haikou, expected_version=report.version)
    with pytest.raises(WorkflowError, match="意见"):  # sending back needs a reason
        report_send_back(report=report, by=cast.haikou_approver, expected_version=report.version, comment=" ")
    report = report_send_back(
        report=report, by=cast.haikou_approver, expected_version=report.version, comment="数据再核"
    )
    assert report.status == Status.DRAFT
    report = report_submit(report=report, by=cast.haikou, expected_version=report.version)
    report = report_sign_off(report=report, by=cast.haikou_approver, expected_version=report.version)
    with pytest.raises(PermissionDenied):  # the lead unit's reporter reads, only its approver reviews
        report_accept(report=report, by=cast.minzheng, expected_version=report.version)
    with pytest.raises(PermissionDenied):  # a leader reads everything and changes nothing
        report_accept(report=report, by=cast.leader, expected_version=report.version)
    assert selectors.report_get_for_user(user=cast.leader, pk=report.pk) == report
    report = report_return(report=report, by=cast.minzheng_approver, expected_version=report.version, comment="补充")
    assert report.status == Status.RETURNED
    with pytest.raises(Http404):
        selectors.report_get_for_user(user=cast.sanya, pk=report.pk)


@pytest.mark.django_db
def test_the_second_of_two_saves_from_the_same_version_is_refused(cast: Any, round_: ReportingRound) -> None:
    report = report_start(round_=round_, assignment=assignment(cast.plan, 6, "460100"), by=cast.haikou)
    colleague = cast.haikou.__class__.objects.create_user("haikou-2", password="x")
    from duban.accounts.services import membership_set

    membership_set(user=colleague, unit=report.assignment.unit, roles=["reporter"])
    opened = report.version
    report_save(report=report, by=colleague, expected_version=opened, fields={"done": "同事先保存"})
    with pytest.raises(ReportConflict, match="haikou-2"):
        report_save(report=report, by=cast.haikou, expected_version=opened, fields={"done": "我后保存"})
    assert ProgressReport.objects.get(pk=report.pk).done == "同事先保存"
    with pytest.raises(ReportConflict):  # a step based on an old version is refused the same way
        report_submit(report=report, by=cast.haikou, expected_version=opened)


@pytest.mark.django_db
def test_an_accepted_report_is_corrected_by_a_new_revision(cast: Any, round_: ReportingRound) -> None:
    report = report_start(round_=round_, assignment=assignment(cast.plan, 31, "HI-MZT"), by=cast.minzheng)
    report = written(report, cast.minzheng, done="第一版")
    report = report_submit(report=report, by=cast.minzheng, expected_version=report.version)
    report = report_sign_off(report=report, by=cast.minzheng_approver, expected_version=report.version)
    report = report_accept(report=report, by=cast.office, expected_version=report.version)
    with pytest.raises(PermissionDenied):
        written(report, cast.minzheng, done="改动已通过的报告")
    correction = report_correct(report=report, by=cast.minzheng)
    assert (correction.revision, correction.corrects, correction.status, correction.done) == (
        2,
        report,
        Status.DRAFT,
        "第一版",
    )
    old = ProgressReport.objects.get(pk=report.pk)
    assert (old.status, old.is_current, old.done) == (Status.ACCEPTED, False, "第一版")
    detail = selectors.report_detail(user=cast.office, pk=old.pk)  # the office still reads the accepted one
    assert detail.report == old
    with pytest.raises(ReportConflict):  # correcting twice
        report_correct(report=old, by=cast.minzheng)


@pytest.mark.django_db
def test_evidence_is_checked_by_content_and_size(
    cast: Any, round_: ReportingRound, settings: Any, tmp_path: Path
) -> None:
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    settings.EVIDENCE_MAX_BYTES = 1000
    report = report_start(round_=round_, assignment=assignment(cast.plan, 31, "HI-MZT"), by=cast.minzheng)
    pdf = evidence_add(report=report, by=cast.minzheng, name="会议纪要.pdf", content=PDF)
    assert (pdf.content_type, pdf.size) == ("application/pdf", len(PDF))
    assert Path(pdf.file.path).read_bytes() == PDF and str(tmp_path) in pdf.file.path
    assert pdf.file.name.endswith(".pdf") and "会议纪要" not in pdf.file.name  # the name given is never a path
    assert evidence_add(report=report, by=cast.minzheng, name="照片.pdf", content=PNG).content_type == "image/png"
    with pytest.raises(WorkflowError, match="不是可接受的类型"):
        evidence_add(report=report, by=cast.minzheng, name="报告.pdf", content=b"MZ\x90\x00" + b"\x00" * 100)
    with pytest.raises(WorkflowError, match="超过上限"):
        evidence_add(report=report, by=cast.minzheng, name="大.pdf", content=PDF + b" " * 1000)
    with pytest.raises(PermissionDenied):
        evidence_add(report=report, by=cast.sanya, name="x.pdf", content=PDF)


@pytest.mark.django_db
def test_closing_a_task_takes_it_out_of_later_rounds(cast: Any, round_: ReportingRound) -> None:
    from datetime import timedelta

    from django.utils import timezone

    task = Task.objects.get(plan=cast.plan, number=31)
    later = round_add_adhoc(
        plan=cast.plan, title="年底专项", due=timezone.localdate() + timedelta(days=30), tasks=[task], by=cast.office
    )
    assert round_assignments(later).filter(task=task).exists()
    with pytest.raises(PermissionDenied):
        task_close(task=task, by=cast.minzheng, reason="已完成")
    with pytest.raises(WorkflowError, match="理由"):
        task_close(task=task, by=cast.office, reason="")
    task_close(task=task, by=cast.office, reason="已全面完成")
    with pytest.raises(WorkflowError, match="已销号"):
        task_close(task=task, by=cast.office, reason="再次")
    assert not round_assignments(later).filter(task=task).exists()
    assert round_assignments(round_).filter(task=task).exists()  # a round already due keeps its history
    task_reopen(task=task, by=cast.office, reason="发现新问题")
    assert round_assignments(later).filter(task=task).exists()
    actions = list(AuditEntry.objects.filter(object_type="plans.task").values_list("action", "after__closed"))
    assert sorted(actions) == [("task_close", True), ("task_reopen", False)]


@pytest.mark.django_db
def test_an_adhoc_round_covers_only_its_tasks(cast: Any) -> None:
    tasks = list(Task.objects.filter(plan=cast.plan, number__in=[6, 21]))
    with pytest.raises(PermissionDenied):
        round_add_adhoc(
            plan=cast.plan,
            title="床位专项",
            due=date(2022, 6, 30),
            opens=date(2022, 6, 1),
            tasks=tasks,
            by=cast.minzheng,
        )
    with pytest.raises(WorkflowError, match="早于"):
        round_add_adhoc(
            plan=cast.plan, title="床位专项", due=date(2022, 5, 1), opens=date(2022, 6, 1), tasks=tasks, by=cast.office
        )
    adhoc = round_add_adhoc(
        plan=cast.plan, title="床位专项", due=date(2022, 6, 30), opens=date(2022, 6, 1), tasks=tasks, by=cast.office
    )
    numbers = set(round_assignments(adhoc).values_list("task__number", flat=True))
    assert numbers == {6, 21}


@pytest.mark.django_db
def test_every_step_is_in_the_audit_trail(cast: Any, round_: ReportingRound) -> None:
    report = report_start(round_=round_, assignment=assignment(cast.plan, 31, "HI-MZT"), by=cast.minzheng)
    written(report, cast.minzheng, done="新内容")
    entries = list(AuditEntry.objects.filter(object_type="reporting.progressreport").order_by("pk"))
    assert [e.action for e in entries] == ["report_create", "report_save"]
    save = entries[-1]
    assert save.before["done"] == "" and save.after["done"] == "新内容" and save.actor_name == "minzheng"
    assert "version" not in save.after
    membership = AuditEntry.objects.get(action="membership_set", object_repr__startswith="sanya")
    assert (membership.after["unit"], membership.after["reporter"], membership.after["office"]) == (
        cast.sanya.membership.unit_id,
        True,
        False,
    )
    with pytest.raises(ValueError):
        save.delete()
    save.done = "x"
    with pytest.raises(ValueError):
        save.save()


@pytest.mark.django_db
def test_no_quarterly_round_is_made_after_the_quarter_of_the_plans_last_deadline(cast: Any) -> None:
    from duban.indicators.selectors import plan_end
    from duban.reporting.services import rounds_keep_current

    rounds_schedule(plan=cast.plan, until=date(2025, 9, 30), since=date(2025, 7, 1))
    end = plan_end(cast.plan)
    assert end == date(2025, 12, 31)
    assert [r.period for r in rounds_keep_current(today=date(2025, 11, 2))] == ["2025Q4"]  # the last quarter
    assert rounds_keep_current(today=date(2026, 1, 5)) == []  # the plan has nothing left to report on
    assert rounds_keep_current(today=date(2026, 10, 12)) == []
    assert not ReportingRound.objects.filter(plan=cast.plan, period__startswith="2026").exists()
