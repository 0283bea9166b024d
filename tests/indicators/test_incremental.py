"""After one change, the quick refresh gives exactly what a full recomputation gives."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from duban.indicators import incremental
from duban.indicators.models import IndicatorSeries
from duban.indicators.selectors import plan_start
from duban.indicators.services import data_import_file, facility_import_file, indicators_recompute
from duban.plans.models import Plan
from tests.indicators.test_compute import HEADER, computed  # noqa: F401  (the fixture)

DATA_HEADER = "org_code,period,element,value\n"
CHANGES = {
    "a new institution in a 海口 township": (
        "facilities",
        "N1,新养老院,elderly_institution,460105100,public,800,600,0,0,,,2023-02-01,",
    ),
    "洋浦's second university": (
        "facilities",
        "N2,洋浦第二老年大学,elderly_university,460400499,public,0,0,0,0,,,2022-02-01,",
    ),
    "儋州's first university": (
        "facilities",
        "N3,儋州老年大学,elderly_university,460400100,public,0,0,0,0,,,2022-05-01,",
    ),
    "a comprehensive centre in a 儋州 town": (
        "facilities",
        "N4,那大镇中心,township_center,460400100,public,0,0,0,0,是,,2022-01-01,",
    ),
    "a closure": (
        "facilities",
        "H1,海口市第一养老院,elderly_institution,460105100,public,3000,2000,0,0,,,2019-01-01,2023-06-30",
    ),
    "a childcare centre": ("facilities", "N5,托育园,childcare,460200,inclusive,0,0,50,40,,,2022-01-01,"),
    "三亚's older population": ("data", "460200,2023,pop_60plus,120000"),
    "training in 海口": ("data", "460100,2022Q1,trained_care_workers,300"),
    "a figure of a 海口 district": ("data", "460105,2023,pop_60plus,70000"),
}


def snapshot() -> dict[tuple[str, int, str], tuple[object, ...]]:
    return {
        (v.indicator, v.org_id, v.period): (
            None if v.numerator is None else round(v.numerator, 6),
            None if v.denominator is None else round(v.denominator, 6),
            None if v.value is None else round(v.value, 6),
            v.reason,
        )
        for series in IndicatorSeries.objects.all()
        for v in series.points()
    }


@pytest.mark.django_db
@pytest.mark.parametrize("change", sorted(CHANGES))
def test_refresh_equals_a_full_recomputation(computed: Plan, tmp_path: Path, change: str) -> None:  # noqa: F811
    kind, line = CHANGES[change]
    path = tmp_path / "change.csv"
    if kind == "facilities":
        path.write_text(HEADER + line + "\n", encoding="utf-8")
        report = facility_import_file(path=path)
    else:
        path.write_text(DATA_HEADER + line + "\n", encoding="utf-8")
        report = data_import_file(path=path)
    before = snapshot()
    written = incremental.refresh(plan=computed, org_ids=report.orgs, start=plan_start(computed))
    assert written is not None, "the quick path was taken"
    quick = snapshot()
    indicators_recompute(plan=computed, until=date(2026, 6, 30))
    full = snapshot()
    assert quick.keys() == full.keys()
    differences = {k: (quick[k], full[k]) for k in full if quick[k] != full[k]}
    assert differences == {}
    assert quick != before, "the change altered some values"


@pytest.mark.django_db
def test_a_change_at_the_province_itself_needs_a_full_recomputation(computed: Plan, tmp_path: Path) -> None:  # noqa: F811
    path = tmp_path / "province.csv"
    path.write_text(DATA_HEADER + "460000,2023,pop_60plus,1600000\n", encoding="utf-8")
    report = data_import_file(path=path)
    assert incremental.refresh(plan=computed, org_ids=report.orgs, start=plan_start(computed)) is None


@pytest.mark.django_db
def test_the_first_facility_of_a_kind_needs_a_full_recomputation(computed: Plan, tmp_path: Path) -> None:  # noqa: F811
    # No regional centre anywhere yet: every value is "no data"; the first one turns them into numbers.
    path = tmp_path / "first.csv"
    path.write_text(HEADER + "R1,区域中心,regional_center,460200,public,0,0,0,0,,,2022-01-01,\n", encoding="utf-8")
    report = facility_import_file(path=path)
    assert incremental.refresh(plan=computed, org_ids=report.orgs, start=plan_start(computed)) is None
