"""Reads from the organisation registry: resolving names as documents write them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, QuerySet

from duban.orgs.models import Collective, OrgAlias, OrgSuccession, OrgUnit
from duban.orgs.naming import closest, normalise_name


@dataclass
class Resolution:
    """What a name as written stands for: one unit, or nothing with the closest names as hints."""

    name: str
    unit: OrgUnit | None = None
    suggestions: list[str] = field(default_factory=list)
    ambiguous: list[OrgUnit] = field(default_factory=list)
    how: str = ""


class NameIndex:
    """Every name, short name and alias of the registry, loaded once for a whole import."""

    def __init__(self, *, extra: dict[str, OrgUnit] | None = None) -> None:
        self._units: dict[str, list[OrgUnit]] = {}
        units = {u.pk: u for u in OrgUnit.objects.all()}
        for unit in units.values():
            for name in {unit.name, unit.short_name} - {""}:
                self._add(normalise_name(name), unit)
        for alias_name, unit_id in OrgAlias.objects.values_list("name", "unit_id"):
            self._add(normalise_name(alias_name), units[unit_id])
        self._extra = {normalise_name(k): v for k, v in (extra or {}).items()}
        self._collectives: dict[str, Collective] = {}
        for collective in Collective.objects.prefetch_related("aliases", "members"):
            self._collectives[normalise_name(collective.term)] = collective
            for alias in collective.aliases.all():
                self._collectives[normalise_name(alias.name)] = collective

    def _add(self, name: str, unit: OrgUnit) -> None:
        bucket = self._units.setdefault(name, [])
        if unit not in bucket:
            bucket.append(unit)

    def names(self) -> list[str]:
        return sorted(self._units)

    def units_named(self, spelling: str) -> list[OrgUnit]:
        """The units a name, short name or alias stands for (a suggestion of ``resolve`` is such a name)."""
        return list(self._units.get(normalise_name(spelling), []))

    def collective(self, name: str) -> Collective | None:
        return self._collectives.get(normalise_name(name))

    def resolve(self, name: str, *, on: date | None = None, region: OrgUnit | None = None) -> Resolution:
        """The unit ``name`` meant on date ``on``; a mapping file's entry wins over the registry."""
        key = normalise_name(name)
        if key in self._extra:
            return Resolution(name, self._extra[key], how="mapping")
        for candidate, how in self._spellings(key, region):
            units = self._units.get(candidate, [])
            if not units:
                continue
            chosen = _pick(units, on, region)
            if chosen is not None:
                return Resolution(name, chosen, how=how)
            return Resolution(name, None, ambiguous=units, suggestions=[str(u.name) for u in units])
        return Resolution(name, None, suggestions=closest(key, self.names()))

    def _spellings(self, key: str, region: OrgUnit | None) -> list[tuple[str, str]]:
        spellings = [(key, "name")]
        # 省 is often written once before several units (省商务厅、财政厅、发展改革委): the others are
        # provincial too.
        if region is not None and region.level == OrgUnit.Level.PROVINCE and not key.startswith("省"):
            spellings.append((f"省{key}", "province prefix"))
            spellings.append((f"{region.name}{key}", "province prefix"))
        if region is not None and key.startswith("省"):
            spellings.append((f"{region.name}{key[1:]}", "province name"))
        return spellings


def _pick(units: list[OrgUnit], on: date | None, region: OrgUnit | None) -> OrgUnit | None:
    if len(units) == 1:
        return units[0]
    pool = units
    if region is not None:
        inside = [u for u in pool if _within(u, region)]
        pool = inside or pool
    if on is not None:
        valid = [
            u for u in pool if (u.valid_from is None or u.valid_from <= on) and (u.valid_to is None or on <= u.valid_to)
        ]
        pool = valid or pool
    return pool[0] if len(pool) == 1 else None


def _within(unit: OrgUnit, region: OrgUnit) -> bool:
    current: OrgUnit | None = unit
    for _ in range(10):
        if current is None:
            return False
        if current.pk == region.pk:
            return True
        current = current.parent
    return False


def successor_of(unit: OrgUnit, *, on: date | None = None) -> OrgUnit:
    """The unit that carries ``unit``'s work on date ``on`` (today by default), through renames and merges.

    A succession without a known date counts as done: the work has passed, only the day is unknown.
    """
    on = on or date.today()
    current = unit
    for _ in range(20):  # a registry is short; the bound only guards against a loop entered by hand
        step = (
            OrgSuccession.objects.filter(predecessor=current)
            .filter(Q(effective__isnull=True) | Q(effective__lte=on))
            .select_related("successor")
            .order_by("-effective")
            .first()
        )
        if step is None:
            return current
        current = step.successor
    return current


def successors(*, on: date | None = None) -> dict[int, OrgUnit]:
    """Every unit whose work has passed to another, mapped to the unit that carries it on ``on``: one query
    for a whole page instead of one per unit."""
    on = on or date.today()
    steps: dict[int, OrgSuccession] = {}
    for step in (
        OrgSuccession.objects.filter(Q(effective__isnull=True) | Q(effective__lte=on))
        .select_related("successor")
        .order_by("effective")
    ):
        steps[step.predecessor_id] = step
    result: dict[int, OrgUnit] = {}
    for start in steps:
        current = steps[start].successor
        for _ in range(20):  # the bound guards against a loop entered by hand
            nxt = steps.get(current.pk)
            if nxt is None:
                break
            current = nxt.successor
        result[start] = current
    return result


def units_carried_by(*, unit_id: int, on: date | None = None) -> frozenset[int]:
    """``unit_id`` and every unit whose work has passed to it by ``on`` (today by default): the units whose
    assignments it reports on, is reminded of and answers for."""
    passed = successors(on=on)
    return frozenset({unit_id, *(old for old, new in passed.items() if new.pk == unit_id)})


def unit_find(*, code_or_name: str) -> OrgUnit | None:
    """A unit by its code or by any of its names."""
    unit = OrgUnit.objects.filter(code=code_or_name).first()
    if unit is not None:
        return unit
    return NameIndex().resolve(code_or_name).unit


def units_in_region(*, region: OrgUnit, level: str) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(parent=region, level=level).order_by("code")


def unit_list() -> QuerySet[OrgUnit]:
    """Every unit and area of the registry in the order of their codes (a page's list to pick one from)."""
    return OrgUnit.objects.order_by("code")


def areas_of_kind_count(*, region: OrgUnit, level: str, area_types: tuple[str, ...] = ()) -> int:
    """How many areas of ``level`` (and of one of ``area_types``, if given) lie below ``region``: what an
    indicator that counts areas (乡镇（街道）覆盖率) has to count."""
    tree = OrgUnit.objects.values_list("pk", "parent_id", "level", "area_type")
    children: dict[int | None, list[tuple[int, str, str]]] = {}
    for pk, parent, unit_level, area_type in tree:
        children.setdefault(parent, []).append((pk, unit_level, area_type))
    count, stack = 0, [region.pk]
    while stack:
        for pk, unit_level, area_type in children.get(stack.pop(), []):
            if unit_level == level and (not area_types or area_type in area_types):
                count += 1
            stack.append(pk)
    return count
