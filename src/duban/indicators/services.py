"""Writes for indicators: data and facility imports (all or nothing), target binding, computation."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from django.db import transaction

from duban.audit.services import audit_record
from duban.core.dataversion import data_changed
from duban.core.errors import ImportRefused
from duban.core.tables import Row, RowProblem, read_rows, require_columns
from duban.indicators.models import DataElement, DataValue, Facility, TargetBinding
from duban.indicators.selectors import data_warnings, plan_start
from duban.metrics.definitions import Indicator, load_definitions
from duban.metrics.periods import Period, reporting_periods
from duban.orgs.models import OrgUnit
from duban.plans.models import Plan, Target


class DataImportError(ImportRefused):
    """A data or facility import that was refused; nothing was written."""


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)
    orgs: set[int] = field(default_factory=set)

    def summary_zh(self) -> str:
        return f"新增 {self.created}，更新 {self.updated}，未变 {self.unchanged}"


# --------------------------------------------------------------------------------------------- elements


def elements_load_bundled() -> int:
    """The data elements duban knows (``data/elements.csv``). Running it twice changes nothing."""
    path = Path(str(resources.files("duban.indicators.data").joinpath("elements.csv")))
    added = 0
    for row in read_rows(path):
        _, created = DataElement.objects.update_or_create(
            code=row.get("code"),
            defaults={
                "name": row.get("name"),
                "unit": row.get("unit"),
                "kind": row.get("kind"),
                "description": row.get("description"),
            },
        )
        added += int(created)
    return added


def census_load_bundled() -> ImportReport:
    """The 2020 census figures of the regions duban ships (real data, with sources)."""
    path = Path(str(resources.files("duban.indicators.data").joinpath("hainan_census2020.csv")))
    return data_import_file(path=path)


# ------------------------------------------------------------------------------------------ data values

_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")


def _number(text: str) -> float | None:
    cleaned = text.replace(",", "").replace("，", "").strip()
    return float(cleaned) if _NUMBER.match(cleaned) else None


def data_import_file(*, path: str | Path) -> ImportReport:
    """``duban import-data FILE``: columns org_code, period, element, value[, source] (docs/formats.md)."""
    rows = read_rows(path)
    require_columns(rows, path, ("org_code", "period", "element", "value"))
    return data_import(rows=rows, source=Path(path).name)


def data_import(*, rows: list[Row], source: str, is_sample: bool = False, by: Any = None) -> ImportReport:
    orgs = {o.code: o for o in OrgUnit.objects.filter(code__in={r.get("org_code") for r in rows})}
    elements = {e.code: e for e in DataElement.objects.all()}
    problems: list[RowProblem] = []
    planned: dict[tuple[str, str, str], tuple[Row, Period, float]] = {}
    for row in rows:
        ok = True
        code, element, raw_period = row.get("org_code"), row.get("element"), row.get("period")
        if code not in orgs:
            problems.append(RowProblem(source, row.number, "org_code", code, "单位代码不存在 (unknown org code)"))
            ok = False
        if element not in elements:
            problems.append(RowProblem(source, row.number, "element", element, "统计指标不存在 (unknown element)"))
            ok = False
        try:
            period = Period.parse(raw_period)
        except ValueError as exc:
            problems.append(RowProblem(source, row.number, "period", raw_period, str(exc)))
            ok = False
        value = _number(row.get("value"))
        if value is None:
            problems.append(RowProblem(source, row.number, "value", row.get("value"), "不是数字 (not a number)"))
            ok = False
        elif value < 0:
            problems.append(RowProblem(source, row.number, "value", row.get("value"), "不能为负数 (negative)"))
            ok = False
        if not ok:
            continue
        assert value is not None
        key = (code, element, str(period))
        if key in planned:
            first, _, earlier = planned[key]
            if earlier != value:
                problems.append(
                    RowProblem(
                        source,
                        row.number,
                        "value",
                        row.get("value"),
                        f"与第{first.number}行（{earlier:g}）同一单位、指标、统计期而数值不同 (conflicting duplicate)",
                    )
                )
            continue
        planned[key] = (row, period, value)
    if problems:
        raise DataImportError([str(p) for p in problems])
    report = ImportReport()
    with transaction.atomic():
        existing = {
            (v.org.code, v.element.code, v.period): v
            for v in DataValue.objects.filter(org__code__in={k[0] for k in planned}).select_related("org", "element")
        }
        new: list[DataValue] = []
        before: list[dict[str, object]] = []
        after: list[dict[str, object]] = []
        for (code, element, period_text), (row, period, value) in planned.items():
            current = existing.get((code, element, period_text))
            note = row.get("source")
            where = {"org": code, "element": element, "period": period_text}
            if current is not None and (current.value != value or current.source != note):
                before.append(where | {"value": current.value, "source": current.source})
            if current is None or current.value != value or current.source != note:
                after.append(where | {"value": value, "source": note})
            if current is None:
                new.append(
                    DataValue.of_period(
                        org=orgs[code],
                        element=elements[element],
                        period=period,
                        value=value,
                        source=note,
                        is_sample=is_sample,
                    )
                )
            elif current.change_to(value, note):
                report.updated += 1
            else:
                report.unchanged += 1
                continue
            report.orgs.add(orgs[code].pk)
        DataValue.objects.bulk_create(new, batch_size=2000)
        report.created = len(new)
        if after:
            audit_record(
                actor=by,
                action="data_import",
                object_type="indicators.datavalue",
                object_id=source,
                object_repr=f"{source}：{report.summary_zh()}",
                before=before,
                after=after,
            )
    report.warnings = data_warnings(org_ids=report.orgs)
    return report


# ------------------------------------------------------------------------------------------- facilities

_KIND_WORDS = {label: code for code, label in Facility.Kind.choices} | {
    "养老机构": "elderly_institution",
    "敬老院": "support_home",
    "特困人员供养服务设施": "support_home",
    "县级特困人员供养服务设施": "support_home",
    "区域性养老服务中心": "regional_center",
    "乡镇综合养老服务机构": "township_center",
    "乡镇（街道）综合养老服务机构": "township_center",
    "社区养老服务设施": "community_facility",
    "托育机构": "childcare",
    "幼儿园托班": "childcare",
    "老年大学": "elderly_university",
}
_NATURE_WORDS = {
    "公办": "public",
    "公立": "public",
    "公立型": "public",
    "公办/公立型": "public",
    "普惠": "inclusive",
    "普惠性": "inclusive",
    "营利性": "private",
    "民办": "private",
    "民营": "private",
}
_TRUE = {"true", "1", "yes", "y", "是", "有", "√"}
_FALSE = {"false", "0", "no", "n", "否", "无", ""}
FACILITY_COLUMNS = ("facility_id", "name", "kind", "org_code", "nature", "opened")
_COUNTS = ("beds", "nursing_beds", "places", "enrolled")


def data_values_set(
    *, org: OrgUnit, period: str, values: dict[str, float], source: str, by: Any = None
) -> ImportReport:
    """Set figures of one unit and period (from an accepted progress report), recording each change."""
    parsed = Period.parse(period)
    elements = {e.code: e for e in DataElement.objects.filter(code__in=values)}
    unknown = sorted(set(values) - set(elements))
    if unknown:
        raise DataImportError([f"{source}: 统计指标不存在 (unknown element): {', '.join(unknown)}"])
    report = ImportReport()
    with transaction.atomic():
        for code, value in values.items():
            current = DataValue.objects.filter(org=org, element=elements[code], period=str(parsed)).first()
            before = None if current is None else {"value": current.value, "source": current.source}
            if current is None:
                current = DataValue.of_period(
                    org=org, element=elements[code], period=parsed, value=value, source=source
                )
                current.save()
                report.created += 1
            elif current.change_to(value, source):
                report.updated += 1
            else:
                report.unchanged += 1
                continue
            audit_record(
                actor=by, action="data_value_set", obj=current, before=before, after={"value": value, "source": source}
            )
            report.orgs.add(org.pk)
    return report


def facility_import_file(*, path: str | Path) -> ImportReport:
    """``duban import-facilities FILE`` (docs/formats.md)."""
    rows = read_rows(path)
    require_columns(rows, path, FACILITY_COLUMNS)
    return facility_import(rows=rows, source=Path(path).name)


def facility_import(*, rows: list[Row], source: str, is_sample: bool = False) -> ImportReport:
    orgs = {
        o.code: o for o in OrgUnit.objects.filter(code__in={r.get("org_code") for r in rows}, kind=OrgUnit.Kind.AREA)
    }
    problems: list[RowProblem] = []
    planned: dict[str, tuple[Row, dict[str, object]]] = {}
    warnings: list[str] = []
    for row in rows:
        fields, row_problems = _facility_fields(row, source, orgs)
        problems.extend(row_problems)
        if row_problems:
            continue
        key = row.get("facility_id")
        if key in planned and planned[key][1] != fields:
            problems.append(
                RowProblem(
                    source,
                    row.number,
                    "facility_id",
                    key,
                    f"与第{planned[key][0].number}行编号相同而内容不同 (conflicting duplicate)",
                )
            )
            continue
        planned[key] = (row, fields)
        if int(str(fields["enrolled"])) > int(str(fields["places"])) and fields["kind"] == "childcare":
            warnings.append(f"{source} 第{row.number}行 {fields['name']}：在托人数多于托位数")
    if problems:
        raise DataImportError([str(p) for p in problems])
    report = ImportReport(warnings=warnings)
    with transaction.atomic():
        existing = {f.facility_id: f for f in Facility.objects.filter(facility_id__in=list(planned))}
        new = []
        for key, (_, fields) in planned.items():
            current = existing.get(key)
            org = fields["org"]
            assert isinstance(org, OrgUnit)
            report.orgs.add(org.pk)
            if current is None:
                new.append(Facility(facility_id=key, is_sample=is_sample, **fields))
                continue
            if current.org_id != org.pk:
                report.orgs.add(current.org_id)
            changed = [name for name, value in fields.items() if getattr(current, name) != value]
            if changed:
                for name in changed:
                    setattr(current, name, fields[name])
                current.save()
                report.updated += 1
            else:
                report.unchanged += 1
        Facility.objects.bulk_create(new, batch_size=2000)
        report.created = len(new)
        if report.created or report.updated:
            data_changed(what="import-facilities")
    return report


def _facility_fields(row: Row, source: str, orgs: dict[str, OrgUnit]) -> tuple[dict[str, object], list[RowProblem]]:
    problems: list[RowProblem] = []

    def bad(column: str, reason: str) -> None:
        problems.append(RowProblem(source, row.number, column, row.get(column), reason))

    if not row.get("facility_id"):
        bad("facility_id", "编号不能为空")
    if not row.get("name"):
        bad("name", "名称不能为空")
    kind = _KIND_WORDS.get(row.get("kind"), row.get("kind"))
    if kind not in Facility.Kind.values:
        bad("kind", f"不是有效的机构类型，应为 {'/'.join(Facility.Kind.values)} 或对应中文")
    nature = _NATURE_WORDS.get(row.get("nature"), row.get("nature"))
    if nature not in Facility.Nature.values:
        bad("nature", "不是有效的性质，应为 public/inclusive/private 或 公办/普惠性/营利性")
    org = orgs.get(row.get("org_code"))
    if org is None:
        bad("org_code", "地区代码不存在 (unknown org code)")
    elif org.level not in (OrgUnit.Level.TOWNSHIP, OrgUnit.Level.JURISDICTION, OrgUnit.Level.DISTRICT):
        bad("org_code", "机构所在地应为乡镇（街道）、区或市县")
    counts: dict[str, int] = {}
    for column in _COUNTS:
        raw = row.get(column) or "0"
        number = _number(raw)
        if number is None or not float(number).is_integer():
            bad(column, "应为整数 (not a whole number)")
        elif number < 0:
            bad(column, "不能为负数 (negative)")
        else:
            counts[column] = int(number)
    if "beds" in counts and "nursing_beds" in counts and counts["nursing_beds"] > counts["beds"]:
        bad("nursing_beds", f"护理型床位数多于床位数 {counts['beds']}")
    flags: dict[str, bool] = {}
    for column in ("comprehensive", "has_medical"):
        raw = row.get(column).lower()
        if raw in _TRUE:
            flags[column] = True
        elif raw in _FALSE:
            flags[column] = False
        else:
            bad(column, "应为 是/否（true/false）")
    dates: dict[str, date | None] = {}
    for column in ("opened", "closed"):
        raw = row.get(column)
        if not raw:
            if column == "opened":
                bad(column, "开业日期不能为空")
            dates[column] = None
            continue
        try:
            dates[column] = date.fromisoformat(raw[:10])
        except ValueError:
            bad(column, "不是日期，应写作 2023-06-30")
    opened, closed = dates.get("opened"), dates.get("closed")
    if opened and closed and closed < opened:
        bad("closed", "停业日期早于开业日期")
    fields: dict[str, object] = {
        "name": row.get("name"),
        "kind": kind,
        "org": org,
        "nature": nature,
        **counts,
        **flags,
        "opened": opened,
        "closed": closed,
    }
    return fields, problems


# ------------------------------------------------------------------------------------------- binding


def targets_bind(*, plan: Plan, indicators: list[Indicator] | None = None) -> list[TargetBinding]:
    """Bind each quantity target of ``plan`` to the indicator whose ``binds`` names its subject."""
    indicators = indicators or load_definitions()
    by_subject = {subject: ind.code for ind in indicators for subject in ind.binds}
    bound = []
    with transaction.atomic():
        for target in Target.objects.filter(task__plan=plan, kind=Target.Kind.QUANTITY):
            code = by_subject.get(target.subject)
            if code is None:
                continue
            binding, _ = TargetBinding.objects.update_or_create(target=target, defaults={"indicator": code})
            bound.append(binding)
        if bound:
            data_changed(what="bind-targets")
    return bound


# ------------------------------------------------------------------------------------------ computing


@dataclass
class ComputeReport:
    values: int
    indicators: int
    periods: int
    units: int


def indicators_recompute(*, plan: Plan, until: date | None = None, org_ids: set[int] | None = None) -> ComputeReport:
    """Compute every indicator for every unit and period and store the values.

    With ``org_ids`` only the values of those units and the units above them are rewritten (after an import
    that touched only them); the computation itself still sees the whole region, because a total needs all
    of its parts.
    """
    from duban.indicators import loading

    start = plan_start(plan)
    deadlines = Target.objects.filter(task__plan=plan, deadline__isnull=False).order_by("-deadline").first()
    end = max(until or date.today(), deadlines.deadline if deadlines and deadlines.deadline else start)
    periods = reporting_periods(start=start, end=end)
    data = loading.load_region(plan=plan, start=start)
    results = data.engine.compute(data.indicators, periods)
    only = data.with_ancestors(org_ids) if org_ids is not None else None
    rows = loading.series_rows(data, results, only=only)
    loading.write_series(rows, replacing=only if only is not None else data.stored_org_ids)
    data_changed(what="compute")
    return ComputeReport(len(rows) * len(periods), len(data.indicators), len(periods), len(data.tree))


def indicators_refresh(*, plan: Plan, org_ids: set[int]) -> ComputeReport:
    """Bring the stored values of ``org_ids`` and every unit above them up to date after a change there:
    the jurisdictions concerned are recomputed and the units above corrected by the difference
    (``incremental``); where that cannot be exact, the region is recomputed."""
    from duban.indicators import incremental

    with transaction.atomic():
        written = incremental.refresh(plan=plan, org_ids=org_ids, start=plan_start(plan))
        if written is not None:
            data_changed(what="refresh")
    if written is None:
        return indicators_recompute(plan=plan, org_ids=org_ids)
    return ComputeReport(written, 0, 0, 0)
