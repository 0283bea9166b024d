"""What real published tables do, one family at a time (docs/parser.md lists a real example of each)."""

from __future__ import annotations

from duban.taskdoc import parse_bytes, parse_text


def _units(text: str) -> list[list[tuple[str, str]]]:
    return [[(unit.name, unit.role) for unit in task.units] for task in parse_text(text).tasks]


class TestFirstListedLeads:
    """国发〔2018〕39号: "（人力资源社会保障部、财政部负责。列第一位者为牵头单位，下同）"."""

    def test_the_declaration_makes_the_first_unit_of_this_and_every_later_list_the_lead(self) -> None:
        text = (
            "（一）加大稳岗支持力度。（人力资源社会保障部、财政部负责。列第一位者为牵头单位，下同）\n"
            "（二）支持小微企业。（财政部、人民银行、银保监会负责）\n"
            "（三）稳定外贸。（商务部负责）\n"
        )
        assert _units(text) == [
            [("人力资源社会保障部", "lead"), ("财政部", "responsible")],
            [("财政部", "lead"), ("人民银行", "responsible"), ("银保监会", "responsible")],
            [("商务部", "lead")],
        ]

    def test_tasks_before_the_declaration_are_left_as_written(self) -> None:
        text = (
            "1. 甲任务。（市发展改革委、市财政局负责）\n"
            "2. 乙任务。（市商务局、市财政局负责，排在第一位的为牵头单位，下同）\n"
        )
        assert _units(text) == [
            [("市发展改革委", "responsible"), ("市财政局", "responsible")],
            [("市商务局", "lead"), ("市财政局", "responsible")],
        ]

    def test_a_named_lead_and_local_governments_are_kept(self) -> None:
        text = (
            "1. 甲任务。（农业农村部、工业和信息化部负责。列第一位者为牵头单位，下同）\n"
            "2. 乙任务。（财政部牵头，农业农村部配合）\n"
            "3. 丙任务。（各省级人民政府负责）\n"
        )
        assert _units(text)[1:] == [
            [("财政部", "lead"), ("农业农村部", "support")],
            [("各省级人民政府", "local")],
        ]


def test_a_piece_of_page_source_pasted_into_a_text_file_is_read_as_html() -> None:
    page = (
        '<p style="text-indent: 2em;"><span>一、支持企业稳定发展</span></p> '
        '<p style="text-indent: 2em;"><span>（一）加大稳岗支持力度。</span><span>对不裁员的企业返还失业保险费。</span>'
        "<span>（人力资源社会保障部、财政部负责）</span></p> "
        '<p style="text-indent: 2em;"><span>（二）支持小微企业。</span><span>（财政部负责）</span></p>'
    )
    document = parse_bytes(page.encode("utf-8"), "copied.txt")
    assert [task.number for task in document.tasks] == [1, 2]
    assert [unit.name for unit in document.tasks[0].units] == ["人力资源社会保障部", "财政部"]
    assert "<span" not in document.tasks[0].text
