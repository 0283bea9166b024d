"""Target status (目标状态): achieved, on track, at risk, off track, regressing, overdue, no data or open.

``assess`` judges a quantity target from a series of observations; ``assess_milestone`` judges a dated target
without a number. Both are pure — no Django, no clock: the assessment date is always passed in — and never
raise because of the data; they raise ``ValueError`` only for a programming error (an unknown comparator or
method, bands out of order). The method, with worked examples, is in ``docs/status.md``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

__all__ = [
    "ABOUT_TOLERANCE",
    "ACHIEVED",
    "AT_RISK",
    "COMPARATORS",
    "DAYS_PER_YEAR",
    "DEFAULT_BANDS",
    "METHODS",
    "NO_DATA",
    "OFF_TRACK",
    "ON_TRACK",
    "OPEN",
    "OVERDUE",
    "REGRESSING",
    "STATUSES",
    "STATUS_LABELS_ZH",
    "Assessment",
    "Bands",
    "MilestoneAssessment",
    "Observation",
    "Projection",
    "QuantityTarget",
    "assess",
    "assess_milestone",
]

ACHIEVED = "achieved"
ON_TRACK = "on_track"
AT_RISK = "at_risk"
OFF_TRACK = "off_track"
REGRESSING = "regressing"
OVERDUE = "overdue"
NO_DATA = "no_data"
OPEN = "open"

STATUSES: tuple[str, ...] = (ACHIEVED, ON_TRACK, AT_RISK, OFF_TRACK, REGRESSING, OVERDUE, NO_DATA, OPEN)
STATUS_LABELS_ZH: dict[str, str] = {
    ACHIEVED: "达成",
    ON_TRACK: "按期推进",
    AT_RISK: "存在风险",
    OFF_TRACK: "进度滞后",
    REGRESSING: "倒退",
    OVERDUE: "逾期未完成",
    NO_DATA: "暂无数据",
    OPEN: "进行中",
}

COMPARATORS: tuple[str, ...] = (">=", ">", "<=", "<", "=")
METHODS: tuple[str, ...] = ("linear", "cagr")
DAYS_PER_YEAR = 365.25
# "约/左右" targets count as met within 2 % of the target either way: tight enough that 约32 is not met by 31,
# loose enough that a figure rounded to the plan's own precision still meets it.
ABOUT_TOLERANCE = 0.02
# math.expm1 overflows just above 709; a log growth rate that steep means a nonsensical series, not progress.
_MAX_LOG_RATE = 700.0

_SYMBOL = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "≈"}


@dataclass(frozen=True)
class Observation:
    """A value of the indicator and the date it describes (the end of its reporting period)."""

    on: date
    value: float


@dataclass(frozen=True)
class QuantityTarget:
    """A number to reach: ``comparator`` is one of ``COMPARATORS``; ``deadline`` None means "no date set".

    ``tolerance`` only matters for ``"="`` (约/左右): the target is met within ``tolerance × |value|``.
    """

    comparator: str
    value: float
    deadline: date | None
    tolerance: float = ABOUT_TOLERANCE

    def __post_init__(self) -> None:
        if self.comparator not in COMPARATORS:
            raise ValueError(f"unknown comparator {self.comparator!r}; expected one of {', '.join(COMPARATORS)}")
        if not math.isfinite(self.value):
            raise ValueError(f"target value must be a finite number, not {self.value!r}")
        if not (math.isfinite(self.tolerance) and self.tolerance >= 0):
            raise ValueError(f"tolerance must be a finite number ≥ 0, not {self.tolerance!r}")

    def met_by(self, value: float) -> bool:
        """Whether ``value`` meets the target; values equal to it but for floating-point noise count as equal."""
        t = self.value
        # Figures equal on paper differ in the last bits once computed (a projection of exactly 32 comes out as
        # 31.999999999999996; 32 − 31.36 as 0.6400000000000006), and a target must not be missed by that.
        slack = 1e-9 * max(abs(value), abs(t))
        if self.comparator == ">=":
            return value >= t - slack
        if self.comparator == ">":
            return value > t + slack
        if self.comparator == "<=":
            return value <= t + slack
        if self.comparator == "<":
            return value < t - slack
        return abs(value - t) <= self.tolerance * abs(t) + slack


@dataclass(frozen=True)
class Bands:
    """Where the progress ratio R changes status: ``on_track`` when R ≥ on_track, ``at_risk`` when
    at_risk ≤ R < on_track, ``off_track`` when 0 ≤ R < at_risk, ``regressing`` when R < 0.

    The 0 boundary is not configurable: R < 0 means the value moved away from the target, which is regressing
    whatever pace is thought acceptable.
    """

    on_track: float = 0.95
    at_risk: float = 0.60

    def __post_init__(self) -> None:
        if not (math.isfinite(self.on_track) and math.isfinite(self.at_risk) and 0 <= self.at_risk <= self.on_track):
            raise ValueError(f"bands need 0 ≤ at_risk ≤ on_track, got at_risk={self.at_risk}, on_track={self.on_track}")

    def classify(self, ratio: float) -> str:
        # A ratio that is exactly a threshold on paper (0.95) can come out of floating point as 0.9499999999…;
        # rounding to 9 places puts it in the band a reader checking by hand would expect.
        r = round(ratio, 9)
        if r >= self.on_track:
            return ON_TRACK
        if r >= self.at_risk:
            return AT_RISK
        if r >= 0:
            return OFF_TRACK
        return REGRESSING


DEFAULT_BANDS = Bands()


@dataclass(frozen=True)
class Projection:
    """The value the least-squares trend of the observations reaches at the deadline.

    ``value`` and ``meets`` are None when there is no projection; ``note`` then says why ("insufficient data",
    "no deadline", "trend out of range"); otherwise it is "linear trend of N values".
    """

    value: float | None
    meets: bool | None
    note: str


@dataclass(frozen=True)
class Assessment:
    """The status of a quantity target on an assessment date, with what it was judged on.

    ``ratio`` is the progress ratio R (None when it cannot be computed or is not needed); ``expected`` is the
    value the chosen method expected on the latest value's date; ``method`` is the method actually used — it
    differs from the one asked for when CAGR had to fall back to linear.
    """

    status: str
    ratio: float | None
    baseline: Observation | None
    latest: Observation | None
    expected: float | None
    projection: Projection
    reason: str
    reason_zh: str
    method: str


@dataclass(frozen=True)
class MilestoneAssessment:
    """The status of a milestone. ``days_left`` is set while it is open with a deadline; ``days_late`` is the days
    done after the deadline (0 when on time) for an achieved milestone, or the days past the deadline so far for an
    overdue one."""

    status: str
    days_left: int | None
    days_late: int | None
    reason: str
    reason_zh: str


# ---------------------------------------------------------------------------------------------------------------
# Quantity targets


@dataclass(frozen=True)
class _Progress:
    """Progress made and needed, both signed so that positive means towards the target."""

    made: float
    needed: float
    expected: float
    method: str
    fallback_en: str = ""
    fallback_zh: str = ""
    observed_rate: float | None = None
    required_rate: float | None = None


def assess(
    observations: Sequence[Observation],
    target: QuantityTarget,
    *,
    as_of: date,
    plan_start: date | None = None,
    method: str = "linear",
    bands: Bands = DEFAULT_BANDS,
) -> Assessment:
    """The status of ``target`` on ``as_of`` from ``observations`` (in any order).

    Only observations dated on or before ``as_of`` with a finite value count; of two on the same date the later
    one in ``observations`` wins. The baseline is the last observation on or before ``plan_start`` (the first
    after it if there is none), or the earliest observation when ``plan_start`` is None; the latest value is the
    last observation. ``method`` is ``"linear"`` or ``"cagr"``.
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; expected one of {', '.join(METHODS)}")
    known = _known(observations, as_of)
    baseline = _baseline(known, plan_start)
    series = [o for o in known if baseline is not None and o.on >= baseline.on]
    latest = series[-1] if series else None
    projection = _project(series, target)
    deadline = target.deadline
    passed = deadline is not None and as_of > deadline
    goal = f"{_SYMBOL[target.comparator]} {_num(target.value)}"
    goal_zh = f"{_SYMBOL[target.comparator]}{_num(target.value)}"

    def result(
        status: str,
        reason: str,
        reason_zh: str,
        *,
        ratio: float | None = None,
        expected: float | None = None,
        used: str = method,
    ) -> Assessment:
        return Assessment(status, ratio, baseline, latest, expected, projection, reason, reason_zh, used)

    if baseline is None or latest is None:
        if deadline is not None and passed:
            return result(
                OVERDUE,
                f"no value reported, and the deadline {deadline} for the target {goal} has passed",
                f"期限{_day_zh(deadline)}已过，目标{goal_zh}仍无数据",
            )
        return result(NO_DATA, f"no value on or before {as_of}", f"截至{_day_zh(as_of)}暂无数据")

    at = f"at {_num(latest.value)} on {latest.on}"
    at_zh = f"{_day_zh(latest.on)}为{_num(latest.value)}"
    if target.comparator == "=" and not target.met_by(latest.value):
        beyond = _direction(baseline.value, target) * (latest.value - target.value) > 0
        if beyond:
            # Without this the reader sees a value past the line yet a warning status, and suspects a bug.
            at += f", beyond the target {goal} (an overshoot counts as a shortfall)"
            at_zh += f"，已越过目标{goal_zh}（超出部分按差距计）"
    since = f"the baseline {_num(baseline.value)} on {baseline.on}"
    since_zh = f"基线（{_day_zh(baseline.on)}为{_num(baseline.value)}）"

    if target.met_by(latest.value):
        late, late_zh = "", ""
        if deadline is not None and latest.on > deadline:
            in_time = [o for o in series if o.on <= deadline]
            if not (in_time and target.met_by(in_time[-1].value)):
                late, late_zh = f"; not shown met by the deadline {deadline}", f"；期限{_day_zh(deadline)}前未见达标"
        return result(ACHIEVED, f"{at}, meeting the target {goal}{late}", f"{at_zh}，已达到目标{goal_zh}{late_zh}")

    progress = _progress(baseline, latest, target, method)

    if deadline is not None and passed:
        ratio = None
        if progress is not None and progress.needed > 0:
            ratio = _finite(progress.made / progress.needed)
        return result(
            OVERDUE,
            f"the deadline {deadline} has passed: {at}, not meeting the target {goal}",
            f"期限{_day_zh(deadline)}已过，{at_zh}，未达到目标{goal_zh}",
            ratio=ratio,
            expected=target.value,
            used=progress.method if progress is not None else method,
        )

    if latest.on == baseline.on:
        return result(
            NO_DATA,
            f"no value since {since}",
            f"{since_zh}之后暂无新数据",
        )

    if deadline is None:
        made = _made_linear(baseline.value, latest.value, target)
        if made < 0:
            return result(
                REGRESSING,
                f"{at}, worse than {since}, moving away from the target {goal}; no deadline is set",
                f"{at_zh}，较{since_zh}倒退，偏离目标{goal_zh}；未设期限",
            )
        moving = "moving towards" if made > 0 else "no nearer to"
        moving_zh = f"有所进展，正向目标{goal_zh}推进" if made > 0 else f"距目标{goal_zh}未见拉近"
        return result(
            OPEN,
            f"{at} against {since}, {moving} the target {goal}; with no deadline the pace cannot be judged",
            f"{at_zh}，较{since_zh}{moving_zh}；未设期限，无法判断进度快慢",
        )

    # From here there is a deadline on or after as_of, and as_of ≥ latest.on > baseline.on, so the span from the
    # baseline to the deadline is positive and _progress has a value.
    assert progress is not None
    trend, trend_zh = _trend_sentence(projection, deadline)

    if progress.needed <= 0:
        # The baseline was already at (or past) the target, so any pace is fast enough; only falling back counts.
        # R would divide by nothing, and the "expected" line would point away from the target, so neither is given.
        status = REGRESSING if progress.made < 0 else ON_TRACK
        word, word_zh = ("worse than", "较") if progress.made < 0 else ("no worse than", "不差于")
        tail_zh = "倒退" if progress.made < 0 else ""
        return result(
            status,
            f"{progress.fallback_en}{at}, {word} {since}, from which no progress was needed to reach the target "
            f"{goal} by {deadline}{trend}",
            f"{progress.fallback_zh}{at_zh}，{word_zh}{since_zh}{tail_zh}；目标{goal_zh}（{_day_zh(deadline)}）"
            f"本无需在基线上再提升{trend_zh}",
            used=progress.method,
        )

    raw = progress.made / progress.needed
    status = bands.classify(raw)
    ratio = _finite(raw)
    shown = _num(raw) if ratio is not None else ("very large" if raw > 0 else "very negative")
    shown_zh = _num(raw) if ratio is not None else ("极大" if raw > 0 else "极小")
    expected = f"expected {_num(progress.expected)}"
    if progress.method == "cagr":
        assert progress.observed_rate is not None and progress.required_rate is not None
        path = "on the compound-growth path"
        path_zh = "按年均复合增长应达"
        rates = f"; {_num(100 * progress.observed_rate)}% a year against {_num(100 * progress.required_rate)}% needed"
        rates_zh = f"；年均变化{_num(100 * progress.observed_rate)}%，需{_num(100 * progress.required_rate)}%"
    else:
        path, path_zh, rates, rates_zh = "on the line", "按线性进度应达", "", ""
    return result(
        status,
        f"{progress.fallback_en}{at}, {expected} {path} to {_num(target.value)} by {deadline}{rates}; "
        f"progress ratio {shown}{trend}",
        f"{progress.fallback_zh}{at_zh}，{path_zh}{_num(progress.expected)}（{_day_zh(deadline)}目标"
        f"{_num(target.value)}）{rates_zh}，进度比{shown_zh}{trend_zh}",
        ratio=ratio,
        expected=progress.expected,
        used=progress.method,
    )


def _known(observations: Sequence[Observation], as_of: date) -> list[Observation]:
    by_day: dict[date, Observation] = {}
    for o in observations:
        # A missing figure arrives as NaN from spreadsheets; it is no evidence either way, so it is skipped.
        if o.on <= as_of and math.isfinite(o.value):
            by_day[o.on] = o
    return [by_day[d] for d in sorted(by_day)]


def _baseline(known: list[Observation], plan_start: date | None) -> Observation | None:
    if not known:
        return None
    if plan_start is None:
        return known[0]
    # Plans take as baseline the figure for the year before they start (a 2021–2025 plan starts from 2020's value,
    # dated 2020-12-31), so the value at the start is the last one on or before it.
    before = [o for o in known if o.on <= plan_start]
    return before[-1] if before else known[0]


def _direction(baseline: float, target: QuantityTarget) -> int:
    if target.comparator in (">=", ">"):
        return 1
    if target.comparator in ("<=", "<"):
        return -1
    return 1 if target.value >= baseline else -1


def _made_linear(baseline: float, value: float, target: QuantityTarget) -> float:
    # Halves, so that the difference of two finite floats of opposite sign cannot overflow; only signs and ratios
    # of these quantities are used, so the factor ½ cancels.
    b, v, t = baseline / 2, value / 2, target.value / 2
    if target.comparator == "=":
        # "About" is judged by the gap to the target: overshooting by 3 is as bad as falling 3 short.
        return abs(t - b) - abs(t - v)
    return _direction(baseline, target) * (v - b)


def _progress(baseline: Observation, latest: Observation, target: QuantityTarget, method: str) -> _Progress | None:
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
    needed = _direction(b, target) * (t / 2 - b / 2) * share
    made = _made_linear(b, latest.value, target)
    return _Progress(made, needed, expected, "linear", fallback_en, fallback_zh)


def _progress_cagr(
    baseline: float, value: float, target: QuantityTarget, elapsed: int, span: int, share: float
) -> tuple[_Progress | None, str, str]:
    t = target.value
    if baseline <= 0 or value <= 0 or t <= 0:
        return None, "a value is not positive", "基线、当前值或目标值不为正"
    lb, lv, lt = math.log(baseline), math.log(value), math.log(t)
    d = _direction(baseline, target)
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
    return _Progress(d * observed, d * required, expected, "cagr", "", "", observed, required), "", ""


def _project(series: list[Observation], target: QuantityTarget) -> Projection:
    if target.deadline is None:
        return Projection(None, None, "no deadline")
    if len(series) < 2:
        return Projection(None, None, "insufficient data")
    origin = series[0].on
    xs = [(o.on - origin).days / DAYS_PER_YEAR for o in series]
    # Values are scaled to at most 1 in size so that sums of squares cannot overflow.
    scale = max(abs(o.value) for o in series) or 1.0
    ys = [o.value / scale for o in series]
    n = len(series)
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    slope = sxy / sxx  # sxx > 0: the dates are distinct
    at = (target.deadline - origin).days / DAYS_PER_YEAR
    value = (mean_y + slope * (at - mean_x)) * scale
    if not math.isfinite(value):
        return Projection(None, None, "trend out of range")
    return Projection(value, target.met_by(value), f"linear trend of {n} values")


def _trend_sentence(projection: Projection, deadline: date) -> tuple[str, str]:
    if projection.value is None:
        return "", ""
    value = _num(projection.value)
    when = _day_zh(deadline)
    if projection.meets:
        return (
            f"; the trend projects {value} by {deadline}, meeting the target",
            f"；按趋势预计{when}为{value}，可以达标",
        )
    return f"; the trend projects {value} by {deadline}, missing the target", f"；按趋势预计{when}为{value}，难以达标"


# ---------------------------------------------------------------------------------------------------------------
# Milestones


def assess_milestone(*, deadline: date | None, done_on: date | None, as_of: date) -> MilestoneAssessment:
    """The status of a milestone on ``as_of``: achieved when done (on or before ``as_of``), overdue when the
    deadline has passed without it, otherwise open."""
    if done_on is not None and done_on <= as_of:
        if deadline is None:
            return MilestoneAssessment(ACHIEVED, None, None, f"done on {done_on}", f"已于{_day_zh(done_on)}完成")
        late = max(0, (done_on - deadline).days)
        if late:
            return MilestoneAssessment(
                ACHIEVED,
                None,
                late,
                f"done on {done_on}, {_days(late)} after the deadline {deadline}",
                f"已于{_day_zh(done_on)}完成，逾期{late}天（期限{_day_zh(deadline)}）",
            )
        return MilestoneAssessment(
            ACHIEVED,
            None,
            0,
            f"done on {done_on}, by the deadline {deadline}",
            f"已于{_day_zh(done_on)}按期完成（期限{_day_zh(deadline)}）",
        )
    if deadline is None:
        return MilestoneAssessment(OPEN, None, None, "not yet done; no deadline is set", "尚未完成，未设期限")
    if as_of > deadline:
        late = (as_of - deadline).days
        return MilestoneAssessment(
            OVERDUE,
            None,
            late,
            f"not done, {_days(late)} past the deadline {deadline}",
            f"逾期{late}天未完成（期限{_day_zh(deadline)}）",
        )
    left = (deadline - as_of).days
    return MilestoneAssessment(
        OPEN,
        left,
        None,
        f"not yet done; {_days(left)} left to the deadline {deadline}",
        f"尚未完成，距期限{_day_zh(deadline)}还有{left}天",
    )


# ---------------------------------------------------------------------------------------------------------------
# Formatting


def _num(x: float) -> str:
    """At most two decimals, no trailing zeros: 32.0 → "32", 29.002 → "29", 0.8220 → "0.82"."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _day_zh(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def _finite(x: float) -> float | None:
    return x if math.isfinite(x) else None
