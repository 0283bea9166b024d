"""Find the tasks in a sequence of blocks, whatever the layout (docs/parser.md, layouts a–f).

Three shapes of document are told apart here:
- tables (from Word, Excel, HTML, PDF, or text lines split at ``|`` or tabs): a header row names the columns;
- a cell stream (a table copied from a web page, one cell per line): a run of header lines gives the
  columns, and each row starts at its number;
- items (lists and inline documents): numbered paragraphs whose units stand in labelled lines, a
  trailing parenthesis or a trailing sentence.

The modules: ``raw`` (what a layout yields), ``cells`` (what one cell or line says), ``tables``, ``lines``
(text tables, cell streams and items) and ``find`` (``find_tasks``, which sends each block to one of them).
"""

from __future__ import annotations

from duban.taskdoc.layout.cells import (
    COL_DEADLINE,
    COL_LEADER,
    COL_NUMBER,
    COL_OTHER,
    COL_TEXT,
    COL_UNITS,
    Column,
    classify_header,
    is_deadline_cell,
    is_noise,
    parse_number,
    split_body,
)
from duban.taskdoc.layout.find import find_tasks
from duban.taskdoc.layout.raw import Found, RawTask

__all__ = [
    "COL_DEADLINE",
    "COL_LEADER",
    "COL_NUMBER",
    "COL_OTHER",
    "COL_TEXT",
    "COL_UNITS",
    "Column",
    "Found",
    "RawTask",
    "classify_header",
    "find_tasks",
    "is_deadline_cell",
    "is_noise",
    "parse_number",
    "split_body",
]
