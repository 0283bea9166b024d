"""Importing a plan in the browser (方案导入): a document is uploaded and read into a draft, the office corrects
the draft, and the draft is imported by ``plan_import`` — the service ``duban import-plan`` ends in too.

A draft keeps the parser's reading and the corrected document side by side, and every save adds to its record
of corrections who changed what from what. Two people may open the same draft: each save names the version it
was based on, and a save based on an older version is refused with the name of whoever saved in between.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from duban.audit.services import audit_record
from duban.core.errors import UserError
from duban.core.tables import Row
from duban.orgs.models import OrgUnit
from duban.orgs.naming import normalise_name
from duban.orgs.selectors import NameIndex
from duban.orgs.services import RegistryError, alias_add, org_import
from duban.plans.models import Plan, PlanDraft
from duban.plans.services.importing import (
    PlanDiff,
    PlanImportError,
    PlanImportResult,
    check_plan_facts,
    plan_import,
    plan_import_preview,
)
from duban.taskdoc import DocumentError, TaskDocument, parse_bytes
from duban.taskdoc.model import DocumentShapeError, document_from_dict

NEW_UNIT_KINDS = ("department", "affiliated", "central", "mass_org", "enterprise", "other")


class DraftError(UserError):
    """A draft that could not be made, saved or imported; the message says why. Nothing was written."""


class DraftConflict(DraftError):
    """Someone else saved the draft after this page was opened: their work is kept, this save is refused."""


def plan_draft_create(
    *,
    content: bytes,
    source_name: str,
    region: OrgUnit,
    by: User,
    issuing_body: str = "",
    document_number: str = "",
    issued_on: date | None = None,
    revises: Plan | None = None,
) -> PlanDraft:
    """Read an uploaded document into a draft. What the form leaves empty is taken from the document where it
    says it (文号, 印发机关, the date under the signature)."""
    name = source_name.replace("/", "_").replace("\\", "_").strip()[:200] or "document"
    if region.kind != OrgUnit.Kind.AREA:
        raise DraftError(
            f"“{region.name}”（{region.code}）是单位，不是地区；请选择省、市县或区 (the region must be an area)"
        )
    if not content:
        raise DraftError(f"{name}: 文件是空的 (the file is empty)")
    check_document_size(name, len(content))
    try:
        document = parse_bytes(content, name)
    except DocumentError as exc:
        raise DraftError(str(exc)) from exc
    facts = document.facts
    parsed = document.to_dict()
    with transaction.atomic():
        draft = PlanDraft.objects.create(
            source_name=name,
            source_sha256=hashlib.sha256(content).hexdigest(),
            content=content,
            parsed=parsed,
            document=parsed,
            region=region,
            issuing_body=issuing_body or facts.issuing_body,
            document_number=document_number or facts.document_number,
            issued_on=issued_on or (date.fromisoformat(facts.issued_on) if facts.issued_on else None),
            revises=revises,
            created_by=by,
            updated_by=by,
        )
        audit_record(
            actor=by,
            action="plan_draft_create",
            obj=draft,
            after={"source": name, "sha256": draft.source_sha256, "tasks": len(document.tasks)},
        )
    return draft


def check_document_size(name: str, size: int) -> None:
    """Refuse a document larger than DUBAN_PLAN_DOCUMENT_MAX_MB — called by the page with the upload's size
    before its content is read."""
    limit = settings.PLAN_DOCUMENT_MAX_BYTES
    if size > limit:
        mib = 1024 * 1024
        raise DraftError(f"{name}: 文件有 {size / mib:.1f} MB，超过上限 {limit / mib:.0f} MB (too large)")


def plan_draft_save(
    *,
    draft: PlanDraft,
    by: User,
    expected_version: int,
    document: dict[str, Any],
    resolutions: dict[str, dict[str, Any]],
    issuing_body: str,
    document_number: str,
    issued_on: date | None,
    revises: Plan | None,
) -> PlanDraft:
    """Keep the office's corrections. The document is checked as a whole first; a wrong field is named and
    nothing is saved."""
    try:
        checked = document_from_dict(document)
    except DocumentShapeError as exc:
        raise DraftError(str(exc)) from exc
    clean_resolutions = _checked_resolutions(resolutions)
    try:
        check_plan_facts(issuing_body=issuing_body.strip(), document_number=document_number.strip())
    except PlanImportError as exc:
        raise DraftError(str(exc)) from exc
    with transaction.atomic():
        current = _claim(draft, expected_version)
        new_document = checked.to_dict()
        changes = describe_changes(current.document, new_document)
        changes += _resolution_changes(current.resolutions, clean_resolutions)
        meta = {
            "issuing_body": issuing_body.strip(),
            "document_number": document_number.strip(),
            "issued_on": issued_on,
            "revises": revises,
        }
        for key, value in meta.items():
            if getattr(current, key) != value:
                changes.append({"what": key, "from": _shown(getattr(current, key)), "to": _shown(value)})
                setattr(current, key, value)
        current.document = new_document
        current.resolutions = clean_resolutions
        if changes:
            stamp = {"by": by.get_username(), "at": timezone.now().isoformat(timespec="seconds")}
            current.corrections = [*current.corrections, *({**stamp, **change} for change in changes)]
        current.updated_by = by
        current.save()
        audit_record(actor=by, action="plan_draft_save", obj=current, after={"changes": changes})
    return current


@dataclass
class DraftPreview:
    """What importing the draft would do, computed without writing anything: the names that still resolve to no
    unit, and for a revision what changes against the plan it revises."""

    unresolved: list[str] = field(default_factory=list)
    diff: PlanDiff | None = None
    problem: str = ""


def plan_draft_preview(*, draft: PlanDraft) -> DraftPreview:
    """The outcome of importing the draft as it stands, before it is made. Only reads: the units the office
    chose to add stand in unsaved, so that opening the page never writes (nor waits for a writer)."""
    preview = DraftPreview()
    try:
        document = _checked_document(draft)
        preview.diff = plan_import_preview(
            document=document,
            source_sha256=draft.source_sha256,
            mapping=_mapped_units(draft, create=False),
            revises=draft.revises,
            region=draft.region,
            issued_on=draft.issued_on,
            issuing_body=draft.issuing_body,
            document_number=draft.document_number,
        )
    except PlanImportError as exc:
        preview.unresolved = [item.name for item in exc.unresolved]
        preview.problem = str(exc)
    except DraftError as exc:
        preview.problem = str(exc)
    return preview


def plan_draft_import(
    *, draft: PlanDraft, by: User, expected_version: int, save_aliases: bool = True
) -> PlanImportResult:
    """Import the corrected draft as a plan (or as a revision of the plan it names), all or nothing: units the
    office added are created and the draft is marked imported. Names the office mapped that the registry did
    not know at all are learnt as aliases; a name that was ambiguous (县民政局, one in every county) is not,
    since an alias holds everywhere."""
    with transaction.atomic():
        current = _claim(draft, expected_version)
        document = _checked_document(current)
        mapping = _mapped_units(current, create=True, by=by)
        try:
            result = plan_import(
                document=document,
                source_sha256=current.source_sha256,
                mapping=mapping,
                revises=current.revises,
                region_code=current.region.code,
                issued_on=current.issued_on,
                issuing_body=current.issuing_body,
                document_number=current.document_number,
                by=by,
                refuse_same_source=True,
            )
        except PlanImportError as exc:
            raise DraftError(str(exc)) from exc
        learnt = _learn_aliases(current, mapping) if save_aliases else []
        current.status = PlanDraft.Status.IMPORTED
        current.plan = result.plan
        current.updated_by = by
        current.save()
        audit_record(
            actor=by,
            action="plan_draft_import",
            obj=current,
            after={"plan": result.plan.pk, "corrections": len(current.corrections), "aliases": learnt},
        )
    return result


def _learn_aliases(draft: PlanDraft, mapping: dict[str, OrgUnit]) -> list[str]:
    index = NameIndex()
    learnt = []
    for name, unit in mapping.items():
        found = index.resolve(name, region=draft.region)
        if found.unit is not None or found.ambiguous:
            continue
        try:
            alias_add(name=name, code=unit.code)
        except RegistryError:
            continue  # an alias is a convenience for next time; the import stands without it
        learnt.append(name)
    return learnt


def plan_draft_discard(*, draft: PlanDraft, by: User, expected_version: int) -> PlanDraft:
    with transaction.atomic():
        current = _claim(draft, expected_version)
        current.status = PlanDraft.Status.DISCARDED
        current.updated_by = by
        current.save()
        audit_record(actor=by, action="plan_draft_discard", obj=current)
    return current


def plan_drafts_purge(*, older_than_days: int, by: User | None = None) -> int:
    """Delete the drafts nobody has touched for ``older_than_days`` days that never became a plan (open or
    discarded), with their uploaded files; ``duban plan-drafts --purge DAYS`` for cron. A draft that was
    imported stays: it holds the plan's source file and the record of how it was corrected."""
    if not 1 <= older_than_days <= 36500:
        raise DraftError("--purge 的天数应在 1 到 36500 之间 (DAYS must be from 1 to 36500)")
    cutoff = timezone.now() - timedelta(days=older_than_days)
    with transaction.atomic():
        stale = PlanDraft.objects.filter(updated_at__lt=cutoff).exclude(status=PlanDraft.Status.IMPORTED)
        gone = list(stale.values_list("pk", "source_name"))
        stale.delete()
        if gone:
            audit_record(
                actor=by,
                action="plan_drafts_purge",
                object_type="plans.plandraft",
                object_repr=f"{len(gone)} 份草稿",
                after={"older_than_days": older_than_days, "drafts": [[pk, name] for pk, name in gone]},
            )
    return len(gone)


def plan_draft_mapping_rows(*, draft: PlanDraft) -> list[dict[str, str]]:
    """The names the office mapped to registry units, as rows of a ``--map`` file (columns name, code) that
    ``duban import-plan --map`` reads."""
    return [
        {"name": name, "code": str(choice["code"])}
        for name, choice in sorted(draft.resolutions.items())
        if choice.get("code")
    ]


# ---------------------------------------------------------------------------------------------- helpers


def _claim(draft: PlanDraft, expected_version: int) -> PlanDraft:
    """Take the draft for a change based on ``expected_version``: its version moves on by one in the same
    statement that checks it, so that of two saves on one version exactly one goes through — on SQLite too,
    where the statement that writes first is the one that waits for the database instead of failing."""
    claimed = PlanDraft.objects.filter(pk=draft.pk, version=expected_version, status=PlanDraft.Status.DRAFT).update(
        version=F("version") + 1
    )
    current = PlanDraft.objects.get(pk=draft.pk)
    if claimed:
        return current
    if current.status != PlanDraft.Status.DRAFT:
        raise DraftError(f"这份草稿已{current.get_status_display()}，不能再修改 (the draft is no longer open)")
    when = timezone.localtime(current.updated_at).strftime("%Y-%m-%d %H:%M")
    raise DraftConflict(
        f"{current.updated_by.get_username()} 已于 {when} 保存过这份草稿，您的修改未保存；请重新打开页面，"
        "在其基础上再改 (someone saved the draft after you opened it; reload it)"
    )


def _checked_document(draft: PlanDraft) -> TaskDocument:
    try:
        document: TaskDocument = document_from_dict(draft.document)
    except DocumentShapeError as exc:
        raise DraftError(str(exc)) from exc
    document.source = draft.source_name
    return document


def _mapped_units(draft: PlanDraft, *, create: bool, by: User | None = None) -> dict[str, OrgUnit]:
    """The registry unit of each name the office resolved, with the units it chose to add: created, or (for a
    preview) standing in unsaved under the code they will get. A unit to add whose name the registry already
    knows, or whose parent it does not, is refused: adding it would make that name ambiguous everywhere."""
    codes = {name: str(c["code"]) for name, c in draft.resolutions.items() if c.get("code")}
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=codes.values())}
    mapping: dict[str, OrgUnit] = {}
    for name, code in codes.items():
        if code not in units:
            raise DraftError(f"“{name}”对应的单位代码 {code} 不在登记册中 (unknown unit code)")
        mapping[name] = units[code]
    new = {name: c["new"] for name, c in draft.resolutions.items() if c.get("new")}
    if not new:
        return mapping
    _check_new_units(draft, new)
    if not create:
        for name, spec in new.items():
            mapping[name] = OrgUnit(code=_new_code(draft, _new_name(name, spec)), name=_new_name(name, spec))
        return mapping
    who = by.get_username() if by is not None else ""
    rows = [
        Row(
            k,
            {
                "code": _new_code(draft, _new_name(name, spec)),
                "name": _new_name(name, spec),
                "kind": str(spec.get("kind") or "other"),
                "parent_code": str(spec.get("parent") or draft.region.code),
                "aliases": name if _new_name(name, spec) != name else "",
                "source": f"方案导入 {draft.source_name}（{who} 新增）",
            },
        )
        for k, (name, spec) in enumerate(sorted(new.items()), start=1)
    ]
    try:
        org_import(rows=rows, source="方案导入")
    except RegistryError as exc:
        raise DraftError("新增单位有误：" + "；".join(exc.problems)) from exc
    created = {u.code: u for u in OrgUnit.objects.filter(code__in=[row.get("code") for row in rows])}
    for name, spec in new.items():
        mapping[name] = created[_new_code(draft, _new_name(name, spec))]
    return mapping


def _new_name(written: str, spec: dict[str, Any]) -> str:
    return str(spec.get("name") or written).strip()


def _check_new_units(draft: PlanDraft, new: dict[str, dict[str, Any]]) -> None:
    index = NameIndex()
    problems = []
    seen: dict[str, str] = {}
    parents = {str(spec.get("parent") or draft.region.code) for spec in new.values()}
    known_parents = set(OrgUnit.objects.filter(code__in=parents).values_list("code", flat=True))
    for written, spec in sorted(new.items()):
        name = _new_name(written, spec)
        found = index.resolve(name, region=draft.region)
        if found.unit is not None:
            problems.append(
                f"“{name}”已在登记册中（{found.unit.name}，{found.unit.code}），请把“{written}”对应为它，不要新增"
            )
        elif found.ambiguous:
            problems.append(f"“{name}”在登记册中对应多个单位，新增同名单位会使其更难区分；请改名或对应为其中之一")
        if name in seen:
            problems.append(f"“{written}”和“{seen[name]}”要新增为同一个单位“{name}”；请把其中一个对应为另一个")
        seen[name] = written
        parent = str(spec.get("parent") or draft.region.code)
        if parent not in known_parents:
            problems.append(f"“{name}”的上级单位代码 {parent} 不在登记册中")
    if problems:
        raise DraftError("新增单位有误：" + "；".join(problems) + " (units to add: see above)")


def _new_code(draft: PlanDraft, name: str) -> str:
    """A code for a unit the office adds: the region's code and a digest of its name, the same on every try."""
    return f"{draft.region.code}-{hashlib.sha256(normalise_name(name).encode()).hexdigest()[:8]}"


def _checked_resolutions(resolutions: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    clean: dict[str, dict[str, Any]] = {}
    for name, choice in resolutions.items():
        if choice.get("code"):
            clean[name] = {"code": str(choice["code"]).strip()}
        elif choice.get("new"):
            spec = choice["new"]
            kind = str(spec.get("kind") or "other")
            if kind not in NEW_UNIT_KINDS:
                raise DraftError(f"“{name}”：单位类别“{kind}”无效 (unknown kind)")
            clean[name] = {
                "new": {"name": str(spec.get("name") or name).strip(), "kind": kind, "parent": spec.get("parent") or ""}
            }
    return clean


def describe_changes(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """What a save changed, task by task: texts, units and targets from what they were to what they are."""
    changes: list[dict[str, Any]] = []
    old = {t["number"]: t for t in before.get("tasks", [])}
    new = {t["number"]: t for t in after.get("tasks", [])}
    for number in sorted(old.keys() - new.keys()):
        changes.append({"what": "task_removed", "task": number, "from": old[number]["text"], "to": None})
    for number in sorted(new.keys() - old.keys()):
        changes.append({"what": "task_added", "task": number, "from": None, "to": new[number]["text"]})
    for number in sorted(old.keys() & new.keys()):
        for key in ("text", "units", "targets"):
            if old[number][key] != new[number][key]:
                changes.append({"what": key, "task": number, "from": old[number][key], "to": new[number][key]})
    return changes


def _resolution_changes(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"what": "unit_mapping", "name": name, "from": before.get(name), "to": after.get(name)}
        for name in sorted(before.keys() | after.keys())
        if before.get(name) != after.get(name)
    ]


def _shown(value: object) -> object:
    if isinstance(value, Plan):
        return value.pk
    if isinstance(value, date):
        return value.isoformat()
    return value
