"""数据导入 in a real browser (Debian's Chromium driven by Playwright): the office downloads 海口's template,
fills it in with one figure mistyped, uploads it and sees the error naming the row and the column, corrects
it, uploads again, confirms, and watches the job — run by a thread of the live server, as in production —
finish, with the figures stored and the indicators recomputed."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from django.db import connection
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from duban.indicators.models import DataValue, ImportJob, IndicatorSeries
from duban.indicators.services import elements_load_bundled, targets_bind
from duban.orgs.services import registry_load_bundled
from duban.plans.services import plan_import_file
from tests.conftest import SEED, Cast
from tests.web.conftest import ARTIFACTS, CHROMIUM, log_in, page_errors

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]


@pytest.mark.django_db(transaction=True)
def test_the_office_loads_a_workbook_with_one_bad_row(
    live_server: LiveServer, browser_page: Page, tmp_path: Path
) -> None:
    if connection.vendor == "sqlite":
        # The test database is SQLite in memory with a shared cache, whose locks are per table and never wait:
        # the pages (served on this connection) would fail while the job's thread writes on its own. A file
        # database, what duban runs on, makes a reader wait for the writer instead.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA read_uncommitted = 1")
    registry_load_bundled()
    elements_load_bundled()
    plan = plan_import_file(path=SEED).plan
    targets_bind(plan=plan)
    Cast(plan)

    page = browser_page
    base = live_server.url
    errors = page_errors(page)
    ARTIFACTS.mkdir(exist_ok=True)

    log_in(page, base, "office", "pw-office")
    page.click("header nav >> text=数据导入")
    page.wait_for_selector("h1:has-text('数据导入')")
    page.select_option("#t-set", "population")
    page.select_option("#t-unit", "460100")
    page.select_option("#t-period", "2024")
    with page.expect_download() as download:
        page.click("text=下载模板")
    template = tmp_path / "template.xlsx"
    download.value.save_as(str(template))

    book = openpyxl.load_workbook(template)
    sheet = book["填报"]
    figures = {"pop_total": 700000, "pop_60plus": 110000, "pop_65plus": 75000, "pop_0_3": 21000}
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "460100":
            row[6].value = figures[str(row[3].value)]
    sheet["G3"].value = "十一万"  # 海口市 pop_60plus, typed in words
    filled = tmp_path / "海口市-2024-人口.xlsx"
    book.save(filled)

    page.set_input_files("#import-file", str(filled))
    page.click("form.import-form button[type=submit]")
    page.wait_for_selector("table.problems")
    problem = page.locator("table.problems tbody tr").first.inner_text()
    assert "3" in problem and "value" in problem and "十一万" in problem and "不是数字" in problem
    assert "海口市-2024-人口.xlsx：1 处错误，未写入任何数据" in page.locator("#problems-h").inner_text()
    page.screenshot(path=str(ARTIFACTS / "dataimport-error.png"), full_page=True)
    assert ImportJob.objects.count() == 0

    sheet["G3"].value = 110000
    out = io.BytesIO()
    book.save(out)
    filled.write_bytes(out.getvalue())
    page.set_input_files("#import-file", str(filled))
    page.click("form.import-form button[type=submit]")
    page.wait_for_selector("text=检查通过")
    assert "导入后将新增 4" in page.content()
    assert not DataValue.objects.filter(period="2024").exists()
    page.screenshot(path=str(ARTIFACTS / "dataimport-checked.png"), full_page=True)

    series_before = IndicatorSeries.objects.count()
    page.click("text=确认导入")
    page.wait_for_selector("text=导入完成", timeout=60_000)
    assert "新增 4、更新 0、未变 0" in page.locator(".job-result").inner_text()
    page.screenshot(path=str(ARTIFACTS / "dataimport-done.png"), full_page=True)
    job = ImportJob.objects.get()
    assert job.state == ImportJob.State.DONE and job.worker  # run by a thread of the web process
    stored = {v.element.code: v.value for v in DataValue.objects.filter(period="2024", org__code="460100")}
    assert stored == figures
    assert IndicatorSeries.objects.count() > series_before

    page.click("header nav >> text=数据导入")
    assert "已完成" in page.locator("table.data").last.inner_text()
    assert errors == []
