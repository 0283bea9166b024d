"""Reading task-division documents (重点任务分工表) into structured tasks.

A pure package: it imports nothing from Django, so the parser can be used, tested and benchmarked on its
own. ``parse_file`` is the entry point; ``TaskDocument.to_dict`` gives the JSON of
``taskdoc.schema.json``.
"""

from duban.taskdoc.errors import DocumentError
from duban.taskdoc.model import ScopeNote, Target, Task, TaskDocument, UnitRef
from duban.taskdoc.parser import parse_bytes, parse_file, parse_text

__all__ = [
    "DocumentError",
    "ScopeNote",
    "Target",
    "Task",
    "TaskDocument",
    "UnitRef",
    "parse_bytes",
    "parse_file",
    "parse_text",
]
