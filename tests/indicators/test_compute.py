"""Indicators computed for the Hainan plan from real census figures and a few hand-placed facilities."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from duban.indicators.models import IndicatorSeries, StoredValue, TargetBinding
from duban.indicators.selectors import indicator_rows, plan_start, share_target_find, status_rows
from duban.indicators.services import (
    census_load_bundled,
    elements_load_bundled,
    facility_import_file,
    indicators_recompute,
    indicators_refresh,
    target_shares_set,
    targets_bind,
)
from duban.orgs.models import OrgUnit
from duban.plans.models import Plan

HEADER = (
    "facility_id,name,kind,org_code,nature,beds,nursing_beds,places,enrolled,comprehensive,has_medical,opened,closed\n"
)
# 海口 (pop 60+ 356,892 in the 2020 census): 3,000 beds from 2019, 1,000 more from mid-2022.
# 儋州 and 洋浦 (洋浦 rolls up through 儋州; 儋州's 60+ is 125,517, 洋浦's own is unknown).
FACILITIES = """\
H1,海口市第一养老院,elderly_institution,460105100,public,3000,2000,0,0,,,2019-01-01,
H2,海口市第二养老院,elderly_institution,460105001,private,1000,700,0,0,,,2022-06-15,
H3,长流镇综合养老服务中心,township_center,460105100,public,0,0,0,0,是,,2021-03-01,
D1,儋州市养老院,elderly_institution,460400100,public,2000,1000,0,0,,,2019-01-01,
Y1,洋浦养老院,elderly_institution,460400499,public,500,400,0,0,,,2019-01-01,
U1,洋浦老年大学,elderly_university,460400499,public,0,0,0,0,,,2021-09-01,
C1,秀英托育中心,childcare,460105001,public,0,0,100,80,,,2021-09-01,
"""


@pytest.fixture
def computed(seed_plan: Plan, tmp_path: Path) -> Plan:
    elements_load_bundled()
    census_load_bundled()
    path = tmp_path / "facilities.csv"
    path.write_text(HEADER + FACILITIES, encoding="utf-8")
    facility_import_file(path=path)
    targets_bind(plan=seed_plan)
    indicators_recompute(plan=seed_plan, until=date(2026, 6, 30))
    return seed_plan


def stored(indicator: str, code: str, period: str) -> StoredValue:
    series = IndicatorSeries.objects.get(indicator=indicator, org__code=code)
    (value,) = [v for v in series.points() if v.period == period]
    return value


@pytest.mark.django_db
class TestHainan:
    def test_every_quantity_target_is_bound(self, computed: Plan) -> None:
        bound = dict(TargetBinding.objects.values_list("target__subject", "indicator"))
        assert len(bound) == 11
        assert bound["每千名老年人口拥有养老床位数"] == "beds_per_1000_elderly"
        assert bound["65岁以上老年人健康管理率"] == "health_management_rate_65"

    def test_plan_start_without_an_issue_date(self, computed: Plan) -> None:
        # Earliest deadline 2022-12-31 → the plan is taken to start on 2021-01-01.
        assert plan_start(computed) == date(2021, 1, 1)

    def test_beds_per_1000_elderly(self, computed: Plan) -> None:
        haikou = stored("beds_per_1000_elderly", "460100", "2021Q4")
        assert (haikou.numerator, haikou.denominator) == (3000, 356892)
        assert haikou.value == pytest.approx(3000 / 356892 * 1000)  # 8.41 beds per 1000
        assert stored("beds_per_1000_elderly", "460100", "2022Q2").numerator == 4000
        # 儋州's census figure counts 洋浦, and so do its beds: 2000 + 500.
        assert stored("beds_per_1000_elderly", "460400", "2021Q4").numerator == 2500
        yangpu = stored("beds_per_1000_elderly", "460400499", "2021Q4")
        assert (yangpu.value, yangpu.reason) == (None, "no_data")
        province = stored("beds_per_1000_elderly", "460000", "2021Q4")
        assert (province.numerator, province.denominator) == (5500, 1476599)

    def test_township_coverage_and_not_applicable(self, computed: Plan) -> None:
        # 海口's townships (街道, 镇, 乡) per the NBS codes: 21 + 22 = 43; one has a comprehensive centre.
        haikou = stored("township_center_coverage", "460100", "2021Q4")
        assert (haikou.numerator, haikou.denominator) == (1, 43)
        assert stored("township_center_coverage", "460100", "2021Q1").numerator == 1  # opened 2021-03-01
        assert not any(  # before the plan
            p.startswith("2020")
            for periods in IndicatorSeries.objects.values_list("periods", flat=True)
            for p in periods.split(",")
        )
        sanya = stored("township_center_coverage", "460200", "2021Q4")
        assert (sanya.value, sanya.reason) == (None, "not_applicable")
        province = stored("township_center_coverage", "460000", "2021Q4")
        assert province.denominator == 216

    def test_share_of_jurisdictions_with_an_elderly_university(self, computed: Plan) -> None:
        assert stored("elderly_university_count", "460400499", "2021Q4").value == 1
        assert stored("elderly_university_count", "460400", "2021Q4").value == 0  # 洋浦's is not 儋州's
        province = stored("elderly_university_count", "460000", "2021Q4")
        assert (province.numerator, province.denominator) == (1, 19)
        assert province.value == pytest.approx(100 / 19)
        assert stored("elderly_university_count", "460000", "2021Q2").numerator == 0

    def test_indicator_rows(self, computed: Plan) -> None:
        rows = indicator_rows(
            plan=computed, indicator="beds_per_1000_elderly", org=OrgUnit.objects.get(code="460100"), period="2021Q4"
        )
        assert len(rows) == 1
        # Without a share of the province's target, 海口 is held to none.
        assert rows[0]["target"] is None and rows[0]["status"] is None
        beds = share_target_find(plan=computed, key="beds_per_1000_elderly")
        assert beds is not None
        target_shares_set(share_target=beds, method="equal", by=None)
        rows = indicator_rows(
            plan=computed, indicator="beds_per_1000_elderly", org=OrgUnit.objects.get(code="460100"), period="2021Q4"
        )
        row = rows[0]
        # Shared equally, every jurisdiction's share is the province's rate, to within a bed of its population.
        assert row["target"] == pytest.approx(32, abs=0.01) and row["comparator"] == ">="
        assert row["deadline"] == "2025-12-31"
        assert row["value"] == pytest.approx(8.4059, abs=1e-4)
        # Baseline 2021Q1 (the first quarter of the plan) and every quarter since: the same 8.41, so no
        # progress at all while the line to 32 rises: R = 0 → off track; the flat trend projects 8.41.
        assert row["status"] == "off_track"
        assert row["projected"] == pytest.approx(3000 / 356892 * 1000)

    def test_status_rows(self, computed: Plan) -> None:
        rows = status_rows(plan=computed, as_of=date(2022, 3, 31))
        beds = [r for r in rows if r.task == 6]
        assert len(beds) == 1 + 19
        assert beds[0].org_code == "460000"
        visits = next(r for r in rows if r.task == 19)
        assert (visits.kind, visits.status) == ("milestone", "open")
        late = status_rows(plan=computed, as_of=date(2023, 1, 1))
        assert next(r for r in late if r.task == 19).status == "overdue"
        # 17: 培训 — no training figures at all: no data.
        trained = next(r for r in rows if r.task == 17 and r.org_code == "460000")
        assert trained.status == "no_data"

    def test_refresh_after_a_new_facility(self, computed: Plan, tmp_path: Path) -> None:
        before_sanya = stored("beds_per_1000_elderly", "460200", "2025Q4").numerator
        path = tmp_path / "one.csv"
        path.write_text(HEADER + "H9,海口市第九养老院,elderly_institution,460105100,public,500,0,0,0,,,2023-01-01,\n")
        report = facility_import_file(path=path)
        indicators_refresh(plan=computed, org_ids=report.orgs)
        assert stored("beds_per_1000_elderly", "460100", "2023Q1").numerator == 4500
        assert stored("beds_per_1000_elderly", "460100", "2022Q4").numerator == 4000
        assert stored("beds_per_1000_elderly", "460000", "2023Q1").numerator == 7000  # 3000 + 1000 + 500 + 2000 + 500
        assert stored("beds_per_1000_elderly", "460200", "2025Q4").numerator == before_sanya
