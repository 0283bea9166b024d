"""The responsibility matrix (责任分工矩阵): tasks × units, a cell per assignment, in text, CSV and XLSX."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from duban.orgs.models import OrgUnit
from duban.orgs.selectors import successors, units_carried_by
from duban.plans.models import Assignment, Plan, Task
from duban.plans.selectors import task_list
from duban.taskdoc.model import ROLE_LABELS, role_rank

GROUPS = [
    (("department",), "省直部门"),
    (("affiliated", "other"), "直属机构及其他"),
    (("central",), "中央驻地方单位"),
    (("mass_org",), "群团组织"),
    (("enterprise",), "企业"),
    (("area",), "市县"),
]
# Colour-blind-safe blues, darkest for the lead; the cell text says the role as well.
ROLE_FILL = {"lead": "1F4E79", "responsible": "5B9BD5", "support": "BDD7EE", "local": "E2EFDA"}
ROLE_FONT = {"lead": "FFFFFF", "responsible": "FFFFFF", "support": "1F1F1F", "local": "1F1F1F"}


@dataclass
class MatrixColumn:
    unit: OrgUnit
    label: str
    successor: OrgUnit | None
    group: str

    @property
    def heading(self) -> str:
        if self.successor is None:
            return self.label
        return f"{self.label}（现{self.successor.short_name or self.successor.name}）"


@dataclass
class Matrix:
    plan: Plan
    tasks: list[Task]
    columns: list[MatrixColumn]
    cells: dict[tuple[int, int], str] = field(default_factory=dict)

    def role(self, task: Task, column: MatrixColumn) -> str:
        return self.cells.get((task.pk, column.unit.pk), "")


def matrix_build(*, plan: Plan, unit: OrgUnit | None = None, role: str | None = None, on: date | None = None) -> Matrix:
    """The matrix of ``plan``; ``unit`` and ``role`` keep only the tasks (and columns) that match."""
    tasks = list(task_list(plan=plan))
    cells: dict[tuple[int, int], str] = {}
    labels: dict[int, Counter[str]] = {}
    units: dict[int, OrgUnit] = {}
    first_seen: dict[int, int] = {}
    for task in tasks:
        for assignment in task.assignments.all():
            cells[(task.pk, assignment.unit_id)] = assignment.role
            units[assignment.unit_id] = assignment.unit
            first_seen.setdefault(assignment.unit_id, len(first_seen))
            label = assignment.unit.short_name if assignment.via_collective else assignment.name_as_written
            labels.setdefault(assignment.unit_id, Counter())[label or assignment.unit.name] += 1
    if unit is not None or role is not None:
        # A unit's tasks include those of the units renamed or merged into it.
        carried = units_carried_by(unit_id=unit.pk, on=on) if unit is not None else frozenset()
        tasks = [
            t
            for t in tasks
            if any(
                (unit is None or a.unit_id in carried) and (role is None or a.role == role) for a in t.assignments.all()
            )
        ]
    shown = {t.pk for t in tasks}
    used = {uid for (tid, uid), r in cells.items() if tid in shown and (role is None or r == role)}
    columns: list[MatrixColumn] = []
    passed_on = successors(on=on)
    for kinds, group in GROUPS:
        members = [u for uid, u in units.items() if u.kind in kinds and uid in used]
        if "area" in kinds:
            members.sort(key=lambda u: u.code)
        else:
            members.sort(key=lambda u: first_seen[u.pk])
        for member in members:
            columns.append(
                MatrixColumn(
                    unit=member,
                    label=labels[member.pk].most_common(1)[0][0],
                    successor=passed_on.get(member.pk),
                    group=group,
                )
            )
    return Matrix(plan=plan, tasks=tasks, columns=columns, cells=cells)


# ------------------------------------------------------------------------------------------------ text


def matrix_text(matrix: Matrix) -> str:
    """A listing a terminal can show: each task with its units by role."""
    lines = [f"{matrix.plan.title} — 责任分工", ""]
    for task in matrix.tasks:
        lines.append(f"{task.number}. {task.text}")
        by_role: dict[str, list[str]] = {}
        for column in matrix.columns:
            role = matrix.role(task, column)
            if role:
                by_role.setdefault(role, []).append(column.heading)
        for role in sorted(by_role, key=role_rank):
            names = by_role[role]
            shown = f"{len(names)} 个市县" if role == "local" and len(names) > 6 else "、".join(names)
            lines.append(f"    {ROLE_LABELS[role]}：{shown}")
        lines.append("")
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------------- csv


def matrix_csv(matrix: Matrix) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens the Chinese text correctly."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["序号", "重点任务", *[c.heading for c in matrix.columns]])
    writer.writerow(["", "单位类别", *[c.group for c in matrix.columns]])
    for task in matrix.tasks:
        writer.writerow([task.number, task.text, *[ROLE_LABELS.get(matrix.role(task, c), "") for c in matrix.columns]])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# ------------------------------------------------------------------------------------------------ xlsx

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
_FONT = "等线"


def matrix_xlsx(matrix: Matrix) -> bytes:
    """The sheet an office prints and hangs on the wall, plus one sheet per unit listing its tasks."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "责任分工矩阵"
    _write_matrix_sheet(sheet, matrix)
    taken: set[str] = {sheet.title}
    for column in matrix.columns:
        unit_sheet = book.create_sheet(_sheet_name(column.label, taken))
        _write_unit_sheet(unit_sheet, matrix, column)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _write_matrix_sheet(sheet: Worksheet, matrix: Matrix) -> None:
    width = 2 + len(matrix.columns)
    sheet.cell(1, 1, f"{matrix.plan.title} · 责任分工矩阵").font = Font(name=_FONT, size=16, bold=True)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(width, 2))
    sheet.row_dimensions[1].height = 30
    for col, text in ((1, "序号"), (2, "重点任务")):
        sheet.cell(2, col, text)
        sheet.merge_cells(start_row=2, start_column=col, end_row=3, end_column=col)
    start = 3
    for index, column in enumerate(matrix.columns):
        col = 3 + index
        sheet.cell(3, col, column.heading)
        if index == 0 or matrix.columns[index - 1].group != column.group:
            start = col
            sheet.cell(2, col, column.group)
        group_ends = index == len(matrix.columns) - 1 or matrix.columns[index + 1].group != column.group
        if group_ends and col > start:
            sheet.merge_cells(start_row=2, start_column=start, end_row=2, end_column=col)
    for row in (2, 3):
        for col in range(1, width + 1):
            cell = sheet.cell(row, col)
            cell.font = Font(name=_FONT, bold=True, size=10)
            cell.fill = _HEADER_FILL
            cell.border = _BORDER
            vertical_text = row == 3 and col >= 3
            cell.alignment = Alignment(
                horizontal="center", vertical="center", wrap_text=True, text_rotation=255 if vertical_text else 0
            )
    # Stacked headings take a line per character, and not every spreadsheet wraps them: the longest
    # heading decides the row's height.
    longest = max((len(c.heading) for c in matrix.columns), default=4)
    sheet.row_dimensions[3].height = 13.5 * min(max(longest, 6), 30)
    for offset, task in enumerate(matrix.tasks):
        row = 4 + offset
        number = sheet.cell(row, 1, task.number)
        number.alignment = Alignment(horizontal="center", vertical="center")
        task_cell = sheet.cell(row, 2, task.text)
        task_cell.alignment = Alignment(wrap_text=True, vertical="center")
        for col_index, column in enumerate(matrix.columns):
            role = matrix.role(task, column)
            cell = sheet.cell(row, 3 + col_index, ROLE_LABELS.get(role, ""))
            cell.alignment = Alignment(horizontal="center", vertical="center")
            if role:
                cell.fill = PatternFill("solid", fgColor=ROLE_FILL[role])
                cell.font = Font(name=_FONT, size=10, color=ROLE_FONT[role], bold=role == "lead")
        for col in range(1, width + 1):
            sheet.cell(row, col).border = _BORDER
            if col < 3:
                sheet.cell(row, col).font = Font(name=_FONT, size=10)
        # Rows tall enough for the wrapped task text: about 30 characters a line at this width.
        sheet.row_dimensions[row].height = max(30, 15 * (len(task.text) // 30 + 1))
    legend_row = 5 + len(matrix.tasks)
    sheet.cell(legend_row, 2, "图例：牵头 — 牵头单位；负责 — 按职责分工负责；配合 — 配合单位；属地 — 各市县政府")
    sheet.cell(legend_row, 2).font = Font(name=_FONT, size=9, italic=True)
    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = 48
    for index in range(len(matrix.columns)):
        sheet.column_dimensions[get_column_letter(3 + index)].width = 5
    sheet.freeze_panes = "C4"
    sheet.print_title_rows = "2:3"
    sheet.print_title_cols = "A:B"
    _fit_to_page_width(sheet)
    if len(matrix.tasks) <= 60:
        sheet.page_setup.fitToHeight = 1  # a wall chart on one A3 sheet while it stays readable
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A3
    if sheet.oddFooter is not None:
        sheet.oddFooter.center.text = "第 &P 页，共 &N 页"


def _write_unit_sheet(sheet: Worksheet, matrix: Matrix, column: MatrixColumn) -> None:
    sheet.cell(1, 1, f"{column.heading} · 任务清单").font = Font(name=_FONT, size=14, bold=True)
    sheet.merge_cells("A1:E1")
    sheet.cell(2, 1, f"{matrix.plan.title}").font = Font(name=_FONT, size=10, italic=True)
    sheet.merge_cells("A2:E2")
    headers = ["序号", "重点任务", "本单位角色", "牵头单位", "目标与时限"]
    for col, text in enumerate(headers, start=1):
        cell = sheet.cell(3, col, text)
        cell.font = Font(name=_FONT, bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center")
    row = 4
    for task in matrix.tasks:
        role = matrix.role(task, column)
        if not role:
            continue
        leads = [c.heading for c in matrix.columns if matrix.role(task, c) == Assignment.Role.LEAD]
        targets = "\n".join(t.describe() for t in task.targets.all())
        values: list[int | str] = [task.number, task.text, ROLE_LABELS[role], "、".join(leads), targets]
        for col, value in enumerate(values, start=1):
            cell = sheet.cell(row, col, value)
            cell.border = _BORDER
            cell.font = Font(name=_FONT, size=10)
            cell.alignment = Alignment(
                wrap_text=True, vertical="center", horizontal="center" if col in (1, 3) else None
            )
        # About 34 characters a line in the task column and 17 in the targets column.
        lines = max(len(task.text) // 34 + 1, sum(len(line) // 17 + 1 for line in targets.splitlines()))
        sheet.row_dimensions[row].height = max(30, 15 * lines)
        row += 1
    for letter, width_chars in zip("ABCDE", (6, 56, 10, 18, 32), strict=True):
        sheet.column_dimensions[letter].width = width_chars
    sheet.freeze_panes = "A4"
    sheet.print_title_rows = "3:3"
    _fit_to_page_width(sheet)


def _fit_to_page_width(sheet: Worksheet) -> None:
    """Landscape, as wide as one page, as many pages long as it takes."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def _sheet_name(label: str, taken: set[str]) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\, unique in the book."""
    base = "".join(ch for ch in label if ch not in "[]:*?/\\")[:28] or "单位"
    name, n = base, 2
    while name in taken:
        name = f"{base[:26]}({n})"
        n += 1
    taken.add(name)
    return name
