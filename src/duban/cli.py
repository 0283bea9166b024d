"""The ``duban`` command: one entry point, a subcommand per job.

Subcommands that need no database (``parse``, ``bench parse``) never import Django, so they start fast
and work without a configured database.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from rich.console import Console

from duban.core.django_setup import require_initialised, setup_django
from duban.core.errors import UserError
from duban.core.output import print_json

EXIT_USAGE = 2


def _stderr() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def fail(message: str) -> int:
    _stderr().print(f"error: {message}", markup=False)
    return EXIT_USAGE


# ------------------------------------------------------------------------------------------- parse


def cmd_parse(args: argparse.Namespace) -> int:
    # The parser's imports (some 150 ms) are paid only by the commands that parse.
    from duban.taskdoc import DocumentError, parse_file

    try:
        document = parse_file(args.file)
    except DocumentError as exc:
        return fail(str(exc))
    from duban.taskdoc.render import explanation, render_document

    if args.format == "json":
        print_json(document.to_dict())
        if args.explain:  # the JSON keeps its contract; the explanation goes beside it
            _stderr().print(explanation(document))
    else:
        render_document(document, Console(highlight=False), explain=args.explain)
    return 0


# -------------------------------------------------------------------------------------------- demo

DEMO_SQLITE = "demo.sqlite3"


def _use_demo_database() -> None:
    """Point duban at the demonstration database; settings read it when Django starts, so this comes first."""
    if not os.environ.get("DATABASE_URL"):
        os.environ.setdefault("DUBAN_SQLITE_NAME", DEMO_SQLITE)


def cmd_demo(args: argparse.Namespace) -> int:
    _use_demo_database()
    setup_django()
    # Imported once Django is set up: the tools load models at import time.
    from duban.tools import bootstrap

    console = Console(highlight=False)
    seconds = bootstrap.demo_build(console=console, rebuild=args.rebuild)
    console.print(f"演示数据库已就绪，用时 {seconds:.1f} 秒。", soft_wrap=True)
    url = f"http://{args.host}:{args.port}/"
    bootstrap.print_logins(console, url)
    if args.no_serve:
        return 0
    return bootstrap.serve(host=args.host, port=args.port)


# ------------------------------------------------------------------------------------------- bench


def cmd_bench(args: argparse.Namespace) -> int:
    console = Console(highlight=False)
    if args.what == "parse":
        # The parser's imports are paid only by the commands that parse; none of them loads Django.
        from duban.tools.bench.parse import bench_corpus, bench_parse

        if args.corpus:
            return bench_corpus(folders=[Path(folder) for folder in args.corpus], output=args.format, console=console)
        return bench_parse(runs=args.runs, tasks=args.tasks, console=console)
    if args.what == "web":
        _use_demo_database()
    setup_django()
    # Imported once Django is set up: the tools load models at import time.
    if args.what == "web":
        from duban.tools.bench.web import bench_web

        return bench_web(users=args.users, seconds=args.seconds, console=console)
    from duban.tools.bench.indicators import bench_indicators

    return bench_indicators(scale=args.scale, runs=args.runs, console=console)


# -------------------------------------------------------------------------------- database commands


def _database_command(name: str, *, needs_schema: bool = True) -> Callable[[argparse.Namespace], int]:
    """A handler that starts Django, checks the schema, runs ``<app>.commands.<name>`` and turns a
    user's mistake into ``error: …`` with exit status 2."""

    def run(args: argparse.Namespace) -> int:
        setup_django()
        module_name, function_name = name.split(":")
        module = importlib.import_module(module_name)
        try:
            if needs_schema:
                require_initialised()
            result: int = getattr(module, function_name)(args, Console(highlight=False))
            return result
        except UserError as exc:
            return fail(str(exc))

    return run


def _iso_date(text: str) -> str:
    try:
        date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"不是日期：{text}，应写作 2021-11-12 (not an ISO date)") from exc
    return text


# ------------------------------------------------------------------------------------------ manage


def cmd_manage(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")
    # Django is imported by the commands that use it, so that ``parse`` starts without it.
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
    p.add_argument(
        "--explain",
        action="store_true",
        help="also say how the document was read: its layouts, the year it is for, the rules it stated",
    )
    p.set_defaults(handler=cmd_parse)

    p = sub.add_parser("demo", help="build the demonstration (Hainan plan, census, sample data) and serve it")
    p.add_argument("--no-serve", action="store_true", help="build the database and exit")
    p.add_argument("--rebuild", action="store_true", help="build the demonstration database afresh")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser("bench", help="measure speed and print the figures")
    p.add_argument("what", choices=("parse", "indicators", "web"))
    p.add_argument("--runs", type=int, default=7, help="runs per measurement (the median is shown)")
    p.add_argument("--tasks", type=int, default=2000, help="tasks in the generated large document")
    p.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="indicators: size of the generated country (1.0 = 31 provinces, 500,000 facilities)",
    )
    p.add_argument(
        "--corpus",
        action="append",
        metavar="DIR",
        help="parse: score the parser on the hand-labelled documents in DIR (NAME.* beside NAME.expected.json); "
        "may be given more than once",
    )
    p.add_argument("--format", choices=("table", "json"), default="table", help="parse --corpus: how to print")
    p.add_argument("--users", type=int, default=20, help="web: concurrent users")
    p.add_argument("--seconds", type=float, default=30, help="web: how long to measure")
    p.set_defaults(handler=cmd_bench)

    p = sub.add_parser("init", help="create the database and load the bundled registry (safe to run twice)")
    p.set_defaults(handler=_database_command("duban.tools.bootstrap:cmd_init", needs_schema=False))

    p = sub.add_parser(
        "import-orgs",
        help="add or update units and areas, renames and collectives from CSV or XLSX files (docs/formats.md)",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="a CSV file or an XLSX workbook (one table per sheet)")
    p.set_defaults(handler=_database_command("duban.orgs.commands:cmd_import_orgs"))

    p = sub.add_parser("add-alias", help="teach the registry another name for a unit")
    p.add_argument("name", help="the name as documents write it")
    p.add_argument("code", help="the unit's code in the registry")
    p.set_defaults(handler=_database_command("duban.orgs.commands:cmd_add_alias"))

    p = sub.add_parser("import-plan", help="parse a task table and store it as a plan with assignments")
    p.add_argument("file")
    p.add_argument("--format", choices=("json", "text"), default="text")
    p.add_argument("--map", metavar="FILE", help="CSV or XLSX with columns name,code for names the registry lacks")
    p.add_argument("--revises", type=int, metavar="PLAN", help="import as a new revision of plan PLAN")
    p.add_argument("--region", default="460000", help="the region whose units the plan names (default 460000)")
    p.add_argument("--issued-on", type=_iso_date, metavar="DATE", help="the date the plan was issued")
    p.add_argument("--issuing-body", metavar="NAME", help="印发机关")
    p.add_argument("--document-number", metavar="NUMBER", help="文号, e.g. 琼府办〔2021〕42号")
    p.set_defaults(handler=_database_command("duban.plans.commands:cmd_import_plan"))

    p = sub.add_parser("plan-drafts", help="the plans uploaded on the import page; --purge DAYS deletes stale ones")
    p.add_argument("--purge", type=int, metavar="DAYS", help="delete drafts untouched for DAYS days, never imported")
    p.set_defaults(handler=_database_command("duban.plans.commands:cmd_plan_drafts"))

    p = sub.add_parser("assignments", help="list who does what: task, unit, role")
    p.add_argument("--plan", type=int, help="plan id (default: the newest)")
    p.add_argument("--unit", help="a unit's code or any of its names")
    p.add_argument("--format", choices=("json", "text"), default="text")
    p.set_defaults(handler=_database_command("duban.plans.commands:cmd_assignments"))

    p = sub.add_parser("matrix", help="the responsibility matrix: tasks × units")
    p.add_argument("--plan", type=int, help="plan id (default: the newest)")
    p.add_argument("--format", choices=("xlsx", "csv", "text"), default="text")
    p.add_argument("--out", metavar="FILE", help="write to FILE (needed for xlsx on a terminal)")
    p.add_argument("--unit", help="only the tasks of this unit (code or name)")
    p.add_argument("--role", choices=("lead", "responsible", "support", "local"), help="only this role")
    p.set_defaults(handler=_database_command("duban.plans.commands:cmd_matrix"))

    p = sub.add_parser("import-data", help="load statistical data values from CSV or XLSX (docs/formats.md)")
    p.add_argument("file")
    p.add_argument("--check", action="store_true", help="only check the file and show what would change")
    p.add_argument("--no-compute", action="store_true", help="do not recompute indicators afterwards")
    p.set_defaults(handler=_database_command("duban.indicators.commands:cmd_import_data"))

    p = sub.add_parser("import-facilities", help="load the facility registry from CSV or XLSX (docs/formats.md)")
    p.add_argument("file")
    p.add_argument("--check", action="store_true", help="only check the file and show what would change")
    p.add_argument("--no-compute", action="store_true", help="do not recompute indicators afterwards")
    p.set_defaults(handler=_database_command("duban.indicators.commands:cmd_import_facilities"))

    p = sub.add_parser("import-jobs", help="the import page's jobs; --run runs the pending ones here")
    p.add_argument("--run", action="store_true", help="run the pending jobs (and mark stopped ones failed)")
    p.add_argument("--watch", type=float, metavar="SECONDS", help="keep running pending jobs, every SECONDS")
    p.set_defaults(handler=_database_command("duban.indicators.commands:cmd_import_jobs"))

    p = sub.add_parser("compute", help="recompute every indicator of the newest plan")
    p.set_defaults(handler=_database_command("duban.indicators.commands:cmd_compute"))

    p = sub.add_parser("indicators", help="indicator values with targets and status")
    p.add_argument("--plan", type=int, help="plan id (default: the newest)")
    p.add_argument("--indicator", metavar="CODE")
    p.add_argument("--org", metavar="CODE", help="a unit's code or name")
    p.add_argument("--period", metavar="P", help="2025, 2025Q4 or 2025-12")
    p.add_argument("--format", choices=("json", "table", "xlsx"), default="table")
    p.add_argument("--out", metavar="FILE", help="file for --format xlsx")
    p.set_defaults(handler=_database_command("duban.indicators.commands:cmd_indicators"))

    p = sub.add_parser("status", help="every target at province and jurisdiction level, with its status")
    p.add_argument("--plan", type=int, help="plan id (default: the newest)")
    p.add_argument("--period", metavar="P", help="assess as of this period's end (default: today)")
    p.add_argument("--format", choices=("json", "table"), default="table")
    p.set_defaults(handler=_database_command("duban.indicators.commands:cmd_status"))

    p = sub.add_parser("shares", help="share a province target among the jurisdictions (目标分解), or list shares")
    p.add_argument("target", nargs="?", metavar="TARGET", help="a task number or an indicator code")
    p.add_argument("--plan", type=int, help="plan id (default: the newest)")
    p.add_argument("--method", choices=("equal", "need", "table"), help="set the shares: equal, by need, or --file")
    p.add_argument("--file", metavar="FILE", help="CSV or XLSX with the columns 单位, 份额 (for --method table)")
    p.add_argument("--format", choices=("json", "table"), default="table")
    p.set_defaults(handler=_database_command("duban.indicators.commands:cmd_shares"))

    p = sub.add_parser("rounds", help="create the quarterly reporting rounds of the newest plan and list them")
    p.add_argument("--plan", type=int, help="plan id (default: the newest)")
    p.add_argument("--since", type=_iso_date, help="from this day's quarter (default: the one before --until's)")
    p.add_argument("--until", type=_iso_date, help="create rounds up to this day (default: today)")
    p.set_defaults(handler=_database_command("duban.reporting.commands:cmd_rounds"))

    p = sub.add_parser("tasks", help="every task's status in a reporting round (任务状态), with the reason")
    p.add_argument("--plan", type=int, help="plan id (default: the newest)")
    p.add_argument("--round", metavar="R", help="the round: its period (2026Q3), title or id (default: latest due)")
    p.add_argument("--format", choices=("json", "table"), default="table")
    p.set_defaults(handler=_database_command("duban.reporting.commands:cmd_tasks"))

    p = sub.add_parser("user-add", help="create an account for a unit's staff or the supervising office")
    p.add_argument("username")
    p.add_argument("--unit", required=True, help="the unit's code or name")
    p.add_argument(
        "--role",
        action="append",
        required=True,
        choices=("reporter", "approver", "office", "leader"),
        help="repeat for several roles",
    )
    p.add_argument("--email")
    p.add_argument("--name", help="the person's name as shown in the records")
    p.add_argument("--password", help="(default: asked for)")
    p.set_defaults(handler=_database_command("duban.accounts.commands:cmd_user_add"))

    p = sub.add_parser("remind", help="send due, overdue and returned-report reminders once each (for cron)")
    p.add_argument("--dry-run", action="store_true", help="list what would be sent; send and record nothing")
    p.add_argument("--today", type=_iso_date, help="act as if today were this day (default: today)")
    p.set_defaults(handler=_database_command("duban.notices.commands:cmd_remind"))

    p = sub.add_parser("manage", help="run a Django management command (migrate, createsuperuser …)")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(handler=cmd_manage)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except BrokenPipeError:
        # The reader (``| head``) has gone; stop quietly as Unix tools do.
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
