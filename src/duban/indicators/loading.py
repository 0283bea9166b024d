"""Between the database and the engine: load a region's units, facilities and data as arrays, and turn
the engine's results back into rows.

Whole columns are read with ``values_list`` and written with one bulk statement (COPY on PostgreSQL),
because the per-object ORM path costs tens of microseconds a row and a country has millions of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import numpy as np
from django.db import connection, transaction

from duban.indicators.models import DataValue, Facility, IndicatorValue
from duban.metrics.definitions import FACILITY_KINDS, NATURES, Indicator, load_definitions
from duban.metrics.engine import NEVER, NO_DATA, NOT_APPLICABLE, ElementValues, Engine, Facilities, Result, Tree
from duban.metrics.periods import GRANULARITY_RANK
from duban.orgs.models import OrgUnit
from duban.plans.models import Assignment, Plan

# Values are kept for the levels people supervise; townships only feed the totals above them.
STORED_LEVELS = ("province", "jurisdiction", "district")
_REASON = {
    0: IndicatorValue.Reason.OK,
    NO_DATA: IndicatorValue.Reason.NO_DATA,
    NOT_APPLICABLE: IndicatorValue.Reason.NOT_APPLICABLE,
}


def _days(dates: Iterable[date | None], missing: int) -> np.ndarray:
    """Day numbers since 1970-01-01; ``missing`` where there is no date."""
    out = np.array([d if d is not None else "NaT" for d in dates], dtype="datetime64[D]")
    days = out.astype(np.int64)
    days[np.isnat(out)] = missing
    return days


@dataclass
class RegionData:
    tree: Tree
    engine: Engine
    indicators: list[Indicator]
    pks: np.ndarray  # tree index → OrgUnit pk
    parent_pk: dict[int, int | None]

    @property
    def stored_org_ids(self) -> list[int]:
        keep = np.array([lv in STORED_LEVELS for lv in self.tree.level], dtype=bool)
        return [int(pk) for pk in self.pks[keep]]

    def with_ancestors(self, org_ids: Iterable[int]) -> set[int]:
        found: set[int] = set()
        for pk in org_ids:
            node: int | None = pk
            while node is not None and node not in found:
                found.add(node)
                node = self.parent_pk.get(node)
        return found


def region_units(region: OrgUnit) -> list[tuple[int, str, int | None, str, str]]:
    """(pk, code, statistical parent pk, level, area type) of every area in ``region``, parents first."""
    rows = list(
        OrgUnit.objects.filter(kind=OrgUnit.Kind.AREA).values_list(
            "pk", "code", "parent_id", "stat_parent_id", "level", "area_type"
        )
    )
    parent = {pk: (stat or sup) for pk, _, sup, stat, _, _ in rows}
    inside: set[int] = {region.pk}
    changed = True
    while changed:
        changed = False
        for pk, _, sup, _, _, _ in rows:
            if pk not in inside and (sup in inside or parent[pk] in inside):
                inside.add(pk)
                changed = True
    # Parents before children, so that a unit's parent already has its index when the tree is built.
    depth: dict[int, int] = {}

    def depth_of(pk: int) -> int:
        if pk not in depth:
            up = parent[pk]
            depth[pk] = 0 if up is None or up not in inside or pk == region.pk else depth_of(up) + 1
        return depth[pk]

    chosen = [
        (pk, code, parent[pk] if parent[pk] in inside and pk != region.pk else None, level, area_type)
        for pk, code, _, _, level, area_type in rows
        if pk in inside
    ]
    chosen.sort(key=lambda row: depth_of(row[0]))
    return chosen


def load_region(*, plan: Plan, start: date, indicators: list[Indicator] | None = None) -> RegionData:
    indicators = indicators or load_definitions()
    units = region_units(plan.region)
    index = {pk: i for i, (pk, _, _, _, _) in enumerate(units)}
    tree = Tree(
        codes=[code for _, code, _, _, _ in units],
        parent=np.array([index[p] if p is not None else -1 for _, _, p, _, _ in units], dtype=np.int64),
        level=[level for _, _, _, level, _ in units],
        area_type=[area_type for _, _, _, _, area_type in units],
    )
    pks = np.array([pk for pk, _, _, _, _ in units], dtype=np.int64)
    facilities = _facilities(index)
    values = _values(index, {e for ind in indicators for e in ind.elements})
    scope_pks = set(
        Assignment.objects.filter(task__plan=plan, role=Assignment.Role.LOCAL).values_list("unit_id", flat=True)
    )
    scope = [index[pk] for pk in scope_pks if pk in index] or None
    engine = Engine(tree, facilities, values, plan_start=start, scope=scope)
    parent_pk = {pk: p for pk, _, p, _, _ in units}
    return RegionData(tree, engine, indicators, pks, parent_pk)


def _facilities(index: dict[int, int]) -> Facilities:
    rows = list(
        Facility.objects.filter(org_id__in=list(index)).values_list(
            "org_id",
            "kind",
            "nature",
            "beds",
            "nursing_beds",
            "places",
            "enrolled",
            "comprehensive",
            "has_medical",
            "opened",
            "closed",
        )
    )
    if not rows:
        return Facilities.empty()
    columns = list(zip(*rows, strict=True))
    kinds = {k: i for i, k in enumerate(FACILITY_KINDS)}
    natures = {n: i for i, n in enumerate(NATURES)}
    return Facilities(
        org=np.array([index[o] for o in columns[0]], dtype=np.int64),
        kind=np.array([kinds[k] for k in columns[1]], dtype=np.int64),
        nature=np.array([natures.get(n, -1) for n in columns[2]], dtype=np.int64),
        beds=np.array(columns[3], dtype=np.float64),
        nursing_beds=np.array(columns[4], dtype=np.float64),
        places=np.array(columns[5], dtype=np.float64),
        enrolled=np.array(columns[6], dtype=np.float64),
        comprehensive=np.array(columns[7], dtype=bool),
        has_medical=np.array(columns[8], dtype=bool),
        opened=_days(columns[9], 0),
        closed=_days(columns[10], NEVER),
    )


def _values(index: dict[int, int], elements: set[str]) -> dict[str, ElementValues]:
    rows = DataValue.objects.filter(org_id__in=list(index), element__code__in=elements).values_list(
        "element__code", "org_id", "period_start", "period_end", "granularity", "value"
    )
    grouped: dict[str, list[tuple[int, date, date, str, float]]] = {}
    for code, org, start, end, granularity, value in rows:
        grouped.setdefault(code, []).append((org, start, end, granularity, value))
    out = {}
    for code, items in grouped.items():
        columns = list(zip(*items, strict=True))
        out[code] = ElementValues(
            org=np.array([index[o] for o in columns[0]], dtype=np.int64),
            start=_days(columns[1], 0),
            end=_days(columns[2], 0),
            rank=np.array([GRANULARITY_RANK[g] for g in columns[3]], dtype=np.int64),
            value=np.array(columns[4], dtype=np.float64),
        )
    return out


def result_rows(data: RegionData, results: list[Result], *, only: set[int] | None = None) -> list[tuple[object, ...]]:
    """(indicator, org pk, period, period end, numerator, denominator, value, reason) for stored units.

    Built column by column with numpy, because a per-value Python loop costs seconds for a country.
    """
    keep = np.array([lv in STORED_LEVELS for lv in data.tree.level], dtype=bool)
    if only is not None:
        keep &= np.isin(data.pks, list(only))
    nodes = np.nonzero(keep)[0]
    reasons = np.array([_REASON[k].value for k in sorted(_REASON)], dtype=object)
    rows: list[tuple[object, ...]] = []
    for result in results:
        periods = len(result.periods)
        count = len(nodes) * periods
        orgs = np.repeat(data.pks[nodes], periods).tolist()
        labels = [str(p) for p in result.periods] * len(nodes)
        ends = [p.end for p in result.periods] * len(nodes)
        denominator = result.denominator if result.denominator is not None else np.full(result.value.shape, np.nan)
        columns = [
            _nullable(result.numerator[nodes]),
            _nullable(denominator[nodes]),
            _nullable(result.value[nodes]),
            reasons[result.reason[nodes].ravel()].tolist(),
        ]
        rows.extend(zip([result.indicator.code] * count, orgs, labels, ends, *columns, strict=True))
    return rows


def _nullable(block: np.ndarray) -> list[float | None]:
    """Row-major values with NaN as None (SQL NULL)."""
    flat = block.ravel().astype(object)
    flat[np.isnan(block.ravel())] = None
    return flat.tolist()


_COLUMNS = ("indicator", "org_id", "period", "period_end", "numerator", "denominator", "value", "reason")


def write_values(rows: list[tuple[object, ...]], *, replacing: Iterable[int]) -> None:
    """Replace the stored values of the units ``replacing`` with ``rows``, in one transaction."""
    table = IndicatorValue._meta.db_table
    columns = ", ".join(_COLUMNS)
    with transaction.atomic():
        IndicatorValue.objects.filter(org_id__in=list(replacing)).delete()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(_COLUMNS))
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # type: ignore[arg-type]
