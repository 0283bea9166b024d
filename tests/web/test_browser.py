"""The dashboard in a real browser (Debian's Chromium driven by Playwright): log in, read the overview,
follow a red task, open an indicator, switch to English and export a table — with no console errors.

Screenshots land in ``test-artifacts/`` for a person to look at.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from duban.accounts.services import membership_set
from duban.indicators.selectors import share_target_find
from duban.indicators.services import (
    census_load_bundled,
    elements_load_bundled,
    indicators_recompute,
    target_shares_set,
    targets_bind,
)
from duban.orgs.services import registry_load_bundled
from duban.plans.models import Plan
from duban.plans.services import plan_import_file
from duban.tools.sample_data import sample_load
from tests.conftest import SEED
from tests.web.conftest import ARTIFACTS, CHROMIUM, log_in, page_errors

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]


@pytest.mark.django_db(transaction=True)
def test_a_supervisor_reads_the_dashboard(live_server: LiveServer, browser_page: Page) -> None:
    registry_load_bundled()
    elements_load_bundled()
    census_load_bundled()
    plan = plan_import_file(path=SEED).plan
    sample_load(plan=plan)
    targets_bind(plan=plan)
    indicators_recompute(plan=plan, until=date(2025, 12, 31))
    beds = share_target_find(plan=plan, key="beds_per_1000_elderly")
    assert beds is not None
    target_shares_set(share_target=beds, method="need", by=None)
    office = get_user_model().objects.create_user("office", password="office-pass", is_staff=True)
    _report_the_last_round_due(plan, office)

    page = browser_page
    base = live_server.url
    errors = page_errors(page)
    ARTIFACTS.mkdir(exist_ok=True)

    page.goto(base + "/")
    assert "/accounts/login/" in page.url
    page.fill("#id_username", "office")
    page.fill("#id_password", "office-pass")
    page.click(".login button")
    page.wait_for_selector("ol.grid")
    assert page.locator("ol.grid .tile").count() == 39
    # Once the round is reported, every task has a status of its own — none is left grey — with its reason.
    assert page.locator("ol.grid .tile.s-none").count() == 0
    six = page.locator("ol.grid .tile", has=page.locator(".n", has_text="6")).first
    assert "个市县逾期未报" in six.locator(".why").inner_text()
    page.screenshot(path=str(ARTIFACTS / "overview.png"), full_page=True)
    # Printed for a meeting: the grid and every target card on one A4 landscape page, with the round named.
    printed = ARTIFACTS / "overview-print.pdf"
    page.pdf(path=str(printed), prefer_css_page_size=True, print_background=True)
    with pdfplumber.open(printed) as pdf:
        assert len(pdf.pages) == 1
        sheet = pdf.pages[0]
        assert abs(sheet.width - 842) < 2 and abs(sheet.height - 595) < 2  # A4 landscape, in points
        text = sheet.extract_text()
    assert "打印于" in text and "任务 26" in text  # the last target card is on the page too
    # The matrix prints every unit's column: laid out for A3 landscape, the table fits the paper's width.
    page.goto(base + "/matrix/")
    columns = page.locator("table.matrix thead th.v").count()
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 1527, "height": 1063})  # A3 landscape less the margins, at 96 px per inch
    assert page.evaluate("document.querySelector('table.matrix').getBoundingClientRect().right") <= 1527
    assert columns > 40 and page.locator(".print-stamp").is_visible()
    page.pdf(path=str(ARTIFACTS / "matrix-print.pdf"), prefer_css_page_size=True, print_background=True)
    with pdfplumber.open(ARTIFACTS / "matrix-print.pdf") as pdf:
        assert abs(pdf.pages[0].width - 1191) < 2 and abs(pdf.pages[0].height - 842) < 2  # A3 landscape
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(base + "/")
    page.select_option("#f-lead", "HI-MZT")
    page.select_option("#f-status", "late")
    page.click("form.filters button")
    page.wait_for_url("**status=late**")
    shown = page.locator("ol.grid .tile")
    assert shown.count() > 0
    assert all(s == "late" for s in shown.evaluate_all("tiles => tiles.map(t => t.dataset.status)"))
    page.goto(base + "/")

    red = page.locator("ol.grid .tile.s-bad").first
    number = red.locator(".n").inner_text()
    red.click()
    page.wait_for_url(f"**/tasks/{number}/")
    assert page.locator("h1").inner_text().startswith(number)

    page.goto(base + "/indicators/beds_per_1000_elderly/")
    page.wait_for_selector("[data-figure=trajectory] .main-svg")
    page.wait_for_selector("[data-figure=ranking] .main-svg")
    assert page.locator(".map svg path[data-code]").count() == 18
    # The trajectory draws the interim targets the status is judged against, a point per quarter to the deadline.
    traces = page.evaluate("document.querySelector('[data-figure=trajectory]').data.map(t => [t.name, t.x.length])")
    assert ["阶段目标", 20] in traces, traces  # the baseline, 2021 Q1, and each quarter to 2025 Q4
    assert page.locator("table.interim tbody tr").count() == 5  # 2021 to 2025, each year's end
    haikou_row = page.locator("table.sortable tbody tr", has=page.locator("a", has_text="海口市"))
    assert haikou_row.locator(".unit-target").inner_text().startswith("≥")
    page.screenshot(path=str(ARTIFACTS / "indicator.png"), full_page=True)
    # 海口's page measures it against its own share of the beds, not the province's whole target.
    page.goto(base + "/units/460100/")
    beds_row = page.locator("tr", has=page.locator("a", has_text="每千名老年人口拥有养老床位数"))
    assert "本单位分解份额" in beds_row.locator(".unit-target").inner_text()
    page.goto(base + "/")
    assert page.locator(".cards svg.spark polyline.interim").count() >= 1
    page.goto(base + "/indicators/beds_per_1000_elderly/")
    page.wait_for_selector("[data-figure=trajectory] .main-svg")

    with page.expect_download() as download:
        page.click("text=导出 Excel")
    saved = ARTIFACTS / "ranking.xlsx"
    download.value.save_as(str(saved))
    assert saved.read_bytes()[:2] == b"PK"

    page.select_option("#language", "en")
    page.click(".lang button")
    page.wait_for_selector("html[lang=en]")
    assert "Export" in page.content()
    page.screenshot(path=str(ARTIFACTS / "indicator-en.png"), full_page=True)

    # Keyboard: the first task tile is reachable with Tab and opens with Enter.
    page.goto(base + "/")
    page.focus("ol.grid .tile >> nth=0")
    page.keyboard.press("Enter")
    page.wait_for_url("**/tasks/1/")

    # A phone: the overview fits the screen's width, nothing to scroll sideways.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base + "/")
    page.wait_for_selector("ol.grid")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "overview-phone.png"), full_page=True)

    assert errors == []


def _report_the_last_round_due(plan: Plan, office: Any) -> None:
    """The demonstration's round: 海口 has reported on its tasks and 省民政厅 on the ones it leads, accepted."""
    from duban.accounts.services import user_create
    from duban.metrics.periods import previous_quarter_start
    from duban.orgs.models import OrgUnit
    from duban.reporting.models import ReportingRound
    from duban.reporting.selectors import figure_elements, round_assignments
    from duban.reporting.services import report_accept, report_save, report_start, report_submit, rounds_schedule

    membership_set(user=office, unit=OrgUnit.objects.get(code="HI-FGW"), roles=["office"])
    today = date.today()
    rounds_schedule(plan=plan, until=today, since=previous_quarter_start(today))
    round_ = ReportingRound.objects.filter(plan=plan, due__lt=today).order_by("-due").first()
    assert round_ is not None
    for code in ("460100", "HI-MZT"):
        reporter = user_create(
            username=f"r-{code}", password="pw-reporter", unit=OrgUnit.objects.get(code=code), roles=["reporter"]
        )
        for a in round_assignments(round_).filter(unit__code=code, task__number__lte=12):
            report = report_start(round_=round_, assignment=a, by=reporter)
            fields = {
                "progress": "in_progress",
                "done": "（示例）推进",
                "figures": {c: 1000 for c in figure_elements(a, round_)},
            }
            report = report_save(report=report, by=reporter, expected_version=report.version, fields=fields)
            report = report_submit(report=report, by=reporter, expected_version=report.version)
            if not report.figures:
                report_accept(report=report, by=office, expected_version=report.version)


def _status(page: Page) -> str:
    return page.locator(".report-status").get_attribute("data-status") or ""


@pytest.mark.django_db(transaction=True)
def test_a_reporting_round_from_the_county_to_the_office(live_server: LiveServer, browser_page: Page) -> None:
    """海口's reporter drafts (the draft saves itself), submits, withdraws and submits again; 海口's approver signs
    off; 省民政厅 (the lead) consolidates; the office returns it with a comment, which 省民政厅 finds in its inbox
    and at the top of the report; 省民政厅 resubmits; the office accepts it with 海口's report, which it ticks;
    then ``duban remind`` for the late units sends one notice each, and a second run sends none."""
    from django.core import mail

    from duban.cli import main
    from duban.notices.models import Notice
    from duban.reporting.models import ProgressReport, ReportingRound
    from duban.reporting.services import rounds_schedule
    from tests.conftest import Cast

    registry_load_bundled()
    elements_load_bundled()
    plan = plan_import_file(path=SEED).plan
    targets_bind(plan=plan)
    Cast(plan)  # the accounts: 海口's and 省民政厅's reporters and approvers, the office, 三亚
    rounds_schedule(plan=plan, until=date(2022, 9, 30), since=date(2022, 7, 1))
    round_ = ReportingRound.objects.get(plan=plan, period="2022Q3")

    page = browser_page
    base = live_server.url
    errors = page_errors(page)
    ARTIFACTS.mkdir(exist_ok=True)

    # 海口's reporter: task 6 asks for the older population as a figure.
    log_in(page, base, "haikou", "pw-haikou")
    page.goto(f"{base}/work/?round={round_.pk}")
    row = page.locator("tr", has=page.locator(".num", has_text="6")).filter(has_text="养老床位").first
    row.locator("button").click()
    page.wait_for_selector("#report-form")
    page.select_option("#progress", "in_progress")
    page.fill("#done", "海口市本季度新增养老床位 300 张。")
    page.fill("#figure_pop_60plus", "250000")
    page.wait_for_selector(".autosave:has-text('草稿已自动保存')")
    report_id = int(page.url.rstrip("/").split("/")[-1])
    assert ProgressReport.objects.get(pk=report_id).done == "海口市本季度新增养老床位 300 张。"
    page.screenshot(path=str(ARTIFACTS / "report-form.png"), full_page=True)
    page.click("button[value=submit]")
    page.wait_for_selector(".report-status[data-status=awaiting_signoff]")
    # A second look before anyone reviewed it: the reporter takes it back, writes the figure as 25万, sends it again.
    page.click("text=撤回修改")
    page.wait_for_selector(".report-status[data-status=draft]")
    page.fill("#figure_pop_60plus", "25万")
    page.click("button[value=submit]")
    page.wait_for_selector(".report-status[data-status=awaiting_signoff]")
    assert ProgressReport.objects.get(pk=report_id).figures == {"pop_60plus": 250000}

    # 海口's approver signs it off; it leaves the unit.
    log_in(page, base, "haikou-approver", "pw-hk-approver")
    page.goto(f"{base}/work/?round={round_.pk}")
    page.click(f"a[href='/reports/{report_id}/']")
    page.click("text=审核通过并报送")
    page.wait_for_selector(".report-status[data-status=submitted]")

    # 省民政厅 leads task 6: it sees 海口's report and writes the consolidated one; its approver signs off.
    log_in(page, base, "minzheng", "pw-minzheng")
    page.goto(f"{base}/work/?round={round_.pk}")
    page.locator("tr", has_text="养老床位数达到32张").locator("button").click()
    page.wait_for_selector("#report-form")
    assert "海口市" in page.locator("#inputs-h + table").inner_text()
    page.fill("#done", "全省新增养老床位 3000 张，汇总各市县情况。")
    page.click("button[value=submit]")
    page.wait_for_selector(".report-status[data-status=awaiting_signoff]")
    lead_id = int(page.url.rstrip("/").split("/")[-1])
    log_in(page, base, "minzheng-approver", "pw-mz-approver")
    page.goto(f"{base}/reports/{lead_id}/")
    page.click("text=审核通过并报送")
    page.wait_for_selector(".report-status[data-status=submitted]")

    # The office returns it with a comment.
    log_in(page, base, "office", "pw-office")
    page.goto(f"{base}/office/?round={round_.pk}")
    page.screenshot(path=str(ARTIFACTS / "office.png"), full_page=True)
    page.click(f"#queue-h ~ table a[href='/reports/{lead_id}/']")
    page.fill("#review-comment", "请补充各市县床位数据。")
    page.click("text=退回修改")
    page.wait_for_selector(".report-status[data-status=returned]")

    # 省民政厅 is told, and its report says why it came back above the form; it resubmits, it is signed off
    # again and the office accepts it.
    log_in(page, base, "minzheng", "pw-minzheng")
    page.goto(f"{base}/inbox/")
    assert "被退回" in page.locator(".inbox").inner_text()
    page.goto(f"{base}/reports/{lead_id}/")
    reason = page.locator(".returned-reason")
    assert "请补充各市县床位数据。" in reason.inner_text()
    reason_box, form_box = reason.bounding_box(), page.locator("#report-form").bounding_box()
    assert reason_box is not None and form_box is not None and reason_box["y"] < form_box["y"]
    page.screenshot(path=str(ARTIFACTS / "report-returned.png"), full_page=True)
    page.fill("#done", "全省新增养老床位 3000 张，其中海口 300 张。")
    page.click("button[value=submit]")
    page.wait_for_selector(".report-status[data-status=awaiting_signoff]")
    log_in(page, base, "minzheng-approver", "pw-mz-approver")
    page.goto(f"{base}/reports/{lead_id}/")
    page.click("text=审核通过并报送")
    page.wait_for_selector(".report-status[data-status=submitted]")
    log_in(page, base, "office", "pw-office")
    page.goto(f"{base}/reports/{lead_id}/")
    # 海口's report is accepted with it only because the office ticks it.
    assert "海口市" in page.locator("fieldset.along").inner_text()
    page.check(f"input[name=with_inputs][value='{report_id}']")
    page.click("button:has-text('通过'):not(:has-text('审核'))")
    page.wait_for_selector(".report-status[data-status=accepted]")
    assert ProgressReport.objects.get(pk=report_id).status == "accepted"
    page.screenshot(path=str(ARTIFACTS / "report-accepted.png"), full_page=True)

    # The round is long past due: every unit that has not sent in everything gets one overdue notice, and
    # escalations go out; a second run sends nothing new.
    mail.outbox.clear()
    assert main(["remind", "--today", "2022-10-12"]) == 0
    overdue = Notice.objects.filter(kind="overdue", round=round_, unit__code="460200")
    assert overdue.count() == 1
    sent = len(mail.outbox)
    assert main(["remind", "--today", "2022-10-12"]) == 0
    assert Notice.objects.filter(kind="overdue", round=round_, unit__code="460200").count() == 1
    assert len(mail.outbox) == sent

    # 三亚 reads its notice in the inbox, on a phone.
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, base, "sanya", "pw-sanya")
    page.goto(f"{base}/inbox/")
    assert overdue.get().subject in page.locator(".inbox").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "inbox-phone.png"), full_page=True)
    page.goto(f"{base}/work/?round={round_.pk}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "work-phone.png"), full_page=True)

    # The office on a phone: its workspace and a report fit the screen's width too.
    log_in(page, base, "office", "pw-office")
    for path in (f"/office/?round={round_.pk}", f"/reports/{lead_id}/", f"/reports/{report_id}/"):
        page.goto(base + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
    page.goto(f"{base}/office/?round={round_.pk}")
    page.screenshot(path=str(ARTIFACTS / "office-phone.png"), full_page=True)
    assert errors == []


@pytest.mark.django_db(transaction=True)
def test_text_typed_just_before_submitting_is_submitted(live_server: LiveServer, browser_page: Page) -> None:
    """A slow autosave is under way and another is queued behind it when the reporter clicks 保存并提交: the
    form waits for the save, and no queued save may overtake it with the same version (the form would be
    refused as stale, and the words typed last with it)."""
    from playwright.sync_api import Route

    from duban.plans.models import Assignment
    from duban.reporting.models import ProgressReport, ReportingRound
    from duban.reporting.services import report_start, rounds_schedule
    from tests.conftest import Cast

    registry_load_bundled()
    plan = plan_import_file(path=SEED).plan
    cast = Cast(plan)
    rounds_schedule(plan=plan, until=date(2022, 9, 30), since=date(2022, 7, 1))
    round_ = ReportingRound.objects.get(plan=plan, period="2022Q3")
    assignment = Assignment.objects.get(task__plan=plan, task__number=31, unit__code="HI-MZT")
    report = report_start(round_=round_, assignment=assignment, by=cast.minzheng)

    page = browser_page
    base = live_server.url
    errors = page_errors(page)
    held: list[Route] = []
    holding = [True]

    def slow_autosave(route: Route) -> None:
        if holding[0] and "application/json" in (route.request.headers.get("accept") or ""):
            held.append(route)
        else:
            route.continue_()

    page.route("**/reports/*/save", slow_autosave)
    log_in(page, base, "minzheng", "pw-minzheng")
    page.goto(f"{base}/reports/{report.pk}/")
    page.fill("#done", "第一句。")
    page.wait_for_timeout(1800)  # the first autosave leaves, and hangs
    assert len(held) == 1
    page.fill("#done", "第一句。最后一句。")
    page.wait_for_timeout(1800)  # a second autosave is queued behind it
    page.click("button[value=submit]")
    holding[0] = False
    held[0].continue_()
    page.wait_for_selector(".report-status[data-status=awaiting_signoff]")  # 省民政厅 has an approver
    report = ProgressReport.objects.get(pk=report.pk)
    assert (report.status, report.done) == ("awaiting_signoff", "第一句。最后一句。")
    assert errors == []


@pytest.mark.django_db(transaction=True)
def test_text_typed_just_before_uploading_evidence_is_kept(
    live_server: LiveServer, browser_page: Page, tmp_path: Path
) -> None:
    """The reporter types and at once uploads a file, before the autosave's pause is over: the upload waits for
    the text to be saved, so that the page it comes back to still holds it."""
    from duban.plans.models import Assignment
    from duban.reporting.models import ProgressReport, ReportingRound
    from duban.reporting.services import report_start, rounds_schedule
    from tests.conftest import Cast

    registry_load_bundled()
    plan = plan_import_file(path=SEED).plan
    cast = Cast(plan)
    rounds_schedule(plan=plan, until=date(2022, 9, 30), since=date(2022, 7, 1))
    round_ = ReportingRound.objects.get(plan=plan, period="2022Q3")
    assignment = Assignment.objects.get(task__plan=plan, task__number=31, unit__code="HI-MZT")
    report = report_start(round_=round_, assignment=assignment, by=cast.minzheng)
    evidence = tmp_path / "会议纪要.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

    page = browser_page
    base = live_server.url
    errors = page_errors(page)
    log_in(page, base, "minzheng", "pw-minzheng")
    page.goto(f"{base}/reports/{report.pk}/")
    page.fill("#done", "刚写下、尚未自动保存的一句。")
    page.set_input_files("#file", str(evidence))
    page.click("#evidence-form button[type=submit]")  # well within the autosave's pause of 1.5 s
    page.wait_for_selector("text=已上传")
    assert page.input_value("#done") == "刚写下、尚未自动保存的一句。"
    assert ProgressReport.objects.get(pk=report.pk).done == "刚写下、尚未自动保存的一句。"
    assert errors == []
