"""Import jobs (导入任务): a file uploaded on the import page is checked by rehearsing its import, confirmed by the
office, and imported outside the request, by the very services ``duban import-data`` and ``import-facilities``
call.

The work runs in a thread of the web process that took the confirmation (``IMPORT_JOBS_RUNNER = "thread"``,
the default: no other server is needed, on SQLite as on PostgreSQL), or in ``duban import-jobs --run`` where
the operator prefers a process of its own (``"command"``). Either way a job is claimed by one conditional
UPDATE, so two runners never both take it, and its heartbeat shows when the process running it has gone away.
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import connections, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from duban.audit.services import audit_record
from duban.core.errors import ImportRefused, UserError
from duban.core.tables import TableFileError
from duban.core.users import Actor
from duban.indicators.models import ImportJob, ImportKind, ImportState
from duban.indicators.selectors import import_job_is_stale, import_jobs_stale
from duban.indicators.services.compute import indicators_after_import
from duban.indicators.services.data import data_import_table
from duban.indicators.services.facilities import facility_import_table
from duban.indicators.services.importing import ImportReport

logger = logging.getLogger(__name__)

# A job's steps, stored in Chinese and translated where they are shown.
STEP_QUEUED = gettext_noop("排队等待")
STEP_READING = gettext_noop("读取文件")
STEP_WRITING = gettext_noop("检查并写入数据")
STEP_COMPUTING = gettext_noop("计算指标")
STEP_DONE = gettext_noop("完成")

_IMPORTERS: dict[str, Callable[..., ImportReport]] = {
    ImportKind.DATA: data_import_table,
    ImportKind.FACILITIES: facility_import_table,
}


def _safe_name(name: str) -> str:
    # Only ever shown and written into messages, never used as a path.
    return Path(name.replace("\\", "/")).name.strip()[:200] or "upload"


def import_job_check(*, kind: str, name: str, content: bytes, by: User) -> ImportJob:
    """Check an uploaded file by rehearsing its import (every bad row at once, the plausibility warnings the
    import would give). A file that would import is kept as a job waiting for confirmation; any other raises
    a ``UserError`` naming the file and the problem, and nothing is stored."""
    name = _safe_name(name)
    if kind not in _IMPORTERS:
        raise UserError("请选择导入的内容：统计数据或机构登记 (choose what the file holds)")
    if not content:
        raise TableFileError(f"{name}: 文件为空 (the file is empty)")
    limit = settings.IMPORT_MAX_BYTES
    if len(content) > limit:
        mib = 1024 * 1024
        raise TableFileError(f"{name}: 文件有 {len(content) / mib:.1f} MB，超过上限 {limit / mib:.0f} MB (too large)")
    report = _IMPORTERS[kind](data=content, name=name, by=by, dry_run=True)
    with transaction.atomic():
        job = ImportJob.objects.create(
            kind=kind,
            file_name=name,
            content=content,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            rows=report.created + report.updated + report.unchanged + report.skipped,
            check_report=report.as_dict(),
            created_by=by,
        )
        audit_record(actor=by, action="import_job_check", obj=job, after=_summary(job))
        import_jobs_expire()
    return job


def import_jobs_expire(*, now: datetime | None = None) -> int:
    """Checked files nobody confirmed within ``IMPORT_CHECKED_KEEP_DAYS`` are discarded, their bytes dropped: the
    data may have moved on since the check, and an upload is not kept for ever. Run with every new upload and by
    ``duban import-jobs --run``; how many were discarded."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.IMPORT_CHECKED_KEEP_DAYS)
    expired = 0
    for job in ImportJob.objects.defer("content").filter(state=ImportState.CHECKED, created_at__lt=cutoff):
        taken = ImportJob.objects.filter(pk=job.pk, state=ImportState.CHECKED).update(
            state=ImportState.DISCARDED, content=b"", finished_at=now, error="超过保留期限未确认，已自动放弃"
        )
        if taken:
            job.refresh_from_db()
            audit_record(actor=None, action="import_job_expire", obj=job, after=_summary(job))
            expired += 1
    return expired


def import_job_confirm(*, job: ImportJob, by: User) -> ImportJob:
    """确认导入: queue a checked job and, with the thread runner, start it once the confirmation is committed."""
    now = timezone.now()
    with transaction.atomic():
        # One conditional UPDATE: of two confirmations sent at once, one finds the job no longer checked.
        taken = ImportJob.objects.filter(pk=job.pk, state=ImportState.CHECKED).update(
            state=ImportState.QUEUED, confirmed_by=by, confirmed_at=now, step=STEP_QUEUED, progress=0
        )
        job.refresh_from_db()
        if not taken:
            raise UserError(f"导入任务“{job.file_name}”当前为“{job.get_state_display()}”，不能再确认 (not waiting)")
        audit_record(actor=by, action="import_job_confirm", obj=job, after=_summary(job))
        _start_after_commit(job.pk)
    return job


def import_job_discard(*, job: ImportJob, by: User) -> ImportJob:
    """放弃: a checked job is not imported; its file is dropped."""
    with transaction.atomic():
        taken = ImportJob.objects.filter(pk=job.pk, state=ImportState.CHECKED).update(
            state=ImportState.DISCARDED, content=b"", step="", finished_at=timezone.now()
        )
        job.refresh_from_db()
        if not taken:
            raise UserError(f"导入任务“{job.file_name}”当前为“{job.get_state_display()}”，不能放弃 (not waiting)")
        audit_record(actor=by, action="import_job_discard", obj=job, after=_summary(job))
    return job


def import_job_retry(*, job: ImportJob, by: User) -> ImportJob:
    """重新导入: queue again a job that failed, or one whose process has gone away (stale). The import is all
    or nothing and a second run of the same file changes nothing, so running it again is always safe; a job
    whose data were written before it stopped only recomputes the indicators."""
    now = timezone.now()
    with transaction.atomic():
        current = ImportJob.objects.get(pk=job.pk)
        if not (current.state == ImportState.FAILED or import_job_is_stale(current, now=now)):
            raise UserError(
                f"导入任务“{current.file_name}”当前为“{current.get_state_display()}”，不需要重新导入 (not failed)"
            )
        taken = ImportJob.objects.filter(pk=job.pk, state=current.state).update(
            state=ImportState.QUEUED,
            confirmed_by=by,
            confirmed_at=now,
            started_at=None,
            heartbeat_at=None,
            finished_at=None,
            worker="",
            error="",
            step=STEP_QUEUED,
            progress=0,
        )
        job.refresh_from_db()
        if not taken:
            raise UserError(f"导入任务“{job.file_name}”刚刚已有变化，请刷新页面 (changed meanwhile)")
        audit_record(actor=by, action="import_job_retry", obj=job, after=_summary(job))
        _start_after_commit(job.pk)
    return job


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Run one queued job to its end; None if another runner took it first.

    The data are written in one transaction with the job's record of it (its result), so after a crash the
    job knows whether anything was written: a retry then recomputes the indicators only.
    """
    now = timezone.now()
    taken = ImportJob.objects.filter(pk=job_id, state=ImportState.QUEUED).update(
        state=ImportState.RUNNING, started_at=now, heartbeat_at=now, worker=_worker(), progress=5, step=STEP_READING
    )
    if not taken:
        return None
    job = ImportJob.objects.select_related("confirmed_by").get(pk=job_id)
    try:
        if job.result is None:
            _progress(job, 10, STEP_WRITING)
            with transaction.atomic():
                report = _IMPORTERS[job.kind](data=bytes(job.content), name=job.file_name, by=job.confirmed_by)
                job.result = report.as_dict()
                _progress(job, 60, STEP_COMPUTING, also=["result"])
        else:
            _progress(job, 60, STEP_COMPUTING)
        computed = indicators_after_import(org_ids=set(job.result["orgs"]))
        job.result = {**job.result, "values": computed.values if computed is not None else None}
        job.state, job.progress, job.step = ImportState.DONE, 100, STEP_DONE
        job.finished_at = job.heartbeat_at = timezone.now()
        # The file has done its work; what it changed is in the audit trail.
        job.content = b""
        job.save(update_fields=["result", "state", "progress", "step", "finished_at", "heartbeat_at", "content"])
    except ImportRefused as exc:
        # The data changed between the check and the run so that the file no longer imports.
        _fail(job, "导入时文件未通过检查，未写入任何数据：\n" + "\n".join(exc.problems))
    except UserError as exc:
        _fail(job, f"导入时文件未通过检查，未写入任何数据：{exc}")
    except Exception as exc:
        logger.exception("import job %s failed", job_id)
        stored = ImportJob.objects.filter(pk=job_id).values_list("result", flat=True).first()
        written = "数据已写入，但指标未重算完成" if stored is not None else "未写入任何数据"
        _fail(job, f"导入时出现系统错误（{type(exc).__name__}），{written}；可重新导入，或请管理员查看日志。")
    return job


def import_jobs_run_pending() -> list[ImportJob]:
    """``duban import-jobs --run``: mark the jobs whose process has gone away as failed (so that a person sees
    them) and discard the checked files nobody confirmed, then run every queued job, oldest first."""
    import_jobs_recover()
    import_jobs_expire()
    ran = []
    for pk in (
        ImportJob.objects.filter(state=ImportState.QUEUED).order_by("confirmed_at", "pk").values_list("pk", flat=True)
    ):
        job = import_job_run(job_id=pk)
        if job is not None:
            ran.append(job)
    return ran


def import_jobs_recover(*, by: Actor = None) -> list[ImportJob]:
    """Running jobs whose heartbeat stopped: failed, with what was and was not written, to be retried."""
    failed = []
    for job in import_jobs_stale():
        if job.state != ImportState.RUNNING:
            continue
        written = "数据已写入，指标尚未重算" if job.result is not None else "未写入任何数据"
        taken = ImportJob.objects.filter(pk=job.pk, state=ImportState.RUNNING, heartbeat_at=job.heartbeat_at).update(
            state=ImportState.FAILED,
            finished_at=timezone.now(),
            error=f"处理中断：执行进程 {job.worker} 自 {timezone.localtime(job.heartbeat_at):%Y-%m-%d %H:%M} 起无进展，"
            f"{written}；可重新导入。",
        )
        if taken:
            job.refresh_from_db()
            audit_record(actor=by, action="import_job_recover", obj=job, after=_summary(job))
            failed.append(job)
    return failed


def _progress(job: ImportJob, percent: int, step: str, *, also: list[str] | None = None) -> None:
    job.progress, job.step, job.heartbeat_at = percent, step, timezone.now()
    job.save(update_fields=["progress", "step", "heartbeat_at", *(also or [])])


def _fail(job: ImportJob, error: str) -> None:
    # The job as the database has it now: a rolled-back write left nothing of its result behind.
    result = ImportJob.objects.filter(pk=job.pk).values_list("result", flat=True).first()
    ImportJob.objects.filter(pk=job.pk).update(
        state=ImportState.FAILED, error=error, result=result, finished_at=timezone.now(), step=""
    )
    job.refresh_from_db()


def _summary(job: ImportJob) -> dict[str, Any]:
    return {
        "kind": job.kind,
        "state": job.state,
        "file_name": job.file_name,
        "size": job.size,
        "sha256": job.sha256,
        "rows": job.rows,
    }


def _worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"[:100]


def _start_after_commit(job_id: int) -> None:
    if settings.IMPORT_JOBS_RUNNER != "thread":
        return
    transaction.on_commit(lambda: _start_thread(job_id))


def _start_thread(job_id: int) -> None:
    def work() -> None:
        try:
            import_job_run(job_id=job_id)
        finally:
            # The thread's own connection; a thread that ends without closing it leaks it on PostgreSQL.
            connections.close_all()

    # A daemon thread: a web process that stops takes the job with it, and the job's heartbeat says so.
    threading.Thread(target=work, name=f"duban-import-{job_id}", daemon=True).start()
