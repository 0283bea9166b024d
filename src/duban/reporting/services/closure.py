"""Task closure (销号): the office closes a task that is done, or reopens it."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction

from duban.accounts.access import access_for
from duban.audit.services import audit_record
from duban.plans.models import Task
from duban.reporting.models import TaskClosure
from duban.reporting.selectors import closed_task_ids, closure_blockers
from duban.reporting.services.errors import WorkflowError


def task_close(*, task: Task, by: User, reason: str, override: bool = False) -> TaskClosure:
    """销号: the office closes a task that is done. While a linked indicator's target is neither achieved nor
    on track, or its figures are older than the last quarter, the closure is refused — unless the office
    overrides the check, which the closure's reason and the audit trail then record."""
    blockers = closure_blockers(task=task)
    if blockers and not override:
        raise WorkflowError(
            "不能销号：" + "；".join(blockers) + "。如确需销号，请勾选“越过指标检查”并写明理由 "
            "(the indicators say the task is not done; override with a reason)"
        )
    if blockers:
        reason = f"{reason.strip()}（越过指标检查：{'；'.join(blockers)}）" if reason.strip() else ""
    return _closure(task, by, reason, TaskClosure.Action.CLOSE, overridden=blockers)


def task_reopen(*, task: Task, by: User, reason: str) -> TaskClosure:
    """The office reopens a closed task."""
    return _closure(task, by, reason, TaskClosure.Action.REOPEN)


def _closure(task: Task, by: User, reason: str, action: str, overridden: list[str] | None = None) -> TaskClosure:
    if not access_for(by).office:
        raise PermissionDenied
    if not reason.strip():
        raise WorkflowError("请填写理由")
    with transaction.atomic():
        Task.objects.select_for_update().filter(pk=task.pk).first()
        closed = task.pk in closed_task_ids(plan=task.plan)
        if closed == (action == TaskClosure.Action.CLOSE):
            raise WorkflowError(f"任务{task.number}{'已销号' if closed else '未销号'}")
        step = TaskClosure.objects.create(task=task, action=action, reason=reason.strip(), by=by)
        audit_record(
            actor=by,
            action=f"task_{action}",
            obj=task,
            before={"closed": closed},
            after={"closed": not closed, "reason": step.reason, "overridden": overridden or []},
        )
    return step
