"""The admin (in Chinese) lists and edits the registry and plans; outsiders are sent to log in."""

from __future__ import annotations

import pytest
from django.test import Client

from duban.plans.models import Plan

PAGES = {
    "/admin/orgs/orgunit/": "海口市",
    "/admin/orgs/orgunit/?q=民政": "海南省民政厅",
    "/admin/orgs/orgsuccession/": "银保监会海南监管局",
    "/admin/orgs/collective/": "各市县政府",
    "/admin/plans/plan/": "促进养老托育服务健康发展重点任务分工表",
    "/admin/plans/task/": "强化数据资源支撑",
    "/admin/plans/assignment/?role__exact=lead": "省统计局",
    "/admin/indicators/dataelement/": "60岁及以上人口",
    "/admin/indicators/datavalue/": "pop_60plus",
    "/admin/indicators/facility/": "选择 机构 来修改",
    "/admin/indicators/indicatorseries/": "指标值序列",
}


@pytest.mark.django_db
@pytest.mark.parametrize("url", sorted(PAGES))
def test_admin_pages_answer_in_chinese(office_admin: Client, seed_plan: Plan, url: str) -> None:
    from duban.indicators.services import census_load_bundled, elements_load_bundled

    elements_load_bundled()
    census_load_bundled()
    response = office_admin.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert PAGES[url] in page
    assert 'lang="zh-hans"' in page and "首页" in page


@pytest.mark.django_db
def test_plan_change_page(office_admin: Client, seed_plan: Plan) -> None:
    response = office_admin.get(f"/admin/plans/plan/{seed_plan.pk}/change/")
    assert response.status_code == 200
    assert "促进养老托育服务健康发展重点任务分工表" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/admin/orgs/orgunit/", "/admin/plans/plan/"])
def test_outsiders_are_sent_to_log_in(client: Client, seed_plan: Plan, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_a_computed_series_shows_every_period(office_admin: Client, seed_plan: Plan) -> None:
    from duban.indicators.models import IndicatorSeries
    from duban.indicators.services import census_load_bundled, elements_load_bundled, indicators_recompute, targets_bind

    elements_load_bundled()
    census_load_bundled()
    targets_bind(plan=seed_plan)
    indicators_recompute(plan=seed_plan)
    series = IndicatorSeries.objects.get(indicator="health_management_rate_65", org__code="460000")
    page = office_admin.get(f"/admin/indicators/indicatorseries/{series.pk}/change/").content.decode()
    # Only the census is loaded: no one reports health management, so every period says why it has no value.
    assert "2021Q4" in page and "2025Q4" in page and "暂无数据" in page
    assert office_admin.get("/admin/indicators/indicatorseries/add/").status_code == 403
