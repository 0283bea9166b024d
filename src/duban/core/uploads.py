"""Checks on a table file a user uploads, before anything reads it: its size, its kind by its content rather
than its name, and the ways an XLSX file (a zip of XML) can hurt the server or carry code."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from duban.core.tables import TableFileError

MAX_TABLE_BYTES = 10 * 1024 * 1024
# Unpacked, an honest workbook of a registry or of data values stays far below this; a zip bomb does not.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
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
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except zipfile.BadZipFile:
        raise TableFileError(f"{name}: Excel 文件已损坏 (a damaged XLSX file)") from None
    names = {m.filename for m in members}
    if "xl/workbook.xml" not in names:
        raise TableFileError(f"{name}: 不是 Excel 工作簿 (not an XLSX workbook)")
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise TableFileError(f"{name}: 含宏的工作簿不能上传，请另存为不含宏的 .xlsx (macro-enabled workbook)")
    if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
        raise TableFileError(f"{name}: 解压后过大，不是正常的表格文件 (unpacks too large)")
    for member in members:
        if member.filename.endswith((".xml", ".rels")):
            with archive.open(member) as handle:
                head = handle.read(8192)
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise TableFileError(f"{name}: 文件含有不允许的 XML 声明 (XML entity declarations)")
