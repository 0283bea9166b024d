"""Command-line shells over the registry services: ``duban import-orgs``, ``add-alias``."""

from __future__ import annotations

import argparse

from rich.console import Console

from duban.orgs.services import alias_add, registry_import_files


def cmd_import_orgs(args: argparse.Namespace, console: Console) -> int:
    result = registry_import_files(paths=args.files)
    console.print(f"已导入 {'、'.join(args.files)}：", soft_wrap=True, markup=False)
    for line in result.lines() or ["没有任何变化。"]:
        console.print(line, soft_wrap=True, markup=False)
    for warning in result.warnings:
        console.print(f"注意：{warning}", soft_wrap=True, markup=False)
    return 0


def cmd_add_alias(args: argparse.Namespace, console: Console) -> int:
    alias = alias_add(name=args.name, code=args.code)
    console.print(f"已添加别名：{alias.name} → {alias.unit.name}（{alias.unit.code}）", soft_wrap=True)
    return 0
