"""Interim targets (阶段目标) on hand-worked examples: 每千名老年人口拥有养老床位数 ≥ 32 by 2025-12-31 from 20 on
2021-12-31, 1461 days, as in tests/metrics/status_cases.py."""

from __future__ import annotations

from datetime import date

import pytest

from duban.metrics.status import (
    InterimTarget,
    Observation,
    QuantityTarget,
    assess,
    interim_for,
    interim_targets,
    path_value,
)

BASE = Observation(date(2021, 12, 31), 20.0)
BEDS = QuantityTarget(">=", 32.0, date(2025, 12, 31))


def test_linear_interim_targets_each_quarter_and_year() -> None:
    points = interim_targets(BASE, BEDS, "linear")
    # Four years of quarters after the baseline: 16 points, the last the target itself.
    assert len(points) == 16
    assert points[0].on == date(2022, 3, 31) and not points[0].year_end
    # 2022-03-31 is 90 days on: 20 + 12 × 90/1461 = 20.7392.
    assert points[0].value == pytest.approx(20 + 12 * 90 / 1461)
    years = [p for p in points if p.year_end]
    assert [p.on.year for p in years] == [2022, 2023, 2024, 2025]
    # 2024-12-31 is 1096 days on: 20 + 12 × 1096/1461 = 29.0021 — the status's "expected" of the worked example.
    assert years[2].value == pytest.approx(29.0021, abs=1e-4)
    assert years[-1].value == 32.0
    assert years[2].label_zh == "2024年第4季度" and years[2].label == "2024 Q4"


def test_compound_interim_targets_bend_below_the_line() -> None:
    points = {p.on: p.value for p in interim_targets(BASE, BEDS, "cagr")}
    # 20 × 1.6^(1096/1461) = 28.45, as the CAGR worked example says.
    assert points[date(2024, 12, 31)] == pytest.approx(20 * 1.6 ** (1096 / 1461))
    assert points[date(2024, 12, 31)] == pytest.approx(28.45, abs=0.01)
    assert points[date(2025, 12, 31)] == pytest.approx(32.0)


def test_cagr_falls_back_to_the_line_where_a_value_is_not_positive() -> None:
    zero = Observation(date(2021, 12, 31), 0.0)
    assert path_value(zero, BEDS, date(2023, 12, 31), "cagr") == pytest.approx(12 * 730 / 1461 * 32 / 12)


def test_a_deadline_off_a_quarter_end_is_the_last_point() -> None:
    target = QuantityTarget(">=", 32.0, date(2022, 5, 15))
    points = interim_targets(BASE, target, "linear")
    assert [p.on for p in points] == [date(2022, 3, 31), date(2022, 5, 15)]
    assert points[-1] == InterimTarget(date(2022, 5, 15), 32.0, False)
    assert points[-1].label_zh == "2022年5月15日"


def test_no_path_without_a_deadline_after_the_baseline() -> None:
    assert interim_targets(BASE, QuantityTarget(">=", 32.0, None), "linear") == []
    assert interim_targets(BASE, QuantityTarget(">=", 32.0, date(2021, 6, 30)), "linear") == []
    assert path_value(BASE, QuantityTarget(">=", 32.0, None), date(2023, 1, 1), "linear") is None


def test_interim_for_a_day_is_its_periods_point() -> None:
    points = interim_targets(BASE, BEDS, "linear")
    assert interim_for(points, date(2024, 12, 31)) == points[11]
    assert interim_for(points, date(2024, 11, 2)) == points[11]
    assert interim_for(points, date(2026, 1, 1)) is None


@pytest.mark.parametrize("method", ["linear", "cagr"])
def test_the_status_is_judged_against_the_interim_target(method: str) -> None:
    observations = [BASE, Observation(date(2024, 12, 31), 27.4)]
    result = assess(observations, BEDS, as_of=date(2025, 3, 31), plan_start=date(2021, 12, 31), method=method)
    point = interim_for(interim_targets(BASE, BEDS, method), date(2024, 12, 31))
    assert result.interim is not None and point is not None
    assert result.interim.on == point.on and result.interim.value == pytest.approx(point.value)
    assert result.expected == pytest.approx(point.value)
    assert "2024年第4季度阶段目标" in result.reason_zh
