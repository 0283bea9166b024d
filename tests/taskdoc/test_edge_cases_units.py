"""Small hand-worked cases for what real task tables do and what docs/parser.md promises:
roles and scope notes.

Every expected value below was worked out by hand from docs/parser.md, not copied from the parser's output.
"""

from __future__ import annotations

import pytest

from duban.taskdoc.units import read_units
from tests.taskdoc.edge_cases import (
    TWO_TASKS,
    names_task,
    numbers_and_texts,
    parse,
    roles,
    units_of,
)

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
