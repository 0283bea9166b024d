"""Writes for plans: importing a parsed task table as a plan with tasks, targets and assignments."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from duban.audit.services import audit_record
from duban.core.dataversion import data_changed
from duban.core.errors import UserError
from duban.core.tables import RowProblem, read_rows, require_columns
from duban.core.users import Actor
from duban.orgs.models import OrgUnit
from duban.orgs.naming import normalise_name
from duban.orgs.selectors import NameIndex
from duban.plans.models import Assignment, Plan, Target, Task
from duban.taskdoc import DocumentError, TaskDocument, parse_bytes

DEFAULT_REGION = "460000"
# 各市县政府, 各乡镇（街道）: a name written as a collective, which the registry's collectives should know.
_LOOKS_COLLECTIVE = re.compile(r"^(各|全市|全省|全县|所有)")


class PlanImportError(UserError):
    """A plan that was not imported; the message says what to do. Nothing was written."""

    def __init__(self, message: str, unresolved: list[UnresolvedName] | None = None) -> None:
        super().__init__(message)
        self.unresolved = unresolved or []


@dataclass
class UnresolvedName:
    name: str
    tasks: list[int]
    suggestions: list[str]
    reason: str = "unknown"

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, "tasks": self.tasks, "suggestions": self.suggestions, "reason": self.reason}


@dataclass
class PlanDiff:
    """What a revision changed against the plan it revises."""

    tasks_added: list[int] = field(default_factory=list)
    tasks_removed: list[int] = field(default_factory=list)
    tasks_reworded: list[int] = field(default_factory=list)
    tasks_renumbered: list[tuple[int, int]] = field(default_factory=list)
    units_added: dict[int, list[str]] = field(default_factory=dict)
    units_removed: dict[int, list[str]] = field(default_factory=dict)

    def is_empty(self) -> bool:
        return not any(
            (
                self.tasks_added,
                self.tasks_removed,
                self.tasks_reworded,
                self.tasks_renumbered,
                self.units_added,
                self.units_removed,
            )
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "tasks_added": self.tasks_added,
            "tasks_removed": self.tasks_removed,
            "tasks_reworded": self.tasks_reworded,
            "tasks_renumbered": [list(pair) for pair in self.tasks_renumbered],
            "units_added": {str(k): v for k, v in self.units_added.items()},
            "units_removed": {str(k): v for k, v in self.units_removed.items()},
        }


@dataclass
class PlanImportResult:
    plan: Plan
    created: bool
    diff: PlanDiff | None = None

    def counts(self) -> dict[str, object]:
        assignments = Assignment.objects.filter(task__plan=self.plan)
        by_role = Counter(assignments.values_list("role", flat=True))
        return {
            "plan": self.plan.pk,
            "created": self.created,
            "tasks": self.plan.tasks.count(),
            "targets": Target.objects.filter(task__plan=self.plan).count(),
            "assignments": assignments.count(),
            "by_role": {role: by_role.get(role, 0) for role in Assignment.Role.values},
            "unresolved": [],
        }


@dataclass
class _Resolved:
    unit: OrgUnit
    role: str
    name_as_written: str
    via_collective: str = ""


def read_mapping(path: str | Path) -> dict[str, OrgUnit]:
    """A ``--map`` file: CSV or XLSX with columns name, code."""
    rows = read_rows(path)
    require_columns(rows, path, ("name", "code"))
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=[r.get("code") for r in rows])}
    problems = []
    mapping: dict[str, OrgUnit] = {}
    for row in rows:
        unit = units.get(row.get("code"))
        if unit is None:
            problems.append(RowProblem(Path(path).name, row.number, "code", row.get("code"), "单位代码不存在"))
        elif not row.get("name"):
            problems.append(RowProblem(Path(path).name, row.number, "name", "", "名称不能为空"))
        else:
            mapping[row.get("name")] = unit
    if problems:
        raise PlanImportError("\n".join(str(p) for p in problems))
    return mapping


def plan_import_file(
    *,
    path: str | Path,
    mapping: dict[str, OrgUnit] | None = None,
    revises: Plan | None = None,
    region_code: str = DEFAULT_REGION,
    issued_on: date | None = None,
    issuing_body: str = "",
    document_number: str = "",
) -> PlanImportResult:
    """``duban import-plan FILE``: parse the file and import it."""
    path = Path(path)
    if not path.is_file():
        raise PlanImportError(f"{path}: 文件不存在 (no such file)")
    data = path.read_bytes()
    try:
        document = parse_bytes(data, path.name)
    except DocumentError as exc:
        raise PlanImportError(str(exc)) from exc
    return plan_import(
        document=document,
        source_sha256=hashlib.sha256(data).hexdigest(),
        mapping=mapping or {},
        revises=revises,
        region_code=region_code,
        issued_on=issued_on,
        issuing_body=issuing_body,
        document_number=document_number,
    )


def plan_import(
    *,
    document: TaskDocument,
    source_sha256: str,
    mapping: dict[str, OrgUnit],
    revises: Plan | None = None,
    region_code: str = DEFAULT_REGION,
    issued_on: date | None = None,
    issuing_body: str = "",
    document_number: str = "",
    by: Actor = None,
    refuse_same_source: bool = False,
) -> PlanImportResult:
    """Write the document as a plan, all or nothing. A file imported before gives back its plan, so that a
    command run twice changes nothing; ``refuse_same_source`` refuses it instead, for an import whose content
    a person corrected (the page), where giving back the old plan would drop the corrections unseen."""
    region = _region(region_code)
    same = Plan.objects.filter(source_sha256=source_sha256, region=region).first()
    if same is not None and not refuse_same_source:
        return PlanImportResult(same, created=False)
    check_plan_facts(issuing_body=issuing_body, document_number=document_number)
    _check_revision(revises)
    _check_new_plan(document, region, same, revises, refuse_same_source=refuse_same_source)
    resolved = _resolve_units(document, region, mapping, issued_on)
    with transaction.atomic():
        plan = Plan.objects.create(
            title=document.title or document.source,
            issuing_body=issuing_body,
            document_number=document_number,
            issued_on=issued_on,
            region=region,
            source_name=document.source,
            source_sha256=source_sha256,
            scope_notes=[n.to_dict() for n in document.scope_notes],
            revision=revises.revision + 1 if revises else 1,
            previous=revises,
        )
        for parsed in document.tasks:
            task = Task.objects.create(plan=plan, number=parsed.number, text=parsed.text)
            Target.objects.bulk_create(
                Target(
                    task=task,
                    position=position,
                    kind=target.kind,
                    subject=target.subject,
                    comparator=target.comparator or "",
                    value=Decimal(str(target.value)) if target.value is not None else None,
                    unit=target.unit or "",
                    deadline=date.fromisoformat(target.deadline) if target.deadline else None,
                )
                for position, target in enumerate(parsed.targets, start=1)
            )
            Assignment.objects.bulk_create(
                Assignment(
                    task=task,
                    unit=item.unit,
                    role=item.role,
                    name_as_written=item.name_as_written,
                    via_collective=item.via_collective,
                )
                for item in resolved[parsed.number]
            )
        diff = _carry_over(revises, plan) if revises is not None else None
        data_changed(what="import-plan")  # the pages show the new plan, not a cached view of the one before
        assignments = Assignment.objects.filter(task__plan=plan).select_related("task", "unit").order_by("pk")
        audit_record(
            actor=by,
            action="plan_import",
            obj=plan,
            before={"revises": revises.pk} if revises else None,
            after={
                "source": document.source,
                "sha256": source_sha256,
                "tasks": len(document.tasks),
                "assignments": [[a.task.number, a.unit.code, a.role] for a in assignments],
            },
        )
    return PlanImportResult(plan, created=True, diff=diff)


def _region(region_code: str) -> OrgUnit:
    region = OrgUnit.objects.filter(code=region_code).first()
    if region is None:
        raise PlanImportError(
            f"地区 {region_code} 不在登记册中，请先运行 duban init 或 duban import-orgs (unknown region)"
        )
    if region.kind != OrgUnit.Kind.AREA:
        raise PlanImportError(
            f"“{region.name}”（{region.code}）是单位，不是地区；方案的地区应为省、市县或区 (the region must be an area)"
        )
    return region


# The lengths Plan keeps (plans.models.Plan).
ISSUING_BODY_MAX = 200
DOCUMENT_NUMBER_MAX = 100


def check_plan_facts(*, issuing_body: str, document_number: str) -> None:
    """The 印发机关 and 文号 fit what a plan keeps; the draft's save checks them too, before anything is saved."""
    for label, value, limit in (
        ("印发机关", issuing_body, ISSUING_BODY_MAX),
        ("文号", document_number, DOCUMENT_NUMBER_MAX),
    ):
        if len(value) > limit:
            raise PlanImportError(f"{label}有 {len(value)} 个字，超过 {limit} 个 (too long)")


def _check_revision(revises: Plan | None) -> None:
    """A plan is revised once: a revision of one that a later revision has replaced would fork its history."""
    if revises is None:
        return
    later = Plan.objects.filter(previous=revises).first()
    if later is not None:
        raise PlanImportError(
            f"方案“{revises}”（编号 {revises.pk}）已被修订为“{later}”（编号 {later.pk}）；请选择修订最新的方案 "
            f"(plan {revises.pk} was revised already as plan {later.pk}; revise that one)"
        )


def _check_new_plan(
    document: TaskDocument, region: OrgUnit, same: Plan | None, revises: Plan | None, *, refuse_same_source: bool
) -> None:
    """What refuses a plan before any name is resolved: ``same``, the plan the same file gave before (where a
    person corrected it, unless this revises that plan), or a plan of the same title that this one does not say
    it revises."""
    if same is not None and refuse_same_source and not (revises and revises.source_sha256 == same.source_sha256):
        raise PlanImportError(
            f"{document.source}: 这份文件已导入为方案“{same.title}”（编号 {same.pk}）。如要按修改后的内容更新它，"
            f"请选择修订该方案（命令行：--revises {same.pk}） (this file was imported as plan {same.pk}; "
            "import the corrections as its revision)"
        )
    if revises is None:
        namesake = Plan.objects.filter(title=document.title or document.source, region=region).first()
        if namesake is not None:
            raise PlanImportError(
                f"{document.source}: 已有同名方案“{namesake.title}”（编号 {namesake.pk}）。如果这是它的修订版，"
                f"请选择修订该方案（命令行：--revises {namesake.pk}） (a plan with this title exists; import this "
                f"as its revision, --revises {namesake.pk})"
            )


def _resolve_units(
    document: TaskDocument, region: OrgUnit, mapping: dict[str, OrgUnit], on: date | None
) -> dict[int, list[_Resolved]]:
    index = NameIndex(extra=mapping)
    unresolved: dict[str, UnresolvedName] = {}

    def miss(name: str, task: int, suggestions: list[str], reason: str) -> None:
        entry = unresolved.setdefault(name, UnresolvedName(name, [], suggestions, reason))
        if task not in entry.tasks:
            entry.tasks.append(task)

    notes = {normalise_name(n.term): n for n in document.scope_notes}
    by_task: dict[int, list[_Resolved]] = {}
    for task in document.tasks:
        items: list[_Resolved] = []
        seen: set[str] = set()
        for ref in task.units:
            collective = index.collective(ref.name) if ref.role == "local" else None
            if collective is not None:
                members = {m.code: m for m in collective.members.all()}
                note = notes.get(normalise_name(ref.name)) or notes.get(normalise_name(collective.term))
                if note is not None:
                    for place in note.includes:
                        found = index.resolve(place, on=on, region=region)
                        if found.unit is None:
                            miss(place, task.number, found.suggestions, "scope")
                        else:
                            members[found.unit.code] = found.unit
                    for place in note.excludes:
                        found = index.resolve(place, on=on, region=region)
                        if found.unit is None:
                            miss(place, task.number, found.suggestions, "scope")
                        else:
                            members.pop(found.unit.code, None)
                for member in sorted(members.values(), key=lambda m: m.code):
                    if member.code not in seen:
                        seen.add(member.code)
                        items.append(_Resolved(member, "local", ref.name, ref.name))
                continue
            # A local name that is no collective is one government (海口市人民政府), or one the office maps.
            found = index.resolve(ref.name, on=on, region=region)
            if found.unit is None:
                if found.ambiguous:
                    reason = "ambiguous"
                elif ref.role == "local" and _LOOKS_COLLECTIVE.match(ref.name):
                    reason = "collective"
                else:
                    reason = "unknown"
                miss(ref.name, task.number, found.suggestions, reason)
                continue
            if found.unit.code not in seen:
                seen.add(found.unit.code)
                items.append(_Resolved(found.unit, ref.role, ref.name))
        by_task[task.number] = items
    if unresolved:
        raise PlanImportError(
            _unresolved_message(document.source, list(unresolved.values())), list(unresolved.values())
        )
    return by_task


def _unresolved_message(source: str, names: list[UnresolvedName]) -> str:
    lines = [f"{source}: {len(names)} 个单位名称无法识别，未导入任何内容 ({len(names)} unit names not resolved):"]
    for item in names:
        tasks = "、".join(str(t) for t in item.tasks)
        hint = f"；最接近的登记名称：{'、'.join(item.suggestions)}" if item.suggestions else ""
        what = {"collective": "集合称谓无法展开", "ambiguous": "对应多个单位", "scope": "范围说明中的地区"}.get(
            item.reason, "登记册中没有"
        )
        lines.append(f"  - “{item.name}”（任务 {tasks}）：{what}{hint}")
    lines.append(
        "解决办法：用 duban add-alias 名称 单位代码 把名称加为登记册别名，或用 --map 文件（CSV，列 name,code）"
        "逐一指定 (add an alias with `duban add-alias NAME CODE`, or pass --map FILE with columns name,code)"
    )
    return "\n".join(lines)


@dataclass
class _TaskShape:
    """A task as a revision is compared by: its number, text and the units it is assigned to (by code, with
    the name as written)."""

    number: int
    text: str
    units: list[tuple[str, str]]


def _plan_shapes(plan: Plan) -> list[_TaskShape]:
    return [
        _TaskShape(t.number, t.text, [(a.unit.code, a.name_as_written) for a in t.assignments.all()])
        for t in plan.tasks.prefetch_related("assignments__unit").order_by("number")
    ]


def match_revision(old: list[_TaskShape], new: list[_TaskShape]) -> tuple[PlanDiff, dict[int, int]]:
    """What a revision changes, and which earlier task each of its tasks continues (new number -> old
    number): a task continues the one of the same text, else the one of the same number. Reads nothing and
    writes nothing, so that the review page can show it before anything is imported."""
    diff = PlanDiff()
    by_text = {t.text: t for t in old}
    by_number = {t.number: t for t in old}
    matched: dict[int, _TaskShape] = {}
    for task in new:
        if task.text in by_text:
            matched[task.number] = by_text.pop(task.text)
            if matched[task.number].number != task.number:
                diff.tasks_renumbered.append((matched[task.number].number, task.number))
    used = {t.number for t in matched.values()}
    for task in new:
        if task.number in matched:
            continue
        candidate = by_number.get(task.number)
        if candidate is not None and candidate.number not in used:
            matched[task.number] = candidate
            used.add(candidate.number)
            diff.tasks_reworded.append(task.number)
        else:
            diff.tasks_added.append(task.number)
    diff.tasks_removed = sorted(t.number for t in old if t.number not in used)
    for task in new:
        before = matched.get(task.number)
        if before is None:
            continue
        old_codes = {code for code, _ in before.units}
        new_codes = {code for code, _ in task.units}
        added = [name for code, name in task.units if code not in old_codes]
        removed = [name for code, name in before.units if code not in new_codes]
        if added:
            diff.units_added[task.number] = list(dict.fromkeys(added))
        if removed:
            diff.units_removed[task.number] = list(dict.fromkeys(removed))
    return diff, {number: shape.number for number, shape in matched.items()}


def _carry_over(old: Plan, new: Plan) -> PlanDiff:
    """Link the revision's tasks and assignments to the ones they continue, and report what changed."""
    diff, continues = match_revision(_plan_shapes(old), _plan_shapes(new))
    old_tasks = {t.number: t for t in old.tasks.prefetch_related("assignments")}
    for task in new.tasks.prefetch_related("assignments"):
        before = old_tasks.get(continues.get(task.number, -1))
        if before is None:
            continue
        task.previous = before
        task.save(update_fields=["previous"])
        old_by_unit = {a.unit_id: a for a in before.assignments.all()}
        for assignment in task.assignments.all():
            carried = old_by_unit.get(assignment.unit_id)
            if carried is not None:
                assignment.previous = carried
                assignment.save(update_fields=["previous"])
    return diff


def plan_import_preview(
    *,
    document: TaskDocument,
    source_sha256: str,
    mapping: dict[str, OrgUnit],
    revises: Plan | None,
    region: OrgUnit,
    issued_on: date | None,
    issuing_body: str = "",
    document_number: str = "",
) -> PlanDiff | None:
    """What ``plan_import`` would do, without writing: raises ``PlanImportError`` (with the names still
    unresolved) where the import would, else gives the difference from the plan revised. ``mapping`` may hold
    units not saved yet (the ones the office chose to add), known by their code."""
    check_plan_facts(issuing_body=issuing_body, document_number=document_number)
    _check_revision(revises)
    same = Plan.objects.filter(source_sha256=source_sha256, region=region).first()
    _check_new_plan(document, region, same, revises, refuse_same_source=True)
    resolved = _resolve_units(document, region, mapping, issued_on)
    if revises is None:
        return None
    # In the order of their numbers, as the import compares them (the order decides which of two tasks of the
    # same text continues the earlier one).
    new = [
        _TaskShape(t.number, t.text, [(r.unit.code, r.name_as_written) for r in resolved[t.number]])
        for t in sorted(document.tasks, key=lambda t: t.number)
    ]
    diff, _ = match_revision(_plan_shapes(revises), new)
    return diff
