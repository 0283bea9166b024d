"""Target status on hand-worked examples; the arithmetic of each is written out beside it.

The main example, 每千名老年人口拥有养老床位数 ≥ 32 by 2025-12-31 from 20 on 2021-12-31, and its day counts are in
tests/metrics/status_cases.py.
This file: edge cases, and properties that hold whatever the data.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from duban.metrics.status import (
    ACHIEVED,
    AT_RISK,
    NO_DATA,
    OFF_TRACK,
    ON_TRACK,
    OPEN,
    OVERDUE,
    REGRESSING,
    STATUS_LABELS_ZH,
    STATUSES,
    Bands,
    Observation,
    QuantityTarget,
    assess,
    assess_milestone,
)
from duban.metrics.status.wording import num
from tests.metrics.status_cases import (
    AS_OF,
    BASE_DAY,
    BEDS,
    DEADLINE,
    LATEST_DAY,
    NEEDED,
)

# ---------------------------------------------------------------------------------------------------------------
# Edge cases


@pytest.mark.parametrize("method", ["linear", "cagr"])
def test_latest_on_the_baseline_date_is_no_data_unless_achieved(method: str) -> None:
    # Two reports for the same day: the later one given wins, and with no time elapsed there is nothing to measure.
    same_day = [Observation(BASE_DAY, 20), Observation(BASE_DAY, 25)]
    result = assess(same_day, BEDS, as_of=AS_OF, method=method)
    assert result.status == NO_DATA
    assert result.baseline == result.latest == Observation(BASE_DAY, 25)
    assert assess([Observation(BASE_DAY, 33)], BEDS, as_of=AS_OF, method=method).status == ACHIEVED


def test_no_value_since_the_baseline_after_the_deadline_is_overdue() -> None:
    result = assess([Observation(BASE_DAY, 20)], BEDS, as_of=date(2026, 1, 1))
    assert result.status == OVERDUE
    assert result.ratio is None
    nothing = assess([], BEDS, as_of=date(2026, 1, 1))
    assert nothing.status == OVERDUE
    assert nothing.reason == "no value reported, and the deadline 2025-12-31 for the target ≥ 32 has passed"
    assert nothing.reason_zh == "期限2025年12月31日已过，目标≥32仍无数据"


@pytest.mark.parametrize("method", ["linear", "cagr"])
def test_target_equal_to_baseline_falling_back_is_regressing(method: str) -> None:
    # ≥ 20 from 20: the line is flat (expected == baseline), R would be x / 0. Falling to 19 is regressing.
    target = QuantityTarget(">=", 20, DEADLINE)
    result = assess([Observation(BASE_DAY, 20), Observation(LATEST_DAY, 19)], target, as_of=AS_OF, method=method)
    assert result.status == REGRESSING
    assert (result.ratio, result.expected) == (None, None)
    assert "from which no progress was needed" in result.reason
    assert "本无需在基线上再提升" in result.reason_zh


@pytest.mark.parametrize("method", ["linear", "cagr"])
def test_target_equal_to_baseline_holding_is_on_track(method: str) -> None:
    # > 20 from 20, still 20: not met (strictly greater is asked) but no progress was due; not worse, so on track.
    target = QuantityTarget(">", 20, DEADLINE)
    result = assess([Observation(BASE_DAY, 20), Observation(LATEST_DAY, 20)], target, as_of=AS_OF, method=method)
    assert result.status == ON_TRACK
    assert result.ratio is None


@pytest.mark.parametrize("method", ["linear", "cagr"])
def test_about_target_equal_to_baseline_any_move_is_regressing(method: str) -> None:
    target = QuantityTarget("=", 20, DEADLINE)
    for latest in (25, 15):
        result = assess(
            [Observation(BASE_DAY, 20), Observation(LATEST_DAY, latest)], target, as_of=AS_OF, method=method
        )
        assert result.status == REGRESSING


def test_baseline_already_past_the_target_then_slipping_is_regressing() -> None:
    # ≥ 32 from 40: met at the start. 30 is not met, and worse than the baseline.
    result = assess([Observation(BASE_DAY, 40), Observation(LATEST_DAY, 30)], BEDS, as_of=AS_OF)
    assert result.status == REGRESSING
    assert result.ratio is None


@pytest.mark.parametrize("method", ["linear", "cagr"])
def test_deadline_before_baseline(method: str) -> None:
    # Target by 2020-12-31, first value 2021-12-31: there is no line to follow; unmet is overdue, met is achieved late.
    target = QuantityTarget(">=", 32, date(2020, 12, 31))
    unmet = assess([Observation(BASE_DAY, 20), Observation(LATEST_DAY, 25)], target, as_of=AS_OF, method=method)
    assert unmet.status == OVERDUE
    assert unmet.ratio is None
    met = assess([Observation(BASE_DAY, 20), Observation(LATEST_DAY, 33)], target, as_of=AS_OF, method=method)
    assert met.status == ACHIEVED
    assert met.reason.endswith("; not shown met by the deadline 2020-12-31")
    assert met.reason_zh.endswith("；期限2020年12月31日前未见达标")


def test_achieved_after_the_deadline_is_noted() -> None:
    late = [Observation(BASE_DAY, 20), Observation(DEADLINE, 30), Observation(date(2026, 12, 31), 33)]
    assert assess(late, BEDS, as_of=date(2027, 1, 1)).reason.endswith("; not shown met by the deadline 2025-12-31")
    on_time = [Observation(BASE_DAY, 20), Observation(DEADLINE, 32), Observation(date(2026, 12, 31), 33)]
    assert assess(on_time, BEDS, as_of=date(2027, 1, 1)).reason == "at 33 on 2026-12-31, meeting the target ≥ 32"


def test_no_deadline() -> None:
    target = QuantityTarget(">=", 32, None)
    day = date(2040, 1, 1)  # far on: without a deadline nothing is ever overdue
    moving = assess([Observation(BASE_DAY, 20), Observation(LATEST_DAY, 27)], target, as_of=day)
    assert moving.status == OPEN
    assert (moving.ratio, moving.expected) == (None, None)
    assert moving.projection.note == "no deadline"
    assert moving.reason == (
        "at 27 on 2024-12-31 against the baseline 20 on 2021-12-31, moving towards the target ≥ 32; "
        "with no deadline the pace cannot be judged"
    )
    assert moving.reason_zh == (
        "2024年12月31日为27，较基线（2021年12月31日为20）有所进展，正向目标≥32推进；未设期限，无法判断进度快慢"
    )
    still = assess([Observation(BASE_DAY, 20), Observation(LATEST_DAY, 20)], target, as_of=day)
    assert still.status == OPEN
    worse = assess([Observation(BASE_DAY, 20), Observation(LATEST_DAY, 19)], target, as_of=day)
    assert worse.status == REGRESSING
    assert assess([Observation(BASE_DAY, 20)], target, as_of=day).status == NO_DATA
    assert assess([Observation(BASE_DAY, 20), Observation(LATEST_DAY, 32)], target, as_of=day).status == ACHIEVED


def test_observations_out_of_order_are_sorted() -> None:
    ordered = [Observation(BASE_DAY, 20), Observation(date(2023, 6, 30), 24), Observation(LATEST_DAY, 27.4)]
    assert assess(list(reversed(ordered)), BEDS, as_of=AS_OF) == assess(ordered, BEDS, as_of=AS_OF)
    assert assess(list(reversed(ordered)), BEDS, as_of=AS_OF).latest == Observation(LATEST_DAY, 27.4)


def test_plan_start_takes_the_value_at_the_start_as_baseline() -> None:
    # A plan for 2022–2025 starts from the 2021 figure: the 2019 value (10) is before the baseline and ignored.
    series = [Observation(date(2019, 12, 31), 10), Observation(BASE_DAY, 20), Observation(LATEST_DAY, 27.4)]
    with_start = assess(series, BEDS, as_of=AS_OF, plan_start=date(2022, 1, 1))
    assert with_start.baseline == Observation(BASE_DAY, 20)
    assert with_start.ratio == pytest.approx(7.4 / NEEDED)
    # Without a plan start the earliest value is the baseline: from 10 on 2019-12-31 (2192 days to the deadline,
    # 1827 to 2024-12-31) the line is at 10 + 22 × 1827/2192 = 28.336679; R = 17.4 / 18.336679 = 0.9489.
    without = assess(series, BEDS, as_of=AS_OF)
    assert without.baseline == Observation(date(2019, 12, 31), 10)
    assert without.ratio == pytest.approx(17.4 / (22 * 1827 / 2192))


def test_plan_start_before_any_value_takes_the_first_after_it() -> None:
    series = [Observation(BASE_DAY, 20), Observation(LATEST_DAY, 27.4)]
    result = assess(series, BEDS, as_of=AS_OF, plan_start=date(2021, 1, 1))
    assert result.baseline == Observation(BASE_DAY, 20)


def test_values_after_the_assessment_date_and_missing_values_are_ignored() -> None:
    series = [
        Observation(BASE_DAY, 20),
        Observation(date(2023, 12, 31), math.nan),
        Observation(LATEST_DAY, 27.4),
        Observation(date(2025, 6, 30), 40),
    ]
    result = assess(series, BEDS, as_of=AS_OF)
    assert result.latest == Observation(LATEST_DAY, 27.4)
    assert result.status == AT_RISK
    assert result.projection.note == "linear trend of 2 values"


def test_as_of_before_any_value_is_no_data() -> None:
    assert assess([Observation(BASE_DAY, 20)], BEDS, as_of=date(2021, 1, 1)).status == NO_DATA


@pytest.mark.parametrize(
    ("base", "latest", "target_value"),
    [(0, 8, 32), (-5, 8, 32), (20, 0, 32), (20, 8, 0)],
)
def test_cagr_falls_back_to_linear_when_a_value_is_not_positive(
    base: float, latest: float, target_value: float
) -> None:
    comparator = "<=" if target_value < base else ">="
    target = QuantityTarget(comparator, target_value, DEADLINE)
    result = assess([Observation(BASE_DAY, base), Observation(LATEST_DAY, latest)], target, as_of=AS_OF, method="cagr")
    linear = assess([Observation(BASE_DAY, base), Observation(LATEST_DAY, latest)], target, as_of=AS_OF)
    assert result.method == "linear"
    assert result.status == linear.status
    assert result.ratio == linear.ratio
    assert result.reason.startswith("CAGR cannot be computed (a value is not positive), so the linear method is used: ")
    assert result.reason_zh.startswith("无法计算年均复合增长率（基线、当前值或目标值不为正），改用线性方法：")


def test_cagr_falls_back_when_the_rate_is_out_of_range() -> None:
    # From 1e-300 to 1e300 in a day is a log growth rate of ln(1e600) × 365.25 a year: no float can hold the rate.
    target = QuantityTarget(">=", 1e305, DEADLINE)
    series = [Observation(BASE_DAY, 1e-300), Observation(BASE_DAY + timedelta(days=1), 1e300)]
    result = assess(series, target, as_of=AS_OF, method="cagr")
    assert result.method == "linear"
    assert "the growth rate is out of range" in result.reason


@pytest.mark.parametrize(
    "make",
    [
        lambda: QuantityTarget("≥", 32, DEADLINE),
        lambda: QuantityTarget(">=", math.nan, DEADLINE),
        lambda: QuantityTarget("=", 32, DEADLINE, tolerance=-0.1),
        lambda: assess([], BEDS, as_of=AS_OF, method="exponential"),
    ],
)
def test_programming_errors_raise(make: object) -> None:
    with pytest.raises(ValueError):
        make()  # type: ignore[operator]


@pytest.mark.parametrize(
    ("value", "text"), [(32.0, "32"), (29.002053, "29"), (0.82203, "0.82"), (27.4, "27.4"), (-0.001, "0"), (1.5, "1.5")]
)
def test_numbers_have_at_most_two_decimals_and_no_trailing_zeros(value: float, text: str) -> None:
    assert num(value) == text


def test_every_status_has_a_chinese_label() -> None:
    assert set(STATUS_LABELS_ZH) == set(STATUSES)
    assert STATUS_LABELS_ZH[AT_RISK] == "存在风险"
    assert STATUS_LABELS_ZH[OVERDUE] == "逾期未完成"


# ---------------------------------------------------------------------------------------------------------------
# Property: whatever the data, assess answers with a known status and does not raise.

# A few fixed days as well as any day, so that baselines, deadlines and assessment dates often coincide.
_days = st.sampled_from([BASE_DAY, LATEST_DAY, DEADLINE, date(2020, 12, 31)]) | st.dates(
    min_value=date(1990, 1, 1), max_value=date(2060, 12, 31)
)
_any_float = st.floats(allow_nan=True, allow_infinity=True)
_finite = st.floats(allow_nan=False, allow_infinity=False)


@st.composite
def _bands(draw: st.DrawFn) -> Bands:
    low = draw(st.floats(min_value=0, max_value=2))
    return Bands(on_track=low + draw(st.floats(min_value=0, max_value=2)), at_risk=low)


@settings(max_examples=500, deadline=None)
@given(
    observations=st.lists(st.builds(Observation, on=_days, value=_any_float), max_size=12),
    comparator=st.sampled_from([">=", ">", "<=", "<", "="]),
    target_value=_finite,
    deadline=st.none() | _days,
    tolerance=st.floats(min_value=0, max_value=1),
    as_of=_days,
    plan_start=st.none() | _days,
    method=st.sampled_from(["linear", "cagr"]),
    bands=_bands(),
)
def test_assess_never_raises_and_gives_a_known_status(
    observations: list[Observation],
    comparator: str,
    target_value: float,
    deadline: date | None,
    tolerance: float,
    as_of: date,
    plan_start: date | None,
    method: str,
    bands: Bands,
) -> None:
    target = QuantityTarget(comparator, target_value, deadline, tolerance)
    result = assess(observations, target, as_of=as_of, plan_start=plan_start, method=method, bands=bands)
    assert result.status in STATUSES
    assert result.ratio is None or math.isfinite(result.ratio)
    assert result.reason and result.reason_zh
    if result.latest is not None:
        assert result.latest.on <= as_of
    if deadline is None:
        assert result.status != OVERDUE
    if result.latest is not None and target.met_by(result.latest.value):
        assert result.status == ACHIEVED
    if result.status in (ON_TRACK, AT_RISK, OFF_TRACK, REGRESSING) and result.ratio is not None:
        assert bands.classify(result.ratio) == result.status


@given(deadline=st.none() | _days, done_on=st.none() | _days, as_of=_days)
def test_assess_milestone_never_raises(deadline: date | None, done_on: date | None, as_of: date) -> None:
    result = assess_milestone(deadline=deadline, done_on=done_on, as_of=as_of)
    assert result.status in (ACHIEVED, OVERDUE, OPEN)
    assert result.days_left is None or result.days_left >= 0
    assert result.days_late is None or result.days_late >= 0


def test_floating_point_noise_does_not_miss_a_target() -> None:
    assert QuantityTarget(">=", 32, DEADLINE).met_by(31.999999999999996)
    assert not QuantityTarget(">", 32, DEADLINE).met_by(32.000000000000004)
    assert QuantityTarget("=", 32, DEADLINE).met_by(32 - 0.6400000000000006)
    assert not QuantityTarget(">=", 32, DEADLINE).met_by(31.9999)
