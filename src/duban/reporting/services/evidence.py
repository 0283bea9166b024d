"""Evidence (佐证材料): files attached to a report while it can be edited, checked by their content."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction

from duban.accounts.access import access_for
from duban.audit.services import audit_record, snapshot
from duban.reporting import rules
from duban.reporting.models import Evidence, ProgressReport
from duban.reporting.services.errors import WorkflowError


@dataclass(frozen=True)
class EvidenceKind:
    mime: str
    label: str


# Checked on the bytes, never on the name or the browser's word: a renamed executable is refused.
EVIDENCE_KINDS = {
    "pdf": EvidenceKind("application/pdf", "PDF"),
    "png": EvidenceKind("image/png", "PNG"),
    "jpg": EvidenceKind("image/jpeg", "JPEG"),
    "gif": EvidenceKind("image/gif", "GIF"),
    "webp": EvidenceKind("image/webp", "WebP"),
    "docx": EvidenceKind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word"),
    "xlsx": EvidenceKind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel"),
    "pptx": EvidenceKind("application/vnd.openxmlformats-officedocument.presentationml.presentation", "PowerPoint"),
    "doc": EvidenceKind("application/msword", "Word 97–2003"),
    "xls": EvidenceKind("application/vnd.ms-excel", "Excel 97–2003"),
}


def evidence_add(*, report: ProgressReport, by: User, name: str, content: bytes) -> Evidence:
    """Attach a file after checking what it is by its content and that it is not too big."""
    if not rules.can_edit(access_for(by), report):
        raise PermissionDenied
    limit = settings.EVIDENCE_MAX_BYTES
    if len(content) == 0:
        raise WorkflowError(f"文件“{name}”是空的")
    if len(content) > limit:
        mib = 1024 * 1024
        raise WorkflowError(f"文件“{name}”有 {len(content) / mib:.1f} MB，超过上限 {limit / mib:.0f} MB")
    guessed = filetype.guess(content)
    kind = EVIDENCE_KINDS.get(guessed.extension) if guessed else None
    if kind is None:
        allowed = "、".join(sorted({k.label for k in EVIDENCE_KINDS.values()}))
        raise WorkflowError(f"文件“{name}”不是可接受的类型（按内容识别）；可上传：{allowed}")
    safe_name = name.replace("/", "_").replace("\\", "_").strip()[:200] or f"evidence.{guessed.extension}"
    with transaction.atomic():
        _lock_editable(report, by)
        evidence = Evidence(
            report=report,
            name=safe_name,
            content_type=kind.mime,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_by=by,
        )
        # Stored under a random name: the name given is only shown, never used as a path.
        evidence.file.save(f"{uuid.uuid4().hex}.{guessed.extension}", ContentFile(content), save=False)
        evidence.save()
        audit_record(actor=by, action="evidence_add", obj=evidence, after=snapshot(evidence))
    return evidence


def _lock_editable(report: ProgressReport, by: User) -> None:
    """Hold the report while its evidence changes, and check again that it is still editable: a sign-off
    or a review may have landed since the page was opened."""
    current = ProgressReport.objects.select_for_update().select_related("assignment").get(pk=report.pk)
    if not rules.can_edit(access_for(by), current):
        raise WorkflowError(f"报告当前状态为“{current.get_status_display()}”，不能再增删佐证材料")


def evidence_remove(*, evidence: Evidence, by: User) -> None:
    if not rules.can_edit(access_for(by), evidence.report):
        raise PermissionDenied
    with transaction.atomic():
        _lock_editable(evidence.report, by)
        audit_record(actor=by, action="evidence_remove", obj=evidence, before=snapshot(evidence))
        stored = evidence.file.name
        evidence.delete()
        transaction.on_commit(lambda: evidence.file.storage.delete(stored))
