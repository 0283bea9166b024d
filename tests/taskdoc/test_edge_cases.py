"""Small hand-worked cases for what real task tables do and what docs/parser.md promises:
numbering, punctuation and spaces, line breaks inside a cell, noise.

Every expected value below was worked out by hand from docs/parser.md, not copied from the parser's output.
"""

from __future__ import annotations

import io

import openpyxl
import pytest

from duban.taskdoc import parse_bytes
from tests.taskdoc.edge_cases import (
    TWO_TASKS,
    milestone,
    names_task,
    numbers_and_texts,
    parse,
    roles,
    units_of,
)

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
