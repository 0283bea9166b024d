"""What the data and facility imports share: the refusal, the report, how a figure in a cell is read, and the
rehearsal that checks a file without keeping anything."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from duban.core.dataversion import forget_data_version
from duban.core.errors import ImportRefused
from duban.core.tables import RowProblem


class DataImportError(ImportRefused):
    """A data or facility import that was refused; nothing was written. ``rows`` keeps each bad row's problem
    as its parts (row, column, value, reason), for a page to show as a table."""

    def __init__(self, problems: Sequence[str | RowProblem]) -> None:
        super().__init__([str(p) for p in problems])
        self.rows = [p for p in problems if isinstance(p, RowProblem)]


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    warnings: list[str] = field(default_factory=list)
    orgs: set[int] = field(default_factory=set)

    def summary_zh(self) -> str:
        text = f"新增 {self.created}，更新 {self.updated}，未变 {self.unchanged}"
        return text + (f"，留空未导入 {self.skipped}" if self.skipped else "")

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON-ready values (kept with an import job)."""
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "warnings": self.warnings,
            "orgs": sorted(self.orgs),
        }


_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")


def parse_figure(text: str) -> float | None:
    cleaned = text.replace(",", "").replace("，", "").strip()
    return float(cleaned) if _NUMBER.match(cleaned) else None


class _Rehearsed(Exception):
    def __init__(self, report: ImportReport) -> None:
        self.report = report


def rehearse(write: Callable[[], ImportReport]) -> ImportReport:
    """Run an import and roll it back: the report, warnings included, is exactly what the import would give,
    because it is the import itself (the plausibility checks read the stored data as it would be)."""
    try:
        with transaction.atomic():
            raise _Rehearsed(write())
    except _Rehearsed as rehearsed:
        # The rolled-back write moved the data version in this process only.
        forget_data_version()
        return rehearsed.report
