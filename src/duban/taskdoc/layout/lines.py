"""Runs of lines that are not a table with a header row: rows split at ``|`` or tabs, a cell stream (one cell
a line, each row starting at its number), or items (numbered paragraphs with their units)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import cn2an

from duban.taskdoc.layout.cells import (
    COL_DEADLINE,
    COL_GOAL,
    COL_LEADER,
    COL_MEASURE,
    COL_NUMBER,
    COL_OTHER,
    COL_TEXT,
    COL_UNITS,
    MARKER,
    Column,
    classify_header,
    closes_with_units,
    describe_columns,
    glued_number,
    header_columns,
    is_deadline_cell,
    is_goal_cell,
    is_label_line,
    is_measure_cell,
    is_noise,
    is_person_name,
    label_holds,
    label_matches,
    leading_units,
    marker_number,
    marker_style,
    opens_with_text_label,
    resolve_goal,
    split_body,
    split_run_on_label,
    title_candidate,
)
from duban.taskdoc.layout.raw import Found, RawTask
from duban.taskdoc.layout.tables import TableState, fit_row, row_task
from duban.taskdoc.lexicon import lexicon, one_of
from duban.taskdoc.model import Role
from duban.taskdoc.normalize import normalise_cell, normalise_spaces
from duban.taskdoc.readers import Table
from duban.taskdoc.units import has_role_phrase, is_plausible_name, looks_like_units


def text_table(lines: Iterable[str]) -> tuple[Table | None, int]:
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
            # the borders around the row, and the empty cells it ends with ("…| 城投集团 | |", 新昌县 2021): a row
            # that ends early is fitted to the columns by what its cells hold
            cells = re.split(r"[|｜]", re.sub(r"^[\s|｜]+|[\s|｜]+$", "", stripped))
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


_SPACES = re.compile(r"[ \u3000\xa0]+")


def space_header(line: str) -> list[Column | None] | None:
    """A header row whose cells are separated by spaces: "序号 重点工作任务 牵头责任单位 一季度完成情况"."""
    cells = _SPACES.split(normalise_spaces(line).strip())
    if len(cells) < 3:
        return None
    columns = [classify_header(cell) for cell in cells]
    if None in columns or not {c.kind for c in columns if c} >= {COL_TEXT, COL_UNITS}:
        return None
    return columns


def space_table(lines: Iterable[str]) -> tuple[Table | None, int]:
    """Rows whose cells are separated by spaces, under a ``space_header`` line; each row starts at its number.

    A line without a number between rows is a section heading when it looks like one (一、…) and otherwise
    the rest of the row above, broken over lines by a narrow column: it goes on in that row's next cell.
    """
    rows: list[list[str]] = []
    rest: list[list[str]] = []  # each row's lines after its first
    used = 0
    width = 0
    for raw in lines:
        line = normalise_spaces(raw).strip()
        if not rows:
            header = space_header(line)
            if header is None:
                return None, 0
            width = len(header)
            rows.append(_SPACES.split(line))
            rest.append([])
            used = 1
            continue
        if not line:
            used += 1
            continue
        if re.match(r"^\d{1,3}[ \u3000]", line):
            rows.append(_SPACES.split(line, maxsplit=width - 1))
            rest.append([])
        elif MARKER.match(line) and not re.match(r"^\d", line):
            rows.append([line])  # a section heading inside the table
            rest.append([])
        elif len(rows) > 1 and len(rows[-1]) > 1:
            rest[-1].append(line)
        else:
            break
        used += 1
    if len(rows) < 2:
        return None, 0
    for row, more in zip(rows, rest, strict=True):
        # The lines under a row fill its empty cells from the right, the last line the last cell; lines beyond
        # those go on in the cell the row ended with ("区财政局" / "区税务局" / "区政府有关部门,…": the first
        # two are one cell of a narrow column, the third the next column).
        free = max(width - len(row), 0)
        own, new = (more[: len(more) - free], more[len(more) - free :]) if free else (more, [])
        if own:
            row[-1] += "\n" + "\n".join(own)
        row.extend(new)
    return Table(rows, flattened=True), used


def leading_pipe_table(lines: Iterable[str]) -> tuple[Table | None, int]:
    """A table copied from a page where each cell after the first begins with "| " and "|" alone ends the row:

        牵头单位 / | 目 标 任 务 / | 责 任 单 位 / | / 市政 / 府办 / 公厅 / | 强化行政监督… / | 市直各单位 / |

    (长沙市 2012). A cell broken over lines by a narrow column ("市政", "府办", "公厅") is joined again.
    """
    rows: list[list[str]] = []
    cells: list[str] = []
    current: str | None = None
    used = plain_run = 0
    for raw in lines:
        line = raw.strip()
        if line in ("|", "｜"):
            if current is not None:
                cells.append(current)
            if cells:
                rows.append(cells)
            cells, current, plain_run = [], None, 0
        elif line.startswith(("|", "｜")):
            if current is not None:
                cells.append(current)
            current, plain_run = line[1:].strip(), 0
        elif line:
            plain_run += 1
            if plain_run > 6:
                break  # the table has ended
            current = line if current is None else current + line
        used += 1
    if current is not None:
        cells.append(current)
    if cells:
        rows.append(cells)
    if len(rows) < 2 or header_columns([normalise_cell(cell) for cell in rows[0]]) is None:
        return None, 0
    return Table(rows, flattened=True), used


def starts_leading_pipe_table(first: str, second: str) -> bool:
    """A line without a border followed by one that begins with "| ": the header of a ``leading_pipe_table``."""
    return "|" not in first and "｜" not in first and second.strip().startswith(("| ", "｜ ", "|\u3000"))


def cell_stream_header(lines: list[str], at: int) -> int:
    """Number of header cells that start at ``lines[at]`` (one per line), or 0."""
    count = 0
    while at + count < len(lines) and classify_header(lines[at + count]) is not None:
        count += 1
    kinds = {classify_header(x).kind for x in lines[at : at + count]}  # type: ignore[union-attr]
    return count if count >= 2 and kinds & {COL_TEXT, COL_UNITS} else 0


def stream_tasks(lines: list[str], columns: list[Column | None], found: Found) -> None:
    """A table copied one cell per line: each row starts at its number."""
    rows: list[tuple[str, list[str]]] = []
    expected: int | None = None
    holds_values = any(c is not None and c.kind == COL_GOAL for c in columns)
    after_heading = False
    i = 0
    while i < len(lines):
        line = lines[i]
        width = cell_stream_header(lines, i)
        if width:
            i += width
            continue
        number = int(line) if re.fullmatch(r"\d{1,3}", line) else None
        glued = glued_number(line, expected) if number is None else None
        marked = _ROW_MARKER.match(line) if number is None else None
        # An extract that keeps only some rows under their sections' headings ("一、…" / "3" / … / "六、…" / "68",
        # 谯城区教育局 2025): a number ahead of the one due, right after a heading, is a row's and no page number.
        skipped = number is not None and after_heading and expected is not None and number > expected
        heading = (match := MARKER.match(line)) is not None and marker_style(match) == "cn"
        after_heading = heading or (after_heading and number is None and not line.strip())
        if number is not None and (expected is None or number == expected or skipped):
            rows.append((line, []))
            expected = number + 1
        elif marked is not None and int(marked.group(1)) == (expected or 1) and line[marked.end() :]:
            # "1、地区生产总值增长率" (普陀区 2021): the row's number written as an item's, run on into its first cell
            rows.append((marked.group(1), [line[marked.end() :]]))
            expected = int(marked.group(1)) + 1
        elif glued is not None:
            rows.append((str(glued[0]), [glued[1].strip()]))
            expected = glued[0] + 1
        elif number is not None and holds_values and rows:
            rows[-1][1].append(line)  # a target value ("0", "42") in an indicator table
        elif number is not None or is_noise(line):
            pass  # a page number between rows
        elif rows:
            rows[-1][1].append(line)
        i += 1
    previous: list[str] = []
    number_index = next((k for k, c in enumerate(columns) if c and c.kind == COL_NUMBER), None)
    body_columns = [c for k, c in enumerate(columns) if k != number_index]
    if number_index is None and rows:
        # a table without a 序号 column whose rows are numbered all the same: the number goes before the cells
        columns, number_index = [Column(COL_NUMBER), *columns], 0
    has_deadline = any(c and c.kind == COL_DEADLINE for c in body_columns)
    for number_cell, cells in rows:
        for part in _sub_rows(cells) if has_deadline else [cells]:
            fitted = _stream_row(part, body_columns, previous)
            previous = fitted
            row = list(fitted)
            if number_index is not None:
                row.insert(number_index, number_cell)
            row_task(row, columns if number_index is not None else body_columns, found)


_ROW_MARKER = re.compile(r"^(\d{1,3})[、.．](?!\d)")


def _sub_rows(cells: list[str]) -> list[list[str]]:
    """A row's cells cut where a sub-row begins: a text cell right after the row's deadline cell.

    大竹县 2016 row 5: "开工建设县老年养护楼。" / "县民政局" / "5月底前动工" / "开工建设老年大学。" / "12月底前" — the
    second project shares the number and the units cell (merged in the original table) and has its own date.
    """
    parts: list[list[str]] = [[]]
    after_deadline = False
    for cell in cells:
        sentence = cell.endswith("。") and not has_role_phrase(cell)  # "开工建设老年大学。" names no unit
        if after_deadline and not is_deadline_cell(cell) and (sentence or not looks_like_units(cell)):
            parts.append([])
        parts[-1].append(cell)
        after_deadline = is_deadline_cell(cell)
    return parts


def _stream_row(cells: list[str], columns: list[Column | None], previous: list[str]) -> list[str]:
    if len(cells) == 1 and len(columns) > 1:
        split = split_body(cells[0])
        if split.units or split.deadline:
            cells = [split.text]
            cells += [u for u, _ in split.units]
            if split.deadline:
                cells.append(split.deadline)
    kinds = [c.kind if c else COL_OTHER for c in columns]
    if COL_GOAL in kinds or COL_MEASURE in kinds:
        return _fit_from_the_right(cells, kinds)
    if _progress_before_units(kinds):
        # 指标名称 | 年度目标 | 完成情况 | 责任部门 (普陀区 2021): the progress cell stands right before the units,
        # and the group cell merged on the left (类别) is missing; what follows the last units line is the next
        # row's group.
        last = max((k for k, cell in enumerate(cells) if looks_like_units(cell)), default=len(cells) - 1)
        return _fit_from_the_right(cells[: last + 1], kinds)
    if len(cells) == len(columns):
        return cells
    if kinds.count(COL_UNITS) == 1 and kinds[-1] != COL_UNITS and (fitted := _fit_around_units(cells, kinds)):
        return fitted
    # Lines after the first are a broken text cell until the first units or date cell, or the leader's name
    # when there is a leader column.
    has_leader = COL_LEADER in kinds
    text = cells[0] if cells else ""
    rest_start = 1
    while rest_start < len(cells) and not (
        is_deadline_cell(cells[rest_start])
        or looks_like_units(cells[rest_start])
        or (has_leader and is_person_name(cells[rest_start]))
    ):
        text += cells[rest_start]
        rest_start += 1
    rest = cells[rest_start:]
    unit_columns = kinds.count(COL_UNITS)
    if unit_columns == 1:
        # the leader's name ("钱宇", 吴江区 2024) is no line of the units cell
        leader = [c for c in rest if has_leader and is_person_name(c)]
        unit_cells = [c for c in rest if not is_deadline_cell(c) and c not in leader]
        # one name a line in the units cell ("县水务局" / "县住建局"): each line is a name of the list
        rest = leader + (["\n".join(unit_cells)] if unit_cells else []) + [c for c in rest if is_deadline_cell(c)]
    return fit_row([text, *rest], columns, previous)


def _fit_around_units(cells: list[str], kinds: list[str]) -> list[str] | None:
    """A row whose units column has columns after it (序号 | 类别 | 项目名称 | 目标任务 | 牵头单位 | 目标任务 |
    累计完成 | 累计进度 | 备注, 祁门县): the units cell is the anchor. The cells before it fill the columns before
    it from the right, since the merged cells missing from a row are those on the left (类别); the cells after
    it fill the columns after it from the left, and what is left over is passed over. None when no cell after
    the first is a units cell."""
    at = next((k for k in range(1, len(cells)) if looks_like_units(cells[k])), None)
    if at is None:
        return None
    end = at
    while end < len(cells) and looks_like_units(cells[end]):
        end += 1
    units_column = kinds.index(COL_UNITS)
    fitted = [""] * len(kinds)
    before = cells[:at]
    for column, cell in zip(reversed(range(units_column)), reversed(before), strict=False):
        fitted[column] = cell
    first_text = kinds.index(COL_TEXT) if COL_TEXT in kinds else 0
    if len(before) > units_column:
        fitted[first_text] = "".join(before[: len(before) - units_column]) + fitted[first_text]
    fitted[units_column] = "\n".join(cells[at:end])
    after = cells[end:]
    # A second commitment of the project, on a row of its own without 序号 ("“三公里”充分就业社区4个" over its figures
    # "4 | 4 | 100%"): a text among the figures, followed by a figure, is the task's too.
    second = [
        cell
        for j, cell in enumerate(after[:-1])
        if not _FIGURE_CELL.match(cell)
        and _FIGURE_CELL.match(after[j + 1])
        and (j == 0 or _FIGURE_CELL.match(after[j - 1]))
    ]
    if second:
        text_before = max((k for k in range(units_column) if kinds[k] == COL_TEXT), default=first_text)
        fitted[text_before] += "".join(f"；{cell}" for cell in second)
    for column, cell in zip(range(units_column + 1, len(kinds)), [c for c in after if c not in second], strict=False):
        fitted[column] = cell
    return fitted


_FIGURE_CELL = re.compile(r"^(?:[-—–/]|\d+(?:\.\d+)?\s*[%％]?)$")


def _progress_before_units(kinds: list[str]) -> bool:
    """A progress or remark column between the text and the units, the units column last."""
    if not kinds or kinds[-1] != COL_UNITS or COL_TEXT not in kinds:
        return False
    last_text = max(k for k, kind in enumerate(kinds) if kind == COL_TEXT)
    return COL_OTHER in kinds[last_text + 1 : -1]


def _fit_from_the_right(cells: list[str], kinds: list[str]) -> list[str]:
    """An indicator table copied one cell per line (考核指标 | 单位 | 年度目标 | 责任部门 | 评分部门).

    Merged cells on the left (the group, the indicator shared by several rows) are missing from later
    rows, while the columns on the right are always there: the cells are placed from the right, each column
    taking what it can hold (a units column every units line in a row, a measure or a value column one cell
    of its kind), and what is left goes to the text columns, the last text column first.
    """
    fitted = [""] * len(kinds)
    pending = list(cells)
    first_text = kinds.index(COL_TEXT) if COL_TEXT in kinds else len(kinds)
    for i in range(len(kinds) - 1, first_text, -1):
        if not pending:
            break
        if kinds[i] == COL_UNITS:
            taken: list[str] = []
            while pending and looks_like_units(pending[-1]):
                taken.insert(0, pending.pop())
            fitted[i] = "\n".join(taken)
        elif _holds(kinds[i], pending[-1]):
            fitted[i] = pending.pop()
    text_columns = [i for i, kind in enumerate(kinds) if kind == COL_TEXT and not fitted[i]]
    for i in reversed(text_columns):
        if pending:
            fitted[i] = pending.pop()
    if pending and text_columns:
        fitted[text_columns[0]] = "".join(pending) + fitted[text_columns[0]]
    return fitted


def _holds(kind: str, cell: str) -> bool:
    """Whether a cell can stand in a column of this kind (a remark or text column takes anything)."""
    checks: dict[str, Callable[[str], bool]] = {
        COL_GOAL: is_goal_cell,
        COL_MEASURE: is_measure_cell,
        COL_DEADLINE: is_deadline_cell,
        COL_LEADER: lambda text: not looks_like_units(text),
    }
    check = checks.get(kind)
    return check(cell) if check is not None else kind in (COL_OTHER, COL_TEXT)


_STYLE_NAMES = {
    "arabic": "1.",
    "par": "(1)",
    "pcn": "（一）",
    "cn": "一、",
    "article": "第一条",
    "ordinal": "第一件",
    "circled": "①",
}
# Where an item may begin inside a line: after a sentence's end or a closing bracket, or after the colon that
# introduces the list ("…分别是: (1)加快建设…").
# A section heading (二、) may begin there too, but not a list of numbers that opens a sentence ("二、三季度开展…").
_INLINE_MARKER = re.compile(
    r"(?<=[。；;！!？?）):：])\s*(?=(?:[（(](?:[一二三四五六七八九十]{1,3}|\d{1,3})[）)]|\d{1,3}[.．、]"
    r"|[一二三四五六七八九十]{1,3}、(?![一二三四五六七八九十两]{1,2}(?:、|季|年级|类|级|产|等))))"
)
# A section heading has no end mark of its own, so on a page whose line breaks were lost its first item runs
# straight on after it: "一、持续提升投资建设便利度（一）优化再造投资项目前期审批流程。" (国办发〔2020〕24号).
_AFTER_HEADING = re.compile(r"(?=[（(](?:[一二三四五六七八九十]{1,3}|\d{1,3})[）)])")
_HEADING_OPENS = re.compile(r"^[一二三四五六七八九十]{1,3}、[^。；;！!？?（(]{2,60}$")


def _run_together(line: str) -> list[str]:
    """A line that holds several items one after another ("(一)开展规划编制。(二)围绕…", or a whole page on
    one line: "一、… (一)… 1.…（…负责） 2.…"), cut before each item.

    A cut is made only where a number follows a sentence's end or a closing bracket and either starts a
    list (1, （一）) or continues the list of its style, so a bracketed number inside a sentence stays.
    """
    parts: list[str] = []
    expected: dict[str, int] = {}
    first = MARKER.match(line)
    if first is not None and (number := marker_number(first)) is not None:
        expected[marker_style(first)] = number + 1
    start = 0
    cuts = sorted(
        [cut.end() for cut in _INLINE_MARKER.finditer(line)]
        + [cut.end() for cut in _AFTER_HEADING.finditer(line) if cut.end() > 0]
    )
    for at in cuts:
        if at <= start:
            continue
        if line[at - 1] not in "。；;！!？?）):： " and not _HEADING_OPENS.match(line[start:at].strip()):
            continue
        match = MARKER.match(line[at:])  # the pattern is anchored at the start of the string
        number = marker_number(match) if match is not None else None
        if match is None or number is None:
            continue
        style = marker_style(match)
        if number != 1 and number != expected.get(style):
            continue
        parts.append(line[start:at].strip())
        start = at
        expected[style] = number + 1
    parts.append(line[start:].strip())
    return [piece for part in parts if part for piece in _after_closing_units(part)]


_PARENTHESIS = re.compile(r"[（(](?:[^（）()]|[（(][^（）()]*[)）])+[)）]")


def _after_closing_units(part: str) -> list[str]:
    """An item, and what runs on after the units that close it when no units follow: the closing paragraph of a
    page whose line breaks were lost ("…（各地区、各部门负责）各地区、各部门要认真贯彻落实本意见…国务院办公厅2020年
    7月15日", 国办发〔2020〕24号), a report on the item. It is cut off as a line of its own, which the item reader
    passes over as it does a report under an item closed by its units."""
    closing = [
        m
        for m in _PARENTHESIS.finditer(part)
        if has_role_phrase(m.group(0)[1:-1]) and looks_like_units(m.group(0)[1:-1], closing=True)
    ]
    # Only units that stand after a sentence close it; "推进A（市住建局负责）、B建设。" goes on.
    if not closing or part[: closing[-1].start()].rstrip()[-1:] not in ("。", "；", ";", "！", "？"):
        return [part]
    end = closing[-1].end()
    rest = part[end:].lstrip("。.；; ")
    if len(rest) < 2 or rest[0] in "（(〔【[" or is_deadline_cell(rest) or label_matches(rest) or MARKER.match(rest):
        return [part]
    return [part[:end], rest]


def item_tasks(lines: list[str], found: Found) -> None:
    """Numbered (or unnumbered) paragraphs with their units inside or after them."""
    items: list[tuple[str, int | None, list[str]]] = []
    expected: dict[str, int] = {}
    for line in (part for whole in lines for part in _run_together(whole)):
        match = MARKER.match(line)
        starts_item = match is not None
        style = marker_style(match) if match is not None else "arabic"
        number = marker_number(match) if match is not None else None
        rest = line[match.end() :] if match is not None else ""
        if starts_item and style == "arabic" and not rest and number != expected.get(style, number):
            starts_item = False  # a bare page number between items
        if not starts_item and (glued := glued_number(line, expected.get("arabic", 1))) is not None:
            starts_item, style, (number, rest) = True, "arabic", glued
        if starts_item:
            items.append((style, number, [rest] if rest else []))
            if number is not None:
                expected[style] = number + 1
        elif items and items[-1][0] != "none" and items[-1][2] and closes_with_units(items[-1][2][-1]):
            if closes_with_units(line):
                # An item closed by its units, then a line closed so too: the next item, its number lost to copy
                # damage ("?。ǘ┩七M(jìn)东部石化基地…(牵头单位:市发改委;…)", 广州 2006); it is numbered by its place.
                items.append((items[-1][0], None, [line]))
            # Otherwise the units closed the item, and what follows is a report on it ("此项工作已完成。截至2019年
            # 12月底,全市完成…", 安顺 2019), no part of the task.
        elif items:
            items[-1][2].append(line)
        else:
            items.append(("none", None, [line]))
    if items and items[0][0] == "none":
        # A printed table repeats its header at the top of each page: those lines are no task's text.
        furniture = set(items[0][2])
        items = [items[0]] + [
            (style, number, [x for x in body if x not in furniture and _units_column([x]) is None])
            for style, number, body in items[1:]
        ]
    if _unit_sections(items, found):
        return
    group_units = _units_for_groups(items)
    if group_units:
        found.read("单位写在一组条目之后（“N项目标的责任单位均为…”“该目标责任单位为…”），适用于其前各条")
    readings = [(style, number, _read_item(body)) for style, number, body in items]
    for k, units in group_units.items():
        readings[k][2].units.extend(units)
    scores: dict[str, int] = {}
    for style, _, task in readings:
        if task.units and style != "none":
            scores[style] = scores.get(style, 0) + 1
    if scores:
        task_style = max(scores, key=lambda s: scores[s])
        found.read(
            f"编号段落，任务的编号样式为 {_STYLE_NAMES.get(task_style, task_style)}（{scores[task_style]}条写有单位）"
        )
        seen_main = False
        idle = _sections_without_units(readings, task_style)
        for k, (style, number, task) in enumerate(readings):
            if style == "none" or k in idle:
                continue
            # Items of another numbering with units of their own, under an item with units or without (黑龙江
            # 2013: "（一）…（…负责）" in part one, "1.…（…主办）" in part two; 安顺 2019: "一、…(责任单位:…)" over
            # "1.…(责任单位:…)"; 国办发〔2020〕43号: "（一）…（…负责）具体措施：1．…（…负责）2．…"): the smallest
            # numbered items that carry units are the tasks and the item over them is none.
            if _has_sub_items_with_units(readings, k):
                seen_main = seen_main or style == task_style
                continue
            if style == task_style or (task.units and seen_main):
                task.number = number
                found.tasks.append(task)
            seen_main = seen_main or style == task_style
        return
    numbered: dict[str, int] = {}
    for style, number, _ in readings:
        if style not in ("none", "article") and number is not None:
            numbered[style] = numbered.get(style, 0) + 1
    if numbered and max(numbered.values()) >= 3:
        # A list of tasks that names no unit at all (a 工作要点 without its division of labour): the items
        # of the most used numbering are the tasks, each with a warning that it has no unit.
        task_style = max(numbered, key=lambda s: numbered[s])
        chosen = [(number, task) for style, number, task in readings if style == task_style]
        role = _units_column(items[0][2] if items and items[0][0] == "none" else [])
        if role is not None and _trailing_units([task for _, task in chosen], role):
            found.read(
                f"编号段落，表头写有单位一栏（{_ROLE_HEADER[role]}），各条末尾的单位名称为该栏内容；"
                f"任务的编号样式为 {_STYLE_NAMES.get(task_style, task_style)}"
            )
        else:
            found.read(f"编号段落，全文未写责任单位；任务的编号样式为 {_STYLE_NAMES.get(task_style, task_style)}")
        for number, task in chosen:
            task.number = number
            found.tasks.append(task)
        return
    # An unnumbered document: each paragraph with units is a task; a labelled or units-only line belongs
    # to the paragraph above it.
    found.read("没有编号的段落，每个写有单位的段落是一项任务")
    paragraphs: list[list[str]] = []
    for line in lines:
        continues = is_label_line(line) or (has_role_phrase(line) and looks_like_units(line))
        if paragraphs and continues:
            paragraphs[-1].append(line)
        else:
            paragraphs.append([line])
    for paragraph in paragraphs:
        task = _read_item(paragraph)
        if task.units:
            found.tasks.append(task)


def _sections_without_units(readings: list[tuple[str, int | None, RawTask]], task_style: str) -> set[int]:
    """The items of the tasks' numbering under a heading none of whose items names a unit, in a document whose
    other sections' items do: 六安 2021 ranks its counties under "一、各县区民生工程实施进度综合排名" ("1、金寨县;
    2、金安区;…") before its tasks under "二、部分项目进展情况" ("1、学前教育促进,牵头单位:市教体局。"); a ranking is
    no list of tasks."""
    rank = _RANK.get(task_style, 9)
    sections: dict[int, list[int]] = {}
    heading = -1
    for k, (style, _, _) in enumerate(readings):
        if style == "none":
            continue
        if _RANK.get(style, 9) < rank:
            heading = k
        elif style == task_style:
            sections.setdefault(heading, []).append(k)
    with_units = {h for h, members in sections.items() if any(readings[k][2].units for k in members)}
    if not with_units or len(sections) < 2:
        return set()
    return {k for h, members in sections.items() if h not in with_units and h >= 0 for k in members}


def _has_sub_items_with_units(readings: list[tuple[str, int | None, RawTask]], at: int) -> bool:
    """Whether an item of a lower rank of the outline that carries units stands under the item at ``at``."""
    rank = _RANK.get(readings[at][0], 9)
    for style, _, task in readings[at + 1 :]:
        if style == "none":
            continue
        if _RANK.get(style, 9) <= rank:
            return False
        if task.units:
            return True
    return False


# "4项目标的责任单位均为市发展改革委。", "该目标责任单位为市经委。": the unit of the items just listed.
_GROUP_UNITS = re.compile(
    r"^(?:(?P<count>\d{1,2}|[一二两三四五六七八九十]{1,3})项|该项?)(?:目标|任务|工作|指标)?的?"
    r"(?P<label>责任单位|牵头单位|责任部门)(?:均|都|分别)?为(?P<units>[^。；;]+)[。；;]?$"
)


def _units_for_groups(items: list[tuple[str, int | None, list[str]]]) -> dict[int, list[tuple[str, Role | None]]]:
    """Units written once after a group of items (郑州 2007: "1.…;" "2.…;" … "4项目标的责任单位均为市发展改革委。"):
    each such line is taken out of the item it follows and its units go to that item and the ones before it
    of the same numbering, as many as it counts ("该目标" is one)."""
    found: dict[int, list[tuple[str, Role | None]]] = {}
    for k, (style, _, body) in enumerate(items):
        for line in list(body):
            match = _GROUP_UNITS.match(line)
            if match is None:
                continue
            body.remove(line)
            raw = match.group("count")
            count = 1 if raw is None else int(cn2an.cn2an(raw, "smart"))
            role = lexicon().label_role.get(match.group("label"))
            group = [j for j in range(k, -1, -1) if items[j][0] == style][:count]
            for j in group:
                found.setdefault(j, []).append((match.group("units"), role))
    return found


_ROLE_HEADER: dict[Role, str] = {"lead": "牵头单位", "responsible": "责任单位", "support": "配合单位", "local": "属地"}


def _units_column(preamble: list[str]) -> Role | None:
    """The role of the units column named in a table header that survives only as words in a line
    ("2019 年目标任务 牵头单位 备注", a PDF table flattened by text extraction); None without one."""
    for line in preamble:
        # the lines come with their spaces gone: "2019年目标任务牵头单位备注合计6282616."
        if re.search(r"[，,。；;：:]", line):
            continue
        if (match := _UNITS_HEADER_WORD.search(line)) is not None and _TEXT_HEADER_WORD.search(line):
            return lexicon().label_role[match.group(0)]
    return None


_UNITS_HEADER_WORD = re.compile(one_of(lexicon().label_role))
_TEXT_HEADER_WORD = re.compile(one_of(lexicon().text_header_words))
_LAST_SENTENCE_END = re.compile(r"[。.；;](?=[^。.；;]*$)")


def _trailing_units(tasks: list[RawTask], role: Role) -> bool:
    """Give each task the unit cell its flattened row ends with ("…发放救助金.自治区民政厅"), when most
    rows end so; True when they do."""
    tails: list[tuple[RawTask, str, int]] = []
    for task in tasks:
        text = task.text.rstrip(" ―—-－")
        end = _LAST_SENTENCE_END.search(text)
        tail = text[end.end() :] if end is not None else ""
        if tail and looks_like_units(tail) and not has_role_phrase(tail):
            tails.append((task, tail, end.end() if end is not None else 0))
    if len(tails) * 2 <= len(tasks):
        return False
    for task, tail, at in tails:
        task.text = task.text[:at]
        task.units.append((tail, role))
    return True


# "(八)县经济局主要工作任务:", "二、市教育局职责": a heading that names the unit whose tasks follow.
# "一、县示范区管委会牵头工作(8项)", "(一)省发展改革委牵头的工作": the role may be written too.
_UNIT_HEADING = re.compile(
    r"^(?P<unit>[^，,。；;：:\s]{2,24}?)(?P<verb>牵头|负责|承担|配合)?(?:的)?(?:主要)?"
    r"(?:工作任务|工作|任务|职责)(?:清单)?(?:[（(]\d+项[)）])?[：:]?$"
)
_HEADING_ROLE: dict[str | None, Role] = {"牵头": "lead", "配合": "support"}
# How high a numbering stands in a Chinese document's outline: 一、 heads （一）, which heads 1., then （1）, ①.
_RANK = {"article": 0, "cn": 1, "pcn": 2, "ordinal": 2, "arabic": 3, "par": 4, "circled": 5}


def _unit_sections(items: list[tuple[str, int | None, list[str]]], found: Found) -> bool:
    """A document in sections, one per unit, each headed by its unit ("(九)县公安局主要工作任务:") over the
    items or the paragraph that are its tasks. The items name no unit: the heading gives each its unit, in
    the role the heading says (``responsible`` when it says none); a labelled line that closes a section
    ("协助单位:交通局") holds for all its items.

    Returns False, having read nothing, unless two headings say so, or one that names its role too.
    """
    headings = [
        (k, match.group("unit"), match.group("verb"))
        for k, (style, _, body) in enumerate(items)
        if style != "none" and body and (match := _UNIT_HEADING.match(body[0]))
        if is_plausible_name(match.group("unit"))
    ]
    # One heading is enough when it says the role itself and the items under it name no unit of their own.
    enough = len(headings) >= 2 or (
        len(headings) == 1
        and headings[0][2] is not None
        and not any(_read_item(body).units for _, _, body in items[headings[0][0] + 1 :])
    )
    if not enough or len({items[k][0] for k, _, _ in headings}) != 1:
        return False
    found.read(f"按单位分节，每节标题写明单位（如“{headings[0][1]}主要工作任务”），节内各条为该单位的任务")
    # A section ends at the next heading, or at an item of a higher numbering (一、 over （一） over 1.): "二、薛延忠
    # 常务副省长负责的工作" (山西 2008) opens a part, and is no task of the section before it.
    style = items[headings[0][0]][0]
    starts = [k for k, _, _ in headings[1:]] + [len(items)]
    ends = [
        next((j for j in range(start + 1, limit) if _RANK.get(items[j][0], 9) < _RANK.get(style, 9)), limit)
        for (start, _, _), limit in zip(headings, starts, strict=True)
    ]
    # Where items carry labelled lines of their own ("1.…" / "协同单位:…" / "2.…" / "协同单位:…", 山西 2008), the
    # line after a section's last item is that item's, not the section's.
    own_lines = any(
        is_label_line(line)
        for (start, _, _), end in zip(headings, ends, strict=True)
        for _, _, item_body in items[start + 1 : end - 1]
        for line in item_body
    )
    for (start, unit, verb), end in zip(headings, ends, strict=True):
        role = _HEADING_ROLE.get(verb, "responsible")
        body = items[start][2]
        section: list[RawTask] = []
        if body[1:]:
            section.append(_read_item(body[1:]))  # the heading's own paragraph: "依据…，全面推广沼气应用。"
        for item_style, item_number, item_body in items[start + 1 : end]:
            task = _read_item(item_body)
            task.number = item_number if item_style != "none" else None
            section.append(task)
        closing = [line for line in (items[end - 1][2] if end - 1 > start else body)[1:] if is_label_line(line)]
        shared = [] if own_lines and end - 1 > start else [u for line in closing for u in split_body(line).units]
        for task in section:
            task.units = [(unit, role), *(u for u in task.units if u not in shared), *shared]
            found.tasks.append(task)
    return True


def _read_item(body: list[str]) -> RawTask:
    text_lines: list[str] = []
    content_at: int | None = None  # where the text under a label of its own ("任务目标:") begins
    task = RawTask(None, "")
    body = [part for line in body for part in split_run_on_label(line)]
    for k, line in enumerate(body):
        if is_label_line(line):
            labelled = split_body(line)
            task.units.extend(labelled.units)
            task.deadline = task.deadline or labelled.deadline
        elif k > 0 and has_role_phrase(line) and looks_like_units(line):
            task.units.append((line, None))
        elif k > 0 and (opening := leading_units(line))[0]:
            task.units.append((opening[0], None))  # "由X副市长负责,市发改委牵头,…" under the task's title
            text_lines.append(line[opening[1] :])
        else:
            if content_at is None and k > 0 and text_lines and opens_with_text_label(line):
                content_at = len(text_lines)
            text_lines.append(line)
    split = split_body("".join(text_lines))
    task.text = split.text
    task.units = split.units + task.units
    task.deadline = task.deadline or split.deadline
    title = "".join(text_lines[:content_at]) if content_at is not None else ""
    if title and title[-1] not in "。；;！!？?":
        # A project's name over its content ("二、10万平方米老旧小区改造项目" / "任务目标:2024年计划…改造总建筑面积
        # 不少于10万平方米", 南昌县 2024): the name is the task's text; its figures, when the content restates them,
        # are the same commitments, read once from the content.
        content = split_body("".join(text_lines[content_at:])).text
        task.text = split_body(title).text
        restated = all(figure in content for figure in re.findall(r"\d+(?:\.\d+)?", task.text))
        task.parts = [(content, task.deadline)] if restated else [(task.text, task.deadline), (content, task.deadline)]
    return task


def _repeated_after_units(columns: list[Column | None], headers: list[str]) -> list[Column | None]:
    """A text header written again after the units column (项目名称 | 目标任务 | 牵头单位 | 目标任务 | 累计完成, 祁门县)
    heads the first one's figure, repeated beside the progress: it is no text of the task."""
    kinds = [c.kind if c else None for c in columns]
    if COL_UNITS not in kinds:
        return columns
    units_at = kinds.index(COL_UNITS)
    return [
        Column(COL_OTHER) if k > units_at and kinds[k] == COL_TEXT and header in headers[:units_at] else column
        for k, (column, header) in enumerate(zip(columns, headers, strict=False))
    ]


def lines_tasks(lines: list[str], state: TableState, found: Found) -> None:
    header_at = next((k for k in range(len(lines)) if cell_stream_header(lines, k)), None)
    preamble = lines if header_at is None else lines[:header_at]
    if found.title is None and not found.tasks:
        for line in preamble:
            candidate = title_candidate(line)
            if candidate:
                found.title = candidate
                break
    if header_at is not None:
        width = cell_stream_header(lines, header_at)
        headers = lines[header_at : header_at + width]
        columns = _repeated_after_units(resolve_goal([classify_header(x) for x in headers], headers), headers)
        state.columns = columns
        found.read(f"一格一行的表格，表头读作 {describe_columns(columns)}")
        stream_tasks(lines[header_at + width :], columns, found)
        return
    if found.title is not None:
        # The title also heads every printed page; only its first appearance is the title.
        lines = [line for line in lines if line != found.title]
    item_tasks(_join_bare_labels(lines), found)


_BARE_LABEL_LINE = re.compile(f"^(?:{one_of((*lexicon().labels, *lexicon().text_labels))})[：:]?$")


def _join_bare_labels(lines: list[str]) -> list[str]:
    """A label alone on its line and its value on the next (同心县 2023, one task a page: "具体任务" / "全面落实…" /
    "责任单位" / "卫健局、文旅局" / "配合单位" / "各乡镇"): each pair is one labelled line. A label is joined only to
    what it announces, so a value it cannot hold (a date sentence under 完成时限 that no date opens) stays apart."""
    joined: list[str] = []
    k = 0
    while k < len(lines):
        line = lines[k]
        following = lines[k + 1] if k + 1 < len(lines) else ""
        if _BARE_LABEL_LINE.match(line) and following and not _BARE_LABEL_LINE.match(following):
            label = line.rstrip("：:")
            if label in lexicon().text_labels or label_holds(label, following):
                joined.append(f"{label}：{following}")
                k += 2
                continue
        joined.append(line)
        k += 1
    return joined
