"""Find the tasks in a sequence of blocks, whatever the layout (docs/parser.md, layouts a–f).

Three shapes of document are told apart here:
- tables (from Word, Excel, HTML, PDF, or text lines split at ``|`` or tabs): a header row names the columns;
- a cell stream (a table copied from a web page, one cell per line): a run of header lines gives the
  columns, and each row starts at its number;
- items (lists and inline documents): numbered paragraphs whose units stand in labelled lines, a
  trailing parenthesis or a trailing sentence.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import cn2an

from duban.taskdoc.model import Role
from duban.taskdoc.normalize import normalise_cell
from duban.taskdoc.readers import Block, Line, Table
from duban.taskdoc.units import LABEL_ROLE, has_role_phrase, is_plausible_name, looks_like_units


@dataclass
class RawTask:
    """A task before its units and targets are read: the texts as the layout gave them."""

    number: int | None
    text: str
    units: list[tuple[str, Role | None]] = field(default_factory=list)
    deadline: str | None = None


@dataclass
class Found:
    title: str | None = None
    tasks: list[RawTask] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# ------------------------------------------------------------------------------------------- noise

_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－﹣―~]+\s*\d+\s*[-—–－﹣―~]+|第\s*\d+\s*页(?:\s*[，,/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|"
    r"[-—–－]\s*\d+|\d+\s*[-—–－])$"
)
_ATTACHMENT = re.compile(r"^附件\s*\d*\s*[:：]?")
_END_OF_BODY = re.compile(r"^(?:抄送|抄报|主送)[:：]|印发$|^\S*办公厅\S*\d{4}年\d{1,2}月\d{1,2}日")
_TITLE_HINT = re.compile(r"分工|清单|任务表|分解表|方案|措施|台账|计划|意见|通知|规划|决定|办法|要点|纲要|[表单]$")


def is_noise(text: str) -> bool:
    return not text or _PAGE_NUMBER.match(text) is not None or _ATTACHMENT.sub("", text) == ""


def _title_candidate(text: str) -> str | None:
    """A document's own title: short, without final punctuation or units, naming what it is."""
    text = _ATTACHMENT.sub("", text).strip()
    if (
        4 <= len(text) <= 60
        and _TITLE_HINT.search(text)
        and not has_role_phrase(text)
        and text[-1] not in "。；;，,：:）)"
        and _MARKER.match(text) is None
    ):
        return text
    return None


# ---------------------------------------------------------------------------------------- columns

COL_NUMBER, COL_TEXT, COL_UNITS, COL_DEADLINE, COL_LEADER, COL_OTHER = (
    "number",
    "text",
    "units",
    "deadline",
    "leader",
    "other",
)


@dataclass(frozen=True)
class Column:
    kind: str
    role: Role | None = None


_UNITS_HEADER = re.compile(r"^(?:牵头|主责|责任|负责|配合|协办|参与|协助|落实)(?:单位|部门|主体)$")


def classify_header(cell: str) -> Column | None:
    c = re.sub(r"[\s（）()]", "", cell)
    if not c or len(c) > 12:
        return None
    if c in ("序号", "编号", "序", "No", "No.", "NO", "序列号", "项目编号"):
        return Column(COL_NUMBER)
    if "领导" in c:
        return Column(COL_LEADER)
    if re.search(r"时限|完成时间|时间节点|时间安排|进度安排|完成期限|截止时间|完成时间节点", c):
        return Column(COL_DEADLINE)
    if _UNITS_HEADER.match(c):
        return Column(COL_UNITS, LABEL_ROLE.get(c, "responsible"))
    if re.search(r"任务|措施|内容|工作|事项|目标|举措", c):
        return Column(COL_TEXT)
    if c in ("备注", "类别", "分类", "领域", "说明"):
        return Column(COL_OTHER)
    return None


def _header_columns(row: list[str]) -> list[Column | None] | None:
    columns = [classify_header(c) for c in row]
    kinds = {c.kind for c in columns if c is not None}
    if len([c for c in columns if c is not None]) >= 2 and kinds & {COL_TEXT, COL_UNITS}:
        return columns
    return None


# ------------------------------------------------------------------------------------------ numbers

_CN_NUMERAL = "一二三四五六七八九十百零〇两"
_MARKER = re.compile(
    r"^(?:(?P<article>第[" + _CN_NUMERAL + r"]+条)"
    r"|[（(](?P<pcn>[" + _CN_NUMERAL + r"]+)[)）]"
    r"|[（(](?P<par>\d{1,3})[)）]"
    r"|(?P<arabic>\d{1,3})(?:\s*[、﹒:：)）]|\s*[.．](?!\d)|\s+|$)"
    r"|(?P<cn>[" + _CN_NUMERAL + r"]+)[、.．])\s*"
)


def parse_number(cell: str) -> int | None:
    """A 序号 cell or a list marker as an integer: 3, 3., （三）, 第三条."""
    c = cell.strip()
    if re.fullmatch(r"\d{1,4}", c):
        return int(c)
    match = _MARKER.match(c)
    if match is None or match.end() < len(c.rstrip()):
        return None
    return _marker_number(match)


def _marker_number(match: re.Match[str]) -> int | None:
    for group in ("arabic", "par"):
        if match.group(group):
            return int(match.group(group))
    raw = match.group("pcn") or match.group("cn") or match.group("article")
    if raw:
        try:
            return int(cn2an.cn2an(raw.strip("第条").replace("〇", "零"), "smart"))
        except (ValueError, KeyError, IndexError):
            return None
    return None


_GLUED = re.compile(r"^(\d{1,3})(?=[^\d.．%％年月日个万亿、，,\s])")
_YEAR = re.compile(r"(?:19|20)\d\d年")


def _glued_number(line: str, expected: int | None) -> tuple[int, str] | None:
    """A row number run together with its text: "5推进…", or "72025年底…" when row 7 is due."""
    if expected is not None:
        prefix = str(expected)
        if line.startswith(prefix) and _YEAR.match(line, len(prefix)):
            return expected, line[len(prefix) :]
    match = _GLUED.match(line)
    if match is not None and (expected is None or int(match.group(1)) == expected):
        return int(match.group(1)), line[match.end() :]
    return None


def _marker_style(match: re.Match[str]) -> str:
    for group in ("article", "pcn", "par", "cn"):
        if match.group(group):
            return group
    return "arabic"


# ----------------------------------------------------------------------------------------- helpers

_DEADLINE_ONLY = re.compile(
    r"^(?:(?:截至|截止|到|至|于|在)?(?:19|20)\d\d年[^，,。；;]{0,10}|长期坚持|长期|持续推进|持续实施|持续开展|"
    r"常态化推进|年内完成|每年|按年度推进|立即启动|已完成)[。.]?$"
)


def is_deadline_cell(text: str) -> bool:
    return len(text) <= 24 and _DEADLINE_ONLY.match(text) is not None


_LABEL_LINE = re.compile(
    r"(?P<label>牵头单位|牵头部门|主责单位|主责部门|责任单位|责任部门|负责单位|落实单位|责任主体|配合单位|配合部门|"
    r"协办单位|参与单位|协助单位|完成时限|完成时间|时间节点|时限要求|责任领导|牵头领导)[：:]"
)
_TRAILING_PAREN = re.compile(r"[（(]((?:[^（）()]|[（(][^（）()]*[)）])+)[)）]\s*([。.；;]?)$")
_UNIT_START = re.compile(r"(?=省|市|县|区|国家|中央|各|团省委|人行|人民银行|中国|自治区|州|海关|税务)")
_TRAILING_DEADLINE = re.compile(
    r"(?<=[。.；;）)负责牵头配合落实参与协助协同])((?:19|20)\d\d年[^，,。；;]{0,8}?(?:底|末|前|月|日|季度|年)"
    r"(?:前)?|长期坚持|持续推进)[。.]?$"
)


def split_body(body: str) -> RawTask:
    """Split a paragraph into task text, units texts and a deadline (layouts c, d, e and run-together f)."""
    task = RawTask(None, body)
    labelled = list(_LABEL_LINE.finditer(body))
    if labelled:
        task.text = body[: labelled[0].start()].rstrip("（( ，,")
        for i, match in enumerate(labelled):
            end = labelled[i + 1].start() if i + 1 < len(labelled) else len(body)
            value = body[match.end() : end].strip(" ，,；;")
            if task.text.endswith(("（", "(")) or value.endswith(("）", ")")):
                value = value.rstrip("）)")
            _apply_label(task, match.group("label"), value)
        task.text = task.text.rstrip("（(")
        return task
    deadline = _TRAILING_DEADLINE.search(body)
    if deadline is not None:
        task.deadline = deadline.group(1)
        body = body[: deadline.start()]
    paren = _TRAILING_PAREN.search(body)
    if paren is not None and has_role_phrase(paren.group(1)) and looks_like_units(paren.group(1)):
        task.text = body[: paren.start()] + paren.group(2)
        task.units.append((paren.group(1), None))
        return task
    sentences = re.split(r"(?<=[。；;])", body)
    for k in range(1, len(sentences)):
        tail = "".join(sentences[k:])
        if tail and has_role_phrase(tail) and looks_like_units(tail):
            task.text = "".join(sentences[:k])
            task.units.append((tail, None))
            return task
    task.text = body
    last = sentences[-1] if sentences[-1] else (sentences[-2] if len(sentences) > 1 else "")
    if has_role_phrase(last):
        head_len = len(body) - len(last)
        for match in _UNIT_START.finditer(last):
            if match.start() == 0:
                continue
            tail = last[match.start() :]
            if looks_like_units(tail) and has_role_phrase(tail):
                task.text = body[: head_len + match.start()]
                task.units.append((tail, None))
                break
    return task


def _apply_label(task: RawTask, label: str, value: str) -> None:
    if label in ("完成时限", "完成时间", "时间节点", "时限要求"):
        task.deadline = value
    elif label in LABEL_ROLE:
        task.units.append((value, LABEL_ROLE[label]))


# ------------------------------------------------------------------------------------------ tables


@dataclass
class _TableState:
    columns: list[Column | None] | None = None
    previous: list[str] = field(default_factory=list)


def _cell_lines(cell: str) -> str:
    """A cell normalised line by line; its line breaks are kept until the column says what they mean."""
    return "\n".join(line for line in (normalise_cell(part) for part in cell.splitlines()) if line)


def _units_cell(cell: str) -> str:
    """Line breaks in a units cell end a clause, except inside a name broken by a narrow column."""
    lines = cell.split("\n")
    joined = lines[0]
    for line in lines[1:]:
        ends_clause = _ROLE_END.search(joined) is not None
        ends_name = is_plausible_name(re.split(r"[、，,；;]", joined)[-1])
        joined += "\n" + line if ends_clause or ends_name or joined[-1] in "，,；;。、" else line
    return joined


_ROLE_END = re.compile(r"(?:牵头|负责|落实|主责|配合|参与|协助|协同)$")


def _table_tasks(table: Table, state: _TableState, found: Found) -> None:
    rows = [[_cell_lines(c) for c in row] for row in table.rows]
    rows = [r for r in rows if any(r)]
    start = 0
    header_at = None
    for i, row in enumerate(rows[:8]):
        if _header_columns(row) is not None:
            header_at = i
            break
    if header_at is not None:
        for row in rows[:header_at]:
            if found.title is None and not found.tasks:
                distinct = {c for c in row if c}
                if len(distinct) == 1:
                    found.title = _title_candidate(distinct.pop())
        columns = _header_columns(rows[header_at])
        start = header_at + 1
        while start < len(rows) and (lower := _header_columns(rows[start])) is not None:
            columns = [lo or up for lo, up in zip(lower, columns or [], strict=False)]
            start += 1
        state.columns = columns
        state.previous = []
    elif state.columns is None or (
        not table.flattened and len(state.columns) != max((len(r) for r in rows), default=0)
    ):
        state.columns = _infer_columns(rows)
    columns = state.columns or []
    for row in rows[start:]:
        if _header_columns(row) is not None or all(is_noise(c) for c in row):
            continue
        if _END_OF_BODY.search(row[0]):
            return
        filled = [c for c in row if c]
        if len(set(filled)) == 1 and (len(filled) > 1 or (table.flattened and parse_number(filled[0]) is None)):
            continue  # a section heading merged across the row, or a heading line inside a flattened table
        cells = _fit_row(row, columns, state.previous) if table.flattened else row
        _row_task(cells, columns, found)
        if table.flattened:
            state.previous = cells


def _fit_row(row: list[str], columns: list[Column | None], previous: list[str]) -> list[str]:
    """Place a flattened row's cells under its columns; missing cells were merged with the row above."""
    width = len(columns)
    if len(row) >= width:
        return row[:width]
    fitted = [""] * width
    kinds = [c.kind if c else COL_OTHER for c in columns]
    pending = list(row)
    for i, kind in enumerate(kinds):
        if not pending:
            break
        if kind == COL_NUMBER and parse_number(pending[0]) is not None:
            fitted[i] = pending.pop(0)
        elif kind == COL_TEXT:
            fitted[i] = pending.pop(0)
            break
    deadline_cols = [i for i, k in enumerate(kinds) if k == COL_DEADLINE]
    unit_cols = [i for i, k in enumerate(kinds) if k == COL_UNITS]
    other_cols = [i for i, k in enumerate(kinds) if k in (COL_LEADER, COL_OTHER)]
    unit_cells = [c for c in pending if not is_deadline_cell(c) and looks_like_units(c)]
    date_cells = [c for c in pending if is_deadline_cell(c)]
    other_cells = [c for c in pending if c not in unit_cells and c not in date_cells]
    for col, cell in zip(reversed(unit_cols), reversed(unit_cells), strict=False):
        fitted[col] = cell
    for col, cell in zip(deadline_cols, date_cells, strict=False):
        fitted[col] = cell
    for col, cell in zip(other_cols, other_cells, strict=False):
        fitted[col] = cell
    filled = {i for i, c in enumerate(fitted) if c}
    for i, kind in enumerate(kinds):
        if i not in filled and kind in (COL_UNITS, COL_DEADLINE, COL_LEADER) and i < len(previous):
            fitted[i] = previous[i]
    return fitted


def _infer_columns(rows: list[list[str]]) -> list[Column | None]:
    width = max((len(r) for r in rows), default=0)
    columns: list[Column | None] = []
    text_done = False
    for i in range(width):
        cells = [r[i] for r in rows if i < len(r) and r[i]]
        if cells and all(parse_number(c) is not None for c in cells):
            columns.append(Column(COL_NUMBER))
        elif cells and sum(is_deadline_cell(c) for c in cells) * 2 >= len(cells):
            columns.append(Column(COL_DEADLINE))
        elif cells and sum(looks_like_units(c) for c in cells) * 2 >= len(cells) and text_done:
            columns.append(Column(COL_UNITS, "responsible"))
        elif not text_done and cells:
            columns.append(Column(COL_TEXT))
            text_done = True
        else:
            columns.append(Column(COL_OTHER))
    return columns


def _row_task(row: list[str], columns: list[Column | None], found: Found) -> None:
    number: int | None = None
    text_parts: list[str] = []
    units: list[tuple[str, Role | None]] = []
    deadline: str | None = None
    has_number_column = any(c and c.kind == COL_NUMBER for c in columns)
    for cell, column in zip(row, columns, strict=False):
        if column is None or not cell:
            continue
        if column.kind == COL_UNITS:
            units.append((_units_cell(cell), column.role))
            continue
        flat = cell.replace("\n", "")
        if column.kind == COL_NUMBER:
            number = parse_number(flat)
        elif column.kind == COL_TEXT:
            text_parts.append(flat)
        elif column.kind == COL_DEADLINE:
            deadline = flat
    text = "".join(text_parts)
    if not text and not units:
        return
    if has_number_column and number is None:
        if found.tasks and (not row[0] or not text):
            # The rest of a row split over two pages: it continues the task above.
            last = found.tasks[-1]
            last.text += text
            last.units.extend(units)
            last.deadline = last.deadline or deadline
            return
        if re.match(r"^[" + _CN_NUMERAL + r"]+[、.．]", text) and not units:
            return  # a section heading row
    if not units and re.match(r"^[" + _CN_NUMERAL + r"]+[、.．]", text) and number is None:
        return
    found.tasks.append(RawTask(number, text, units, deadline))


# ------------------------------------------------------------------------------------------- lines


def _text_table(lines: Iterable[str]) -> tuple[Table | None, int]:
    """Rows split at | or tabs, from the first line on. Returns the table and the lines it used.

    A line without separators between two rows (a section heading, a page number) stays in the table
    as a one-cell row, which the table reader then skips.
    """
    rows: list[list[str]] = []
    used = 0
    held: list[str] = []
    for raw in lines:
        stripped = raw.strip()
        if "|" in stripped or "｜" in stripped:
            cells = re.split(r"[|｜]", stripped.strip("|｜"))
        elif "\t" in stripped:
            cells = stripped.split("\t")
        elif rows and len(held) < 3:
            held.append(stripped)
            continue
        else:
            break
        if all(re.fullmatch(r"\s*:?-{2,}:?\s*", c) for c in cells if c.strip()) and any(cells):
            used += len(held) + 1
            held = []
            continue  # a Markdown rule under the header
        if len(cells) < 2:
            break
        rows.extend([line] for line in held if line)
        used += len(held) + 1
        held = []
        rows.append(cells)
    if len(rows) < 2:
        return None, 0
    return Table(rows, flattened=True), used


def _cell_stream_header(lines: list[str], at: int) -> int:
    """Number of header cells that start at ``lines[at]`` (one per line), or 0."""
    count = 0
    while at + count < len(lines) and classify_header(lines[at + count]) is not None:
        count += 1
    kinds = {classify_header(x).kind for x in lines[at : at + count]}  # type: ignore[union-attr]
    return count if count >= 2 and kinds & {COL_TEXT, COL_UNITS} else 0


def _stream_tasks(lines: list[str], columns: list[Column | None], found: Found) -> None:
    """A table copied one cell per line: each row starts at its number."""
    rows: list[tuple[str, list[str]]] = []
    expected: int | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        width = _cell_stream_header(lines, i)
        if width:
            i += width
            continue
        number = int(line) if re.fullmatch(r"\d{1,3}", line) else None
        glued = _glued_number(line, expected) if number is None else None
        if number is not None and (expected is None or number == expected):
            rows.append((line, []))
            expected = number + 1
        elif glued is not None:
            rows.append((str(glued[0]), [glued[1].strip()]))
            expected = glued[0] + 1
        elif number is not None or is_noise(line):
            pass  # a page number between rows
        elif rows:
            rows[-1][1].append(line)
        i += 1
    previous: list[str] = []
    number_index = next((k for k, c in enumerate(columns) if c and c.kind == COL_NUMBER), None)
    body_columns = [c for k, c in enumerate(columns) if k != number_index]
    for number_cell, cells in rows:
        fitted = _stream_row(cells, body_columns, previous)
        previous = fitted
        row = list(fitted)
        if number_index is not None:
            row.insert(number_index, number_cell)
        _row_task(row, columns if number_index is not None else body_columns, found)


def _stream_row(cells: list[str], columns: list[Column | None], previous: list[str]) -> list[str]:
    if len(cells) == 1 and len(columns) > 1:
        split = split_body(cells[0])
        if split.units or split.deadline:
            cells = [split.text]
            cells += [u for u, _ in split.units]
            if split.deadline:
                cells.append(split.deadline)
    kinds = [c.kind if c else COL_OTHER for c in columns]
    if len(cells) == len(columns):
        return cells
    # Lines after the first are a broken text cell until the first units or date cell.
    text = cells[0] if cells else ""
    rest_start = 1
    while rest_start < len(cells) and not (is_deadline_cell(cells[rest_start]) or looks_like_units(cells[rest_start])):
        text += cells[rest_start]
        rest_start += 1
    rest = cells[rest_start:]
    unit_columns = kinds.count(COL_UNITS)
    if unit_columns == 1:
        unit_cells = [c for c in rest if not is_deadline_cell(c)]
        rest = (["".join(unit_cells)] if unit_cells else []) + [c for c in rest if is_deadline_cell(c)]
    return _fit_row([text, *rest], columns, previous)


def _item_tasks(lines: list[str], found: Found) -> None:
    """Numbered (or unnumbered) paragraphs with their units inside or after them."""
    items: list[tuple[str, int | None, list[str]]] = []
    expected: dict[str, int] = {}
    for line in lines:
        match = _MARKER.match(line)
        starts_item = match is not None
        style = _marker_style(match) if match is not None else "arabic"
        number = _marker_number(match) if match is not None else None
        rest = line[match.end() :] if match is not None else ""
        if starts_item and style == "arabic" and not rest and number != expected.get(style, number):
            starts_item = False  # a bare page number between items
        if not starts_item and (glued := _glued_number(line, expected.get("arabic", 1))) is not None:
            starts_item, style, (number, rest) = True, "arabic", glued
        if starts_item:
            items.append((style, number, [rest] if rest else []))
            if number is not None:
                expected[style] = number + 1
        elif items:
            items[-1][2].append(line)
        else:
            items.append(("none", None, [line]))
    readings = [(style, number, _read_item(body)) for style, number, body in items]
    scores: dict[str, int] = {}
    for style, _, task in readings:
        if task.units and style != "none":
            scores[style] = scores.get(style, 0) + 1
    if scores:
        task_style = max(scores, key=lambda s: scores[s])
        for style, number, task in readings:
            if style == task_style:
                task.number = number
                found.tasks.append(task)
        return
    # An unnumbered document: each paragraph with units is a task; a labelled or units-only line belongs
    # to the paragraph above it.
    paragraphs: list[list[str]] = []
    for line in lines:
        continues = _LABEL_LINE.match(line) or (has_role_phrase(line) and looks_like_units(line))
        if paragraphs and continues:
            paragraphs[-1].append(line)
        else:
            paragraphs.append([line])
    for paragraph in paragraphs:
        task = _read_item(paragraph)
        if task.units:
            found.tasks.append(task)


def _read_item(body: list[str]) -> RawTask:
    text_lines: list[str] = []
    task = RawTask(None, "")
    for k, line in enumerate(body):
        if _LABEL_LINE.match(line):
            labelled = split_body(line)
            task.units.extend(labelled.units)
            task.deadline = task.deadline or labelled.deadline
        elif k > 0 and has_role_phrase(line) and looks_like_units(line):
            task.units.append((line, None))
        else:
            text_lines.append(line)
    split = split_body("".join(text_lines))
    task.text = split.text
    task.units = split.units + task.units
    task.deadline = task.deadline or split.deadline
    return task


# -------------------------------------------------------------------------------------------- main


def find_tasks(blocks: list[Block]) -> Found:
    found = Found()
    state = _TableState()
    pending: list[str] = []

    def flush() -> None:
        if pending:
            _lines_tasks(pending, state, found)
            pending.clear()

    i = 0
    while i < len(blocks):
        block = blocks[i]
        if isinstance(block, Table):
            flush()
            _table_tasks(block, state, found)
            i += 1
            continue
        stripped = block.text.strip()
        table, used = (None, 0)
        if "|" in stripped or "｜" in stripped or "\t" in stripped:
            table, used = _text_table(_take_lines(blocks, i))
        if table is not None:
            flush()
            _table_tasks(table, state, found)
            i += used
            continue
        text = normalise_cell(block.text)
        if _END_OF_BODY.search(text):
            break
        if not is_noise(text):
            pending.append(text)
        i += 1
    flush()
    return found


def _take_lines(blocks: list[Block], start: int) -> Iterator[str]:
    for block in itertools.islice(blocks, start, None):
        if not isinstance(block, Line):
            return
        yield block.text


def _lines_tasks(lines: list[str], state: _TableState, found: Found) -> None:
    header_at = next((k for k in range(len(lines)) if _cell_stream_header(lines, k)), None)
    preamble = lines if header_at is None else lines[:header_at]
    if found.title is None and not found.tasks:
        for line in preamble:
            candidate = _title_candidate(line)
            if candidate:
                found.title = candidate
                break
    if header_at is not None:
        width = _cell_stream_header(lines, header_at)
        columns = [classify_header(x) for x in lines[header_at : header_at + width]]
        state.columns = columns
        _stream_tasks(lines[header_at + width :], columns, found)
        return
    if found.title is not None:
        # The title also heads every printed page; only its first appearance is the title.
        lines = [line for line in lines if line != found.title]
    _item_tasks(lines, found)
