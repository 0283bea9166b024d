"""Small hand-worked cases for what real task tables do and what docs/parser.md promises:
encodings and bad input.

Every expected value below was worked out by hand from docs/parser.md, not copied from the parser's output.
"""

from __future__ import annotations

import io
import random
import zipfile

import pytest

from duban.taskdoc import DocumentError, parse_bytes, parse_text
from tests.taskdoc.edge_cases import (
    numbers_and_texts,
    quantity,
    units_of,
)

# ----------------------------------------------------------------------------------------- encodings

SIMPLIFIED = (
    "江西省养老服务体系建设重点任务分工表\n"
    "1.建设养老服务设施（省民政厅牵头，省财政厅配合）。\n"
    "2.发展普惠托育服务，到2025年底，新增普惠托位400个（省卫生健康委负责）。\n"
)
TRADITIONAL = (
    "江西省養老服務體系建設重點任務分工表\n"
    "1.建設養老服務設施（省民政廳牽頭，省財政廳配合）。\n"
    "2.發展普惠托育服務，到2025年底，新增普惠托位400個（省衛生健康委負責）。\n"
)


class TestEncodings:
    @pytest.mark.parametrize(
        "data",
        [
            SIMPLIFIED.encode("utf-8"),
            SIMPLIFIED.encode("utf-8-sig"),
            SIMPLIFIED.encode("gb18030"),
            SIMPLIFIED.encode("utf-16"),
            TRADITIONAL.encode("big5"),
            TRADITIONAL.encode("utf-8"),
        ],
        ids=["utf-8", "utf-8-bom", "gb18030", "utf-16-bom", "big5", "traditional-utf-8"],
    )
    def test_same_document_in_every_encoding(self, data: bytes) -> None:
        document = parse_bytes(data, "encoded.txt").to_dict()
        assert document["title"] == "江西省养老服务体系建设重点任务分工表"
        assert numbers_and_texts(document) == [
            (1, "建设养老服务设施。"),
            (2, "发展普惠托育服务，到2025年底，新增普惠托位400个。"),
        ]
        assert [units_of(t) for t in document["tasks"]] == [
            [("省民政厅", "lead"), ("省财政厅", "support")],
            [("省卫生健康委", "responsible")],
        ]
        assert document["tasks"][1]["targets"] == [quantity("新增普惠托位", ">=", 400, "个", "2025-12-31")]


# --------------------------------------------------------------------------------------- bad input


def _zip_of_something_else() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
        archive.writestr("data/values.csv", "a,b\n1,2\n")
    return buffer.getvalue()


BAD_INPUTS = {
    "empty": b"",
    "whitespace": b"  \r\n\t \n\xe3\x80\x80\n",
    "nul-bytes": b"\x00\x01\x02\x03binary\x00\x00data\x00\xff" * 20,
    "undecodable": bytes([0x80, 0xFF, 0x81, 0xFE]) * 64,
    "random": random.Random(20240601).randbytes(2048),
    "old-doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512,
    "other-zip": _zip_of_something_else(),
    "no-tasks": "关于做好养老服务工作的通知\n\n现将有关事项通知如下。\n请认真贯彻执行。\n".encode(),
}


class TestBadInput:
    @pytest.mark.parametrize("name", list(BAD_INPUTS))
    def test_raises_a_document_error_naming_the_source(self, name: str) -> None:
        source = f"bad-{name}.txt"
        with pytest.raises(DocumentError) as caught:
            parse_bytes(BAD_INPUTS[name], source)
        assert source in str(caught.value)

    @pytest.mark.parametrize("source", ["archive.zip", "misnamed.docx", "misnamed.xlsx"])
    def test_zip_that_is_neither_docx_nor_xlsx(self, source: str) -> None:
        with pytest.raises(DocumentError) as caught:
            parse_bytes(_zip_of_something_else(), source)
        assert source in str(caught.value)

    @pytest.mark.parametrize("text", ["", " \n\t\u3000\n"])
    def test_parse_text_of_nothing(self, text: str) -> None:
        with pytest.raises(DocumentError) as caught:
            parse_text(text, "nothing.txt")
        assert "nothing.txt" in str(caught.value)
