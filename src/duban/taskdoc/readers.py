"""Turn a file of any supported format into a flat sequence of blocks: lines of text and tables.

Everything after this module works on the same two shapes, whatever the file was: a ``Line`` (a paragraph
or a line of a text file, raw) and a ``Table`` (rows of cell texts, with merged cells already copied into
every cell they cover). Tables that come from plain text are built later, by the layout module, because
only there is it known whether a line of text is a table row.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from duban.taskdoc.errors import DocumentError


@dataclass
class Line:
    text: str


@dataclass
class Table:
    rows: list[list[str]]
    # True when the rows were recovered from flattened text: a merged cell then appears only once, so a
    # row may be short, and the cells it lacks hold the row above's value.
    flattened: bool = False


Block = Line | Table

SUPPORTED = (".txt", ".text", ".docx", ".xlsx", ".xlsm", ".html", ".htm", ".pdf")


def read_blocks(data: bytes, source: str) -> list[Block]:
    """Read ``data`` (the bytes of a file called ``source``) into blocks, choosing the reader by content."""
    if not data.strip():
        raise DocumentError(source, "文件为空 (the file is empty)")
    suffix = Path(source).suffix.lower()
    if data.startswith(b"%PDF"):
        return _read_pdf(data, source)
    if data.startswith(b"PK\x03\x04"):
        return _read_office(data, source, suffix)
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise DocumentError(
            source,
            "这是旧版 Office 文件 (.doc/.xls)，请另存为 .docx 或 .xlsx "
            "(old binary Office format; save it as .docx or .xlsx)",
        )
    text = decode_text(data, source)
    if suffix in (".html", ".htm") or _looks_like_html(text):
        return _read_html(data, source)
    if suffix not in ("", *SUPPORTED) and suffix not in (".csv", ".md"):
        raise DocumentError(
            source,
            f"不支持的文件格式 {suffix} (unknown format; use .txt, .docx, .xlsx, .html or .pdf)",
        )
    return [Line(line) for line in text.splitlines()]


# ---------------------------------------------------------------------------------------------- text


# Characters that appear in almost every task table, in simplified and traditional forms. Generic
# charset detectors guess badly on short Chinese texts (Big5 bytes are nearly always valid GBK), so the
# decoding that yields most of these wins.
_TELLTALE = set("的和省市县负责牵头配合单位任务落实政府部门建设服务推进完成责頭負責單務實設務進")


def decode_text(data: bytes, source: str) -> str:
    """Decode a text file: BOMs first, then UTF-8, GB18030 and Big5, refusing binary data."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return _check_not_binary(data.decode(codec), source)
            except UnicodeDecodeError:
                break
    if b"\x00" in data:
        raise DocumentError(source, "这是二进制文件，不是文本 (binary file, not a text document)")
    try:
        return _check_not_binary(data.decode("utf-8"), source)
    except UnicodeDecodeError:
        pass
    candidates: list[str] = []
    for codec in ("gb18030", "big5"):
        try:
            candidates.append(data.decode(codec))
        except UnicodeDecodeError:
            continue
    if not candidates:
        raise DocumentError(source, "无法识别文件编码 (unreadable encoding: not UTF-8, GB18030/GBK or Big5)")
    best = max(candidates, key=lambda t: sum(ch in _TELLTALE for ch in t))
    return _check_not_binary(best, source)


def _check_not_binary(text: str, source: str) -> str:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    if controls > max(2, len(text) // 100):
        raise DocumentError(source, "这是二进制文件，不是文本 (binary file, not a text document)")
    return text


def _looks_like_html(text: str) -> bool:
    head = text[:2000].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or ("<table" in head and "</" in head)


# -------------------------------------------------------------------------------------------- office


def _read_office(data: bytes, source: str, suffix: str) -> list[Block]:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except zipfile.BadZipFile as exc:
        raise DocumentError(source, f"文件已损坏，无法打开 (damaged file: {exc})") from exc
    if "word/document.xml" in names:
        return _read_docx(data, source)
    if "xl/workbook.xml" in names:
        return _read_xlsx(data, source)
    raise DocumentError(
        source, f"不支持的文件格式 {suffix or 'zip'} (unknown format; use .docx, .xlsx, .txt, .html or .pdf)"
    )


def _read_docx(data: bytes, source: str) -> list[Block]:
    # Imported here so that `duban parse` pays the import time of python-docx only for files that need it.
    import docx
    from docx.table import Table as DocxTable

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several unrelated types for a damaged package
        raise DocumentError(source, f"无法读取 Word 文件 (cannot read the .docx: {exc})") from exc
    blocks: list[Block] = []
    for item in document.iter_inner_content():
        if isinstance(item, DocxTable):
            blocks.append(Table(_docx_rows(item)))
        else:
            blocks.extend(Line(part) for part in item.text.splitlines() or [""])
    return blocks


def _docx_rows(table: object) -> list[list[str]]:
    rows: list[list[str]] = []
    for row in table.rows:  # type: ignore[attr-defined]
        # row.cells repeats a horizontally merged cell once per grid column and gives the top cell for a
        # vertically merged one, which is exactly "the merged value holds for each cell it covers".
        rows.append(["\n".join(p.text for p in cell.paragraphs) for cell in row.cells])
    return rows


def _read_xlsx(data: bytes, source: str) -> list[Block]:
    # Imported here so that `duban parse` pays the import time of openpyxl only for files that need it.
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for a damaged package
        raise DocumentError(source, f"无法读取 Excel 文件 (cannot read the .xlsx: {exc})") from exc
    blocks: list[Block] = []
    for sheet in book.worksheets:
        grid = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        for merged in sheet.merged_cells.ranges:
            top = grid[merged.min_row - 1][merged.min_col - 1]
            for r in range(merged.min_row - 1, merged.max_row):
                for c in range(merged.min_col - 1, merged.max_col):
                    grid[r][c] = top
        blocks.append(Table(grid))
    return blocks


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value)


# ---------------------------------------------------------------------------------------------- html


def _read_html(data: bytes, source: str) -> list[Block]:
    # Imported here so that `duban parse` pays the import time of BeautifulSoup only for files that need it.
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(data, "html.parser")
    for tag in soup(["head", "title", "script", "style", "noscript", "template"]):
        tag.decompose()
    tables: list[Table] = []
    for table in soup.find_all("table"):
        if table.find_parent("table") is not None:
            continue
        tables.append(Table(_html_grid(table)))
        table.replace_with(f"\n\x00{len(tables) - 1}\x00\n")
    blocks: list[Block] = []
    for line in soup.get_text("\n").splitlines():
        stripped = line.strip()
        if stripped.startswith("\x00") and stripped.endswith("\x00"):
            blocks.append(tables[int(stripped.strip("\x00"))])
        else:
            blocks.append(Line(line))
    return blocks


def _html_grid(table: object) -> list[list[str]]:
    """Lay a table's cells on a grid, copying a rowspan/colspan cell into every slot it covers."""
    grid: dict[tuple[int, int], str] = {}
    width = 0
    rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]  # type: ignore[attr-defined]
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr.find_all(["td", "th"], recursive=False):
            while (r, c) in grid:
                c += 1
            rowspan = _span(cell.get("rowspan"))
            colspan = _span(cell.get("colspan"))
            text = cell.get_text("\n")
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid[(r + dr, c + dc)] = text
            c += colspan
            width = max(width, c)
    return [[grid.get((r, c), "") for c in range(width)] for r in range(len(rows))]


def _span(value: object) -> int:
    try:
        return max(1, min(int(str(value)), 1000))
    except (TypeError, ValueError):
        return 1


# ----------------------------------------------------------------------------------------------- pdf


def _read_pdf(data: bytes, source: str) -> list[Block]:
    # Imported here so that `duban parse` pays the import time of pdfplumber only for files that need it.
    import pdfplumber

    blocks: list[Block] = []
    found_text = False
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                for block in _pdf_page_blocks(page):
                    found_text = found_text or bool(block.text.strip() if isinstance(block, Line) else block.rows)
                    blocks.append(block)
    except Exception as exc:  # pdfminer raises many unrelated types for a damaged file
        raise DocumentError(source, f"无法读取 PDF 文件 (cannot read the PDF: {exc})") from exc
    if not found_text:
        raise DocumentError(source, "PDF 没有文字层（可能是扫描件）(the PDF has no text layer; it may be a scan)")
    return blocks


def _pdf_page_blocks(page: object) -> Iterator[Block]:
    tables = page.find_tables()  # type: ignore[attr-defined]
    placed: list[tuple[float, Block]] = []
    boxes = []
    for table in tables:
        rows = [[cell or "" for cell in row] for row in table.extract()]
        placed.append((table.bbox[1], Table(rows)))
        boxes.append(table.bbox)
    for line in page.extract_text_lines():  # type: ignore[attr-defined]
        middle = (line["top"] + line["bottom"]) / 2
        if any(box[1] <= middle <= box[3] for box in boxes):
            continue
        placed.append((line["top"], Line(line["text"])))
    placed.sort(key=lambda item: item[0])
    for _, block in placed:
        yield block
