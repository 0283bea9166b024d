"""The series a quantity target is judged on: the values known on the assessment date, the baseline, the latest
value and the least-squares trend to the deadline."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from duban.metrics.status.model import DAYS_PER_YEAR, Observation, Projection, QuantityTarget


@dataclass(frozen=True)
class Trajectory:
    """The observations from the baseline on (``series``, in date order), its first and last, and the trend.

    ``baseline`` and ``latest`` are both None when no value is known on the assessment date, else both set.
    """

    series: list[Observation]
    baseline: Observation | None
    latest: Observation | None
    projection: Projection


def trajectory(
    observations: Sequence[Observation], target: QuantityTarget, *, as_of: date, plan_start: date | None
) -> Trajectory:
    known = _known(observations, as_of)
    baseline = _baseline(known, plan_start)
    series = [o for o in known if baseline is not None and o.on >= baseline.on]
    latest = series[-1] if series else None
    if target.deadline is not None and as_of >= target.deadline:
        # The deadline has come: the target is met or missed, and a forecast for a day already gone says nothing.
        return Trajectory(series, baseline, latest, Projection(None, None, "deadline reached"))
    return Trajectory(series, baseline, latest, _project(series, target))


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
