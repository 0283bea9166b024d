"""The database is the one ``DATABASE_URL`` names, and it really answers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection

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
        "OPTIONS": {"timeout": 20},
    }
    assert (tmp_path / "var").is_dir()


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
