"""Bringing stored indicator values up to date after one change, without recomputing the region.

A change inside a jurisdiction (a facility, a figure of a township, a district or the jurisdiction itself) can
only alter that jurisdiction's subtree and the units above it. The subtree is recomputed by the engine — a few
hundred facilities, not a country's — and every unit above it is corrected by the difference the subtree's
values made, which is exact because everything above a jurisdiction is a sum of its parts: facility totals,
area counts, figures of units that report none of their own, and counts of jurisdictions meeting a target.

Where that does not hold, ``refresh`` returns None and the caller recomputes the region: a change at the
province itself, or a facility kind appearing in (or vanishing from) the whole registry, which turns "no data"
into numbers everywhere.
"""

from __future__ import annotations

from datetime import date

import numpy as np
from django.db.models import Q

from duban.indicators import loading
from duban.indicators.models import DataValue, Facility, IndicatorSeries, StoredValue
from duban.metrics.definitions import ElementMeasure, FacilityMeasure, Indicator, Measure, load_definitions
from duban.metrics.engine import NO_DATA, OK, Engine, Result, Tree, compare
from duban.metrics.periods import Period
from duban.orgs.models import OrgUnit
from duban.plans.models import Assignment, Plan

_OK, _NO_DATA, _NA = (
    IndicatorSeries.Reason.OK.value,
    IndicatorSeries.Reason.NO_DATA.value,
    IndicatorSeries.Reason.NOT_APPLICABLE.value,
)
Point = tuple[str, float | None, float | None, float | None, str]


def refresh(*, plan: Plan, org_ids: set[int], start: date) -> int | None:
    """Rewrite the values of the changed units' jurisdictions and of every unit above them. Returns the
    number of values written, or None when only a full recomputation is right."""
    chains = [_chain(pk, plan.region_id) for pk in org_ids]
    tops: dict[int, list[int]] = {}
    for chain in chains:
        jurisdiction = next(
            (i for i in range(len(chain) - 1, -1, -1) if chain[i][1] == OrgUnit.Level.JURISDICTION), None
        )
        if jurisdiction is None:
            return None
        above = [pk for pk, _ in chain[jurisdiction + 1 :]]
        tops.setdefault(chain[jurisdiction][0], above)
    indicators = load_definitions()
    written = 0
    for top, above in tops.items():
        count = _refresh_subtree(plan, top, above, indicators, start)
        if count is None:
            return None
        written += count
    return written


def _chain(pk: int, region_id: int) -> list[tuple[int, str]]:
    """The unit and every unit above it on the statistical hierarchy, up to the region: (pk, level)."""
    chain: list[tuple[int, str]] = []
    node: int | None = pk
    while node is not None:
        stat, parent, level = OrgUnit.objects.values_list("stat_parent_id", "parent_id", "level").get(pk=node)
        chain.append((node, level))
        if node == region_id:
            break
        node = stat or parent
    return chain


def _subtree(top: int) -> list[tuple[int, str, int | None, str, str]]:
    rows = [tuple(OrgUnit.objects.values_list("pk", "code", "level", "area_type").get(pk=top))]
    units: list[tuple[int, str, int | None, str, str]] = [
        (top, str(rows[0][1]), None, str(rows[0][2]), str(rows[0][3]))
    ]
    frontier = {top}
    while frontier:
        found = list(
            OrgUnit.objects.filter(kind=OrgUnit.Kind.AREA)
            .filter(Q(stat_parent_id__in=frontier) | Q(stat_parent__isnull=True, parent_id__in=frontier))
            .values_list("pk", "code", "stat_parent_id", "parent_id", "level", "area_type")
        )
        frontier = set()
        for pk, code, stat, parent, level, area_type in found:
            units.append((pk, code, stat or parent, level, area_type))
            frontier.add(pk)
    return units


def _refresh_subtree(plan: Plan, top: int, above: list[int], indicators: list[Indicator], start: date) -> int | None:
    units = _subtree(top)
    index = {pk: i for i, (pk, _, _, _, _) in enumerate(units)}
    tree = Tree(
        codes=[code for _, code, _, _, _ in units],
        parent=np.array([index.get(p, -1) if p is not None else -1 for _, _, p, _, _ in units], dtype=np.int64),
        level=[level for _, _, _, level, _ in units],
        area_type=[area_type for _, _, _, _, area_type in units],
    )
    pks = np.array([pk for pk, _, _, _, _ in units], dtype=np.int64)
    labels = IndicatorSeries.objects.filter(org_id=top).values_list("periods", flat=True).first()
    if not labels:
        return None
    periods = [Period.parse(label) for label in labels.split(",")]
    scope_pks = set(
        Assignment.objects.filter(task__plan=plan, role=Assignment.Role.LOCAL, unit_id__in=list(index)).values_list(
            "unit_id", flat=True
        )
    )
    engine = Engine(
        tree,
        loading._facilities(index),
        loading._values(index, {e for ind in indicators for e in ind.elements}),
        plan_start=start,
        scope=[index[pk] for pk in scope_pks] or [],
        # One indexed existence test per kind is far cheaper than DISTINCT over the whole registry.
        registry_kinds={kind for kind in Facility.Kind.values if Facility.objects.filter(kind=kind).exists()},
    )
    results = engine.compute(indicators, periods)
    stored = [i for i, level in enumerate(tree.level) if level in loading.STORED_LEVELS]
    stored_pks = [int(pks[i]) for i in stored]
    old: dict[tuple[str, int, str], StoredValue] = {
        (v.indicator, v.org_id, v.period): v
        for series in IndicatorSeries.objects.filter(org_id__in=stored_pks + above)
        for v in series.points()
    }
    own = _own_elements(above, indicators)
    jurisdictions = [i for i in stored if tree.level[i] == OrgUnit.Level.JURISDICTION and int(pks[i]) in scope_pks]
    points: dict[tuple[str, int], list[Point]] = {}
    for result in results:
        ind = result.indicator
        for j, period in enumerate(periods):
            label = str(period)
            new_top = _triple(result, index[top], j)
            before = old.get((ind.code, top, label))
            if before is None:
                return None
            if _is_facility_based(ind) and (before.reason == _NO_DATA) != (new_top[3] == _NO_DATA):
                return None
            for i in stored:
                points.setdefault((ind.code, int(pks[i])), []).append((label, *_triple(result, i, j)))
            if ind.share_meeting is not None:
                rule = ind.share_meeting
                gained = 0
                for i in jurisdictions:
                    then = old.get((ind.code, int(pks[i]), label))
                    was = (
                        then is not None
                        and then.value is not None
                        and bool(compare(np.array([then.value]), rule.comparator, rule.value)[0])
                    )
                    now_value = result.value[i, j]
                    now = not np.isnan(now_value) and bool(
                        compare(np.array([now_value]), rule.comparator, rule.value)[0]
                    )
                    gained += int(now) - int(was)
                d_num, d_den = float(gained), 0.0
                changed_num, changed_den = gained != 0, False
            else:
                d_num, changed_num = _delta(before.numerator, new_top[0])
                d_den, changed_den = _delta(before.denominator, new_top[1])
            for pk in above:
                row = old.get((ind.code, pk, label))
                if row is None:
                    return None
                num = _apply(row.numerator, d_num, changed_num, _kept(ind.numerator, pk, period, own))
                den = row.denominator
                if ind.denominator is not None:
                    den = _apply(row.denominator, d_den, changed_den, _kept(ind.denominator, pk, period, own))
                value, reason = _value(ind, num, den, above_jurisdictions=ind.share_meeting is not None)
                points.setdefault((ind.code, pk), []).append((label, num, den, value, reason))
    rows = [loading.series_row(code, pk, series) for (code, pk), series in points.items()]
    loading.write_series(rows, replacing=stored_pks + above)
    return sum(len(series) for series in points.values())


def _triple(result: Result, i: int, j: int) -> tuple[float | None, float | None, float | None, str]:
    num = result.numerator[i, j]
    den = result.denominator[i, j] if result.denominator is not None else np.nan
    value = result.value[i, j]
    reason = {OK: _OK, NO_DATA: _NO_DATA}.get(int(result.reason[i, j]), _NA)
    return (
        None if np.isnan(num) else float(num),
        None if np.isnan(den) else float(den),
        None if np.isnan(value) else float(value),
        reason,
    )


def _is_facility_based(indicator: Indicator) -> bool:
    return any(
        isinstance(m, FacilityMeasure) or (m is not None and not isinstance(m, ElementMeasure))
        for m in (indicator.numerator, indicator.denominator)
    )


def _delta(old: float | None, new: float | None) -> tuple[float, bool]:
    """How much the subtree's amount moved, and whether it moved at all (None → a value counts)."""
    if old is None and new is None:
        return 0.0, False
    return (new or 0.0) - (old or 0.0), True


def _apply(current: float | None, delta: float, changed: bool, kept: bool) -> float | None:
    if kept or not changed:
        return current
    return (current or 0.0) + delta


def _own_elements(above: list[int], indicators: list[Indicator]) -> dict[tuple[int, str], list[date]]:
    """Figures the units above report themselves: their own figure wins over the sum of their parts."""
    elements = {e for ind in indicators for e in ind.elements}
    own: dict[tuple[int, str], list[date]] = {}
    for org, element, end in DataValue.objects.filter(org_id__in=above, element__code__in=elements).values_list(
        "org_id", "element__code", "period_end"
    ):
        own.setdefault((org, element), []).append(end)
    return own


def _kept(measure: Measure, pk: int, period: Period, own: dict[tuple[int, str], list[date]]) -> bool:
    if not isinstance(measure, ElementMeasure):
        return False
    figures = own.get((pk, measure.element), [])
    if measure.cumulative:
        return bool(figures)
    return any(end <= period.end for end in figures)


def _value(
    indicator: Indicator, num: float | None, den: float | None, *, above_jurisdictions: bool
) -> tuple[float | None, str]:
    if above_jurisdictions:
        if den is None or num is None:
            return None, _NO_DATA
        return (None, _NA) if den == 0 else (num / den * 100, _OK)
    if indicator.denominator is None:
        return (None, _NO_DATA) if num is None else (num, _OK)
    if num is None or den is None:
        return None, _NO_DATA
    if den == 0:
        return None, _NA
    return num / den * indicator.scale, _OK
