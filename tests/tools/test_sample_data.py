"""The demonstration's sample data: deterministic, marked as samples, and idempotent."""

from __future__ import annotations

import pytest

from duban.indicators.models import DataValue, Facility
from duban.indicators.services import census_load_bundled, elements_load_bundled
from duban.plans.models import Plan
from duban.tools.sample_data import SAMPLE_SOURCE, sample_load


@pytest.mark.django_db
def test_sample_data(seed_plan: Plan) -> None:
    elements_load_bundled()
    census_load_bundled()
    first = sample_load(plan=seed_plan)
    facilities = set(Facility.objects.values_list("facility_id", "beds", "places", "opened"))
    assert first.facilities == Facility.objects.count() > 100
    assert not Facility.objects.filter(is_sample=False).exists()
    assert set(DataValue.objects.filter(is_sample=True).values_list("source", flat=True)) == {SAMPLE_SOURCE}
    # The real census stays real.
    assert not DataValue.objects.filter(period="2020", is_sample=True).exists()
    # Every jurisdiction has an elderly university; 洋浦 has no regional centre.
    assert Facility.objects.filter(kind="elderly_university").count() == 19
    assert not Facility.objects.filter(kind="regional_center", org__code="460400499").exists()
    again = sample_load(plan=seed_plan)
    assert again.facilities == first.facilities
    assert set(Facility.objects.values_list("facility_id", "beds", "places", "opened")) == facilities
