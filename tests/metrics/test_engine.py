"""The indicator engine on a small hand-built province whose every answer is worked out by hand.

P 省 (province)                     pop_60plus reported 7000 (more than its parts: it has others)
├── J1 市 (jurisdiction)            pop_60plus 1000
│   ├── T1 镇 (township)
│   ├── T2 镇 (township)
│   └── Y  开发区 (jurisdiction; its figures roll up through J1, like 洋浦 through 儋州)
└── J2 县 (jurisdiction)            pop_60plus 5000
    └── D  区 (district, no townships)
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from duban.metrics.definitions import FACILITY_KINDS, NATURES, Indicator, load_definitions
from duban.metrics.engine import NEVER, NO_DATA, NOT_APPLICABLE, OK, ElementValues, Engine, Facilities, Tree, day_number
from duban.metrics.periods import Period

CODES = ["P", "J1", "T1", "T2", "Y", "J2", "D"]
PARENTS = {"P": "", "J1": "P", "T1": "J1", "T2": "J1", "Y": "J1", "J2": "P", "D": "J2"}
LEVELS = ["province", "jurisdiction", "township", "township", "jurisdiction", "jurisdiction", "district"]
TYPES = ["省", "地级市", "镇", "镇", "经济开发区", "县", "市辖区"]
PERIODS = [Period.parse(p) for p in ("2021Q2", "2021Q4", "2022Q1", "2022Q4")]
COL = {str(p): i for i, p in enumerate(PERIODS)}
ROW = {c: i for i, c in enumerate(CODES)}


def tree() -> Tree:
    return Tree(
        codes=CODES,
        parent=np.array([ROW[PARENTS[c]] if PARENTS[c] else -1 for c in CODES]),
        level=LEVELS,
        area_type=TYPES,
    )


def facilities() -> Facilities:
    rows = [
        # org, kind, nature, beds, nursing, places, enrolled, comprehensive, medical, opened, closed
        ("T1", "elderly_institution", "public", 100, 70, 0, 0, False, False, "2020-01-01", None),
        ("J2", "elderly_institution", "private", 300, 100, 0, 0, False, True, "2021-06-01", "2022-03-31"),
        ("T1", "township_center", "public", 0, 0, 0, 0, True, False, "2021-01-01", None),
        ("T2", "township_center", "public", 0, 0, 0, 0, False, False, "2021-01-01", None),
        ("Y", "elderly_university", "public", 0, 0, 0, 0, False, False, "2021-05-01", None),
        ("J1", "elderly_university", "public", 0, 0, 0, 0, False, False, "2022-01-01", None),
        ("J1", "childcare", "public", 0, 0, 50, 30, False, False, "2020-01-01", None),
        ("J2", "childcare", "private", 0, 0, 100, 90, False, False, "2020-01-01", None),
        ("J2", "childcare", "inclusive", 0, 0, 20, 10, False, False, "2020-01-01", None),
    ]
    col = list(zip(*rows, strict=True))
    return Facilities(
        org=np.array([ROW[c] for c in col[0]]),
        kind=np.array([FACILITY_KINDS.index(k) for k in col[1]]),
        nature=np.array([NATURES.index(n) for n in col[2]]),
        beds=np.array(col[3], dtype=float),
        nursing_beds=np.array(col[4], dtype=float),
        places=np.array(col[5], dtype=float),
        enrolled=np.array(col[6], dtype=float),
        comprehensive=np.array(col[7]),
        has_medical=np.array(col[8]),
        opened=np.array([day_number(date.fromisoformat(d)) for d in col[9]]),
        closed=np.array([day_number(date.fromisoformat(d)) if d else NEVER for d in col[10]]),
    )


def element(rows: list[tuple[str, str, float]]) -> ElementValues:
    periods = [Period.parse(p) for _, p, _ in rows]
    return ElementValues(
        org=np.array([ROW[o] for o, _, _ in rows]),
        start=np.array([day_number(p.start) for p in periods]),
        end=np.array([day_number(p.end) for p in periods]),
        rank=np.array([p.granularity_rank for p in periods]),
        value=np.array([v for _, _, v in rows], dtype=float),
    )


VALUES = {
    "pop_60plus": element([("P", "2020", 7000), ("J1", "2020", 1000), ("J2", "2020", 5000)]),
    "trained_care_workers": element(
        [
            ("J1", "2020", 500),  # before the plan's start: not counted
            ("J1", "2021", 100),  # J1 also reported 2021 by quarter: the quarters count, not the year
            ("J1", "2021Q1", 30),
            ("J1", "2021Q2", 40),
            ("J2", "2021", 200),
            ("J2", "2022", 300),
        ]
    ),
}
DEFINITIONS = {i.code: i for i in load_definitions()}


def compute(code: str, scope: list[str] | None = None) -> dict[str, dict[str, float | None]]:
    engine = Engine(
        tree(),
        facilities(),
        VALUES,
        plan_start=date(2021, 1, 1),
        scope=[ROW[c] for c in scope] if scope else None,
    )
    result = engine.compute([DEFINITIONS[code]], PERIODS)[0]
    return {
        c: {
            str(p): (None if np.isnan(result.value[ROW[c], j]) else float(result.value[ROW[c], j]))
            for j, p in enumerate(PERIODS)
        }
        for c in CODES
    }


def test_beds_per_1000_elderly_sums_before_dividing() -> None:
    values = compute("beds_per_1000_elderly")
    # 2021-12-31: J1 has T1's 100 beds for 1000 people aged 60+; J2 the 300 beds that opened in June for 5000.
    assert values["J1"]["2021Q4"] == pytest.approx(100.0)
    assert values["J2"]["2021Q4"] == pytest.approx(60.0)
    # The province: (100 + 300) beds ÷ its reported 7000 × 1000 = 57.142857…, not the average of 100 and 60.
    assert values["P"]["2021Q4"] == pytest.approx(400 / 7000 * 1000)
    # J2's institution closes on 2022-03-31: on that day it no longer counts.
    assert values["J2"]["2022Q1"] == pytest.approx(0.0)
    assert values["P"]["2022Q1"] == pytest.approx(100 / 7000 * 1000)
    # It opened on 2021-06-01, so on 2021-06-30 it already counts.
    assert values["J2"]["2021Q2"] == pytest.approx(60.0)
    # Y has no population figure of its own: no data, not zero.
    assert values["Y"]["2021Q4"] is None


def test_missing_denominator_is_not_applicable_not_zero() -> None:
    engine = Engine(tree(), facilities(), VALUES, plan_start=date(2021, 1, 1))
    result = engine.compute([DEFINITIONS["township_center_coverage"]], PERIODS)[0]
    col = COL["2021Q4"]
    # Two townships, both in J1; only T1's centre is comprehensive: 1 of 2.
    assert result.value[ROW["J1"], col] == pytest.approx(50.0)
    assert result.value[ROW["P"], col] == pytest.approx(50.0)
    assert result.value[ROW["T1"], col] == pytest.approx(100.0)
    # J2 and its district have no townships: the rate does not apply there.
    assert np.isnan(result.value[ROW["J2"], col]) and result.reason[ROW["J2"], col] == NOT_APPLICABLE
    assert result.reason[ROW["D"], col] == NOT_APPLICABLE
    assert result.reason[ROW["J1"], col] == OK


def test_childcare_coverage() -> None:
    values = compute("care_coverage_public_inclusive")
    assert values["J1"]["2021Q4"] == pytest.approx(100.0)  # 30 of 30 enrolled are in public care
    assert values["J2"]["2021Q4"] == pytest.approx(10.0)  # 10 inclusive of 100
    assert values["P"]["2021Q4"] == pytest.approx(40 / 130 * 100)  # 30.77 %, not (100 + 10) / 2 = 55 %
    public = compute("care_share_public")
    assert public["P"]["2021Q4"] == pytest.approx(30 / 130 * 100)


def test_places_per_1000_without_population_is_no_data() -> None:
    # No pop_total was loaded at all.
    engine = Engine(tree(), facilities(), VALUES, plan_start=date(2021, 1, 1))
    result = engine.compute([DEFINITIONS["childcare_places_per_1000"]], PERIODS)[0]
    assert np.isnan(result.value).all()
    assert (result.reason == NO_DATA).all()


def test_share_of_jurisdictions_that_meet() -> None:
    values = compute("elderly_university_count", scope=["J1", "Y", "J2"])
    # Per jurisdiction its own count: Y's university rolls up through J1 but is not J1's.
    assert values["Y"]["2021Q4"] == 1
    assert values["J1"]["2021Q4"] == 0
    assert values["J1"]["2022Q4"] == 1
    # The province: the share of the three jurisdictions with at least one.
    assert values["P"]["2021Q4"] == pytest.approx(100 / 3)
    assert values["P"]["2022Q4"] == pytest.approx(200 / 3)


def test_cumulative_flow_from_the_plan_start() -> None:
    values = compute("care_workers_trained_cumulative")
    assert values["J1"]["2021Q2"] == 70  # Q1 30 + Q2 40; the 2020 figure predates the plan
    assert values["J1"]["2022Q4"] == 70
    assert values["J2"]["2021Q2"] == 0  # its 2021 figure covers the whole year, due only at year end
    assert values["J2"]["2021Q4"] == 200
    assert values["J2"]["2022Q4"] == 500
    assert values["P"]["2021Q4"] == 270  # no figure of its own: the sum of its jurisdictions
    assert values["P"]["2022Q4"] == 570


def test_medical_unit_share_of_large_institutions() -> None:
    values = compute("medical_unit_share_150plus")
    # Only J2's 300-bed institution has 150 beds or more, and it has a medical unit, while it is open.
    assert values["J2"]["2021Q4"] == pytest.approx(100.0)
    assert values["J2"]["2022Q4"] is None  # none left: not applicable
    assert values["J1"]["2021Q4"] is None


def test_nursing_bed_share() -> None:
    values = compute("nursing_bed_share")
    assert values["P"]["2021Q4"] == pytest.approx((70 + 100) / (100 + 300) * 100)
    assert values["P"]["2022Q1"] == pytest.approx(70.0)


def test_a_loop_in_the_hierarchy_is_refused() -> None:
    with pytest.raises(ValueError, match="成环"):
        Tree(codes=["A", "B"], parent=np.array([1, 0]), level=["province", "province"], area_type=["", ""])


def test_every_bundled_indicator_has_a_name_and_unit() -> None:
    indicators: list[Indicator] = load_definitions()
    assert len(indicators) == 12
    assert all(i.name and i.unit for i in indicators)


def test_a_registry_without_such_facilities_gives_no_data_not_zero() -> None:
    engine = Engine(tree(), Facilities.empty(), VALUES, plan_start=date(2021, 1, 1))
    beds, universities, coverage = engine.compute(
        [
            DEFINITIONS["beds_per_1000_elderly"],
            DEFINITIONS["elderly_university_count"],
            DEFINITIONS["township_center_coverage"],
        ],
        PERIODS,
    )
    for result in (beds, universities, coverage):
        assert np.isnan(result.value).all()
        assert (result.reason == NO_DATA).all()


def test_rates_of_two_elements_and_places_per_population() -> None:
    values = dict(VALUES)
    values["health_managed_65plus"] = element([("J1", "2021", 450), ("J2", "2021", 1200)])
    values["pop_65plus"] = element([("J1", "2020", 600), ("J2", "2020", 4000)])
    values["pop_total"] = element([("J1", "2020", 20000), ("J2", "2020", 50000)])
    engine = Engine(tree(), facilities(), values, plan_start=date(2021, 1, 1))
    health, places = engine.compute(
        [DEFINITIONS["health_management_rate_65"], DEFINITIONS["childcare_places_per_1000"]], PERIODS
    )
    col = COL["2021Q4"]
    assert health.value[ROW["J1"], col] == pytest.approx(75.0)  # 450 / 600
    assert health.value[ROW["J2"], col] == pytest.approx(30.0)  # 1200 / 4000
    assert health.value[ROW["P"], col] == pytest.approx(1650 / 4600 * 100)  # 35.87 %, not (75 + 30) / 2
    # The 2021 figure is due at the year's end: in mid-2021 there is none yet.
    assert health.reason[ROW["J1"], COL["2021Q2"]] == NO_DATA
    # Places: J1 50 for 20,000 people; J2 120 for 50,000; the province has no total of its own: 170 / 70,000.
    assert places.value[ROW["J1"], col] == pytest.approx(2.5)
    assert places.value[ROW["J2"], col] == pytest.approx(2.4)
    assert places.value[ROW["P"], col] == pytest.approx(170 / 70000 * 1000)


@pytest.mark.parametrize(
    ("day", "quarter"),
    [
        (date(2025, 1, 1), "2025Q1"),
        (date(2025, 3, 31), "2025Q1"),
        (date(2025, 4, 1), "2025Q2"),
        (date(2025, 12, 31), "2025Q4"),
    ],
)
def test_the_quarter_a_day_falls_in(day: date, quarter: str) -> None:
    from duban.metrics.periods import quarter_of

    assert str(quarter_of(day)) == quarter
