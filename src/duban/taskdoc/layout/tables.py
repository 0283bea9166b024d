"""Tables with a header row (from Word, Excel, HTML, PDF, or text lines split at ``|`` or tabs): one task a row."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from duban.taskdoc.layout.cells import (
    CN_NUMERAL,
    COL_DEADLINE,
    COL_GOAL,
    COL_LEADER,
    COL_MEASURE,
    COL_NUMBER,
    COL_OTHER,
    COL_TEXT,
    COL_UNITS,
    END_OF_BODY,
    GOAL_SIGN,
    ROLE_AT_END,
    Column,
    describe_columns,
    header_columns,
    is_deadline_cell,
    is_goal_cell,
    is_measure_cell,
    is_noise,
    is_person_name,
    parse_number,
    title_candidate,
)
from duban.taskdoc.layout.raw import Found, RawTask
from duban.taskdoc.model import Role
from duban.taskdoc.normalize import normalise_cell
from duban.taskdoc.readers import Table
from duban.taskdoc.units import is_plausible_name, looks_like_units


@dataclass
class TableState:
    columns: list[Column | None] | None = None
    previous: list[str] = field(default_factory=list)


# Spaces between two Chinese characters inside a cell: in a units cell they separate names
# ("县教体局 各相关乡镇政府"); elsewhere they are dropped like every other space in Chinese text.
_WIDE_SPACE = re.compile(r"(?<=[^\x00-\x7f])[ \u3000\xa0]+(?=[^\x00-\x7f])")


def _cell_lines(cell: str) -> str:
    """A cell normalised line by line; its line breaks are kept until the column says what they mean."""
    parts = (piece for line in cell.splitlines() for piece in _WIDE_SPACE.split(line))
    return "\n".join(line for line in (normalise_cell(part) for part in parts) if line)


def _units_cell(cell: str) -> str:
    """Line breaks in a units cell end a clause, except inside a name broken by a narrow column."""
    lines = cell.split("\n")
    joined = lines[0]
    for line in lines[1:]:
        ends_clause = ROLE_AT_END.search(joined) is not None
        ends_name = is_plausible_name(re.split(r"[、，,；;]", joined)[-1])
        joined += "\n" + line if ends_clause or ends_name or joined[-1] in "，,；;。、" else line
    return joined


_TABLE_KIND = {False: "表格", True: "由文字还原的表格"}


def table_tasks(table: Table, state: TableState, found: Found) -> None:
    rows = [[_cell_lines(c) for c in row] for row in table.rows]
    rows = [r for r in rows if any(r)]
    start = 0
    header_at = None
    for i, row in enumerate(rows[:8]):
        if header_columns(row) is not None:
            header_at = i
            break
    if header_at is not None:
        for row in rows[:header_at]:
            if found.title is None and not found.tasks:
                distinct = {c for c in row if c}
                if len(distinct) == 1:
                    found.title = title_candidate(distinct.pop())
        columns = header_columns(rows[header_at])
        start = header_at + 1
        while start < len(rows) and (lower := header_columns(rows[start])) is not None:
            columns = [lo or up for lo, up in zip(lower, columns or [], strict=False)]
            start += 1
        state.columns = columns
        state.previous = []
        found.read(f"{_TABLE_KIND[table.flattened]}，表头读作 {describe_columns(columns or [])}")
    elif state.columns is None or (
        not table.flattened and len(state.columns) != max((len(r) for r in rows), default=0)
    ):
        state.columns = _infer_columns(rows)
        found.read(f"{_TABLE_KIND[table.flattened]}，没有表头，按内容读作 {describe_columns(state.columns)}")
    columns = state.columns or []
    named = _numbered_names(rows[start:], columns)
    if named is not None:
        found.read("没有序号一栏，首栏以编号开头的行各为一项，其下未编号的行为该项的分行")
    for row in rows[start:]:
        if header_columns(row) is not None or all(is_noise(c) for c in row):
            continue
        if END_OF_BODY.search(row[0]):
            return
        filled = [c for c in row if c]
        if len(set(filled)) == 1 and (len(filled) > 1 or (table.flattened and parse_number(filled[0]) is None)):
            continue  # a section heading merged across the row, or a heading line inside a flattened table
        cells = fit_row(row, columns, state.previous) if table.flattened else row
        if named is not None:
            _named_row(cells, columns, named, found)
        else:
            row_task(cells, columns, found)
        if table.flattened:
            state.previous = cells


# "1.城市人居环境提升项目": a project's name that carries its number, in a table without a 序号 column.
_NAME_NUMBER = re.compile(r"^(\d{1,3})[.．、](?!\d)")


def _numbered_names(rows: list[list[str]], columns: list[Column | None]) -> int | None:
    """The text column whose cells open with the rows' numbers, in a table without a 序号 column (新昌县 2021:
    项目名称 | 工作任务 | 计划完成时间 | 牵头单位, "1.城市人居环境提升项目 | …"); None if there is none."""
    kinds = [c.kind if c else None for c in columns]
    if COL_NUMBER in kinds or COL_TEXT not in kinds:
        return None
    at = kinds.index(COL_TEXT)
    numbers = [int(m.group(1)) for row in rows if row and (m := _NAME_NUMBER.match(row[0].strip()))]
    return at if len(numbers) >= 2 and numbers == list(range(1, len(numbers) + 1)) else None


def _named_row(cells: list[str], columns: list[Column | None], at: int, found: Found) -> None:
    """A row of a ``_numbered_names`` table: a numbered row is a task; a row without a number is one of the rows
    the project's merged cells covered (its name and number written once), a part of the task above with its own
    deadline and units."""
    match = _NAME_NUMBER.match(cells[at].strip()) if at < len(cells) else None
    if match is not None:
        cells = list(cells)
        cells[at] = cells[at].strip()[match.end() :]
        row_task([match.group(1), *cells], [Column(COL_NUMBER), *columns], found)
        return
    part = Found()
    row_task(cells, columns, part)
    if not found.tasks or not part.tasks:
        found.tasks.extend(part.tasks)
        return
    last, new = found.tasks[-1], part.tasks[0]
    last.parts = (last.parts or [(last.text, last.deadline)]) + ([(new.text, new.deadline)] if new.text else [])
    last.units.extend(unit for unit in new.units if unit not in last.units)
    last.rows_joined += 1


def fit_row(row: list[str], columns: list[Column | None], previous: list[str]) -> list[str]:
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
            if len(pending) > 1 and is_deadline_cell(pending[0]):
                break  # "2021.8 | 城投集团": the text was merged with the row above; the row holds a date and units
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


def row_task(row: list[str], columns: list[Column | None], found: Found) -> None:
    number: int | None = None
    text_parts: list[str] = []
    units: list[tuple[str, Role | None]] = []
    deadline: str | None = None
    goal = measure = dates = ""
    has_number_column = any(c and c.kind == COL_NUMBER for c in columns)
    for cell, column in zip(row, columns, strict=False):
        if column is None or not cell:
            continue
        if column.kind == COL_GOAL:
            goal = cell.replace("\n", "")
            continue
        if column.kind == COL_MEASURE:
            measure = cell.replace("\n", "")
            continue
        if column.kind == COL_UNITS:
            if column.with_people:
                cell = "\n".join(line for line in cell.split("\n") if not is_person_name(line))
            units.append((_units_cell(cell), column.role))
            continue
        flat = cell.replace("\n", "")
        if column.kind == COL_NUMBER:
            number = parse_number(flat)
        elif column.kind == COL_TEXT:
            text_parts.append(flat)
        elif column.kind == COL_DEADLINE:
            deadline, dates = flat, cell
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
        if re.match(r"^[" + CN_NUMERAL + r"]+[、.．]", text) and not units:
            return  # a section heading row
    if not units and re.match(r"^[" + CN_NUMERAL + r"]+[、.．]", text) and number is None:
        return
    task = RawTask(number, text, units, deadline, row=True)
    pieces = _numbered_dates(dates)
    sentences = [part for part in re.split(r"(?<=[；;])", text_parts[-1]) if part.strip("；; ")] if text_parts else []
    if len(pieces) >= 2 and len(sentences) == len(pieces):
        # "1.2021年8月 2.2021年12月" beside "计划投资1067万元,完成22所…;持续推进幼儿园建设,…" (新昌县 2021): each
        # measure of the task has its own date, in order
        head = "".join(text_parts[:-1])
        paired = enumerate(zip(sentences, pieces, strict=True))
        task.parts = [(head * (k == 0) + sentence, piece) for k, (sentence, piece) in paired]
    if goal and is_goal_cell(goal) and text_parts:
        task.parts = [(text, deadline), (_goal_clause(text_parts[-1], goal, measure), deadline)]
    found.tasks.append(task)


_DATE_ITEM = re.compile(r"(?:^|(?<=[^\d.．]))([1-9])[.．、]")


def _numbered_dates(cell: str) -> list[str]:
    """A deadline cell that numbers its dates ("1、…7月1日项目投入试运营 2、…2022年12月底完成…"): the dates, in order;
    [] for a cell of one date."""
    marks = list(_DATE_ITEM.finditer(cell))
    if len(marks) < 2 or [int(m.group(1)) for m in marks] != list(range(1, len(marks) + 1)):
        return []
    ends = [m.start() for m in marks[1:]] + [len(cell)]
    return [cell[m.end() : end].strip() for m, end in zip(marks, ends, strict=True)]


def _goal_clause(subject: str, goal: str, measure: str) -> str:
    """An indicator row's target as a sentence the target reader reads: "永久基本农田", "0.07", "万亩" →
    "永久基本农田达到0.07万亩"; "农林牧渔业增加值增幅", "≥2%", "%" → "农林牧渔业增加值增幅≥2%"."""
    written = goal if GOAL_SIGN.match(goal) else f"达到{goal}"
    if measure and not is_measure_cell(goal[-1:]) and measure not in ("-", "—", "–", "/"):
        written += measure
    return subject.rstrip("。；;，,") + written + "。"
