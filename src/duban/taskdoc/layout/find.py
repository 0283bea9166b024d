"""The entry point: walk the blocks, send tables to the table reader and runs of lines to the line reader."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from duban.taskdoc.layout.cells import END_OF_BODY, MARKER, is_noise
from duban.taskdoc.layout.lines import (
    leading_pipe_table,
    lines_tasks,
    space_table,
    starts_leading_pipe_table,
    text_table,
)
from duban.taskdoc.layout.raw import Found
from duban.taskdoc.layout.tables import TableState, table_tasks
from duban.taskdoc.normalize import normalise_cell
from duban.taskdoc.readers import Block, Line, Table

# A table copied one cell per line with its cell borders: "序号 |", "主要任务 |", "||" (an empty cell).
_TRAILING_PIPES = re.compile(r"(?:\s*[|｜])+$")


def find_tasks(blocks: list[Block]) -> Found:
    found = Found()
    state = TableState()
    pending: list[str] = []

    def flush() -> None:
        if pending:
            lines_tasks(pending, state, found)
            pending.clear()

    i = 0
    while i < len(blocks):
        block = blocks[i]
        if isinstance(block, Table):
            flush()
            table_tasks(block, state, found)
            i += 1
            continue
        stripped = _TRAILING_PIPES.sub("", block.text.strip())
        table, used = (None, 0)
        following = blocks[i + 1] if i + 1 < len(blocks) else None
        how = ""
        if isinstance(following, Line) and starts_leading_pipe_table(block.text, following.text):
            table, used = leading_pipe_table(_take_lines(blocks, i))
            how = "每格以“| ”开头、“|”结束一行的文字"
        elif "|" in stripped or "｜" in stripped or "\t" in stripped:
            table, used = text_table(_take_lines(blocks, i))
            how = "以“|”或制表符分隔的文字"
        elif " " in stripped or "\u3000" in stripped:
            table, used = space_table(_take_lines(blocks, i))
            how = "以空格分隔的文字"
        if table is not None:
            found.read(f"{how}，还原为表格")
            flush()
            table_tasks(table, state, found)
            i += used
            continue
        text = normalise_cell(stripped)
        if END_OF_BODY.search(text) and not _title_broken_at_issue(text, found, pending):
            break
        if not is_noise(text):
            pending.append(text)
        i += 1
    flush()
    return found


def _title_broken_at_issue(text: str, found: Found, pending: list[str]) -> bool:
    """ "百色市人民政府关于印发" over "2009年为民办好十件实事实施方案的通知" (百色 2009): a title broken after its 印发,
    before any task, and not the line that closes the document."""
    return text.endswith("印发") and not found.tasks and not any(MARKER.match(line) for line in pending)


def _take_lines(blocks: list[Block], start: int) -> Iterator[str]:
    for block in itertools.islice(blocks, start, None):
        if not isinstance(block, Line):
            return
        yield block.text
