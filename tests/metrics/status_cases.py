"""The main example the status tests work from, with its arithmetic.

每千名老年人口拥有养老床位数 ≥ 32 by 2025-12-31 from a baseline of 20 on 2021-12-31. Day counts:
2021-12-31 → 2022-12-31 is 365 days, → 2023-12-31 730, → 2024-12-31 1096 (2024 is a leap year), → 2025-12-31 1461.
1461 / 365.25 = 4 years exactly; 1096 / 365.25 = 3.000684… years.
"""

from __future__ import annotations

from datetime import date

from duban.metrics.status import Assessment, Observation, QuantityTarget, assess

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


def beds(latest: float, *, method: str = "linear", target: QuantityTarget = BEDS) -> Assessment:
    return assess([Observation(BASE_DAY, 20), Observation(LATEST_DAY, latest)], target, as_of=AS_OF, method=method)


def cagr(value: float, base: float, years: float) -> float:
    return (value / base) ** (1 / years) - 1
