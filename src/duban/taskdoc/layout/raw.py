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
    # Sub-rows under one number (a 序号 cell merged over several rows): each part's text and deadline, so
    # that each part's targets keep their own deadline. Empty for a task of one row.
    parts: list[tuple[str, str | None]] = field(default_factory=list)
    # A table's row (whose number cell may have been merged over several rows), not a numbered paragraph.
    row: bool = False


def join_sub_rows(tasks: list[RawTask]) -> list[RawTask]:
    """Table rows that carry the same number one after another are the sub-rows of one task."""
    joined: list[RawTask] = []
    for task in tasks:
        last = joined[-1] if joined else None
        if last is None or task.number is None or task.number != last.number or not (task.row and last.row):
            joined.append(task)
            continue
        if not last.parts:
            last.parts.append((last.text, last.deadline))
        last.parts.append((task.text, task.deadline))
        last.text += task.text
        last.units.extend(unit for unit in task.units if unit not in last.units)
        last.deadline = last.deadline or task.deadline
    return joined


@dataclass
class Found:
    title: str | None = None
    tasks: list[RawTask] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
