"""填报模板: the Excel workbook a unit fills in with one set of figures for one period and hands back to the
import page (``duban import-data`` reads it too); and, at the end, the workbook of a unit's facility registry
(``duban import-facilities``).

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

from duban.indicators.models import DataElement, DataValue, Facility
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


# ------------------------------------------------------------------------------------ the facility template

# The words the template offers for a facility's kind and nature: Chinese, and each one the facility import
# reads (a test holds them to it).
KIND_WORDS = {
    "elderly_institution": "养老机构",
    "support_home": "敬老院",
    "regional_center": "区域性养老服务中心",
    "township_center": "乡镇（街道）综合养老服务机构",
    "community_facility": "社区养老服务设施",
    "childcare": "托育机构",
    "elderly_university": "老年大学",
}
NATURE_WORDS = {"public": "公办", "inclusive": "普惠性", "private": "营利性"}
FACILITY_HEADINGS = (
    ("facility_id", "机构编号：新增机构请编一个不重复的编号", 16),
    ("name", "机构名称", 30),
    ("kind", "类型：从下拉列表选择", 26),
    ("org_code", "所在乡镇（街道）、区或市县的代码：从下拉列表选择", 14),
    ("所在地区", "", 20),
    ("nature", "性质：从下拉列表选择", 10),
    ("beds", "床位数（整数，可空）", 8),
    ("nursing_beds", "护理型床位数（不多于床位数）", 12),
    ("places", "托位数（整数，可空）", 8),
    ("enrolled", "在托人数（整数，可空）", 8),
    ("comprehensive", "具备综合功能：是/否", 12),
    ("has_medical", "内设医疗机构：是/否", 12),
    ("opened", "开业日期，如 2023-06-30", 12),
    ("closed", "停业日期：仍在营业的留空", 12),
)


def facility_template_areas(*, unit: OrgUnit) -> list[OrgUnit]:
    """The unit and every area below it, down to the townships: where its facilities can stand."""
    areas = [unit]
    frontier = [unit.pk]
    while frontier:
        below = list(
            OrgUnit.objects.filter(parent_id__in=frontier, kind=OrgUnit.Kind.AREA, valid_to__isnull=True).order_by(
                "code"
            )
        )
        areas.extend(below)
        frontier = [a.pk for a in below]
    return areas


def facility_template_xlsx(*, unit: OrgUnit) -> bytes:
    """The facility registry of ``unit`` and the areas below it, as a workbook to correct and extend: one row per
    facility registered there, room for new ones, the header locked and every column validated."""
    areas = facility_template_areas(unit=unit)
    names = {a.pk: a.name for a in areas}
    facilities = Facility.objects.filter(org__in=areas).select_related("org").order_by("org__code", "facility_id")
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    sheet.title = "填报"
    for index, (heading, note, width) in enumerate(FACILITY_HEADINGS, start=1):
        head = sheet.cell(1, index, heading)
        head.font, head.fill = Font(bold=True), _HEADING_FILL
        if note:
            head.comment = Comment(note, "duban")
        sheet.column_dimensions[get_column_letter(index)].width = width
    for f in facilities:
        sheet.append(
            [
                f.facility_id,
                f.name,
                KIND_WORDS[f.kind],
                f.org.code,
                names.get(f.org_id, ""),
                NATURE_WORDS[f.nature],
                f.beds,
                f.nursing_beds,
                f.places,
                f.enrolled,
                "是" if f.comprehensive else "否",
                "是" if f.has_medical else "否",
                f.opened,
                f.closed,
            ]
        )
    # Room for the facilities the unit adds: the rows below the registered ones are open and validated too.
    last = sheet.max_row + 200
    choices = book.create_sheet("选项")
    for number, word in enumerate(KIND_WORDS.values(), start=1):
        choices.cell(number, 1, word)
    for number, word in enumerate(NATURE_WORDS.values(), start=1):
        choices.cell(number, 2, word)
    for number, area in enumerate(areas, start=1):
        choices.cell(number, 3, area.code).number_format = "@"
        choices.cell(number, 4, area.name)
    choices.sheet_state = "hidden"
    lists = {
        "C": f"选项!$A$1:$A${len(KIND_WORDS)}",
        "D": f"选项!$C$1:$C${len(areas)}",
        "F": f"选项!$B$1:$B${len(NATURE_WORDS)}",
    }
    for column, source in lists.items():
        rule = DataValidation(
            type="list", formula1=source, allow_blank=True, showErrorMessage=True, errorTitle="请从列表选择"
        )
        rule.error = "请从下拉列表中选择。"
        rule.add(f"{column}2:{column}{last}")
        sheet.add_data_validation(rule)
    counts = DataValidation(
        type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True, showErrorMessage=True
    )
    counts.errorTitle, counts.error = "应为整数", "请填写不小于 0 的整数；没有的留空。"
    counts.add(f"G2:J{last}")
    flags = DataValidation(type="list", formula1='"是,否"', allow_blank=True, showErrorMessage=True)
    flags.add(f"K2:L{last}")
    dates = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True, showErrorMessage=True)
    dates.errorTitle, dates.error = "日期有误", "请填写日期，如 2023-06-30。"
    dates.add(f"M2:N{last}")
    for rule in (counts, flags, dates):
        sheet.add_data_validation(rule)
    for cells in sheet.iter_rows(min_row=2, max_row=last, max_col=len(FACILITY_HEADINGS)):
        for cell in cells:
            cell.protection = Protection(locked=False)
        cells[0].number_format = cells[3].number_format = "@"
        cells[12].number_format = cells[13].number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    _facility_instructions(book.create_sheet("填写说明", 1), unit, len(areas))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _facility_instructions(sheet: Worksheet, unit: OrgUnit, areas: int) -> None:
    lines = [
        f"{unit.name}　机构登记填报模板",
        "",
        "填写方法",
        f"1. “填报”表已列出{unit.name}及下级 {areas - 1} 个地区已登记的机构，请逐一核对，有误的直接改正。",
        "2. 新增机构写在已有各行之下：编一个不重复的机构编号，类型、所在地区代码、性质从下拉列表选择。",
        "3. 床位数、护理型床位数、托位数、在托人数填整数，没有的留空；护理型床位数不能多于床位数。",
        "4. 日期写作 2023-06-30；仍在营业的机构停业日期留空。已停业的机构请填写停业日期，不要删除该行。",
        "5. 所在地区一列只作提示，导入时不读；表头一行已锁定，请勿修改。",
        "6. 保存为 .xlsx 格式，由督办办公室在“数据导入”页面选择“机构登记”上传；有误的行会逐行列出，"
        "全部无误并经确认后才写入。",
    ]
    for line in lines:
        sheet.append([line])
    sheet.cell(1, 1).font = Font(bold=True, size=13)
    sheet.cell(3, 1).font = Font(bold=True)
    sheet.column_dimensions["A"].width = 100
