"""Command-line shells over the registry services: ``duban init``, ``import-orgs``, ``add-alias``."""

from __future__ import annotations

import argparse

from rich.console import Console


def cmd_init(args: argparse.Namespace, console: Console) -> int:
    from django.core.management import call_command

    from duban.orgs.services import registry_load_bundled

    with console.status("创建数据库结构 (migrating)…"):
        call_command("migrate", verbosity=0, interactive=False)
    with console.status("载入单位与地区登记册 (loading the registry)…"):
        summary = registry_load_bundled()
    from duban.indicators.services import census_load_bundled, elements_load_bundled

    with console.status("载入统计指标与普查数据 (loading elements and the 2020 census)…"):
        elements_load_bundled()
        census = census_load_bundled()
    console.print(
        f"登记册已就绪：新增 {summary.created}，更新 {summary.updated}，未变 {summary.unchanged}，"
        f"新增别名 {summary.aliases_added}；普查数据{census.summary_zh()}。",
        soft_wrap=True,
    )
    return 0


def cmd_import_orgs(args: argparse.Namespace, console: Console) -> int:
    from duban.orgs.services import org_import_file

    summary = org_import_file(path=args.file)
    console.print(
        f"{args.file}：新增 {summary.created}，更新 {summary.updated}，未变 {summary.unchanged}，"
        f"新增别名 {summary.aliases_added}。",
        soft_wrap=True,
    )
    return 0


def cmd_add_alias(args: argparse.Namespace, console: Console) -> int:
    from duban.orgs.services import alias_add

    alias = alias_add(name=args.name, code=args.code)
    console.print(f"已添加别名：{alias.name} → {alias.unit.name}（{alias.unit.code}）", soft_wrap=True)
    return 0
