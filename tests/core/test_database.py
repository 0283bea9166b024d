"""The database is the one ``DATABASE_URL`` names, and it really answers."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper

from duban import settings as duban_settings


def test_engine_follows_database_url() -> None:
    url = os.environ.get("DATABASE_URL", "")
    engine = settings.DATABASES["default"]["ENGINE"]
    if url.startswith(("postgres://", "postgresql://")):
        assert engine == "django.db.backends.postgresql"
    elif not url:
        assert engine == "django.db.backends.sqlite3"


def test_sqlite_default_lives_under_var(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("DUBAN_SQLITE_NAME", raising=False)
    monkeypatch.setattr(duban_settings, "VAR_DIR", tmp_path / "var")
    database = duban_settings._database_from_env()
    assert database == {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(tmp_path / "var" / "duban.sqlite3"),
        "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        "TEST": {"NAME": str(tmp_path / "var" / f"test-{os.getpid()}-duban.sqlite3")},
    }
    assert (tmp_path / "var").is_dir()


def test_two_sqlite_transactions_that_read_then_write_wait_for_each_other(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, django_db_blocker: Any
) -> None:
    """With SQLite's default (deferred) transactions, the second of two that read and then write fails at
    once with "database is locked"; the default database's settings make it wait its turn instead."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setattr(duban_settings, "VAR_DIR", tmp_path)
    database = duban_settings._database_from_env()
    database.update(TIME_ZONE=None, CONN_MAX_AGE=0, CONN_HEALTH_CHECKS=False, AUTOCOMMIT=True)
    failures: list[BaseException] = []

    def bump() -> None:
        db = DatabaseWrapper(dict(database), alias="worker")
        try:
            # as transaction.atomic() begins a transaction on SQLite
            db.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
            with db.cursor() as cursor:
                cursor.execute("SELECT n FROM counter")
                (n,) = cursor.fetchone()
                time.sleep(0.2)  # the other transaction reads meanwhile
                cursor.execute("UPDATE counter SET n = %s", [n + 1])
            db.commit()
        except BaseException as exc:  # the failure is what the test looks for
            failures.append(exc)
        finally:
            db.close()

    with django_db_blocker.unblock():
        setup = DatabaseWrapper(dict(database), alias="setup")
        with setup.cursor() as cursor:
            cursor.execute("CREATE TABLE counter (n INTEGER)")
            cursor.execute("INSERT INTO counter VALUES (0)")
        workers = [threading.Thread(target=bump) for _ in range(2)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        with setup.cursor() as cursor:
            cursor.execute("SELECT n FROM counter")
            total = cursor.fetchone()
        setup.close()
    assert failures == []
    assert total == (2,)  # neither update was lost


def test_postgres_url_is_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://duban@db.internal:6543/supervision")
    database = duban_settings._database_from_env()
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["PORT"], database["NAME"]) == ("db.internal", 6543, "supervision")


@pytest.mark.django_db
def test_round_trip_through_the_database() -> None:
    user_model = get_user_model()
    user_model.objects.create_user(username="海口市填报员", password="x")
    assert user_model.objects.filter(username="海口市填报员").count() == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
