"""Task closure (销号): the office closes a task that is done, or reopens it."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction

from duban.accounts.access import access_for
from duban.audit.services import audit_record
from duban.plans.models import Task
from duban.reporting.models import TaskClosure
from duban.reporting.selectors import closed_task_ids
from duban.reporting.services.errors import WorkflowError


def task_close(*, task: Task, by: User, reason: str) -> TaskClosure:
    """销号: the office closes a task that is done."""
    return _closure(task, by, reason, TaskClosure.Action.CLOSE)


def task_reopen(*, task: Task, by: User, reason: str) -> TaskClosure:
    """The office reopens a closed task."""
    return _closure(task, by, reason, TaskClosure.Action.REOPEN)


def _closure(task: Task, by: User, reason: str, action: str) -> TaskClosure:
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
            after={"closed": not closed, "reason": step.reason},
        )
    return step
