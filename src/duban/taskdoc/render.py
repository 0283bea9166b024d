"""The readable form of a parsed document (``duban parse --format text``)."""

from __future__ import annotations

from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from duban.taskdoc.model import ROLE_LABELS, TaskDocument


def render_document(document: TaskDocument, console: Console, *, explain: bool = False) -> None:
    header = Text()
    header.append(document.title or "（无标题）", style="bold")
    header.append(f"\n{document.source} · {len(document.tasks)} 项任务 · ")
    header.append(f"{sum(len(t.targets) for t in document.tasks)} 个目标")
    parts: list[object] = [header]
    for note in document.scope_notes:
        scope = []
        if note.includes:
            scope.append("含" + "、".join(note.includes))
        if note.excludes:
            scope.append("不含" + "、".join(note.excludes))
        parts.append(Text(f"范围说明：{note.term}（{'，'.join(scope)}）"))
    table = Table(box=box.SIMPLE_HEAVY, show_lines=True, expand=True)
    table.add_column("序号", justify="right", no_wrap=True)
    table.add_column("重点任务", ratio=3, overflow="fold")
    table.add_column("责任单位", ratio=2, overflow="fold")
    table.add_column("目标", ratio=2, overflow="fold")
    for task in document.tasks:
        units = "\n".join(f"{ROLE_LABELS[u.role]}：{u.name}" for u in task.units)
        targets = "\n".join(t.describe() for t in task.targets)
        table.add_row(str(task.number), task.text, units, targets)
    parts.append(table)
    if document.warnings:
        parts.append(Text("提示 (warnings):", style="bold yellow"))
        parts.extend(Text(f"  · {w}", style="yellow") for w in document.warnings)
    if explain:
        parts.append(explanation(document))
    console.print(Group(*parts))  # type: ignore[arg-type]


def explanation(document: TaskDocument) -> Text:
    """How the parser read the document: its layouts, the year it is for, the rules the document stated."""
    text = Text("解析说明 (how it was read):", style="bold")
    for reading in document.readings:
        text.append(f"\n  · {reading}")
    return text
