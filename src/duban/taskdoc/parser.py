"""The parser's entry points: a file (or its bytes) in, a ``TaskDocument`` out."""

from __future__ import annotations

import itertools
import re
from datetime import date
from pathlib import Path

from duban.taskdoc.errors import DocumentError
from duban.taskdoc.layout import RawTask, find_tasks
from duban.taskdoc.layout.raw import join_sub_rows
from duban.taskdoc.model import DocumentFacts, ScopeNote, Task, TaskDocument
from duban.taskdoc.normalize import drop_copy_guard_noise, normalise_cell
from duban.taskdoc.readers import Block, Line, Table, read_blocks
from duban.taskdoc.targets import column_deadline, document_year, extract_targets
from duban.taskdoc.units import is_collective, read_units


def parse_file(path: str | Path) -> TaskDocument:
    """Parse the document at ``path``. Raises ``DocumentError`` for a file that cannot be read at all."""
    path = Path(path)
    name = path.name
    if not path.exists():
        raise DocumentError(str(path), "文件不存在 (no such file)")
    if path.is_dir():
        raise DocumentError(str(path), "这是一个目录，不是文件 (a directory, not a file)")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(str(path), f"无法读取文件 (cannot read the file: {exc.strerror})") from exc
    return parse_bytes(data, name)


def parse_bytes(data: bytes, source: str) -> TaskDocument:
    return _parse_blocks(read_blocks(data, source), source)


def parse_text(text: str, source: str = "<text>") -> TaskDocument:
    if not text.strip():
        raise DocumentError(source, "文件为空 (the file is empty)")
    return _parse_blocks([Line(line) for line in text.splitlines()], source)


def _parse_blocks(blocks: list[Block], source: str) -> TaskDocument:
    blocks = [Line(drop_copy_guard_noise(block.text)) if isinstance(block, Line) else block for block in blocks]
    found = find_tasks(blocks)
    found.tasks = join_sub_rows(found.tasks)
    if not found.tasks:
        raise DocumentError(
            source, "未找到任何任务 (no tasks found: no numbered rows or paragraphs with responsible units)"
        )
    document = TaskDocument(
        source=source, title=found.title, tasks=[], warnings=list(found.warnings), readings=list(found.readings)
    )
    document.facts = read_facts(blocks)
    year = document_year(_heading(blocks, found.tasks[0].text))
    document.readings.append(
        f"文件年度：{year}年（标题或第一项任务前的标题写明），未写日期的年度目标以{year}年12月31日为期"
        if year is not None
        else "文件年度：标题未写明某一年，完成时限只从任务自身读取"
    )
    numbered = any(raw.number is not None for raw in found.tasks)
    given = [raw.number for raw in found.tasks if raw.number is not None]
    if any(later <= earlier for earlier, later in itertools.pairwise(given)):
        # Numbers that start again in each section (一、… 1. 2. 3. 二、… 1. 2.): the tasks are numbered in
        # document order, so that each has a number of its own.
        numbered = False
        document.warnings.append(
            f"序号在各部分重新开始，任务按出现顺序编为1至{len(found.tasks)} "
            "(numbers restart in each section; the tasks are numbered in document order)"
        )
    first_is_lead = False
    previous = 0
    for index, raw in enumerate(found.tasks, start=1):
        number = raw.number if numbered and raw.number is not None else (previous + 1 if numbered else index)
        if numbered and raw.number is None:
            document.warnings.append(f"第{number}项任务：没有序号，按位置编为{number} (task {number}: no number)")
        elif numbered and previous == 0 and number != 1:
            document.warnings.append(
                f"第{number}项任务：序号从{number}开始，前面的任务可能不在文件中 (task {number}: numbers start here)"
            )
        elif numbered and number != previous + 1:
            document.warnings.append(
                f"第{number}项任务：序号不连续，上一项为{previous} (task {number}: number out of sequence)"
            )
        previous = number
        task, declared = _task(number, raw, document, year)
        if declared and not first_is_lead:
            document.readings.append(f"第{number}项写明“列第一位者为牵头单位”：此后每个名单的第一个单位为牵头")
        if raw.rows_joined > 1:
            document.readings.append(f"第{number}项：同一序号下的{raw.rows_joined}行合为一项，各行目标保留各自的时限")
        first_is_lead = first_is_lead or declared
        if first_is_lead:
            _first_unit_leads(task)
        document.tasks.append(task)
    return document


# 文号: an issuer's abbreviation, the year in brackets and a number — 琼府办〔2022〕12号, 国办发[2018]39号.
_DOCUMENT_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[〔［\[（(【]\s*(?:19|20)\d\d\s*[〕］\]）)】]\s*\d{1,4}\s*号")
# Words of the sentence that a 文号 stands in, never part of the issuer's abbreviation before the bracket
# ("省政府印发琼府办〔2022〕12号" gives 琼府办〔2022〕12号).
_BEFORE_NUMBER = re.compile(r"^.*(?:印发|转发|根据|按照|依据|关于|文件|通知|办公厅|办公室|政府|见|的|和|及|以)")
_ISSUER = re.compile(
    r"^(?P<body>[\u4e00-\u9fff、]{2,40}?(?:人民政府|政府|办公厅|办公室|委员会|党委|管委会))(?:关于|印发)"
)
_SIGNATURE_DATE = re.compile(r"^((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")


def read_facts(blocks: list[Block]) -> DocumentFacts:
    """The number, issuer and date a document gives of itself: the first 文号 in its first lines, the body
    named before 关于/印发 in its title, and a line that is a date alone (the signature's)."""
    facts = DocumentFacts()
    lines = [normalise_cell(block.text) for block in blocks if isinstance(block, Line) and block.text.strip()]
    for line in lines[:30]:
        if not facts.document_number and (number := _DOCUMENT_NUMBER.search(line)) is not None:
            facts.document_number = _BEFORE_NUMBER.sub("", re.sub(r"\s+", "", number.group(0)))
        if not facts.issuing_body and (issuer := _ISSUER.match(line)) is not None:
            facts.issuing_body = issuer.group("body")
    for line in lines:
        if (when := _SIGNATURE_DATE.match(line)) is not None:
            year, month, day = (int(part) for part in when.groups())
            try:
                facts.issued_on = date(year, month, day).isoformat()
            except ValueError:
                continue
    return facts


def _first_unit_leads(task: Task) -> None:
    """Apply "列第一位者为牵头单位": the first unit leads, unless the task names its lead itself."""
    if any(unit.role == "lead" for unit in task.units):
        return
    first = task.units[0] if task.units else None
    # A collective listed first (各有关部门和单位) is everyone concerned, not a lead department.
    if first is not None and first.role == "responsible" and not is_collective(first.name):
        first.role = "lead"


# Where the tasks begin: a line that opens with a task number (1. 1、 （一） (1) ①) or a table's first row.
_TASK_START = re.compile(r"^(?:\d{1,3}(?:[.．、﹒]|\s|$)|[（(][一二三四五六七八九十\d]{1,3}[）)]|[①-⑳])")


def _heading(blocks: list[Block], first_task: str) -> str:
    """The document's title and headings above its first task, as one text (to read the year it is for)."""
    parts: list[str] = []
    opening = first_task[:8]
    for block in blocks[:40]:
        if isinstance(block, Table):
            parts.extend(normalise_cell(cell) for cell in (block.rows[0] if block.rows else []))
            break
        text = normalise_cell(block.text)
        if _TASK_START.match(block.text.strip()):
            break
        if opening and opening in text:
            # a whole notice on one line: its opening paragraph runs on into the first task
            parts.append(text[: text.index(opening)])
            break
        parts.append(text)
    return "\n".join(parts)


def _task(number: int, raw: RawTask, document: TaskDocument, year: int | None) -> tuple[Task, bool]:
    """The task, and whether its units text declared that the first unit of a list leads."""
    task = Task(number=number, text=raw.text.strip())
    label = f"第{number}项任务"
    seen: set[str] = set()
    declared = False
    for units_text, role in raw.units:
        reading = read_units(units_text, default_role=role)
        declared = declared or reading.first_is_lead
        for unit in reading.units:
            if unit.name not in seen:
                seen.add(unit.name)
                task.units.append(unit)
        _merge_notes(document.scope_notes, reading.scope_notes)
        for name in reading.without_role:
            document.warnings.append(f"{label}：单位“{name}”未写明角色，按“负责”处理 (task {number}: no role)")
        for name in reading.implausible:
            document.warnings.append(f"{label}：“{name}”不像单位名称 (task {number}: not a unit name?)")
    if not task.units:
        document.warnings.append(f"{label}：未找到责任单位 (task {number}: no responsible unit found)")
    for text, due in raw.parts or [(task.text, raw.deadline)]:
        deadline = column_deadline(due, year) if due else None
        targets, problems = extract_targets(text.strip(), deadline, year)
        task.targets.extend(targets)
        document.warnings.extend(f"{label}：{p}" for p in problems)
    return task, declared


def _merge_notes(notes: list[ScopeNote], new: list[ScopeNote]) -> None:
    for note in new:
        if all(existing.term != note.term for existing in notes):
            notes.append(note)
