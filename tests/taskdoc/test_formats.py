"""The same table gives the same tasks in every format and encoding duban reads.

The Hainan table's rows are cut out of the text file by its blank lines (no parser involved), written as
Word, Excel, HTML, ``|``-separated text, GB18030 and traditional characters, and each version must parse to
the hand-written ``seed.expected.json``.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import docx
import opencc
import openpyxl
import pdfplumber
import pytest

from duban.taskdoc import DocumentError, parse_bytes, parse_text
from duban.taskdoc.model import DocumentShapeError, document_from_dict

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "src" / "duban" / "tools" / "samples" / "hainan_yilao_yixiao_2021.txt"
EXPECTED: dict[str, Any] = json.loads((ROOT / "tests/fixtures/taskdoc/seed.expected.json").read_text("utf-8"))
TITLE = "促进养老托育服务健康发展重点任务分工表"


def seed_rows() -> list[list[str]]:
    """The header and the 39 rows, as the blank lines of the text file delimit them."""
    text = SEED.read_text("utf-8")
    body = text[text.index("\t序号") : text.index("抄送")]
    rows = [[cell.strip() for cell in block.splitlines() if cell.strip()] for block in body.split("\n\n")]
    rows = [row for row in rows if row]
    assert len(rows) == 40 and all(len(row) == 3 for row in rows)
    return rows


def as_docx(rows: list[list[str]]) -> bytes:
    document = docx.Document()
    document.add_paragraph("附件")
    document.add_paragraph(TITLE)
    table = document.add_table(rows=len(rows), cols=3)
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            table.cell(r, c).text = cell
    document.add_paragraph("抄送：省委各部门。")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def as_xlsx(rows: list[list[str]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([TITLE])
    sheet.merge_cells("A1:C1")
    for row in rows:
        sheet.append([int(row[0]) if row[0].isdigit() else row[0], *row[1:]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def as_html(rows: list[list[str]]) -> bytes:
    cells = "".join("<tr>" + "".join(f"<td><p>{c}</p></td>" for c in row) + "</tr>\n" for row in rows)
    page = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>网站</title></head><body>"
        f"<div class='nav'>首页 &gt; 政策文件</div><p>附件</p><h2>{TITLE}</h2>"
        f"<table border='1'>{cells}</table><p>抄送：省委各部门。</p></body></html>"
    )
    return page.encode("utf-8")


def as_pipes(rows: list[list[str]]) -> bytes:
    return ("\n".join([TITLE, *("| " + " | ".join(row) + " |" for row in rows)]) + "\n").encode("utf-8")


def as_gb18030(rows: list[list[str]]) -> bytes:
    return SEED.read_text("utf-8").encode("gb18030")


def as_traditional_utf8_bom(rows: list[list[str]]) -> bytes:
    traditional = opencc.OpenCC("s2t").convert(SEED.read_text("utf-8"))
    return b"\xef\xbb\xbf" + traditional.encode("utf-8")


def as_crlf_cells_run_together(rows: list[list[str]]) -> bytes:
    lines = [TITLE, *("".join(row) for row in rows[1:])]
    return "\r\n".join(lines).encode("utf-8")


FORMATS = {
    "seed.docx": as_docx,
    "seed.xlsx": as_xlsx,
    "seed.html": as_html,
    "seed-pipes.txt": as_pipes,
    "seed-gb18030.txt": as_gb18030,
    "seed-traditional.txt": as_traditional_utf8_bom,
    "seed-run-together.txt": as_crlf_cells_run_together,
}


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_format_gives_the_hand_written_seed_result(name: str) -> None:
    data = FORMATS[name](seed_rows())
    got = parse_bytes(data, name).to_dict()
    assert got["title"] == TITLE
    assert got["scope_notes"] == EXPECTED["scope_notes"]
    assert len(got["tasks"]) == 39
    for got_task, want_task in zip(got["tasks"], EXPECTED["tasks"], strict=True):
        assert got_task == want_task
    assert got["warnings"] == []


def test_the_seed_printed_to_pdf_by_chromium_parses_exactly() -> None:
    """A real browser's PDF: radical look-alikes (⼯ ⺠), cells wrapped over lines, a row split by a page break."""
    path = ROOT / "tests/fixtures/taskdoc/seed_chromium.pdf"
    data = path.read_bytes()
    with pdfplumber.open(path) as pdf:
        layer = "".join(page.extract_text() for page in pdf.pages)
    assert "⼯" in layer and "⺠" in layer  # the text layer really holds the look-alikes the parser must fold
    got = parse_bytes(data, path.name).to_dict()
    assert got["title"] == TITLE
    assert got["scope_notes"] == EXPECTED["scope_notes"]
    for got_task, want_task in zip(got["tasks"], EXPECTED["tasks"], strict=True):
        assert got_task == want_task
    assert got["warnings"] == []


@pytest.mark.parametrize("name", ["seed_libreoffice.docx", "seed_libreoffice.pdf"])
def test_the_seed_saved_and_exported_by_libreoffice_parses_exactly(name: str) -> None:
    """Files an office program wrote (tests/fixtures/taskdoc/build_libreoffice_fixtures.py): in the PDF, the
    first line of every cell stands a little above its cell's ruling, and a row broken by a page break has
    its borders drawn on both pages."""
    path = ROOT / "tests/fixtures/taskdoc" / name
    if name.endswith(".pdf"):
        with pdfplumber.open(path) as pdf:
            assert "LibreOffice" in pdf.metadata.get("Producer", "")
            page = pdf.pages[0]
            first_row = page.find_tables()[0].rows[1].cells[1]
            # the glyphs of the cell's first line reach above its top border
            assert any(c["top"] < first_row[1] < c["bottom"] and c["text"] == "制" for c in page.chars)
    got = parse_bytes(path.read_bytes(), name).to_dict()
    assert got["title"] == TITLE
    assert got["scope_notes"] == EXPECTED["scope_notes"]
    for got_task, want_task in zip(got["tasks"], EXPECTED["tasks"], strict=True):
        assert got_task == want_task
    assert got["warnings"] == []


def test_a_document_comes_back_from_its_json_form_and_a_broken_field_is_named() -> None:
    document = parse_text(
        "1. 到2025年底，建成10个中心。（省民政厅牵头，各市县政府（含洋浦，下同）负责）\n"
        "2. 2024年6月底前出台实施意见。（省卫生健康委负责）\n"
    )
    again = document_from_dict(document.to_dict())
    assert again.to_dict() == document.to_dict()
    data = document.to_dict()
    data["tasks"][0]["targets"] = [{"kind": "quantity", "subject": "中心", "comparator": ">=", "value": "十"}]
    with pytest.raises(DocumentShapeError) as caught:
        document_from_dict(data)
    assert caught.value.where == "第1项任务 第1个目标" and "不是数字" in caught.value.problem
    data["tasks"][0]["targets"] = []
    data["tasks"][0]["units"] = [{"name": "省民政厅", "role": "boss"}]
    with pytest.raises(DocumentShapeError, match="角色"):
        document_from_dict(data)
    data["tasks"][1]["number"] = 1
    data["tasks"][0]["units"] = []
    with pytest.raises(DocumentShapeError, match="序号重复"):
        document_from_dict(data)


def _with_target(**target: object) -> dict[str, object]:
    goal = {"kind": "quantity", "subject": "床位", "comparator": ">=", **target}
    return {"tasks": [{"number": 1, "text": "建设床位", "units": [], "targets": [goal]}]}


@pytest.mark.parametrize(
    ("written", "unit", "value", "read_unit"),
    [
        ("12,500", "张", 12500, "张"),
        ("1.5万", "人次", 15000, "人次"),
        ("85%", None, 85, "%"),
        ("60%", "%", 60, "%"),
        ("６０", "个", 60, "个"),
        (" 3.25 ", None, 3.25, None),
        (7, "个", 7, "个"),
    ],
)
def test_a_typed_target_value_is_read_as_an_office_writes_it(
    written: object, unit: str | None, value: object, read_unit: str | None
) -> None:
    target = document_from_dict(_with_target(value=written, unit=unit)).tasks[0].targets[0]
    assert (target.value, target.unit) == (value, read_unit)


@pytest.mark.parametrize(
    ("written", "unit", "problem"),
    [
        ("12,5", None, "千位分隔"),
        ("nan", None, "不是数字"),
        ("Infinity", None, "不是数字"),
        (float("inf"), None, "不是数字"),
        (float("nan"), None, "不是数字"),
        ("1e30", None, "过大"),
        (1e15, None, "过大"),
        ("0.1234567", None, "小数超过 6 位"),
        ("85%", "张", "百分号"),
        ("", None, "需要目标值"),
        (True, None, "不是数字"),
        ("1" * 30, "张" * 21, "过大"),
    ],
)
def test_a_target_value_a_plan_cannot_keep_is_refused_with_its_place(
    written: object, unit: str | None, problem: str
) -> None:
    with pytest.raises(DocumentShapeError) as caught:
        document_from_dict(_with_target(value=written, unit=unit))
    assert caught.value.where == "第1项任务 第1个目标" and problem in caught.value.problem


def test_names_and_subjects_longer_than_a_plan_keeps_and_a_document_with_no_task_are_refused() -> None:
    with pytest.raises(DocumentShapeError, match="超过 20 个"):
        document_from_dict(_with_target(value=1, unit="张" * 21))
    long_name = {"tasks": [{"number": 1, "text": "x", "units": [{"name": "局" * 201, "role": "lead"}]}]}
    with pytest.raises(DocumentShapeError, match="第1项任务 第1个单位"):
        document_from_dict(long_name)
    with pytest.raises(DocumentShapeError, match="超过 300 个"):
        document_from_dict({**_with_target(value=1), "title": "题" * 301})
    with pytest.raises(DocumentShapeError, match="一项任务也没有"):
        document_from_dict({"tasks": []})


def test_a_macro_enabled_or_bomb_office_file_is_refused_before_its_xml_is_read() -> None:
    import zipfile

    macro = io.BytesIO()
    with zipfile.ZipFile(macro, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/vbaProject.bin", b"\x00" * 10)
    with pytest.raises(DocumentError, match="含有宏"):
        parse_bytes(macro.getvalue(), "方案.docm")
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:document>" + " " * 50_000_000 + "</w:document>")
    with pytest.raises(DocumentError, match="解压后"):
        parse_bytes(bomb.getvalue(), "方案.docx")


def test_an_excel_file_whose_xml_declares_entities_is_refused() -> None:
    """A "billion laughs" workbook: openpyxl reads its XML through defusedxml, which refuses entities."""
    book = io.BytesIO()
    openpyxl.Workbook().save(book)
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(book.getvalue()))
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w") as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(
                    b"<worksheet",
                    b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
                    b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><worksheet',
                    1,
                )
            archive.writestr(info, data)
    with pytest.raises(DocumentError, match="无法读取 Excel 文件"):
        parse_bytes(bomb.getvalue(), "分工表.xlsx")


@pytest.mark.parametrize(
    ("line", "number"),
    [
        ("琼府办〔2022〕12号", "琼府办〔2022〕12号"),
        ("省政府印发琼府办〔2022〕12号文件要求", "琼府办〔2022〕12号"),
        ("根据国发〔2020〕6号", "国发〔2020〕6号"),
        ("中共海南省委办公厅 海南省人民政府办公厅 琼办发〔2021〕3号", "琼办发〔2021〕3号"),
        ("国办发 [ 2018 ] 39 号", "国办发[2018]39号"),
    ],
)
def test_the_document_number_is_read_without_the_words_before_it(line: str, number: str) -> None:
    document = parse_text(f"{line}\n1. 建设10个中心。（省民政厅负责）\n")
    assert document.facts.document_number == number


def test_a_numbered_row_at_the_top_of_a_page_is_a_row_of_its_own_not_the_rest_of_one() -> None:
    from duban.taskdoc.readers import _continues_a_row, _is_page_mark, _PdfTable

    assert _continues_a_row(_PdfTable([["", "", "办，各市县政府负责。"], ["24", "促进康养融合发展。", "省卫生健康委"]]))
    # a first column merged over the page break is empty, but the row has its own number
    assert not _continues_a_row(_PdfTable([["", "24", "促进康养融合发展。"]]))
    assert not _continues_a_row(_PdfTable([["23", "推动转型发展。", "省财政厅"]]))
    assert all(_is_page_mark(mark) for mark in ("— 3 —", "-12-", "第3页 共9页", "3", " "))
    assert not _is_page_mark("3个中心")


def test_a_task_number_no_table_has_is_refused() -> None:
    data = {"tasks": [{"number": 10**20, "text": "x", "units": [], "targets": []}]}
    with pytest.raises(DocumentShapeError, match="序号应为 1 到 99999"):
        document_from_dict(data)
