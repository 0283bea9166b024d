"""What the data and facility imports share: the refusal, the report, and how a figure in a cell is read."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from duban.core.errors import ImportRefused


class DataImportError(ImportRefused):
    """A data or facility import that was refused; nothing was written."""


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)
    orgs: set[int] = field(default_factory=set)

    def summary_zh(self) -> str:
        return f"新增 {self.created}，更新 {self.updated}，未变 {self.unchanged}"


_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")


def parse_figure(text: str) -> float | None:
    cleaned = text.replace(",", "").replace("，", "").strip()
    return float(cleaned) if _NUMBER.match(cleaned) else None
