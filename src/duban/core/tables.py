"""Reading the CSV and XLSX files users hand to duban's import commands.

Both formats give the same thing: a list of rows (column → text) with the row number a user sees in Excel
(the header is row 1), so every problem can be reported as "file, row, column".
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import filetype
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
    return table_rows(data=path.read_bytes(), name=str(path))


def table_rows(*, data: bytes, name: str) -> list[Row]:
    """Rows of a table file's bytes, told apart by their content and never by ``name`` (which only names the
    file in messages): a workbook is a ZIP archive, anything else must be CSV text."""
    if not data.strip():
        raise TableFileError(f"{name}: 文件为空 (the file is empty)")
    if data.startswith(b"PK\x03\x04"):
        return _xlsx_rows(data, Path(name))
    if data.startswith(_OLE_MAGIC):
        raise TableFileError(f"{name}: 是旧版 Excel（.xls）文件，请另存为 .xlsx 或 .csv 后上传 (legacy .xls)")
    guessed = filetype.guess(data)
    if guessed is not None:
        raise TableFileError(
            f"{name}: 文件内容是 {guessed.extension.upper()}（{guessed.mime}），不是 CSV 或 Excel 表格 (not a table)"
        )
    suffix = Path(name).suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls"):
        raise TableFileError(f"{name}: 扩展名为 {suffix}，但内容不是 Excel 工作簿 (not a workbook)")
    if suffix not in (".csv", ".txt", ""):
        raise TableFileError(f"{name}: 不支持的格式 {suffix} (use .csv or .xlsx)")
    if b"\x00" in data[:4096]:
        raise TableFileError(f"{name}: 不是文本表格，也不是 Excel 文件 (binary content)")
    for codec in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(codec)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise TableFileError(f"{name}: 无法识别文件编码 (not UTF-8 or GB18030)")
    reader = csv.reader(io.StringIO(text))
    return _rows_from_lists(list(reader), Path(name))


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A workbook whose parts unpack to more than this, or far more than it weighs, is refused before it is
# opened: a few kilobytes of ZIP can otherwise unpack to gigabytes (a ZIP bomb).
XLSX_MAX_UNPACKED = 200 * 1024 * 1024
XLSX_MAX_RATIO = 200
# An entity declaration is how an XML bomb multiplies itself; a workbook never needs one.
_DOCTYPE = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def check_workbook(data: bytes, path: Path) -> None:
    """Refuse what openpyxl should never be handed: a damaged archive, macros, a ZIP bomb, an XML bomb."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise TableFileError(f"{path}: 不是完好的 Excel 文件 (damaged archive)") from exc
    names = {entry.filename.lower() for entry in entries}
    if "[content_types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise TableFileError(f"{path}: 是压缩文件而不是 Excel 工作簿 (not an .xlsx workbook)")
    if any(n.endswith("vbaproject.bin") for n in names):
        raise TableFileError(f"{path}: 含有宏（启用宏的工作簿），请另存为不含宏的 .xlsx 后上传 (macro-enabled)")
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > XLSX_MAX_UNPACKED or unpacked > XLSX_MAX_RATIO * max(len(data), 1):
        raise TableFileError(
            f"{path}: 解压后体积异常（{unpacked / 1024 / 1024:.0f} MB），疑似压缩炸弹，已拒绝 (ZIP bomb)"
        )
    with archive:
        for entry in entries:
            if not entry.filename.lower().endswith((".xml", ".rels")):
                continue
            with archive.open(entry) as part:
                # Declarations come before the first element, so the head of each part is enough.
                head = part.read(4096)
            if _DOCTYPE.search(head):
                raise TableFileError(f"{path}: 含有 XML 实体声明，疑似 XML 炸弹，已拒绝 (XML entity declaration)")
        content_types = archive.read(
            next(e.filename for e in entries if e.filename.lower() == "[content_types].xml")
        ).lower()
    if b"macroenabled" in content_types:
        raise TableFileError(f"{path}: 含有宏（启用宏的工作簿），请另存为不含宏的 .xlsx 后上传 (macro-enabled)")


def _xlsx_rows(data: bytes, path: Path) -> list[Row]:
    check_workbook(data, path)
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
    if not rows:
        raise TableFileError(f"{path}: 只有表头，没有数据行 (no data rows)")
    present = list(rows[0].values)
    missing = [c for c in columns if c not in present]
    if missing:
        found = "、".join(present) or "（无）"
        raise TableFileError(
            f"{path}: 缺少列 {', '.join(missing)}（表头应含 {', '.join(columns)}；"
            f"文件的表头为 {found}）(missing columns)"
        )


def parse_date(text: str) -> date:
    return date.fromisoformat(text.strip())


def read_tables(path: str | Path) -> list[tuple[str, list[Row]]]:
    """Every table of a file, each named as messages name it: a CSV file is one table; an XLSX workbook is one
    per sheet that has rows (``单位表.xlsx [集合称谓]``), so that one workbook can carry several kinds of rows."""
    path = Path(path)
    data = path.read_bytes() if path.is_file() else b""
    if not data.startswith(b"PK\x03\x04"):
        return [(path.name, read_rows(path))]
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for a damaged file
        raise TableFileError(f"{path}: 无法读取 Excel 文件 ({exc})") from exc
    tables = []
    for sheet in book.worksheets:
        grid = [[_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        if any(cell.strip() for row in grid for cell in row):
            tables.append((f"{path.name} [{sheet.title}]", _rows_from_lists(grid, path)))
    if not tables:
        raise TableFileError(f"{path}: 文件为空 (no rows)")
    return tables
