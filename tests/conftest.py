"""The shared cast of the test suite: the loaded Hainan registry and the imported Hainan plan."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "src" / "duban" / "tools" / "samples" / "hainan_yilao_yixiao_2021.txt"


class _Snapshot:
    """Rows a fixture wrote, kept after its first build and written back by plain INSERTs afterwards.

    Loading the registry and importing the seed plan takes about 0.4 s through the services, and a hundred
    tests start from them; inserting the same rows again takes a few milliseconds. The first build still goes
    through the real services, so the snapshot is exactly what they write (the rows above each table's last
    key before the build); every test rolls its transaction back as before.
    """

    def __init__(self) -> None:
        self.tables: list[tuple[str, list[str], list[tuple[object, ...]]]] = []
        self.models: list[Any] = []

    @staticmethod
    def _last_keys() -> dict[Any, Any]:
        from django.apps import apps
        from django.db.models import Max

        models = apps.get_models(include_auto_created=True)  # with the many-to-many tables
        return {model: model.objects.aggregate(last=Max("pk"))["last"] for model in models}

    def build(self, action: Callable[[], object]) -> None:
        from django.db import connection

        before = self._last_keys()
        action()
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            for model, last in before.items():
                # Rows the action added: above the last key, or all of them in a table it found empty.
                key = quote(model._meta.pk.column)
                where, params = (f" WHERE {key} > %s", [last]) if last is not None else ("", [])
                cursor.execute(f"SELECT * FROM {quote(model._meta.db_table)}{where}", params)
                rows = [tuple(r) for r in cursor.fetchall()]
                if rows:
                    self.tables.append((model._meta.db_table, [c[0] for c in cursor.description], rows))
                    self.models.append(model)

    def restore(self) -> None:
        from django.core.management.color import no_style
        from django.db import connection

        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            # Foreign keys are deferred to the end of the transaction on both databases, so order is free.
            for table, columns, rows in self.tables:
                names = ", ".join(quote(c) for c in columns)
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)
            # PostgreSQL's sequences do not see explicit keys; SQLite's AUTOINCREMENT does.
            for statement in connection.ops.sequence_reset_sql(no_style(), self.models):
                cursor.execute(statement)


_snapshots: dict[str, _Snapshot] = {}


def _from_snapshot(name: str, action: Callable[[], object]) -> None:
    snapshot = _snapshots.get(name)
    if snapshot is None:
        snapshot = _Snapshot()
        snapshot.build(action)
        _snapshots[name] = snapshot
    else:
        snapshot.restore()


@pytest.fixture
def registry(db: None) -> None:
    """The bundled Hainan registry, as ``registry_load_bundled`` writes it."""
    from duban.orgs.services import registry_load_bundled

    _from_snapshot("registry", registry_load_bundled)


@pytest.fixture
def seed_plan(registry: None):  # type: ignore[no-untyped-def]
    """The seed plan imported from the sample table, as ``plan_import_file`` writes it."""
    from duban.plans.models import Plan
    from duban.plans.services import plan_import_file

    _from_snapshot("seed_plan", lambda: plan_import_file(path=SEED))
    return Plan.objects.get()


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache: pages and statuses cached by an earlier test's data must not
    answer for this one's."""
    from django.core.cache import cache

    from duban.core.dataversion import forget_data_version

    cache.clear()
    forget_data_version()


class Cast:
    """The reporting cast: 省发展改革委 as the supervising office, a read-only leader, 省民政厅 (lead of several
    tasks) with a reporter and an approver, 海口市 with a reporter and an approver, and 三亚市's reporter — the
    outsider in every test about 海口's reports."""

    def __init__(self, plan) -> None:  # type: ignore[no-untyped-def]
        from duban.accounts.services import user_create
        from duban.orgs.models import OrgUnit

        def unit(code: str) -> OrgUnit:
            return OrgUnit.objects.get(code=code)

        self.plan = plan
        self.office = user_create(username="office", password="pw-office", unit=unit("HI-FGW"), roles=["office"])
        self.leader = user_create(username="leader", password="pw-leader", unit=unit("HI-FGW"), roles=["leader"])
        self.minzheng = user_create(
            username="minzheng", password="pw-minzheng", unit=unit("HI-MZT"), roles=["reporter"], email="mz@example.org"
        )
        self.minzheng_approver = user_create(
            username="minzheng-approver", password="pw-mz-approver", unit=unit("HI-MZT"), roles=["approver"]
        )
        self.haikou = user_create(
            username="haikou", password="pw-haikou", unit=unit("460100"), roles=["reporter"], email="hk@example.org"
        )
        self.haikou_approver = user_create(
            username="haikou-approver",
            password="pw-hk-approver",
            unit=unit("460100"),
            roles=["approver"],
            email="hk-approver@example.org",
        )
        self.sanya = user_create(username="sanya", password="pw-sanya", unit=unit("460200"), roles=["reporter"])


@pytest.fixture
def cast(seed_plan):  # type: ignore[no-untyped-def]
    return Cast(seed_plan)


@pytest.fixture
def round_(cast: Cast):  # type: ignore[no-untyped-def]
    """The 2022Q3 round of the seed plan, with its targets bound to indicators so that local jurisdictions are
    asked for figures (the notices tests keep a round of their own)."""
    from datetime import date

    from duban.indicators.services import elements_load_bundled, targets_bind
    from duban.reporting.models import ReportingRound
    from duban.reporting.services import rounds_schedule

    elements_load_bundled()
    targets_bind(plan=cast.plan)
    rounds_schedule(plan=cast.plan, until=date(2022, 9, 30), since=date(2022, 7, 1))
    return ReportingRound.objects.get(plan=cast.plan, period="2022Q3")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):  # type: ignore[no-untyped-def]
    """Hashing a password the production way takes a third of a second; the tests create dozens of users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def office_admin(db: None):  # type: ignore[no-untyped-def]
    """A superuser of the supervising office, signed in to the admin."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    user = get_user_model().objects.create_superuser("省督办办公室", password="x")
    client = Client()
    client.force_login(user)
    return client
