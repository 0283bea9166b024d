"""In Chromium: the office gives 定安县's reporter an account; the reporter signs in with the temporary password,
is made to set their own, and lands on their workspace with the county's tasks."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from duban.accounts.models import Membership
from duban.accounts.services import user_create
from duban.orgs.models import OrgUnit
from duban.orgs.services import registry_load_bundled
from duban.plans.services import plan_import_file
from duban.reporting.models import ReportingRound
from tests.conftest import SEED
from tests.web.conftest import ARTIFACTS, CHROMIUM, page_errors

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]


@pytest.mark.django_db(transaction=True)
def test_the_office_gives_a_county_reporter_an_account(live_server: LiveServer, browser_page: Page) -> None:
    registry_load_bundled()
    plan = plan_import_file(path=SEED).plan
    today = timezone.localdate()
    ReportingRound.objects.create(
        plan=plan, title="本季度", period="2026Q4", opens=today - timedelta(days=5), due=today + timedelta(days=20)
    )
    user_create(username="office", password="pw-office", unit=OrgUnit.objects.get(code="HI-FGW"), roles=["office"])

    page = browser_page
    base = live_server.url
    errors = page_errors(page)
    ARTIFACTS.mkdir(exist_ok=True)

    page.goto(base + "/accounts/login/")
    page.fill("#id_username", "office")
    page.fill("#id_password", "pw-office")
    page.click(".login button")
    page.click("header nav >> text=单位账号")
    page.wait_for_url("**/office/accounts/")
    page.fill("#acc-unit", "469021")
    page.fill("#acc-username", "dingan-tb")
    page.fill("#acc-name", "王芳")
    page.check("input[name=roles][value=reporter]")
    page.screenshot(path=str(ARTIFACTS / "accounts.png"), full_page=True)
    page.click(".account-add button[type=submit]")
    page.wait_for_selector("#issued-password")
    temporary = page.locator("#issued-password").inner_text().strip()
    assert page.locator("#issued-username").inner_text() == "dingan-tb"
    page.click("text=返回单位账号")
    row = page.locator("tr[data-user=dingan-tb]")
    assert "定安县" in row.inner_text() and "从未登录" in row.inner_text()
    page.click(".logout button")

    page.goto(base + "/accounts/login/")
    page.fill("#id_username", "dingan-tb")
    page.fill("#id_password", temporary)
    page.click(".login button")
    page.wait_for_url("**/accounts/password/**")
    assert page.locator("h1").inner_text() == "请设置新密码"
    # Another page is no way round it.
    page.goto(base + "/matrix/")
    page.wait_for_url("**/accounts/password/?next=%2Fmatrix%2F")
    page.goto(base + "/accounts/password/")
    page.fill("#id_new", "12345678")
    page.fill("#id_repeat", "12345678")
    page.click(".password button")
    page.wait_for_selector(".msg-error")
    page.fill("#id_new", "Qiong-Lan-2026")
    page.fill("#id_repeat", "Qiong-Lan-2026")
    page.click(".password button")
    page.wait_for_url("**/work/")
    assert page.locator("h1").inner_text() == "我的工作台"
    assert page.locator("text=密码已更新").count() == 1
    # 定安县 is one of 各市县政府: the county's tasks are there to report on.
    assert page.locator("tbody tr").count() > 10
    page.screenshot(path=str(ARTIFACTS / "first-sign-in.png"), full_page=True)
    assert not Membership.objects.get(user__username="dingan-tb").password_must_change
    assert errors == []
