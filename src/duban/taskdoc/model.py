"""The parsed document: plain dataclasses that turn into the JSON of ``taskdoc.schema.json``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
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

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "title": self.title,
            "scope_notes": [n.to_dict() for n in self.scope_notes],
            "tasks": [t.to_dict() for t in self.tasks],
            "warnings": list(self.warnings),
        }
