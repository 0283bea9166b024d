"""The builders the edge-case tests share: parse a text, and read back its tasks, units and targets."""

from __future__ import annotations

import re
from typing import Any

from duban.taskdoc import parse_text
from duban.taskdoc.targets import extract_targets
from duban.taskdoc.units import read_units

SOURCE = "edge.txt"


def parse(text: str) -> dict[str, Any]:
    return parse_text(text, SOURCE).to_dict()


def numbers_and_texts(document: dict[str, Any]) -> list[tuple[int, str]]:
    return [(t["number"], t["text"]) for t in document["tasks"]]


def units_of(task: dict[str, Any]) -> list[tuple[str, str]]:
    return [(u["name"], u["role"]) for u in task["units"]]


def roles(text: str, default_role: Any = None) -> list[tuple[str, str]]:
    return [(u.name, u.role) for u in read_units(text, default_role).units]


def targets(text: str, fallback: str | None = None) -> list[dict[str, Any]]:
    found, _ = extract_targets(text, fallback)
    return [t.to_dict() for t in found]


def quantity(subject: str, comparator: str, value: float, unit: str, deadline: str | None = None) -> dict[str, Any]:
    return {
        "kind": "quantity",
        "subject": subject,
        "comparator": comparator,
        "value": value,
        "unit": unit,
        "deadline": deadline,
    }


def milestone(subject: str, deadline: str) -> dict[str, Any]:
    return {"kind": "milestone", "subject": subject, "deadline": deadline}


def names_task(warning: str, number: int) -> bool:
    return re.search(rf"(?<!\d){number}(?!\d)", warning) is not None


TWO_TASKS = [(1, "建设养老服务设施。"), (2, "发展托育服务。")]
