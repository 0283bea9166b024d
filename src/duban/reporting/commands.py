"""Command-line shells over the reporting services and selectors: ``duban rounds``, ``duban tasks``."""

from __future__ import annotations

import argparse
from datetime import date

from django.utils import timezone
from rich.console import Console
from rich.table import Table

from duban.core.output import print_json
from duban.metrics.periods import previous_quarter_start
from duban.plans.selectors import plan_get
from duban.reporting.selectors import round_last_due, round_list, round_named, task_status_list
from duban.reporting.services import rounds_schedule


def cmd_rounds(args: argparse.Namespace, console: Console) -> int:
    """``duban rounds``: create the plan's quarterly reporting rounds up to ``--until`` and list them."""
    plan = plan_get(pk=args.plan)
    today = timezone.localdate()
    until = date.fromisoformat(args.until) if args.until else today
    # By default from the quarter before the last one asked for: its report falls due early in the next
    # quarter, and rounds from before duban was in use would only show every unit as late.
    since = date.fromisoformat(args.since) if args.since else previous_quarter_start(until)
    created = rounds_schedule(plan=plan, until=until, since=since)
    table = Table(title=f"{plan.title} — 报送轮次 (reporting rounds)")
    for column in ("轮次", "类型", "统计期", "开始", "截止"):
        table.add_column(column)
    for round_ in round_list(plan=plan):
        table.add_row(round_.title, round_.get_kind_display(), round_.period, str(round_.opens), str(round_.due))
    console.print(table)
    console.print(f"新建 {len(created)} 个轮次。", soft_wrap=True)
    return 0


def cmd_tasks(args: argparse.Namespace, console: Console) -> int:
    """``duban tasks``: every task's status in a round (任务状态) with the reason; JSON as docs/task-status.md
    describes it."""
    plan = plan_get(pk=args.plan)
    round_ = round_named(plan=plan, name=args.round) if args.round else round_last_due(plan=plan)
    rows = task_status_list(user=None, plan=plan, round_=round_)
    if args.format == "json":
        print_json([row.as_json() for row in rows])
        return 0
    where = f"{round_.title}（{round_.period}，截止 {round_.due}）" if round_ else "无报送轮次 (no round)"
    table = Table(title=f"{plan.title} — 任务状态 (task status) · {where}")
    for column, width in (("任务", 4), ("状态", 12), ("说明", 60), ("逾期未报", 8)):
        table.add_column(column, min_width=width, overflow="fold")
    for row in rows:
        j = row.judged
        table.add_row(str(row.task.number), j.label_zh, j.reason_zh, str(len(j.late)))
    console.print(table)
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.judged.label_zh] = counts.get(row.judged.label_zh, 0) + 1
    console.print("；".join(f"{label} {n}" for label, n in counts.items()), soft_wrap=True)
    return 0
