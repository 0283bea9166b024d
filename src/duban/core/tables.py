"""Reading the CSV and XLSX files users hand to duban's import commands.

Both formats give the same thing: a list of rows (column → text) with the row number a user sees in Excel
(the header is row 1), so every problem can be reported as "file, row, column".
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import openpyxl

from duban.core.errors import UserError


class TableFileError(UserError):
    """A file that cannot be read as a table at all (missing, empty, wrong format)."""


@dataclass(frozen=True)
class Row:
    number: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        return self.values.get(column, "").strip()


@dataclass(frozen=True)
class RowProblem:
    source: str
    row: int
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.source} 第{self.row}行" + (f"，{self.column}列" if self.column else "")
        shown = f"“{self.value}”" if self.value else "（空）"
        return f"{where}：{shown} {self.reason}"


def read_rows(path: str | Path) -> list[Row]:
    """Rows of a .csv (UTF-8 or GB18030) or .xlsx file (its first sheet)."""
    path = Path(path)
    if not path.is_file():
        raise TableFileError(f"{path}: 文件不存在 (no such file)")
    data = path.read_bytes()
    if not data.strip():
        raise TableFileError(f"{path}: 文件为空 (the file is empty)")
    if data.startswith(b"PK\x03\x04"):
        return _xlsx_rows(data, path)
    if path.suffix.lower() not in (".csv", ".txt", ""):
        raise TableFileError(f"{path}: 不支持的格式 {path.suffix} (use .csv or .xlsx)")
    for codec in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(codec)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise TableFileError(f"{path}: 无法识别文件编码 (not UTF-8 or GB18030)")
    reader = csv.reader(io.StringIO(text))
    return _rows_from_lists(list(reader), path)


def _xlsx_rows(data: bytes, path: Path) -> list[Row]:
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for a damaged file
        raise TableFileError(f"{path}: 无法读取 Excel 文件 ({exc})") from exc
    sheet = book.worksheets[0]
    grid = [[_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    return _rows_from_lists(grid, path)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _rows_from_lists(grid: list[list[str]], path: Path) -> list[Row]:
    numbered = [(n, row) for n, row in enumerate(grid, start=1) if any(cell.strip() for cell in row)]
    if not numbered:
        raise TableFileError(f"{path}: 文件为空 (no rows)")
    header = [cell.strip().lstrip("\ufeff") for cell in numbered[0][1]]
    return [
        Row(number, {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header) if h})
        for number, cells in numbered[1:]
    ]


def require_columns(rows: list[Row], path: str | Path, columns: tuple[str, ...]) -> None:
    present = set(rows[0].values) if rows else set()
    missing = [c for c in columns if c not in present]
    if missing:
        raise TableFileError(f"{path}: 缺少列 {', '.join(missing)} (missing columns)")


def parse_date(text: str) -> date:
    return date.fromisoformat(text.strip())
