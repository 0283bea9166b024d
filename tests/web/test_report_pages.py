"""The report page as its people use it: accepting a lead unit's report with the co-units' reports chosen on the
page, the reason a report came back at the top, withdrawing, figures written as 12万, and the outsider's 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from duban.plans.models import Assignment
from duban.reporting.models import ProgressReport, ReportingRound
from duban.reporting.services import report_save, report_sign_off, report_start, report_submit

Status = ProgressReport.Status


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def sent_in(round_: ReportingRound, cast: Any, number: int, code: str, **fields: Any) -> ProgressReport:
    reporter, approver = (
        (cast.haikou, cast.haikou_approver) if code == "460100" else (cast.minzheng, cast.minzheng_approver)
    )
    assignment = Assignment.objects.get(task__plan=cast.plan, task__number=number, unit__code=code)
    report = report_start(round_=round_, assignment=assignment, by=reporter)
    report = report_save(
        report=report, by=reporter, expected_version=report.version, fields={"done": "已推进"} | fields
    )
    report = report_submit(report=report, by=reporter, expected_version=report.version)
    return report_sign_off(report=report, by=approver, expected_version=report.version)


@pytest.fixture
def round_(cast: Any) -> ReportingRound:
    from datetime import date

    from duban.indicators.services import elements_load_bundled, targets_bind
    from duban.reporting.services import rounds_schedule

    elements_load_bundled()
    targets_bind(plan=cast.plan)
    rounds_schedule(plan=cast.plan, until=date(2022, 9, 30), since=date(2022, 7, 1))
    return ReportingRound.objects.get(plan=cast.plan, period="2022Q3")


@pytest.mark.django_db
def test_the_office_accepts_the_lead_report_with_the_co_units_it_ticks(cast: Any, round_: ReportingRound) -> None:
    county = sent_in(round_, cast, 6, "460100", figures={"pop_60plus": "250000"}, problems="用地紧张")
    lead = sent_in(round_, cast, 6, "HI-MZT")
    office = client_for(cast.office)
    page = office.get(f"/reports/{lead.pk}/").content.decode()
    assert f'name="with_inputs" value="{county.pk}"' in page and "用地紧张" in page
    response = office.post(f"/reports/{lead.pk}/accept", {"version": lead.version, "with_inputs": [str(county.pk)]})
    assert response.status_code == 302
    county.refresh_from_db()
    lead.refresh_from_db()
    assert (lead.status, county.status) == (Status.ACCEPTED, Status.ACCEPTED)


@pytest.mark.django_db
def test_the_outsider_gets_404_for_the_report_and_its_steps(cast: Any, round_: ReportingRound) -> None:
    county = sent_in(round_, cast, 6, "460100", figures={"pop_60plus": "250000"})
    sanya = client_for(cast.sanya)
    assert sanya.get(f"/reports/{county.pk}/").status_code == 404
    for action in ("withdraw", "accept"):
        assert sanya.post(f"/reports/{county.pk}/{action}", {"version": county.version}).status_code == 404
    county.refresh_from_db()
    assert county.status == Status.SUBMITTED
