"""The tools sit on top of the domain apps: no domain module imports ``duban.tools`` or the entry point, and
the commands that need no database start without Django."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from duban.tools.samples import sample_table_path

SRC = Path(__file__).resolve().parents[2] / "src" / "duban"
# Every package beside the tools is a domain app (orgs, plans, indicators, reporting, web …).
DOMAIN = sorted(init.parent for init in SRC.glob("*/__init__.py") if init.parent.name != "tools")


def _imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _offenders(paths: list[Path], banned: str) -> list[str]:
    return sorted(
        f"{path.relative_to(SRC)}: {name}"
        for path in paths
        for name in _imported(path)
        if name == banned or name.startswith(f"{banned}.")
    )


def test_no_domain_app_imports_the_tools() -> None:
    assert {app.name for app in DOMAIN} >= {"core", "orgs", "plans", "indicators", "reporting", "web"}
    paths = [path for app in DOMAIN for path in app.rglob("*.py")]
    assert _offenders(paths, "duban.tools") == []


def test_nothing_below_the_entry_point_imports_it() -> None:
    paths = [path for path in SRC.rglob("*.py") if path != SRC / "cli.py"]
    assert _offenders(paths, "duban.cli") == []


@pytest.mark.parametrize(
    "argv",
    [
        ["parse", str(sample_table_path()), "--format", "json"],
        ["bench", "parse", "--runs", "1", "--tasks", "8"],
    ],
    ids=["parse", "bench parse"],
)
def test_commands_without_a_database_start_without_django(argv: list[str]) -> None:
    script = (
        "import sys\n"
        "from duban.cli import main\n"
        f"code = main({argv!r})\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "sys.stderr.write(repr(loaded))\n"
        "sys.exit(code)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stderr.endswith("[]"), result.stderr
