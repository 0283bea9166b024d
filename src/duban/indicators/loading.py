"""Between the database and the engine: load a region's units, facilities and data as arrays, and turn
the engine's results back into rows.

Whole columns are read with ``values_list`` and written with one bulk statement (COPY on PostgreSQL),
because the per-object ORM path costs tens of microseconds a row and a country has millions of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from duban.indicators.models import (
    CODE_OF_REASON,
    DataElement,
    DataValue,
    Facility,
    IndicatorSeries,
    pack_floats,
    pack_reasons,
)
from duban.metrics.definitions import FACILITY_KINDS, NATURES, Indicator, load_definitions
from duban.metrics.engine import NEVER, ElementValues, Engine, Facilities, Result, Tree
from duban.metrics.periods import GRANULARITY_RANK
from duban.orgs.models import OrgUnit
from duban.plans.models import Assignment, Plan

# Values are kept for the levels people supervise; townships only feed the totals above them.
STORED_LEVELS = ("province", "jurisdiction", "district")
# (indicator, org pk, periods, packed numerators, denominators, values and reasons, computed at)
SeriesRow = tuple[str, int, str, bytes, bytes, bytes, bytes, Any]


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


# Up to this many units a load asks the database for their rows only; a bigger region reads the whole table
# and drops what is not in it, because an IN list of tens of thousands of ids costs more than the extra rows.
_IN_LIMIT = 2000


def _day_number(column: str) -> str:
    """SQL for a date column as days since 1970-01-01, so that rows arrive as plain numbers."""
    if connection.vendor == "postgresql":
        return f"({column} - DATE '1970-01-01')"
    return f"CAST(julianday({column}) - 2440587.5 AS INTEGER)"


def _code_case(column: str, codes: Sequence[str]) -> str:
    """SQL mapping a text column to the position of its value in ``codes`` (-1 when absent)."""
    whens = " ".join(f"WHEN '{code}' THEN {i}" for i, code in enumerate(codes))
    return f"CASE {column} {whens} ELSE -1 END"


def _fetch(sql: str, index: dict[int, int], params: Sequence[int] = ()) -> tuple[np.ndarray, np.ndarray]:
    """Rows of ``sql`` (first column an org id, all columns numeric) for the units in ``index``: the tree
    index of each row's unit and the remaining columns as a float matrix.

    Read with a plain cursor because Django's per-value conversions cost more than the computation.
    """
    pks = np.fromiter(index.keys(), dtype=np.int64, count=len(index))
    positions = np.fromiter(index.values(), dtype=np.int64, count=len(index))
    order = np.argsort(pks)
    pks, positions = pks[order], positions[order]
    narrow = len(index) <= _IN_LIMIT
    if narrow:
        sql += f" {'AND' if ' WHERE ' in sql else 'WHERE'} org_id IN ({', '.join(['%s'] * len(index))})"
        params = [*params, *pks.tolist()]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows:
        return np.zeros(0, dtype=np.int64), np.zeros((0, 0))
    matrix = np.array(rows, dtype=np.float64)
    org = matrix[:, 0].astype(np.int64)
    where = np.clip(np.searchsorted(pks, org), 0, len(pks) - 1)
    inside = pks[where] == org
    return positions[where[inside]], matrix[inside, 1:]


def _facilities(index: dict[int, int]) -> Facilities:
    table = Facility._meta.db_table
    org, columns = _fetch(
        f"SELECT org_id, {_code_case('kind', FACILITY_KINDS)}, {_code_case('nature', NATURES)}, beds, nursing_beds,"
        f" places, enrolled, comprehensive, has_medical, {_day_number('opened')},"
        f" COALESCE({_day_number('closed')}, -1) FROM {table}",
        index,
    )
    if not len(org):
        return Facilities.empty()
    closed = columns[:, 9].astype(np.int64)
    closed[closed == -1] = NEVER
    return Facilities(
        org=org,
        kind=columns[:, 0].astype(np.int64),
        nature=columns[:, 1].astype(np.int64),
        beds=columns[:, 2].copy(),
        nursing_beds=columns[:, 3].copy(),
        places=columns[:, 4].copy(),
        enrolled=columns[:, 5].copy(),
        comprehensive=columns[:, 6] != 0,
        has_medical=columns[:, 7] != 0,
        opened=columns[:, 8].astype(np.int64),
        closed=closed,
    )


def _values(index: dict[int, int], elements: set[str]) -> dict[str, ElementValues]:
    ids = dict(DataElement.objects.filter(code__in=elements).values_list("pk", "code"))
    if not ids:
        return {}
    ranks = [g for g, _ in sorted(GRANULARITY_RANK.items(), key=lambda item: item[1])]
    org, columns = _fetch(
        f"SELECT org_id, element_id, {_day_number('period_start')}, {_day_number('period_end')},"
        f" {_code_case('granularity', ranks)}, value FROM {DataValue._meta.db_table}"
        f" WHERE element_id IN ({', '.join(['%s'] * len(ids))})",
        index,
        list(ids),
    )
    out = {}
    element = columns[:, 0].astype(np.int64) if len(org) else np.zeros(0, dtype=np.int64)
    for pk, code in ids.items():
        rows = element == pk
        if not rows.any():
            continue
        out[code] = ElementValues(
            org=org[rows],
            start=columns[rows, 1].astype(np.int64),
            end=columns[rows, 2].astype(np.int64),
            rank=columns[rows, 3].astype(np.int64),
            value=columns[rows, 4].copy(),
        )
    return out


def series_rows(data: RegionData, results: list[Result], *, only: set[int] | None = None) -> list[SeriesRow]:
    """One row per indicator and stored unit, holding its whole series packed (see ``IndicatorSeries``)."""
    keep = np.array([lv in STORED_LEVELS for lv in data.tree.level], dtype=bool)
    if only is not None:
        keep &= np.isin(data.pks, list(only))
    nodes = np.nonzero(keep)[0]
    now = _now()
    rows: list[SeriesRow] = []
    for result in results:
        labels = ",".join(str(p) for p in result.periods)
        denominator = result.denominator if result.denominator is not None else np.full(result.value.shape, np.nan)
        blocks = [
            np.ascontiguousarray(result.numerator[nodes], dtype="<f8"),
            np.ascontiguousarray(denominator[nodes], dtype="<f8"),
            np.ascontiguousarray(result.value[nodes], dtype="<f8"),
            np.ascontiguousarray(result.reason[nodes], dtype=np.int8),
        ]
        code = result.indicator.code
        for i, org in enumerate(data.pks[nodes].tolist()):
            rows.append((code, org, labels, *(block[i].tobytes() for block in blocks), now))
    return rows


def series_row(
    indicator: str, org_id: int, points: Sequence[tuple[str, float | None, float | None, float | None, str]]
) -> SeriesRow:
    """A series row from (period, numerator, denominator, value, reason) tuples in period order."""
    labels, nums, dens, values, reasons = (list(column) for column in zip(*points, strict=True))
    return (
        indicator,
        org_id,
        ",".join(labels),
        pack_floats(nums),
        pack_floats(dens),
        pack_floats(values),
        pack_reasons([CODE_OF_REASON[r] for r in reasons]),
        _now(),
    )


def _now() -> Any:
    """The time of computation as the database driver takes it in a raw statement."""
    return connection.ops.adapt_datetimefield_value(timezone.now())


_COLUMNS = ("indicator", "org_id", "periods", "numerators", "denominators", "values", "reasons", "computed")


def write_series(rows: Sequence[SeriesRow], *, replacing: Iterable[int]) -> None:
    """Replace the stored series of the units ``replacing`` with ``rows``, in one transaction."""
    with transaction.atomic():
        IndicatorSeries.objects.filter(org_id__in=list(replacing)).delete()
        bulk_insert(IndicatorSeries._meta.db_table, _COLUMNS, rows)


def bulk_insert(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Rows in one statement stream: COPY on PostgreSQL, ``executemany`` on SQLite — the ORM's per-object path
    costs tens of microseconds a row."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)
