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
    rows_joined: int = 1  # how many rows under one number ``join_sub_rows`` made this task of


def join_sub_rows(tasks: list[RawTask]) -> list[RawTask]:
    """Table rows that carry the same number one after another are the sub-rows of one task."""
    joined: list[RawTask] = []
    for task in tasks:
        last = joined[-1] if joined else None
        if last is None or task.number is None or task.number != last.number or not (task.row and last.row):
            joined.append(task)
            continue
        last.parts = (last.parts or [(last.text, last.deadline)]) + (task.parts or [(task.text, task.deadline)])
        last.rows_joined += 1
        last.text += task.text
        last.units.extend(unit for unit in task.units if unit not in last.units)
        last.deadline = last.deadline or task.deadline
    return joined


@dataclass
class Found:
    title: str | None = None
    tasks: list[RawTask] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # How the layout was read, a line per decision, for `duban parse --explain` (not part of the JSON).
    readings: list[str] = field(default_factory=list)

    def read(self, how: str) -> None:
        """Record one reading, with the tasks found so far, so that each line says where it begins."""
        self.readings.append(f"第{len(self.tasks) + 1}项起：{how}")
