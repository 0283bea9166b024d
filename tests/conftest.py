"""The shared cast of the test suite: the loaded Hainan registry and the imported Hainan plan."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "src" / "duban" / "tools" / "samples" / "hainan_yilao_yixiao_2021.txt"


@pytest.fixture
def registry(db: None) -> None:
    from duban.orgs.services import registry_load_bundled

    registry_load_bundled()


@pytest.fixture
def seed_plan(registry: None):  # type: ignore[no-untyped-def]
    from duban.plans.services import plan_import_file

    return plan_import_file(path=SEED).plan


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache: pages and statuses cached by an earlier test's data must not
    answer for this one's."""
    from django.core.cache import cache

    from duban.web import pagecache

    cache.clear()
    pagecache._version = (0.0, "")


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
