"""Command-line shells over the registry services: ``duban import-orgs``, ``add-alias``."""

from __future__ import annotations

import argparse

from rich.console import Console

from duban.orgs.services import alias_add, org_import_file


def cmd_import_orgs(args: argparse.Namespace, console: Console) -> int:
    summary = org_import_file(path=args.file)
    console.print(
        f"{args.file}：新增 {summary.created}，更新 {summary.updated}，未变 {summary.unchanged}，"
        f"新增别名 {summary.aliases_added}。",
        soft_wrap=True,
    )
    return 0


def cmd_add_alias(args: argparse.Namespace, console: Console) -> int:
    alias = alias_add(name=args.name, code=args.code)
    console.print(f"已添加别名：{alias.name} → {alias.unit.name}（{alias.unit.code}）", soft_wrap=True)
    return 0
