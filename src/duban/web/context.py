from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from duban.accounts.access import access_for
from duban.indicators.models import DataValue, Facility
from duban.plans.selectors import plan_current_or_none


def site(request: HttpRequest) -> dict[str, Any]:
    """What every page's frame needs: the plan in view and whether it shows sample data."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    plan = plan_current_or_none()
    # Both are asked every time, so that a page's query count does not depend on the data.
    sample_facilities = Facility.objects.filter(is_sample=True).exists()
    sample_figures = DataValue.objects.filter(is_sample=True).exists()
    sample = sample_facilities or sample_figures
    return {"current_plan": plan, "shows_sample_data": sample, "access": access_for(request.user)}
