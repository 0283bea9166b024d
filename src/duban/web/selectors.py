"""Read models for the dashboard's pages. The dashboard shows every signed-in user the same plan (decided in
``duban.web.views.base.dashboard_page``); the pages that show task statuses take the user only because a task's
reason names the late units to those who may read other units' reports and counts them for everyone else
(``reporting.selectors.task_status_list``). Every page issues a fixed number of queries whatever the data size
(the tests hold them to a budget). The import page's reads, at the end, are the
office's alone: ``views.base.office_page`` keeps everyone else out, so they take no user either."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils import timezone

from duban.accounts.access import access_for
from duban.core.users import Viewer
from duban.indicators.models import ImportJob, TargetBinding
from duban.indicators.selectors import (
    TargetStatusRow,
    assessment_day,
    import_job_get,
    import_job_is_stale,
    import_jobs_recent,
    indicator_missing_areas,
    plan_start,
    quarters_until,
    status_rows_cached,
    stored_series,
)
from duban.metrics.definitions import AreaMeasure, Indicator, load_definitions
from duban.metrics.periods import Period
from duban.metrics.status import InterimTarget
from duban.metrics.status.model import OFF_TRACK, OVERDUE, REGRESSING
from duban.metrics.status.task import TASK_STATUSES
from duban.orgs.models import OrgAlias, OrgUnit
from duban.orgs.selectors import successor_of, units_carried_by
from duban.plans.models import Assignment, Plan, Target, Task
from duban.plans.selectors import plan_current_or_none
from duban.reporting.models import ReportingRound, TaskClosure
from duban.reporting.selectors import (
    TaskReports,
    TaskStatusRow,
    UnitRoundRecord,
    closure_blockers_in,
    milestones_done,
    round_list,
    task_reports,
    task_status_list,
    unit_report_record,
)
from duban.web.status import GROUP_OF


def _status_rows(*, plan: Plan, as_of: date, done: Mapping[int, date] | None = None) -> list[TargetStatusRow]:
    """Every target's status, from the cache while the stored values stay the same, with the milestones the
    units have reported done (``done``, read here unless the caller has)."""
    done = milestones_done(plan=plan) if done is None else done
    return status_rows_cached(plan=plan, as_of=as_of, milestones_done=done)


def plan_current() -> Plan:
    """The current plan (``plans.selectors.plan_current_or_none``); a page without one is not found."""
    plan = plan_current_or_none()
    if plan is None:
        raise Http404("no plan")
    return plan


def default_as_of() -> date:
    return assessment_day(plan_current_or_none())


def definitions() -> dict[str, Indicator]:
    return {i.code: i for i in load_definitions()}


@dataclass(frozen=True)
class TaskTile:
    """A task on a grid: its status in the round (任务状态) and why."""

    task: Task
    row: TaskStatusRow

    @property
    def status(self) -> str:
        return self.row.status

    @property
    def group(self) -> str:
        return self.row.group


@dataclass(frozen=True)
class Card:
    """A quantitative target at the province: its status row and the province's quarterly trajectory."""

    indicator: Indicator
    target: Target
    row: TargetStatusRow
    series: list[tuple[date, float]]
    group: str

    @property
    def interim(self) -> list[tuple[date, float]]:
        """The path of interim targets (阶段目标) from the baseline, for the card's sparkline."""
        return _path(self.row)


def _path(row: TargetStatusRow | None) -> list[tuple[date, float]]:
    if row is None or row.baseline is None or row.baseline_on is None:
        return []
    points = row.interim_targets()
    return [(date.fromisoformat(row.baseline_on), row.baseline)] + [(p.on, p.value) for p in points] if points else []


@dataclass(frozen=True)
class GridFilter:
    """What the overview's grid is narrowed to: a round (None: the latest one due), a lead unit's code and a
    task status; an empty string means any."""

    round: ReportingRound | None
    lead: str = ""
    status: str = ""

    def keeps(self, row: TaskStatusRow) -> bool:
        if self.lead and self.lead not in {u.code for u in row.leads}:
            return False
        return not self.status or row.status == self.status


@dataclass(frozen=True)
class Overview:
    plan: Plan
    as_of: date
    tiles: list[TaskTile]
    counts: dict[str, int]
    cards: list[Card]
    rows: list[TargetStatusRow] = field(default_factory=list)
    chosen: GridFilter = field(default_factory=lambda: GridFilter(None))
    rounds: list[ReportingRound] = field(default_factory=list)
    leads: list[OrgUnit] = field(default_factory=list)
    total: int = 0
    # The day the tasks' targets are judged on: the end of the round's period.
    task_as_of: date | None = None

    @property
    def round(self) -> ReportingRound | None:
        return self.chosen.round


def overview(*, user: Viewer, plan: Plan, as_of: date, chosen: GridFilter) -> Overview:
    """The overview: every task's status in the chosen round with its reason, narrowed by ``chosen``, the count
    of the tasks shown by status, and a card per quantitative target at the province on ``as_of``."""
    done = milestones_done(plan=plan)
    rows = _status_rows(plan=plan, as_of=as_of, done=done)
    statuses = task_status_list(user=user, plan=plan, round_=chosen.round, done=done)
    leads = {u.pk: u for row in statuses for u in row.leads}
    tiles = [TaskTile(row.task, row) for row in statuses if chosen.keeps(row)]
    counts = {s: n for s in TASK_STATUSES if (n := sum(1 for t in tiles if t.status == s))}
    bindings = {b.target_id: b.indicator for b in TargetBinding.objects.filter(target__task__plan=plan)}
    targets = {t.pk: t for t in Target.objects.filter(pk__in=bindings).select_related("task")}
    codes = sorted(set(bindings.values()))
    series: dict[str, list[tuple[date, float]]] = defaultdict(list)
    for (code, _), values in stored_series(codes=codes, org_ids=[plan.region.pk]).items():
        series[code] = [(v.period_end, v.value) for v in quarters_until(values, as_of) if v.value is not None]
    defs = definitions()
    cards = []
    for row in rows:
        if row.org_code != plan.region.code or not row.indicator:
            continue
        target = next(
            (t for pk, t in targets.items() if bindings[pk] == row.indicator and t.subject == row.subject), None
        )
        if target is None:
            continue
        cards.append(Card(defs[row.indicator], target, row, series[row.indicator], GROUP_OF[row.status]))
    return Overview(
        plan,
        as_of,
        tiles,
        counts,
        cards,
        rows,
        chosen,
        list(round_list(plan=plan)),
        sorted(leads.values(), key=lambda u: u.code),
        len(statuses),
        statuses[0].as_of if statuses else None,
    )


@dataclass(frozen=True)
class RankingRow:
    """A jurisdiction on the latest quarter of an indicator: its value, status and rank (None without a value)."""

    unit: OrgUnit
    value: float | None
    numerator: float | None
    denominator: float | None
    reason: str
    status: str | None
    group: str
    reason_zh: str
    rank: int | None
    # The unit's own share of the province's target (目标分解), None without one.
    target: float | None = None


@dataclass(frozen=True)
class IndicatorPage:
    indicator: Indicator
    target: Target | None
    province: TargetStatusRow | None
    series: list[tuple[date, float]]
    ranking: list[RankingRow]
    period: str | None
    # The area counts the indicator is made of that find no area of their kind in the registry: the page says
    # so, rather than showing an empty map as if no figure had come in.
    missing_areas: list[AreaMeasure] = field(default_factory=list)

    @property
    def interim(self) -> list[tuple[date, float]]:
        """The province's interim targets (阶段目标) each quarter, from its baseline to the deadline."""
        return _path(self.province)

    @property
    def interim_years(self) -> list[InterimTarget]:
        """The interim targets at the end of each year (and the deadline), as the page's table lists them."""
        if self.province is None:
            return []
        points = self.province.interim_targets()
        return [p for p in points if p.year_end or p is points[-1]]


def indicator_page(*, plan: Plan, code: str, as_of: date) -> IndicatorPage:
    defs = definitions()
    if code not in defs:
        raise Http404(code)
    indicator = defs[code]
    binding = (
        TargetBinding.objects.filter(target__task__plan=plan, indicator=code).select_related("target__task").first()
    )
    target = binding.target if binding else None
    rows = [r for r in _status_rows(plan=plan, as_of=as_of) if r.indicator == code]
    province = next((r for r in rows if r.org_code == plan.region.code), None)
    trajectory = quarters_until(
        stored_series(codes=[code], org_ids=[plan.region.pk]).get((code, plan.region.pk), []), as_of
    )
    series = [(v.period_end, v.value) for v in trajectory if v.value is not None]
    latest = trajectory[-1].period if trajectory else None
    values = {
        pk: point
        for (_, pk), points in stored_series(codes=[code], level=OrgUnit.Level.JURISDICTION).items()
        for point in points
        if point.period == latest
    }
    status_by_code = {r.org_code: r for r in rows}
    units = list(
        OrgUnit.objects.filter(
            pk__in=Assignment.objects.filter(task__plan=plan, role="local").values("unit_id")
        ).order_by("code")
    )
    lower_is_better = bool(target and target.comparator in ("<=", "<"))
    measured = {u.pk: p.value for u in units if (p := values.get(u.pk)) is not None and p.value is not None}
    # A stable sort: units with equal values keep their code order.
    ranked = sorted(measured, key=measured.__getitem__, reverse=not lower_is_better)
    ranks = {pk: rank for rank, pk in enumerate(ranked, start=1)}
    ranking = []
    for unit in units:
        value = values.get(unit.pk)
        row = status_by_code.get(unit.code)
        # A jurisdiction held to no target of its own has no status against one.
        status = row.status if row and row.measured else None
        ranking.append(
            RankingRow(
                unit=unit,
                value=value.value if value else None,
                numerator=value.numerator if value else None,
                denominator=value.denominator if value else None,
                reason=value.reason if value else "no_data",
                status=status,
                group=GROUP_OF[status],
                reason_zh=row.reason_zh if row else "",
                rank=ranks.get(unit.pk),
                target=row.target if row and row.measured else None,
            )
        )
    ranking.sort(key=lambda r: (r.rank or 999, r.unit.code))
    missing = indicator_missing_areas(indicator=indicator, region=plan.region)
    return IndicatorPage(indicator, target, province, series, ranking, latest, missing)


@dataclass(frozen=True)
class TaskPage:
    task: Task
    assignments: list[Assignment]
    local_count: int
    targets: list[TargetStatusRow]
    status: TaskStatusRow
    closures: list[TaskClosure] = field(default_factory=list)
    reports: TaskReports | None = None
    # Why closing the task would need the office to override the indicator check (empty: it may close).
    closure_blockers: list[str] = field(default_factory=list)

    @property
    def closed(self) -> bool:
        """销号: the latest closure step is a close."""
        return bool(self.closures) and self.closures[-1].action == "close"


def task_page(*, user: Viewer, plan: Plan, number: int, as_of: date, round_: ReportingRound | None) -> TaskPage:
    task = (
        Task.objects.filter(plan=plan, number=number)
        .prefetch_related(
            Prefetch("assignments", queryset=Assignment.objects.select_related("unit").order_by("pk")),
            Prefetch("targets", queryset=Target.objects.order_by("position")),
        )
        .first()
    )
    if task is None:
        raise Http404(number)
    order = {"lead": 0, "responsible": 1, "support": 2, "local": 3}
    assignments = sorted(task.assignments.all(), key=lambda a: (order[a.role], a.pk))
    done = milestones_done(plan=plan)
    rows = [
        r
        for r in _status_rows(plan=plan, as_of=as_of, done=done)
        if r.task == number and r.org_code == plan.region.code
    ]
    status = next(
        row for row in task_status_list(user=user, plan=plan, round_=round_, done=done) if row.task.pk == task.pk
    )
    return TaskPage(
        task,
        [a for a in assignments if a.role != "local"],
        sum(1 for a in assignments if a.role == "local"),
        rows,
        status,
        list(TaskClosure.objects.filter(task=task).select_related("by").order_by("at", "pk")),
        task_reports(user=user, task=task, round_=status.round, assignments=assignments),
        closure_blockers_in(rows, as_of=as_of),
    )


@dataclass(frozen=True)
class UnitIndicator:
    """A jurisdiction's own status on one indicator, with the indicator's definition and the unit's rank."""

    row: TargetStatusRow
    definition: Indicator
    group: str
    rank: int | None


@dataclass(frozen=True)
class UnitPage:
    unit: OrgUnit
    successor: OrgUnit | None
    by_role: dict[str, list[TaskTile]]
    indicators: list[UnitIndicator]
    record: list[UnitRoundRecord] = field(default_factory=list)


def unit_page(*, user: Viewer, plan: Plan, code: str, as_of: date, round_: ReportingRound | None) -> UnitPage:
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None:
        raise Http404(code)
    done = milestones_done(plan=plan)
    rows = _status_rows(plan=plan, as_of=as_of, done=done)
    task_status = {row.task.pk: row for row in task_status_list(user=user, plan=plan, round_=round_, done=done)}
    by_role: dict[str, list[TaskTile]] = defaultdict(list)
    for assignment in (
        # With the tasks of the units renamed or merged into this one: their work is its work now.
        Assignment.objects.filter(task__plan=plan, unit_id__in=units_carried_by(unit_id=unit.pk))
        .select_related("task")
        .order_by("task__number")
    ):
        by_role[assignment.role].append(TaskTile(assignment.task, task_status[assignment.task_id]))
    mine = [(r, r.indicator) for r in rows if r.org_code == unit.code and r.indicator]
    indicators = []
    if mine:
        defs = definitions()
        ranks = _ranks(plan, [code for _, code in mine], as_of)
        indicators = [UnitIndicator(r, defs[code], GROUP_OF[r.status], ranks.get((code, unit.pk))) for r, code in mine]
    successor = successor_of(unit)
    return UnitPage(
        unit,
        successor if successor.pk != unit.pk else None,
        dict(by_role),
        indicators,
        unit_report_record(user=user, unit=unit, plan=plan),
    )


def _ranks(plan: Plan, codes: list[str], as_of: date) -> dict[tuple[str, int], int]:
    """Each jurisdiction's rank among the plan's jurisdictions on the latest quarter, per indicator."""
    local = Assignment.objects.filter(task__plan=plan, role="local").values("unit_id")
    series = stored_series(codes=codes, org_ids=local)
    ends = [v.period_end for points in series.values() for v in quarters_until(points, as_of)]
    if not ends:
        return {}
    latest = max(ends)
    values: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for (code, org), points in series.items():
        for v in points:
            if v.is_quarter and v.period_end == latest and v.value is not None:
                values[code].append((v.value, org))
    ranks = {}
    for code, items in values.items():
        for rank, (_, org) in enumerate(sorted(items, reverse=True), start=1):
            ranks[(code, org)] = rank
    return ranks


@dataclass(frozen=True)
class SearchResult:
    tasks: list[Task]
    units: list[OrgUnit]


@dataclass(frozen=True)
class LateUnit:
    name: str
    code: str
    tasks: list[int]


@dataclass(frozen=True)
class MeetingSummary:
    """会议简报: the plan on one page for a leader's meeting — task statuses counted, the tasks that need
    attention with their reasons, the province's targets not met or behind, and the units late on most tasks."""

    plan: Plan
    as_of: date
    round: ReportingRound | None
    counts: dict[str, int]
    attention: list[TaskStatusRow]
    targets: list[TargetStatusRow]
    late_units: list[LateUnit]
    total: int


def meeting_summary(*, user: Viewer, plan: Plan, as_of: date, round_: ReportingRound | None) -> MeetingSummary:
    """The summary for those who read every unit's work (the office and leaders); others are not found."""
    if not access_for(user).sees_everything:
        raise Http404("summary")
    done = milestones_done(plan=plan)
    statuses = task_status_list(user=user, plan=plan, round_=round_, done=done)
    counts = {s: n for s in TASK_STATUSES if (n := sum(1 for row in statuses if row.status == s))}
    attention = [row for row in statuses if row.group == "bad"]
    behind = {OFF_TRACK, REGRESSING, OVERDUE}
    targets = [
        row
        for row in _status_rows(plan=plan, as_of=as_of, done=done)
        if row.org_code == plan.region.code and row.status in behind
    ]
    late: dict[str, LateUnit] = {}
    for row in statuses:
        for report in row.judged.late:
            unit = late.setdefault(report.code, LateUnit(row.unit_names.get(report.code, report.name), report.code, []))
            unit.tasks.append(row.task.number)
    worst = sorted(late.values(), key=lambda u: (-len(u.tasks), u.code))[:10]
    return MeetingSummary(plan, as_of, round_, counts, attention, targets, worst, len(statuses))


def search(*, plan: Plan, query: str) -> SearchResult:
    """Tasks and units for what someone typed, best first: the task of that number before tasks whose text
    merely holds the digits ("22" → task 22, then those saying 2022年); a unit named so, then one whose name or
    short name begins so, then one that holds it (民政 → 省民政厅 before a unit that names 民政 in an alias)."""
    query = query.strip()
    if not query:
        return SearchResult([], [])
    number = int(query) if query.isdigit() else None
    found = Task.objects.filter(plan=plan).filter(
        Q(text__icontains=query) | Q(number=number) if number is not None else Q(text__icontains=query)
    )
    tasks = sorted(found, key=lambda t: (t.number != number, t.text.find(query) if query in t.text else 999, t.number))
    return SearchResult(tasks[:50], units_matching(query=query)[:50])


def units_matching(*, query: str) -> list[OrgUnit]:
    """The units (townships left out) a name, part of a name, an alias or a code finds, best first."""
    return [unit for _, unit in _units_ranked(query.strip())]


def unit_best_match(*, query: str) -> OrgUnit | None:
    """The one unit that matches ``query`` better than any other (民政 → 省民政厅, whose name begins so, over
    units that only hold it), or None when none does or several match as well."""
    ranked = _units_ranked(query.strip())
    if not ranked or (len(ranked) > 1 and ranked[1][0] <= ranked[0][0]):
        return None
    return ranked[0][1]


def _units_ranked(query: str) -> list[tuple[int, OrgUnit]]:
    if not query:
        return []
    aliased = set(OrgAlias.objects.filter(name__icontains=query).values_list("unit_id", flat=True))
    units = OrgUnit.objects.filter(
        Q(name__icontains=query) | Q(short_name__icontains=query) | Q(pk__in=aliased) | Q(code__iexact=query)
    ).exclude(level=OrgUnit.Level.TOWNSHIP)

    def rank(unit: OrgUnit) -> tuple[int, int, int, str]:
        names = [unit.name, unit.short_name] if unit.short_name else [unit.name]
        if unit.code.lower() == query.lower() or query in names:
            closeness = 0
        elif any(name.startswith(query) or name.lstrip("省市县区").startswith(query) for name in names):
            closeness = 1
        elif any(query in name for name in names):
            closeness = 2
        else:
            closeness = 3  # by an alias only
        position = min((name.find(query) for name in names if query in name), default=999)
        return (closeness, position, len(unit.name), unit.code)

    return [(rank(unit)[0], unit) for unit in sorted(units, key=rank)]


# ----------------------------------------------------------------------------- the import page (数据导入)


@dataclass(frozen=True)
class JobRow:
    """An import job as the import page lists it, with whether its process seems to have gone away."""

    job: ImportJob
    stale: bool


def import_jobs_listed() -> list[JobRow]:
    now = timezone.now()
    return [JobRow(job, import_job_is_stale(job, now=now)) for job in import_jobs_recent()]


def import_job_row(*, pk: int) -> JobRow:
    job = import_job_get(pk=pk)
    return JobRow(job, import_job_is_stale(job))


def template_periods(*, today: date | None = None) -> list[Period]:
    """The periods a template can be made for, newest first: every year and quarter from the current plan's
    start (or five years back) to this year."""
    today = today or date.today()
    plan = plan_current_or_none()
    first = plan_start(plan).year if plan is not None else today.year - 5
    periods: list[Period] = []
    for year in range(today.year, first - 1, -1):
        periods.append(Period.of(year, "year"))
        periods.extend(Period.of(year, "quarter", q) for q in range(4, 0, -1))
    return periods
