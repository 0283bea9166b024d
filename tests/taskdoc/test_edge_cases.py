"""Small hand-worked cases for what real task tables do and what docs/parser.md promises.

Every expected value below was worked out by hand from docs/parser.md, not copied from the parser's output.
"""

from __future__ import annotations

import io
import random
import re
import zipfile
from typing import Any

import openpyxl
import pytest

from duban.taskdoc import DocumentError, parse_bytes, parse_text
from duban.taskdoc.targets import extract_targets, find_deadline
from duban.taskdoc.units import read_units

SOURCE = "edge.txt"


def parse(text: str) -> dict[str, Any]:
    return parse_text(text, SOURCE).to_dict()


def numbers_and_texts(document: dict[str, Any]) -> list[tuple[int, str]]:
    return [(t["number"], t["text"]) for t in document["tasks"]]


def units_of(task: dict[str, Any]) -> list[tuple[str, str]]:
    return [(u["name"], u["role"]) for u in task["units"]]


def roles(text: str, default_role: Any = None) -> list[tuple[str, str]]:
    return [(u.name, u.role) for u in read_units(text, default_role).units]


def targets(text: str, fallback: str | None = None) -> list[dict[str, Any]]:
    found, _ = extract_targets(text, fallback)
    return [t.to_dict() for t in found]


def quantity(subject: str, comparator: str, value: float, unit: str, deadline: str | None = None) -> dict[str, Any]:
    return {
        "kind": "quantity",
        "subject": subject,
        "comparator": comparator,
        "value": value,
        "unit": unit,
        "deadline": deadline,
    }


def milestone(subject: str, deadline: str) -> dict[str, Any]:
    return {"kind": "milestone", "subject": subject, "deadline": deadline}


def names_task(warning: str, number: int) -> bool:
    return re.search(rf"(?<!\d){number}(?!\d)", warning) is not None


TWO_TASKS = [(1, "建设养老服务设施。"), (2, "发展托育服务。")]


# ------------------------------------------------------------------------------------------ numbering


class TestNumbering:
    @pytest.mark.parametrize(
        ("first", "second"),
        [
            ("1.", "2."),
            ("1、", "2、"),
            ("1﹒", "2﹒"),
            ("（一）", "（二）"),
            ("(1)", "(2)"),
            ("（1）", "（2）"),
            ("(一)", "(二)"),
            ("第一条", "第二条"),
            ("第一条\u3000", "第二条\u3000"),
        ],
    )
    def test_each_marker_style_gives_the_integer(self, first: str, second: str) -> None:
        document = parse(f"{first}建设养老服务设施（省民政厅负责）。\n{second}发展托育服务（省卫生健康委负责）。")
        assert numbers_and_texts(document) == TWO_TASKS
        assert document["warnings"] == []

    @pytest.mark.parametrize(("first", "second"), [("11.", "12."), ("（十一）", "（十二）"), ("第十一条", "第十二条")])
    def test_numbers_above_ten(self, first: str, second: str) -> None:
        document = parse(f"{first}建设养老服务设施（省民政厅负责）。\n{second}发展托育服务（省卫生健康委负责）。")
        assert [t["number"] for t in document["tasks"]] == [11, 12]

    @pytest.mark.parametrize(
        "preamble",
        ["", "关于推进养老托育服务发展的实施意见\n为推进养老托育服务发展，现提出以下意见。\n"],
        ids=["bare", "title-and-preamble"],
    )
    def test_unnumbered_paragraphs_with_units_are_numbered_in_order(self, preamble: str) -> None:
        document = parse(
            f"{preamble}"
            "建设养老服务设施（省民政厅负责）。\n"
            "发展托育服务（省卫生健康委负责）。\n"
            "完善财税支持政策（省财政厅、省税务局按职责分工负责）。\n"
        )
        assert numbers_and_texts(document) == [*TWO_TASKS, (3, "完善财税支持政策。")]
        assert [units_of(t) for t in document["tasks"]] == [
            [("省民政厅", "responsible")],
            [("省卫生健康委", "responsible")],
            [("省财政厅", "responsible"), ("省税务局", "responsible")],
        ]

    def test_a_number_out_of_sequence_is_kept_and_warned_about(self) -> None:
        document = parse(
            "1.建设养老服务设施（省民政厅负责）。\n2.发展托育服务（省卫生健康委负责）。\n"
            "4.完善财税支持政策（省财政厅负责）。\n"
        )
        assert [t["number"] for t in document["tasks"]] == [1, 2, 4]
        assert len(document["warnings"]) == 1
        assert names_task(document["warnings"][0], 4)


# ------------------------------------------------------------------------------ punctuation and spaces


class TestPunctuationAndWhitespace:
    def test_ascii_punctuation_in_inline_units(self) -> None:
        document = parse("1.建设养老服务设施(省民政厅牵头,省财政厅、省住房城乡建设厅配合;各地落实)。")
        assert numbers_and_texts(document) == [(1, "建设养老服务设施。")]
        assert units_of(document["tasks"][0]) == [
            ("省民政厅", "lead"),
            ("省财政厅", "support"),
            ("省住房城乡建设厅", "support"),
            ("各地", "local"),
        ]

    def test_full_width_and_ascii_unit_texts_read_alike(self) -> None:
        full = "省发展改革委牵头，省民政厅、省财政厅配合；各市县政府落实"
        ascii_ = "省发展改革委牵头,省民政厅、省财政厅配合;各市县政府落实"
        expected = [
            ("省发展改革委", "lead"),
            ("省民政厅", "support"),
            ("省财政厅", "support"),
            ("各市县政府", "local"),
        ]
        assert roles(full) == expected
        assert roles(ascii_) == expected

    @pytest.mark.parametrize("units", ["省民政厅，省财政厅按职责分工负责", "省民政厅/省财政厅按职责分工负责"])
    def test_comma_and_slash_inside_a_list(self, units: str) -> None:
        assert roles(units) == [("省民政厅", "responsible"), ("省财政厅", "responsible")]

    @pytest.mark.parametrize("space", [" ", "\u3000", "  "])
    def test_spaces_inside_unit_names_are_removed(self, space: str) -> None:
        document = parse(f"1.建设养老服务设施（省{space}民政厅牵头，省财政{space}厅配合）。")
        assert units_of(document["tasks"][0]) == [("省民政厅", "lead"), ("省财政厅", "support")]

    def test_spaces_inside_a_table_units_cell_are_removed(self) -> None:
        document = parse(
            "序号|重点任务|牵头单位|配合单位\n"
            "1|建设养老服务设施。|省 民政厅|省财政厅、省 住房城乡建设厅\n"
            "2|发展托育服务。|省卫生 健康委|省教育厅\n"
        )
        assert [units_of(t) for t in document["tasks"]] == [
            [("省民政厅", "lead"), ("省财政厅", "support"), ("省住房城乡建设厅", "support")],
            [("省卫生健康委", "lead"), ("省教育厅", "support")],
        ]

    def test_task_text_keeps_one_space_between_latin_words_and_digits_only(self) -> None:
        document = parse("1.推广 App Store 应用， 建设 5 G 基站（省通信管理局负责）。")
        assert numbers_and_texts(document) == [(1, "推广App Store应用，建设5 G基站。")]

    def test_traditional_characters_are_read_as_simplified(self) -> None:
        document = parse("1.建設養老服務設施（省民政廳牽頭，省財政廳配合）。\n2.發展托育服務（省衛生健康委負責）。")
        assert numbers_and_texts(document) == TWO_TASKS
        assert units_of(document["tasks"][0]) == [("省民政厅", "lead"), ("省财政厅", "support")]
        assert units_of(document["tasks"][1]) == [("省卫生健康委", "responsible")]

    def test_labelled_lines_with_ascii_colons(self) -> None:
        document = parse(
            "1.建设养老服务设施。\n牵头单位:省民政厅\n配合单位:省财政厅\n完成时限:2024年底\n"
            "2.发展托育服务。\n责任单位:省卫生健康委\n"
        )
        assert numbers_and_texts(document) == TWO_TASKS
        assert units_of(document["tasks"][0]) == [("省民政厅", "lead"), ("省财政厅", "support")]
        assert document["tasks"][0]["targets"] == [milestone("建设养老服务设施", "2024-12-31")]
        assert units_of(document["tasks"][1]) == [("省卫生健康委", "responsible")]

    def test_tab_separated_table(self) -> None:
        document = parse(
            "序号\t重点任务\t牵头单位\t配合单位\n"
            "1\t建设养老服务设施。\t省民政厅\t省财政厅\n"
            "2\t发展托育服务。\t省卫生健康委\t省教育厅\n"
        )
        assert numbers_and_texts(document) == TWO_TASKS
        assert units_of(document["tasks"][1]) == [("省卫生健康委", "lead"), ("省教育厅", "support")]

    def test_traditional_table_headers(self) -> None:
        document = parse(
            "序號|重點任務|牽頭單位|配合單位|完成時限\n"
            "1|建設養老服務設施。|省民政廳|省財政廳|2024年底\n"
            "2|發展托育服務。|省衛生健康委|省教育廳|2025年6月底\n"
        )
        assert numbers_and_texts(document) == TWO_TASKS
        assert units_of(document["tasks"][0]) == [("省民政厅", "lead"), ("省财政厅", "support")]
        assert document["tasks"][1]["targets"] == [milestone("发展托育服务", "2025-06-30")]


def _html_with_broken_cells() -> bytes:
    return (
        "<html><body><table>"
        "<tr><td>序号</td><td>重点任务</td><td>责任单位</td></tr>"
        "<tr><td>1</td><td>建设养老<br>服务设施。</td><td>省民政厅牵头<br>省财政厅配合</td></tr>"
        "<tr><td>2</td><td>发展托育服务。</td><td>省卫生健康委负责</td></tr>"
        "</table></body></html>"
    ).encode()


def _xlsx_with_broken_cells() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["序号", "重点任务", "责任单位"])
    sheet.append([1, "建设养老\n服务设施。", "省民政厅牵头\n省财政厅配合"])
    sheet.append([2, "发展托育服务。", "省卫生健康委负责"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class TestLineBreaksInsideACell:
    def test_read_units_cuts_clauses_at_line_breaks(self) -> None:
        assert roles("省民政厅牵头\n省财政厅配合") == [("省民政厅", "lead"), ("省财政厅", "support")]

    @pytest.mark.parametrize(
        ("data", "source"),
        [(_html_with_broken_cells(), "cells.html"), (_xlsx_with_broken_cells(), "cells.xlsx")],
        ids=["html-br", "xlsx-alt-enter"],
    )
    def test_a_line_break_in_a_units_cell_separates_clauses(self, data: bytes, source: str) -> None:
        document = parse_bytes(data, source).to_dict()
        assert units_of(document["tasks"][0]) == [("省民政厅", "lead"), ("省财政厅", "support")]

    @pytest.mark.parametrize(
        ("data", "source"),
        [(_html_with_broken_cells(), "cells.html"), (_xlsx_with_broken_cells(), "cells.xlsx")],
        ids=["html-br", "xlsx-alt-enter"],
    )
    def test_a_line_break_in_the_task_cell_is_removed(self, data: bytes, source: str) -> None:
        document = parse_bytes(data, source).to_dict()
        assert numbers_and_texts(document) == TWO_TASKS


# ---------------------------------------------------------------------------------------------- noise


class TestNoise:
    @pytest.mark.parametrize("page", ["- 3 -", "—3—", "第3页", "3/12", "— 3 —", "第3页 共12页"])
    def test_page_numbers_between_tasks(self, page: str) -> None:
        document = parse(
            f"1.建设养老服务设施（省民政厅负责）。\n{page}\n2.发展托育服务（省卫生健康委负责）。\n{page}\n"
        )
        assert numbers_and_texts(document) == TWO_TASKS
        assert document["warnings"] == []

    @pytest.mark.parametrize("page", ["- 3 -", "—3—", "第3页", "3/12"])
    def test_page_number_inside_a_task_broken_over_two_pages(self, page: str) -> None:
        document = parse(
            f"1.建设养老服务设施，\n{page}\n完善社区养老服务网络。\n省民政厅负责。\n"
            "2.发展托育服务。\n省卫生健康委负责。\n"
        )
        assert numbers_and_texts(document) == [(1, "建设养老服务设施，完善社区养老服务网络。"), TWO_TASKS[1]]
        assert units_of(document["tasks"][0]) == [("省民政厅", "responsible")]

    @pytest.mark.parametrize("heading", ["附件", "附件1", "附件：", "附件 2"])
    def test_attachment_heading_is_neither_task_nor_title(self, heading: str) -> None:
        document = parse(
            f"{heading}\n\n江西省养老服务体系建设重点任务分工表\n\n"
            "1.建设养老服务设施（省民政厅负责）。\n2.发展托育服务（省卫生健康委负责）。\n"
        )
        assert document["title"] == "江西省养老服务体系建设重点任务分工表"
        assert numbers_and_texts(document) == TWO_TASKS

    @pytest.mark.parametrize(
        "end",
        [
            "抄送：省委各部门，省人大常委会办公厅，省政协办公厅。",
            "江西省人民政府办公厅秘书处2023年11月20日印发",
        ],
    )
    def test_nothing_after_the_cc_or_issued_line_is_read(self, end: str) -> None:
        document = parse(
            "1.建设养老服务设施（省民政厅负责）。\n2.发展托育服务（省卫生健康委负责）。\n"
            f"{end}\n3.完善财税支持政策（省财政厅负责）。\n"
        )
        assert numbers_and_texts(document) == TWO_TASKS
        assert all("省委" not in u["name"] for t in document["tasks"] for u in t["units"])

    def test_nothing_after_the_cc_line_inside_a_pipe_table_is_read(self) -> None:
        document = parse(
            "序号|重点任务|责任单位\n"
            "1|建设养老服务设施。|省民政厅负责\n"
            "2|发展托育服务。|省卫生健康委负责\n"
            "抄送：省委各部门。\n"
            "3|完善财税支持政策。|省财政厅负责\n"
            "4|加强综合监管。|省市场监管局负责\n"
        )
        assert numbers_and_texts(document) == TWO_TASKS

    def test_header_repeated_on_every_page_of_a_pipe_table(self) -> None:
        document = parse(
            "序号|重点任务|责任单位\n"
            "1|建设养老服务设施。|省民政厅\n"
            "2|发展托育服务。|省卫生健康委\n"
            "- 1 -\n"
            "序号|重点任务|责任单位\n"
            "3|完善财税支持政策。|省财政厅、省税务局\n"
            "4|加强综合监管。|省市场监管局\n"
            "- 2 -\n"
        )
        assert numbers_and_texts(document) == [*TWO_TASKS, (3, "完善财税支持政策。"), (4, "加强综合监管。")]
        assert units_of(document["tasks"][2]) == [("省财政厅", "responsible"), ("省税务局", "responsible")]
        assert document["warnings"] == []

    def test_header_repeated_in_a_one_cell_per_line_table(self) -> None:
        document = parse(
            "序号\n重点任务\n责任单位\n"
            "1\n建设养老服务设施。\n省民政厅负责。\n"
            "- 1 -\n"
            "序号\n重点任务\n责任单位\n"
            "2\n发展托育服务。\n省卫生健康委负责。\n"
        )
        assert numbers_and_texts(document) == TWO_TASKS
        assert units_of(document["tasks"][1]) == [("省卫生健康委", "responsible")]

    def test_section_headings_between_numbered_paragraphs(self) -> None:
        document = parse(
            "一、扩大服务供给\n"
            "1.建设养老服务设施（省民政厅负责）。\n"
            "二、强化政策支持\n"
            "2.发展托育服务（省卫生健康委负责）。\n"
        )
        assert numbers_and_texts(document) == TWO_TASKS

    def test_section_heading_line_between_rows_of_a_pipe_table(self) -> None:
        document = parse(
            "序号|重点任务|牵头单位|配合单位\n"
            "1|建设养老服务设施。|省民政厅|省财政厅\n"
            "2|发展托育服务。|省卫生健康委|省教育厅\n"
            "二、强化政策支持\n"
            "3|完善财税支持政策。|省财政厅|省税务局\n"
            "4|加强综合监管。|省市场监管局|省民政厅\n"
        )
        assert numbers_and_texts(document) == [*TWO_TASKS, (3, "完善财税支持政策。"), (4, "加强综合监管。")]
        assert units_of(document["tasks"][2]) == [("省财政厅", "lead"), ("省税务局", "support")]

    def test_section_heading_line_right_under_the_header_of_a_pipe_table(self) -> None:
        document = parse(
            "序号|重点任务|牵头单位|配合单位\n"
            "一、扩大服务供给\n"
            "1|建设养老服务设施。|省民政厅|省财政厅\n"
            "2|发展托育服务。|省卫生健康委|省教育厅\n"
        )
        assert numbers_and_texts(document) == TWO_TASKS
        assert units_of(document["tasks"][0]) == [("省民政厅", "lead"), ("省财政厅", "support")]

    def test_table_row_merged_across_all_columns_is_a_section_heading(self) -> None:
        html = (
            "<table>"
            "<tr><td>序号</td><td>重点任务</td><td>责任单位</td></tr>"
            '<tr><td colspan="3">一、扩大服务供给</td></tr>'
            "<tr><td>1</td><td>建设养老服务设施。</td><td>省民政厅负责</td></tr>"
            '<tr><td colspan="3">二、强化政策支持</td></tr>'
            "<tr><td>2</td><td>发展托育服务。</td><td>省卫生健康委负责</td></tr>"
            "</table>"
        )
        document = parse_bytes(html.encode(), "sections.html").to_dict()
        assert numbers_and_texts(document) == TWO_TASKS


# ---------------------------------------------------------------------------------------------- roles


class TestRoles:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("省民政厅牵头", [("省民政厅", "lead")]),
            ("省民政厅牵头负责", [("省民政厅", "lead")]),
            ("省民政厅、省财政厅共同牵头", [("省民政厅", "lead"), ("省财政厅", "lead")]),
            ("省民政厅负责", [("省民政厅", "responsible")]),
            ("省民政厅按职责负责", [("省民政厅", "responsible")]),
            ("省民政厅、省财政厅按职责分工负责", [("省民政厅", "responsible"), ("省财政厅", "responsible")]),
            ("省民政厅、省财政厅分别负责", [("省民政厅", "responsible"), ("省财政厅", "responsible")]),
            ("省民政厅落实", [("省民政厅", "responsible")]),
            ("省民政厅主责", [("省民政厅", "responsible")]),
            ("省民政厅配合", [("省民政厅", "support")]),
            ("省民政厅参与", [("省民政厅", "support")]),
            ("省民政厅协助", [("省民政厅", "support")]),
            ("省民政厅协同", [("省民政厅", "support")]),
            ("省民政厅配合落实", [("省民政厅", "support")]),
        ],
    )
    def test_role_phrases(self, text: str, expected: list[tuple[str, str]]) -> None:
        assert roles(text) == expected

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("各地负责", [("各地", "local")]),
            ("各地参与", [("各地", "local")]),
            ("各市县政府配合", [("各市县政府", "local")]),
            ("各市县人民政府牵头", [("各市县人民政府", "local")]),
            ("各州（市）党委和政府落实", [("各州（市）党委和政府", "local")]),
            ("各市、县、自治县人民政府负责", [("各市、县、自治县人民政府", "local")]),
            (
                "省民政厅牵头，各市、县、自治县人民政府负责",
                [("省民政厅", "lead"), ("各市、县、自治县人民政府", "local")],
            ),
        ],
    )
    def test_local_governments_whatever_their_verb(self, text: str, expected: list[tuple[str, str]]) -> None:
        assert roles(text) == expected

    def test_the_specs_example_units_cell(self) -> None:
        assert roles("省发展改革委牵头，省民政厅、省市场监管局按职责分工负责，各市县政府负责。") == [
            ("省发展改革委", "lead"),
            ("省民政厅", "responsible"),
            ("省市场监管局", "responsible"),
            ("各市县政府", "local"),
        ]

    def test_names_are_kept_as_written(self) -> None:
        assert roles("省商务厅、财政厅、发展改革委负责") == [
            ("省商务厅", "responsible"),
            ("财政厅", "responsible"),
            ("发展改革委", "responsible"),
        ]

    @pytest.mark.parametrize(
        "text",
        [
            "省民政厅、省财政厅等相关部门按职责分工负责",
            "省民政厅、省财政厅等有关单位按职责分工负责",
            "省民政厅、省财政厅等按职责分工负责",
        ],
    )
    def test_trailing_etc_is_dropped(self, text: str) -> None:
        assert roles(text) == [("省民政厅", "responsible"), ("省财政厅", "responsible")]

    @pytest.mark.parametrize("text", ["省民政厅牵头，有关部门配合", "省民政厅牵头，相关单位参与"])
    def test_unnamed_departments_on_their_own_are_not_units(self, text: str) -> None:
        assert roles(text) == [("省民政厅", "lead")]

    def test_a_role_phrase_in_the_cell_beats_the_column(self) -> None:
        assert roles("省财政厅负责", default_role="support") == [("省财政厅", "responsible")]
        assert roles("省财政厅、省教育厅", default_role="support") == [
            ("省财政厅", "support"),
            ("省教育厅", "support"),
        ]

    def test_local_governments_in_a_role_column_are_local(self) -> None:
        document = parse(
            "序号|重点任务|牵头单位|配合单位\n"
            "1|建设养老服务设施。|省民政厅|各市县政府、有关部门\n"
            "2|发展托育服务。|省卫生健康委|各地\n"
        )
        assert [units_of(t) for t in document["tasks"]] == [
            [("省民政厅", "lead"), ("各市县政府", "local")],
            [("省卫生健康委", "lead"), ("各地", "local")],
        ]

    def test_role_clauses_on_the_line_after_the_task(self) -> None:
        document = parse(
            "1.建设养老服务设施。\n省民政厅牵头；省财政厅配合；各州（市）党委和政府落实。\n"
            "2.发展托育服务。\n省卫生健康委、省教育厅牵头；各地负责。\n"
        )
        assert numbers_and_texts(document) == TWO_TASKS
        assert [units_of(t) for t in document["tasks"]] == [
            [("省民政厅", "lead"), ("省财政厅", "support"), ("各州（市）党委和政府", "local")],
            [("省卫生健康委", "lead"), ("省教育厅", "lead"), ("各地", "local")],
        ]

    def test_unit_named_twice_in_one_units_text_keeps_its_first_role(self) -> None:
        assert roles("省民政厅牵头，省财政厅、省民政厅配合") == [
            ("省民政厅", "lead"),
            ("省财政厅", "support"),
        ]

    def test_unit_named_in_two_columns_keeps_its_first_role(self) -> None:
        document = parse(
            "序号|重点任务|牵头单位|配合单位\n"
            "1|建设养老服务设施。|省民政厅|省财政厅、省民政厅\n"
            "2|发展托育服务。|省卫生健康委|省教育厅\n"
        )
        assert units_of(document["tasks"][0]) == [("省民政厅", "lead"), ("省财政厅", "support")]

    def test_a_task_without_any_unit_is_kept_with_a_warning(self) -> None:
        document = parse("序号|重点任务|责任单位\n1|建设养老服务设施。|\n2|发展托育服务。|省卫生健康委负责\n")
        assert numbers_and_texts(document) == TWO_TASKS
        assert document["tasks"][0]["units"] == []
        assert len(document["warnings"]) == 1
        assert names_task(document["warnings"][0], 1)

    def test_names_without_any_role_are_responsible_when_no_column_says_otherwise(self) -> None:
        reading = read_units("省民政厅、省财政厅")
        assert [(u.name, u.role) for u in reading.units] == [
            ("省民政厅", "responsible"),
            ("省财政厅", "responsible"),
        ]
        assert reading.without_role == ["省民政厅", "省财政厅"]
        assert read_units("省民政厅、省财政厅", default_role="support").without_role == []

    def test_units_without_a_role_give_a_warning_naming_the_task(self) -> None:
        document = parse(
            "1.发展托育服务。\n"
            "省卫生健康委牵头；省教育厅配合。\n"
            "2.建设养老服务设施。\n"
            "省民政厅牵头；省财政厅、省住房城乡建设厅。\n"
        )
        assert units_of(document["tasks"][1]) == [
            ("省民政厅", "lead"),
            ("省财政厅", "responsible"),
            ("省住房城乡建设厅", "responsible"),
        ]
        assert document["warnings"]
        assert all(names_task(w, 2) and not names_task(w, 1) for w in document["warnings"])


# ---------------------------------------------------------------------------------------- scope notes


class TestScopeNotes:
    def test_includes_excludes_and_following(self) -> None:
        reading = read_units("各市县政府（含洋浦经济开发区，不含三沙市，下同）负责")
        assert [n.to_dict() for n in reading.scope_notes] == [
            {
                "term": "各市县政府",
                "includes": ["洋浦经济开发区"],
                "excludes": ["三沙市"],
                "applies_to_following": True,
            }
        ]
        assert [(u.name, u.role) for u in reading.units] == [("各市县政府", "local")]

    def test_ascii_parentheses_and_commas(self) -> None:
        reading = read_units("各市县政府(含洋浦经济开发区,不含三沙市,下同)负责")
        assert [n.to_dict() for n in reading.scope_notes] == [
            {
                "term": "各市县政府",
                "includes": ["洋浦经济开发区"],
                "excludes": ["三沙市"],
                "applies_to_following": True,
            }
        ]
        assert [(u.name, u.role) for u in reading.units] == [("各市县政府", "local")]

    def test_only_excludes(self) -> None:
        reading = read_units("省民政厅牵头，各市县政府（不含三沙市）负责")
        assert [n.to_dict() for n in reading.scope_notes] == [
            {"term": "各市县政府", "includes": [], "excludes": ["三沙市"], "applies_to_following": False}
        ]
        assert [(u.name, u.role) for u in reading.units] == [("省民政厅", "lead"), ("各市县政府", "local")]

    def test_without_following_and_several_places(self) -> None:
        reading = read_units("各市县政府（含洋浦经济开发区、儋州市）负责")
        assert [n.to_dict() for n in reading.scope_notes] == [
            {
                "term": "各市县政府",
                "includes": ["洋浦经济开发区", "儋州市"],
                "excludes": [],
                "applies_to_following": False,
            }
        ]

    def test_note_nested_in_inline_units(self) -> None:
        document = parse(
            "1.建设养老服务设施（省民政厅牵头，各市县政府（含洋浦经济开发区，下同）负责）。\n"
            "2.发展托育服务（省卫生健康委牵头，各市县政府负责）。\n"
        )
        assert numbers_and_texts(document) == TWO_TASKS
        assert document["scope_notes"] == [
            {
                "term": "各市县政府",
                "includes": ["洋浦经济开发区"],
                "excludes": [],
                "applies_to_following": True,
            }
        ]
        assert units_of(document["tasks"][0]) == [("省民政厅", "lead"), ("各市县政府", "local")]

    def test_listed_once_per_term_in_a_document(self) -> None:
        document = parse(
            "序号|重点任务|责任单位\n"
            "1|建设养老服务设施。|省民政厅牵头，各市县政府（含洋浦经济开发区，不含三沙市，下同）负责\n"
            "2|发展托育服务。|省卫生健康委牵头，各市县政府（含洋浦经济开发区，不含三沙市，下同）负责\n"
        )
        assert document["scope_notes"] == [
            {
                "term": "各市县政府",
                "includes": ["洋浦经济开发区"],
                "excludes": ["三沙市"],
                "applies_to_following": True,
            }
        ]
        assert [units_of(t) for t in document["tasks"]] == [
            [("省民政厅", "lead"), ("各市县政府", "local")],
            [("省卫生健康委", "lead"), ("各市县政府", "local")],
        ]


# ------------------------------------------------------------------------------------------- targets


class TestComparators:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("养老机构护理型床位占比达到55%。", quantity("养老机构护理型床位占比", ">=", 55, "%")),
            ("城市社区养老服务设施覆盖率不低于90%。", quantity("城市社区养老服务设施覆盖率", ">=", 90, "%")),
            ("每个县建设示范性托育机构不少于3所。", quantity("每个县建设示范性托育机构", ">=", 3, "所")),
            (
                "每个乡镇至少建成1个区域养老服务中心。",
                quantity("每个乡镇建成区域养老服务中心", ">=", 1, "个"),
            ),
            ("养老机构护理型床位占比55%以上。", quantity("养老机构护理型床位占比", ">=", 55, "%")),
            ("城镇调查失业率不高于5.5%。", quantity("城镇调查失业率", "<=", 5.5, "%")),
            ("每班幼儿人数不超过30人。", quantity("每班幼儿人数", "<=", 30, "人")),
            ("城镇调查失业率5.5%以下。", quantity("城镇调查失业率", "<=", 5.5, "%")),
            ("城镇调查失业率5.5%以内。", quantity("城镇调查失业率", "<=", 5.5, "%")),
            ("城镇调查失业率控制在5.5%。", quantity("城镇调查失业率", "<=", 5.5, "%")),
            ("城镇调查失业率控制在5.5%以内。", quantity("城镇调查失业率", "<=", 5.5, "%")),
            (
                "办理简易注销登记的市场主体超过5万户。",
                quantity("办理简易注销登记的市场主体", ">", 50000, "户"),
            ),
            ("乡镇卫生院达标率高于90%。", quantity("乡镇卫生院达标率", ">", 90, "%")),
            ("城镇调查失业率低于5.5%。", quantity("城镇调查失业率", "<", 5.5, "%")),
            ("托育机构每班婴幼儿人数少于20人。", quantity("托育机构每班婴幼儿人数", "<", 20, "人")),
            ("城镇新增就业50万人左右。", quantity("城镇新增就业", "=", 500000, "人")),
            pytest.param("城镇新增就业约50万人。", quantity("城镇新增就业", "=", 500000, "人"), id="约"),
            ("新增托位400个。", quantity("新增托位", ">=", 400, "个")),
        ],
    )
    def test_comparator_words(self, text: str, expected: dict[str, Any]) -> None:
        assert targets(text) == [expected]


class TestValues:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("累计培训养老护理员1.5万人次。", quantity("累计培训养老护理员", ">=", 15000, "人次")),
            ("新增养老服务设施投资3亿元。", quantity("新增养老服务设施投资", ">=", 300000000, "元")),
            ("每个县至少建成两所公办托育机构。", quantity("每个县建成公办托育机构", ">=", 2, "所")),
            (
                "每个乡镇至少建成一个区域养老服务中心。",
                quantity("每个乡镇建成区域养老服务中心", ">=", 1, "个"),
            ),
            ("普惠性托位占比达到百分之六十。", quantity("普惠性托位占比", ">=", 60, "%")),
            ("普惠性托位占比达到60％。", quantity("普惠性托位占比", ">=", 60, "%")),
        ],
    )
    def test_values_and_units(self, text: str, expected: dict[str, Any]) -> None:
        assert targets(text) == [expected]


class TestSubjects:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            (
                "全省每千名老年人口拥有养老床位数达到32张。",
                [quantity("每千名老年人口拥有养老床位数", ">=", 32, "张")],
            ),
            (
                "全省每个市县（区）至少建成并运营1所老年大学。",
                [quantity("每个市县（区）建成并运营老年大学", ">=", 1, "所")],
            ),
            (
                "全省每个市县（区）至少建有一个养老服务指导中心、一个老年大学。",
                [
                    quantity("每个市县（区）建有养老服务指导中心", ">=", 1, "个"),
                    quantity("每个市县（区）建有老年大学", ">=", 1, "个"),
                ],
            ),
            ("确保普惠性托位占比达到60%。", [quantity("普惠性托位占比", ">=", 60, "%")]),
            ("力争养老机构护理型床位占比达到55%。", [quantity("养老机构护理型床位占比", ">=", 55, "%")]),
            ("原则上每个社区至少建有1个托育服务点。", [quantity("每个社区建有托育服务点", ">=", 1, "个")]),
            ("其中护理型床位占比达到55%。", [quantity("护理型床位占比", ">=", 55, "%")]),
            ("并培训养老护理员1000人次。", [quantity("培训养老护理员", ">=", 1000, "人次")]),
            ("全市新增托位400个。", [quantity("新增托位", ">=", 400, "个")]),
        ],
    )
    def test_subjects(self, text: str, expected: list[dict[str, Any]]) -> None:
        assert targets(text) == expected


class TestNotTargets:
    def test_age_with_a_range_word_is_a_population(self) -> None:
        assert targets("为65岁以上老年人提供健康管理服务。") == []

    def test_age_under_a_deadline_leaves_a_milestone(self) -> None:
        assert targets("到2025年，为3岁以下婴幼儿提供托育服务。") == [
            milestone("为3岁以下婴幼儿提供托育服务", "2025-12-31")
        ]

    def test_rate_base_is_not_a_value(self) -> None:
        assert targets("每千名老年人口拥有养老床位数达到32张。") == [
            quantity("每千名老年人口拥有养老床位数", ">=", 32, "张")
        ]

    def test_per_ten_thousand_is_a_base(self) -> None:
        assert targets("全省每万人口拥有全科医生不少于3.5名。") == [quantity("每万人口拥有全科医生", ">=", 3.5, "名")]

    def test_tax_rate_is_a_policy_parameter(self) -> None:
        assert targets("到2025年，对符合条件的托育机构减按15%税率征收企业所得税。") == [
            milestone("对符合条件的托育机构减按15%税率征收企业所得税", "2025-12-31")
        ]

    def test_condition_with_range_word_and_de(self) -> None:
        assert targets("鼓励150张（含）以上床位的养老机构设置医务室。") == []
        assert targets("到2025年，150张（含）以上床位的养老机构全部设置医务室。") == [
            milestone("150张（含）以上床位的养老机构全部设置医务室", "2025-12-31")
        ]

    @pytest.mark.parametrize(
        "subject", ["“一老一小”服务体系基本建成", "建成县乡村三级养老服务网络", "落实“四同步”要求"]
    )
    def test_slogans_and_ordinals(self, subject: str) -> None:
        assert targets(f"到2025年，{subject}。") == [milestone(subject, "2025-12-31")]

    def test_baseline_year_is_no_deadline(self) -> None:
        assert find_deadline("养老服务床位数比2020年增长20%") is None
        assert targets("养老服务床位数比2020年增长20%。") == [quantity("养老服务床位数比2020年增长", ">=", 20, "%")]
        assert targets("到2025年，养老服务床位数比2020年增长20%。") == [
            quantity("养老服务床位数比2020年增长", ">=", 20, "%", "2025-12-31")
        ]


# ----------------------------------------------------------------------------------------- deadlines


class TestDeadlines:
    @pytest.mark.parametrize(
        ("text", "iso"),
        [
            ("到2025年底", "2025-12-31"),
            ("2025年底", "2025-12-31"),
            ("2025年末", "2025-12-31"),
            ("2025年底前", "2025-12-31"),
            ("到2025年", "2025-12-31"),
            ("2022年6月底", "2022-06-30"),
            ("2022年6月", "2022-06-30"),
            ("2023年2月底", "2023-02-28"),
            ("2024年6月15日", "2024-06-15"),
            ("2025年上半年", "2025-06-30"),
            ("2025年一季度", "2025-03-31"),
            ("2025年第一季度", "2025-03-31"),
        ],
    )
    def test_deadline_phrases(self, text: str, iso: str) -> None:
        found = find_deadline(text)
        assert found is not None
        assert found.iso == iso

    @pytest.mark.parametrize("text", ["2021年以来", "2024年起", "2024年开始", "比2020年增长"])
    def test_starting_points_are_no_deadline(self, text: str) -> None:
        assert find_deadline(text) is None

    def test_since_year_does_not_date_the_target(self) -> None:
        assert targets("2021年以来，累计建成社区养老服务中心120个。") == [
            quantity("累计建成社区养老服务中心", ">=", 120, "个")
        ]

    def test_deadline_at_the_head_holds_for_every_target_of_the_sentence(self) -> None:
        assert targets("到2025年底，全省养老机构护理型床位占比达到55%，每个乡镇至少建成1个区域养老服务中心。") == [
            quantity("养老机构护理型床位占比", ">=", 55, "%", "2025-12-31"),
            quantity("每个乡镇建成区域养老服务中心", ">=", 1, "个", "2025-12-31"),
        ]

    def test_head_deadline_reaches_a_qizhong_clause(self) -> None:
        assert targets("到2025年，全省养老床位总数达到30万张，其中护理型床位占比达到55%。") == [
            quantity("养老床位总数", ">=", 300000, "张", "2025-12-31"),
            quantity("护理型床位占比", ">=", 55, "%", "2025-12-31"),
        ]

    def test_deadline_in_a_later_clause_does_not_reach_back(self) -> None:
        assert targets("养老机构护理型床位占比达到55%，到2025年底，每个乡镇至少建成1个区域养老服务中心。") == [
            quantity("养老机构护理型床位占比", ">=", 55, "%"),
            quantity("每个乡镇建成区域养老服务中心", ">=", 1, "个", "2025-12-31"),
        ]

    def test_deadline_holds_only_within_its_sentence(self) -> None:
        assert targets("到2025年底，养老机构护理型床位占比达到55%。每个乡镇至少建成1个区域养老服务中心。") == [
            quantity("养老机构护理型床位占比", ">=", 55, "%", "2025-12-31"),
            quantity("每个乡镇建成区域养老服务中心", ">=", 1, "个"),
        ]

    def test_deadline_inside_the_clause_is_taken_out_of_the_subject(self) -> None:
        assert targets("养老机构护理型床位占比2025年底前达到55%。") == [
            quantity("养老机构护理型床位占比", ">=", 55, "%", "2025-12-31")
        ]

    def test_target_without_a_deadline_takes_the_column(self) -> None:
        assert targets(
            "养老机构护理型床位占比达到55%，到2025年底，每个乡镇至少建成1个区域养老服务中心。", "2024-06-30"
        ) == [
            quantity("养老机构护理型床位占比", ">=", 55, "%", "2024-06-30"),
            quantity("每个乡镇建成区域养老服务中心", ">=", 1, "个", "2025-12-31"),
        ]


class TestMilestones:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            (
                "到2022年底，全面建立特殊困难老年人居家探访制度。",
                milestone("全面建立特殊困难老年人居家探访制度", "2022-12-31"),
            ),
            ("2025年上半年，出台养老机构等级评定办法。", milestone("出台养老机构等级评定办法", "2025-06-30")),
            ("2025年底前，建成省级养老服务信息平台。", milestone("建成省级养老服务信息平台", "2025-12-31")),
        ],
    )
    def test_a_dated_sentence_without_quantity(self, text: str, expected: dict[str, Any]) -> None:
        assert targets(text) == [expected]

    def test_no_deadline_no_milestone(self) -> None:
        assert targets("全面建立特殊困难老年人居家探访制度。") == []

    def test_completion_column_gives_a_milestone_for_the_whole_text(self) -> None:
        assert targets("健全养老服务综合监管制度。加强养老机构安全管理。", "2024-06-30") == [
            milestone("健全养老服务综合监管制度。加强养老机构安全管理", "2024-06-30")
        ]

    def test_completion_column_in_a_flattened_pipe_table(self) -> None:
        document = parse(
            "序号|重点任务|牵头单位|配合单位|完成时限\n"
            "1|健全养老服务综合监管制度。|省民政厅|省市场监管局|2024年6月底\n"
            "2|新增普惠托位400个。|省卫生健康委|省发展改革委|2025年底前\n"
            "3|到2022年底，全面建立特殊困难老年人居家探访制度。|省民政厅|省卫生健康委|2025年底前\n"
        )
        assert [t["targets"] for t in document["tasks"]] == [
            [milestone("健全养老服务综合监管制度", "2024-06-30")],
            [quantity("新增普惠托位", ">=", 400, "个", "2025-12-31")],
            [milestone("全面建立特殊困难老年人居家探访制度", "2022-12-31")],
        ]
        assert units_of(document["tasks"][0]) == [("省民政厅", "lead"), ("省市场监管局", "support")]


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
