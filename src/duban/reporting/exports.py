"""A round's state as an Excel workbook for the office: completion by unit and by task, and the late list —
the tables the office passes on in its bulletins."""

from __future__ import annotations

from duban.core.excel import Column, Sheet, workbook_bytes
from duban.reporting.selectors import OfficeRound


def office_round_xlsx(data: OfficeRound) -> bytes:
    if data.round is None:
        raise ValueError("no round")
    title = f"{data.round.plan.title} · {data.round.title}（截止 {data.round.due.isoformat()}）"

    def columns(*pairs: tuple[str, float]) -> list[Column]:
        return [Column(heading, width) for heading, width in pairs]

    counted = (("应报", 8), ("已报", 8), ("已通过", 8), ("完成率（%）", 12))
    return workbook_bytes(
        Sheet(
            "按单位",
            columns(("单位代码", 12), ("单位", 36), *counted),
            [[c.key, c.label, c.total, c.submitted, c.accepted, round(c.percent, 1)] for c in data.by_unit],
            title=title,
        ),
        Sheet(
            "按任务",
            columns(("任务", 8), ("任务内容", 60), *counted),
            [[int(c.key), c.label, c.total, c.submitted, c.accepted, round(c.percent, 1)] for c in data.by_task],
            title=title,
        ),
        Sheet(
            "逾期未报",
            columns(
                ("单位代码", 12), ("单位", 36), ("未报送的任务", 50), ("项数", 8), ("逾期天数", 10), ("已提醒次数", 12)
            ),
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
            title=title,
        ),
    )
