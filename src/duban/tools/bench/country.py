"""The data the indicator benchmark computes on: the real Hainan registry with generated facilities and data
(the small-region goal), and a generated country (31 provinces, 2,850 jurisdictions, 38,000 townships,
500,000 facilities, six years of data at ``scale`` 1.0)."""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal

import numpy as np
from django.db import connection, transaction
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from duban.indicators import loading
from duban.indicators.models import DataElement, DataValue, Facility
from duban.metrics.definitions import NATURES
from duban.metrics.engine import day_number
from duban.metrics.periods import Period
from duban.orgs.models import Collective, OrgUnit
from duban.orgs.services import registry_load_bundled
from duban.plans.models import Assignment, Plan, Target, Task
from duban.tools.bench.database import after_bulk_load, indexes_deferred, insert_chunked

YEARS = range(2021, 2027)  # six years of data: the plan runs 2021-01-01 … 2026-12-31
PLAN_ISSUED = date(2021, 1, 1)
PLAN_END = date(2026, 12, 31)
HAINAN_FACILITIES = 3000
SEED = 2021
_STAMP = datetime(2026, 1, 1, tzinfo=UTC)

# Facility kinds: share of the registry, share located in a township (the rest at county level), and the
# natures they come in. Shares follow the national statistics' orders of magnitude (community facilities
# and childcare dominate; a county has about one support home, so a fair part of counties lack one).
_KIND_SHARE = {
    "elderly_institution": 0.08,
    "support_home": 0.006,
    "regional_center": 0.012,
    "township_center": 0.06,
    "community_facility": 0.55,
    "childcare": 0.28,
    "elderly_university": 0.012,
}
_IN_TOWNSHIP = {
    "elderly_institution": 0.6,
    "support_home": 0.0,
    "regional_center": 0.3,
    "township_center": 1.0,
    "community_facility": 1.0,
    "childcare": 0.85,
    "elderly_university": 0.0,
}
_NATURE_SHARE = {
    "elderly_institution": (0.45, 0.15, 0.40),
    "support_home": (1.0, 0.0, 0.0),
    "regional_center": (0.8, 0.2, 0.0),
    "township_center": (0.8, 0.2, 0.0),
    "community_facility": (0.5, 0.3, 0.2),
    "childcare": (0.25, 0.45, 0.30),
    "elderly_university": (0.9, 0.0, 0.1),
}
# (median beds, spread) of a lognormal; community facilities mostly have none.
_BEDS = {
    "elderly_institution": (80.0, 0.8),
    "support_home": (60.0, 0.5),
    "regional_center": (40.0, 0.5),
    "township_center": (30.0, 0.6),
    "community_facility": (10.0, 0.5),
}
_TOWNSHIP_TYPES = (("街道", 0.25), ("镇", 0.52), ("乡", 0.20), ("类似乡级单位", 0.03))


@dataclass(frozen=True)
class Sizes:
    provinces: int
    jurisdictions: int
    townships: int
    facilities: int

    @classmethod
    def at(cls, scale: float) -> Sizes:
        """The issue's country times ``scale``, with at least two provinces and a few units under each
        jurisdiction so that a tiny scale still has every kind of unit."""
        provinces = max(2, round(31 * scale))
        jurisdictions = max(2 * provinces, round(2850 * scale))
        townships = max(3 * jurisdictions, round(38_000 * scale))
        facilities = max(50 * jurisdictions, round(500_000 * scale))
        return cls(provinces, jurisdictions, townships, facilities)


@dataclass
class Region:
    """Generated (or loaded) units of one region, by pk, as the generators and checks need them."""

    root: int
    provinces: dict[int, list[int]]  # province pk → its jurisdictions' pks (root → all when none)
    jurisdictions: list[int]
    county: list[int]  # jurisdictions and districts: where county-level facilities stand
    townships: list[int]
    townships_of: dict[int, list[int]]  # jurisdiction pk → townships in it (through districts too)
    province_of: dict[int, int] = field(default_factory=dict)  # jurisdiction pk → province pk


def country_generate(sizes: Sizes, console: Console) -> tuple[Plan, Region, float]:
    started = time.perf_counter()
    rng = np.random.default_rng(SEED)
    with (
        Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        ) as progress,
        transaction.atomic(),
    ):
        first = (OrgUnit.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        unit_rows, country = _country_units(sizes, rng, first)
        insert_chunked(
            OrgUnit._meta.db_table,
            ("id", "code", "name", "short_name", "kind", "level", "area_type", "parent_id", "source"),
            unit_rows,
            progress,
            "org units",
        )
        with indexes_deferred(Facility, DataValue):
            facility_rows = _facility_rows(sizes.facilities, country, rng, "F")
            insert_chunked(Facility._meta.db_table, FACILITY_COLUMNS, facility_rows, progress, "facilities")
            del facility_rows
            value_rows = _value_rows(country, rng, own_province_figures=True)
            insert_chunked(DataValue._meta.db_table, VALUE_COLUMNS, value_rows, progress, "data values")
            indexing = progress.add_task("indexes", total=None)
        progress.update(indexing, total=1, completed=1)
        after_bulk_load()
        plan = _plan(country.root, "全国养老托育服务（基准测试生成）", country.jurisdictions)
    elapsed = time.perf_counter() - started
    console.print(
        f"generated {1 + sizes.provinces} + {sizes.jurisdictions:,} + {len(country.county) - sizes.jurisdictions:,}"
        f" + {sizes.townships:,} units (country, provinces, jurisdictions, districts, townships), "
        f"{sizes.facilities:,} facilities, {len(value_rows):,} data values in {elapsed:.1f} s"
    )
    return plan, country, elapsed


def _country_units(sizes: Sizes, rng: np.random.Generator, first: int) -> tuple[list[tuple[object, ...]], Region]:
    """The country as units, parents first, with codes that sort parents before children.

    About 3 % of jurisdictions are cities with districts (townships under the districts; a seventh of the
    districts have no townships, so that township coverage is "not applicable" there).
    """
    rows: list[tuple[object, ...]] = []
    next_id = first

    def add(code: str, name: str, level: str, area_type: str, parent: int | None) -> int:
        nonlocal next_id
        rows.append((next_id, code, name, "", "area", level, area_type, parent, "generated by duban bench"))
        next_id += 1
        return next_id - 1

    root = add("X", "全国（生成）", "province", "国家", None)
    per_province = 1 + rng.multinomial(
        sizes.jurisdictions - sizes.provinces, rng.dirichlet(np.full(sizes.provinces, 4.0))
    )
    region = Region(root, {}, [], [], [], {})
    holders: list[tuple[int, int]] = []  # (township parent, its jurisdiction)
    for p, count in enumerate(per_province):
        pcode = f"X{11 + p:02d}"
        province = add(pcode, f"第{p + 1}省（生成）", "province", "省", root)
        region.provinces[province] = []
        for j in range(int(count)):
            jcode = f"{pcode}{j + 1:04d}"
            city = rng.random() < 0.03
            juris = add(jcode, f"{jcode}市县", "jurisdiction", "地级市" if city else "县", province)
            region.provinces[province].append(juris)
            region.province_of[juris] = province
            region.jurisdictions.append(juris)
            region.county.append(juris)
            region.townships_of[juris] = []
            if not city:
                holders.append((juris, juris))
                continue
            for d in range(int(rng.integers(2, 5))):
                district = add(f"{jcode}D{d + 1}", f"{jcode}D{d + 1}区", "district", "市辖区", juris)
                region.county.append(district)
                if rng.random() >= 1 / 7:
                    holders.append((district, juris))
    weights = rng.lognormal(0.0, 0.5, len(holders))
    per_holder = 1 + rng.multinomial(sizes.townships - len(holders), weights / weights.sum())
    types = rng.choice(len(_TOWNSHIP_TYPES), size=sizes.townships, p=[p for _, p in _TOWNSHIP_TYPES])
    t = 0
    codes = {pk: code for pk, code, *_ in rows}
    for (holder, juris), count in zip(holders, per_holder, strict=True):
        for k in range(int(count)):
            code = f"{codes[holder]}{k + 1:03d}"
            township = add(code, f"{code}镇", "township", _TOWNSHIP_TYPES[int(types[t])][0], holder)
            region.townships.append(township)
            region.townships_of[juris].append(township)
            t += 1
    return rows, region


FACILITY_COLUMNS = (
    "facility_id",
    "name",
    "kind",
    "org_id",
    "nature",
    "beds",
    "nursing_beds",
    "places",
    "enrolled",
    "comprehensive",
    "has_medical",
    "opened",
    "closed",
    "is_sample",
    "updated_at",
)


def _facility_rows(count: int, region: Region, rng: np.random.Generator, prefix: str) -> list[tuple[object, ...]]:
    """``count`` facilities with realistic capacities, opened from 1995 on (45 % since 2019), 7 % closed."""
    kinds = list(_KIND_SHARE)
    kind = rng.choice(len(kinds), size=count, p=list(_KIND_SHARE.values()))
    townships = np.array(region.townships or region.county, dtype=np.int64)
    county = np.array(region.county, dtype=np.int64)
    in_township = rng.random(count) < np.array([_IN_TOWNSHIP[k] for k in kinds])[kind]
    org = np.where(
        in_township,
        townships[rng.integers(0, len(townships), count)],
        county[rng.integers(0, len(county), count)],
    )
    nature = np.zeros(count, dtype=np.int64)
    beds = np.zeros(count, dtype=np.int64)
    nursing = np.zeros(count, dtype=np.int64)
    medical = np.zeros(count, dtype=bool)
    comprehensive = np.zeros(count, dtype=bool)
    places = np.zeros(count, dtype=np.int64)
    enrolled = np.zeros(count, dtype=np.int64)
    for k, name in enumerate(kinds):
        rows = np.nonzero(kind == k)[0]
        n = len(rows)
        nature[rows] = rng.choice(3, size=n, p=_NATURE_SHARE[name])
        if name in _BEDS:
            median, spread = _BEDS[name]
            amount = np.clip(np.rint(rng.lognormal(math.log(median), spread, n)), 5, 2000).astype(np.int64)
            if name == "community_facility":
                amount[rng.random(n) < 0.7] = 0
            beds[rows] = amount
            nursing[rows] = np.floor(amount * rng.uniform(0.2, 0.85, n)).astype(np.int64)
            medical[rows] = rng.random(n) < np.where(amount >= 150, 0.7, 0.2)
        if name == "township_center":
            comprehensive[rows] = rng.random(n) < 0.7
        if name == "childcare":
            amount = np.clip(np.rint(rng.lognormal(math.log(60), 0.6, n)), 10, 800).astype(np.int64)
            places[rows] = amount
            enrolled[rows] = np.floor(amount * rng.uniform(0.3, 1.0, n)).astype(np.int64)
    old = rng.random(count) < 0.55
    opened = np.where(
        old,
        rng.integers(day_number(date(1995, 1, 1)), day_number(date(2019, 1, 1)), count),
        rng.integers(day_number(date(2019, 1, 1)), day_number(PLAN_END) + 1, count),
    )
    closed = opened + rng.integers(180, 3000, count)
    shut = (rng.random(count) < 0.07) & (closed <= day_number(PLAN_END))
    opened_text = np.datetime_as_string(opened.astype("datetime64[D]")).tolist()
    closed_text = np.datetime_as_string(closed.astype("datetime64[D]")).tolist()
    stamp = connection.ops.adapt_datetimefield_value(_STAMP)
    kind_names = [kinds[k] for k in kind.tolist()]
    nature_names = [NATURES[n] for n in nature.tolist()]
    shut_list = shut.tolist()
    return [
        (
            f"{prefix}{i:07d}",
            f"{prefix}{i:07d}机构",
            kind_names[i],
            o,
            nature_names[i],
            b,
            nb,
            pl,
            en,
            co,
            me,
            opened_text[i],
            closed_text[i] if shut_list[i] else None,
            False,
            stamp,
        )
        for i, (o, b, nb, pl, en, co, me) in enumerate(
            zip(
                org.tolist(),
                beds.tolist(),
                nursing.tolist(),
                places.tolist(),
                enrolled.tolist(),
                comprehensive.tolist(),
                medical.tolist(),
                strict=True,
            )
        )
    ]


VALUE_COLUMNS = (
    "org_id",
    "element_id",
    "period",
    "period_start",
    "period_end",
    "granularity",
    "value",
    "source",
    "is_sample",
    "updated_at",
)


def _value_rows(region: Region, rng: np.random.Generator, *, own_province_figures: bool) -> list[tuple[object, ...]]:
    """Per jurisdiction and year 2021–2026 its populations and health-managed count; training as quarterly
    flows (a tenth of jurisdictions report it only yearly). Every third province reports its own total
    population, which then stands instead of the sum of its jurisdictions."""
    element = dict(DataElement.objects.values_list("code", "pk"))
    stamp = connection.ops.adapt_datetimefield_value(_STAMP)
    rows: list[tuple[object, ...]] = []

    def add(org: int, code: str, period: Period, value: float) -> None:
        rows.append(
            (
                org,
                element[code],
                str(period),
                period.start.isoformat(),
                period.end.isoformat(),
                period.granularity,
                float(value),
                "generated",
                False,
                stamp,
            )
        )

    n = len(region.jurisdictions)
    population = rng.lognormal(math.log(350_000), 0.7, n)
    growth = rng.uniform(-0.005, 0.01, n)
    share_60 = rng.uniform(0.14, 0.26, n)
    managed = rng.uniform(0.55, 0.85, n)
    quarterly = rng.random(n) >= 0.1
    totals: dict[int, dict[int, float]] = {}
    for i, org in enumerate(region.jurisdictions):
        for offset, year in enumerate(YEARS):
            period = Period.of(year, "year")
            pop = round(population[i] * (1 + growth[i]) ** offset)
            pop60 = round(pop * (share_60[i] + 0.006 * offset))
            pop65 = round(pop60 * 0.72)
            add(org, "pop_total", period, pop)
            add(org, "pop_60plus", period, pop60)
            add(org, "pop_65plus", period, pop65)
            add(org, "health_managed_65plus", period, round(pop65 * managed[i]))
            totals.setdefault(region.province_of.get(org, region.root), {}).setdefault(year, 0.0)
            totals[region.province_of.get(org, region.root)][year] += pop
            trained = rng.poisson(pop / 10_000 * 3, 4)
            if quarterly[i]:
                for q in range(4):
                    add(org, "trained_care_workers", Period.of(year, "quarter", q + 1), trained[q])
            else:
                add(org, "trained_care_workers", period, trained.sum())
    if own_province_figures:
        for k, province in enumerate(region.provinces):
            if k % 3 == 0 and province in totals:
                for year, total in totals[province].items():
                    add(province, "pop_total", Period.of(year, "year"), round(total * 1.01))
    return rows


def _plan(region: int, title: str, local: Sequence[int]) -> Plan:
    """The rows a computation needs: the plan over ``region``, its deadline, and the jurisdictions whose
    share meeting a per-jurisdiction target counts (role "local")."""
    plan = Plan.objects.create(
        title=title,
        region_id=region,
        issued_on=PLAN_ISSUED,
        source_name="duban bench",
        source_sha256="0" * 64,
    )
    task = Task.objects.create(plan=plan, number=1, text="各市县推进养老托育服务（基准测试）")
    Target.objects.create(
        task=task,
        kind=Target.Kind.QUANTITY,
        subject="每千名老年人口拥有养老床位数",
        comparator=">=",
        value=Decimal(35),
        unit="张/千人",
        deadline=PLAN_END,
    )
    Assignment.objects.bulk_create(
        [Assignment(task=task, unit_id=pk, role=Assignment.Role.LOCAL, name_as_written=str(pk)) for pk in local],
        batch_size=2000,
    )
    return plan


def hainan_generate(console: Console) -> tuple[Plan, Region]:
    """The real Hainan registry (with 洋浦 rolling up through 儋州), generated facilities and data."""
    with console.status("loading the Hainan registry…"):
        registry_load_bundled()
    province = OrgUnit.objects.get(code="460000")
    units = list(
        OrgUnit.objects.filter(kind=OrgUnit.Kind.AREA, code__startswith="46").values_list(
            "pk", "level", "parent_id", "stat_parent_id"
        )
    )
    parent = {pk: stat or sup for pk, _, sup, stat in units}
    level = {pk: lv for pk, lv, _, _ in units}

    def jurisdiction_of(pk: int) -> int | None:
        node: int | None = pk
        while node is not None and level.get(node) != OrgUnit.Level.JURISDICTION:
            node = parent.get(node)
        return node

    jurisdictions = sorted(pk for pk, lv, _, _ in units if lv == OrgUnit.Level.JURISDICTION)
    region = Region(
        root=province.pk,
        provinces={province.pk: jurisdictions},
        jurisdictions=jurisdictions,
        county=sorted(pk for pk, lv, _, _ in units if lv in (OrgUnit.Level.JURISDICTION, OrgUnit.Level.DISTRICT)),
        townships=sorted(pk for pk, lv, _, _ in units if lv == OrgUnit.Level.TOWNSHIP),
        townships_of={pk: [] for pk in jurisdictions},
        province_of=dict.fromkeys(jurisdictions, province.pk),
    )
    for pk in region.townships:
        owner = jurisdiction_of(pk)
        if owner is not None:
            region.townships_of[owner].append(pk)
    rng = np.random.default_rng(SEED + 46)
    with transaction.atomic():
        loading.bulk_insert(
            Facility._meta.db_table, FACILITY_COLUMNS, _facility_rows(HAINAN_FACILITIES, region, rng, "HI")
        )
        loading.bulk_insert(
            DataValue._meta.db_table, VALUE_COLUMNS, _value_rows(region, rng, own_province_figures=False)
        )
        after_bulk_load()
        members = Collective.objects.get(term="各市县政府").members.values_list("pk", flat=True)
        plan = _plan(province.pk, "海南省养老托育服务（基准测试）", sorted(members))
    return plan, region
