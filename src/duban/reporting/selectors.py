"""Reads for the reporting cycle. A read that differs by person takes the user, and what the user may not see is
not found (404); the rounds and who reports in them are the same for everyone."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from duban.accounts.access import access_for
from duban.core.users import Viewer
from duban.indicators.models import DataElement, TargetBinding
from duban.metrics.definitions import load_definitions
from duban.orgs.models import OrgUnit
from duban.orgs.selectors import successors
from duban.plans.models import Assignment, Plan, Task
from duban.reporting import rules
from duban.reporting.models import Evidence, ProgressReport, ReportEvent, ReportingRound, TaskClosure

Status = ProgressReport.Status


def round_list(*, plan: Plan) -> QuerySet[ReportingRound]:
    return ReportingRound.objects.filter(plan=plan).order_by("due", "pk")


def round_current(*, plan: Plan, today: date | None = None) -> ReportingRound | None:
    """The round people are working on: the first one not yet due more than a quarter ago that has opened,
    else the latest that has opened."""
    today = today or timezone.localdate()
    opened = ReportingRound.objects.filter(plan=plan, opens__lte=today).order_by("due", "pk")
    pending = opened.filter(due__gte=today).first()
    return pending or opened.order_by("-due", "-pk").first()


def round_get(*, plan: Plan, pk: int) -> ReportingRound:
    found = ReportingRound.objects.filter(plan=plan, pk=pk).first()
    if found is None:
        raise Http404
    return found


def round_assignments(round_: ReportingRound) -> QuerySet[Assignment]:
    """The assignments that report in ``round_``: those of its tasks (all of the plan's when it names none),
    except tasks closed (销号) by the round's due date — unless the unit had already sent its report in, which
    then still counts in the round's completion."""
    tasks = list(round_.tasks.values_list("pk", flat=True)) or list(
        Task.objects.filter(plan=round_.plan).values_list("pk", flat=True)
    )
    closed = closed_task_ids(plan=round_.plan, on=round_.due)
    if not closed:
        return Assignment.objects.filter(task_id__in=tasks)
    sent = [assignment for _, assignment in sent_keys(rounds=[round_.pk])]
    return Assignment.objects.filter(
        Q(task_id__in=[t for t in tasks if t not in closed]) | Q(task_id__in=tasks, pk__in=sent)
    )


def sent_keys(*, rounds: list[int]) -> set[tuple[int, int]]:
    """(round, assignment) pairs whose report has reached the reviewers: the current revision submitted or
    accepted, or an earlier revision accepted — a correction under way does not make a unit late again."""
    reached = Q(is_current=True, status__in=(Status.SUBMITTED, Status.ACCEPTED)) | Q(
        is_current=False, status=Status.ACCEPTED
    )
    return set(ProgressReport.objects.filter(reached, round_id__in=rounds).values_list("round_id", "assignment_id"))


def closed_task_ids(*, plan: Plan, on: date | None = None) -> set[int]:
    """Tasks whose latest closure step (on or before ``on``) is a close."""
    latest: dict[int, str] = {}
    steps = TaskClosure.objects.filter(task__plan=plan).order_by("at", "pk")
    for task_id, action, at in steps.values_list("task_id", "action", "at"):
        if on is None or timezone.localtime(at).date() <= on:
            latest[task_id] = action
    return {t for t, action in latest.items() if action == TaskClosure.Action.CLOSE}


def figure_elements(assignment: Assignment, round_: ReportingRound | None = None) -> list[str]:
    """The data elements a local jurisdiction reports with its progress in a quarterly round: those of the
    indicators bound to its task's targets. A department reports none (its figures come from the statistics),
    and neither does an ad-hoc round, whose due date says nothing about the period a figure would belong to."""
    if assignment.role != Assignment.Role.LOCAL:
        return []
    if round_ is not None and round_.kind == ReportingRound.Kind.ADHOC:
        return []
    codes = set(TargetBinding.objects.filter(target__task_id=assignment.task_id).values_list("indicator", flat=True))
    elements: list[str] = []
    for indicator in load_definitions():
        if indicator.code in codes:
            elements.extend(e for e in indicator.elements if e not in elements)
    return elements


def _reports() -> QuerySet[ProgressReport]:
    return ProgressReport.objects.select_related(
        "round__plan", "assignment__task", "assignment__unit", "updated_by", "created_by"
    )


def report_list_visible(*, user: Viewer) -> QuerySet[ProgressReport]:
    return _reports().filter(rules.visible_reports(access_for(user)))


def report_get_for_user(*, user: Viewer, pk: int) -> ProgressReport:
    """The report ``pk`` if ``user`` may read it; otherwise 404, the same answer as for an id that does not
    exist."""
    report = _reports().filter(pk=pk).first()
    if report is None or not rules.can_view(access_for(user), report):
        raise Http404
    return report


def evidence_get_for_user(*, user: Viewer, pk: int) -> Evidence:
    evidence = Evidence.objects.select_related("report__assignment").filter(pk=pk).first()
    if evidence is None or not rules.can_view(access_for(user), evidence.report):
        raise Http404
    return evidence


def assignment_get_for_user(*, user: Viewer, pk: int) -> Assignment:
    """An assignment of the user's own unit (the only ones a user reports on)."""
    access = access_for(user)
    found = Assignment.objects.select_related("task", "unit").filter(pk=pk, unit_id__in=access.unit_ids).first()
    if found is None:
        raise Http404
    return found


@dataclass
class ReportDetail:
    report: ProgressReport
    events: list[ReportEvent]
    evidence: list[Evidence]
    revisions: list[ProgressReport]
    inputs: list[ProgressReport]
    missing_inputs: list[Assignment]
    can_edit: bool
    can_sign_off: bool
    can_review: bool
    can_correct: bool
    figure_elements: list[tuple[DataElement, float | None]]


def report_detail(*, user: Viewer, pk: int) -> ReportDetail:
    report = report_get_for_user(user=user, pk=pk)
    access = access_for(user)
    revisions = [
        other
        for other in _reports().filter(round=report.round, assignment=report.assignment).exclude(pk=report.pk)
        if rules.can_view(access, other)
    ]
    revisions.sort(key=lambda other: other.revision)
    if report.assignment.role == Assignment.Role.LEAD:
        # The lead unit reads what its co-units sent in; consolidated ones are those it has recorded.
        inputs = list(
            _reports()
            .filter(
                round=report.round,
                assignment__task_id=report.assignment.task_id,
                is_current=True,
                status__in=rules.LEFT_UNIT,
            )
            .exclude(assignment__role=Assignment.Role.LEAD)
            .order_by("assignment__unit__code")
        )
        in_hand = {r.assignment_id for r in inputs}
        missing = [
            a
            for a in round_assignments(report.round)
            .filter(task_id=report.assignment.task_id)
            .exclude(role=Assignment.Role.LEAD)
            .select_related("unit")
            .order_by("unit__code")
            if a.pk not in in_hand
        ]
    else:
        inputs, missing = [], []
    codes = figure_elements(report.assignment, report.round)
    elements = {e.code: e for e in DataElement.objects.filter(code__in=codes)}
    return ReportDetail(
        report=report,
        events=list(report.events.select_related("by")),
        evidence=list(report.evidence.all()),
        revisions=revisions,
        inputs=inputs,
        missing_inputs=missing,
        can_edit=rules.can_edit(access, report),
        can_sign_off=rules.can_sign_off(access, report),
        can_review=rules.can_review(access, report),
        can_correct=rules.can_correct(access, report) and report.is_current,
        figure_elements=[(elements[c], report.figures.get(c)) for c in codes if c in elements],
    )


# ---------------------------------------------------------------------------------------- workspaces


# A unit's assignment in a round falls in one of these groups, in this order on the page.
GROUPS = ("returned", "to_write", "awaiting_signoff", "submitted", "accepted")


@dataclass
class WorkItem:
    assignment: Assignment
    report: ProgressReport | None
    group: str
    days_left: int


@dataclass
class Overdue:
    """Reports of an earlier round that the unit has not sent in."""

    round: ReportingRound
    missing: int
    days_overdue: int


@dataclass
class Workspace:
    round: ReportingRound | None
    rounds: list[ReportingRound]
    groups: dict[str, list[WorkItem]]
    to_sign: list[ProgressReport] = field(default_factory=list)
    to_review: list[ProgressReport] = field(default_factory=list)
    overdue: list[Overdue] = field(default_factory=list)


def _group(report: ProgressReport | None) -> str:
    if report is None or report.status == Status.DRAFT:
        return "to_write"
    return str(report.status)


def workspace(*, user: Viewer, plan: Plan, round_: ReportingRound | None, today: date | None = None) -> Workspace:
    """单位工作台: the user's unit's assignments in the round by state, what waits for their sign-off, and the
    co-units' reports a lead unit's approver reviews."""
    today = today or timezone.localdate()
    access = access_for(user)
    rounds = list(round_list(plan=plan))
    groups: dict[str, list[WorkItem]] = {g: [] for g in GROUPS}
    if round_ is None or access.unit_id is None:
        return Workspace(round_, rounds, groups)
    assignments = (
        round_assignments(round_)
        .filter(unit_id__in=access.unit_ids)
        .select_related("task", "unit")
        .order_by("task__number")
    )
    reports = {
        r.assignment_id: r
        for r in ProgressReport.objects.filter(round=round_, is_current=True, assignment__unit_id__in=access.unit_ids)
    }
    for assignment in assignments:
        report = reports.get(assignment.pk)
        groups[_group(report)].append(WorkItem(assignment, report, _group(report), (round_.due - today).days))
    visible = report_list_visible(user=user).filter(round=round_, is_current=True)
    to_sign = [r for r in visible.filter(status=Status.AWAITING_SIGNOFF) if rules.can_sign_off(access, r)]
    to_review = [r for r in visible.filter(status=Status.SUBMITTED) if rules.can_review(access, r)]
    return Workspace(
        round_, rounds, groups, to_sign, to_review, _overdue_elsewhere(access.unit_ids, rounds, round_, today)
    )


def _overdue_elsewhere(
    unit_ids: frozenset[int], rounds: list[ReportingRound], shown: ReportingRound, today: date
) -> list[Overdue]:
    """The unit's reports of other rounds that are past due and have not been sent in."""
    sent = sent_keys(rounds=[r.pk for r in rounds])
    late = []
    for other in rounds:
        if other == shown or other.due >= today:
            continue
        owed = round_assignments(other).filter(unit_id__in=unit_ids).values_list("pk", flat=True)
        missing = sum(1 for pk in owed if (other.pk, pk) not in sent)
        if missing:
            late.append(Overdue(other, missing, (today - other.due).days))
    return late


@dataclass
class Completion:
    label: str
    key: str
    total: int = 0
    submitted: int = 0
    accepted: int = 0

    @property
    def percent(self) -> float:
        return 100.0 * self.submitted / self.total if self.total else 0.0


@dataclass
class LateTask:
    assignment: Assignment
    report: ProgressReport | None


@dataclass
class LateUnit:
    """A unit that has not sent in every report of a round past its due date (逾期未报)."""

    unit: OrgUnit
    tasks: list[LateTask]
    days_overdue: int
    reminders: int


@dataclass
class OfficeRound:
    round: ReportingRound | None
    rounds: list[ReportingRound]
    by_unit: list[Completion]
    by_task: list[Completion]
    queue: list[ProgressReport]
    late: list[LateUnit]


def office_round(
    *,
    user: Viewer,
    plan: Plan,
    round_: ReportingRound | None,
    reminders: Mapping[int, int],
    today: date | None = None,
) -> OfficeRound:
    """督办工作台: the round's completion by unit and by task, the review queue and the late list. ``reminders``
    says how many reminders each unit (by id) has had about the round; they are notices, a layer above this one,
    so the caller reads them (``notices.selectors.notice_counts_by_unit``)."""
    access = access_for(user)
    if not access.sees_everything:
        raise Http404
    today = today or timezone.localdate()
    rounds = list(round_list(plan=plan))
    if round_ is None:
        return OfficeRound(None, rounds, [], [], [], [])
    assignments = list(round_assignments(round_).select_related("task", "unit").order_by("unit__code", "task__number"))
    reports = {
        r.assignment_id: r
        for r in ProgressReport.objects.filter(round=round_, is_current=True).select_related("updated_by")
    }
    by_unit: dict[int, Completion] = {}
    by_task: dict[int, Completion] = {}
    late: dict[int, LateUnit] = {}
    sent = sent_keys(rounds=[round_.pk])
    passed = successors()
    for a in assignments:
        report = reports.get(a.pk)
        # A renamed or merged unit's work is counted, and chased, under the unit that carries it now.
        unit = passed.get(a.unit_id, a.unit)
        for table, key, label in (
            (by_unit, unit.pk, unit.name),
            (by_task, a.task_id, f"{a.task.number}. {a.task.text[:40]}"),
        ):
            row = table.setdefault(key, Completion(label, str(unit.code if table is by_unit else a.task.number)))
            row.total += 1
            if report is not None and report.left_unit:
                row.submitted += 1
            if report is not None and report.status == Status.ACCEPTED:
                row.accepted += 1
        if (round_.pk, a.pk) not in sent and today > round_.due:
            entry = late.setdefault(unit.pk, LateUnit(unit, [], (today - round_.due).days, reminders.get(unit.pk, 0)))
            entry.tasks.append(LateTask(a, report))
    queue = [
        r
        for r in report_list_visible(user=user).filter(round=round_, is_current=True, status=Status.SUBMITTED)
        if rules.can_review(access, r)
    ]
    return OfficeRound(
        round_,
        rounds,
        sorted(by_unit.values(), key=lambda c: (c.percent, c.key)),
        sorted(by_task.values(), key=lambda c: int(c.key)),
        queue,
        list(late.values()),
    )
