"""Writes to the organisation registry. Every import is all or nothing."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path

from django.db import transaction

from duban.audit.services import audit_record
from duban.core.dataversion import data_changed
from duban.core.errors import ImportRefused
from duban.core.tables import (
    Row,
    RowProblem,
    TableFileError,
    parse_date,
    read_rows,
    read_tables,
    require_columns,
)
from duban.core.uploads import upload_check
from duban.core.users import Actor
from duban.orgs.models import Collective, CollectiveAlias, OrgAlias, OrgSuccession, OrgUnit
from duban.orgs.naming import area_type_inferred, normalise_name

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
    """A registry import or change that was refused; nothing was written. ``rows`` keeps the problems as
    (file, row, column, value, reason) for a page to show as a table."""

    def __init__(self, problems: list[str], *, rows: list[RowProblem] | None = None) -> None:
        super().__init__(problems)
        self.rows = rows or []


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    aliases_added: int = 0
    inferred: int = 0
    details: list[str] = field(default_factory=list)

    def add(self, other: ImportSummary) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.aliases_added += other.aliases_added
        self.inferred += other.inferred


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
    area_type_inferred: bool = False


def org_import_file(*, path: str | Path) -> ImportSummary:
    """``duban import-orgs FILE``: add or update units from a CSV or XLSX file (docs/formats.md)."""
    rows = read_rows(path)
    require_columns(rows, path, ORG_COLUMNS)
    return org_import(rows=rows, source=Path(path).name)


def org_import(*, rows: list[Row], source: str) -> ImportSummary:
    parsed, problems = _validate_org_rows(rows, source)
    if problems:
        raise RegistryError([str(p) for p in problems])
    with transaction.atomic():
        return _org_write(parsed)


def _org_write(parsed: list[_OrgRow]) -> ImportSummary:
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
    summary.inferred = sum(1 for item in parsed if item.area_type_inferred)
    return summary


def _validate_org_rows(
    rows: list[Row], source: str, *, also_known: frozenset[str] = frozenset()
) -> tuple[list[_OrgRow], list[RowProblem]]:
    """The rows as units, and every problem with them. ``also_known`` are codes that other tables of the same
    import bring, which a parent may name."""
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
        # A register that gives only names and levels still says what kind of township each is.
        area_type = row.get("area_type")
        inferred = kind == OrgUnit.Kind.AREA and not area_type
        if inferred:
            area_type = area_type_inferred(name=name, code=code, level=level)
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
                area_type=area_type,
                valid_from=dates["valid_from"],
                valid_to=dates["valid_to"],
                source=row.get("source"),
                area_type_inferred=inferred and bool(area_type),
            )
        )
    codes_in_file = {p.code for p in parsed} | also_known
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


SUCCESSION_COLUMNS = ("predecessor_code", "successor_code")
COLLECTIVE_COLUMNS = ("term", "region_code")


@dataclass
class _SuccessionRow:
    row: Row
    predecessor: str
    successor: str
    effective: date | None
    kind: str
    source: str


def _validate_successions(
    rows: list[Row], source: str, *, known: set[str]
) -> tuple[list[_SuccessionRow], list[RowProblem]]:
    """Renames and merges, checked against the codes of the registry and of the import (``known``)."""
    problems: list[RowProblem] = []
    planned: list[_SuccessionRow] = []
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        old, new = row.get("predecessor_code"), row.get("successor_code")
        for column, code in (("predecessor_code", old), ("successor_code", new)):
            if not code:
                problems.append(RowProblem(source, row.number, column, "", "不能为空 (a code is required)"))
            elif code not in known:
                problems.append(RowProblem(source, row.number, column, code, "单位代码不存在 (unknown unit code)"))
        if old and old == new:
            problems.append(RowProblem(source, row.number, "successor_code", new, "不能更名为自己 (its own successor)"))
        if (old, new) in seen:
            problems.append(
                RowProblem(source, row.number, "successor_code", new, f"与第{seen[old, new]}行重复 (duplicate)")
            )
        seen.setdefault((old, new), row.number)
        effective = None
        if row.get("effective"):
            try:
                effective = parse_date(row.get("effective"))
            except ValueError:
                problems.append(
                    RowProblem(source, row.number, "effective", row.get("effective"), "不是日期，应写作 2023-08-18")
                )
        kind = _SUCCESSION_WORDS.get(row.get("kind"), row.get("kind")) or OrgSuccession.Kind.RENAME
        if kind not in OrgSuccession.Kind.values:
            problems.append(
                RowProblem(source, row.number, "kind", row.get("kind"), "应为 rename（更名）或 merge（合并）")
            )
        planned.append(_SuccessionRow(row, old, new, effective, kind, row.get("source")))
    if not problems:
        problems.extend(_succession_loops(planned, source))
    return planned, problems


_SUCCESSION_WORDS = {"更名": "rename", "合并": "merge", "撤并": "merge", "并入": "merge"}


def _succession_loops(planned: list[_SuccessionRow], source: str) -> list[RowProblem]:
    """Renames that come back to where they started (A → B → A), with the registry's own."""
    following: dict[str, list[str]] = {}
    for old, new in OrgSuccession.objects.values_list("predecessor__code", "successor__code"):
        following.setdefault(old, []).append(new)
    for item in planned:
        following.setdefault(item.predecessor, []).append(item.successor)
    problems = []
    for item in planned:
        stack, seen = [(item.successor, [item.predecessor, item.successor])], set()
        while stack:
            code, path = stack.pop()
            if code == item.predecessor:
                chain = " → ".join(path)
                problems.append(
                    RowProblem(source, item.row.number, "successor_code", item.successor, f"更名成环：{chain}")
                )
                break
            if code in seen:
                continue
            seen.add(code)
            stack.extend((nxt, [*path, nxt]) for nxt in following.get(code, []))
    return problems


def _successions_write(planned: list[_SuccessionRow]) -> ImportSummary:
    summary = ImportSummary()
    codes = {p.predecessor for p in planned} | {p.successor for p in planned}
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=codes)}
    with transaction.atomic():
        for item in planned:
            wanted = {"effective": item.effective, "kind": item.kind, "source": item.source}
            step = OrgSuccession.objects.filter(
                predecessor=units[item.predecessor], successor=units[item.successor]
            ).first()
            if step is None:
                OrgSuccession.objects.create(
                    predecessor=units[item.predecessor], successor=units[item.successor], **wanted
                )
                summary.created += 1
            elif any(getattr(step, k) != v for k, v in wanted.items()):
                for key, value in wanted.items():
                    setattr(step, key, value)
                step.save()
                summary.updated += 1
            else:
                summary.unchanged += 1
        if summary.created or summary.updated:
            data_changed(what="import-successions")
    return summary


def succession_import(*, rows: list[Row], source: str) -> ImportSummary:
    codes = {r.get("predecessor_code") for r in rows} | {r.get("successor_code") for r in rows}
    known = set(OrgUnit.objects.filter(code__in=codes).values_list("code", flat=True))
    planned, problems = _validate_successions(rows, source, known=known)
    if problems:
        raise RegistryError([str(p) for p in problems])
    return _successions_write(planned)


@dataclass
class _CollectiveRow:
    row: Row
    term: str
    aliases: list[str]
    region: str
    member_codes: list[str]
    member_level: str
    exclude_codes: list[str]
    source: str


def _codes(text: str) -> list[str]:
    return [c.strip() for c in text.replace(";", "；").split("；") if c.strip()]


def _validate_collectives(
    rows: list[Row], source: str, *, known: set[str]
) -> tuple[list[_CollectiveRow], list[RowProblem]]:
    """集合称谓 rows, checked against the codes of the registry and of the import (``known``). Members are
    named one by one (``member_codes``), or as every area of a level under the region (``member_level``: 各乡镇
    （街道） is every township), less ``exclude_codes`` (不含三沙市)."""
    problems: list[RowProblem] = []
    planned: list[_CollectiveRow] = []
    seen: dict[str, int] = {}
    for row in rows:
        term = normalise_name(row.get("term"))
        if not term:
            problems.append(RowProblem(source, row.number, "term", "", "称谓不能为空 (term is required)"))
        elif term in seen:
            problems.append(RowProblem(source, row.number, "term", term, f"与第{seen[term]}行重复 (duplicate term)"))
        seen.setdefault(term, row.number)
        region = row.get("region_code")
        if region not in known:
            problems.append(
                RowProblem(source, row.number, "region_code", region, "地区代码不存在 (unknown region code)")
            )
        members, excluded = _codes(row.get("member_codes")), _codes(row.get("exclude_codes"))
        for column, codes in (("member_codes", members), ("exclude_codes", excluded)):
            missing = [c for c in codes if c not in known]
            if missing:
                problems.append(
                    RowProblem(source, row.number, column, "；".join(missing), "成员代码不存在 (unknown member code)")
                )
        level = _LEVEL_WORDS.get(row.get("member_level"), row.get("member_level"))
        if level and level not in OrgUnit.Level.values:
            problems.append(
                RowProblem(
                    source,
                    row.number,
                    "member_level",
                    row.get("member_level"),
                    f"不是有效的层级，应为 {'/'.join(OrgUnit.Level.values)} (unknown level)",
                )
            )
        if not members and not level:
            problems.append(
                RowProblem(
                    source, row.number, "member_codes", "", "请填写成员代码或成员层级 (member_codes or member_level)"
                )
            )
        aliases = [normalise_name(a) for a in _codes(row.get("aliases"))]
        planned.append(
            _CollectiveRow(
                row, term, [a for a in aliases if a != term], region, members, level, excluded, row.get("source")
            )
        )
    return planned, problems


def _collectives_write(planned: list[_CollectiveRow], source: str) -> ImportSummary:
    """Writes the collectives; a level that finds no area under the region is refused (raised, so that the
    caller's transaction undoes the rest): a term that means nobody would leave its tasks unassigned."""
    summary = ImportSummary()
    problems: list[RowProblem] = []
    tree = list(OrgUnit.objects.values_list("pk", "code", "parent_id", "level"))
    children: dict[int | None, list[tuple[int, str, str]]] = {}
    for pk, code, parent, level in tree:
        children.setdefault(parent, []).append((pk, code, level))
    pk_of = {code: pk for pk, code, _, _ in tree}
    with transaction.atomic():
        for item in planned:
            wanted = {pk_of[c] for c in item.member_codes}
            if item.member_level:
                found = _below(children, pk_of[item.region], item.member_level)
                if not found:
                    problems.append(
                        RowProblem(
                            source,
                            item.row.number,
                            "member_level",
                            item.row.get("member_level"),
                            f"地区 {item.region} 之下没有该层级的地区 (no area of that level in the region)",
                        )
                    )
                wanted |= found
            wanted -= {pk_of[c] for c in item.exclude_codes}
            collective, created = Collective.objects.get_or_create(
                term=item.term, defaults={"region_id": pk_of[item.region], "source": item.source}
            )
            changed = not created and (collective.region_id != pk_of[item.region] or collective.source != item.source)
            if changed:
                collective.region_id, collective.source = pk_of[item.region], item.source
                collective.save()
            if set(collective.members.values_list("pk", flat=True)) != wanted:
                collective.members.set(wanted)
                changed = True
            for alias in item.aliases:
                _, added = CollectiveAlias.objects.get_or_create(name=alias, defaults={"collective": collective})
                summary.aliases_added += int(added)
            summary.created += int(created)
            summary.updated += int(changed and not created)
            summary.unchanged += int(not changed and not created)
        if problems:
            raise RegistryError([str(p) for p in problems], rows=problems)
        if summary.created or summary.updated or summary.aliases_added:
            data_changed(what="import-collectives")
    return summary


def _below(children: dict[int | None, list[tuple[int, str, str]]], top: int, level: str) -> set[int]:
    found: set[int] = set()
    stack = [top]
    while stack:
        for pk, _, child_level in children.get(stack.pop(), []):
            if child_level == level:
                found.add(pk)
            stack.append(pk)
    return found


def collective_import(*, rows: list[Row], source: str) -> ImportSummary:
    codes = {r.get("region_code") for r in rows}
    for r in rows:
        codes |= set(_codes(r.get("member_codes"))) | set(_codes(r.get("exclude_codes")))
    known = set(OrgUnit.objects.filter(code__in=codes).values_list("code", flat=True))
    planned, problems = _validate_collectives(rows, source, known=known)
    if problems:
        raise RegistryError([str(p) for p in problems])
    with transaction.atomic():
        return _collectives_write(planned, source)


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


# ------------------------------------------------------------------------- import-orgs: one or more files

_TABLE_KINDS = (
    ("units", ORG_COLUMNS),
    ("renames", SUCCESSION_COLUMNS),
    ("collectives", COLLECTIVE_COLUMNS),
)
_KIND_NAMES = {"units": "单位与地区", "renames": "更名与合并", "collectives": "集合称谓"}


@dataclass
class RegistryImport:
    """What ``duban import-orgs`` (and the office's registry page) did, table kind by table kind."""

    units: ImportSummary = field(default_factory=ImportSummary)
    renames: ImportSummary = field(default_factory=ImportSummary)
    collectives: ImportSummary = field(default_factory=ImportSummary)
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = []
        for kind, summary in (("units", self.units), ("renames", self.renames), ("collectives", self.collectives)):
            if summary.created or summary.updated or summary.unchanged:
                line = f"{_KIND_NAMES[kind]}：新增 {summary.created}，更新 {summary.updated}，未变 {summary.unchanged}"
                if summary.aliases_added:
                    line += f"，新增别名 {summary.aliases_added}"
                if summary.inferred:
                    line += f"，按名称或代码判断区划类型 {summary.inferred}"
                out.append(line + "。")
        return out


def _kind_of(columns: set[str]) -> str | None:
    if "code" in columns or "name" in columns:
        return "units"
    if "predecessor_code" in columns or "successor_code" in columns:
        return "renames"
    if "term" in columns or "member_codes" in columns:
        return "collectives"
    return None


def registry_import_files(*, paths: list[str | Path], by: Actor = None) -> RegistryImport:
    """``duban import-orgs FILE…``: units and areas, renames and merges, collectives, from CSV files or the
    sheets of XLSX workbooks, each table known by its columns (docs/formats.md). All or nothing: every bad row
    of every table is reported, and nothing is written unless all are clean."""
    tables: list[tuple[str, list[Row]]] = []
    for path in paths:
        tables.extend(read_tables(path))
    return registry_import(tables=tables, by=by)


def registry_import(*, tables: list[tuple[str, list[Row]]], by: Actor = None) -> RegistryImport:
    by_kind: dict[str, list[tuple[str, list[Row]]]] = {"units": [], "renames": [], "collectives": []}
    for source, rows in tables:
        columns = set(rows[0].values) if rows else set()
        kind = _kind_of(columns)
        if kind is None:
            raise TableFileError(
                f"{source}: 表头 {', '.join(sorted(columns)) or '（空）'} 不是单位表（code, name …）、更名表"
                "（predecessor_code, successor_code …）或集合称谓表（term, region_code, member_codes …）"
                " (unknown table headers; see docs/formats.md)"
            )
        require_columns(rows, source, dict(_TABLE_KINDS)[kind])
        by_kind[kind].append((source, rows))

    problems: list[RowProblem] = []
    new_codes = {row.get("code") for _, rows in by_kind["units"] for row in rows} - {""}
    parsed_units: list[list[_OrgRow]] = []
    for source, rows in by_kind["units"]:
        others = new_codes - {row.get("code") for row in rows}
        parsed, found = _validate_org_rows(rows, source, also_known=frozenset(others))
        parsed_units.append(parsed)
        problems.extend(found)
    wanted: set[str] = set()
    for _, rows in by_kind["renames"] + by_kind["collectives"]:
        for row in rows:
            wanted |= {row.get("predecessor_code"), row.get("successor_code"), row.get("region_code")}
            wanted |= set(_codes(row.get("member_codes"))) | set(_codes(row.get("exclude_codes")))
    known = set(OrgUnit.objects.filter(code__in=wanted - {""}).values_list("code", flat=True)) | new_codes
    renames: list[_SuccessionRow] = []
    for source, rows in by_kind["renames"]:
        planned, found = _validate_successions(rows, source, known=known)
        renames.extend(planned)
        problems.extend(found)
    collectives: list[tuple[str, list[_CollectiveRow]]] = []
    for source, rows in by_kind["collectives"]:
        planned_collectives, found = _validate_collectives(rows, source, known=known)
        collectives.append((source, planned_collectives))
        problems.extend(found)
    if problems:
        raise RegistryError([str(p) for p in problems], rows=problems)

    result = RegistryImport()
    with transaction.atomic():
        for parsed in parsed_units:
            result.units.add(_org_write(parsed))
        result.renames.add(_successions_write(renames))
        for source, planned_collectives in collectives:
            result.collectives.add(_collectives_write(planned_collectives, source))
        counts = {
            kind: {"created": s.created, "updated": s.updated, "unchanged": s.unchanged}
            for kind, s in (("units", result.units), ("renames", result.renames), ("collectives", result.collectives))
        }
        audit_record(
            actor=by,
            action="registry_import",
            object_type="orgs.orgunit",
            object_repr="；".join(source for source, _ in tables),
            after=counts,
        )
    result.warnings = registry_warnings()
    return result


def registry_warnings() -> list[str]:
    """What the registry lacks for the indicators that count areas: townships whose type is unknown are in no
    township count (乡镇（街道）覆盖率 counts 街道, 镇 and 乡)."""
    untyped = list(
        OrgUnit.objects.filter(level=OrgUnit.Level.TOWNSHIP, area_type="")
        .order_by("code")
        .values_list("name", flat=True)
    )
    if not untyped:
        return []
    shown = "、".join(untyped[:10]) + ("等" if len(untyped) > 10 else "")
    return [
        f"{len(untyped)} 个乡镇（街道）既无 area_type，名称和代码也看不出是街道、镇还是乡（{shown}），"
        "不计入乡镇（街道）类指标：请在 area_type 列填写。"
    ]


def registry_import_upload(*, files: list[tuple[str, bytes]], by: Actor) -> RegistryImport:
    """The office's registry page: the same import as ``duban import-orgs`` on the uploaded files. Who may call
    it is the page's to decide (the registry sits below the accounts that say who is the office)."""
    if not files:
        raise TableFileError("请选择要导入的文件 (no file)")
    with tempfile.TemporaryDirectory(prefix="duban-orgs-") as folder:
        paths: list[str | Path] = []
        for name, content in files:
            upload_check(name=name, content=content)
            # The file keeps its own name, so that every message names the file the office chose.
            path = Path(folder) / Path(name).name
            path.write_bytes(content)
            paths.append(path)
        try:
            return registry_import_files(paths=paths, by=by)
        except TableFileError as exc:
            # The office knows its file by its name, not by where the server kept it for a moment.
            raise TableFileError(str(exc).replace(f"{folder}/", "")) from None
