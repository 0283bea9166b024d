"""The parsed document: plain dataclasses that turn into the JSON of ``taskdoc.schema.json``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Role = Literal["lead", "responsible", "support", "local"]
Comparator = Literal[">=", "<=", ">", "<", "="]

ROLES: tuple[Role, ...] = ("lead", "responsible", "support", "local")


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

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "title": self.title,
            "scope_notes": [n.to_dict() for n in self.scope_notes],
            "tasks": [t.to_dict() for t in self.tasks],
            "warnings": list(self.warnings),
        }
