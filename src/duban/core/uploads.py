"""Checks on a table file a user uploads, before anything reads it: its size, its kind by its content rather
than its name, and the ways an XLSX file (a zip of XML) can hurt the server or carry code."""

from __future__ import annotations

from pathlib import Path

from duban.core.tables import TableFileError, check_workbook

MAX_TABLE_BYTES = 10 * 1024 * 1024
TABLE_SUFFIXES = (".csv", ".xlsx")


def upload_check(*, name: str, content: bytes, max_bytes: int = MAX_TABLE_BYTES) -> None:
    """Refuses (``TableFileError``, naming the file) a file that is empty, too large, not what its name says,
    a macro-enabled workbook, a zip bomb, or XML that declares entities (the "billion laughs")."""
    suffix = Path(name).suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise TableFileError(f"{name}: 只能上传 .csv 或 .xlsx 文件 (use .csv or .xlsx)")
    if not content.strip():
        raise TableFileError(f"{name}: 文件为空 (the file is empty)")
    if len(content) > max_bytes:
        raise TableFileError(
            f"{name}: 文件大小 {len(content) / 1024 / 1024:.1f} MB，超过上限 {max_bytes // 1024 // 1024} MB (too large)"
        )
    is_zip = content.startswith(b"PK\x03\x04")
    if suffix == ".csv":
        if is_zip or b"\x00" in content[:4096]:
            raise TableFileError(f"{name}: 不是 CSV 文本文件 (not a CSV file)")
        return
    if not is_zip:
        raise TableFileError(f"{name}: 不是 Excel（.xlsx）文件 (not an XLSX file)")
    # The same checks as every workbook read from disk (duban import-orgs, import-data) gets.
    check_workbook(content, Path(name))
