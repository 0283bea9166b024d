"""The indicator engine: every indicator, for every org unit and period, in a few array passes.

Offices compute these by hand and average ratios that must not be averaged. Here a rate is always the sum of
its numerators over the sum of its denominators, each summed up the statistical hierarchy; nothing is ever
averaged. The engine works on plain arrays (numpy) so that a whole country's quarters take seconds, and knows
nothing of Django: the indicators app loads the arrays from the database and stores the results.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from duban.metrics.definitions import (
    FACILITY_KINDS,
    NATURES,
    AreaMeasure,
    ElementMeasure,
    FacilityMeasure,
    Indicator,
    Measure,
)
from duban.metrics.periods import Period

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

EPOCH = date(1970, 1, 1)
NEVER = np.iinfo(np.int64).max // 2  # a facility that has not closed

# Why a value is missing: the unit has no data for it, or the rate makes no sense there (a township
# coverage rate in a district without townships is "not applicable", never 0 %).
OK, NO_DATA, NOT_APPLICABLE = 0, 1, 2


def day_number(on: date) -> int:
    return (on - EPOCH).days


@dataclass
class Tree:
    """Org units on the statistical hierarchy: ``parent[i]`` is where unit i's figures roll up (-1: none)."""

    codes: list[str]
    parent: IntArray
    level: list[str]
    area_type: list[str]

    def __post_init__(self) -> None:
        self.index = {code: i for i, code in enumerate(self.codes)}
        depth = np.full(len(self.codes), -1, dtype=np.int64)
        for i in range(len(self.codes)):
            chain = []
            node = i
            while node != -1 and depth[node] == -1:
                chain.append(node)
                if len(chain) > len(self.codes):
                    raise ValueError(f"统计上级关系成环：{self.codes[i]}")
                node = int(self.parent[node])
            base = -1 if node == -1 else int(depth[node])
            for offset, member in enumerate(reversed(chain), start=1):
                depth[member] = base + offset
        self.depth = depth
        # Children are always one level deeper than their parent, so summing depth by depth, deepest
        # first, adds every unit into its parent after all of its own children were added into it.
        self._by_depth = [np.nonzero(depth == d)[0] for d in range(int(depth.max(initial=0)), 0, -1)]
        self._is_level = {name: np.array([lv == name for lv in self.level], dtype=bool) for name in set(self.level)}

    def __len__(self) -> int:
        return len(self.codes)

    def is_level(self, level: str) -> BoolArray:
        return self._is_level.get(level, np.zeros(len(self.codes), dtype=bool))

    def rollup(self, leaf: FloatArray) -> FloatArray:
        """Each unit's own amounts plus those of every unit below it."""
        total = leaf.astype(np.float64, copy=True)
        for nodes in self._by_depth:
            total += _add_rows(total.shape, self.parent[nodes], total[nodes])
        return total

    def fill_from_children(self, own: FloatArray) -> FloatArray:
        """A unit's own reported figure where it has one; otherwise the sum of its children's figures."""
        value = own.copy()
        for nodes in self._by_depth:
            child = value[nodes]
            present = ~np.isnan(child)
            sums = _add_rows(value.shape, self.parent[nodes], np.where(present, child, 0.0))
            counts = _add_rows(value.shape, self.parent[nodes], present.astype(np.float64))
            missing = np.isnan(value) & (counts > 0)
            value[missing] = sums[missing]
        return value

    def without_descendant_levels(self, total: FloatArray, level: str) -> FloatArray:
        """Totals at ``level`` units without what came from units of the same level below them (洋浦's
        figures roll up into 儋州's, yet 洋浦 is supervised on its own)."""
        own = total.copy()
        same = self.is_level(level)
        children = np.nonzero(same & (self.parent >= 0))[0]
        children = children[same[self.parent[children]]]
        np.subtract.at(own, self.parent[children], total[children])
        return own


@dataclass
class Facilities:
    """The facility registry as columns; ``org`` is the index of its unit in the tree."""

    org: IntArray
    kind: IntArray  # index into FACILITY_KINDS
    nature: IntArray  # index into NATURES, -1 when unknown
    beds: FloatArray
    nursing_beds: FloatArray
    places: FloatArray
    enrolled: FloatArray
    comprehensive: BoolArray
    has_medical: BoolArray
    opened: IntArray  # day numbers
    closed: IntArray  # day numbers; NEVER while open

    @classmethod
    def empty(cls) -> Facilities:
        i = np.zeros(0, dtype=np.int64)
        f = np.zeros(0, dtype=np.float64)
        b = np.zeros(0, dtype=bool)
        return cls(i, i, i, f, f, f, f, b, b, i, i)

    def __len__(self) -> int:
        return len(self.org)


@dataclass
class ElementValues:
    """One statistical element's values: unit index, period start and end (day numbers), granularity rank."""

    org: IntArray
    start: IntArray
    end: IntArray
    rank: IntArray
    value: FloatArray


@dataclass
class Result:
    """One indicator over the tree × periods. ``value`` is NaN where ``reason`` says why."""

    indicator: Indicator
    periods: list[Period]
    numerator: FloatArray
    denominator: FloatArray | None
    value: FloatArray
    reason: IntArray
    share_meeting: BoolArray  # units whose value is a share of jurisdictions meeting the threshold


class Engine:
    def __init__(
        self,
        tree: Tree,
        facilities: Facilities,
        values: dict[str, ElementValues],
        *,
        plan_start: date,
        scope: Sequence[int] | None = None,
        registry_kinds: set[str] | None = None,
    ) -> None:
        """``scope``: the jurisdictions a "share of jurisdictions that meet" counts (default: all).
        ``registry_kinds``: the facility kinds the whole registry holds, when ``facilities`` is only a part of
        it (default: the kinds in ``facilities``)."""
        self.tree = tree
        self.registry_kinds = registry_kinds
        self.facilities = facilities
        self.values = values
        self.plan_start = plan_start
        self.scope = np.zeros(len(tree), dtype=bool)
        if scope is None:
            self.scope |= tree.is_level("jurisdiction")
        else:
            self.scope[np.asarray(scope, dtype=np.int64)] = True

    def compute(self, indicators: Sequence[Indicator], periods: Sequence[Period]) -> list[Result]:
        periods = sorted(periods)
        ends = np.array([day_number(p.end) for p in periods], dtype=np.int64)
        cache: dict[Measure, FloatArray] = {}
        return [self._indicator(ind, list(periods), ends, cache) for ind in indicators]

    # ------------------------------------------------------------------------------------ indicators

    def _indicator(
        self, indicator: Indicator, periods: list[Period], ends: IntArray, cache: dict[Measure, FloatArray]
    ) -> Result:
        numerator = self._measure(indicator.numerator, ends, cache)
        denominator = self._measure(indicator.denominator, ends, cache) if indicator.denominator else None
        n, p = numerator.shape
        reason = np.full((n, p), OK, dtype=np.int64)
        share = np.zeros(n, dtype=bool)
        if denominator is None:
            value = numerator.copy()
            reason[np.isnan(value)] = NO_DATA
        else:
            with np.errstate(divide="ignore", invalid="ignore"):
                value = numerator / denominator * indicator.scale
            reason[np.isnan(numerator) | np.isnan(denominator)] = NO_DATA
            reason[(reason == OK) & (denominator == 0)] = NOT_APPLICABLE
            value[reason != OK] = np.nan
        if indicator.share_meeting is not None:
            value, numerator, denominator, reason, share = self._share_meeting(indicator, value, numerator)
        return Result(indicator, periods, numerator, denominator, value, reason, share)

    def _share_meeting(
        self, indicator: Indicator, value: FloatArray, total: FloatArray
    ) -> tuple[FloatArray, FloatArray, FloatArray, IntArray, BoolArray]:
        """Per jurisdiction its own count; above jurisdictions the share of jurisdictions that meet it."""
        assert indicator.share_meeting is not None
        tree = self.tree
        above = _above_level(tree, "jurisdiction")
        if np.isnan(total).all():
            empty = np.full(total.shape, np.nan)
            return empty, empty, empty, np.full(total.shape, NO_DATA, dtype=np.int64), above
        own = tree.without_descendant_levels(total, "jurisdiction")
        rule = indicator.share_meeting
        meets = compare(own, rule.comparator, rule.value) & self.scope[:, None]
        meeting = tree.rollup(meets.astype(np.float64))
        members = tree.rollup(np.repeat(self.scope[:, None], own.shape[1], axis=1).astype(np.float64))
        numerator = np.where(above[:, None], meeting, own)
        denominator = np.where(above[:, None], members, np.nan)
        with np.errstate(divide="ignore", invalid="ignore"):
            share_value = meeting / members * 100
        result = np.where(above[:, None], share_value, own)
        reason = np.full(result.shape, OK, dtype=np.int64)
        reason[above[:, None] & (members == 0)] = NOT_APPLICABLE
        result[reason != OK] = np.nan
        return result, numerator, denominator, reason, above

    # -------------------------------------------------------------------------------------- measures

    def _measure(self, measure: Measure, ends: IntArray, cache: dict[Measure, FloatArray]) -> FloatArray:
        if measure not in cache:
            if isinstance(measure, FacilityMeasure):
                total = self.tree.rollup(self._facility_leaf(measure, ends))
                if not self._registry_covers(measure):
                    # A registry without a single facility of these kinds has not been loaded for them:
                    # its zero would read as "none built", so it is "no data" instead.
                    total[:] = np.nan
                cache[measure] = total
            elif isinstance(measure, ElementMeasure):
                cache[measure] = self._element(measure, ends)
            else:
                cache[measure] = self._areas(measure, ends)
        return cache[measure]

    def _registry_covers(self, measure: FacilityMeasure) -> bool:
        if self.registry_kinds is not None:
            return bool(self.registry_kinds.intersection(measure.kinds or FACILITY_KINDS))
        if not measure.kinds:
            return len(self.facilities) > 0
        wanted = [FACILITY_KINDS.index(k) for k in measure.kinds]
        return bool(np.isin(self.facilities.kind, wanted).any())

    def _selected(self, measure: FacilityMeasure) -> IntArray:
        f = self.facilities
        keep = np.ones(len(f), dtype=bool)
        if measure.kinds:
            keep &= np.isin(f.kind, [FACILITY_KINDS.index(k) for k in measure.kinds])
        if measure.natures:
            keep &= np.isin(f.nature, [NATURES.index(n) for n in measure.natures])
        if measure.min_beds is not None:
            keep &= f.beds >= measure.min_beds
        if measure.comprehensive is not None:
            keep &= f.comprehensive == measure.comprehensive
        if measure.has_medical is not None:
            keep &= f.has_medical == measure.has_medical
        return np.nonzero(keep)[0]

    def _facility_leaf(self, measure: FacilityMeasure, ends: IntArray) -> FloatArray:
        """Each unit's own facilities' sum on each period's last day (opened ≤ day < closed).

        Rather than testing every facility against every period, each facility adds its amount from the
        first period it is open in up to the first period it is closed in: a difference array, summed once.
        """
        f = self.facilities
        rows = self._selected(measure)
        weight = np.ones(len(rows)) if measure.field == "count" else getattr(f, measure.field)[rows]
        first = np.searchsorted(ends, f.opened[rows], side="left")
        stop = np.searchsorted(ends, f.closed[rows], side="left")
        p = len(ends)
        cells = len(self.tree) * (p + 1)
        opens = np.bincount(f.org[rows] * (p + 1) + first, weights=weight, minlength=cells)
        closes = np.bincount(f.org[rows] * (p + 1) + stop, weights=weight, minlength=cells)
        diff = (opens - closes).reshape(len(self.tree), p + 1)
        return np.cumsum(diff, axis=1)[:, :p]

    def _element(self, measure: ElementMeasure, ends: IntArray) -> FloatArray:
        n, p = len(self.tree), len(ends)
        own = np.full((n, p), np.nan)
        values = self.values.get(measure.element)
        if values is not None and len(values.org):
            own = self._cumulative(values, ends) if measure.cumulative else self._latest(values, ends)
        return self.tree.fill_from_children(own)

    def _latest(self, values: ElementValues, ends: IntArray) -> FloatArray:
        """The latest value ending on or before each period's end; on a tie, the coarser period's."""
        order = np.lexsort((-values.rank, values.end, values.org))
        org, end, value = values.org[order], values.end[order], values.value[order]
        own = np.full((len(self.tree), len(ends)), np.nan)
        for column, limit in enumerate(ends):
            keep = np.nonzero(end <= limit)[0]
            if len(keep) == 0:
                continue
            last = keep[np.r_[org[keep][1:] != org[keep][:-1], True]]
            own[org[last], column] = value[last]
        return own

    def _cumulative(self, values: ElementValues, ends: IntArray) -> FloatArray:
        """A flow summed from the plan's start; within a year only the finest periods reported count, so a
        year's total and its quarters are never added together."""
        year = values.end.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64)
        _, group = np.unique(values.org * 10_000 + year, return_inverse=True)
        finest = np.full(int(group.max()) + 1, -1, dtype=np.int64)
        np.maximum.at(finest, group, values.rank)
        keep = values.rank == finest[group]
        keep &= values.start >= day_number(self.plan_start)
        org, end, value = values.org[keep], values.end[keep], values.value[keep]
        own = np.full((len(self.tree), len(ends)), np.nan)
        reported = np.zeros(len(self.tree), dtype=bool)
        reported[org] = True
        column = np.searchsorted(ends, end, side="left")
        inside = column < len(ends)
        sums = np.zeros((len(self.tree), len(ends) + 1))
        np.add.at(sums, (org[inside], column[inside]), value[inside])
        running = np.cumsum(sums, axis=1)[:, : len(ends)]
        own[reported] = running[reported]
        return own

    def _areas(self, measure: AreaMeasure, ends: IntArray) -> FloatArray:
        tree = self.tree
        is_area = tree.is_level(measure.level)
        if measure.area_types:
            is_area &= np.array([t in measure.area_types for t in tree.area_type], dtype=bool)
        leaf = np.repeat(is_area[:, None], len(ends), axis=1).astype(np.float64)
        if measure.having is not None:
            if not self._registry_covers(measure.having):
                return np.full(leaf.shape, np.nan)
            has = self._facility_leaf(measure.having, ends) >= 1
            leaf *= has
        return tree.rollup(leaf)


def _add_rows(shape: tuple[int, ...], targets: IntArray, rows: FloatArray) -> FloatArray:
    """An array of ``shape`` where each of ``rows`` is added into row ``targets[i]``.

    ``np.bincount`` over flattened (row, column) positions does what ``np.add.at`` does, several times faster.
    """
    n, p = shape
    positions = (targets[:, None] * p + np.arange(p)).ravel()
    summed = np.bincount(positions, weights=rows.ravel().astype(np.float64), minlength=n * p)
    return summed.astype(np.float64).reshape(n, p)


def compare(values: FloatArray, comparator: str, threshold: float) -> BoolArray:
    with np.errstate(invalid="ignore"):
        if comparator == ">=":
            return values >= threshold
        if comparator == ">":
            return values > threshold
        if comparator == "<=":
            return values <= threshold
        if comparator == "<":
            return values < threshold
        return np.isclose(values, threshold)


def _above_level(tree: Tree, level: str) -> BoolArray:
    """Units whose level ranks above ``level`` (the province above its jurisdictions)."""
    order = ["province", "jurisdiction", "district", "township"]
    rank = order.index(level)
    return np.array([lv in order and order.index(lv) < rank for lv in tree.level], dtype=bool)
