"""Command-line shells over the indicator services: imports, ``indicators`` and ``status``."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.utils import timezone
from rich.console import Console
from rich.table import Table

from duban.core.errors import UserError
from duban.core.excel import Column, Sheet, workbook_bytes
from duban.core.output import print_json
from duban.indicators.selectors import (
    import_job_is_stale,
    import_jobs_recent,
    indicator_missing_areas,
    indicator_rows,
    share_target_find,
    share_targets,
    status_rows,
)
from duban.indicators.services import (
    ComputeReport,
    ImportReport,
    data_import_file,
    facility_import_file,
    indicators_after_import,
    indicators_recompute,
    share_rows_from_file,
    target_shares_set,
    targets_bind,
)
from duban.indicators.services.jobs import import_jobs_run_pending
from duban.metrics.definitions import load_definitions
from duban.metrics.periods import Period
from duban.orgs.models import OrgUnit
from duban.orgs.selectors import unit_find
from duban.plans.models import Plan
from duban.plans.selectors import plan_current_or_none, plan_get


def _newest_plan(plan_id: int | None = None) -> Plan:
    return plan_get(pk=plan_id)


def _refresh(console: Console, org_ids: set[int] | None) -> None:
    """Bring the stored indicator values up to date for the newest plan, if there is one."""
    with console.status("计算指标 (computing indicators)…"):
        if org_ids is None:
            plan = plan_current_or_none()
            if plan is None:
                return
            targets_bind(plan=plan)
            report: ComputeReport | None = indicators_recompute(plan=plan)
        else:
            report = indicators_after_import(org_ids=org_ids)
    if report is not None:
        console.print(f"指标已更新：{report.values} 个指标值。", soft_wrap=True)


def _print_import(console: Console, name: str, report: ImportReport) -> None:
    console.print(f"{name}：{report.summary_zh()}。", soft_wrap=True)
    if report.warnings:
        console.print(f"[yellow]请核对 {len(report.warnings)} 处数据 (warnings):[/yellow]")
        for warning in report.warnings[:50]:
            console.print(f"  · {warning}", markup=False, soft_wrap=True)
        if len(report.warnings) > 50:
            console.print(f"  … 另有 {len(report.warnings) - 50} 处")


def _import(args: argparse.Namespace, console: Console, load: Callable[..., ImportReport]) -> int:
    """Load a file, print what changed and what to check, and bring the indicators up to date; with
    ``--check`` only say what the import would do (nothing is written)."""
    report = load(path=args.file, dry_run=args.check)
    _print_import(console, args.file, report)
    if args.check:
        console.print("文件无误，以上为导入后的结果；未写入任何数据 (--check: nothing written)。", soft_wrap=True)
    elif not args.no_compute:
        _refresh(console, report.orgs)
    return 0


def cmd_import_data(args: argparse.Namespace, console: Console) -> int:
    return _import(args, console, data_import_file)


def cmd_import_facilities(args: argparse.Namespace, console: Console) -> int:
    return _import(args, console, facility_import_file)


def cmd_import_jobs(args: argparse.Namespace, console: Console) -> int:
    """``duban import-jobs [--run] [--watch SECONDS]``: the import page's jobs; with ``--run`` the pending ones
    are run here (where the web process does not run them itself, ``DUBAN_IMPORT_RUNNER=command``), and jobs
    whose process went away are marked failed; ``--watch`` keeps doing so every SECONDS."""
    while True:
        if args.run or args.watch:
            for job in import_jobs_run_pending():
                console.print(f"导入任务 {job.pk} {job.file_name}：{job.get_state_display()}", soft_wrap=True)
        if not args.watch:
            break
        time.sleep(args.watch)
    table = Table(title="导入任务 (import jobs)")
    for heading in ("编号", "类型", "文件", "状态", "进度", "上传人", "上传时间"):
        table.add_column(heading, overflow="fold")
    now = timezone.now()
    for job in import_jobs_recent():
        state = "已中断" if import_job_is_stale(job, now=now) else job.get_state_display()
        table.add_row(
            str(job.pk),
            job.get_kind_display(),
            job.file_name,
            state,
            f"{job.progress}%",
            job.created_by.get_username() if job.created_by else "",
            f"{timezone.localtime(job.created_at):%Y-%m-%d %H:%M}",
        )
    console.print(table)
    return 0


def cmd_compute(args: argparse.Namespace, console: Console) -> int:
    _refresh(console, None)
    return 0


def cmd_indicators(args: argparse.Namespace, console: Console) -> int:
    plan = _newest_plan(args.plan)
    org = unit_find(code_or_name=args.org) if args.org else None
    if args.org and org is None:
        raise UserError(f"单位 {args.org} 不在登记册中 (unknown unit)")
    if args.period:
        try:
            Period.parse(args.period)
        except ValueError as exc:
            raise UserError(str(exc)) from exc
    rows = indicator_rows(plan=plan, indicator=args.indicator, org=org, period=args.period)
    if args.indicator and not rows and args.indicator not in {i.code for i in load_definitions()}:
        raise UserError(f"指标 {args.indicator} 不存在 (unknown indicator)")
    if args.format == "json":
        print_json(rows)
    elif args.format == "xlsx":
        data = _xlsx(rows)
        if not args.out:
            raise UserError("XLSX 需用 --out 指定文件名 (use --out FILE)")
        Path(args.out).write_bytes(data)
        console.print(f"已写入 {args.out}（{len(rows)} 行）")
    else:
        table = Table(title=f"{plan.title} — 指标")
        for heading in ("指标", "单位", "统计期", "数值", "目标", "状态", "预计"):
            table.add_column(heading, overflow="fold")
        for row in rows:
            table.add_row(
                row["indicator"],
                row["org_name"],
                row["period"],
                _fmt(row["value"]) if row["value"] is not None else _why(row["reason"]),
                f"{row['comparator']}{_fmt(row['target'])}" if row["target"] is not None else "",
                row["status"] or "",
                _fmt(row["projected"]),
            )
        console.print(table)
    _say_missing_areas(plan, args.indicator)
    return 0


def _say_missing_areas(plan: Plan, only: str | None) -> None:
    """An indicator made of areas the registry lacks says so (on stderr, so that JSON stays JSON)."""
    levels = dict(OrgUnit.Level.choices)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    for indicator in load_definitions():
        if only and indicator.code != only:
            continue
        for measure in indicator_missing_areas(indicator=indicator, region=plan.region):
            kinds = "、".join(measure.area_types) or "不限"
            err.print(
                f"注意：指标 {indicator.code} 需要{levels.get(measure.level, measure.level)}（区划类型：{kinds}），"
                f"登记册中{plan.region.name}之下没有，无从计算，并非没有报送数据 (no area of its kind in the "
                "registry)",
                markup=False,
            )


def cmd_status(args: argparse.Namespace, console: Console) -> int:
    plan = _newest_plan(args.plan)
    targets_bind(plan=plan)
    try:
        as_of = Period.parse(args.period).end if args.period else None
    except ValueError as exc:
        raise UserError(str(exc)) from exc
    rows = status_rows(plan=plan, as_of=as_of)
    if args.format == "json":
        print_json([row.as_json() for row in rows])
        return 0
    table = Table(title=f"{plan.title} — 目标进度")
    for heading in ("任务", "目标", "单位", "状态", "说明"):
        table.add_column(heading, overflow="fold")
    for row in rows:
        table.add_row(str(row.task), row.subject, row.org_name, row.status_zh, row.reason_zh)
    console.print(table)
    return 0


def cmd_shares(args: argparse.Namespace, console: Console) -> int:
    """The targets that can be shared among the jurisdictions; one target's shares; or set them."""
    plan = _newest_plan(args.plan)
    if args.target is None:
        table = Table(title=f"{plan.title} — 可分解的目标")
        for heading in ("任务", "指标", "目标", "已分解", "合计"):
            table.add_column(heading, overflow="fold")
        for item in share_targets(plan=plan):
            target = item.target
            table.add_row(
                str(target.task.number),
                item.indicator.code,
                f"{target.comparator}{_fmt(float(target.value or 0))} {item.indicator.unit}",
                str(len(item.shares)),
                _fmt(item.total),
            )
        console.print(table)
        return 0
    found = share_target_find(plan=plan, key=args.target)
    if found is None:
        raise UserError(f"未知目标“{args.target}”：请用 duban shares 列出的任务序号或指标代码")
    if args.method is not None:
        if args.method == "table" and not args.file:
            raise UserError("--method table 需要 --file（CSV 或 XLSX，列：单位, 份额）")
        rows = None
        if args.file:
            path = Path(args.file)
            if not path.is_file():
                raise UserError(f"{path}: 文件不存在 (no such file)")
            rows = share_rows_from_file(data=path.read_bytes(), name=str(path))
        target_shares_set(share_target=found, method=args.method, by=None, rows=rows)
        found = share_target_find(plan=plan, key=args.target)
        assert found is not None
    shares = [
        {"org_code": s.org.code, "org_name": s.org.name, "share": s.value, "count": s.count, "basis": s.basis}
        for s in found.shares
    ]
    if args.format == "json":
        print_json(
            {
                "indicator": found.indicator.code,
                "target": float(found.target.value or 0),
                "total": found.total,
                "shares": shares,
            }
        )
        return 0
    table = Table(
        title=f"任务{found.target.task.number} {found.target.subject}：各市县份额（合计 {_fmt(found.total)}）"
    )
    for heading in ("单位", "份额", "分子", "分母"):
        table.add_column(heading)
    for s in found.shares:
        table.add_row(s.org.name, _fmt(s.value), _fmt(s.count), _fmt(s.basis))
    console.print(table)
    return 0


def _fmt(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _why(reason: str) -> str:
    return {"no_data": "暂无数据", "not_applicable": "不适用"}.get(reason, "")


_XLSX_COLUMNS = (
    ("指标", "indicator", 30),
    ("单位代码", "org_code", 12),
    ("单位", "org_name", 24),
    ("统计期", "period", 10),
    ("数值", "value", 12),
    ("分子", "numerator", 12),
    ("分母", "denominator", 12),
    ("目标", "target", 10),
    ("比较", "comparator", 6),
    ("完成时限", "deadline", 12),
    ("状态", "status", 12),
    ("预计", "projected", 12),
)


def _xlsx(rows: list[dict[str, Any]]) -> bytes:
    columns = [Column(heading, width) for heading, _, width in _XLSX_COLUMNS]
    values = [[row[key] for _, key, _ in _XLSX_COLUMNS] for row in rows]
    return workbook_bytes(Sheet("指标", columns, values))
