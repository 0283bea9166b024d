"""Reporting periods (统计期): a year ``2025``, a quarter ``2025Q4`` or a month ``2025-12``."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

Granularity = Literal["year", "quarter", "month"]
_PATTERN = re.compile(r"^(?P<year>\d{4})(?:(?:Q|q)(?P<quarter>[1-4])|-(?P<month>\d{1,2}))?$")
# Finer periods sort after coarser ones that end on the same day, so a year and its Q4 never compare equal.
GRANULARITY_RANK = {"year": 0, "quarter": 1, "month": 2}


@dataclass(frozen=True, order=True)
class Period:
    """A calendar period; ``start`` and ``end`` are its first and last days."""

    end: date
    granularity_rank: int
    start: date
    granularity: Granularity

    @classmethod
    def parse(cls, text: str) -> Period:
        """``2025`` → the year; ``2025Q4`` → its last quarter; ``2025-12`` → December. ValueError otherwise."""
        match = _PATTERN.match(text.strip())
        if match is None:
            raise ValueError(f"“{text}” 不是有效的统计期，应写作 2025、2025Q4 或 2025-12")
        year = int(match.group("year"))
        if match.group("quarter"):
            quarter = int(match.group("quarter"))
            return cls.of(year, "quarter", quarter)
        if match.group("month"):
            month = int(match.group("month"))
            if not 1 <= month <= 12:
                raise ValueError(f"“{text}” 的月份不在 1–12 之间")
            return cls.of(year, "month", month)
        return cls.of(year, "year", 1)

    @classmethod
    def of(cls, year: int, granularity: Granularity, index: int = 1) -> Period:
        if granularity == "year":
            first, last = 1, 12
        elif granularity == "quarter":
            first, last = 3 * index - 2, 3 * index
        else:
            first = last = index
        end = date(year, last, calendar.monthrange(year, last)[1])
        return cls(
            end=end, granularity_rank=GRANULARITY_RANK[granularity], start=date(year, first, 1), granularity=granularity
        )

    def __str__(self) -> str:
        if self.granularity == "year":
            return f"{self.end.year}"
        if self.granularity == "quarter":
            return f"{self.end.year}Q{(self.end.month + 2) // 3}"
        return f"{self.end.year}-{self.end.month:02d}"

    @property
    def label_zh(self) -> str:
        if self.granularity == "year":
            return f"{self.end.year}年"
        if self.granularity == "quarter":
            return f"{self.end.year}年第{(self.end.month + 2) // 3}季度"
        return f"{self.end.year}年{self.end.month}月"


def quarters(first_year: int, last_year: int) -> list[Period]:
    return [Period.of(y, "quarter", q) for y in range(first_year, last_year + 1) for q in range(1, 5)]


def years(first_year: int, last_year: int) -> list[Period]:
    return [Period.of(y, "year") for y in range(first_year, last_year + 1)]


def reporting_periods(*, start: date, end: date) -> list[Period]:
    """Every quarter and year from ``start`` (a plan's start) to ``end`` that overlaps that span."""
    periods: list[Period] = []
    for year in range(start.year, end.year + 1):
        periods.extend(Period.of(year, "quarter", q) for q in range(1, 5))
        periods.append(Period.of(year, "year"))
    return [p for p in periods if p.end >= start and p.start <= end]


def quarter_of(day: date) -> Period:
    """The quarter ``day`` falls in."""
    return Period.of(day.year, "quarter", (day.month + 2) // 3)


def previous_quarter_start(day: date) -> date:
    """The first day of the quarter before ``day``'s."""
    month = 3 * ((day.month - 1) // 3) + 1  # this quarter's first month
    return date(day.year - 1, 10, 1) if month == 1 else date(day.year, month - 3, 1)
