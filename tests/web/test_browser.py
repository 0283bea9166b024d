"""The dashboard in a real browser (Debian's Chromium driven by Playwright): log in, read the overview,
follow a red task, open an indicator, switch to English and export a table — with no console errors.

Screenshots land in ``test-artifacts/`` for a person to look at.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, sync_playwright
from pytest_django.live_server_helper import LiveServer

from duban.indicators.sample import sample_load
from duban.indicators.services import census_load_bundled, elements_load_bundled, indicators_recompute, targets_bind
from duban.orgs.services import registry_load_bundled
from duban.plans.services import plan_import_file
from tests.conftest import SEED

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")


@pytest.fixture
def browser_page() -> Iterator[Page]:
    # Playwright's synchronous API runs an event loop in this thread; the ORM calls the test makes between
    # its steps are still synchronous, so Django's guard against async contexts is lifted for the test.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page(viewport={"width": 1366, "height": 768}, accept_downloads=True)
        yield page
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.mark.django_db(transaction=True)
def test_a_supervisor_reads_the_dashboard(live_server: LiveServer, browser_page: Page) -> None:
    registry_load_bundled()
    elements_load_bundled()
    census_load_bundled()
    plan = plan_import_file(path=SEED).plan
    sample_load(plan=plan)
    targets_bind(plan=plan)
    indicators_recompute(plan=plan, until=date(2025, 12, 31))
    get_user_model().objects.create_user("office", password="office-pass", is_staff=True)

    page = browser_page
    base = live_server.url
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    ARTIFACTS.mkdir(exist_ok=True)

    page.goto(base + "/")
    assert "/accounts/login/" in page.url
    page.fill("#id_username", "office")
    page.fill("#id_password", "office-pass")
    page.click(".login button")
    page.wait_for_selector("ol.grid")
    assert page.locator("ol.grid .tile").count() == 39
    page.screenshot(path=str(ARTIFACTS / "overview.png"), full_page=True)

    red = page.locator("ol.grid .tile.s-bad").first
    number = red.locator(".n").inner_text()
    red.click()
    page.wait_for_url(f"**/tasks/{number}/")
    assert page.locator("h1").inner_text().startswith(number)

    page.goto(base + "/indicators/beds_per_1000_elderly/")
    page.wait_for_selector("[data-figure=trajectory] .main-svg")
    page.wait_for_selector("[data-figure=ranking] .main-svg")
    assert page.locator(".map svg path[data-code]").count() == 18
    page.screenshot(path=str(ARTIFACTS / "indicator.png"), full_page=True)

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
