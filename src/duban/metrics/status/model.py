"""What a status is judged on and what it says: the statuses, targets, bands and assessments."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

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


def quarter_end(year: int, quarter: int) -> date:
    """The last day of a quarter (1–4)."""
    month = 3 * quarter
    return date(year, month, 31 if month in (3, 12) else 30)


def _quarter_of(day: date) -> int | None:
    quarter = (day.month - 1) // 3 + 1
    return quarter if day == quarter_end(day.year, quarter) else None


@dataclass(frozen=True)
class InterimTarget:
    """The value the path asks for on ``on``: a quarter's last day (``year_end`` when it is also a year's), or the
    deadline itself when that is not a quarter's end."""

    on: date
    value: float
    year_end: bool

    @property
    def label(self) -> str:
        """The period in English: "2024 Q4", or the date when it ends no quarter."""
        quarter = _quarter_of(self.on)
        return f"{self.on.year} Q{quarter}" if quarter else self.on.isoformat()

    @property
    def label_zh(self) -> str:
        quarter = _quarter_of(self.on)
        return f"{self.on.year}年第{quarter}季度" if quarter else f"{self.on.year}年{self.on.month}月{self.on.day}日"


@dataclass(frozen=True)
class Assessment:
    """The status of a quantity target on an assessment date, with what it was judged on.

    ``ratio`` is the progress ratio R (None when it cannot be computed or is not needed); ``expected`` is the
    value the chosen method expected on the latest value's date; ``method`` is the method actually used — it
    differs from the one asked for when CAGR had to fall back to linear; ``interim`` is the interim target the
    latest value was measured against (set with ``ratio`` while the target is judged against its path).
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
    # The interim target (阶段目标) of the latest value's period that the progress ratio was judged against.
    interim: InterimTarget | None = None


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
