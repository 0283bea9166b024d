"""Target status on hand-worked examples; the arithmetic of each is written out beside it.

The main example is 每千名老年人口拥有养老床位数 ≥ 32 by 2025-12-31 from a baseline of 20 on 2021-12-31. Day counts:
2021-12-31 → 2022-12-31 is 365 days, → 2023-12-31 730, → 2024-12-31 1096 (2024 is a leap year), → 2025-12-31 1461.
1461 / 365.25 = 4 years exactly; 1096 / 365.25 = 3.000684… years.
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

BASE_DAY = date(2021, 12, 31)
DEADLINE = date(2025, 12, 31)
LATEST_DAY = date(2024, 12, 31)
BEDS = QuantityTarget(">=", 32, DEADLINE)
AS_OF = date(2025, 3, 31)

# Linear: the line from (2021-12-31, 20) to (2025-12-31, 32) on 2024-12-31 is 20 + 12 × 1096/1461
# = 20 + 9.002053… = 29.002053…; the progress needed is 9.002053….
NEEDED = 12 * 1096 / 1461
# CAGR: the rate needed is 1.6^(1/4) − 1 = 0.124683 a year; the path is at 20 × 1.6^(1096/1461) = 28.4548 on 2024-12-31.
REQUIRED = 1.6 ** (1 / 4) - 1
OBSERVED_YEARS = 1096 / 365.25


def beds(latest: float, *, method: str = "linear", target: QuantityTarget = BEDS):
    return assess([Observation(BASE_DAY, 20), Observation(LATEST_DAY, latest)], target, as_of=AS_OF, method=method)


def cagr(value: float, base: float, years: float) -> float:
    return (value / base) ** (1 / years) - 1


# ---------------------------------------------------------------------------------------------------------------
# Every status, linear


@pytest.mark.parametrize(
    ("latest", "status", "ratio"),
    [
        # R = (29.5 − 20) / 9.002053 = 9.5 / 9.002053 = 1.0553 ≥ 0.95
        (29.5, ON_TRACK, 9.5 / NEEDED),
        # R = 7.4 / 9.002053 = 0.8220, between 0.60 and 0.95
        (27.4, AT_RISK, 7.4 / NEEDED),
        # R = 4 / 9.002053 = 0.4443, between 0 and 0.60
        (24, OFF_TRACK, 4 / NEEDED),
        # R = (19 − 20) / 9.002053 = −0.1111 < 0
        (19, REGRESSING, -1 / NEEDED),
    ],
)
def test_linear_bands(latest: float, status: str, ratio: float) -> None:
    result = beds(latest)
    assert result.status == status
    assert result.ratio == pytest.approx(ratio)
    assert result.expected == pytest.approx(29.002053, abs=1e-6)
    assert result.method == "linear"
    assert result.baseline == Observation(BASE_DAY, 20)
    assert result.latest == Observation(LATEST_DAY, latest)


def test_linear_reason_in_english_and_chinese() -> None:
    # 29.002053 is shown as 29 and 0.8220 as 0.82: at most two decimals, no trailing zeros.
    result = beds(27.4)
    assert result.reason.startswith(
        "at 27.4 on 2024-12-31, expected 29 on the line to 32 by 2025-12-31; progress ratio 0.82"
    )
    assert result.reason_zh.startswith("2024年12月31日为27.4，按线性进度应达29（2025年12月31日目标32），进度比0.82")


@pytest.mark.parametrize("method", ["linear", "cagr"])
def test_achieved(method: str) -> None:
    # 32.5 ≥ 32: achieved whatever the pace, and no ratio is needed.
    result = beds(32.5, method=method)
    assert result.status == ACHIEVED
    assert result.ratio is None
    assert result.reason == "at 32.5 on 2024-12-31, meeting the target ≥ 32"
    assert result.reason_zh == "2024年12月31日为32.5，已达到目标≥32"


def test_overdue_linear() -> None:
    # On 2026-03-31 the deadline has passed at 30 < 32. R over the whole span = (30 − 20) / (32 − 20) = 0.8333, given
    # for information; the expected value is the target itself.
    result = assess(
        [Observation(BASE_DAY, 20), Observation(DEADLINE, 30)], BEDS, as_of=date(2026, 3, 31), method="linear"
    )
    assert result.status == OVERDUE
    assert result.ratio == pytest.approx(10 / 12)
    assert result.expected == 32
    assert result.reason == "the deadline 2025-12-31 has passed: at 30 on 2025-12-31, not meeting the target ≥ 32"
    assert result.reason_zh == "期限2025年12月31日已过，2025年12月31日为30，未达到目标≥32"


def test_overdue_cagr() -> None:
    # Four years from 20 to 30: (1.5^(1/4) − 1) / (1.6^(1/4) − 1) = 0.106682 / 0.124683 = 0.8556.
    result = assess(
        [Observation(BASE_DAY, 20), Observation(DEADLINE, 30)], BEDS, as_of=date(2026, 3, 31), method="cagr"
    )
    assert result.status == OVERDUE
    assert result.ratio == pytest.approx((1.5**0.25 - 1) / REQUIRED)
    assert result.ratio == pytest.approx(0.85563, abs=1e-5)


def test_the_deadline_day_itself_is_still_in_time() -> None:
    result = assess([Observation(BASE_DAY, 20), Observation(LATEST_DAY, 29.5)], BEDS, as_of=DEADLINE)
    assert result.status == ON_TRACK


@pytest.mark.parametrize("method", ["linear", "cagr"])
def test_no_data(method: str) -> None:
    only_baseline = assess([Observation(BASE_DAY, 20)], BEDS, as_of=AS_OF, method=method)
    assert only_baseline.status == NO_DATA
    assert only_baseline.reason == "no value since the baseline 20 on 2021-12-31"
    assert only_baseline.reason_zh == "基线（2021年12月31日为20）之后暂无新数据"
    nothing = assess([], BEDS, as_of=AS_OF, method=method)
    assert nothing.status == NO_DATA
    assert (nothing.baseline, nothing.latest) == (None, None)
    assert nothing.reason == "no value on or before 2025-03-31"
    assert nothing.reason_zh == "截至2025年3月31日暂无数据"


# ---------------------------------------------------------------------------------------------------------------
# Every status, CAGR


@pytest.mark.parametrize(
    ("latest", "status", "ratio"),
    [
        # (29.5/20)^(1/3.000684) − 1 = 0.138285; R = 0.138285 / 0.124683 = 1.1091
        (29.5, ON_TRACK, 1.10910),
        # (27.4/20)^(1/3.000684) − 1 = 0.110614; R = 0.8872
        (27.4, AT_RISK, 0.88716),
        # (24/20)^(1/3.000684) − 1 = 0.062644; R = 0.5024
        (24, OFF_TRACK, 0.50243),
        # (19/20)^(1/3.000684) − 1 = −0.016949; R = −0.1359
        (19, REGRESSING, -0.13593),
    ],
)
def test_cagr_bands(latest: float, status: str, ratio: float) -> None:
    result = beds(latest, method="cagr")
    assert result.status == status
    assert result.ratio == pytest.approx(cagr(latest, 20, OBSERVED_YEARS) / REQUIRED)
    assert result.ratio == pytest.approx(ratio, abs=1e-5)
    assert result.expected == pytest.approx(20 * 1.6 ** (1096 / 1461))
    assert result.expected == pytest.approx(28.45476, abs=1e-5)
    assert result.method == "cagr"


def test_cagr_reason() -> None:
    result = beds(27.4, method="cagr")
    assert result.reason.startswith(
        "at 27.4 on 2024-12-31, expected 28.45 on the compound-growth path to 32 by 2025-12-31; "
        "11.06% a year against 12.47% needed; progress ratio 0.89"
    )
    assert result.reason_zh.startswith(
        "2024年12月31日为27.4，按年均复合增长应达28.45（2025年12月31日目标32）；年均变化11.06%，需12.47%，进度比0.89"
    )


# ---------------------------------------------------------------------------------------------------------------
# Lower is better: 婴儿死亡率 ≤ 5‰ by 2024-12-31 from 8 on 2020-12-31 (1461 days, 4 years); latest on 2022-12-31,
# 730 days = 1.998631 years in.

INFANT = QuantityTarget("<=", 5, date(2024, 12, 31))
INFANT_BASE = Observation(date(2020, 12, 31), 8)
INFANT_DAY = date(2022, 12, 31)


def test_lower_is_better_linear_on_track() -> None:
    # Expected = 8 − 3 × 730/1461 = 8 − 1.498973 = 6.501027. R = (6.5 − 8) / (6.501027 − 8) = 1.5 / 1.498973 = 1.0007.
    result = assess([INFANT_BASE, Observation(INFANT_DAY, 6.5)], INFANT, as_of=date(2023, 6, 30))
    assert result.status == ON_TRACK
    assert result.expected == pytest.approx(8 - 3 * 730 / 1461)
    assert result.ratio == pytest.approx(1.5 / (3 * 730 / 1461))
    assert result.ratio == pytest.approx(1.000685, abs=1e-6)


def test_lower_is_better_cagr_at_risk() -> None:
    # Required (5/8)^(1/4) − 1 = −0.110860; observed (6.5/8)^(365.25/730) − 1 = −0.098676; both negative, so
    # R = −0.098676 / −0.110860 = 0.8901 — the same figures the line calls on track, the compound path calls at risk,
    # because a falling rate has to fall by less each year on the curve and so is ahead of the line early on.
    result = assess([INFANT_BASE, Observation(INFANT_DAY, 6.5)], INFANT, as_of=date(2023, 6, 30), method="cagr")
    assert result.status == AT_RISK
    assert result.ratio == pytest.approx(cagr(6.5, 8, 730 / 365.25) / ((5 / 8) ** 0.25 - 1))
    assert result.ratio == pytest.approx(0.89010, abs=1e-5)
    assert result.expected == pytest.approx(8 * (5 / 8) ** (730 / 1461))


@pytest.mark.parametrize(
    ("method", "ratio"),
    [
        # Linear: (8.4 − 8) / (6.501027 − 8) = 0.4 / −1.498973 = −0.2668
        ("linear", -0.4 / (3 * 730 / 1461)),
        # CAGR: (8.4/8)^(365.25/730) − 1 = +0.024712 against −0.110860 needed: R = −0.2229
        ("cagr", cagr(8.4, 8, 730 / 365.25) / ((5 / 8) ** 0.25 - 1)),
    ],
)
def test_lower_is_better_regressing(method: str, ratio: float) -> None:
    result = assess([INFANT_BASE, Observation(INFANT_DAY, 8.4)], INFANT, as_of=date(2023, 6, 30), method=method)
    assert result.status == REGRESSING
    assert result.ratio == pytest.approx(ratio)


@pytest.mark.parametrize(("comparator", "value", "met"), [("<=", 5, True), ("<", 5, False), ("<", 4.9, True)])
def test_lower_is_better_achieved(comparator: str, value: float, met: bool) -> None:
    target = QuantityTarget(comparator, 5, date(2024, 12, 31))
    result = assess([INFANT_BASE, Observation(INFANT_DAY, value)], target, as_of=date(2023, 6, 30))
    assert (result.status == ACHIEVED) is met


# ---------------------------------------------------------------------------------------------------------------
# "=" (约/左右): met within 2 % of the target; an overshoot counts as a shortfall of the same size.

ABOUT = QuantityTarget("=", 32, DEADLINE)


@pytest.mark.parametrize(("latest", "met"), [(31.36, True), (32.64, True), (31.3, False), (32.7, False), (32, True)])
def test_about_is_met_within_two_percent(latest: float, met: bool) -> None:
    # 2 % of 32 is 0.64: 31.36 … 32.64 meets it.
    assert (beds(latest, target=ABOUT).status == ACHIEVED) is met


def test_about_tolerance_is_configurable() -> None:
    assert beds(31, target=QuantityTarget("=", 32, DEADLINE, tolerance=0.05)).status == ACHIEVED  # 1 ≤ 1.6


def test_about_below_behaves_as_higher_is_better() -> None:
    below = beds(27.4, target=ABOUT)
    assert below.status == AT_RISK
    assert below.ratio == pytest.approx(7.4 / NEEDED)


def test_about_overshoot_mirrors_linear() -> None:
    # 36.6 is 4.6 beyond 32, as far as 27.4 is short of it: the gap closed is 12 − 4.6 = 7.4 either way, R = 0.8220.
    over = beds(36.6, target=ABOUT)
    assert over.status == AT_RISK
    assert over.ratio == pytest.approx(7.4 / NEEDED)
    assert "beyond the target ≈ 32 (an overshoot counts as a shortfall)" in over.reason
    assert "已越过目标≈32（超出部分按差距计）" in over.reason_zh
    # 40 is 8 beyond: gap closed 12 − 8 = 4, R = 0.4443, off track although the value is far "ahead" of the line.
    assert beds(40, target=ABOUT).status == OFF_TRACK


def test_about_overshoot_mirrors_cagr_in_log_space() -> None:
    # 40 overshoots 32 by the factor 1.25; mirrored it is 32 / 1.25 = 25.6. R = ((25.6/20)^(1/3.000684) − 1) / 0.124683
    # = 0.085707 / 0.124683 = 0.6874.
    result = beds(40, target=ABOUT, method="cagr")
    assert result.status == AT_RISK
    assert result.ratio == pytest.approx(cagr(25.6, 20, OBSERVED_YEARS) / REQUIRED)


def test_about_from_above_moves_down() -> None:
    # Baseline 40, target ≈ 32: the way is down. At 2024-12-31 the line is at 40 − 8 × 1096/1461 = 33.998631; 35 has
    # closed 5 of the 6.001369 needed: R = 0.8331.
    result = assess([Observation(BASE_DAY, 40), Observation(LATEST_DAY, 35)], ABOUT, as_of=AS_OF, method="linear")
    assert result.status == AT_RISK
    assert result.ratio == pytest.approx(5 / (8 * 1096 / 1461))


# ---------------------------------------------------------------------------------------------------------------
# Bands


def test_bands_are_configurable() -> None:
    lenient = Bands(on_track=0.8, at_risk=0.4)
    assert (
        assess([Observation(BASE_DAY, 20), Observation(LATEST_DAY, 27.4)], BEDS, as_of=AS_OF, bands=lenient).status
        == ON_TRACK
    )  # R = 0.8220 ≥ 0.8
    assert (
        assess([Observation(BASE_DAY, 20), Observation(LATEST_DAY, 24)], BEDS, as_of=AS_OF, bands=lenient).status
        == AT_RISK
    )  # R = 0.4443 ≥ 0.4
    strict = Bands(on_track=1.1, at_risk=0.9)
    assert (
        assess([Observation(BASE_DAY, 20), Observation(LATEST_DAY, 29.5)], BEDS, as_of=AS_OF, bands=strict).status
        == AT_RISK
    )  # R = 1.0553 < 1.1


@pytest.mark.parametrize(("latest", "status"), [(47.5, ON_TRACK), (30, AT_RISK), (29.99, OFF_TRACK), (0, OFF_TRACK)])
def test_band_edges_belong_to_the_upper_band(latest: float, status: str) -> None:
    # From 0 on 2022-01-01 to 100 by 2024-01-01 (730 days); on 2023-01-01 (365 days) the line is at 50.
    # 47.5 / 50 = 0.95 exactly → on track; 30 / 50 = 0.60 → at risk; 29.99 / 50 = 0.5998 → off track;
    # 0 / 50 = 0 → off track (no progress is not regress).
    target = QuantityTarget(">=", 100, date(2024, 1, 1))
    result = assess(
        [Observation(date(2022, 1, 1), 0), Observation(date(2023, 1, 1), latest)], target, as_of=date(2023, 2, 1)
    )
    assert result.status == status


def test_bands_classify_directly() -> None:
    bands = Bands()
    assert [bands.classify(r) for r in (1.2, 0.95, 0.9499, 0.6, 0.5999, 0.0, -0.0001)] == [
        ON_TRACK,
        ON_TRACK,
        AT_RISK,
        AT_RISK,
        OFF_TRACK,
        OFF_TRACK,
        REGRESSING,
    ]


@pytest.mark.parametrize(("on_track", "at_risk"), [(0.5, 0.6), (0.9, -0.1), (math.nan, 0.6), (math.inf, 0.6)])
def test_bands_must_be_in_order(on_track: float, at_risk: float) -> None:
    with pytest.raises(ValueError):
        Bands(on_track=on_track, at_risk=at_risk)


# ---------------------------------------------------------------------------------------------------------------
# Projection


def test_projection_of_a_perfect_line_is_the_line() -> None:
    # Values on 20 + 3 × years: at the deadline, 4 years on, 20 + 3 × 4 = 32, which meets ≥ 32.
    days = [0, 365, 730, 1096]
    series = [Observation(BASE_DAY + timedelta(days=d), 20 + 3 * d / 365.25) for d in days]
    projection = assess(series, BEDS, as_of=AS_OF).projection
    assert projection.value == pytest.approx(32)
    assert projection.meets is True
    assert projection.note == "linear trend of 4 values"


def test_projection_by_least_squares() -> None:
    # x in years from 2022-01-01: 0, h, 2h with h = 365/365.25; y = 10, 14, 12. Means h and 12;
    # slope = Σ dx·dy / Σ dx² = (−h·−2 + 0·2 + h·0) / (2h²) = 1/h a year.
    # At 2025-01-01 (x = 1096/365.25): 12 + (1096/365.25 − h) / h = 12 + (1096 − 365)/365 = 14.002740, short of ≥ 15.
    target = QuantityTarget(">=", 15, date(2025, 1, 1))
    series = [Observation(date(2022, 1, 1), 10), Observation(date(2023, 1, 1), 14), Observation(date(2024, 1, 1), 12)]
    result = assess(series, target, as_of=date(2024, 2, 1))
    assert result.projection.value == pytest.approx(12 + 731 / 365)
    assert result.projection.meets is False
    assert result.reason.endswith("; the trend projects 14 by 2025-01-01, missing the target")
    assert result.reason_zh.endswith("；按趋势预计2025年1月1日为14，难以达标")


def test_projection_needs_two_values() -> None:
    projection = assess([Observation(BASE_DAY, 20)], BEDS, as_of=AS_OF).projection
    assert (projection.value, projection.meets, projection.note) == (None, None, "insufficient data")
    assert assess([], BEDS, as_of=AS_OF).projection.note == "insufficient data"


def test_projection_for_a_lower_is_better_target() -> None:
    # Two points 8 → 6.5 over 730 days: −1.5 per 730 days; at 1461 days 8 − 1.5 × 1461/730 = 4.997945 ≤ 5.
    projection = assess([INFANT_BASE, Observation(INFANT_DAY, 6.5)], INFANT, as_of=date(2023, 6, 30)).projection
    assert projection.value == pytest.approx(8 - 1.5 * 1461 / 730)
    assert projection.meets is True


def test_projection_starts_at_the_baseline() -> None:
    # With the plan starting 2022-01-01 the baseline is 20 on 2021-12-31; the 2019 value of 50 does not bend the trend.
    series = [
        Observation(date(2019, 12, 31), 50),
        Observation(BASE_DAY, 20),
        Observation(BASE_DAY + timedelta(days=365), 20 + 3 * 365 / 365.25),
        Observation(LATEST_DAY, 20 + 3 * 1096 / 365.25),
    ]
    result = assess(series, BEDS, as_of=AS_OF, plan_start=date(2022, 1, 1))
    assert result.projection.value == pytest.approx(32)
    assert result.projection.note == "linear trend of 3 values"


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
# Milestones: 到2022年底，全面建立特殊困难老年人居家探访制度

MILESTONE_DEADLINE = date(2022, 12, 31)


def test_milestone_done_in_time() -> None:
    result = assess_milestone(deadline=MILESTONE_DEADLINE, done_on=date(2022, 11, 30), as_of=date(2023, 1, 5))
    assert (result.status, result.days_left, result.days_late) == (ACHIEVED, None, 0)
    assert result.reason == "done on 2022-11-30, by the deadline 2022-12-31"
    assert result.reason_zh == "已于2022年11月30日按期完成（期限2022年12月31日）"


def test_milestone_done_on_the_deadline_is_in_time() -> None:
    result = assess_milestone(deadline=MILESTONE_DEADLINE, done_on=MILESTONE_DEADLINE, as_of=date(2023, 1, 5))
    assert (result.status, result.days_late) == (ACHIEVED, 0)


def test_milestone_done_late() -> None:
    # 2022-12-31 → 2023-02-14: 31 days of January + 14 = 45 days late.
    result = assess_milestone(deadline=MILESTONE_DEADLINE, done_on=date(2023, 2, 14), as_of=date(2023, 3, 1))
    assert (result.status, result.days_late) == (ACHIEVED, 45)
    assert result.reason == "done on 2023-02-14, 45 days after the deadline 2022-12-31"
    assert result.reason_zh == "已于2023年2月14日完成，逾期45天（期限2022年12月31日）"


def test_milestone_open_with_days_left() -> None:
    # 2022-09-02 → 2022-12-31: 28 days of September + 31 + 30 + 31 = 120.
    result = assess_milestone(deadline=MILESTONE_DEADLINE, done_on=None, as_of=date(2022, 9, 2))
    assert (result.status, result.days_left, result.days_late) == (OPEN, 120, None)
    assert result.reason == "not yet done; 120 days left to the deadline 2022-12-31"
    assert result.reason_zh == "尚未完成，距期限2022年12月31日还有120天"
    assert assess_milestone(deadline=MILESTONE_DEADLINE, done_on=None, as_of=MILESTONE_DEADLINE).days_left == 0


def test_milestone_overdue() -> None:
    result = assess_milestone(deadline=MILESTONE_DEADLINE, done_on=None, as_of=date(2023, 1, 30))
    assert (result.status, result.days_left, result.days_late) == (OVERDUE, None, 30)
    assert result.reason == "not done, 30 days past the deadline 2022-12-31"
    assert result.reason_zh == "逾期30天未完成（期限2022年12月31日）"
    assert assess_milestone(deadline=MILESTONE_DEADLINE, done_on=None, as_of=date(2023, 1, 1)).reason.startswith(
        "not done, 1 day past"
    )


def test_milestone_done_after_the_assessment_date_is_not_yet_done() -> None:
    result = assess_milestone(deadline=MILESTONE_DEADLINE, done_on=date(2022, 12, 1), as_of=date(2022, 11, 1))
    assert (result.status, result.days_left) == (OPEN, 60)


def test_milestone_without_deadline() -> None:
    assert assess_milestone(deadline=None, done_on=None, as_of=date(2030, 1, 1)).status == OPEN
    done = assess_milestone(deadline=None, done_on=date(2023, 5, 1), as_of=date(2030, 1, 1))
    assert (done.status, done.days_late) == (ACHIEVED, None)


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
