"""Writes to the organisation registry. Every import is all or nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path

from django.db import transaction

from duban.core.dataversion import data_changed
from duban.core.errors import ImportRefused
from duban.core.tables import Row, RowProblem, parse_date, read_rows, require_columns
from duban.orgs.models import Collective, CollectiveAlias, OrgAlias, OrgSuccession, OrgUnit
from duban.orgs.naming import normalise_name

ORG_COLUMNS = ("code", "name", "parent_code", "level", "kind")

# Chinese words accepted in the kind and level columns, beside the codes.
_KIND_WORDS = {
    "省政府组成部门": "department",
    "政府组成部门": "department",
    "组成部门": "department",
    "直属机构": "affiliated",
    "直属特设机构": "affiliated",
    "部门管理机构": "affiliated",
    "中央驻琼单位": "central",
    "中央驻地方单位": "central",
    "中央单位": "central",
    "群团组织": "mass_org",
    "人民团体": "mass_org",
    "企业": "enterprise",
    "其他": "other",
    "法定机构": "other",
    "事业单位": "other",
    "地区": "area",
    "行政区划": "area",
}
_LEVEL_WORDS = {"省": "province", "市县": "jurisdiction", "区": "district", "乡镇": "township", "街道": "township"}


class RegistryError(ImportRefused):
    """A registry import or change that was refused; nothing was written."""


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    aliases_added: int = 0
    details: list[str] = field(default_factory=list)

    def add(self, other: ImportSummary) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.aliases_added += other.aliases_added


@dataclass
class _OrgRow:
    row: Row
    code: str
    name: str
    parent_code: str
    stat_parent_code: str
    level: str
    kind: str
    aliases: list[str]
    short_name: str
    area_type: str
    valid_from: date | None
    valid_to: date | None
    source: str


def org_import_file(*, path: str | Path) -> ImportSummary:
    """``duban import-orgs FILE``: add or update units from a CSV or XLSX file (docs/formats.md)."""
    rows = read_rows(path)
    require_columns(rows, path, ORG_COLUMNS)
    return org_import(rows=rows, source=Path(path).name)


def org_import(*, rows: list[Row], source: str) -> ImportSummary:
    parsed, problems = _validate_org_rows(rows, source)
    if problems:
        raise RegistryError([str(p) for p in problems])
    summary = ImportSummary()
    created: set[str] = set()
    updated: set[str] = set()
    with transaction.atomic():
        existing = {u.code: u for u in OrgUnit.objects.filter(code__in=[r.code for r in parsed])}
        parents = {r.parent_code for r in parsed} | {r.stat_parent_code for r in parsed}
        known = {u.code: u for u in OrgUnit.objects.filter(code__in=parents - {""})}
        by_code: dict[str, OrgUnit] = {**known, **existing}
        for item in parsed:
            unit = by_code.get(item.code) or OrgUnit(code=item.code)
            fields = {
                "name": item.name,
                "short_name": item.short_name,
                "kind": item.kind,
                "level": item.level,
                "area_type": item.area_type,
                "valid_from": item.valid_from,
                "valid_to": item.valid_to,
                "source": item.source,
            }
            changed = unit.pk is None or any(getattr(unit, k) != v for k, v in fields.items())
            for key, value in fields.items():
                setattr(unit, key, value)
            if unit.pk is None:
                unit.save()
                created.add(item.code)
            elif changed:
                unit.save()
                updated.add(item.code)
            by_code[item.code] = unit
        for item in parsed:
            unit = by_code[item.code]
            parent = by_code.get(item.parent_code) if item.parent_code else None
            stat_parent = by_code.get(item.stat_parent_code) if item.stat_parent_code else None
            if unit.parent_id != (parent.pk if parent else None) or unit.stat_parent_id != (
                stat_parent.pk if stat_parent else None
            ):
                unit.parent, unit.stat_parent = parent, stat_parent
                unit.save(update_fields=["parent", "stat_parent"])
                if item.code not in created:
                    updated.add(item.code)
            for alias in item.aliases:
                _, added = OrgAlias.objects.get_or_create(unit=unit, name=alias)
                summary.aliases_added += int(added)
        if created or updated or summary.aliases_added:
            data_changed(what="import-orgs")
    summary.created, summary.updated = len(created), len(updated)
    summary.unchanged = len(parsed) - len(created) - len(updated)
    return summary


def _validate_org_rows(rows: list[Row], source: str) -> tuple[list[_OrgRow], list[RowProblem]]:
    problems: list[RowProblem] = []
    parsed: list[_OrgRow] = []
    seen: dict[str, int] = {}
    for row in rows:
        code = row.get("code")
        name = normalise_name(row.get("name"))
        kind = _KIND_WORDS.get(row.get("kind"), row.get("kind"))
        level = _LEVEL_WORDS.get(row.get("level"), row.get("level"))
        if not code:
            problems.append(RowProblem(source, row.number, "code", "", "代码不能为空 (code is required)"))
        elif code in seen:
            problems.append(RowProblem(source, row.number, "code", code, f"与第{seen[code]}行重复 (duplicate code)"))
        else:
            seen[code] = row.number
        if not name:
            problems.append(RowProblem(source, row.number, "name", "", "名称不能为空 (name is required)"))
        if kind not in OrgUnit.Kind.values:
            problems.append(
                RowProblem(
                    source,
                    row.number,
                    "kind",
                    row.get("kind"),
                    f"不是有效的类别，应为 {'/'.join(OrgUnit.Kind.values)} 或对应中文 (unknown kind)",
                )
            )
        if level and level not in OrgUnit.Level.values:
            problems.append(
                RowProblem(
                    source,
                    row.number,
                    "level",
                    row.get("level"),
                    f"不是有效的层级，应为 {'/'.join(OrgUnit.Level.values)} (unknown level)",
                )
            )
        if kind == "area" and not level:
            problems.append(RowProblem(source, row.number, "level", "", "地区必须填写层级 (an area needs a level)"))
        if kind in OrgUnit.Kind.values and kind != "area" and level:
            problems.append(
                RowProblem(source, row.number, "level", level, "只有地区才有层级 (only areas have a level)")
            )
        dates: dict[str, date | None] = {}
        for column in ("valid_from", "valid_to"):
            try:
                dates[column] = parse_date(row.get(column)) if row.get(column) else None
            except ValueError:
                problems.append(RowProblem(source, row.number, column, row.get(column), "不是日期，应写作 2023-08-18"))
                dates[column] = None
        aliases = [normalise_name(a) for a in row.get("aliases").replace(";", "；").split("；")]
        parsed.append(
            _OrgRow(
                row=row,
                code=code,
                name=name,
                parent_code=row.get("parent_code"),
                stat_parent_code=row.get("stat_parent_code"),
                level=level,
                kind=kind,
                aliases=[a for a in dict.fromkeys(aliases) if a and a != name],
                short_name=normalise_name(row.get("short_name")),
                area_type=row.get("area_type"),
                valid_from=dates["valid_from"],
                valid_to=dates["valid_to"],
                source=row.get("source"),
            )
        )
    codes_in_file = {p.code for p in parsed}
    wanted = {p.parent_code for p in parsed} | {p.stat_parent_code for p in parsed}
    in_db = set(OrgUnit.objects.filter(code__in=wanted - {""}).values_list("code", flat=True))
    for item in parsed:
        for column in ("parent_code", "stat_parent_code"):
            value = getattr(item, column)
            if value and value not in codes_in_file and value not in in_db:
                problems.append(
                    RowProblem(
                        source,
                        item.row.number,
                        column,
                        value,
                        "上级代码在登记册和本文件中都不存在 (unknown parent code)",
                    )
                )
            if value and value == item.code:
                problems.append(RowProblem(source, item.row.number, column, value, "单位不能是自己的上级 (own parent)"))
    if not problems:
        problems.extend(_cycles_in_file(parsed, source))
    return parsed, problems


def _cycles_in_file(parsed: list[_OrgRow], source: str) -> list[RowProblem]:
    """Parent chains that loop, found before anything is written."""
    parent_of = dict(OrgUnit.objects.filter(parent__isnull=False).values_list("code", "parent__code"))
    parent_of.update({p.code: p.parent_code for p in parsed if p.parent_code})
    rows = {p.code: p.row.number for p in parsed}
    problems = []
    for item in parsed:
        seen = [item.code]
        code = parent_of.get(item.code)
        while code:
            if code in seen:
                chain = " → ".join([*seen, code])
                problems.append(
                    RowProblem(source, rows[item.code], "parent_code", item.parent_code, f"上级关系成环：{chain}")
                )
                break
            seen.append(code)
            code = parent_of.get(code)
    return problems


def succession_import(*, rows: list[Row], source: str) -> ImportSummary:
    summary = ImportSummary()
    problems: list[RowProblem] = []
    codes = {r.get("predecessor_code") for r in rows} | {r.get("successor_code") for r in rows}
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=codes)}
    planned = []
    for row in rows:
        old, new = units.get(row.get("predecessor_code")), units.get(row.get("successor_code"))
        for column, unit in (("predecessor_code", old), ("successor_code", new)):
            if unit is None:
                problems.append(RowProblem(source, row.number, column, row.get(column), "单位代码不存在"))
        try:
            effective = parse_date(row.get("effective")) if row.get("effective") else None
        except ValueError:
            problems.append(RowProblem(source, row.number, "effective", row.get("effective"), "不是日期"))
            continue
        kind = row.get("kind") or OrgSuccession.Kind.RENAME
        if kind not in OrgSuccession.Kind.values:
            problems.append(RowProblem(source, row.number, "kind", kind, "应为 rename 或 merge"))
        planned.append((old, new, effective, kind, row.get("source")))
    if problems:
        raise RegistryError([str(p) for p in problems])
    with transaction.atomic():
        for old, new, effective, kind, note in planned:
            _, created = OrgSuccession.objects.update_or_create(
                predecessor=old, successor=new, defaults={"effective": effective, "kind": kind, "source": note}
            )
            summary.created += int(created)
            summary.unchanged += int(not created)
        if summary.created:
            data_changed(what="import-successions")
    return summary


def collective_import(*, rows: list[Row], source: str) -> ImportSummary:
    summary = ImportSummary()
    problems: list[RowProblem] = []
    planned = []
    for row in rows:
        region = OrgUnit.objects.filter(code=row.get("region_code")).first()
        if region is None:
            problems.append(RowProblem(source, row.number, "region_code", row.get("region_code"), "地区代码不存在"))
        codes = [c.strip() for c in row.get("member_codes").replace(";", "；").split("；") if c.strip()]
        members = list(OrgUnit.objects.filter(code__in=codes))
        missing = sorted(set(codes) - {m.code for m in members})
        if missing:
            problems.append(RowProblem(source, row.number, "member_codes", "；".join(missing), "成员代码不存在"))
        aliases = [normalise_name(a) for a in row.get("aliases").replace(";", "；").split("；") if a.strip()]
        planned.append((normalise_name(row.get("term")), region, members, aliases, row.get("source")))
    if problems:
        raise RegistryError([str(p) for p in problems])
    with transaction.atomic():
        for term, region, members, aliases, note in planned:
            collective, created = Collective.objects.update_or_create(
                term=term, defaults={"region": region, "source": note}
            )
            changed = set(collective.members.all()) != set(members)
            if changed:
                collective.members.set(members)
            for alias in aliases:
                _, added = CollectiveAlias.objects.get_or_create(name=alias, defaults={"collective": collective})
                summary.aliases_added += int(added)
            summary.created += int(created)
            summary.updated += int(changed and not created)
            summary.unchanged += int(not changed and not created)
        if summary.created or summary.updated or summary.aliases_added:
            data_changed(what="import-collectives")
    return summary


def alias_add(*, name: str, code: str) -> OrgAlias:
    """Teach the registry another name for a unit (``duban add-alias NAME CODE``)."""
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None:
        raise RegistryError([f"单位代码 {code} 不存在 (unknown unit code)"])
    with transaction.atomic():
        alias, added = OrgAlias.objects.get_or_create(unit=unit, name=normalise_name(name))
        if added:
            data_changed(what="add-alias")
    return alias


BUNDLED_REGIONS = ("hainan",)


def registry_load_bundled() -> ImportSummary:
    """Load the registry data that ships with duban (``duban init``). Running it twice changes nothing."""
    summary = ImportSummary()
    for region in BUNDLED_REGIONS:
        folder = resources.files("duban.orgs.data").joinpath(region)
        for name in ("areas.csv", "units.csv"):
            path = Path(str(folder.joinpath(name)))
            summary.add(org_import(rows=read_rows(path), source=f"{region}/{name}"))
        path = Path(str(folder.joinpath("successions.csv")))
        summary.add(succession_import(rows=read_rows(path), source=f"{region}/successions.csv"))
        path = Path(str(folder.joinpath("collectives.csv")))
        summary.add(collective_import(rows=read_rows(path), source=f"{region}/collectives.csv"))
    return summary
