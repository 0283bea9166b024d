"""A task as a layout finds it, before its units and targets are read, and what a document yields."""

from __future__ import annotations

from dataclasses import dataclass, field

from duban.taskdoc.model import Role


@dataclass
class RawTask:
    """A task before its units and targets are read: the texts as the layout gave them."""

    number: int | None
    text: str
    units: list[tuple[str, Role | None]] = field(default_factory=list)
    deadline: str | None = None


@dataclass
class Found:
    title: str | None = None
    tasks: list[RawTask] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
