"""Writes of the facility registry: ``duban import-facilities`` (all or nothing)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.db import transaction

from duban.audit.services import audit_record
from duban.core.dataversion import data_changed
from duban.core.tables import Row, RowProblem, TableFileError, require_columns, table_rows
from duban.core.users import Actor
from duban.indicators.models import Facility
from duban.indicators.services.importing import DataImportError, ImportReport, parse_figure, rehearse
from duban.orgs.models import OrgUnit

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


def facility_import_file(*, path: str | Path, by: Actor = None, dry_run: bool = False) -> ImportReport:
    """``duban import-facilities FILE`` (docs/formats.md)."""
    if not Path(path).is_file():
        raise TableFileError(f"{path}: 文件不存在 (no such file)")
    return facility_import_table(data=Path(path).read_bytes(), name=str(path), by=by, dry_run=dry_run)


def facility_import_table(*, data: bytes, name: str, by: Actor = None, dry_run: bool = False) -> ImportReport:
    """A facility file's bytes, from the command line or an upload alike; ``name`` names it in messages."""
    rows = table_rows(data=data, name=name)
    require_columns(rows, name, FACILITY_COLUMNS)
    return facility_import(rows=rows, source=Path(name).name, by=by, dry_run=dry_run)


def facility_import(
    *, rows: list[Row], source: str, is_sample: bool = False, by: Actor = None, dry_run: bool = False
) -> ImportReport:
    """Add or update the facilities of ``rows``, all or none; with ``dry_run`` rehearsed and rolled back."""
    if dry_run:
        return rehearse(lambda: facility_import(rows=rows, source=source, is_sample=is_sample, by=by))
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
        raise DataImportError(problems)
    report = ImportReport(warnings=warnings)
    with transaction.atomic():
        existing = {f.facility_id: f for f in Facility.objects.filter(facility_id__in=list(planned))}
        new = []
        changes: dict[str, dict[str, object]] = {}
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
                changes[key] = {name: [_plain(getattr(current, name)), _plain(fields[name])] for name in changed}
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
            # One entry per file: the ids added, and for each facility changed its fields as [before, after].
            audit_record(
                actor=by,
                action="facility_import",
                object_type="indicators.facility",
                object_id=source,
                object_repr=f"{source}：{report.summary_zh()}",
                before=None,
                after={"created": [f.facility_id for f in new], "changed": changes},
            )
    return report


def _plain(value: object) -> object:
    if isinstance(value, OrgUnit):
        return value.code
    if isinstance(value, date):
        return value.isoformat()
    return value


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
        number = parse_figure(raw)
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
