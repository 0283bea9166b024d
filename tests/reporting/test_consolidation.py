"""Accepting a lead unit's consolidated report accepts only what somebody chose to accept: the co-units' reports
named on the page, each at the version the lead consolidated, and never one its accepter submitted or signed
off."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from duban.indicators.models import DataValue
from duban.plans.models import Assignment
from duban.reporting import selectors
from duban.reporting.models import ProgressReport, ReportingRound
from duban.reporting.services import (
    WorkflowError,
    report_accept,
    report_return,
    report_save,
    report_sign_off,
    report_start,
    report_submit,
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
def test_accepting_the_lead_report_alone_leaves_the_co_units_waiting(cast: Any, round_: ReportingRound) -> None:
    county = sent_in(round_, cast, 6, "460100", pop_60plus="250000")
    lead = sent_in(round_, cast, 6, "HI-MZT")
    report_accept(report=lead, by=cast.office, expected_version=lead.version)
    county.refresh_from_db()
    assert county.status == Status.SUBMITTED
    assert not DataValue.objects.filter(org__code="460100", element__code="pop_60plus").exists()


@pytest.mark.django_db
def test_the_page_lists_what_accepting_the_lead_report_would_accept(cast: Any, round_: ReportingRound) -> None:
    county = sent_in(round_, cast, 6, "460100", pop_60plus="250000")
    lead = sent_in(round_, cast, 6, "HI-MZT")
    detail = selectors.report_detail(user=cast.office, pk=lead.pk)
    assert [(c.report.pk, c.acceptable) for c in detail.consolidated] == [(county.pk, True)]
    report_accept(report=lead, by=cast.office, expected_version=lead.version, with_inputs=[county.pk])
    county.refresh_from_db()
    assert county.status == Status.ACCEPTED
    assert county.events.latest("pk").comment == "随牵头单位汇总报告一并通过"
    assert DataValue.objects.get(org__code="460100", element__code="pop_60plus", period="2022Q3").value == 250000


@pytest.mark.django_db
def test_a_co_unit_report_rewritten_after_consolidation_is_not_accepted_unseen(
    cast: Any, round_: ReportingRound
) -> None:
    county = sent_in(round_, cast, 6, "460100", pop_60plus="250000")
    lead = sent_in(round_, cast, 6, "HI-MZT")
    # The office returns 海口's report after the lead consolidated it; 海口 rewrites it and sends it again.
    county = report_return(report=county, by=cast.office, expected_version=county.version, comment="人口数有误")
    county = report_save(
        report=county, by=cast.haikou, expected_version=county.version, fields={"figures": {"pop_60plus": "1000"}}
    )
    county = report_submit(report=county, by=cast.haikou, expected_version=county.version)
    county = report_sign_off(report=county, by=cast.haikou_approver, expected_version=county.version)
    assert county.status == Status.SUBMITTED
    detail = selectors.report_detail(user=cast.office, pk=lead.pk)
    [held] = detail.consolidated
    assert not held.acceptable and held.reason == "changed"
    with pytest.raises(WorkflowError, match="海口市"):
        report_accept(report=lead, by=cast.office, expected_version=lead.version, with_inputs=[county.pk])
    lead.refresh_from_db()
    county.refresh_from_db()
    assert (lead.status, county.status) == (Status.SUBMITTED, Status.SUBMITTED)  # nothing partial
    assert not DataValue.objects.filter(org__code="460100", element__code="pop_60plus").exists()


@pytest.mark.django_db
def test_no_report_is_accepted_through_the_lead_by_the_one_who_sent_it(cast: Any, round_: ReportingRound) -> None:
    from duban.accounts.services import membership_set

    # One person is the office and 海口's approver: they signed 海口's report off themselves.
    membership_set(user=cast.office, unit=cast.haikou.membership.unit, roles=["office", "approver"])
    cast.office.__dict__.pop("_duban_access", None)
    assignment = Assignment.objects.get(task__plan=cast.plan, task__number=6, unit__code="460100")
    county = report_start(round_=round_, assignment=assignment, by=cast.haikou)
    county = report_save(
        report=county,
        by=cast.haikou,
        expected_version=county.version,
        fields={"done": "已推进", "figures": {"pop_60plus": "250000"}},
    )
    county = report_submit(report=county, by=cast.haikou, expected_version=county.version)
    county = report_sign_off(report=county, by=cast.office, expected_version=county.version)
    lead = sent_in(round_, cast, 6, "HI-MZT")
    [held] = selectors.report_detail(user=cast.office, pk=lead.pk).consolidated
    assert not held.acceptable and held.reason == "own"
    with pytest.raises(WorkflowError, match="海口市"):
        report_accept(report=lead, by=cast.office, expected_version=lead.version, with_inputs=[county.pk])
    county.refresh_from_db()
    assert county.status == Status.SUBMITTED and county.updated_at <= timezone.now()


@pytest.mark.django_db
def test_the_lead_reads_and_starts_from_what_the_co_units_wrote(cast: Any, round_: ReportingRound) -> None:
    from duban.reporting.services import evidence_add, report_draw_from_inputs

    assignment = Assignment.objects.get(task__plan=cast.plan, task__number=6, unit__code="460100")
    county = report_start(round_=round_, assignment=assignment, by=cast.haikou)
    fields = {
        "done": "新增床位 300 张",
        "problems": "用地紧张",
        "next_steps": "新建两所养老院",
        "figures": {"pop_60plus": "250000"},
    }
    county = report_save(report=county, by=cast.haikou, expected_version=county.version, fields=fields)
    evidence_add(report=county, by=cast.haikou, name="照片.pdf", content=b"%PDF-1.4\n%%EOF\n")
    county = report_submit(report=county, by=cast.haikou, expected_version=county.version)
    county = report_sign_off(report=county, by=cast.haikou_approver, expected_version=county.version)

    lead = report_start(
        round_=round_,
        assignment=Assignment.objects.get(task__plan=cast.plan, task__number=6, unit__code="HI-MZT"),
        by=cast.minzheng,
    )
    [shown] = selectors.report_detail(user=cast.minzheng, pk=lead.pk).inputs
    assert (shown.report.problems, shown.report.next_steps) == ("用地紧张", "新建两所养老院")
    assert [(e.code, v) for e, v in shown.figures] == [("pop_60plus", 250000)]
    assert [e.name for e in shown.evidence] == ["照片.pdf"]

    lead = report_save(report=lead, by=cast.minzheng, expected_version=lead.version, fields={"done": "全省汇总："})
    lead = report_draw_from_inputs(report=lead, by=cast.minzheng, expected_version=lead.version)
    assert lead.done == "全省汇总：\n【海口市】新增床位 300 张"
    assert (lead.problems, lead.next_steps) == ("【海口市】用地紧张", "【海口市】新建两所养老院")
    again = report_draw_from_inputs(report=lead, by=cast.minzheng, expected_version=lead.version)
    assert again.done == lead.done  # drawn once
    with pytest.raises(PermissionDenied):  # a co-unit's report, sent in, is nobody's to fill from others
        report_draw_from_inputs(report=county, by=cast.haikou, expected_version=county.version)


@pytest.mark.django_db
def test_a_report_withdrawn_before_review_is_a_draft_again(cast: Any, round_: ReportingRound) -> None:
    from duban.audit.models import AuditEntry
    from duban.reporting.services import report_withdraw

    county = sent_in(round_, cast, 6, "460100", pop_60plus="250000")
    with pytest.raises(PermissionDenied):  # the approver signed it off; taking it back is the reporter's
        report_withdraw(report=county, by=cast.haikou_approver, expected_version=county.version)
    county = report_withdraw(report=county, by=cast.haikou, expected_version=county.version)
    assert (county.status, county.submitted_at) == (Status.DRAFT, None)
    assert AuditEntry.objects.filter(action="report_withdraw", object_id=str(county.pk)).exists()
    with pytest.raises(PermissionDenied):  # a draft is no longer waiting for anyone
        report_withdraw(report=county, by=cast.haikou, expected_version=county.version)
    county = report_submit(report=county, by=cast.haikou, expected_version=county.version)
    accepted = report_accept(
        report=report_sign_off(report=county, by=cast.haikou_approver, expected_version=county.version),
        by=cast.office,
        expected_version=county.version + 1,
    )
    with pytest.raises(PermissionDenied):  # reviewed: too late to withdraw
        report_withdraw(report=accepted, by=cast.haikou, expected_version=accepted.version)
