"""Binding targets to indicators, and computing and storing the indicator values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from duban.core.dataversion import data_changed
from duban.indicators import incremental, loading
from duban.indicators.models import TargetBinding
from duban.indicators.selectors import plan_start
from duban.metrics.definitions import Indicator, load_definitions
from duban.metrics.periods import reporting_periods
from duban.plans.models import Plan, Target
from duban.plans.selectors import plan_current_or_none


def targets_bind(*, plan: Plan, indicators: list[Indicator] | None = None) -> list[TargetBinding]:
    """Bind each quantity target of ``plan`` to the indicator whose ``binds`` names its subject."""
    indicators = indicators or load_definitions()
    by_subject = {subject: ind.code for ind in indicators for subject in ind.binds}
    bound = []
    with transaction.atomic():
        for target in Target.objects.filter(task__plan=plan, kind=Target.Kind.QUANTITY):
            code = by_subject.get(target.subject)
            if code is None:
                continue
            binding, _ = TargetBinding.objects.update_or_create(target=target, defaults={"indicator": code})
            bound.append(binding)
        if bound:
            data_changed(what="bind-targets")
    return bound


@dataclass
class ComputeReport:
    values: int
    indicators: int
    periods: int
    units: int


def indicators_recompute(*, plan: Plan, until: date | None = None, org_ids: set[int] | None = None) -> ComputeReport:
    """Compute every indicator for every unit and period and store the values.

    With ``org_ids`` only the values of those units and the units above them are rewritten (after an import
    that touched only them); the computation itself still sees the whole region, because a total needs all
    of its parts.
    """
    start = plan_start(plan)
    deadlines = Target.objects.filter(task__plan=plan, deadline__isnull=False).order_by("-deadline").first()
    end = max(until or date.today(), deadlines.deadline if deadlines and deadlines.deadline else start)
    periods = reporting_periods(start=start, end=end)
    data = loading.load_region(plan=plan, start=start)
    results = data.engine.compute(data.indicators, periods)
    only = data.with_ancestors(org_ids) if org_ids is not None else None
    rows = loading.series_rows(data, results, only=only)
    loading.write_series(rows, replacing=only if only is not None else data.stored_org_ids)
    data_changed(what="compute")
    return ComputeReport(len(rows) * len(periods), len(data.indicators), len(periods), len(data.tree))


def indicators_refresh(*, plan: Plan, org_ids: set[int]) -> ComputeReport:
    """Bring the stored values of ``org_ids`` and every unit above them up to date after a change there:
    the jurisdictions concerned are recomputed and the units above corrected by the difference
    (``incremental``); where that cannot be exact, the region is recomputed."""
    with transaction.atomic():
        written = incremental.refresh(plan=plan, org_ids=org_ids, start=plan_start(plan))
        if written is not None:
            data_changed(what="refresh")
    if written is None:
        return indicators_recompute(plan=plan, org_ids=org_ids)
    return ComputeReport(written, 0, 0, 0)


def indicators_after_import(*, org_ids: set[int]) -> ComputeReport | None:
    """After a data or facility import: bind the current plan's targets and recompute the values of the units
    the import touched (and the units above them). None when there is no plan yet."""
    plan = plan_current_or_none()
    if plan is None:
        return None
    targets_bind(plan=plan)
    return indicators_recompute(plan=plan, org_ids=org_ids)
