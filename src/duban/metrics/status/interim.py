"""Interim targets (阶段目标): where a target's path stands at the end of each quarter and year from the baseline
to the deadline, by the same method, linear or compound, that the status judges progress with (docs/status.md).

The status compares the latest value with the interim target of the period it describes, so a chart that draws
these points draws exactly what the status measured against.
"""

from __future__ import annotations

import math
from datetime import date

from duban.metrics.status.model import InterimTarget, Observation, QuantityTarget, quarter_end


def path_value(baseline: Observation, target: QuantityTarget, on: date, method: str) -> float | None:
    """The path's value on ``on`` (held at the target after the deadline), or None when there is no path: no
    deadline, or a deadline not after the baseline. CAGR falls back to the straight line where a value is not
    positive, as the status does."""
    if target.deadline is None:
        return None
    span = (target.deadline - baseline.on).days
    if span <= 0:
        return None
    share = min(1.0, max(0.0, (on - baseline.on).days / span))
    b, t = baseline.value, target.value
    if method == "cagr" and b > 0 and t > 0:
        try:
            return math.exp(math.log(b) + share * (math.log(t) - math.log(b)))
        except OverflowError:
            return max(b, t)
    return b * (1 - share) + t * share


def interim_targets(baseline: Observation, target: QuantityTarget, method: str) -> list[InterimTarget]:
    """Every quarter's interim target after the baseline up to the deadline, and the deadline's own (the target
    itself); empty when there is no path."""
    deadline = target.deadline
    if deadline is None or deadline <= baseline.on:
        return []
    points: list[InterimTarget] = []
    year, quarter = baseline.on.year, (baseline.on.month - 1) // 3 + 1
    while True:
        end = quarter_end(year, quarter)
        if end > deadline:
            break
        if end > baseline.on:
            value = path_value(baseline, target, end, method)
            assert value is not None  # the deadline is after the baseline
            points.append(InterimTarget(end, value, quarter == 4))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    if not points or points[-1].on != deadline:
        points.append(InterimTarget(deadline, target.value, False))
    return points


def interim_for(points: list[InterimTarget], on: date) -> InterimTarget | None:
    """The interim target of the period ``on`` falls in: the first point on or after it."""
    return next((p for p in points if p.on >= on), None)
