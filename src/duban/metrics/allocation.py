"""Allocation of a province target to its jurisdictions (目标分解): equal, by need, or as a table sets it.

A share is held as a whole number of the indicator's numerator (beds, trained people, places): for a count target
the share is that count, and the counts add up to the target; for a rate (每千名老年人口床位数, a percentage) the
share is the count divided by the unit's basis — the denominator it was sized on (its 60+ population) — times the
scale, and the counts add up to the province's required count, target × Σ basis ÷ scale, so the ratio of sums is
the target. Whole counts are reached by the largest-remainder method, ties going to the earlier unit, so the sum is
exact whatever the rounding. The rules, with examples, are in docs/status.md (shares).

Pure: no Django; the caller reads the bases and current values and stores the result.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

EQUAL = "equal"
NEED = "need"
TABLE = "table"
ALLOCATION_METHODS: tuple[str, ...] = (EQUAL, NEED, TABLE)
# A table of rates is written to two decimals, as the pages show them; its ratio of sums is accepted when it is
# the target to within half of the last decimal shown, since no two-decimal rates can hit a ratio exactly.
RATE_TOLERANCE = 0.005


class AllocationError(ValueError):
    """An allocation refused, with every reason, each naming its row or unit."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("；".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Goal:
    """The province target to allocate: ``scale`` is None for a count, else the rate's scale (1000 for per-1000,
    100 for a percentage)."""

    value: float
    comparator: str
    scale: float | None = None

    @property
    def is_rate(self) -> bool:
        return self.scale is not None


@dataclass(frozen=True)
class Unit:
    """A jurisdiction: ``basis`` is what a rate's share is sized on (its denominator) or, for a count, its need
    (its 60+ population); ``current`` is its numerator today (beds now, people trained so far)."""

    code: str
    name: str
    basis: float | None
    current: float = 0.0


@dataclass(frozen=True)
class Share:
    """A unit's share: ``count`` of the numerator, and ``value``, the share as the target is written (the count
    itself, or the rate on the basis)."""

    code: str
    count: float
    value: float
    basis: float | None


def required_count(goal: Goal, units: Sequence[Unit]) -> int:
    """The whole count the shares add up to: the target for a count; for a rate the numerator the province needs
    on the units' bases, rounded up for "at least" targets (so the rate is not missed by a fraction of a bed),
    down for "at most" ones, to the nearest for 约."""
    raw = goal.value if goal.scale is None else goal.value * sum(_basis(u) for u in units) / goal.scale
    if goal.comparator in (">=", ">"):
        return math.ceil(raw - 1e-9)
    if goal.comparator in ("<=", "<"):
        return math.floor(raw + 1e-9)
    return round(raw)


def allocate(goal: Goal, units: Sequence[Unit], method: str) -> list[Share]:
    """Shares for ``units`` by ``method`` (``equal`` or ``need``), adding up exactly to the required count; for a
    rate, or by need, only the units with a basis have one.

    ``equal``: every unit the same — the same count, or for a rate the same rate (counts in proportion to the
    bases). ``need``: each unit's fair part of the required count by its basis, less what it has, is its gap; the
    count still needed province-wide is shared in proportion to the gaps, on top of what each has (a unit already
    past its fair part keeps what it has). When nothing more is needed, shares are the fair parts.
    """
    problems = _check_units(goal, units, method)
    if problems:
        raise AllocationError(problems)
    if goal.is_rate or method == NEED:
        # A unit with no basis (洋浦, whose population the census counts in 儋州) has no rate to be held to; the
        # target is shared among the others, whose bases the province's required count is reckoned on.
        units = [u for u in units if _basis(u)]
    total = required_count(goal, units)
    if method == EQUAL and not goal.is_rate:
        raw = [total / len(units)] * len(units)
    else:
        bases = [_basis(u) for u in units]
        whole = sum(bases)
        fair = [total * b / whole for b in bases]
        raw = fair
        if method == NEED:
            gaps = [max(0.0, f - u.current) for f, u in zip(fair, units, strict=True)]
            still = total - sum(u.current for u in units)
            if still > 0 and sum(gaps) > 0:
                raw = [u.current + still * g / sum(gaps) for u, g in zip(units, gaps, strict=True)]
    counts = largest_remainder(raw, total)
    return [_share(goal, u, c) for u, c in zip(units, counts, strict=True)]


def largest_remainder(raw: Sequence[float], total: int) -> list[int]:
    """Whole numbers adding up to ``total``, each the floor of its ``raw`` part plus one for the largest fractions
    (ties to the earlier part)."""
    floors = [math.floor(x + 1e-9) for x in raw]
    left = total - sum(floors)
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - floors[i]), i))
    for i in order[: max(0, left)]:
        floors[i] += 1
    if left < 0:  # parts summing above the total (only by rounding noise): take back from the smallest fractions
        for i in list(reversed(order))[:-left]:
            floors[i] -= 1
    return floors


def table_shares(goal: Goal, units: Sequence[Unit], values: Sequence[tuple[int, str, float]]) -> list[Share]:
    """Shares as the office set them: ``values`` are (row, unit code, share as the target is written), one row for
    each of ``units``. Refused unless every share is a finite number ≥ 0 for a unit of the plan, given once, every
    unit has one, and they meet the target exactly: the counts add up to it, or the ratio of sums is the rate."""
    by_code = {u.code: u for u in units}
    problems: list[str] = []
    seen: dict[str, int] = {}
    for row, code, value in values:
        unit = by_code.get(code)
        if unit is None:
            problems.append(f"第{row}行：单位“{code}”不是本方案的市县")
            continue
        if code in seen:
            problems.append(f"第{row}行：{unit.name}的份额已在第{seen[code]}行给出")
            continue
        seen[code] = row
        if not math.isfinite(value) or value < 0:
            problems.append(f"第{row}行：{unit.name}的份额“{value:g}”应为不小于0的数")
        elif goal.is_rate and not _basis(unit):
            problems.append(f"第{row}行：{unit.name}暂无分母数据，无法按比率分解")
    missing = [u.name for u in units if u.code not in seen and (_basis(u) or not goal.is_rate)]
    if missing:
        problems.append(f"缺少以下市县的份额：{'、'.join(missing)}")
    if problems:
        raise AllocationError(problems)
    given = {code: value for _, code, value in values}
    if goal.scale is None:
        total = sum(given.values())
        if abs(total - goal.value) > 1e-9 * max(1.0, abs(goal.value)):
            raise AllocationError([f"各市县份额合计{_num(total)}，与全省目标{_num(goal.value)}不符（份额列）"])
        return [Share(u.code, given[u.code], given[u.code], u.basis) for u in units]
    units = [u for u in units if u.code in given]
    counts = {u.code: given[u.code] * _basis(u) / goal.scale for u in units}
    ratio = sum(counts.values()) * goal.scale / sum(_basis(u) for u in units)
    if abs(ratio - goal.value) > RATE_TOLERANCE:
        raise AllocationError(
            [f"按各市县分母加权，份额合计为{_num(ratio)}，与全省目标{_num(goal.value)}不符（份额列）"]
        )
    return [Share(u.code, counts[u.code], given[u.code], u.basis) for u in units]


def ratio_of_sums(goal: Goal, shares: Sequence[Share]) -> float:
    """What the shares add up to, as the target is written: the sum of counts, or Σ count ÷ Σ basis × scale."""
    total = sum(s.count for s in shares)
    if goal.scale is None:
        return total
    return total * goal.scale / sum(s.basis or 0.0 for s in shares)


def _check_units(goal: Goal, units: Sequence[Unit], method: str) -> list[str]:
    if method not in (EQUAL, NEED):
        return [f"分解方式“{method}”应为 equal（平均）或 need（按需求）"]
    if not units:
        return ["本方案没有属地落实的市县，无从分解"]
    problems = []
    if method == NEED and goal.comparator not in (">=", ">"):
        problems.append("按需求分解只适用于“不低于”类目标")
    if (goal.is_rate or method == NEED) and not any(_basis(u) for u in units):
        problems.append("各市县均暂无分母数据（需求依据），无法分解")
    return problems


def _basis(unit: Unit) -> float:
    return unit.basis if unit.basis is not None and math.isfinite(unit.basis) and unit.basis > 0 else 0.0


def _share(goal: Goal, unit: Unit, count: int) -> Share:
    if goal.scale is None:
        return Share(unit.code, float(count), float(count), unit.basis)
    return Share(unit.code, float(count), count * goal.scale / _basis(unit), unit.basis)


def _num(x: float) -> str:
    return f"{x:,.2f}".rstrip("0").rstrip(".")
