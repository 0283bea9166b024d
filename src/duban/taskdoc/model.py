"""The parsed document: plain dataclasses that turn into the JSON of ``taskdoc.schema.json``."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any, Literal

Role = Literal["lead", "responsible", "support", "local"]
Comparator = Literal[">=", "<=", ">", "<", "="]

ROLES: tuple[Role, ...] = ("lead", "responsible", "support", "local")
"""The roles in the order every listing shows them: the lead first, the local governments last."""
ROLE_LABELS: dict[str, str] = {"lead": "牵头", "responsible": "负责", "support": "配合", "local": "属地"}
"""How tables, matrices and the command line name each role (``plans.models.Assignment.Role`` gives the
same words to the database and the translated pages; a test keeps the two alike)."""
COMPARATOR_SIGNS: dict[str, str] = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "≈"}


_ROLE_RANKS: dict[str, int] = {role: rank for rank, role in enumerate(ROLES)}


def role_rank(role: str) -> int:
    """The place of ``role`` in ``ROLES``, for sorting."""
    return _ROLE_RANKS[role]


def describe_target(
    *,
    kind: str,
    subject: str,
    comparator: str | None = None,
    value: object = None,
    unit: str | None = None,
    deadline: date | None = None,
) -> str:
    """One target as a line of text: "每千名老年人口拥有养老床位数≥32张（2025年12月31日前）".

    Shared by the parser's text output, the matrix and the command line, whatever holds the target.
    """
    when = f"（{deadline.year}年{deadline.month:02d}月{deadline.day:02d}日前）" if deadline else ""
    if kind == "milestone":
        return f"{subject}{when}"
    return f"{subject}{COMPARATOR_SIGNS[comparator or '>=']}{_number(value)}{unit or ''}{when}"


def _number(value: object) -> str:
    """32, 0.6, 150000: as written, without the stored decimal places or an exponent."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass
class UnitRef:
    """A responsible unit as the document names it (责任单位), with its role in one task."""

    name: str
    role: Role

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "role": self.role}


@dataclass
class Target:
    """目标: a quantity to reach (``kind="quantity"``) or something to be done by a date (``"milestone"``)."""

    kind: Literal["quantity", "milestone"]
    subject: str
    deadline: str | None
    comparator: Comparator | None = None
    value: float | int | None = None
    unit: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "subject": self.subject}
        if self.kind == "quantity":
            out["comparator"] = self.comparator
            out["value"] = self.value
            out["unit"] = self.unit
        out["deadline"] = self.deadline
        return out

    def describe(self) -> str:
        deadline = date.fromisoformat(self.deadline) if self.deadline else None
        return describe_target(
            kind=self.kind,
            subject=self.subject,
            comparator=self.comparator,
            value=self.value,
            unit=self.unit,
            deadline=deadline,
        )


@dataclass
class Task:
    """重点任务: one numbered task with its units and targets."""

    number: int
    text: str
    units: list[UnitRef] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "text": self.text,
            "units": [u.to_dict() for u in self.units],
            "targets": [t.to_dict() for t in self.targets],
        }


@dataclass
class ScopeNote:
    """A definition the document gives once for a collective, e.g. （含洋浦经济开发区，不含三沙市，下同）."""

    term: str
    includes: list[str]
    excludes: list[str]
    applies_to_following: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "term": self.term,
            "includes": list(self.includes),
            "excludes": list(self.excludes),
            "applies_to_following": self.applies_to_following,
        }


@dataclass
class DocumentFacts:
    """What a document says of itself, where it says it: its number (文号, "琼府办〔2022〕12号"), the body
    that issued it and the date it was issued (the date line under the signature)."""

    document_number: str = ""
    issuing_body: str = ""
    issued_on: str | None = None  # ISO date


@dataclass
class TaskDocument:
    """A whole parsed document (分工表)."""

    source: str
    title: str | None
    tasks: list[Task]
    scope_notes: list[ScopeNote] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # How the document was read (layouts, the year it is for, declarations), for `duban parse --explain`;
    # not part of the JSON contract.
    readings: list[str] = field(default_factory=list)
    # What the document says of itself (文号, 印发机关, 印发日期), to prefill an import; not in the JSON either.
    facts: DocumentFacts = field(default_factory=lambda: DocumentFacts())

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "title": self.title,
            "scope_notes": [n.to_dict() for n in self.scope_notes],
            "tasks": [t.to_dict() for t in self.tasks],
            "warnings": list(self.warnings),
        }


# A parser's warning on a task begins with it and names it again in English: "第12项任务：… (task 12: …)".
_WARNING_TASK = re.compile(r"^第(\d+)项")
_WARNING_NUMBERS = re.compile(r"^第(\d+)项|\(task (\d+):")


def warning_task(warning: str) -> int | None:
    """The number of the task a warning is on, or None for a warning on the whole document."""
    match = _WARNING_TASK.match(warning)
    return int(match.group(1)) if match is not None else None


def warning_renumbered(warning: str, number: int | None) -> str:
    """A warning on a task, with the number the task has now (a person renumbered, split or merged tasks)."""
    if number is None:
        return warning
    return _WARNING_NUMBERS.sub(lambda m: f"第{number}项" if m.group(1) else f"(task {number}:", warning)


class DocumentShapeError(ValueError):
    """A document in the JSON form that breaks it; ``where`` names the place ("第3项任务 第2个目标 value")."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}：{problem}")
        self.where = where
        self.problem = problem


_COMPARATOR_LIST: tuple[Comparator, ...] = (">=", "<=", ">", "<", "=")

# The longest title, unit name, subject and measure a plan keeps (the fields of plans.models); a longer one
# typed on the review page is refused here with its place named, rather than by the database.
TITLE_MAX = 300
TASK_NUMBER_MAX = 99_999  # no table numbers so many tasks; a longer number is a paste gone wrong
NAME_MAX = 200
SUBJECT_MAX = 300
MEASURE_MAX = 20


def _check_length(text: str, limit: int, where: str) -> None:
    if len(text) > limit:
        raise DocumentShapeError(where, f"“{text[:20]}…”有 {len(text)} 个字，超过 {limit} 个 (too long)")


def document_from_dict(data: dict[str, Any]) -> TaskDocument:
    """The ``TaskDocument`` that ``TaskDocument.to_dict`` gave, checked as it is read: a document corrected by
    a person (the import's review page) comes back in this form. Raises ``DocumentShapeError`` naming the
    first field that is wrong."""
    tasks: list[Task] = []
    seen: set[int] = set()
    for position, raw in enumerate(data.get("tasks") or [], start=1):
        number = raw.get("number")
        where = f"第{position}项任务"
        if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= TASK_NUMBER_MAX:
            raise DocumentShapeError(
                where, f"序号应为 1 到 {TASK_NUMBER_MAX} 的整数 (the number must be from 1 to {TASK_NUMBER_MAX})"
            )
        where = f"第{number}项任务"
        if number in seen:
            raise DocumentShapeError(where, "序号重复 (the number is used twice)")
        seen.add(number)
        text = str(raw.get("text") or "").strip()
        if not text:
            raise DocumentShapeError(where, "任务内容不能为空 (the text is empty)")
        units: list[UnitRef] = []
        for k, unit in enumerate(raw.get("units") or [], start=1):
            name = str(unit.get("name") or "").strip()
            role = unit.get("role")
            if not name:
                raise DocumentShapeError(f"{where} 第{k}个单位", "名称不能为空 (the name is empty)")
            if role not in ROLES:
                raise DocumentShapeError(f"{where} “{name}”", f"角色“{role}”无效 (unknown role)")
            _check_length(name, NAME_MAX, f"{where} 第{k}个单位")
            units.append(UnitRef(name, role))
        targets = [_target_from_dict(t, f"{where} 第{k}个目标") for k, t in enumerate(raw.get("targets") or [], 1)]
        tasks.append(Task(number, text, units, targets))
    notes = [
        ScopeNote(
            str(n.get("term") or ""),
            [str(p) for p in n.get("includes") or []],
            [str(p) for p in n.get("excludes") or []],
            bool(n.get("applies_to_following")),
        )
        for n in data.get("scope_notes") or []
    ]
    if not tasks:
        raise DocumentShapeError("任务", "一项任务也没有，不能导入 (no task is left)")
    title = str(data.get("title") or "").strip() or None
    if title is not None:
        _check_length(title, TITLE_MAX, "标题")
    return TaskDocument(
        source=str(data.get("source") or ""),
        title=title,
        tasks=tasks,
        scope_notes=notes,
        warnings=[str(w) for w in data.get("warnings") or []],
    )


def _target_from_dict(raw: dict[str, Any], where: str) -> Target:
    kind = raw.get("kind")
    subject = str(raw.get("subject") or "").strip()
    deadline = raw.get("deadline") or None
    if kind not in ("quantity", "milestone"):
        raise DocumentShapeError(where, f"类型“{kind}”无效 (unknown kind)")
    if not subject:
        raise DocumentShapeError(where, "指标或事项不能为空 (the subject is empty)")
    _check_length(subject, SUBJECT_MAX, where)
    if deadline is not None:
        try:
            date.fromisoformat(str(deadline))
        except ValueError:
            raise DocumentShapeError(where, f"完成时限“{deadline}”不是日期 (not a date, YYYY-MM-DD)") from None
    if kind == "milestone":
        if deadline is None:
            raise DocumentShapeError(where, "节点目标需要完成时限 (a milestone needs a deadline)")
        return Target("milestone", subject, str(deadline))
    written = raw.get("comparator") or ">="
    comparator = next((c for c in _COMPARATOR_LIST if c == written), None)
    if comparator is None:
        raise DocumentShapeError(where, f"比较符“{written}”无效 (unknown comparator)")
    value, unit = _value_from_dict(raw.get("value"), raw.get("unit") or None, where)
    if unit is not None:
        _check_length(unit, MEASURE_MAX, where)
    return Target("quantity", subject, str(deadline) if deadline else None, comparator, value, unit)


# A plan keeps a target's value in a decimal of 20 digits with 6 after the point (plans.models.Target).
_VALUE_LIMIT = Decimal(10) ** 14
_VALUE_PLACES = 6
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_MAGNITUDES = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}


def _value_from_dict(raw: object, unit: str | None, where: str) -> tuple[int | float, str | None]:
    """A target's value as a person typed it ("12,500", "1.5万", "85%", "６０") or as JSON gave it, checked to
    fit what a plan can keep. A comma is read only as a thousands separator: "12,5" is refused rather than
    guessed, since offices write both 12,500 and (from other software) 12,5."""
    if raw is None or raw == "":
        raise DocumentShapeError(where, "数量目标需要目标值 (a quantity needs a value)")
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        raise DocumentShapeError(where, f"目标值“{raw}”不是数字 (not a number)")
    if isinstance(raw, str):
        written = raw
        text = unicodedata.normalize("NFKC", raw).strip().replace(" ", "")
        if text.endswith("%"):
            text = text[:-1]
            if unit not in (None, "%"):
                raise DocumentShapeError(
                    where, f"目标值“{written}”带百分号，单位却是“{unit}” (a percentage with another unit)"
                )
            unit = "%"
        scale = Decimal(1)
        if text[-1:] in _MAGNITUDES:
            scale, text = _MAGNITUDES[text[-1]], text[:-1]
        if "," in text:
            if not _THOUSANDS.fullmatch(text):
                raise DocumentShapeError(
                    where,
                    f"目标值“{written}”中的逗号只能用作千位分隔（如 12,500），小数请用小数点"
                    " (a comma only separates thousands)",
                )
            text = text.replace(",", "")
        try:
            number = Decimal(text) * scale
        except InvalidOperation:
            raise DocumentShapeError(where, f"目标值“{written}”不是数字 (not a number)") from None
    else:
        written = str(raw)
        if isinstance(raw, float) and not math.isfinite(raw):
            raise DocumentShapeError(where, f"目标值“{written}”不是数字 (not a number)")
        number = Decimal(str(raw))
    if not number.is_finite():
        raise DocumentShapeError(where, f"目标值“{written}”不是数字 (not a number)")
    if abs(number) >= _VALUE_LIMIT:
        raise DocumentShapeError(where, f"目标值“{written}”过大 (larger than a plan can keep)")
    if number != number.quantize(Decimal(1).scaleb(-_VALUE_PLACES), rounding=ROUND_HALF_EVEN):
        raise DocumentShapeError(
            where, f"目标值“{written}”的小数超过 {_VALUE_PLACES} 位 (more than {_VALUE_PLACES} decimals)"
        )
    if number == number.to_integral_value():
        return int(number), unit
    return float(number), unit
