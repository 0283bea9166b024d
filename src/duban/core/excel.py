"""The plain Excel table of duban's exports: a bold title row, bold headings, set widths, frozen headings.

The responsibility matrix has a layout of its own (coloured cells, rotated headings, one printed page) and
writes its sheets itself; every other export (a round's completion, an indicator's ranking, ``duban indicators
--format xlsx``) is a plain table of this kind.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet


@dataclass(frozen=True)
class Column:
    heading: str
    width: float


@dataclass(frozen=True)
class Sheet:
    """One sheet: its tab name, an optional title above the table, the columns and the rows."""

    name: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[object]]
    title: str | None = None


def sheet_write(sheet: Worksheet, spec: Sheet) -> None:
    sheet.title = spec.name
    if spec.title is not None:
        sheet.append([spec.title])
        sheet.cell(1, 1).font = Font(bold=True, size=13)
    sheet.append([c.heading for c in spec.columns])
    heading_row = sheet.max_row
    for cell in sheet[heading_row]:
        cell.font = Font(bold=True)
    for row in spec.rows:
        sheet.append(list(row))
    for index, column in enumerate(spec.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = f"A{heading_row + 1}"


def workbook_bytes(*sheets: Sheet) -> bytes:
    """A workbook of ``sheets`` in order, as the bytes of an .xlsx file."""
    book = Workbook()
    first = book.active
    assert isinstance(first, Worksheet)
    for index, spec in enumerate(sheets):
        sheet_write(first if index == 0 else book.create_sheet(), spec)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
