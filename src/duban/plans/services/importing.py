"""Writes for plans: importing a parsed task table as a plan with tasks, targets and assignments."""

from __future__ import annotations

import hashlib
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
) -> PlanImportResult:
    region = OrgUnit.objects.filter(code=region_code).first()
    if region is None:
        raise PlanImportError(
            f"地区 {region_code} 不在登记册中，请先运行 duban init 或 duban import-orgs (unknown region)"
        )
    same = Plan.objects.filter(source_sha256=source_sha256, region=region).first()
    if same is not None:
        return PlanImportResult(same, created=False)
    if revises is None:
        namesake = Plan.objects.filter(title=document.title or document.source, region=region).first()
        if namesake is not None:
            raise PlanImportError(
                f"{document.source}: 已有同名方案（编号 {namesake.pk}）。如果这是它的修订版，"
                f"请加 --revises {namesake.pk} (a plan with this title exists; pass --revises {namesake.pk})"
            )
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
        seen: set[int] = set()
        for ref in task.units:
            if ref.role == "local":
                collective = index.collective(ref.name)
                if collective is None:
                    miss(ref.name, task.number, [], "collective")
                    continue
                members = {m.pk: m for m in collective.members.all()}
                note = notes.get(normalise_name(ref.name)) or notes.get(normalise_name(collective.term))
                if note is not None:
                    for place in note.includes:
                        found = index.resolve(place, on=on, region=region)
                        if found.unit is None:
                            miss(place, task.number, found.suggestions, "scope")
                        else:
                            members[found.unit.pk] = found.unit
                    for place in note.excludes:
                        found = index.resolve(place, on=on, region=region)
                        if found.unit is None:
                            miss(place, task.number, found.suggestions, "scope")
                        else:
                            members.pop(found.unit.pk, None)
                for member in sorted(members.values(), key=lambda m: m.code):
                    if member.pk not in seen:
                        seen.add(member.pk)
                        items.append(_Resolved(member, "local", ref.name, ref.name))
                continue
            found = index.resolve(ref.name, on=on, region=region)
            if found.unit is None:
                reason = "ambiguous" if found.ambiguous else "unknown"
                miss(ref.name, task.number, found.suggestions, reason)
                continue
            if found.unit.pk not in seen:
                seen.add(found.unit.pk)
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


def _carry_over(old: Plan, new: Plan) -> PlanDiff:
    """Link the revision's tasks and assignments to the ones they continue, and report what changed."""
    diff = PlanDiff()
    old_tasks = list(old.tasks.prefetch_related("assignments__unit"))
    new_tasks = list(new.tasks.prefetch_related("assignments__unit"))
    by_text = {t.text: t for t in old_tasks}
    by_number = {t.number: t for t in old_tasks}
    matched: dict[int, Task] = {}
    for task in new_tasks:
        if task.text in by_text:
            matched[task.pk] = by_text.pop(task.text)
            if matched[task.pk].number != task.number:
                diff.tasks_renumbered.append((matched[task.pk].number, task.number))
    used = {t.pk for t in matched.values()}
    for task in new_tasks:
        if task.pk in matched:
            continue
        candidate = by_number.get(task.number)
        if candidate is not None and candidate.pk not in used:
            matched[task.pk] = candidate
            used.add(candidate.pk)
            diff.tasks_reworded.append(task.number)
        else:
            diff.tasks_added.append(task.number)
    diff.tasks_removed = sorted(t.number for t in old_tasks if t.pk not in used)
    for task in new_tasks:
        before = matched.get(task.pk)
        if before is None:
            continue
        task.previous = before
        task.save(update_fields=["previous"])
        old_by_unit = {a.unit_id: a for a in before.assignments.all()}
        new_units = set()
        for assignment in task.assignments.all():
            new_units.add(assignment.unit_id)
            carried = old_by_unit.get(assignment.unit_id)
            if carried is not None:
                assignment.previous = carried
                assignment.save(update_fields=["previous"])
            else:
                diff.units_added.setdefault(task.number, []).append(assignment.name_as_written)
        removed = [a.name_as_written for a in before.assignments.all() if a.unit_id not in new_units]
        if removed:
            diff.units_removed[task.number] = sorted(set(removed), key=removed.index)
        if task.number in diff.units_added:
            diff.units_added[task.number] = list(dict.fromkeys(diff.units_added[task.number]))
    return diff
