"""Command-line shells over the plan services: ``import-plan``, ``plan-drafts``, ``assignments``, ``matrix``."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from duban.core.errors import UserError
from duban.core.output import print_json
from duban.orgs.selectors import successors, unit_find
from duban.plans.matrix import matrix_build, matrix_csv, matrix_text, matrix_xlsx
from duban.plans.selectors import assignment_list, draft_list, plan_get
from duban.plans.services import plan_drafts_purge, plan_import_file, read_mapping
from duban.taskdoc.model import ROLE_LABELS


def cmd_import_plan(args: argparse.Namespace, console: Console) -> int:
    mapping = read_mapping(args.map) if args.map else {}
    revises = plan_get(pk=args.revises) if args.revises is not None else None
    with console.status("导入方案 (importing)…"):
        result = plan_import_file(
            path=args.file,
            mapping=mapping,
            revises=revises,
            region_code=args.region,
            issued_on=date.fromisoformat(args.issued_on) if args.issued_on else None,
            issuing_body=args.issuing_body or "",
            document_number=args.document_number or "",
        )
    counts = result.counts()
    if result.diff is not None:
        counts["revises"] = revises.pk if revises else None
        counts["diff"] = result.diff.to_dict()
    if args.format == "json":
        print_json(counts)
        return 0
    plan = result.plan
    verb = "已导入" if result.created else "未改变（同一文件已导入过）"
    by_role = counts["by_role"]
    assert isinstance(by_role, dict)
    console.print(
        f"{verb}：方案 {plan.pk}「{plan.title}」第{plan.revision}版 — {counts['tasks']} 项任务、"
        f"{counts['targets']} 个目标、{counts['assignments']} 条分工（牵头 {by_role['lead']}、"
        f"负责 {by_role['responsible']}、配合 {by_role['support']}、属地 {by_role['local']}）",
        soft_wrap=True,
    )
    if result.diff is not None:
        diff = result.diff
        if diff.is_empty():
            console.print("与上一版相比没有变化。")
        for label, numbers in (
            ("新增任务", diff.tasks_added),
            ("删除任务", diff.tasks_removed),
            ("改写任务", diff.tasks_reworded),
        ):
            if numbers:
                console.print(f"{label}：{'、'.join(str(n) for n in numbers)}", soft_wrap=True)
        for old, new in diff.tasks_renumbered:
            console.print(f"任务 {old} 改为第 {new} 项", soft_wrap=True)
        for number, names in diff.units_added.items():
            console.print(f"任务 {number} 新增单位：{'、'.join(names)}", soft_wrap=True)
        for number, names in diff.units_removed.items():
            console.print(f"任务 {number} 移除单位：{'、'.join(names)}", soft_wrap=True)
    return 0


def cmd_plan_drafts(args: argparse.Namespace, console: Console) -> int:
    """``duban plan-drafts [--purge DAYS]``: the plans uploaded on the import page and what became of them;
    ``--purge`` first deletes those untouched for DAYS days that were never imported."""
    if args.purge is not None:
        removed = plan_drafts_purge(older_than_days=args.purge)
        console.print(f"已删除 {removed} 份 {args.purge} 天未改动、未导入的草稿 ({removed} drafts purged)")
    table = Table(title="方案导入草稿 (plan drafts)")
    for heading in ("编号", "文件", "状态", "方案", "上传人", "最后修改"):
        table.add_column(heading)
    for draft in draft_list().order_by("-updated_at")[:200]:
        table.add_row(
            str(draft.pk),
            draft.source_name,
            draft.get_status_display(),
            str(draft.plan_id or ""),
            draft.created_by.get_username(),
            draft.updated_at.strftime("%Y-%m-%d %H:%M"),
        )
    console.print(table)
    return 0


def cmd_assignments(args: argparse.Namespace, console: Console) -> int:
    plan = plan_get(pk=args.plan)
    unit = None
    if args.unit:
        unit = unit_find(code_or_name=args.unit)
        if unit is None:
            raise UserError(f"单位 {args.unit} 不在登记册中 (unknown unit)")
    rows: list[dict[str, Any]] = []
    passed = successors()
    for assignment in assignment_list(plan=plan, unit=unit):
        successor = passed.get(assignment.unit_id)
        rows.append(
            {
                "task": assignment.task.number,
                "unit_code": assignment.unit.code,
                "unit_name": assignment.unit.name,
                "name_as_written": assignment.name_as_written,
                "role": assignment.role,
                "successor_code": successor.code if successor else None,
                "successor_name": successor.name if successor else None,
            }
        )
    if args.format == "json":
        print_json(rows)
        return 0
    table = Table(title=f"{plan.title} — 任务分工（{len(rows)} 条）")
    for heading in ("任务", "单位代码", "单位", "原文名称", "角色", "现承接单位"):
        table.add_column(heading, overflow="fold")
    for row in rows:
        table.add_row(
            str(row["task"]),
            str(row["unit_code"]),
            str(row["unit_name"]),
            str(row["name_as_written"]),
            ROLE_LABELS[row["role"]],
            row["successor_name"] or "",
        )
    console.print(table)
    return 0


def cmd_matrix(args: argparse.Namespace, console: Console) -> int:
    plan = plan_get(pk=args.plan)
    unit = unit_find(code_or_name=args.unit) if args.unit else None
    if args.unit and unit is None:
        raise UserError(f"单位 {args.unit} 不在登记册中 (unknown unit)")
    matrix = matrix_build(plan=plan, unit=unit, role=args.role)
    if args.format == "text":
        output: bytes = matrix_text(matrix).encode("utf-8")
    elif args.format == "csv":
        output = matrix_csv(matrix)
    else:
        output = matrix_xlsx(matrix)
    if args.out:
        Path(args.out).write_bytes(output)
        console.print(f"已写入 {args.out}（{len(matrix.tasks)} 项任务 × {len(matrix.columns)} 个单位）", soft_wrap=True)
    elif args.format == "xlsx":
        if sys.stdout.isatty():
            raise UserError("XLSX 是二进制文件，请用 --out 指定文件名 (use --out FILE for xlsx)")
        sys.stdout.buffer.write(output)
    else:
        sys.stdout.buffer.write(output)
    return 0
