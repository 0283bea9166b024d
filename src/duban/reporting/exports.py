"""A round's state as an Excel workbook for the office: completion by unit and by task, and the late list —
the tables the office passes on in its bulletins."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from duban.reporting.selectors import OfficeRound


def office_round_xlsx(data: OfficeRound) -> bytes:
    if data.round is None:
        raise ValueError("no round")
    book = Workbook()
    title = f"{data.round.plan.title} · {data.round.title}（截止 {data.round.due.isoformat()}）"
    units = book.active
    assert isinstance(units, Worksheet)
    units.title = "按单位"
    _table(
        units,
        title,
        ["单位代码", "单位", "应报", "已报", "已通过", "完成率（%）"],
        [[c.key, c.label, c.total, c.submitted, c.accepted, round(c.percent, 1)] for c in data.by_unit],
        (12, 36, 8, 8, 8, 12),
    )
    _table(
        book.create_sheet("按任务"),
        title,
        ["任务", "任务内容", "应报", "已报", "已通过", "完成率（%）"],
        [[int(c.key), c.label, c.total, c.submitted, c.accepted, round(c.percent, 1)] for c in data.by_task],
        (8, 60, 8, 8, 8, 12),
    )
    _table(
        book.create_sheet("逾期未报"),
        title,
        ["单位代码", "单位", "未报送的任务", "项数", "逾期天数", "已提醒次数"],
        [
            [
                late.unit.code,
                late.unit.name,
                "、".join(str(t.assignment.task.number) for t in late.tasks),
                len(late.tasks),
                late.days_overdue,
                late.reminders,
            ]
            for late in data.late
        ],
        (12, 36, 50, 8, 10, 12),
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _table(sheet: Worksheet, title: str, header: list[str], rows: list[list[object]], widths: tuple[int, ...]) -> None:
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A3"
