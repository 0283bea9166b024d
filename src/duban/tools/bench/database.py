"""The indicator benchmark's own database, and the bulk loads into it.

The run builds a database of its own (a new PostgreSQL database on the server ``DATABASE_URL`` names, or a
new SQLite file under ``var/bench/``) and drops it at the end: a benchmark that wrote into the user's
database would mix 500,000 invented facilities into real supervision data. Rows go in with COPY or
``executemany`` so that generation does not dominate.
"""

from __future__ import annotations

import contextlib
import copy
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Model
from django.db.utils import load_backend
from rich.console import Console
from rich.progress import Progress

from duban.indicators import loading
from duban.indicators.models import DataValue, Facility
from duban.orgs.models import OrgUnit


@contextlib.contextmanager
def bench_database(console: Console) -> Iterator[tuple[str, str]]:
    """Point Django's default connection at a new, migrated database for the block, then drop it.

    The default alias is swapped rather than a second alias added, because the services and ``loading``
    use ``django.db.connection`` and the ORM's default database. The user's connection object is kept
    aside untouched (an in-memory SQLite test database would vanish if it were closed) and put back.
    """
    original = connections[DEFAULT_DB_ALIAS]
    params = copy.deepcopy(original.settings_dict)
    vendor = original.vendor
    name = f"duban_bench_{os.getpid()}"
    path: Path | None = None
    if vendor == "postgresql":
        _postgres_admin(params, f'DROP DATABASE IF EXISTS "{name}"')
        _postgres_admin(params, f'CREATE DATABASE "{name}"')
        params["NAME"] = name
        where = f"PostgreSQL, database {name} on {params.get('HOST') or 'localhost'}:{params.get('PORT') or 5432}"
    elif vendor == "sqlite":
        folder = Path(settings.VAR_DIR) / "bench"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.sqlite3"
        _remove_sqlite(path)
        params["NAME"] = str(path)
        where = f"SQLite, {path}"
    else:
        raise RuntimeError(f"duban bench indicators supports PostgreSQL and SQLite, not {vendor}")
    bench = load_backend(params["ENGINE"]).DatabaseWrapper(params, DEFAULT_DB_ALIAS)
    connections[DEFAULT_DB_ALIAS] = bench
    # Content types are cached per alias; ids from one database must not leak into the other.
    ContentType.objects.clear_cache()
    try:
        with console.status("creating the benchmark database…"):
            call_command("migrate", database=DEFAULT_DB_ALIAS, verbosity=0, interactive=False)
        yield vendor, where
    finally:
        bench.close()
        connections[DEFAULT_DB_ALIAS] = original
        ContentType.objects.clear_cache()
        if vendor == "postgresql":
            _postgres_admin(params, f'DROP DATABASE IF EXISTS "{name}"', force=True)
        elif path is not None:
            _remove_sqlite(path)


def _postgres_admin(params: dict[str, Any], sql: str, *, force: bool = False) -> None:
    """Run CREATE/DROP DATABASE from the server's ``postgres`` database (they cannot run inside the
    database they act on, nor in a transaction)."""
    with psycopg.connect(
        dbname="postgres",
        host=params.get("HOST") or None,
        port=params.get("PORT") or None,
        user=params.get("USER") or None,
        password=params.get("PASSWORD") or None,
        autocommit=True,
    ) as admin:
        if force and admin.info.server_version >= 130000:
            sql += " WITH (FORCE)"  # a connection left behind by a failed run must not keep it alive
        admin.execute(sql.encode())


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def insert_chunked(
    table: str, columns: Sequence[str], rows: Sequence[Sequence[object]], progress: Progress, label: str
) -> None:
    task = progress.add_task(label, total=len(rows))
    step = 50_000
    for first in range(0, len(rows), step):
        chunk = rows[first : first + step]
        loading.bulk_insert(table, columns, chunk)
        progress.advance(task, len(chunk))


@contextlib.contextmanager
def indexes_deferred(*models: type[Model]) -> Iterator[None]:
    """Drop the plain secondary indexes of ``models`` for a bulk load and build them again afterwards.

    Building an index once over the loaded rows is several times faster than updating it row by row (500,000
    facilities took 24 s on SQLite with their indexes in place). Indexes that back a constraint stay.
    Both databases roll DDL back with the transaction, so a failed load leaves the schema whole.
    """
    statements: list[str] = []
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            if connection.vendor == "sqlite":
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
                    [table],
                )
            else:
                cursor.execute(
                    "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
                    "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
                    [table, table],
                )
            for name, sql in cursor.fetchall():
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
                statements.append(sql)
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # PostgreSQL refuses to index a table with deferred foreign-key checks pending: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for sql in statements:
            cursor.execute(sql)


def after_bulk_load() -> None:
    """Explicit ids leave PostgreSQL's sequences behind; statistics let the planner see the new sizes."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [OrgUnit, Facility, DataValue]):
            cursor.execute(sql)
        cursor.execute("ANALYZE")
