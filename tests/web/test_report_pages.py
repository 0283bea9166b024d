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


@pytest.mark.django_db
def test_a_returned_report_says_why_at_the_top_and_its_reporter_is_told(cast: Any, round_: ReportingRound) -> None:
    from duban.notices.models import Notice

    county = sent_in(round_, cast, 6, "460100", figures={"pop_60plus": "250000"})
    office = client_for(cast.office)
    office.post(f"/reports/{county.pk}/return", {"version": county.version, "comment": "请核实老年人口数"})
    page = client_for(cast.haikou).get(f"/reports/{county.pk}/").content.decode()
    reason = page.index('class="returned-reason"')
    assert page.index("请核实老年人口数") > reason and reason < page.index('id="report-form"')
    [notice] = Notice.objects.filter(kind=Notice.Kind.RETURNED, report=county)
    assert "请核实老年人口数" in notice.body
    assert notice.subject in client_for(cast.haikou).get("/inbox/").content.decode()


@pytest.mark.django_db
def test_a_reporter_withdraws_a_report_before_review(cast: Any, round_: ReportingRound) -> None:
    county = sent_in(round_, cast, 6, "460100", figures={"pop_60plus": "250000"})
    haikou = client_for(cast.haikou)
    assert "撤回修改" in haikou.get(f"/reports/{county.pk}/").content.decode()
    # The approver is no reporter: the step is not theirs.
    approver = client_for(cast.haikou_approver)
    assert approver.post(f"/reports/{county.pk}/withdraw", {"version": county.version}).status_code == 403
    haikou.post(f"/reports/{county.pk}/withdraw", {"version": county.version})
    county.refresh_from_db()
    assert county.status == Status.DRAFT and county.submitted_at is None
    assert county.events.latest("pk").action == "withdraw"
    # A draft is its unit's alone again.
    assert client_for(cast.office).get(f"/reports/{county.pk}/").status_code == 404


@pytest.mark.django_db
def test_a_second_reminder_the_same_day_says_it_was_not_sent(cast: Any, round_: ReportingRound) -> None:
    office = client_for(cast.office)
    first = office.post(f"/office/rounds/{round_.pk}/remind/460100", follow=True).content.decode()
    assert "已向海口市发出催办" in first
    again = office.post(f"/office/rounds/{round_.pk}/remind/460100", follow=True).content.decode()
    assert "今天已催办过，未重复发送：海口市" in again and "已向海口市发出催办" not in again
    everyone = office.post(f"/office/rounds/{round_.pk}/remind-all", follow=True).content.decode()
    assert "个单位发出催办" in everyone and "今天已催办过，未重复发送：海口市" in everyone
    assert client_for(cast.haikou).post(f"/office/rounds/{round_.pk}/remind-all").status_code in (403, 404)


@pytest.mark.django_db
def test_a_refused_figure_keeps_what_was_typed(cast: Any, round_: ReportingRound) -> None:
    assignment = Assignment.objects.get(task__plan=cast.plan, task__number=6, unit__code="460100")
    report = report_start(round_=round_, assignment=assignment, by=cast.haikou)
    haikou = client_for(cast.haikou)
    typed = {
        "version": report.version,
        "done": "本季度新增床位 300 张",
        "figure_pop_60plus": "十二万",
        "then": "submit",
    }
    response = haikou.post(f"/reports/{report.pk}/save", typed)
    page = response.content.decode()
    assert response.status_code == 400
    assert "“60岁及以上人口”的值“十二万”不是数字" in page and "pop_60plus</" not in page
    assert 'value="十二万"' in page and "本季度新增床位 300 张</textarea>" in page
    report.refresh_from_db()
    assert (report.done, report.figures, report.status) == ("", {}, Status.DRAFT)  # nothing partial
    # 12万 is a figure.
    typed |= {"figure_pop_60plus": "12万", "then": ""}
    assert haikou.post(f"/reports/{report.pk}/save", typed).status_code == 302
    report.refresh_from_db()
    assert report.figures == {"pop_60plus": 120000}
