"""Every dashboard page: login required, Chinese first with English on request, a bounded number of
queries, exports that open, and nothing fetched from another host."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from duban.indicators.services import census_load_bundled, elements_load_bundled, indicators_recompute, targets_bind
from duban.plans.models import Plan
from duban.tools.sample_data import sample_load

PAGES = {
    "/": "重点任务",
    "/indicators/beds_per_1000_elderly/": "每千名老年人口拥有养老床位数",
    "/indicators/township_center_coverage/": "三亚市",
    "/tasks/6/": "省民政厅",
    "/tasks/38/": "本任务无量化目标",
    "/units/HI-MZT/": "牵头的任务",
    "/units/HI-CBIRC/": "职责已由国家金融监督管理总局海南监管局承接",
    "/units/460100/": "指标与目标",
    "/matrix/": "责任分工矩阵",
    "/matrix/?unit=省统计局&role=lead": "强化数据资源支撑",
    "/search/?q=民政": "海南省民政厅",
}


@pytest.fixture
def demo(seed_plan: Plan) -> Plan:
    elements_load_bundled()
    census_load_bundled()
    sample_load(plan=seed_plan)
    targets_bind(plan=seed_plan)
    indicators_recompute(plan=seed_plan, until=date(2025, 12, 31))
    return seed_plan


@pytest.fixture
def office(db: None) -> Client:
    user = get_user_model().objects.create_user("office", password="x", is_staff=True)
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_every_page(demo: Plan, office: Client, django_assert_max_num_queries: object) -> None:
    for url, text in PAGES.items():
        with django_assert_max_num_queries(40):  # type: ignore[operator]
            response = office.get(url)
        page = response.content.decode()
        assert response.status_code == 200, url
        assert text in page, url
        assert '<html lang="zh-hans">' in page
        assert "示例数据" in page  # the sample-data banner
        foreign = re.findall(r"https?://(?!127\.0\.0\.1|localhost)[^\s\"'<>]+", page)
        assert foreign == [], (url, foreign)


@pytest.mark.django_db
def test_pages_are_login_only(demo: Plan, client: Client) -> None:
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url


@pytest.mark.django_db
def test_unknown_objects_are_404(demo: Plan, office: Client) -> None:
    for url in ("/tasks/99/", "/units/NOPE/", "/indicators/nope/"):
        assert office.get(url).status_code == 404, url


@pytest.mark.django_db
def test_english_on_request(demo: Plan, office: Client) -> None:
    office.cookies["django_language"] = "en"
    page = office.get("/").content.decode()
    assert '<html lang="en">' in page
    assert "2025-12-31" in page  # dates in ISO in English
    office.cookies["django_language"] = "zh-hans"
    assert "2025年12月31日" in office.get("/").content.decode()


@pytest.mark.django_db
def test_a_browser_in_english_still_gets_chinese(demo: Plan, office: Client) -> None:
    page = office.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-hans">' in page


@pytest.mark.django_db
def test_search_goes_straight_to_a_single_hit(demo: Plan, office: Client) -> None:
    assert office.get("/search/?q=38")["Location"] == "/tasks/38/"
    assert office.get("/search/?q=人行海口中心支行")["Location"] == "/units/HI-PBC-HK/"


@pytest.mark.django_db
def test_exports(demo: Plan, office: Client) -> None:
    response = office.get("/indicators/beds_per_1000_elderly/?format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["排名"]
    assert sheet["A2"].value == "排名" and sheet["A3"].value == 1
    matrix = office.get("/matrix/?format=xlsx")
    assert "责任分工矩阵" in openpyxl.load_workbook(io.BytesIO(matrix.content)).sheetnames


def test_own_assets_refer_to_no_other_host() -> None:
    web = Path(__file__).resolve().parents[2] / "src" / "duban" / "web"
    for path in [*web.glob("templates/**/*.html"), *web.glob("static/**/*.css"), *web.glob("static/**/*.js")]:
        assert re.search(r"https?://", path.read_text("utf-8")) is None, path


@pytest.mark.django_db
def test_chart_code_is_served_from_the_installed_package(office: Client) -> None:
    response = office.get("/static/vendor/plotly.min.js")
    assert response.status_code == 200
    assert b"plotly" in b"".join(response.streaming_content)[:2000].lower()  # type: ignore[attr-defined]


def test_number_filter_never_fails_on_a_missing_value() -> None:
    from duban.web.templatetags.duban_tags import num

    assert num(None) == "—"
    assert num("") == "—"
    assert num(1234.5) == "1,234.5"
    assert num(2.0) == "2"


@pytest.mark.django_db
def test_query_counts_do_not_grow_with_the_data(
    seed_plan: Plan, office: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from duban.core import dataversion

    # Every request reads the data version, so that the counts do not depend on how fast the test runs.
    monkeypatch.setattr(dataversion, "TRUST_SECONDS", -1.0)

    elements_load_bundled()
    census_load_bundled()
    targets_bind(plan=seed_plan)
    indicators_recompute(plan=seed_plan, until=date(2025, 12, 31))

    def counts() -> dict[str, int]:
        cache.clear()
        found = {}
        for url in PAGES:
            with CaptureQueriesContext(connection) as queries:
                assert office.get(url).status_code == 200, url
            found[url] = len(queries)
        return found

    small = counts()
    sample_load(plan=seed_plan)  # some 760 facilities and 750 figures more
    indicators_recompute(plan=seed_plan, until=date(2025, 12, 31))
    assert counts() == small
