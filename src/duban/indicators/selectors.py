"""Reads for indicators: the plan's start, data warnings, stored values with their targets and status.

None of them is scoped by the user, so none takes one (a selector takes the user only where it scopes by it).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import pairwise
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q, Sum
from django.http import Http404
from django.utils import timezone

from duban.core.dataversion import data_version
from duban.indicators.models import (
    DataElement,
    DataValue,
    Facility,
    ImportJob,
    IndicatorSeries,
    JurisdictionTarget,
    StoredValue,
    TargetBinding,
)
from duban.metrics.definitions import AreaMeasure, Indicator, load_definitions
from duban.metrics.periods import Period
from duban.metrics.status import (
    STATUS_LABELS_ZH,
    Assessment,
    InterimTarget,
    Observation,
    QuantityTarget,
    assess,
    assess_milestone,
    interim_targets,
)
from duban.orgs.models import OrgUnit
from duban.orgs.selectors import areas_of_kind_count
from duban.plans.models import Assignment, Plan, Target


def facility_total_on(*, org: OrgUnit, on: date, field: str, kinds: list[str]) -> float:
    """The registry's total of ``field`` for facilities of ``kinds`` in ``org`` and below, open on ``on``."""
    ids = {org.pk}
    frontier = {org.pk}
    while frontier:
        frontier = set(
            OrgUnit.objects.filter(Q(stat_parent_id__in=frontier) | Q(stat_parent__isnull=True, parent_id__in=frontier))
            .exclude(pk__in=ids)
            .values_list("pk", flat=True)
        )
        ids |= frontier
    total = (
        Facility.objects.filter(org_id__in=ids, kind__in=kinds, opened__lte=on)
        .filter(Q(closed__isnull=True) | Q(closed__gt=on))
        .aggregate(total=Sum(field))["total"]
    )
    return float(total or 0)


def plan_start(plan: Plan) -> date:
    """The day progress is measured from: the issue date, else 1 January of the year before the earliest
    deadline (a table issued without a date is due at the earliest a year after it was issued)."""
    if plan.issued_on is not None:
        return plan.issued_on
    first = Target.objects.filter(task__plan=plan, deadline__isnull=False).order_by("deadline").first()
    year = (first.deadline.year - 1) if first and first.deadline else date.today().year
    return date(year, 1, 1)


def plan_end(plan: Plan) -> date | None:
    """The plan's last deadline (None when no target has one): after its quarter the plan has nothing left
    that a quarterly round could report on."""
    last = Target.objects.filter(task__plan=plan, deadline__isnull=False).order_by("-deadline").first()
    return last.deadline if last is not None else None


def assessment_day(plan: Plan | None, today: date | None = None) -> date:
    """The day targets are judged on by default: today, or the plan's last deadline once it has passed (a
    finished plan is judged as it stood on its last day)."""
    today = today or date.today()
    end = plan_end(plan) if plan is not None else None
    return min(today, end) if end is not None else today


# 65岁及以上 ≤ 60岁及以上 ≤ 常住人口: a figure that breaks the chain cannot be right.
POPULATION_CHAIN = (("pop_65plus", "65岁及以上人口"), ("pop_60plus", "60岁及以上人口"), ("pop_total", "常住人口"))
_CHAIN_CODES = tuple(code for code, _ in POPULATION_CHAIN)
JUMP = 0.5  # a figure half again as large, or half as small, as the period before is queried


def _jumps(before: float, after: float) -> bool:
    return before > 0 and abs(after - before) / before > JUMP


def data_warnings(*, org_ids: Iterable[int] | None = None) -> list[str]:
    """Plausibility checks, reported after each import and on the dashboard (never a refusal)."""
    values = DataValue.objects.select_related("org", "element")
    if org_ids is not None:
        values = values.filter(org_id__in=list(org_ids))
    by_key: dict[tuple[int, str], dict[str, DataValue]] = {}
    series: dict[tuple[int, str, str], list[DataValue]] = {}
    for v in values.order_by("period_end"):
        by_key.setdefault((v.org_id, v.period), {})[v.element.code] = v
        series.setdefault((v.org_id, v.element.code, v.granularity), []).append(v)
    warnings: list[str] = []
    for (_, period), figures in sorted(by_key.items(), key=lambda item: (item[0][1], item[0][0])):
        org = next(iter(figures.values())).org
        for (low, low_name), (high, high_name) in pairwise(POPULATION_CHAIN):
            if low in figures and high in figures and figures[low].value > figures[high].value:
                warnings.append(
                    f"{org.name} {period}：{low_name} {figures[low].value:,.0f} 多于 {high_name} "
                    f"{figures[high].value:,.0f}"
                )
    for items in series.values():
        for before, after in pairwise(items):
            if _jumps(before.value, after.value):
                warnings.append(
                    f"{after.org.name} {after.element.name} {after.period}：{after.value:,.0f} 与上期"
                    f"（{before.period}）{before.value:,.0f} 相差超过 {JUMP:.0%}"
                )
    warnings.extend(_registry_disagreements(org_ids))
    return warnings


def _registry_disagreements(org_ids: Iterable[int] | None) -> list[str]:
    """A unit's self-reported beds or places against what the facility registry gives for the same day."""
    checks = [
        ("elderly_beds_reported", "beds", Facility.Kind.values[:5]),
        ("childcare_places_reported", "places", ["childcare"]),
    ]
    warnings = []
    reported = DataValue.objects.filter(element__code__in=[c for c, _, _ in checks]).select_related("org", "element")
    if org_ids is not None:
        reported = reported.filter(org_id__in=list(org_ids))
    for value in reported:
        _, field_name, kinds = next(c for c in checks if c[0] == value.element.code)
        registry = facility_total_on(org=value.org, on=value.period_end, field=field_name, kinds=list(kinds))
        if registry and abs(value.value - registry) / registry > 0.1:
            warnings.append(
                f"{value.org.name} {value.period}：自报{value.element.name.split('（')[0]} {value.value:,.0f}，"
                f"机构登记合计 {registry:,.0f}，相差超过 10%"
            )
    return warnings


@dataclass
class GoalFor:
    """The target an indicator is held to at one unit."""

    target: Target
    comparator: str
    value: float
    deadline: date | None
    # The unit's own share of the province's target (目标分解), rather than the target itself.
    share: bool = False


class Goals:
    """Targets by indicator and unit: the plan's target at the province (100 % of jurisdictions meeting it for a
    per-jurisdiction target seen from there); below it, a jurisdiction's own share of the target, the
    per-jurisdiction count itself (每个市县建成…) — and no target at all for a jurisdiction without a share, since
    the province's whole target is not one jurisdiction's to meet."""

    def __init__(self, plan: Plan, indicators: dict[str, Indicator]) -> None:
        self.plan = plan
        self.indicators = indicators
        self.by_indicator: dict[str, Target] = {}
        for binding in TargetBinding.objects.filter(target__task__plan=plan).select_related("target__task"):
            self.by_indicator.setdefault(binding.indicator, binding.target)
        self.own = {
            (t.target_id, t.org_id): t.value for t in JurisdictionTarget.objects.filter(target__task__plan=plan)
        }

    def for_unit(self, indicator: str, org: OrgUnit) -> GoalFor | None:
        target = self.by_indicator.get(indicator)
        if target is None or target.value is None:
            return None
        definition = self.indicators[indicator]
        if definition.share_meeting is not None:
            if org.level == OrgUnit.Level.PROVINCE:
                return GoalFor(target, ">=", 100.0, target.deadline)
            return GoalFor(target, target.comparator, float(target.value), target.deadline)
        if org.pk == self.plan.region_id:
            return GoalFor(target, target.comparator, float(target.value), target.deadline)
        share = self.own.get((target.pk, org.pk))
        if share is None:
            return None
        return GoalFor(target, target.comparator, share, target.deadline, share=True)


def stored_series(
    *, codes: list[str], org_ids: Any = None, level: str | None = None
) -> dict[tuple[str, int], list[StoredValue]]:
    """The stored values of ``codes`` by (indicator, unit pk), each list in period order; optionally only for
    ``org_ids`` (a list or a queryset of pks) or for units of one ``level``."""
    rows = IndicatorSeries.objects.filter(indicator__in=codes)
    if org_ids is not None:
        rows = rows.filter(org_id__in=org_ids)
    if level is not None:
        rows = rows.filter(org__level=level)
    return {(row.indicator, row.org_id): row.points() for row in rows}


def quarters_until(values: list[StoredValue], as_of: date) -> list[StoredValue]:
    """The quarters of a series that ended by ``as_of``: the trajectory pages draw and statuses read."""
    return [v for v in values if v.is_quarter and v.period_end <= as_of]


def _observations(values: list[StoredValue]) -> list[Observation]:
    # Quarters carry the trajectory; a year's value is its fourth quarter's and would count twice.
    return [Observation(v.period_end, v.value) for v in values if v.is_quarter and v.value is not None]


def indicator_rows(
    *,
    plan: Plan,
    indicator: str | None = None,
    org: OrgUnit | None = None,
    period: str | None = None,
) -> list[dict[str, Any]]:
    """Stored values with target, status and projection, as ``duban indicators`` prints them."""
    definitions = {i.code: i for i in load_definitions()}
    codes = [indicator] if indicator else list(definitions)
    goals = Goals(plan, definitions)
    start = plan_start(plan)
    series = stored_series(codes=codes, org_ids=[org.pk] if org else None)
    units = OrgUnit.objects.in_bulk({pk for _, pk in series})
    rows = []
    for (code, pk), values in sorted(
        series.items(), key=lambda item: (codes.index(item[0][0]), units[item[0][1]].code)
    ):
        unit = units[pk]
        observations = _observations(values)
        for value in values:
            if period is not None and value.period != period:
                continue
            goal = goals.for_unit(code, unit)
            assessment = _assess(goal, observations, value.period_end, start, definitions[code])
            rows.append(
                {
                    "indicator": code,
                    "org_code": unit.code,
                    "org_name": unit.name,
                    "period": value.period,
                    "value": value.value,
                    "numerator": value.numerator,
                    "denominator": value.denominator,
                    "reason": value.reason,
                    "target": goal.value if goal else None,
                    "comparator": goal.comparator if goal else None,
                    "deadline": goal.deadline.isoformat() if goal and goal.deadline else None,
                    "status": assessment.status if assessment else None,
                    "projected": assessment.projection.value if assessment else None,
                }
            )
    return rows


def _assess(
    goal: GoalFor | None, observations: list[Observation], as_of: date, start: date, definition: Indicator
) -> Assessment | None:
    if goal is None:
        return None
    return assess(
        observations,
        QuantityTarget(goal.comparator, goal.value, goal.deadline),
        as_of=as_of,
        plan_start=start,
        method=definition.method,
    )


@dataclass(frozen=True)
class TargetStatusRow:
    """One target of the plan at one unit (the province or one of its jurisdictions), with its status and why.

    ``measured`` says whether an indicator and a target value were there to assess it against; only then does the
    row carry figures (target, comparator, value, value_on, ratio, projected). Milestones and unmeasured targets
    have none.
    """

    task: int
    subject: str
    kind: str
    deadline: str | None
    indicator: str | None
    org_code: str
    org_name: str
    status: str
    status_zh: str
    reason: str
    reason_zh: str
    measured: bool = False
    target: float | None = None
    comparator: str | None = None
    value: float | None = None
    value_on: str | None = None
    ratio: float | None = None
    projected: float | None = None
    # What the path to the target starts from and how it bends, so that pages draw the interim targets
    # (阶段目标) the status was judged against; ``interim`` and ``interim_on`` are the one it was measured by.
    baseline: float | None = None
    baseline_on: str | None = None
    method: str = "linear"
    interim: float | None = None
    interim_on: str | None = None
    # ``target`` is the unit's own share of the province's target (目标分解).
    share: bool = False

    def interim_targets(self) -> list[InterimTarget]:
        """The interim targets of each quarter from the baseline to the deadline (none without a target)."""
        if not self.measured or self.baseline is None or self.baseline_on is None or self.target is None:
            return []
        if self.deadline is None or self.comparator is None:
            return []
        goal = QuantityTarget(self.comparator, self.target, date.fromisoformat(self.deadline))
        return interim_targets(Observation(date.fromisoformat(self.baseline_on), self.baseline), goal, self.method)

    def as_json(self) -> dict[str, Any]:
        """The row as ``duban status --format json`` prints it: figures only for a measured target, keys in the
        order the command has always printed them."""
        row: dict[str, Any] = {
            "task": self.task,
            "subject": self.subject,
            "kind": self.kind,
            "deadline": self.deadline,
            "indicator": self.indicator,
            "org_code": self.org_code,
            "org_name": self.org_name,
        }
        if self.measured:
            row |= {
                "target": self.target,
                "comparator": self.comparator,
                "value": self.value,
                "value_on": self.value_on,
            }
        row |= {"status": self.status, "status_zh": self.status_zh}
        if self.measured:
            row |= {"ratio": self.ratio, "projected": self.projected, "interim": self.interim}
        return row | {"reason": self.reason, "reason_zh": self.reason_zh}


def status_rows_cached(
    *, plan: Plan, as_of: date, milestones_done: Mapping[int, date] | None = None
) -> list[TargetStatusRow]:
    """``status_rows``, kept in the cache until the stored values change: assessing 220 trajectories on each page
    view would cost more than the page itself. Accepting a report changes the data version, so the milestones
    done (from the reports) are current too; they are in the key all the same, for a caller that passes others."""
    done = ",".join(f"{task}:{day.isoformat()}" for task, day in sorted((milestones_done or {}).items()))
    digest = hashlib.sha256(done.encode()).hexdigest()[:16]
    key = f"duban:status:{plan.pk}:{as_of.isoformat()}:{digest}:{data_version()}"
    rows: list[TargetStatusRow] | None = cache.get(key)
    if rows is None:
        rows = status_rows(plan=plan, as_of=as_of, milestones_done=milestones_done)
        cache.set(key, rows, timeout=600)
    return rows


def status_rows(
    *, plan: Plan, as_of: date | None = None, milestones_done: Mapping[int, date] | None = None
) -> list[TargetStatusRow]:
    """Every target of the plan at the province and each of its jurisdictions, with status and reason.

    ``milestones_done`` gives, by task id, the day a task was reported done (已完成, accepted): its milestones
    count as done that day. Reports are a layer above, so the caller that reads them passes the days in."""
    as_of = as_of or date.today()
    done = milestones_done or {}
    definitions = {i.code: i for i in load_definitions()}
    goals = Goals(plan, definitions)
    start = plan_start(plan)
    bound = {b.target_id: b.indicator for b in TargetBinding.objects.filter(target__task__plan=plan)}
    locals_by_task: dict[int, list[OrgUnit]] = defaultdict(list)
    for assignment in (
        Assignment.objects.filter(task__plan=plan, role=Assignment.Role.LOCAL)
        .select_related("unit")
        .order_by("unit__code")
    ):
        locals_by_task[assignment.task_id].append(assignment.unit)
    series = stored_series(codes=sorted(set(bound.values())))
    rows: list[TargetStatusRow] = []
    targets = Target.objects.filter(task__plan=plan).select_related("task").order_by("task__number", "position")
    for target in targets:
        deadline = target.deadline.isoformat() if target.deadline else None
        if target.kind == Target.Kind.MILESTONE:
            milestone = assess_milestone(deadline=target.deadline, done_on=done.get(target.task_id), as_of=as_of)
            rows.append(
                TargetStatusRow(
                    task=target.task.number,
                    subject=target.subject,
                    kind=target.kind,
                    deadline=deadline,
                    indicator=None,
                    org_code=plan.region.code,
                    org_name=plan.region.name,
                    status=milestone.status,
                    status_zh=STATUS_LABELS_ZH[milestone.status],
                    reason=milestone.reason,
                    reason_zh=milestone.reason_zh,
                )
            )
            continue
        code = bound.get(target.pk)
        for unit in [plan.region, *locals_by_task.get(target.task_id, [])]:
            goal = goals.for_unit(code, unit) if code else None
            observations = _observations(series.get((code, unit.pk), [])) if code else []
            if goal is None or code is None:
                known = [o for o in observations if o.on <= as_of]
                rows.append(_unmeasured(target, deadline, code, unit, known[-1] if known else None))
                continue
            assessment = _assess(goal, observations, as_of, start, definitions[code])
            assert assessment is not None
            latest, baseline, interim = assessment.latest, assessment.baseline, assessment.interim
            rows.append(
                TargetStatusRow(
                    task=target.task.number,
                    subject=target.subject,
                    kind=target.kind,
                    deadline=deadline,
                    indicator=code,
                    org_code=unit.code,
                    org_name=unit.name,
                    status=assessment.status,
                    status_zh=STATUS_LABELS_ZH[assessment.status],
                    reason=assessment.reason,
                    reason_zh=assessment.reason_zh,
                    measured=True,
                    target=goal.value,
                    comparator=goal.comparator,
                    value=latest.value if latest else None,
                    value_on=latest.on.isoformat() if latest else None,
                    ratio=assessment.ratio,
                    projected=assessment.projection.value,
                    baseline=baseline.value if baseline else None,
                    baseline_on=baseline.on.isoformat() if baseline else None,
                    method=assessment.method,
                    interim=interim.value if interim else None,
                    interim_on=interim.on.isoformat() if interim else None,
                    share=goal.share,
                )
            )
    return rows


def _unmeasured(
    target: Target, deadline: str | None, code: str | None, unit: OrgUnit, latest: Observation | None = None
) -> TargetStatusRow:
    # A jurisdiction the province's target has not been shared with: its figure, and no target of its own.
    unshared = code is not None and unit.level != OrgUnit.Level.PROVINCE
    if unshared:
        status_zh, reason = "未分解目标", "the province's target has not been shared out to this unit"
        reason_zh = "全省目标尚未分解到本单位，不设本单位目标"
    else:
        status_zh, reason_zh = STATUS_LABELS_ZH["no_data"], "暂无对应指标"
        reason = "no indicator measures this target" if code is None else "no target value"
    return TargetStatusRow(
        task=target.task.number,
        subject=target.subject,
        kind=target.kind,
        deadline=deadline,
        indicator=code,
        org_code=unit.code,
        org_name=unit.name,
        status="no_data",
        status_zh=status_zh,
        reason=reason,
        reason_zh=reason_zh,
        value=latest.value if unshared and latest else None,
        value_on=latest.on.isoformat() if unshared and latest else None,
    )


# ------------------------------------------------------------------------------------------- import jobs


def import_job_is_stale(job: ImportJob, *, now: datetime | None = None) -> bool:
    """Under way but without news for longer than any import takes (``IMPORT_STALE_MINUTES``): the process that
    ran it has stopped, or nobody has picked it up."""
    now = now or timezone.now()
    limit = now - timedelta(minutes=settings.IMPORT_STALE_MINUTES)
    if job.state == ImportJob.State.RUNNING:
        return job.heartbeat_at is None or job.heartbeat_at < limit
    if job.state == ImportJob.State.QUEUED:
        return job.confirmed_at is None or job.confirmed_at < limit
    return False


def import_jobs_stale(*, now: datetime | None = None) -> list[ImportJob]:
    under_way = ImportJob.objects.filter(state__in=[ImportJob.State.RUNNING, ImportJob.State.QUEUED])
    return [job for job in under_way.defer("content") if import_job_is_stale(job, now=now)]


def import_jobs_recent(*, limit: int = 20) -> list[ImportJob]:
    """The newest import jobs with who uploaded and confirmed them (the file's bytes left unread)."""
    return list(ImportJob.objects.defer("content").select_related("created_by", "confirmed_by")[:limit])


def import_job_get(*, pk: int) -> ImportJob:
    job = ImportJob.objects.defer("content").select_related("created_by", "confirmed_by").filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


def indicator_missing_areas(*, indicator: Indicator, region: OrgUnit) -> list[AreaMeasure]:
    """The counts of areas an indicator is made of (乡镇 of the types 镇/乡 …) that find no area of their kind
    under the region: the indicator cannot be computed there, which pages and commands say rather than show
    an empty result as if no figure had come in."""
    measures = [m for m in (indicator.numerator, indicator.denominator) if isinstance(m, AreaMeasure)]
    return [
        m
        for m in dict.fromkeys(AreaMeasure(m.level, m.area_types) for m in measures)
        if not areas_of_kind_count(region=region, level=m.level, area_types=m.area_types)
    ]


# ------------------------------------------------------------------------------- shares (目标分解)

# What a count target's need is measured by when its indicator has no denominator of its own: the older people
# its services are for (every count target of the bundled plan is an elderly-care one).
COUNT_NEED_ELEMENT = "pop_60plus"


@dataclass(frozen=True)
class ShareTarget:
    """A province target that can be shared among the jurisdictions, its indicator and its current shares."""

    target: Target
    indicator: Indicator
    shares: list[JurisdictionTarget]

    @property
    def total(self) -> float | None:
        """What the shares add up to, as the target is written (None without shares)."""
        if not self.shares:
            return None
        counts = sum(s.count if s.count is not None else s.value for s in self.shares)
        if not self.indicator.is_rate:
            return counts
        bases = sum(s.basis or 0.0 for s in self.shares)
        return counts * self.indicator.scale / bases if bases else None


def share_targets(*, plan: Plan) -> list[ShareTarget]:
    """The plan's targets that can be shared out: quantity targets with a value, measured by an indicator that is
    not already a per-jurisdiction count (每个市县建成…, which every jurisdiction meets on its own)."""
    defs = {i.code: i for i in load_definitions()}
    shares: dict[int, list[JurisdictionTarget]] = defaultdict(list)
    for share in JurisdictionTarget.objects.filter(target__task__plan=plan).select_related("org").order_by("org__code"):
        shares[share.target_id].append(share)
    found = []
    for binding in (
        TargetBinding.objects.filter(target__task__plan=plan, target__value__isnull=False)
        .select_related("target__task")
        .order_by("target__task__number", "target__position")
    ):
        indicator = defs.get(binding.indicator)
        if indicator is None or indicator.share_meeting is not None:
            continue
        found.append(ShareTarget(binding.target, indicator, shares.get(binding.target_id, [])))
    return found


def share_target_find(*, plan: Plan, key: str) -> ShareTarget | None:
    """A shareable target by its id, its task's number (when the task has one such target) or its indicator's
    code."""
    targets = share_targets(plan=plan)
    by_code = [t for t in targets if t.indicator.code == key]
    if by_code:
        return by_code[0]
    if key.isdigit():
        by_task = [t for t in targets if t.target.task.number == int(key)]
        if len(by_task) == 1:
            return by_task[0]
    return None


def share_target_get(*, plan: Plan, pk: int) -> ShareTarget:
    found = next((t for t in share_targets(plan=plan) if t.target.pk == pk), None)
    if found is None:
        raise Http404
    return found


def plan_jurisdictions(*, plan: Plan) -> list[OrgUnit]:
    """The jurisdictions the plan has work for locally (属地), in code order: those a target is shared among."""
    local = Assignment.objects.filter(task__plan=plan, role=Assignment.Role.LOCAL).values("unit_id")
    return list(OrgUnit.objects.filter(pk__in=local).order_by("code"))


@dataclass(frozen=True)
class ShareBasis:
    """What a jurisdiction's share is sized on: its basis (the rate's denominator, or its need) and its current
    numerator, each the latest known."""

    unit: OrgUnit
    basis: float | None
    current: float


def share_bases(*, indicator: Indicator, units: list[OrgUnit], start: date) -> list[ShareBasis]:
    """Each unit's basis at the plan's start — the rate's denominator, or for a count its 60+ population — and its
    latest numerator. The basis is the base year's, as plans size their targets (以2020年为基期), so that shares
    do not move with every figure reported after."""
    series = stored_series(codes=[indicator.code], org_ids=[u.pk for u in units])
    need: dict[int, list[tuple[date, float]]] = defaultdict(list)
    if not indicator.is_rate:
        for value in DataValue.objects.filter(org__in=units, element__code=COUNT_NEED_ELEMENT).order_by("period_end"):
            need[value.org_id].append((value.period_end, value.value))
    found = []
    for unit in units:
        points = [p for p in series.get((indicator.code, unit.pk), []) if p.is_quarter]
        with_value = [p for p in points if p.numerator is not None]
        current = with_value[-1].numerator if with_value else 0.0
        if indicator.is_rate:
            basis = _at_start([(p.period_end, p.denominator) for p in points if p.denominator], start)
        else:
            basis = _at_start(need.get(unit.pk, []), start)
        found.append(ShareBasis(unit, basis, float(current or 0.0)))
    return found


def _at_start(values: list[tuple[date, float]], start: date) -> float | None:
    """The last value on or before ``start``, else the first after it (the baseline's rule)."""
    before = [v for on, v in values if on <= start]
    if before:
        return before[-1]
    return values[0][1] if values else None


@dataclass(frozen=True)
class FigureCheck:
    """A reported figure beside what the statistics already hold: the value of the period before, and what
    looks wrong — the checks ``data_warnings`` runs on stored data, run on a figure before it is stored."""

    code: str
    name: str
    unit: str
    value: float
    previous: float | None
    previous_period: str | None
    warning: str | None


def figure_checks(*, org: OrgUnit, period: str, figures: Mapping[str, float]) -> list[FigureCheck]:
    """Each figure of a report with the stored value of the period before and a warning where it jumps by
    more than half, breaks the population chain, or is negative. Queries do not grow with the figures."""
    if not figures:
        return []
    end = Period.parse(period).end
    elements = {e.code: e for e in DataElement.objects.filter(code__in=[*figures, *_CHAIN_CODES])}
    before: dict[str, DataValue] = {}
    same: dict[str, float] = {}
    for stored in (
        DataValue.objects.filter(org=org, element__code__in=list(elements))
        .select_related("element")
        .order_by("period_end")
    ):
        if stored.period_end < end:
            before[stored.element.code] = stored  # the latest before this period
        elif stored.period_end == end:
            same[stored.element.code] = stored.value
    known = {**same, **{code: float(v) for code, v in figures.items()}}
    checks = []
    for code, raw in figures.items():
        value = float(raw)
        element = elements.get(code)
        name = element.name if element is not None else code
        prior = before.get(code)
        warning = None
        if value < 0:
            warning = f"{name}为负数"
        elif prior is not None and _jumps(prior.value, value):
            warning = f"{name} {value:,.0f} 与上期（{prior.period}）{prior.value:,.0f} 相差超过 {JUMP:.0%}"
        elif code in _CHAIN_CODES:
            at = _CHAIN_CODES.index(code)
            for other in _CHAIN_CODES[at + 1 :]:
                if other in known and value > known[other]:
                    warning = f"{name} {value:,.0f} 多于{_element_name(elements, other)} {known[other]:,.0f}"
                    break
            for other in _CHAIN_CODES[:at]:
                if warning is None and other in known and value < known[other]:
                    warning = f"{name} {value:,.0f} 少于{_element_name(elements, other)} {known[other]:,.0f}"
        checks.append(
            FigureCheck(
                code,
                name,
                element.unit if element is not None else "",
                value,
                prior.value if prior is not None else None,
                prior.period if prior is not None else None,
                warning,
            )
        )
    return checks


def _element_name(elements: Mapping[str, DataElement], code: str) -> str:
    return elements[code].name if code in elements else code
