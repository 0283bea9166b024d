"""Reads for plans. A plan, its tasks, targets and assignments are open to every signed-in user and to the
command line alike (the task-division table is a published document), so these selectors take no user;
what differs between users is their reports, read through ``reporting.selectors``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from duban.core.errors import UserError
from duban.orgs.models import OrgUnit
from duban.orgs.naming import normalise_name
from duban.orgs.selectors import NameIndex, Resolution, units_carried_by
from duban.plans.models import Assignment, Plan, PlanDraft, Target, Task
from duban.taskdoc.model import warning_task


class PlanNotFound(UserError):
    pass


def plan_list() -> QuerySet[Plan]:
    return Plan.objects.select_related("region").order_by("-imported_at", "-pk")


def plans_in_force() -> QuerySet[Plan]:
    """在用方案: the plans no later revision has replaced, newest first."""
    return plan_list().filter(next_revision__isnull=True)


def plan_current_or_none() -> Plan | None:
    """当前方案: the plan in force imported last — the one the dashboard, the office's workspace and every
    command without ``--plan`` work on. A revision is always imported after the plan it revises, so the
    current plan is never one that a revision has replaced."""
    return plans_in_force().first()


def plan_current() -> Plan:
    """The current plan (see ``plan_current_or_none``); refused when no plan has been imported yet."""
    plan = plan_current_or_none()
    if plan is None:
        raise PlanNotFound("还没有导入任何方案 (no plan)")
    return plan


def plan_get(*, pk: int | None = None) -> Plan:
    """The plan ``pk``, or the current plan when ``pk`` is None."""
    if pk is None:
        return plan_current()
    plan = plan_list().filter(pk=pk).first()
    if plan is None:
        raise PlanNotFound(f"方案 {pk} 不存在 (no plan {pk})")
    return plan


def task_get(*, plan: Plan, number: int) -> Task:
    """Task ``number`` of ``plan``; 404 when there is none."""
    task = Task.objects.filter(plan=plan, number=number).first()
    if task is None:
        raise Http404(number)
    return task


def tasks_by_number(*, plan: Plan, numbers: list[int]) -> list[Task]:
    """The tasks named by number; a number the plan does not have is refused, so that a mistyped choice never
    turns into "every task"."""
    found = {t.number: t for t in Task.objects.filter(plan=plan, number__in=numbers)}
    unknown = sorted(set(numbers) - set(found))
    if unknown:
        raise UserError(f"方案中没有任务 {'、'.join(str(n) for n in unknown)}")
    return [found[n] for n in sorted(found)]


def task_list(*, plan: Plan) -> QuerySet[Task]:
    return (
        Task.objects.filter(plan=plan)
        .order_by("number")
        .prefetch_related(
            Prefetch("targets", queryset=Target.objects.order_by("position")),
            Prefetch("assignments", queryset=Assignment.objects.select_related("unit").order_by("pk")),
        )
    )


def assignment_list(*, plan: Plan, unit: OrgUnit | None = None) -> QuerySet[Assignment]:
    """The plan's assignments; with ``unit``, those it carries today — its own and those of the units renamed
    or merged into it, which keep the unit and the name the plan wrote."""
    assignments = Assignment.objects.filter(task__plan=plan).select_related("task", "unit")
    if unit is not None:
        assignments = assignments.filter(unit_id__in=units_carried_by(unit_id=unit.pk))
    return assignments.order_by("task__number", "pk")


# --------------------------------------------------------------------------------- drafts (方案导入)
# Drafts are the office's work: the pages that show them let the office alone in (``web.views.base``).


def draft_list() -> QuerySet[PlanDraft]:
    return PlanDraft.objects.select_related("created_by", "updated_by", "plan").defer("content")


def draft_get(*, pk: int) -> PlanDraft:
    draft = PlanDraft.objects.select_related("region", "revises", "updated_by").filter(pk=pk).first()
    if draft is None:
        raise Http404(pk)
    return draft


@dataclass
class ReviewUnit:
    name: str
    role: str
    unit: OrgUnit | None  # the registry unit the name resolves to, None while it resolves to none
    members: int = 0  # for a collective of local governments: how many it stands for
    how: str = ""  # "registry", "office" (mapped on this page), "new" (to be added), "collective"


@dataclass
class ReviewName:
    """A name that resolves to no registry unit by itself, with the closest registry units and the office's
    choice so far."""

    name: str
    tasks: list[int]
    local: bool
    suggestions: list[OrgUnit]
    choice: dict[str, object]


@dataclass
class ReviewTask:
    number: int
    text: str
    units: list[ReviewUnit]
    targets: list[dict[str, object]]
    warnings: list[str]


@dataclass
class DraftReview:
    tasks: list[ReviewTask] = field(default_factory=list)
    names: list[ReviewName] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # those that name no task

    @property
    def open_names(self) -> int:
        return sum(1 for name in self.names if not name.choice)


def draft_review(*, draft: PlanDraft) -> DraftReview:
    """The draft as the review page shows it: each task with its units resolved against the registry (or
    marked for the office to resolve), its targets, and the parser's warnings on the task they concern."""
    review = DraftReview()
    index = NameIndex()
    by_task: dict[int, list[str]] = {}
    for warning in draft.document.get("warnings", []):
        number = warning_task(warning)
        if number is not None:
            by_task.setdefault(number, []).append(warning)
        else:
            review.warnings.append(warning)
    codes = [str(c["code"]) for c in draft.resolutions.values() if c.get("code")]
    chosen = {u.code: u for u in OrgUnit.objects.filter(code__in=codes)}
    open_names: dict[str, ReviewName] = {}
    notes = {normalise_name(str(n.get("term") or "")): n for n in draft.document.get("scope_notes", [])}

    def open_name(name: str, task: int, local: bool, found: Resolution | None) -> dict[str, object]:
        choice = draft.resolutions.get(name, {})
        entry = open_names.get(name)
        if entry is None:
            suggestions = _suggested_units(index, found)
            picked = chosen.get(str(choice.get("code") or ""))
            if picked is not None and picked not in suggestions:
                suggestions.insert(0, picked)
            entry = open_names[name] = ReviewName(name, [], local, suggestions, choice)
        if task not in entry.tasks:
            entry.tasks.append(task)
        return choice

    for raw in draft.document.get("tasks", []):
        units: list[ReviewUnit] = []
        for ref in raw["units"]:
            name, role = ref["name"], ref["role"]
            choice = draft.resolutions.get(name, {})
            collective = index.collective(name) if role == "local" else None
            if collective is not None:
                units.append(ReviewUnit(name, role, None, collective.members.count(), "collective"))
                # The places a scope note adds or takes away (含洋浦, 不含三沙) must be known units too.
                note = notes.get(normalise_name(name)) or notes.get(normalise_name(collective.term))
                for place in [*note.get("includes", []), *note.get("excludes", [])] if note else []:
                    found = index.resolve(place, region=draft.region)
                    if found.unit is None or place in draft.resolutions:
                        open_name(place, raw["number"], False, found)
                continue
            found = index.resolve(name, region=draft.region)
            if found.unit is not None and not choice:
                units.append(ReviewUnit(name, role, found.unit, how="registry"))
                continue
            choice = open_name(name, raw["number"], role == "local", found)
            code = str(choice.get("code") or "")
            units.append(ReviewUnit(name, role, chosen.get(code), how="new" if choice.get("new") else "office"))
        review.tasks.append(
            ReviewTask(raw["number"], raw["text"], units, raw["targets"], by_task.get(raw["number"], []))
        )
    review.names = list(open_names.values())
    return review


def _suggested_units(index: NameIndex, found: Resolution | None) -> list[OrgUnit]:
    """The registry units closest to a name that resolved to none: those it is ambiguous between, else the
    units of the closest spellings."""
    if found is None:
        return []
    units = list(found.ambiguous) or [unit for name in found.suggestions for unit in index.units_named(name)]
    return list({unit.pk: unit for unit in units}.values())
