"""Turn a file of any supported format into a flat sequence of blocks: lines of text and tables.

Everything after this module works on the same two shapes, whatever the file was: a ``Line`` (a paragraph
or a line of a text file, raw) and a ``Table`` (rows of cell texts, with merged cells already copied into
every cell they cover). Tables that come from plain text are built later, by the layout module, because
only there is it known whether a line of text is a table row.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

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


_MARKUP = re.compile(r"</?(?:p|div|table|tr|td|th|span|br|h[1-6]|li|ul|ol|strong|b|font)\b[^<>]*>", re.IGNORECASE)


def _looks_like_html(text: str) -> bool:
    """A saved page, or a piece of a page's source pasted into a text file (``<p style=…>…</p> <p>…``)."""
    head = text[:2000].lstrip().lower()
    if head.startswith(("<!doctype html", "<html")) or ("<table" in head and "</" in head):
        return True
    if head.startswith("<") and len(_MARKUP.findall(head)) >= 3:
        return True
    # Text copied out of a page's source or a data dump keeps the tags between its paragraphs
    # ("…负责）</p><p align=\"left\">　　3.…"), wherever the copy began.
    return len(_MARKUP.findall(text[:5000])) >= 5


# -------------------------------------------------------------------------------------------- office


# A Word or Excel file is a zip of XML parts. Its parts, unpacked, are checked before any XML is read: a
# few hundred kilobytes can unpack to gigabytes (a "zip bomb"), and no real task table comes near these.
_UNPACKED_LIMIT = 200 * 1024 * 1024
_RATIO_LIMIT = 200


def _read_office(data: bytes, source: str, suffix: str) -> list[Block]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise DocumentError(source, f"文件已损坏，无法打开 (damaged file: {exc})") from exc
    names = {info.filename for info in infos}
    unpacked = sum(info.file_size for info in infos)
    if unpacked > _UNPACKED_LIMIT or unpacked > _RATIO_LIMIT * max(len(data), 1):
        raise DocumentError(
            source, f"文件解压后有 {unpacked / 1024 / 1024:.0f} MB，不像一份任务表，拒绝读取 (unpacks far too large)"
        )
    if any(name.endswith("vbaProject.bin") for name in names):
        raise DocumentError(
            source, "文件含有宏，请另存为不含宏的 .docx 或 .xlsx (macro-enabled file; save it without macros)"
        )
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
    # A page's lines are its block elements; inline ones (<span>, <b>, <a>) run on within a line, so a task
    # title in one <span> and its text in the next stay one paragraph.
    for tag in soup.find_all(_HTML_BLOCKS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    for tag in soup.find_all("br"):
        tag.replace_with("\n")
    tables: list[Table] = []
    for table in soup.find_all("table"):
        if table.find_parent("table") is not None:
            continue
        tables.append(Table(_html_grid(table)))
        table.replace_with(f"\n\x00{len(tables) - 1}\x00\n")
    blocks: list[Block] = []
    for line in soup.get_text().splitlines():
        stripped = line.strip()
        if stripped.startswith("\x00") and stripped.endswith("\x00"):
            blocks.append(tables[int(stripped.strip("\x00"))])
        else:
            blocks.append(Line(line))
    return blocks


_HTML_BLOCKS = [
    "p", "div", "li", "ul", "ol", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
    "header", "footer", "blockquote", "pre", "dd", "dt", "table", "tbody", "thead",
]  # fmt: skip


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
            text = cell.get_text().strip("\n")
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

    # pdfminer logs a warning for every font without a bounding box, which browsers' PDFs often lack; the
    # text is read all the same, and a user of `duban parse` should not see dozens of lines about it.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)

    blocks: list[Block] = []
    found_text = False
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                for block in _pdf_page_blocks(page):
                    if isinstance(block, _SplitRow):
                        _join_split_row(blocks, block)
                        continue
                    found_text = found_text or bool(block.text.strip() if isinstance(block, Line) else block.rows)
                    blocks.append(block)
    except Exception as exc:  # pdfminer raises many unrelated types for a damaged file
        raise DocumentError(source, f"无法读取 PDF 文件 (cannot read the PDF: {exc})") from exc
    if not found_text:
        raise DocumentError(source, "PDF 没有文字层（可能是扫描件）(the PDF has no text layer; it may be a scan)")
    return blocks


Box = tuple[float, float, float, float]


@dataclass
class _Cell:
    text: str
    # The cell's last line runs to its right edge: text that goes on elsewhere (on the next page) continues
    # the same line.
    runs_on: bool


@dataclass
class _SplitRow:
    """The part of a table row that a page break carried over to the top of the next page."""

    cells: list[_Cell]


@dataclass
class _PdfTable(Table):
    # The last row's cells as read, kept so that the rest of a row split by a page break can be joined on.
    last_cells: list[_Cell] | None = None


def _pdf_cell(page: object, box: Box | None) -> _Cell:
    """A table cell's text, its lines joined as the writer meant them.

    A PDF has no paragraphs, only lines placed on the page: a cell's text that was too long for the cell
    goes on in the next line, while a cell that lists one unit per line starts each on a new line. A line
    that runs to the cell's right edge was wrapped, so the next line continues it with nothing in between;
    any other line ends where the writer ended it. "Runs to the edge" allows three and a half characters:
    the cell's padding, and a character or two pushed to the next line so that no line begins with
    punctuation.
    """
    if box is None:
        return _Cell("", False)
    left, top, right, bottom = box

    # A character belongs to the cell its middle is in. Office programs (LibreOffice, Word) draw a glyph's
    # box a little beyond the ruling of its cell — the first line's ascent above the top border — so that
    # asking for the characters wholly inside the cell (pdfplumber's within_bbox) loses whole lines.
    def inside(obj: dict[str, Any]) -> bool:
        if obj.get("object_type") != "char":
            return False
        middle_x, middle_y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return bool(left <= middle_x <= right and top <= middle_y <= bottom)

    lines = page.filter(inside).extract_text_lines()  # type: ignore[attr-defined]
    text = ""
    runs_on = False
    for line in lines:
        text += ("" if runs_on else "\n") if text else ""
        text += line["text"]
        size = max(line["bottom"] - line["top"], 1.0)
        runs_on = line["x1"] >= box[2] - 3.5 * size
    return _Cell(text, runs_on)


def _pdf_frame_reach(page: object, bbox: Box) -> tuple[float, float]:
    """How far up and down the table's outer frame runs on this page.

    A browser that breaks a table across pages draws the frame to the page's end but leaves a row that
    spills over without its cell borders, so the table finder stops one row short (and starts one row
    late on the next page); the text inside the frame beyond the rows found is that row.
    """
    left, top, right, bottom = bbox
    sides = [
        edge
        for edge in page.edges  # type: ignore[attr-defined]
        if edge["orientation"] == "v"
        and (abs(edge["x0"] - left) < 4 or abs(edge["x0"] - right) < 4)
        and edge["top"] < bottom
        and edge["bottom"] > top
    ]
    if not sides:
        return top, bottom
    return min(top, *(edge["top"] for edge in sides)), max(bottom, *(edge["bottom"] for edge in sides))


def _pdf_table(page: object, table: object, reach: tuple[float, float]) -> Iterator[Block | _SplitRow]:
    """The table's rows, with the row split by a page break (if any) read from inside the frame, which runs
    from ``reach[0]`` to ``reach[1]`` (``_pdf_frame_reach``)."""
    found = [[_pdf_cell(page, cell) for cell in row.cells] for row in table.rows]  # type: ignore[attr-defined]
    if not found:
        return
    _, top, _, bottom = table.bbox  # type: ignore[attr-defined]
    columns = [(cell[0], cell[2]) for cell in table.rows[-1].cells if cell is not None]  # type: ignore[attr-defined]
    reach_top, reach_bottom = reach
    if reach_top < top - 5 and len(columns) == len(found[0]):
        carried = [_pdf_cell(page, (x0, reach_top, x1, top)) for x0, x1 in columns]
        if any(cell.text for cell in carried):
            yield _SplitRow(carried)
    if reach_bottom > bottom + 5 and len(columns) == len(found[-1]):
        spilled = [_pdf_cell(page, (x0, bottom, x1, reach_bottom)) for x0, x1 in columns]
        if any(cell.text for cell in spilled):
            found.append(spilled)
    yield _PdfTable([[cell.text for cell in row] for row in found], last_cells=found[-1])


def _join_split_row(blocks: list[Block], rest: _SplitRow) -> None:
    """Join the carried-over part of a row onto the row it belongs to, at the end of the previous page."""
    # The page number at the foot of the page before stands between the row and its rest.
    end = len(blocks)
    while end and isinstance(blocks[end - 1], Line) and _is_page_mark(blocks[end - 1].text):  # type: ignore[union-attr]
        end -= 1
    last = blocks[end - 1] if end else None
    if not isinstance(last, _PdfTable) or last.last_cells is None or len(last.last_cells) != len(rest.cells):
        blocks.append(Table([[cell.text for cell in rest.cells]]))
        return
    row = last.rows[-1]
    for index, (before, after) in enumerate(zip(last.last_cells, rest.cells, strict=True)):
        if after.text:
            joiner = "" if before.runs_on or not before.text else "\n"
            row[index] = before.text + joiner + after.text
            last.last_cells[index] = _Cell(row[index], after.runs_on)


def _pdf_page_blocks(page: object) -> Iterator[Block | _SplitRow]:
    placed: list[tuple[float, Block | _SplitRow]] = []
    boxes: list[Box] = []
    for table in page.find_tables():  # type: ignore[attr-defined]
        left, _, right, _ = table.bbox
        reach_top, reach_bottom = _pdf_frame_reach(page, table.bbox)
        parts = list(_pdf_table(page, table, (reach_top, reach_bottom)))
        boxes.append((left, reach_top, right, reach_bottom))
        placed.extend((reach_top if isinstance(part, _SplitRow) else table.bbox[1], part) for part in parts)
    for line in page.extract_text_lines():  # type: ignore[attr-defined]
        middle = (line["top"] + line["bottom"]) / 2
        if any(box[1] <= middle <= box[3] for box in boxes):
            continue
        placed.append((line["top"], Line(line["text"])))
    placed.sort(key=lambda item: item[0])
    blocks = [block for _, block in placed]
    head = next((i for i, b in enumerate(blocks) if not (isinstance(b, Line) and _is_page_mark(b.text))), None)
    table = blocks[head] if head is not None else None
    if head is not None and isinstance(table, _PdfTable) and _continues_a_row(table):
        carried = _SplitRow([_Cell(text, False) for text in table.rows[0]])
        blocks[head : head + 1] = [carried, table] if len(table.rows) > 1 else [carried]
        table.rows = table.rows[1:]
    yield from blocks


# A page number in the margin ("— 3 —", "-3-", "第3页 共9页"), which stands between a table's two pages.
_PAGE_MARK = re.compile(r"^[—–\-－\s]*(?:第?\s*\d{1,4}\s*页?(?:\s*[/共]\s*\d{1,4}\s*页?)?)[—–\-－\s]*$")
_ROW_NUMBER = re.compile(r"^[(（]?\d{1,4}[)）.、．]?$")


def _is_page_mark(text: str) -> bool:
    return not text.strip() or _PAGE_MARK.match(text.strip()) is not None


def _continues_a_row(table: _PdfTable) -> bool:
    """The table at the top of a page begins with the rest of the row the page before broke off: Word and
    LibreOffice draw the borders of both parts, so it is found as a row of its own, with no number. A first
    row that has a number anywhere is a row of its own (a merged first column left empty on this page)."""
    first = table.rows[0] if table.rows else []
    if len(first) < 2 or first[0].strip() or not any(cell.strip() for cell in first[1:]):
        return False
    return not any(_ROW_NUMBER.match(cell.strip()) for cell in first)
