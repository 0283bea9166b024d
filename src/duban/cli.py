"""The ``duban`` command: one entry point, a subcommand per job.

Subcommands that need no database (``parse``, ``bench parse``) never import Django, so they start fast
and work without a configured database.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path

from rich.console import Console

EXIT_USAGE = 2


def _stderr() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def fail(message: str) -> int:
    _stderr().print(f"error: {message}", markup=False)
    return EXIT_USAGE


def sample_table_path() -> Path:
    """The bundled Hainan table (促进养老托育服务健康发展重点任务分工表)."""
    return Path(str(resources.files("duban.samples").joinpath("hainan_yilao_yixiao_2021.txt")))


# ------------------------------------------------------------------------------------------- parse


def cmd_parse(args: argparse.Namespace) -> int:
    from duban.taskdoc import DocumentError, parse_file

    try:
        document = parse_file(args.file)
    except DocumentError as exc:
        return fail(str(exc))
    if args.format == "json":
        json.dump(document.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        from duban.taskdoc.render import render_document

        render_document(document, Console(highlight=False))
    return 0


# -------------------------------------------------------------------------------------------- demo


def cmd_demo(args: argparse.Namespace) -> int:
    from duban.taskdoc import parse_file
    from duban.taskdoc.render import render_document

    console = Console(highlight=False)
    path = sample_table_path()
    document = parse_file(path)
    render_document(document, console)
    by_role: dict[str, int] = {}
    for task in document.tasks:
        for unit in task.units:
            by_role[unit.role] = by_role.get(unit.role, 0) + 1
    units = {u.name for t in document.tasks for u in t.units}
    console.print(
        f"[bold]示例分工表[/bold]：{len(document.tasks)} 项任务，{len(units)} 个责任单位，"
        f"{sum(len(t.targets) for t in document.tasks)} 个目标；"
        f"牵头 {by_role.get('lead', 0)}、负责 {by_role.get('responsible', 0)}、"
        f"配合 {by_role.get('support', 0)}、属地 {by_role.get('local', 0)} 处分工。",
        soft_wrap=True,
    )
    return 0


# ------------------------------------------------------------------------------------------- bench


def cmd_bench(args: argparse.Namespace) -> int:
    from duban.bench import bench_parse

    if args.what == "parse":
        return bench_parse(runs=args.runs, tasks=args.tasks, console=Console(highlight=False))
    return fail(f"unknown benchmark {args.what!r}")


# ------------------------------------------------------------------------------------------ manage


def cmd_manage(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["duban manage", *args.rest])
    return 0


# -------------------------------------------------------------------------------------------- main


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="duban",
        description="督办 duban — from a task-division table (重点任务分工表) to a supervision platform.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("parse", help="read a task table (.txt .docx .xlsx .html .pdf) and print its tasks")
    p.add_argument("file", help="the document to read")
    p.add_argument("--format", choices=("json", "text"), default="text")
    p.set_defaults(handler=cmd_parse)

    p = sub.add_parser("demo", help="show duban on the bundled Hainan table")
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser("bench", help="measure speed and print the figures")
    p.add_argument("what", choices=("parse",))
    p.add_argument("--runs", type=int, default=7, help="runs per measurement (the median is shown)")
    p.add_argument("--tasks", type=int, default=2000, help="tasks in the generated large document")
    p.set_defaults(handler=cmd_bench)

    p = sub.add_parser("manage", help="run a Django management command (migrate, createsuperuser …)")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(handler=cmd_manage)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())
