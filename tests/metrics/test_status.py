"""Target status on hand-worked examples; the arithmetic of each is written out beside it.

The main example, 每千名老年人口拥有养老床位数 ≥ 32 by 2025-12-31 from 20 on 2021-12-31, and its day counts are in
tests/metrics/status_cases.py.
This file: every status by each method, lower-is-better and 约 targets, the bands and the projection.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest

from duban.metrics.status import (
    ACHIEVED,
    AT_RISK,
    NO_DATA,
    OFF_TRACK,
    ON_TRACK,
    OVERDUE,
    REGRESSING,
    Bands,
    Observation,
    QuantityTarget,
    assess,
)
from tests.metrics.status_cases import (
    AS_OF,
    BASE_DAY,
    BEDS,
    DEADLINE,
    LATEST_DAY,
    NEEDED,
    OBSERVED_YEARS,
    REQUIRED,
    beds,
    cagr,
)

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
        "at 27.4 on 2024-12-31, interim target for 2024 Q4 29 on the line to 32 by 2025-12-31; progress ratio 0.82"
    )
    assert result.reason_zh.startswith(
        "2024年12月31日为27.4，2024年第4季度阶段目标29（按线性进度，2025年12月31日目标32），进度比0.82"
    )


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


def test_on_the_deadline_day_a_target_is_met_or_missed_and_nothing_is_forecast() -> None:
    # The demonstration's task 6: 31.23 beds per 1000 against ≥ 32 by 2025-12-31, judged on that day.
    missed = assess([Observation(BASE_DAY, 20), Observation(DEADLINE, 31.23)], BEDS, as_of=DEADLINE)
    assert missed.status == OVERDUE
    assert (missed.projection.value, missed.projection.note) == (None, "deadline reached")
    assert missed.reason_zh == "期限2025年12月31日已到，2025年12月31日为31.23，未达到目标≥32"
    assert "按趋势" not in missed.reason_zh
    # An earlier figure on track does not make the target on track once its day has come.
    early = assess([Observation(BASE_DAY, 20), Observation(LATEST_DAY, 29.5)], BEDS, as_of=DEADLINE)
    assert early.status == OVERDUE
    met = assess([Observation(BASE_DAY, 20), Observation(DEADLINE, 32)], BEDS, as_of=DEADLINE)
    assert met.status == ACHIEVED and met.projection.value is None


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
        "at 27.4 on 2024-12-31, interim target for 2024 Q4 28.45 on the compound-growth path to 32 by 2025-12-31; "
        "11.06% a year against 12.47% needed; progress ratio 0.89"
    )
    assert result.reason_zh.startswith(
        "2024年12月31日为27.4，2024年第4季度阶段目标28.45（按年均复合增长，2025年12月31日目标32）；年均变化11.06%，需12.47%，进度比0.89"
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
