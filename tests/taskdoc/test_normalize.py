"""The normaliser: one spelling per character before any rule reads the text."""

from __future__ import annotations

import pytest

from duban.taskdoc import parse_text
from duban.taskdoc.normalize import fold_glyphs, normalise_cell


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("按职责分⼯负责", "按职责分工负责"),  # U+2F2F KANGXI RADICAL WORK
        ("省⺠政厅", "省民政厅"),  # U+2EA0 CJK RADICAL CIVILIAN (no NFKC mapping)
        ("⻓期", "长期"),  # U+2ED3 CJK RADICAL C-SIMPLIFIED LONG
        ("２０２５年", "2025年"),
        ("ＡＢＣ", "ABC"),
        ("省\u200b财政厅", "省财政厅"),
        ("\ufeff附件", "附件"),
    ],
)
def test_look_alikes_fold_to_the_ordinary_character(written: str, read: str) -> None:
    assert fold_glyphs(written) == read


@pytest.mark.parametrize("kept", ["（一）", "，；：", "①", "30%", "㎡", "“一老一小”"])
def test_what_a_document_means_as_written_is_kept(kept: str) -> None:
    assert fold_glyphs(kept) == kept


def test_spaces_of_every_kind_are_whitespace() -> None:
    assert normalise_cell("省\u3000民政厅\xa0、省\u2003财政厅") == "省民政厅、省财政厅"
    assert normalise_cell("5\u00a0G") == "5 G"


def test_a_units_text_in_radical_look_alikes_reads_as_the_ordinary_one() -> None:
    plain = "1. 完善服务体系。（省⺠政厅牵头，省财政厅按职责分⼯负责）"
    document = parse_text(plain)
    units = [(unit.name, unit.role) for unit in document.tasks[0].units]
    assert units == [("省民政厅", "lead"), ("省财政厅", "responsible")]


@pytest.mark.parametrize(
    ("copied", "read"),
    [
        ("縣發(fā)改委", "县发改委"),
        ("序號(hào)", "序号"),
        ("牽頭責(zé)任單位", "牵头责任单位"),
        ("財(cái)政（zhèng）", "财政"),
    ],
)
def test_readings_pasted_after_characters_are_dropped(copied: str, read: str) -> None:
    assert normalise_cell(copied) == read


@pytest.mark.parametrize("kept", ["App(iOS)", "省(区、市)", "5G(fifth)", "各县(市、区)"])
def test_brackets_that_are_not_readings_are_kept(kept: str) -> None:
    assert normalise_cell(kept) == kept
