"""Reads for the reporting cycle. A read that differs by person takes the user, and what the user may not see is
not found (404); the rounds and who reports in them are the same for everyone."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from duban.accounts.access import access_for
from duban.core.errors import UserError
from duban.core.users import Actor, Viewer
from duban.indicators.models import DataElement, TargetBinding
from duban.indicators.selectors import FigureCheck, TargetStatusRow, assessment_day, figure_checks, status_rows_cached
from duban.metrics.definitions import load_definitions
from duban.metrics.periods import Period, quarter_of
from duban.metrics.status.task import (
    ACCEPTED,
    SENT_BACK,
    SUBMITTED,
    UNSENT,
    TargetFinding,
    TaskFacts,
    TaskStatus,
    UnitReport,
    answerable_role,
    task_status,
)
from duban.orgs.models import OrgUnit
from duban.orgs.selectors import successors, units_carried_by
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
    found = ReportingRound.objects.filter(plan=plan, pk=pk).select_related("plan").first()
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


# A report that has reached the reviewers: the current revision submitted or accepted, or an earlier revision
# accepted — a correction under way does not make a unit late again, a report sent back for rework does.
_REACHED = Q(is_current=True, status__in=(Status.SUBMITTED, Status.ACCEPTED)) | Q(
    is_current=False, status=Status.ACCEPTED
)


def sent_keys(*, rounds: list[int]) -> set[tuple[int, int]]:
    """(round, assignment) pairs whose report has reached the reviewers (``_REACHED``)."""
    return set(ProgressReport.objects.filter(_REACHED, round_id__in=rounds).values_list("round_id", "assignment_id"))


def closed_task_ids(*, plan: Plan, on: date | None = None) -> set[int]:
    """Tasks whose latest closure step (on or before ``on``) is a close."""
    return _closed_among(_closure_steps(plan), on)


def _closure_steps(plan: Plan) -> list[tuple[int, str, datetime]]:
    """The plan's closure steps (task, action, when), oldest first."""
    steps = TaskClosure.objects.filter(task__plan=plan).order_by("at", "pk")
    return list(steps.values_list("task_id", "action", "at"))


def _closed_among(steps: list[tuple[int, str, datetime]], on: date | None) -> set[int]:
    latest: dict[int, str] = {}
    for task_id, action, at in steps:
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


# Why a consolidated report cannot be accepted together with the lead's (the page words each in its own way).
HELD_BACK = {
    "changed": "汇总后已修改，牵头单位汇总的不是这一版，请单独审核",
    "own": "由您本人提交或签发，请由其他同事审核",
    "no_right": "您无权审核该报告",
}


@dataclass(frozen=True)
class ConsolidatedInput:
    """A co-unit's report that a lead unit's report consolidated, and whether its reviewer may accept it together
    with the lead's; ``reason`` (a key of ``HELD_BACK``) says why not."""

    report: ProgressReport
    acceptable: bool
    reason: str = ""

    @property
    def reason_zh(self) -> str:
        return HELD_BACK.get(self.reason, "")


def consolidated_inputs(*, report: ProgressReport, user: Viewer) -> list[ConsolidatedInput]:
    """The co-units' reports still waiting for review that ``report`` (a lead unit's) consolidated, each with
    whether ``user`` may accept it together with the lead's report: only as the lead consolidated it, and only
    if ``user`` neither submitted nor signed it off."""
    if report.assignment.role != Assignment.Role.LEAD:
        return []
    access = access_for(user)
    versions = report.input_versions or {}
    waiting = list(
        _reports()
        .filter(consolidated_in=report, is_current=True, status=Status.SUBMITTED)
        .order_by("assignment__unit__code")
    )
    own = set(
        ReportEvent.objects.filter(
            report__in=waiting,
            by_id=access.user_id,
            action__in=(ReportEvent.Action.SUBMIT, ReportEvent.Action.SIGN_OFF),
        ).values_list("report_id", flat=True)
    )
    out = []
    for other in waiting:
        if versions.get(str(other.pk)) != other.version:
            out.append(ConsolidatedInput(other, False, "changed"))
        elif other.pk in own:
            out.append(ConsolidatedInput(other, False, "own"))
        elif not rules.can_review(access, other):
            out.append(ConsolidatedInput(other, False, "no_right"))
        else:
            out.append(ConsolidatedInput(other, True))
    return out


@dataclass(frozen=True)
class InputReport:
    """A co-unit's report as its lead unit reads it while consolidating: the report, its figures by element and
    its evidence."""

    report: ProgressReport
    figures: list[tuple[DataElement, float]]
    evidence: list[Evidence]


def _input_reports(reports: list[ProgressReport]) -> list[InputReport]:
    codes = {code for r in reports for code in r.figures}
    elements = {e.code: e for e in DataElement.objects.filter(code__in=codes)}
    files: dict[int, list[Evidence]] = {r.pk: [] for r in reports}
    for evidence in Evidence.objects.filter(report__in=reports):
        files[evidence.report_id].append(evidence)
    return [
        InputReport(r, [(elements[c], v) for c, v in r.figures.items() if c in elements], files[r.pk]) for r in reports
    ]


@dataclass
class ReportDetail:
    report: ProgressReport
    events: list[ReportEvent]
    evidence: list[Evidence]
    revisions: list[ProgressReport]
    inputs: list[InputReport]
    missing_inputs: list[Assignment]
    consolidated: list[ConsolidatedInput]
    can_edit: bool
    can_sign_off: bool
    can_review: bool
    can_correct: bool
    can_withdraw: bool
    # The step that sent the report back (a return by the reviewer, or the unit's approver sending it back)
    # while it waits to be rewritten: why it came back, for the top of the page.
    returned_because: ReportEvent | None
    # A figure as stored, or as typed when a refused form comes back to be corrected.
    figure_elements: list[tuple[DataElement, float | str | None]]
    # For whoever reviews the report: each figure beside the period before, with what looks wrong.
    figure_checks: list[FigureCheck] = field(default_factory=list)

    @property
    def has_doubts(self) -> bool:
        return any(check.warning for check in self.figure_checks)


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
    events = list(report.events.select_related("by"))
    last = events[-1] if events else None
    came_back = last is not None and (
        (last.action == ReportEvent.Action.RETURN and report.status == Status.RETURNED)
        or (last.action == ReportEvent.Action.SEND_BACK and report.status == Status.DRAFT)
    )
    return ReportDetail(
        report=report,
        events=events,
        evidence=list(report.evidence.all()),
        revisions=revisions,
        inputs=_input_reports(inputs),
        missing_inputs=missing,
        consolidated=consolidated_inputs(report=report, user=user) if rules.can_review(access, report) else [],
        can_edit=rules.can_edit(access, report),
        can_sign_off=rules.can_sign_off(access, report),
        can_review=rules.can_review(access, report),
        can_correct=rules.can_correct(access, report) and report.is_current,
        can_withdraw=rules.can_withdraw(access, report),
        returned_because=last if came_back else None,
        figure_elements=[(elements[c], report.figures.get(c)) for c in codes if c in elements],
        figure_checks=figure_checks(
            org=report.assignment.unit,
            period=report.round.period,
            figures={c: v for c, v in (report.figures or {}).items() if isinstance(v, int | float)},
        )
        if report.left_unit and rules.can_review(access, report)
        else [],
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


# ------------------------------------------------------------------------------------ task status (任务状态)


def round_last_due(*, plan: Plan, today: date | None = None) -> ReportingRound | None:
    """The round a task's status is judged in by default: the latest one already due — the last quarter whose
    reports are all owed by now — else the one people are working on."""
    today = today or timezone.localdate()
    due = ReportingRound.objects.filter(plan=plan, due__lt=today).select_related("plan").order_by("-due", "-pk").first()
    return due or round_current(plan=plan, today=today)


def round_named(*, plan: Plan, name: str) -> ReportingRound:
    """The round of ``plan`` that ``name`` names: its period (2026Q3), its title or its id."""
    name = name.strip()
    found = (
        ReportingRound.objects.filter(plan=plan)
        .filter(Q(period=name.upper()) | Q(title=name) | (Q(pk=int(name)) if name.isdigit() else Q(pk__in=[])))
        .order_by("kind", "due", "pk")
        .first()
    )
    if found is None:
        periods = ", ".join(round_list(plan=plan).values_list("period", flat=True)) or "none yet (duban rounds)"
        raise UserError(f"no reporting round {name!r}; the plan's rounds are: {periods}")
    return found


def milestones_done(*, plan: Plan) -> dict[int, date]:
    """The day each task was reported done, by task id: every answerable unit (the lead unit; without one the
    responsible units; without those every unit) has a report accepted that says 已完成, in any round. A report
    describes its round's period, as its figures do, so the day is the end of the period of the round in which
    the last of them first said so (acceptance only confirms what the report said)."""
    roles: dict[int, list[tuple[int, str]]] = {}
    for pk, task_id, role in Assignment.objects.filter(task__plan=plan).values_list("pk", "task_id", "role"):
        roles.setdefault(task_id, []).append((pk, role))
    first_done: dict[int, date] = {}
    for assignment_id, period in (
        ProgressReport.objects.filter(
            assignment__task__plan=plan, status=Status.ACCEPTED, progress=ProgressReport.Progress.COMPLETED
        )
        .order_by("round__due", "pk")
        .values_list("assignment_id", "round__period")
    ):
        if assignment_id not in first_done:
            first_done[assignment_id] = Period.parse(period).end
    done: dict[int, date] = {}
    for task_id, assignments in roles.items():
        answers = answerable_role(r for _, r in assignments)
        who = [pk for pk, r in assignments if answers is None or r == answers]
        if who and all(pk in first_done for pk in who):
            done[task_id] = max(first_done[pk] for pk in who)
    return done


@dataclass(frozen=True)
class TaskStatusRow:
    """A task's status in a round (任务状态) with what it was judged on: the task, its lead units (the units that
    carry their work now), the round and the assessment date of its targets, and the judgment itself."""

    task: Task
    leads: list[OrgUnit]
    round: ReportingRound | None
    as_of: date
    judged: TaskStatus
    targets: list[TargetFinding]
    # Reasons name units by their short names; a program reading the JSON gets the full ones.
    unit_names: Mapping[str, str] = field(default_factory=dict)

    @property
    def status(self) -> str:
        return self.judged.status

    @property
    def group(self) -> str:
        return self.judged.group

    def as_json(self) -> dict[str, Any]:
        """The row as ``duban tasks --format json`` prints it (docs/task-status.md names every field)."""
        j = self.judged
        return {
            "number": self.task.number,
            "text": self.task.text,
            "status": j.status,
            "status_zh": j.label_zh,
            "group": j.group,
            "reason": j.reason_zh,
            "reason_en": j.reason,
            "units_late": [self._unit_json(r) for r in j.late],
            "units_returned": [self._unit_json(r) for r in j.returned],
            "units_blocked": [self._unit_json(r) for r in j.blocked],
            "reports": {"owed": j.owed, "sent": j.sent, "accepted": j.accepted},
            "targets": [{"subject": t.subject, "status": t.status, "ratio": t.ratio} for t in self.targets],
            "lead": [u.code for u in self.leads],
            "round": self.round.period if self.round else None,
            "round_title": self.round.title if self.round else None,
            "due": self.round.due.isoformat() if self.round else None,
            "as_of": self.as_of.isoformat(),
        }

    def _unit_json(self, report: UnitReport) -> dict[str, str]:
        return {"code": report.code, "name": self.unit_names.get(report.code, report.name), "role": report.role}


def task_status_as_of(round_: ReportingRound | None, today: date) -> date:
    """The day a round's targets are judged on: the end of the period it reports on (today without a round)."""
    return Period.parse(round_.period).end if round_ is not None else today


def task_status_list(
    *,
    user: Actor,
    plan: Plan,
    round_: ReportingRound | None,
    today: date | None = None,
    done: Mapping[int, date] | None = None,
) -> list[TaskStatusRow]:
    """Every task of ``plan`` with its status in ``round_`` as it stands on ``today``, in task order: from its
    units' reports (the round's current ones; an accepted revision while a correction is under way) and its
    targets' statuses at the province on the end of the round's period, milestones counting as done once
    reported so. The reason names the late units for ``user`` if they may see other units' reports (the office,
    leaders, the task's lead unit; the command line, ``user`` None); for anyone else it counts them. A fixed
    number of queries, whatever the size of the plan. ``done``: ``milestones_done``, when the caller has read it
    already."""
    today = today or timezone.localdate()
    as_of = task_status_as_of(round_, today)
    done = milestones_done(plan=plan) if done is None else done
    findings: dict[int, list[TargetFinding]] = {}
    for row in status_rows_cached(plan=plan, as_of=as_of, milestones_done=done):
        if row.org_code == plan.region.code:
            findings.setdefault(row.task, []).append(TargetFinding(row.subject, row.status, row.ratio))
    tasks = list(Task.objects.filter(plan=plan).order_by("number"))
    passed = successors()
    leads: dict[int, list[OrgUnit]] = {}
    for a in Assignment.objects.filter(task__plan=plan, role=Assignment.Role.LEAD).select_related("unit"):
        leads.setdefault(a.task_id, []).append(passed.get(a.unit_id, a.unit))
    reports: dict[int, list[UnitReport]] = {}
    names: dict[str, str] = {}
    if round_ is not None:
        chosen = _round_reports(round_)
        for a in round_assignments(round_).select_related("unit").order_by("task_id", "pk"):
            unit = passed.get(a.unit_id, a.unit)
            state, progress = chosen.get(a.pk, (UNSENT, None))
            # The short name (省卫生健康委) keeps a reason naming three units readable on a tile.
            name = unit.short_name or unit.name
            names[unit.code] = unit.name
            reports.setdefault(a.task_id, []).append(UnitReport(unit.code, name, a.role, state, progress))
    closed = _closed_on(plan=plan, today=today)
    if user is None:
        names_all, led = True, frozenset[int]()
    else:
        access = access_for(user)
        names_all, led = access.sees_everything, access.led_task_ids
    rows = []
    for task in tasks:
        targets = findings.get(task.number, [])
        facts = TaskFacts(
            reports.get(task.pk, []),
            targets,
            due=round_.due if round_ is not None else today,
            today=today,
            closed_on=closed.get(task.pk),
            name_units=names_all or task.pk in led,
            in_round=round_ is not None,
        )
        judged = task_status(facts)
        rows.append(TaskStatusRow(task, leads.get(task.pk, []), round_, as_of, judged, targets, names))
    return rows


def _round_reports(round_: ReportingRound) -> dict[int, tuple[str, str | None]]:
    """What became of each assignment's report in the round, and the progress it states: the current revision
    once it has reached the reviewers, else the accepted revision a correction is replacing, else the returned
    current one; a draft or a report awaiting its unit's sign-off is unsent (it has not left the unit)."""
    current: dict[int, tuple[str, str]] = {}
    accepted: dict[int, tuple[str, str]] = {}
    for assignment_id, is_current, status, progress in (
        ProgressReport.objects.filter(round=round_)
        .filter(Q(is_current=True) | Q(status=Status.ACCEPTED))
        .order_by("revision")
        .values_list("assignment_id", "is_current", "status", "progress")
    ):
        if is_current:
            current[assignment_id] = (status, progress)
        else:
            accepted[assignment_id] = (status, progress)
    chosen: dict[int, tuple[str, str | None]] = {}
    for assignment_id in current.keys() | accepted.keys():
        now = current.get(assignment_id)
        if now is not None and now[0] in (Status.SUBMITTED, Status.ACCEPTED):
            chosen[assignment_id] = (SUBMITTED if now[0] == Status.SUBMITTED else ACCEPTED, now[1])
        elif assignment_id in accepted:
            chosen[assignment_id] = (ACCEPTED, accepted[assignment_id][1])
        elif now is not None and now[0] == Status.RETURNED:
            chosen[assignment_id] = (SENT_BACK, now[1])
    return chosen


def _closed_on(*, plan: Plan, today: date) -> dict[int, date]:
    """The day each closed task (销号, not reopened since) was closed, as it stands on ``today``."""
    latest: dict[int, tuple[str, date]] = {}
    for task_id, action, at in (
        TaskClosure.objects.filter(task__plan=plan).order_by("at", "pk").values_list("task_id", "action", "at")
    ):
        day = timezone.localtime(at).date()
        if day <= today:
            latest[task_id] = (action, day)
    return {t: day for t, (action, day) in latest.items() if action == TaskClosure.Action.CLOSE}


@dataclass(frozen=True)
class TaskReportRow:
    """One unit's report on a task for a round, as the task page shows it: the report (None when nothing has
    left the unit), the review's outcome (the last acceptance or return, with its comment) and the evidence."""

    assignment: Assignment
    report: ProgressReport | None
    outcome: ReportEvent | None
    evidence: list[Evidence]
    consolidates: int = 0  # for the lead unit's report: how many co-units' reports it brings together
    figures: list[tuple[str, str, Any]] = field(default_factory=list)  # (element's name, its unit, value)


@dataclass(frozen=True)
class TaskRoundSummary:
    """A round in a task's history (时间线): how many of its units sent, were accepted or sent back, and what the
    lead unit reported."""

    round: ReportingRound
    owed: int
    sent: int
    accepted: int
    returned: int
    lead_progress: str | None


@dataclass(frozen=True)
class TaskReports:
    round: ReportingRound | None
    rows: list[TaskReportRow]
    # Units whose reports this user may not read (a county sees its own; the office and the lead unit all).
    hidden: int
    history: list[TaskRoundSummary]


def task_reports(
    *, user: Viewer, task: Task, round_: ReportingRound | None, assignments: list[Assignment] | None = None
) -> TaskReports:
    """各单位报送: each unit's report on ``task`` for ``round_`` as far as ``user`` may read it, the lead unit's
    first, and the earlier rounds as a timeline. ``assignments`` (with their units) spares a query where the
    caller has them. Queries do not grow with the number of units, reports or rounds."""
    access = access_for(user)
    everyone = access.sees_everything or task.pk in access.led_task_ids
    order = {"lead": 0, "responsible": 1, "support": 2, "local": 3}
    if assignments is None:
        assignments = list(Assignment.objects.filter(task=task).select_related("unit"))
    assignments = sorted(assignments, key=lambda a: (order[a.role], a.unit.code))
    shown = [a for a in assignments if everyone or access.acts_for(a.unit_id)]
    visible = report_list_visible(user=user).filter(assignment__task=task, is_current=True)
    rows: list[TaskReportRow] = []
    if round_ is not None:
        reports = {
            r.assignment_id: r
            for r in visible.filter(round=round_)
            .annotate(consolidated=Count("inputs", distinct=True))
            .prefetch_related("evidence", "events")
        }
        codes = {code for report in reports.values() for code in (report.figures or {})}
        elements = {e.code: e for e in DataElement.objects.filter(code__in=codes)}
        for assignment in shown:
            report = reports.get(assignment.pk)
            outcome = None
            if report is not None:
                reviewed = (ReportEvent.Action.ACCEPT, ReportEvent.Action.RETURN)
                reviews = [e for e in report.events.all() if e.action in reviewed]
                outcome = max(reviews, key=lambda e: (e.at, e.pk)) if reviews else None
            rows.append(
                TaskReportRow(
                    assignment,
                    report,
                    outcome,
                    list(report.evidence.all()) if report is not None else [],
                    report.consolidated if report is not None else 0,
                    [
                        (elements[code].name, elements[code].unit, value) if code in elements else (code, "", value)
                        for code, value in ((report.figures or {}) if report is not None else {}).items()
                    ],
                )
            )
    history = []
    # A round that names no tasks is for all of them.
    scoped = round_list(plan=task.plan).filter(Q(tasks=None) | Q(tasks=task)).distinct()
    today = timezone.localdate()
    rounds = [r for r in scoped if (r.due < round_.due if round_ is not None else r.opens <= today)]
    if rounds:
        by_round: dict[int, list[tuple[str, str, str]]] = {}
        for round_id, status, progress, role in visible.filter(round__in=rounds).values_list(
            "round_id", "status", "progress", "assignment__role"
        ):
            by_round.setdefault(round_id, []).append((status, progress, role))
        for past in sorted(rounds, key=lambda r: r.due, reverse=True):
            got = by_round.get(past.pk, [])
            history.append(
                TaskRoundSummary(
                    past,
                    owed=len(shown),
                    sent=len(got),
                    accepted=sum(1 for status, _, _ in got if status == Status.ACCEPTED),
                    returned=sum(1 for status, _, _ in got if status == Status.RETURNED),
                    lead_progress=next((progress for _, progress, role in got if role == "lead"), None),
                )
            )
    return TaskReports(round_, rows, len(assignments) - len(shown), history)


@dataclass(frozen=True)
class UnitRoundRecord:
    """报送记录: a unit's reports in one round — how many it owed, sent, sent by the due date, and how late the
    latest of them came (or, for what is still owed past the due date, how long it has been overdue)."""

    round: ReportingRound
    owed: int
    sent: int
    on_time: int
    days_late: int


def unit_report_record(*, user: Viewer, unit: OrgUnit, plan: Plan, today: date | None = None) -> list[UnitRoundRecord]:
    """The unit's record over the rounds that have opened, newest first; for the unit itself, the office and
    leaders (others get nothing: a unit's lateness is not every county's business). Queries do not grow with
    the number of rounds or reports."""
    access = access_for(user)
    if not (access.sees_everything or access.acts_for(unit.pk)):
        return []
    today = today or timezone.localdate()
    units = units_carried_by(unit_id=unit.pk)
    assignments = list(Assignment.objects.filter(task__plan=plan, unit_id__in=units).values_list("pk", "task_id"))
    if not assignments:
        return []
    rounds = list(round_list(plan=plan).filter(opens__lte=today).prefetch_related("tasks"))
    sent: dict[tuple[int, int], date] = {}
    # Sent as the late lists count it (``_REACHED``), so that the unit page and the office's lists agree.
    for round_id, assignment_id, submitted in ProgressReport.objects.filter(
        _REACHED, assignment_id__in=[pk for pk, _ in assignments]
    ).values_list("round_id", "assignment_id", "submitted_at"):
        when = timezone.localdate(submitted) if submitted else today
        key = (round_id, assignment_id)
        sent[key] = min(sent.get(key, when), when)  # the first time it left the unit
    record = []
    for round_ in sorted(rounds, key=lambda r: r.due, reverse=True):
        scope = {t.pk for t in round_.tasks.all()}
        owed = [pk for pk, task_id in assignments if not scope or task_id in scope]
        if not owed:
            continue
        came = [sent[(round_.pk, pk)] for pk in owed if (round_.pk, pk) in sent]
        late = [(day - round_.due).days for day in came if day > round_.due]
        if round_.due < today and len(came) < len(owed):
            late.append((today - round_.due).days)
        record.append(
            UnitRoundRecord(
                round_,
                owed=len(owed),
                sent=len(came),
                on_time=sum(1 for day in came if day <= round_.due),
                days_late=max(late, default=0),
            )
        )
    return record


@dataclass(frozen=True)
class RoundBacklog:
    """待办与逾期: what a round still owes the office — reports missing past its due date (and from how many
    units), and reports sent in that await review."""

    round: ReportingRound
    missing: int
    units_late: int
    awaiting_review: int
    days_overdue: int


def office_backlog(*, user: Viewer, plan: Plan, today: date | None = None) -> list[RoundBacklog]:
    """Every round with work outstanding, oldest first: the office's default view, so that a quarter long
    overdue is never hidden behind the current round that is not yet due. Queries do not grow with rounds."""
    access = access_for(user)
    if not access.sees_everything:
        raise Http404
    today = today or timezone.localdate()
    rounds = list(round_list(plan=plan).filter(opens__lte=today).prefetch_related("tasks"))
    if not rounds:
        return []
    assignments = list(Assignment.objects.filter(task__plan=plan).values_list("pk", "task_id", "unit_id"))
    sent = sent_keys(rounds=[r.pk for r in rounds])
    passed = successors()
    closures = _closure_steps(plan)  # read once, judged for each round's due date
    waiting: dict[int, int] = {}
    for round_id in ProgressReport.objects.filter(
        round__in=rounds, is_current=True, status=Status.SUBMITTED
    ).values_list("round_id", flat=True):
        waiting[round_id] = waiting.get(round_id, 0) + 1
    backlog = []
    for round_ in sorted(rounds, key=lambda r: (r.due, r.pk)):
        scope = {t.pk for t in round_.tasks.all()}
        shut = _closed_among(closures, round_.due)
        missing, units = 0, set()
        if today > round_.due:
            for pk, task_id, unit_id in assignments:
                if (scope and task_id not in scope) or task_id in shut or (round_.pk, pk) in sent:
                    continue
                missing += 1
                carrier = passed.get(unit_id)
                units.add(carrier.pk if carrier is not None else unit_id)
        if missing or waiting.get(round_.pk):
            backlog.append(
                RoundBacklog(
                    round_,
                    missing,
                    len(units),
                    waiting.get(round_.pk, 0),
                    (today - round_.due).days if missing else 0,
                )
            )
    return backlog


# Target statuses that let a task be closed (销号) without the office overriding the check.
_CLOSABLE = {"achieved", "on_track"}


def closure_blockers_in(rows: list[TargetStatusRow], *, as_of: date) -> list[str]:
    """What in ``rows`` (a task's targets at the province, with indicators) speaks against closing the task:
    a target neither achieved nor on track, or figures older than the last quarter ended by ``as_of``."""
    quarter = quarter_of(as_of)
    last_end = quarter.end if quarter.end <= as_of else quarter.start - timedelta(days=1)
    blockers = []
    for row in rows:
        if not row.indicator or not row.measured:
            continue
        if row.status not in _CLOSABLE:
            blockers.append(f"目标“{row.subject}”{row.status_zh}")
        elif row.value_on and date.fromisoformat(row.value_on) < last_end:
            blockers.append(f"目标“{row.subject}”的数据截至 {row.value_on}，早于上一统计期末（{last_end.isoformat()}）")
    return blockers


def closure_blockers(*, task: Task, today: date | None = None) -> list[str]:
    """Why closing ``task`` needs the office to override the indicator check (none: it may simply close). The
    targets are judged as the pages judge them: today, or at the plan's last deadline once that has passed."""
    as_of = assessment_day(task.plan, today or timezone.localdate())
    rows = [
        r
        for r in status_rows_cached(plan=task.plan, as_of=as_of, milestones_done=milestones_done(plan=task.plan))
        if r.task == task.number and r.org_code == task.plan.region.code
    ]
    return closure_blockers_in(rows, as_of=as_of)
