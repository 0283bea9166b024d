"""The shared cast of the test suite: the loaded Hainan registry and the imported Hainan plan."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "src" / "duban" / "samples" / "hainan_yilao_yixiao_2021.txt"


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
