"""``duban bench indicators`` at a tiny scale: every figure is printed, DuckDB agrees, nothing is left behind."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from rich.console import Console

from duban.tools.bench.indicators import bench_indicators

ROWS = (
    "Hainan full computation",
    "generation",
    "full computation (recompute)",
    "values written",
    "peak memory (RSS, sampled)",
    "naive ORM loop, per value",
    "duban full computation, per value",
    "speed-up over the naive loop",
    "naive loop agrees with duban",
    "DuckDB, facility indicators",
    "duban engine, same indicators",
    "duban ÷ DuckDB (compute)",
    "DuckDB sample equals duban",
    "refresh after one change",
    "refreshed values as expected",
)


def _leftovers() -> set[str]:
    """Benchmark databases (PostgreSQL) or files (SQLite) that outlived a run."""
    from pathlib import Path

    from django.conf import settings

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE 'duban_bench%%'")
            return {name for (name,) in cursor.fetchall()}
    return {p.name for p in (Path(settings.VAR_DIR) / "bench").glob("duban_bench_*")}


@pytest.mark.django_db(transaction=True)
def test_bench_prints_every_figure_and_duckdb_agrees() -> None:
    pytest.importorskip("duckdb")
    before = _leftovers()
    out = io.StringIO()
    assert bench_indicators(scale=0.002, runs=1, console=Console(file=out, width=250)) == 0
    text = out.getvalue()
    table = text[text.index("duban bench indicators —", text.index("refresh after one data value")) :]
    for name in ROWS:
        assert name in table, name
    duckdb_row = next(line for line in table.splitlines() if "DuckDB sample equals duban" in line)
    assert "met" in duckdb_row and "NOT met" not in duckdb_row, duckdb_row
    for name in ("naive loop agrees with duban", "refreshed values as expected"):
        row = next(line for line in table.splitlines() if name in line)
        assert "NOT met" not in row, row
    # The benchmark ran elsewhere: the test database is untouched and no benchmark database is left.
    from duban.orgs.models import OrgUnit

    assert not OrgUnit.objects.exists()
    assert _leftovers() == before
