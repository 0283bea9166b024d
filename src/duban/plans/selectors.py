"""Reads for plans. A plan, its tasks, targets and assignments are open to every signed-in user and to the
command line alike (the task-division table is a published document), so these selectors take no user;
what differs between users is their reports, read through ``reporting.selectors``.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from duban.core.errors import UserError
from duban.orgs.models import OrgUnit
from duban.plans.models import Assignment, Plan, Target, Task


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
    assignments = Assignment.objects.filter(task__plan=plan).select_related("task", "unit")
    if unit is not None:
        assignments = assignments.filter(unit=unit)
    return assignments.order_by("task__number", "pk")
