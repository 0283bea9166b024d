"""The data version moves with every service that changes data, and only then."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import transaction

from duban.core import dataversion
from duban.indicators.services import census_load_bundled, elements_load_bundled, indicators_recompute, targets_bind
from duban.orgs.services import alias_add
from duban.plans.models import Plan


@pytest.fixture(autouse=True)
def _always_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dataversion, "TRUST_SECONDS", -1.0)


def test_a_service_write_moves_the_version(registry: None) -> None:
    before = dataversion.data_version()
    alias_add(name="省民政", code="HI-MZT")
    after = dataversion.data_version()
    assert int(after) > int(before)
    # Teaching the same name again changes nothing, and the version stays.
    alias_add(name="省民政", code="HI-MZT")
    assert dataversion.data_version() == after


def test_a_write_that_is_rolled_back_leaves_it(registry: None) -> None:
    before = dataversion.data_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        alias_add(name="省民政", code="HI-MZT")
        raise RuntimeError("refused")
    assert dataversion.data_version() == before


def test_a_reader_trusts_what_it_read_for_a_while(registry: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dataversion, "TRUST_SECONDS", 3600.0)
    dataversion.forget_data_version()
    seen = dataversion.data_version()
    # Another process's change (a row written behind this process's back) shows only after the trust runs out.
    dataversion.DataChange.objects.create(what="elsewhere")
    assert dataversion.data_version() == seen
    dataversion.forget_data_version()
    assert int(dataversion.data_version()) > int(seen)


def test_binding_and_computing_move_it(seed_plan: Plan) -> None:
    elements_load_bundled()
    census_load_bundled()
    before = dataversion.data_version()
    targets_bind(plan=seed_plan)
    bound = dataversion.data_version()
    assert int(bound) > int(before)
    indicators_recompute(plan=seed_plan, until=date(2025, 12, 31))
    assert int(dataversion.data_version()) > int(bound)
