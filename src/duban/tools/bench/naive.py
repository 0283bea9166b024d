"""The reference the indicator benchmark beats: the obvious per-unit, per-period ORM loop, run on a sample
of jurisdictions and compared per value with duban's stored values."""

from __future__ import annotations

import math
import time
from datetime import date
from typing import Any

import numpy as np
from django.db.models import Count, Exists, OuterRef, Q, Sum
from rich.console import Console

from duban.indicators.models import DataValue, Facility
from duban.indicators.selectors import plan_start
from duban.metrics.definitions import AreaMeasure, ElementMeasure, FacilityMeasure, Indicator, Measure, load_definitions
from duban.metrics.periods import Period
from duban.orgs.models import OrgUnit
from duban.plans.models import Plan
from duban.tools.bench.country import SEED, Region
from duban.tools.bench.figures import GOAL_SPEEDUP, Figure, stored_values, values_equal

NAIVE_UNITS = 20
NAIVE_YEAR = 2025


class _Naive:
    """The obvious ORM code: for each unit, period and indicator, aggregate queries over the unit's
    subtree (found once per unit, which is kinder to it than finding it per value)."""

    def __init__(self, plan: Plan) -> None:
        self.start = plan_start(plan)
        self.subtrees: dict[int, list[int]] = {}

    def subtree(self, unit: int) -> list[int]:
        if unit not in self.subtrees:
            ids, frontier = {unit}, {unit}
            while frontier:
                frontier = set(
                    OrgUnit.objects.filter(
                        Q(stat_parent_id__in=frontier) | Q(stat_parent__isnull=True, parent_id__in=frontier)
                    )
                    .exclude(pk__in=ids)
                    .values_list("pk", flat=True)
                )
                ids |= frontier
            self.subtrees[unit] = sorted(ids)
        return self.subtrees[unit]

    def value(self, indicator: Indicator, unit: int, period: Period) -> float | None:
        numerator = self.measure(indicator.numerator, unit, period.end)
        if indicator.denominator is None:
            return numerator
        denominator = self.measure(indicator.denominator, unit, period.end)
        if numerator is None or denominator is None or denominator == 0:
            return None
        return numerator / denominator * indicator.scale

    def measure(self, measure: Measure, unit: int, end: date) -> float | None:
        if isinstance(measure, FacilityMeasure):
            return self.facilities(measure, self.subtree(unit), end)
        if isinstance(measure, AreaMeasure):
            areas = OrgUnit.objects.filter(pk__in=self.subtree(unit), level=measure.level)
            if measure.area_types:
                areas = areas.filter(area_type__in=measure.area_types)
            if measure.having is not None:
                areas = areas.filter(
                    Exists(_active(_facility_query(measure.having), end).filter(org_id=OuterRef("pk")))
                )
            return float(areas.count())
        return self.element(measure, unit, end)

    def facilities(self, measure: FacilityMeasure, ids: list[int], end: date) -> float:
        rows = _active(_facility_query(measure).filter(org_id__in=ids), end)
        if measure.field == "count":
            return float(rows.aggregate(n=Count("pk"))["n"])
        return float(rows.aggregate(total=Sum(measure.field))["total"] or 0)

    def element(self, measure: ElementMeasure, unit: int, end: date) -> float | None:
        rows = DataValue.objects.filter(org_id=unit, element__code=measure.element)
        if measure.cumulative:
            found = list(rows.filter(period_start__gte=self.start).values_list("period_end", "granularity", "value"))
            if found:
                finest: dict[int, int] = {}
                for on, granularity, _ in found:
                    finest[on.year] = max(finest.get(on.year, -1), _RANK[granularity])
                return sum(v for on, g, v in found if on <= end and _RANK[g] == finest[on.year])
        else:
            latest = list(rows.filter(period_end__lte=end).values_list("period_end", "granularity", "value"))
            if latest:
                return max(latest, key=lambda row: (row[0], -_RANK[row[1]]))[2]
        # No figure of its own: the sum of its children's, as the engine fills it.
        children = OrgUnit.objects.filter(
            Q(stat_parent_id=unit) | Q(stat_parent__isnull=True, parent_id=unit)
        ).values_list("pk", flat=True)
        parts = [v for v in (self.element(measure, child, end) for child in children) if v is not None]
        return sum(parts) if parts else None


_RANK = {"year": 0, "quarter": 1, "month": 2}


def _facility_query(measure: FacilityMeasure) -> Any:
    rows = Facility.objects.all()
    if measure.kinds:
        rows = rows.filter(kind__in=measure.kinds)
    if measure.natures:
        rows = rows.filter(nature__in=measure.natures)
    if measure.min_beds is not None:
        rows = rows.filter(beds__gte=measure.min_beds)
    if measure.comprehensive is not None:
        rows = rows.filter(comprehensive=measure.comprehensive)
    if measure.has_medical is not None:
        rows = rows.filter(has_medical=measure.has_medical)
    return rows


def _active(rows: Any, end: date) -> Any:
    return rows.filter(opened__lte=end).filter(Q(closed__isnull=True) | Q(closed__gt=end))


def bench_naive(plan: Plan, country: Region, engine_per_value: float, console: Console) -> list[Figure]:
    rng = np.random.default_rng(SEED + 1)
    picked = sorted(rng.choice(country.jurisdictions, size=min(NAIVE_UNITS, len(country.jurisdictions)), replace=False))
    quarters = [Period.of(NAIVE_YEAR, "quarter", q) for q in range(1, 5)]
    indicators = load_definitions()
    naive = _Naive(plan)
    computed: dict[tuple[str, int, str], float | None] = {}
    started = time.perf_counter()
    for unit in picked:
        for period in quarters:
            for indicator in indicators:
                computed[(indicator.code, int(unit), str(period))] = naive.value(indicator, int(unit), period)
    seconds = time.perf_counter() - started
    stored = {key: v.value for key, v in stored_values([i.code for i in indicators], [int(u) for u in picked]).items()}
    agree = sum(values_equal(value, stored.get(key, math.inf)) for key, value in computed.items())
    per_value = seconds / len(computed)
    speedup = per_value / engine_per_value
    console.print(
        f"naive ORM loop: {len(picked)} jurisdictions × {len(quarters)} quarters × {len(indicators)} indicators = "
        f"{len(computed)} values in {seconds:.2f} s, {per_value * 1e6:,.0f} µs a value (duban: "
        f"{engine_per_value * 1e6:,.1f} µs a value); {agree}/{len(computed)} equal duban's stored values"
    )
    return [
        Figure("naive ORM loop, per value", f"{per_value * 1e6:,.0f} µs"),
        Figure("duban full computation, per value", f"{engine_per_value * 1e6:,.2f} µs"),
        Figure("speed-up over the naive loop", f"{speedup:,.0f} ×", f"≥ {GOAL_SPEEDUP:g} ×", speedup >= GOAL_SPEEDUP),
        Figure("naive loop agrees with duban", f"{agree}/{len(computed)}", "all", agree == len(computed)),
    ]
