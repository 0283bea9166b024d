"""填报模板: the Excel workbook a unit fills in with one set of figures for one period and hands back to the
import page (``duban import-data`` reads it too).

The first sheet is the import format itself (docs/formats.md), one row per area and element, with columns the
import ignores beside it (the area's and the element's names, the unit of measure) so that a clerk sees what
each row asks. Everything but the value and its source is locked, the figures are held to numbers ≥ 0 by
Excel's data validation, and the second sheet says in Chinese how to fill it in.
"""

from __future__ import annotations

import io
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from django.http import Http404
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from duban.indicators.models import DataElement, DataValue
from duban.metrics.periods import Period
from duban.orgs.models import OrgUnit


@dataclass(frozen=True)
class ElementSet:
    """指标组: the elements one template asks for."""

    code: str
    name: str
    elements: tuple[str, ...]


@lru_cache(maxsize=1)
def element_sets() -> tuple[ElementSet, ...]:
    """The sets of ``data/element_sets.toml``, in the order written there."""
    text = resources.files("duban.indicators.data").joinpath("element_sets.toml").read_text("utf-8")
    return tuple(
        ElementSet(entry["code"], entry["name"], tuple(entry["elements"])) for entry in tomllib.loads(text)["set"]
    )


def element_set_get(*, code: str) -> ElementSet:
    for element_set in element_sets():
        if element_set.code == code:
            return element_set
    raise Http404


def template_units() -> list[OrgUnit]:
    """The areas a template can be made for: the province, its cities and counties, and their districts."""
    levels = [OrgUnit.Level.PROVINCE, OrgUnit.Level.JURISDICTION, OrgUnit.Level.DISTRICT]
    return list(
        OrgUnit.objects.filter(kind=OrgUnit.Kind.AREA, level__in=levels, valid_to__isnull=True).order_by("code")
    )


def template_unit_get(*, code: str) -> OrgUnit:
    unit = next((u for u in template_units() if u.code == code), None)
    if unit is None:
        raise Http404
    return unit


def template_rows(*, unit: OrgUnit) -> list[OrgUnit]:
    """The areas a unit's template has rows for: the unit, then the areas right below it."""
    below = OrgUnit.objects.filter(parent=unit, kind=OrgUnit.Kind.AREA, valid_to__isnull=True).order_by("code")
    return [unit, *below]


HEADINGS = (
    ("org_code", "单位代码", 12),
    ("单位名称", "", 24),
    ("period", "统计期", 10),
    ("element", "指标代码", 26),
    ("指标名称", "", 30),
    ("计量单位", "", 10),
    ("value", "数值：请填写；不掌握的留空", 14),
    ("source", "来源：如 统计年鉴、部门台账（可不填）", 30),
)
VALUE_COLUMN, SOURCE_COLUMN = 7, 8
_LOCKED_FILL = PatternFill("solid", start_color="EEEEEE")
_HEADING_FILL = PatternFill("solid", start_color="D9E2F3")


def data_template_xlsx(*, element_set: ElementSet, unit: OrgUnit, period: Period) -> bytes:
    """The template of ``element_set`` for ``unit`` and its areas in ``period``, with the figures already
    stored filled in (to be checked or corrected)."""
    areas = template_rows(unit=unit)
    elements = {e.code: e for e in DataElement.objects.filter(code__in=element_set.elements)}
    ordered = [elements[code] for code in element_set.elements if code in elements]
    stored = {
        (v.org_id, v.element_id): v
        for v in DataValue.objects.filter(org__in=areas, element__in=ordered, period=str(period))
    }
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    sheet.title = "填报"
    for index, (heading, note, width) in enumerate(HEADINGS, start=1):
        head = sheet.cell(1, index, heading)
        head.font, head.fill = Font(bold=True), _HEADING_FILL
        if note:
            head.comment = Comment(note, "duban")
        sheet.column_dimensions[get_column_letter(index)].width = width
    for area in areas:
        for element in ordered:
            value = stored.get((area.pk, element.pk))
            sheet.append(
                [
                    area.code,
                    area.name,
                    str(period),
                    element.code,
                    element.name,
                    element.unit,
                    value.value if value is not None else None,
                    value.source if value is not None else None,
                ]
            )
    last = sheet.max_row
    for row in sheet.iter_rows(min_row=2, max_row=last):
        for cell in row[: VALUE_COLUMN - 1]:
            cell.fill = _LOCKED_FILL
            # Codes stay text: Excel would otherwise turn 460100 into a number and 2025Q4 into nothing useful.
            cell.number_format = "@"
        for cell in row[VALUE_COLUMN - 1 :]:
            cell.protection = Protection(locked=False)
    figures = DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="数值有误",
        error="请填写不小于 0 的数字（不要带单位或文字）；不掌握的留空。",
        showInputMessage=True,
        promptTitle="数值",
        prompt="填写不小于 0 的数字；不掌握的留空。",
    )
    sources = DataValidation(
        type="textLength",
        operator="lessThanOrEqual",
        formula1="500",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="来源过长",
        error="来源不超过 500 个字。",
    )
    if last >= 2:
        figures.add(f"{get_column_letter(VALUE_COLUMN)}2:{get_column_letter(VALUE_COLUMN)}{last}")
        sources.add(f"{get_column_letter(SOURCE_COLUMN)}2:{get_column_letter(SOURCE_COLUMN)}{last}")
    sheet.add_data_validation(figures)
    sheet.add_data_validation(sources)
    sheet.freeze_panes = "A2"
    # Locked against slips, not against people: no password, and widths and heights may still be changed.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    _instructions(book.create_sheet("填写说明"), element_set, unit, period, ordered, len(areas))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _instructions(
    sheet: Worksheet, element_set: ElementSet, unit: OrgUnit, period: Period, elements: list[DataElement], areas: int
) -> None:
    lines = [
        f"{unit.name}　{period.label_zh}　{element_set.name}数据填报模板",
        "",
        "填写方法",
        f"1. 在“填报”表的 value 列填写数值（共 {areas} 个地区、{len(elements)} 项指标），来源可写在 source 列。",
        "2. 只填数字，不带单位、不写文字；千分位逗号可以保留（如 1,476,599）。数值不能为负。",
        "3. 不掌握的数据请留空：留空的行不导入，也不会覆盖已有数据。已有的数据已预先填入，请核对，有误的直接改正。",
        "4. 灰色各列（单位代码、统计期、指标代码等）已锁定，请勿修改、增删行或调整列的顺序。",
        "5. 保存为 .xlsx 格式（不要另存为启用宏的 .xlsm 或旧版 .xls），由督办办公室在“数据导入”页面上传。",
        "6. 上传后系统先逐行检查：有误的行会列出行号、列名、所填内容和原因，一行有误则整个文件都不导入，"
        "改正后重新上传即可；检查通过并经确认后才写入，指标和进度状态随后自动更新。",
        "",
        "指标说明",
    ]
    for line in lines:
        sheet.append([line])
    sheet.cell(1, 1).font = Font(bold=True, size=13)
    for number in (3, len(lines)):
        sheet.cell(number, 1).font = Font(bold=True)
    sheet.append(["指标代码", "指标名称", "计量单位", "类型", "说明"])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for element in elements:
        kind = "时点数（统计期末）" if element.kind == DataElement.Kind.STOCK else "期间数（统计期内累计）"
        sheet.append([element.code, element.name, element.unit, kind, element.description])
    sheet.column_dimensions["A"].width = 26
    for letter, width in (("B", 30), ("C", 10), ("D", 22), ("E", 40)):
        sheet.column_dimensions[letter].width = width
