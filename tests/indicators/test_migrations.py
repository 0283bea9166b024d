"""Values computed before the series storage are carried over by the migration that introduced it."""

from __future__ import annotations

import math
from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("indicators", "0001_initial")]
AFTER = [("indicators", "0002_indicator_series")]


@pytest.mark.django_db(transaction=True)
def test_stored_values_become_series() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    unit = apps.get_model("orgs", "OrgUnit").objects.create(
        code="460100", name="海口市", kind="area", level="jurisdiction"
    )
    value = apps.get_model("indicators", "IndicatorValue")
    for period, end, num, den, reason in [
        ("2021Q4", date(2021, 12, 31), 4000.0, 356892.0, "ok"),
        ("2021", date(2021, 12, 31), 4000.0, 356892.0, "ok"),
        ("2022Q1", date(2022, 3, 31), None, None, "no_data"),
    ]:
        value.objects.create(
            indicator="beds_per_1000_elderly",
            org=unit,
            period=period,
            period_end=end,
            numerator=num,
            denominator=den,
            value=None if num is None else num / den * 1000,
            reason=reason,
        )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    from duban.indicators.models import IndicatorSeries

    series = IndicatorSeries.objects.get(indicator="beds_per_1000_elderly", org_id=unit.pk)
    points = series.points()
    assert [p.period for p in points] == ["2021", "2021Q4", "2022Q1"]  # a year before its fourth quarter
    assert math.isclose(points[1].value or 0, 4000 / 356892 * 1000)
    assert (points[2].value, points[2].numerator, points[2].reason) == (None, None, "no_data")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
