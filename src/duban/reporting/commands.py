"""Command-line shell over the reporting services: ``duban rounds``."""

from __future__ import annotations

import argparse
from datetime import date

from django.utils import timezone
from rich.console import Console
from rich.table import Table

from duban.metrics.periods import previous_quarter_start
from duban.plans.selectors import plan_get
from duban.reporting.selectors import round_list
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
