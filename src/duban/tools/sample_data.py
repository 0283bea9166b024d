"""Sample facilities and figures for the demonstration (示例数据): deterministic, and marked as samples.

Almost no yearly series of beds, places, universities or township coverage are published for Hainan (see
the registry data's notes), so the demonstration generates them. They start from the real 2020 census and
the one published figure (15,985 institutional beds at the end of 2020) and move towards the plan's targets
at different speeds, so that some jurisdictions are on track and others lag. Every row is stored with
``is_sample`` set and the source "示例数据", and every page that shows them says so.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from duban.core.tables import Row
from duban.indicators.models import DataValue
from duban.indicators.services import ImportReport, data_import, facility_import
from duban.orgs.models import OrgUnit
from duban.plans.models import Assignment, Plan

SAMPLE_SOURCE = "示例数据（随机生成，非真实统计）"
YEARS = range(2021, 2026)


@dataclass
class SampleReport:
    facilities: int
    values: int


def _day(rng: random.Random, year: int) -> date:
    return date(year, 1, 1) + timedelta(days=rng.randrange(0, 365))


def sample_load(*, plan: Plan, seed: int = 2021) -> SampleReport:
    """Generate sample facilities (2015–2025) and yearly and quarterly figures (2021–2025) for the
    jurisdictions of ``plan``. Running it again with the same seed changes nothing."""
    rng = random.Random(seed)
    jurisdictions = list(
        OrgUnit.objects.filter(
            pk__in=Assignment.objects.filter(task__plan=plan, role="local").values("unit_id")
        ).order_by("code")
    )
    census = {
        (v.org_id, v.element.code): v.value
        for v in DataValue.objects.filter(period="2020", org__in=jurisdictions).select_related("element")
    }
    facilities: list[dict[str, str]] = []
    values: list[dict[str, str]] = []
    # Each jurisdiction gets its own pace: 0.6 (lagging) to 1.15 (ahead) of what the targets need.
    pace = {j.pk: rng.choice([0.6, 0.75, 0.9, 1.0, 1.05, 1.15]) for j in jurisdictions}
    for j in jurisdictions:
        townships = list(OrgUnit.objects.filter(parent=j, level="township").order_by("code")) or list(
            OrgUnit.objects.filter(parent__parent=j, level="township").order_by("code")
        )
        places_at = [t.code for t in townships] or [j.code]
        older = census.get((j.pk, "pop_60plus"), 20_000.0)
        people = census.get((j.pk, "pop_total"), 150_000.0)
        speed = pace[j.pk]
        prefix = j.short_name or j.name
        # Elderly-care beds: about 11 per 1000 older people in 2020 (the province's published 15,985), growing
        # towards 32 by 2025 at the jurisdiction's pace.
        beds_2020 = older * 0.0108
        beds_2025 = older * 1.18 * 0.029 * speed
        n = 0
        for year, amount in [(2015, beds_2020), *[(y, (beds_2025 - beds_2020) / 5) for y in YEARS]]:
            while amount > 0:
                beds = min(int(amount), rng.choice([60, 100, 150, 200, 300]))
                beds = max(beds, 30)
                amount -= beds
                n += 1
                share = 0.35 + 0.05 * (year - 2020) * speed if year > 2020 else 0.35
                facilities.append(
                    _facility(
                        f"S-{j.code}-E{n:03d}",
                        f"{prefix}示例养老院{n}",
                        "elderly_institution",
                        rng.choice(places_at),
                        rng.choice(["public", "public", "inclusive", "private"]),
                        beds=beds,
                        nursing=int(beds * min(share, 0.9)),
                        medical=beds >= 150 and rng.random() < 0.5 + 0.08 * (year - 2020),
                        opened=_day(rng, year if year > 2015 else rng.randrange(2010, 2021)),
                    )
                )
        # A county support home and a regional centre: most by the 2022 deadline, the slow ones later.
        for kind, label in (("support_home", "敬老院"), ("regional_center", "区域性养老服务中心")):
            year = 2021 if speed >= 0.9 else (2022 if speed >= 0.75 else 2024)
            if j.code.endswith("499") and kind == "regional_center":
                continue  # 洋浦 has none yet: the province's share stays below 100 %
            facilities.append(
                _facility(
                    f"S-{j.code}-{kind}",
                    f"{prefix}{label}",
                    kind,
                    j.code,
                    "public",
                    beds=80,
                    nursing=40,
                    opened=_day(rng, year),
                )
            )
        # Township centres: comprehensive ones cover 20 % of townships in 2021 and, at pace 1, 65 % by 2025.
        for k, township in enumerate(townships):
            reach = (k + 1) / len(townships)
            if reach > 0.65 * speed:
                continue
            opened_in = 2021 + int(reach / (0.65 * speed) * 4)
            facilities.append(
                _facility(
                    f"S-{township.code}-TC",
                    f"{township.name}综合养老服务中心",
                    "township_center",
                    township.code,
                    "public",
                    beds=20,
                    nursing=10,
                    comprehensive=True,
                    opened=_day(rng, opened_in),
                )
            )
        # Childcare: about 1 place per 1000 residents in 2020, towards 3 by 2025.
        places_2025 = people * 0.003 * speed
        for m, year in enumerate([2019, *YEARS]):
            places = int(places_2025 * (0.33 if year == 2019 else 0.134))
            if places < 20:
                continue
            nature = rng.choice(["public", "inclusive", "inclusive", "private", "private"])
            facilities.append(
                _facility(
                    f"S-{j.code}-C{m:02d}",
                    f"{prefix}示例托育园{m}",
                    "childcare",
                    rng.choice(places_at),
                    nature,
                    places=places,
                    enrolled=int(places * rng.uniform(0.6, 0.9)),
                    opened=_day(rng, year),
                )
            )
        # An elderly university: most before the 2022 deadline.
        year = 2021 if speed >= 0.75 else 2023
        facilities.append(
            _facility(
                f"S-{j.code}-U", f"{prefix}老年大学", "elderly_university", j.code, "public", opened=_day(rng, year)
            )
        )
        # Figures: older population grows ~4 % a year, residents ~1 %; health management from 60 % to 70 %
        # at the jurisdiction's pace; care workers trained each quarter.
        older_65 = census.get((j.pk, "pop_65plus"), older * 0.7)
        for year in YEARS:
            growth = year - 2020
            if (j.pk, "pop_60plus") in census:
                values.append(_value(j.code, str(year), "pop_60plus", older * 1.04**growth))
                values.append(_value(j.code, str(year), "pop_65plus", older_65 * 1.045**growth))
                values.append(_value(j.code, str(year), "pop_total", people * 1.01**growth))
                rate = min(0.6 + 0.025 * growth * speed, 0.95)
                values.append(_value(j.code, str(year), "health_managed_65plus", older_65 * 1.045**growth * rate))
            for quarter in range(1, 5):
                trained = older / 1_476_599 * 15_000 / 20 * speed * rng.uniform(0.8, 1.2)
                values.append(_value(j.code, f"{year}Q{quarter}", "trained_care_workers", trained))
    # The province publishes its own population totals every year; without them its 2020 census figure
    # would stand against 2025's facilities (a unit's own figure wins over the sum of its parts).
    totals: dict[tuple[str, str], float] = {}
    for item in values:
        if item["element"] in ("pop_total", "pop_60plus", "pop_65plus"):
            key = (item["period"], item["element"])
            totals[key] = totals.get(key, 0.0) + float(item["value"])
    values.extend(_value(plan.region.code, period, element, total) for (period, element), total in totals.items())
    facility_report: ImportReport = facility_import(rows=_rows(facilities), source="示例数据", is_sample=True)
    value_report: ImportReport = data_import(rows=_rows(values), source="示例数据", is_sample=True)
    return SampleReport(
        facilities=facility_report.created + facility_report.updated + facility_report.unchanged,
        values=value_report.created + value_report.updated + value_report.unchanged,
    )


def _facility(
    facility_id: str,
    name: str,
    kind: str,
    org_code: str,
    nature: str,
    *,
    beds: int = 0,
    nursing: int = 0,
    places: int = 0,
    enrolled: int = 0,
    comprehensive: bool = False,
    medical: bool = False,
    opened: date,
) -> dict[str, str]:
    return {
        "facility_id": facility_id,
        "name": name,
        "kind": kind,
        "org_code": org_code,
        "nature": nature,
        "beds": str(beds),
        "nursing_beds": str(nursing),
        "places": str(places),
        "enrolled": str(enrolled),
        "comprehensive": "true" if comprehensive else "false",
        "has_medical": "true" if medical else "false",
        "opened": opened.isoformat(),
        "closed": "",
    }


def _value(org_code: str, period: str, element: str, value: float) -> dict[str, str]:
    return {
        "org_code": org_code,
        "period": period,
        "element": element,
        "value": str(round(value)),
        "source": SAMPLE_SOURCE,
    }


def _rows(items: list[dict[str, str]]) -> list[Row]:
    return [Row(number, item) for number, item in enumerate(items, start=2)]
