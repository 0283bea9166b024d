"""Progress made and needed between the baseline and the latest value, by the linear or the CAGR method."""

from __future__ import annotations

import math
from dataclasses import dataclass

from duban.metrics.status.model import DAYS_PER_YEAR, Observation, QuantityTarget

# math.expm1 overflows just above 709; a log growth rate that steep means a nonsensical series, not progress.
_MAX_LOG_RATE = 700.0


@dataclass(frozen=True)
class Progress:
    """Progress made and needed, both signed so that positive means towards the target."""

    made: float
    needed: float
    expected: float
    method: str
    fallback_en: str = ""
    fallback_zh: str = ""
    observed_rate: float | None = None
    required_rate: float | None = None


def direction(baseline: float, target: QuantityTarget) -> int:
    if target.comparator in (">=", ">"):
        return 1
    if target.comparator in ("<=", "<"):
        return -1
    return 1 if target.value >= baseline else -1


def made_linear(baseline: float, value: float, target: QuantityTarget) -> float:
    # Halves, so that the difference of two finite floats of opposite sign cannot overflow; only signs and ratios
    # of these quantities are used, so the factor ½ cancels.
    b, v, t = baseline / 2, value / 2, target.value / 2
    if target.comparator == "=":
        # "About" is judged by the gap to the target: overshooting by 3 is as bad as falling 3 short.
        return abs(t - b) - abs(t - v)
    return direction(baseline, target) * (v - b)


def progress(baseline: Observation, latest: Observation, target: QuantityTarget, method: str) -> Progress | None:
    """Progress made by ``latest`` and needed by its date, or None when no time has passed or the deadline is not
    after the baseline. Needed progress is held at the full distance once the deadline is past."""
    if target.deadline is None:
        return None
    elapsed = (latest.on - baseline.on).days
    span = (target.deadline - baseline.on).days
    if elapsed <= 0 or span <= 0:
        return None
    share = min(1.0, elapsed / span)
    if method == "cagr":
        cagr, why_en, why_zh = _progress_cagr(baseline.value, latest.value, target, elapsed, span, share)
        if cagr is not None:
            return cagr
        fallback_en = f"CAGR cannot be computed ({why_en}), so the linear method is used: "
        fallback_zh = f"无法计算年均复合增长率（{why_zh}），改用线性方法："
    else:
        fallback_en = fallback_zh = ""
    b, t = baseline.value, target.value
    expected = b * (1 - share) + t * share
    needed = direction(b, target) * (t / 2 - b / 2) * share
    made = made_linear(b, latest.value, target)
    return Progress(made, needed, expected, "linear", fallback_en, fallback_zh)


def _progress_cagr(
    baseline: float, value: float, target: QuantityTarget, elapsed: int, span: int, share: float
) -> tuple[Progress | None, str, str]:
    t = target.value
    if baseline <= 0 or value <= 0 or t <= 0:
        return None, "a value is not positive", "基线、当前值或目标值不为正"
    lb, lv, lt = math.log(baseline), math.log(value), math.log(t)
    d = direction(baseline, target)
    if target.comparator == "=" and d * (lv - lt) > 0:
        # Past an "about" target: mirror the value about the target in log space, as Open SDG does for parity
        # indices (max(y, 1/y)), so that overshooting by a factor counts as falling short by it.
        lv = 2 * lt - lv
    observed_log = (lv - lb) / (elapsed / DAYS_PER_YEAR)
    required_log = (lt - lb) / (span / DAYS_PER_YEAR)
    if max(abs(observed_log), abs(required_log)) > _MAX_LOG_RATE:
        return None, "the growth rate is out of range", "增长率超出计算范围"
    observed, required = math.expm1(observed_log), math.expm1(required_log)
    try:
        expected = math.exp(lb + share * (lt - lb))
    except OverflowError:  # the path lies between baseline and target, so only a rounding error at the float limit
        expected = max(baseline, t)
    return Progress(d * observed, d * required, expected, "cagr", "", "", observed, required), "", ""
