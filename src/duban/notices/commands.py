"""Command-line shell over the reminder run: ``duban remind``."""

from __future__ import annotations

import argparse
from datetime import date

from django.utils import timezone
from rich.console import Console
from rich.table import Table

from duban.notices.services import remind_run

# A first run on an old plan can raise thousands of notices; cron mails the output, so the table stops here
# and the summary still counts them all.
MAX_ROWS = 200


def cmd_remind(args: argparse.Namespace, console: Console) -> int:
    """``duban remind [--dry-run] [--today DATE]``: create the due, overdue, returned and escalation notices
    not yet made, send them, retry earlier failures, and say what happened."""
    today = date.fromisoformat(args.today) if args.today else timezone.localdate()
    report = remind_run(today=today, dry_run=args.dry_run)

    title = f"催报 {today.isoformat()}" + ("（演练，未发送）" if report.dry_run else "")
    if report.notices:
        table = Table(title=title)
        for heading in ("类型", "单位", "轮次", "对象", "收件人"):
            table.add_column(heading, overflow="fold")
        for item in report.notices[:MAX_ROWS]:
            recipients = "、".join(str(r) for r in item.recipients) or "（无地址，仅站内通知）"
            table.add_row(item.kind_zh, item.unit.name, str(item.round), item.audience_zh, recipients)
        console.print(table)
        if len(report.notices) > MAX_ROWS:
            console.print(f"… 另有 {len(report.notices) - MAX_ROWS} 条通知未列出", soft_wrap=True)

    if report.dry_run:
        console.print(
            f"演练：将新建通知 {len(report.notices)} 条，另有 {report.waiting} 条投递待重试；"
            "未发送、未记录任何内容 (dry run: nothing was sent or recorded)。",
            soft_wrap=True,
        )
        return 0

    for failure in report.failed:
        console.print(f"  发送失败：{failure.address} — {failure.error}", markup=False, soft_wrap=True)
    console.print(
        f"新建通知 {len(report.notices)} 条，发送成功 {report.sent}，失败 {len(report.failed)}（将在下次运行时重试）。",
        soft_wrap=True,
    )
    if report.given_up:
        console.print(
            f"[yellow]其中 {len(report.given_up)} 条已尝试 {report.given_up[0].attempts} 次仍失败，不再自动重试，"
            "请在管理后台“投递记录”中核对地址。[/yellow]",
            soft_wrap=True,
        )
    return 0
