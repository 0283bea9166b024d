"""Writes of statistical data: the bundled elements and census, ``duban import-data`` (all or nothing), and the
figures of an accepted progress report."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from django.db import transaction

from duban.audit.services import audit_record
from duban.core.tables import Row, RowProblem, TableFileError, read_rows, require_columns, table_rows
from duban.core.users import Actor
from duban.indicators.models import DataElement, DataValue
from duban.indicators.selectors import data_warnings
from duban.indicators.services.importing import DataImportError, ImportReport, parse_figure, rehearse
from duban.metrics.periods import Period
from duban.orgs.models import OrgUnit


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


DATA_COLUMNS = ("org_code", "period", "element", "value")


def data_import_file(*, path: str | Path, by: Actor = None, dry_run: bool = False) -> ImportReport:
    """``duban import-data FILE``: columns org_code, period, element, value[, source] (docs/formats.md)."""
    if not Path(path).is_file():
        raise TableFileError(f"{path}: 文件不存在 (no such file)")
    return data_import_table(data=Path(path).read_bytes(), name=str(path), by=by, dry_run=dry_run)


def data_import_table(*, data: bytes, name: str, by: Actor = None, dry_run: bool = False) -> ImportReport:
    """A data file's bytes, from the command line or an upload alike; ``name`` names it in messages."""
    rows = table_rows(data=data, name=name)
    require_columns(rows, name, DATA_COLUMNS)
    return data_import(rows=rows, source=Path(name).name, by=by, dry_run=dry_run)


def data_import(
    *, rows: list[Row], source: str, is_sample: bool = False, by: Actor = None, dry_run: bool = False
) -> ImportReport:
    """Store the figures of ``rows``, all or none. A row whose value is empty is left out (a template's figure
    nobody has yet); with ``dry_run`` the import is rehearsed and rolled back."""
    if dry_run:
        return rehearse(lambda: data_import(rows=rows, source=source, is_sample=is_sample, by=by))
    skipped = 0
    orgs = {o.code: o for o in OrgUnit.objects.filter(code__in={r.get("org_code") for r in rows})}
    elements = {e.code: e for e in DataElement.objects.all()}
    problems: list[RowProblem] = []
    planned: dict[tuple[str, str, str], tuple[Row, Period, float]] = {}
    for row in rows:
        if not row.get("value"):
            skipped += 1
            continue
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
        value = parse_figure(row.get("value"))
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
        raise DataImportError(problems)
    if not planned:
        raise DataImportError([f"{source}: 所有行的 value 列都是空的，没有可导入的数据 (no values)"])
    report = ImportReport(skipped=skipped)
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


def data_values_set(
    *, org: OrgUnit, period: str, values: dict[str, float], source: str, by: Actor = None
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
