"""Command-line shells over the reporting services."""

from __future__ import annotations

import argparse
from datetime import date

from rich.console import Console
from rich.table import Table

from duban.core.errors import UserError


def cmd_rounds(args: argparse.Namespace, console: Console) -> int:
    """``duban rounds``: create the plan's quarterly reporting rounds up to ``--until`` and list them."""
    from django.utils import timezone

    from duban.metrics.periods import previous_quarter_start
    from duban.plans.selectors import plan_get
    from duban.reporting.selectors import round_list
    from duban.reporting.services import rounds_schedule

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


def cmd_user_add(args: argparse.Namespace, console: Console) -> int:
    """``duban user-add``: an account for a unit's staff or the office."""
    import getpass

    from duban.accounts.services import user_create
    from duban.orgs.selectors import unit_find

    unit = unit_find(code_or_name=args.unit)
    if unit is None:
        raise UserError(f"找不到单位“{args.unit}”：请写单位代码或登记册中的名称 (unknown unit)")
    password = args.password or getpass.getpass(f"{args.username} 的密码：")
    if len(password) < 8:
        raise UserError("密码至少 8 位 (password too short)")
    user = user_create(
        username=args.username,
        password=password,
        unit=unit,
        roles=args.role,
        email=args.email or "",
        full_name=args.name or "",
    )
    console.print(f"已创建用户 {user.username}：{unit.name}，角色 {'、'.join(args.role)}。", soft_wrap=True)
    return 0
