"""``duban init`` and ``duban demo``: a new database with what ships with duban, and the demonstration.

``init`` creates the schema and loads the bundled registry, data elements and 2020 census; running it again
changes nothing. The demonstration's build loads the registry, imports the bundled Hainan table, loads the
real 2020 census, generates sample facilities and figures for 2021–2025 (marked as samples everywhere they
are shown), computes indicators and creates one login per role. A second run reuses the database;
``--rebuild`` builds it afresh. It is served with a production server.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.core.management import call_command
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

from duban.accounts.services import membership_set
from duban.indicators.selectors import share_targets
from duban.indicators.services import (
    census_load_bundled,
    elements_load_bundled,
    indicators_recompute,
    target_shares_set,
    targets_bind,
)
from duban.metrics.periods import previous_quarter_start
from duban.orgs.models import OrgUnit
from duban.orgs.services import registry_load_bundled
from duban.plans.models import Plan
from duban.plans.services import plan_import_file
from duban.reporting.models import ReportingRound
from duban.reporting.selectors import figure_elements, round_assignments
from duban.reporting.services import (
    report_accept,
    report_save,
    report_sign_off,
    report_start,
    report_submit,
    rounds_schedule,
)
from duban.tools.sample_data import sample_load
from duban.tools.samples import sample_table_path

# ------------------------------------------------------------------------------------------- init


def cmd_init(args: argparse.Namespace, console: Console) -> int:
    with console.status("创建数据库结构 (migrating)…"):
        call_command("migrate", verbosity=0, interactive=False)
    with console.status("载入单位与地区登记册 (loading the registry)…"):
        summary = registry_load_bundled()
    with console.status("载入统计指标与普查数据 (loading elements and the 2020 census)…"):
        elements_load_bundled()
        census = census_load_bundled()
    console.print(
        f"登记册已就绪：新增 {summary.created}，更新 {summary.updated}，未变 {summary.unchanged}，"
        f"新增别名 {summary.aliases_added}；普查数据{census.summary_zh()}。",
        soft_wrap=True,
    )
    return 0


# ------------------------------------------------------------------------------------------- demo


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str
    unit_code: str
    roles: tuple[str, ...]


LOGINS = (
    DemoLogin("office", "duban-office", "省发展改革委 督办办公室（全部权限）", "HI-FGW", ("office",)),
    DemoLogin("leader", "duban-leader", "领导（只读）", "HI-FGW", ("leader",)),
    DemoLogin("minzheng", "duban-minzheng", "省民政厅 填报员（牵头单位）", "HI-MZT", ("reporter",)),
    DemoLogin("minzheng-shenhe", "duban-minzheng", "省民政厅 审核人", "HI-MZT", ("approver",)),
    DemoLogin("haikou", "duban-haikou", "海口市 填报员", "460100", ("reporter",)),
    DemoLogin("haikou-shenhe", "duban-haikou", "海口市 审核人", "460100", ("approver",)),
    DemoLogin("sanya", "duban-sanya", "三亚市 填报员", "460200", ("reporter",)),
)


def demo_build(*, console: Console, rebuild: bool) -> float:
    """Build (or reuse) the demonstration database. Returns the seconds it took."""
    started = time.perf_counter()
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console) as progress:
        step = progress.add_task("创建数据库结构 (migrating)…", total=None)
        call_command("migrate", verbosity=0, interactive=False)
        if rebuild:
            call_command("flush", verbosity=0, interactive=False)
        if Plan.objects.exists() and not rebuild:
            progress.update(step, description="沿用已建好的演示数据库 (reusing the demo database)")
            return time.perf_counter() - started
        _build(progress, step)
        progress.update(step, description="收集静态资源 (collecting assets)…")
        call_command("collectstatic", verbosity=0, interactive=False)
    return time.perf_counter() - started


def _build(progress: Progress, step: TaskID) -> None:
    progress.update(step, description="载入单位与地区登记册 (registry)…")
    registry_load_bundled()
    elements_load_bundled()
    progress.update(step, description="载入2020年人口普查数据 (census)…")
    census_load_bundled()
    progress.update(step, description="导入海南省分工表 (plan)…")
    plan = plan_import_file(path=sample_table_path()).plan
    progress.update(step, description="生成示例机构与数据 (sample data)…")
    sample_load(plan=plan)
    targets_bind(plan=plan)
    progress.update(step, description="计算指标 (indicators)…")
    indicators_recompute(plan=plan, until=max(date.today(), date(2025, 12, 31)))
    progress.update(step, description="分解全省目标到市县 (shares)…")
    for share_target in share_targets(plan=plan):
        target_shares_set(share_target=share_target, method="need", by=None)
    users = get_user_model()
    for login in LOGINS:
        user = users.objects.filter(username=login.username).first() or users(username=login.username)
        user.set_password(login.password)
        user.is_staff = user.is_superuser = "office" in login.roles
        user.email = f"{login.username}@demo.invalid"
        user.save()
        membership_set(user=user, unit=OrgUnit.objects.get(code=login.unit_code), roles=list(login.roles))
    progress.update(step, description="建立报送轮次与示例报告 (reporting rounds)…")
    rounds_schedule(plan=plan, until=date.today(), since=previous_quarter_start(date.today()))
    _sample_reports(plan)


def _sample_reports(plan: Plan) -> None:
    """The last round that is already due, half done: 海口 has reported on every task, 省民政厅 has reported on
    the tasks it leads and the office has accepted them; the other units are late, so the office's late list
    and the reminders have something to show. Texts say they are samples."""
    users = {u.username: u for u in get_user_model().objects.all()}
    round_ = ReportingRound.objects.filter(plan=plan, due__lt=date.today()).order_by("-due").first()
    if round_ is None:
        return
    for unit, reporter, approver in (("460100", "haikou", "haikou-shenhe"), ("HI-MZT", "minzheng", "minzheng-shenhe")):
        for assignment in round_assignments(round_).filter(unit__code=unit).select_related("task", "unit"):
            report = report_start(round_=round_, assignment=assignment, by=users[reporter])
            figures = {code: 1000 for code in figure_elements(assignment, round_)}
            fields = {
                "progress": "in_progress",
                "done": f"（示例）{assignment.unit.name}本季度围绕任务{assignment.task.number}推进了相关工作。",
                "next_steps": "（示例）下季度继续推进。",
                "figures": figures,
            }
            report = report_save(report=report, by=users[reporter], expected_version=report.version, fields=fields)
            report = report_submit(report=report, by=users[reporter], expected_version=report.version)
            report = report_sign_off(report=report, by=users[approver], expected_version=report.version)
            if unit == "HI-MZT" and not report.figures:
                report_accept(report=report, by=users["office"], expected_version=report.version)


def print_logins(console: Console, url: str) -> None:
    console.print(f"\n[bold]duban 演示[/bold]：{url}", soft_wrap=True)
    console.print("页面中的机构与统计数据为示例数据（随机生成），人口为2020年普查实数。", soft_wrap=True)
    for login in LOGINS:
        console.print(
            f"  {login.role}：用户名 [bold]{login.username}[/bold]  密码 [bold]{login.password}[/bold]", soft_wrap=True
        )


def server_command(*, host: str, port: int, workers: int = 3, threads: int = 4, log: bool = True) -> list[str]:
    """gunicorn with threaded workers: a page is mostly waiting on the database and the cache."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "duban.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread",
    ]
    return [*command, "--access-logfile", "-"] if log else command


def server_environment(host: str) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")
    env["DUBAN_STATIC_COLLECTED"] = "1"
    # Listening on every interface means answering to any name the machine is reached by.
    hosts = {"127.0.0.1", "localhost"} | ({"*"} if host in ("0.0.0.0", "::") else {host})
    env["DUBAN_ALLOWED_HOSTS"] = ",".join(sorted(hosts))
    return env


def serve(*, host: str, port: int) -> int:
    """Run gunicorn in the foreground (Ctrl-C stops it)."""
    try:
        return subprocess.call(server_command(host=host, port=port), env=server_environment(host))
    except KeyboardInterrupt:
        return 0
