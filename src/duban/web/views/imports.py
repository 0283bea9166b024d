"""方案导入: the office uploads a task table, reviews and corrects what the parser read, and imports it — the
pages over ``plans.services.drafts``, which ends in the same ``plan_import`` as ``duban import-plan``."""

from __future__ import annotations

import copy
import csv
import io
import json
from datetime import date
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.core.errors import UserError
from duban.orgs.models import OrgUnit
from duban.orgs.selectors import unit_find
from duban.plans import selectors as plans
from duban.plans.models import Assignment, Plan, PlanDraft
from duban.plans.services import (
    DEFAULT_REGION,
    plan_draft_create,
    plan_draft_discard,
    plan_draft_import,
    plan_draft_mapping_rows,
    plan_draft_preview,
    plan_draft_save,
)
from duban.plans.services.drafts import NEW_UNIT_KINDS, DraftPreview, check_document_size
from duban.taskdoc.model import warning_renumbered, warning_task
from duban.web.views.base import SignedInRequest, office_page

ROLES = Assignment.Role.choices


@office_page
def import_list(request: SignedInRequest) -> HttpResponse:
    return render(
        request,
        "duban/imports.html",
        {
            "drafts": plans.draft_list()[:50],
            "plans": plans.plans_in_force(),
            "regions": OrgUnit.objects.filter(level=OrgUnit.Level.PROVINCE).order_by("code"),
            "default_region": DEFAULT_REGION,
        },
    )


@office_page
@require_POST
def import_upload(request: SignedInRequest) -> HttpResponse:
    upload = request.FILES.get("document")
    if upload is None:
        messages.error(request, _("请选择要上传的文件"))
        return redirect("web:imports")
    try:
        check_document_size(upload.name or "", upload.size or 0)
        region = _region(request.POST.get("region", DEFAULT_REGION))
        draft = plan_draft_create(
            content=upload.read(),
            source_name=upload.name or "",
            region=region,
            by=request.user,
            issuing_body=request.POST.get("issuing_body", ""),
            document_number=request.POST.get("document_number", ""),
            issued_on=_date(request.POST.get("issued_on", "")),
            revises=_plan(request.POST.get("revises", "")),
        )
    except UserError as exc:
        messages.error(request, str(exc))
        return redirect("web:imports")
    return redirect("web:import_review", pk=draft.pk)


@office_page
def import_review(request: SignedInRequest, pk: int) -> HttpResponse:
    draft = plans.draft_get(pk=pk)
    preview = plan_draft_preview(draft=draft) if draft.status == PlanDraft.Status.DRAFT else None
    return render(request, "duban/import_review.html", _review_context(draft, preview=preview))


def _review_context(draft: PlanDraft, *, preview: DraftPreview | None, unsaved: bool = False) -> dict[str, Any]:
    in_force = list(plans.plans_in_force())
    if draft.revises is not None and draft.revises not in in_force:
        in_force.append(draft.revises)  # still shown as chosen; the preview says it was revised meanwhile
    return {
        "draft": draft,
        "review": plans.draft_review(draft=draft),
        "preview": preview,
        "unsaved": unsaved,
        "roles": ROLES,
        "kinds": [(k, OrgUnit.Kind(k).label) for k in NEW_UNIT_KINDS],
        "comparators": [">=", ">", "<=", "<", "="],
        "plans": in_force,
    }


@office_page
@require_POST
def import_save(request: SignedInRequest, pk: int) -> HttpResponse:
    draft = plans.draft_get(pk=pk)
    fields: Any = None
    try:
        fields = form_fields(request.POST)
        _save(fields, request, draft)
    except UserError as exc:
        return _review_again(request, draft, fields, exc)
    messages.success(request, _("已保存"))
    return redirect("web:import_review", pk=draft.pk)


@office_page
@require_POST
def import_commit(request: SignedInRequest, pk: int) -> HttpResponse:
    draft = plans.draft_get(pk=pk)
    fields: Any = None
    try:
        fields = form_fields(request.POST)
        draft = _save(fields, request, draft)
    except UserError as exc:
        return _review_again(request, draft, fields, exc)
    try:
        result = plan_draft_import(
            draft=draft,
            by=request.user,
            expected_version=draft.version,
            save_aliases=fields.get("save_aliases") == "1",
        )
    except UserError as exc:
        # The corrections are saved; only the import was refused, and the page shows them as stored.
        messages.error(request, str(exc))
        return redirect("web:import_review", pk=draft.pk)
    counts = result.counts()
    messages.success(
        request,
        _("已导入方案“%(title)s”：%(tasks)s 项任务，%(assignments)s 条分工，%(targets)s 个目标")
        % {"title": result.plan.title, **counts},
    )
    return redirect("web:overview")


def _review_again(request: SignedInRequest, draft: PlanDraft, fields: Any, error: UserError) -> HttpResponse:
    """The review page again after a save was refused, showing what the office typed (not what is stored), so
    that nothing typed is lost; the message says what to fix."""
    messages.error(request, str(error))
    shown = copy.copy(draft)
    unsaved = False
    if fields is not None:
        try:
            shown.document = document_from_form(fields, draft.document, strict=False)
            shown.resolutions = resolutions_from_form(fields)
        except UserError:
            pass  # the form itself is broken (a tampered count): show what is stored
        else:
            shown.issuing_body = fields.get("issuing_body", "")
            shown.document_number = fields.get("document_number", "")
            shown.version = _int(fields.get("version", "")) or draft.version
            unsaved = True
    # 200, as Django's own form views answer a form sent back for correction: the page is what the office
    # needs next, not an error of the request.
    return render(request, "duban/import_review.html", _review_context(shown, preview=None, unsaved=unsaved))


@office_page
@require_POST
def import_discard(request: SignedInRequest, pk: int) -> HttpResponse:
    draft = plans.draft_get(pk=pk)
    try:
        plan_draft_discard(draft=draft, by=request.user, expected_version=_version(request))
    except UserError as exc:
        messages.error(request, str(exc))
        return redirect("web:import_review", pk=draft.pk)
    messages.success(request, _("已放弃这份草稿"))
    return redirect("web:imports")


@office_page
def import_mapping(request: SignedInRequest, pk: int) -> HttpResponse:
    """The names mapped on the review page, as a ``--map`` file for ``duban import-plan``."""
    draft = plans.draft_get(pk=pk)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["name", "code"])
    writer.writeheader()
    writer.writerows(plan_draft_mapping_rows(draft=draft))
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mapping-{draft.pk}.csv"'
    return response


# --------------------------------------------------------------------------------------- the form


def form_fields(post: Any) -> Any:
    """The review form's fields: sent one by one, or (by the page's script) packed as one JSON field
    ``packed``, since Django refuses a request of more than DATA_UPLOAD_MAX_NUMBER_FIELDS fields and a table of
    a hundred tasks has more."""
    packed = post.get("packed")
    if not packed:
        return post
    try:
        fields = json.loads(packed)
    except ValueError:
        fields = None
    if (
        not isinstance(fields, dict)
        or not all(isinstance(v, str) for v in fields.values())
        or "packed" in fields
        or "version" not in fields
    ):
        raise UserError(_("表单内容无法读取，请重新打开页面再改"))
    return fields


def _save(fields: Any, request: SignedInRequest, draft: PlanDraft) -> PlanDraft:
    return plan_draft_save(
        draft=draft,
        by=request.user,
        expected_version=_int(fields.get("version", "")) or 0,
        document=document_from_form(fields, draft.document),
        resolutions=resolutions_from_form(fields),
        issuing_body=fields.get("issuing_body", ""),
        document_number=fields.get("document_number", ""),
        issued_on=_date(fields.get("issued_on", "")),
        revises=_plan(fields.get("revises", "")),
    )


# Bounds on the counts a review form states, so that a tampered form is refused instead of looping.
MAX_TASKS = 3000
MAX_ROWS = 500


def document_from_form(post: Any, base: dict[str, Any], *, strict: bool = True) -> dict[str, Any]:
    """The corrected document from the review form: ``t-I-…`` fields per task, ``t-I-u-J-…`` per unit and
    ``t-I-g-K-…`` per target (the blank row under each table, and rows the page's script added, included).
    A task may be dropped, merged into the one before it, or split: the copy follows it as the next number and
    the tasks after it move up one. Each task's form carries the parser's warnings on it (``t-I-warnings``),
    so that they follow it to its new number, and leave with it when it is dropped. ``strict=False`` reads a
    form that is to be shown again as typed, letting a task that is both merged and split stay as it is."""
    tasks: list[dict[str, Any]] = []
    warnings: list[str] = [w for w in base.get("warnings", []) if warning_task(w) is None]
    shift = 0
    for i in range(_count(post, "tasks", MAX_TASKS)):
        prefix = f"t-{i}-"
        if post.get(prefix + "drop"):
            continue
        number = _int(post.get(prefix + "number", ""))
        task: dict[str, Any] = {
            "number": number + shift if number is not None else None,
            "text": post.get(prefix + "text", "").strip(),
            "units": _units_from_form(post, prefix),
            "targets": _targets_from_form(post, prefix),
        }
        own = [w for w in post.get(prefix + "warnings", "").splitlines() if w.strip()]
        merge, split = post.get(prefix + "merge"), post.get(prefix + "split")
        if merge and split:
            if strict:
                raise UserError(
                    _("第%(n)s项任务不能同时“并入上一项”和“拆分”，请只选一项") % {"n": number if number else i + 1}
                )
            merge = split = None
        if merge and tasks:
            previous = tasks[-1]
            previous["text"] += task["text"]
            previous["units"] += [u for u in task["units"] if u not in previous["units"]]
            previous["targets"] += task["targets"]
            warnings += [warning_renumbered(w, previous["number"]) for w in own]
            continue
        warnings += [warning_renumbered(w, task["number"]) for w in own]
        tasks.append(task)
        if split and isinstance(task["number"], int):
            shift += 1
            tasks.append({**task, "number": task["number"] + 1, "units": list(task["units"]), "targets": []})
    return {**base, "tasks": tasks, "warnings": warnings}


def _units_from_form(post: Any, prefix: str) -> list[dict[str, str]]:
    units = []
    # One index past the count: the blank row a page without its script offers for a new unit.
    for j in range(_count(post, prefix + "units", MAX_ROWS) + 1):
        unit = f"{prefix}u-{j}-"
        name = post.get(unit + "name", "").strip()
        if name and not post.get(unit + "drop"):
            units.append({"name": name, "role": post.get(unit + "role", "responsible")})
    return units


def _targets_from_form(post: Any, prefix: str) -> list[dict[str, Any]]:
    targets = []
    for k in range(_count(post, prefix + "targets", MAX_ROWS) + 1):
        goal = f"{prefix}g-{k}-"
        subject = post.get(goal + "subject", "").strip()
        if not subject or post.get(goal + "drop"):
            continue
        kind = post.get(goal + "kind", "quantity")
        target: dict[str, Any] = {"kind": kind, "subject": subject}
        if kind == "quantity":
            target["comparator"] = post.get(goal + "comparator", ">=")
            target["value"] = post.get(goal + "value", "").strip()
            target["unit"] = post.get(goal + "unit", "").strip() or None
        target["deadline"] = post.get(goal + "deadline", "").strip() or None
        targets.append(target)
    return targets


def resolutions_from_form(post: Any) -> dict[str, dict[str, Any]]:
    """``r-N-name`` with ``r-N-choice``: a unit code, ``new`` (add it, ``r-N-kind`` under ``r-N-parent``) or
    nothing (still open)."""
    resolutions: dict[str, dict[str, Any]] = {}
    for n in range(_count(post, "names", MAX_TASKS)):
        name = post.get(f"r-{n}-name", "")
        choice = post.get(f"r-{n}-choice", "").strip()
        if not name or not choice:
            continue
        if choice == "new":
            resolutions[name] = {
                "new": {
                    "name": post.get(f"r-{n}-new-name", "").strip() or name,
                    "kind": post.get(f"r-{n}-kind", "other"),
                    "parent": post.get(f"r-{n}-parent", "").strip(),
                }
            }
        else:
            resolutions[name] = {"code": choice}
    return resolutions


def _version(request: SignedInRequest) -> int:
    return _int(request.POST.get("version", "")) or 0


def _count(post: Any, key: str, limit: int) -> int:
    raw = post.get(key, "0") or "0"
    number = _int(raw)
    if number is None or not 0 <= number <= limit:
        raise UserError(_("表单字段 %(key)s 的值“%(value)s”无效，请重新打开页面再改") % {"key": key, "value": raw[:20]})
    return number


def _int(raw: str) -> int | None:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


def _date(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        raise UserError(_("印发日期“%(value)s”不是有效日期") % {"value": raw}) from None


def _region(code: str) -> OrgUnit:
    unit = unit_find(code_or_name=code or DEFAULT_REGION)
    if unit is None:
        raise UserError(_("地区 %(code)s 不在登记册中") % {"code": code})
    return unit


def _plan(raw: str) -> Plan | None:
    if not raw:
        return None
    number = _int(raw)
    # Any plan, not only those in force: one revised meanwhile is refused by the import, which names its
    # later revision.
    plan = plans.plan_list().filter(pk=number).first() if number else None
    if plan is None:
        raise UserError(_("要修订的方案 %(pk)s 不存在") % {"pk": raw})
    return plan
