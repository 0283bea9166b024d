"""What the reporting tests share: the 2022Q3 round of the seed plan, with its targets bound to indicators so
that local jurisdictions are asked for figures."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from duban.reporting.models import ReportingRound


@pytest.fixture
def round_(cast: Any) -> ReportingRound:
    from duban.indicators.services import elements_load_bundled, targets_bind
    from duban.reporting.services import rounds_schedule

    elements_load_bundled()
    targets_bind(plan=cast.plan)
    rounds_schedule(plan=cast.plan, until=date(2022, 9, 30), since=date(2022, 7, 1))
    return ReportingRound.objects.get(plan=cast.plan, period="2022Q3")
