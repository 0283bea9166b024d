"""Reading a table file by its content: what is refused before openpyxl ever sees it, and how it is named."""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl
import pytest

from duban.core.tables import TableFileError, require_columns, table_rows


def workbook(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rezip(data: bytes, *, add: dict[str, bytes] | None = None, replace: dict[str, bytes] | None = None) -> bytes:
    """The workbook ``data`` with parts added or replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            target.writestr(entry, (replace or {}).get(entry.filename, source.read(entry.filename)))
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def refusal(data: bytes, name: str) -> str:
    with pytest.raises(TableFileError) as caught:
        table_rows(data=data, name=name)
    return str(caught.value)


def test_a_workbook_and_a_csv_give_the_same_rows() -> None:
    book = table_rows(data=workbook([["org_code", "value"], ["460100", 12]]), name="a.xlsx")
    text = table_rows(data=b"org_code,value\n460100,12\n", name="a.csv")
    assert [r.values for r in book] == [r.values for r in text] == [{"org_code": "460100", "value": "12"}]
    assert book[0].number == 2


def test_gb18030_csv_is_read() -> None:
    rows = table_rows(data="名称,value\n海口市,1\n".encode("gb18030"), name="a.csv")
    assert rows[0].get("名称") == "海口市"


def test_empty_and_header_only_files_are_refused_by_name() -> None:
    assert refusal(b"", "empty.csv") == "empty.csv: 文件为空 (the file is empty)"
    assert "empty.xlsx" in refusal(b"  \n", "empty.xlsx")
    rows = table_rows(data=b"org_code,period,element,value\n", name="head.csv")
    with pytest.raises(TableFileError, match=re.escape("head.csv: 只有表头，没有数据行")):
        require_columns(rows, "head.csv", ("org_code",))


def test_unknown_headers_name_what_was_expected_and_what_was_found() -> None:
    rows = table_rows(data="单位,年份,数\n460100,2024,1\n".encode(), name="wrong.csv")
    with pytest.raises(TableFileError) as caught:
        require_columns(rows, "wrong.csv", ("org_code", "period", "element", "value"))
    message = str(caught.value)
    assert message.startswith("wrong.csv: 缺少列 org_code, period, element, value")
    assert "文件的表头为 单位、年份、数" in message


def test_a_macro_enabled_workbook_is_refused() -> None:
    data = rezip(workbook([["a"], [1]]), add={"xl/vbaProject.bin": b"\x00" * 64})
    assert "macro.xlsm: 含有宏" in refusal(data, "macro.xlsm")
    # Renamed to .xlsx it is still what it is.
    assert "含有宏" in refusal(data, "renamed.xlsx")


def test_a_workbook_declaring_macros_in_its_content_types_is_refused() -> None:
    data = workbook([["a"], [1]])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        types = archive.read("[Content_Types].xml").replace(
            b"spreadsheetml.sheet.main+xml", b"sheet.macroEnabled.main+xml"
        )
    assert "含有宏" in refusal(rezip(data, replace={"[Content_Types].xml": types}), "m.xlsx")


def test_an_xml_bomb_is_refused_before_it_is_parsed() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol2;</t></si></sst>'
    )
    data = rezip(workbook([["a"], ["x"]]), add={"xl/sharedStrings.xml": bomb})
    assert "bomb.xlsx: 含有 XML 实体声明，疑似 XML 炸弹" in refusal(data, "bomb.xlsx")


def test_a_zip_bomb_is_refused_by_its_unpacked_size() -> None:
    data = rezip(workbook([["a"], [1]]), add={"xl/media/padding.bin": b"\x00" * (30 * 1024 * 1024)})
    assert "zip.xlsx: 解压后体积异常" in refusal(data, "zip.xlsx")


def test_files_that_are_not_tables_are_named_by_what_they_are() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
    assert "photo.csv: 文件内容是 PNG" in refusal(png, "photo.csv")
    assert "old.xls: 是旧版 Excel（.xls）文件" in refusal(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "old.xls"
    )
    assert "text.xlsx: 扩展名为 .xlsx，但内容不是 Excel 工作簿" in refusal(b"org_code\n1\n", "text.xlsx")
    assert "archive.xlsx: 是压缩文件而不是 Excel 工作簿" in refusal(_zip({"a.txt": b"hello"}), "archive.xlsx")
    assert "broken.xlsx: 不是完好的 Excel 文件" in refusal(b"PK\x03\x04" + b"\x00" * 40, "broken.xlsx")
    assert "report.pdf" in refusal(b"%PDF-1.4\n%\xe2\xe3\n1 0 obj", "report.pdf")


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()
