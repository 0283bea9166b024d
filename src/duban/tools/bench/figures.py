"""What the indicator benchmark reports: figures against the issue's goals, and the comparison of a number
with the value duban stored."""

from __future__ import annotations

import math
from dataclasses import dataclass

from duban.indicators.models import StoredValue
from duban.indicators.selectors import stored_series

# The goals (at scale 1.0).
GOAL_FULL_SECONDS = {"postgresql": 10.0, "sqlite": 20.0}
GOAL_PEAK_BYTES = 2_000_000_000
GOAL_SPEEDUP = 50.0
GOAL_DUCKDB_RATIO = 3.0
GOAL_REFRESH_MS = 200.0
GOAL_HAINAN_SECONDS = 0.5


@dataclass
class Figure:
    name: str
    value: str
    goal: str = ""
    met: bool | None = None


def stored_values(codes: list[str], org_ids: list[int]) -> dict[tuple[str, int, str], StoredValue]:
    """Stored values by (indicator, unit pk, period)."""
    return {
        (v.indicator, v.org_id, v.period): v
        for points in stored_series(codes=codes, org_ids=org_ids).values()
        for v in points
    }


def values_equal(a: float | None, b: float | None) -> bool:
    if a is None or b is None or (isinstance(a, float) and math.isnan(a)) or (isinstance(b, float) and math.isnan(b)):
        return (a is None or math.isnan(a)) and (b is None or math.isnan(b))
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
