"""What real published tables do, one family at a time (docs/parser.md lists a real example of each)."""

from __future__ import annotations

import io

import docx

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
    # the title, the text and the units sit in three <span>s of one <p>: one paragraph, one task
    assert document.tasks[0].text.startswith("加大稳岗支持力度。对不裁员的企业返还失业保险费。")


class TestTheYearADocumentIsFor:
    """Annual tables (2022年度民生实事, 2023年政府工作报告 分解) date their targets by the year in their title."""

    def test_an_undated_quantity_is_due_at_the_end_of_the_title_year(self) -> None:
        text = "2023年区政府工作报告重点工作任务分解\n1.地区生产总值增长8%以上。(牵头单位:区发改局)\n"
        [target] = parse_text(text).tasks[0].targets
        assert (target.comparator, target.value, target.unit, target.deadline) == (">=", 8, "%", "2023-12-31")

    def test_a_heading_above_the_first_task_names_the_year_too(self) -> None:
        text = "一、2021年经济社会发展主要预期目标\n1.城镇新增就业110万人。(省人力资源社会保障厅牵头)\n"
        [target] = parse_text(text).tasks[0].targets
        assert (target.value, target.unit, target.deadline) == (1_100_000, "人", "2021-12-31")

    def test_a_month_without_a_year_takes_the_documents_year(self) -> None:
        text = "2016年民生实事目标任务分解表\n1.新建2座人行天桥，9月底前投入使用。（县住建局负责）\n"
        [target] = parse_text(text).tasks[0].targets
        assert (target.value, target.unit, target.deadline) == (2, "座", "2016-09-30")

    def test_a_plan_over_several_years_or_a_recurring_target_has_no_year_end(self) -> None:
        spans = "三年行动计划（2021—2023年）\n1.新增托位400个。（市卫生健康委负责）\n"
        assert parse_text(spans).tasks[0].targets[0].deadline is None
        recurring = "2023年工作要点\n1.每年招引制造业项目100个。（市经信局负责）\n"
        assert parse_text(recurring).tasks[0].targets[0].deadline is None

    def test_the_year_alone_makes_no_milestone(self) -> None:
        text = "2022年度民生实事项目\n1.提升城市管理水平。（县住建局负责）\n"
        assert parse_text(text).tasks[0].targets == []

    def test_a_month_deadline_in_a_document_that_names_no_year_is_warned_about(self) -> None:
        document = parse_text("1. 提升登记便利度。9月底前实现1天办结。(牵头单位:省市场监管局)\n")
        assert document.tasks[0].targets[0].deadline is None
        assert any("9月底前" in warning and "第1项任务" in warning for warning in document.warnings)


class TestWhatIsNotACount:
    def test_a_batch_written_with_one_is_no_target(self) -> None:
        text = "1. 培育一批示范园区，建设一支专业队伍。（农业农村部负责）\n"
        assert parse_text(text).tasks[0].targets == []

    def test_zero_in_a_word_is_no_number(self) -> None:
        text = "1. 推动零部件企业发展。到2025年，新增零部件企业10家。（工业和信息化部负责）\n"
        [target] = parse_text(text).tasks[0].targets
        assert (target.value, target.unit) == (10, "家")

    def test_a_delivery_verb_makes_a_bare_count_a_target(self) -> None:
        text = "1. 打通县城人民大道等12条断头路。（县住建局负责）\n2. 新(改、扩)建公办园5所。（县教育局负责）\n"
        assert [[(t.value, t.unit) for t in task.targets] for task in parse_text(text).tasks] == [
            [(12, "条")],
            [(5, "所")],
        ]


def test_a_leader_named_in_a_units_parenthesis_is_no_unit() -> None:
    """咸安区 2023: "(责任领导:杜新国;牵头单位:区发改局)"."""
    text = "1.地区生产总值增长8%以上。(责任领导:杜新国;牵头单位:区发改局;责任单位:区统计局)\n"
    assert _units(text) == [[("区发改局", "lead"), ("区统计局", "responsible")]]


def test_etc_and_a_collective_after_it() -> None:
    """国办发〔2018〕129号: "（扶贫办、发展改革委、商务部等和各有关省级人民政府负责）"."""
    text = "1. 甲任务。（扶贫办、发展改革委、商务部等和各有关省级人民政府负责）\n"
    assert _units(text) == [
        [
            ("扶贫办", "responsible"),
            ("发展改革委", "responsible"),
            ("商务部", "responsible"),
            ("各有关省级人民政府", "local"),
        ]
    ]


def test_a_collective_listed_first_does_not_become_the_lead() -> None:
    text = (
        "1. 甲任务。（人力资源社会保障部负责。列第一位者为牵头单位，下同）\n"
        "2. 乙任务。（各有关部门和单位按职责分工负责）\n"
    )
    assert _units(text)[1] == [("各有关部门和单位", "responsible")]


class TestPolicyParametersAreNoTargets:
    """国发〔2018〕39号 sets what a policy allows; a supervision platform must not track it as a target."""

    def test_what_a_policy_grants_is_no_target(self) -> None:
        text = "1. 加大稳岗支持力度。对不裁员的企业，可返还其上年度实际缴纳失业保险费的50%。（人社部负责）\n"
        assert parse_text(text).tasks[0].targets == []

    def test_a_number_that_qualifies_a_noun_is_no_target(self) -> None:
        text = "1. 支持创业。对符合条件的个人发放最高不超过15万元的创业担保贷款，超过100人的企业优先。（财政部负责）\n"
        assert parse_text(text).tasks[0].targets == []

    def test_a_policy_window_is_no_deadline(self) -> None:
        text = "1. 稳岗返还。2019年1月1日至12月31日，对困难企业实施返还政策。（人力资源社会保障部负责）\n"
        assert parse_text(text).tasks[0].targets == []
        text = "1. 培训补贴。2019年1月1日至2020年12月31日，对困难人员给予生活费补贴。（财政部负责）\n"
        assert parse_text(text).tasks[0].targets == []
        text = "1. 到2025年，至2025年底建成养老服务中心。（民政部负责）\n"
        assert [t.deadline for t in parse_text(text).tasks[0].targets] == ["2025-12-31"]


def test_a_division_label_whose_list_names_the_roles() -> None:
    """粤府〔2021〕22号: "部门分工：省发展改革委牵头，各地、各部门配合"."""
    text = "1.地区生产总值增长6%以上。\n分管省领导：林克庆\n部门分工：省发展改革委牵头，各地、各部门配合。\n"
    assert _units(text) == [[("省发展改革委", "lead"), ("各地", "local"), ("各部门", "support")]]


def test_a_declaration_with_an_exception_inside_a_units_parenthesis() -> None:
    """丽水 2023: "市发改委、市卫生健康委(除标注“分别牵头”外,列第一位为牵头或汇总单位,下同)"."""
    text = (
        "1.居民收入增长与经济增长同步。\n责任单位:市发改委、市卫生健康委(除标注“分别牵头”外,列第一位为牵头或汇总单位,下同)\n"
        "2.新增城镇就业2万人。\n责任单位:市人力社保局、市农业农村局分别牵头\n"
    )
    assert _units(text) == [
        [("市发改委", "lead"), ("市卫生健康委", "responsible")],
        [("市人力社保局", "lead"), ("市农业农村局", "lead")],
    ]


def test_a_table_copied_one_cell_per_line_with_one_name_a_line_and_a_month_column() -> None:
    """大竹县 2016 民生实事: 序号 / 民生实事 / 责任单位 / 完成时限, a units cell over several lines."""
    text = (
        "2016年民生实事目标任务分解表\n序号\n民生实事\n责任单位\n完成时限\n"
        "1\n启动建设东湖湿地公园。\n县水务局\n县住建局\n12月底前\n"
        "2\n新建2座人行天桥。\n县住建局\n9月投入使用\n"
    )
    document = parse_text(text)
    assert [[(u.name, u.role) for u in t.units] for t in document.tasks] == [
        [("县水务局", "responsible"), ("县住建局", "responsible")],
        [("县住建局", "responsible")],
    ]
    assert [(t.kind, t.deadline) for t in document.tasks[0].targets] == [("milestone", "2016-12-31")]
    assert [(t.value, t.unit, t.deadline) for t in document.tasks[1].targets] == [(2, "座", "2016-09-30")]


def test_a_progress_column_is_neither_units_nor_targets() -> None:
    """苍南县 2022: 序号 / 项目内容 / 当前进度 / 牵头单位 / 备注."""
    text = (
        "2022年度市县民生实事未完成项目进度表\n序号\n项目内容\n当前进度\n牵头单位\n备注\n"
        "1\n新增公办幼儿学位1000个。\n80%\n县教育局\n县民生实事\n"
    )
    [task] = parse_text(text).tasks
    assert [(u.name, u.role) for u in task.units] == [("县教育局", "lead")]
    assert [(t.value, t.unit, t.deadline) for t in task.targets] == [(1000, "个", "2022-12-31")]


def test_a_cell_stream_with_cell_borders_a_leader_and_progress_columns() -> None:
    """崇川区 2023: one cell a line ending in " |", "||" for an empty cell, 分管领导 and two 推进情况 columns."""
    text = (
        "2023年区政府重点民生实事项目推进情况\n序号 |\n主要任务 |\n分管 领导 |\n牵头 单位 |\n责任主体与协同单位 |\n"
        "1-10月推进情况 |\n是否达序 |\n"
        "24 |\n优化提升50条背街后巷交通组织。 |\n徐国江 |\n城管局 |\n市政局、崇川经济开发区、相关街道 |\n"
        "已进场施工,完成30%。 |\n是 |\n||\n"
    )
    [task] = parse_text(text).tasks
    assert (task.number, task.text) == (24, "优化提升50条背街后巷交通组织。")
    assert [(u.name, u.role) for u in task.units] == [
        ("城管局", "lead"),
        ("市政局", "support"),
        ("崇川经济开发区", "support"),
        ("相关街道", "local"),
    ]
    assert [(t.value, t.unit, t.deadline) for t in task.targets] == [(50, "条", "2023-12-31")]


def test_a_table_whose_cells_are_separated_by_spaces() -> None:
    """谯城区 2025 and 霍邱县 2025: one row a line, cells separated by single spaces, a heading inside."""
    text = (
        "序号 重点工作任务 主要责任单位 协同配合单位\n"
        "一、2025年经济社会发展的主要预期目标\n"
        "1 地区生产总值增长6.5%左右。 区发改委 区政府各部门,各乡镇人民政府、街道办事处,谯城经开区管委会。\n"
        "2 社会消费品零售总额增长8.2%左右。 区商务局 区发改委、区市场监管局。\n"
    )
    document = parse_text(text)
    assert [(t.number, t.text) for t in document.tasks] == [
        (1, "地区生产总值增长6.5%左右。"),
        (2, "社会消费品零售总额增长8.2%左右。"),
    ]
    assert [(u.name, u.role) for u in document.tasks[0].units] == [
        ("区发改委", "responsible"),
        ("区政府各部门", "support"),
        ("各乡镇人民政府", "local"),
        ("街道办事处", "local"),
        ("谯城经开区管委会", "support"),
    ]
    assert [(t.comparator, t.value, t.deadline) for t in document.tasks[1].targets] == [("=", 8.2, "2025-12-31")]


def test_a_progress_column_with_a_year_does_not_date_the_tasks() -> None:
    text = (
        "序号 重点工作任务 牵头责任单位 一季度完成情况\n"
        "1 地区生产总值增长6%以上。 县发改委 2025年一季度地区生产总值增长6.8%\n"
    )
    [target] = parse_text(text).tasks[0].targets
    assert (target.value, target.deadline) == (6, None)


def test_units_after_each_sub_measure_all_belong_to_the_task() -> None:
    """国办发〔2018〕121号 (nat_tiyu): "…工程。（体育总局、教育部负责）完善…体系。（体育总局、公安部负责）"."""
    text = "（十三）改善消费条件。推进场馆改造。（体育总局、教育部负责）完善安全服务。（体育总局、公安部负责）\n"
    [task] = parse_text(text).tasks
    assert [u.name for u in task.units] == ["体育总局", "教育部", "公安部"]
    assert "负责" not in task.text


def test_a_labelled_part_in_square_brackets_keeps_the_brackets_of_its_names() -> None:
    """济南市钢城区 2021: "〔牵头单位:区政府办公室,责任单位:区政府有关部门,各街道(功能区)〕"."""
    text = "1.及时承接行政权力事项。〔牵头单位:区政府办公室,责任单位:区政府有关部门,各街道(功能区)〕\n"
    assert _units(text) == [[("区政府办公室", "lead"), ("区政府有关部门", "responsible"), ("各街道(功能区)", "local")]]


def test_a_kept_part_that_starts_in_the_middle_keeps_its_numbers_and_says_so() -> None:
    document = parse_text("24. 优化背街后巷交通组织。（区城管局负责）\n25. 新增达标小区。（区城管局负责）\n")
    assert [task.number for task in document.tasks] == [24, 25]
    assert document.warnings == ["第24项任务：序号从24开始，前面的任务可能不在文件中 (task 24: numbers start here)"]


def test_a_closing_units_parenthesis_with_a_name_of_an_unknown_kind_is_still_units() -> None:
    document = parse_text("1. 加强科普工作。（科技部、教育部、中国科协负责）\n2. 甲任务。（民政部负责）\n")
    assert _units("1. 加强科普工作。（科技部、教育部、中国科协负责）\n") == [
        [("科技部", "responsible"), ("教育部", "responsible"), ("中国科协", "responsible")]
    ]
    assert document.tasks[0].text == "加强科普工作。"
    assert any("中国科协" in warning and "第1项任务" in warning for warning in document.warnings)


def test_sub_rows_under_one_merged_number_are_one_task_each_part_with_its_deadline() -> None:
    """A Word table whose 序号 and 责任单位 cells are merged over two rows, each row with its own 完成时限."""
    document = docx.Document()
    document.add_paragraph("2016年民生实事目标任务分解表")
    rows = [
        ["序号", "民生实事", "责任单位", "完成时限"],
        ["1", "新建2座人行天桥。", "县住建局", "9月底前"],
        ["2", "开工建设县老年养护楼。", "县民政局", "5月底前动工"],
        ["", "开工建设老年大学。", "", "12月底前"],
    ]
    table = document.add_table(rows=4, cols=4)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    table.cell(2, 0).merge(table.cell(3, 0)).text = "2"
    table.cell(2, 2).merge(table.cell(3, 2)).text = "县民政局"
    out = io.BytesIO()
    document.save(out)
    parsed = parse_bytes(out.getvalue(), "merged.docx")
    assert [(t.number, t.text) for t in parsed.tasks] == [
        (1, "新建2座人行天桥。"),
        (2, "开工建设县老年养护楼。开工建设老年大学。"),
    ]
    assert [(u.name, u.role) for u in parsed.tasks[1].units] == [("县民政局", "responsible")]
    assert [(t.kind, t.deadline) for t in parsed.tasks[1].targets] == [
        ("milestone", "2016-05-31"),
        ("milestone", "2016-12-31"),
    ]
    assert parsed.warnings == []


def test_an_indicator_table_gives_its_targets_from_the_value_and_measure_columns() -> None:
    """嵊泗县 2021: 序号 | 考核指标 | 考核内容 | 单位 | 年度目标 | 责任部门 | 评分部门, one cell a line."""
    text = (
        "2021年嵊泗县乡村振兴任务清单\n序号\n考核指标\n考核内容\n单位\n年度目标\n责任部门\n评分部门\n"
        "1\n确保粮食和重要农产品有效供给\n农林牧渔业增加值增幅\n%\n≥2%\n县海洋与渔业局\n县农业农村局\n市农业农村局\n"
        "2\n粮食播种面积\n万亩\n0.07\n县农业农村局\n市农业农村局\n"
        "3\n生猪存栏\n万头\n0\n县农业农村局\n市农业农村局\n"
    )
    document = parse_text(text)
    assert [t.number for t in document.tasks] == [1, 2, 3]
    assert [(u.name, u.role) for u in document.tasks[0].units] == [
        ("县海洋与渔业局", "responsible"),
        ("县农业农村局", "responsible"),
    ]  # the 评分部门 (the city department that scores the work) is no responsible unit
    assert [[(t.comparator, t.value, t.unit, t.deadline) for t in task.targets] for task in document.tasks] == [
        [(">=", 2, "%", "2021-12-31")],
        [(">=", 700, "亩", "2021-12-31")],
        [(">=", 0, "头", "2021-12-31")],
    ]


def test_a_bracketed_list_of_units_without_a_verb() -> None:
    """三门峡市 2023: "1.地区生产总值增长7%以上。(市发展改革委,各县〔市、区〕政府)"."""
    text = "1.地区生产总值增长7%以上。(市发展改革委,各县〔市、区〕政府)\n2.城镇化率提高1.2个百分点。(市发展改革委)\n"
    assert _units(text) == [
        [("市发展改革委", "responsible"), ("各县〔市、区〕政府", "local")],
        [("市发展改革委", "responsible")],
    ]


def test_a_bracketed_scope_or_quantity_is_no_units_list() -> None:
    document = parse_text("1.建设养老服务中心(含洋浦)。(市民政局负责)\n2.新增托位(400个)。(市卫生健康委负责)\n")
    assert [[u.name for u in task.units] for task in document.tasks] == [["市民政局"], ["市卫生健康委"]]


def test_a_list_of_tasks_without_units_is_read_with_a_warning_each() -> None:
    """静安区 2020 重点工作目标安排: items run together on one line, numbers starting again in each section."""
    text = (
        "2020年区政府重点工作目标安排\n一、推动区域发展规划实施\n"
        "(一)开展区“十四五”规划编制。(二)推进服务经济高质量发展。\n"
        "二、推动经济持续健康发展\n"
        "(一)实现全年区级一般公共预算收入同比增长3%。(二)优化招商体制机制。\n"
    )
    document = parse_text(text)
    assert [(t.number, t.text) for t in document.tasks] == [
        (1, "开展区“十四五”规划编制。"),
        (2, "推进服务经济高质量发展。"),
        (3, "实现全年区级一般公共预算收入同比增长3%。"),
        (4, "优化招商体制机制。"),
    ]
    assert all(task.units == [] for task in document.tasks)
    assert sum("未找到责任单位" in warning for warning in document.warnings) == 4
    assert any("重新开始" in warning for warning in document.warnings)
    assert [(t.value, t.deadline) for t in document.tasks[2].targets] == [(3, "2020-12-31")]


def test_and_between_names_and_spaces_between_names_in_a_units_cell() -> None:
    """呼包银榆 2013: "(…牵头,自治区财政厅和自治区交通运输厅及相关盟市配合)"; 吉水县: "县教体局 各相关乡镇政府"."""
    text = "1. 甲任务。(自治区发展改革委牵头,自治区财政厅和自治区交通运输厅及相关盟市配合)\n"
    assert _units(text) == [
        [
            ("自治区发展改革委", "lead"),
            ("自治区财政厅", "support"),
            ("自治区交通运输厅", "support"),
            ("相关盟市", "local"),
        ]
    ]
    assert _units("1. 乙任务。（省住房和城乡建设厅负责）\n") == [[("省住房和城乡建设厅", "responsible")]]
    table = "序号 | 具体工作任务 | 责任领导 | 责任单位 |\n1 | 增加学位5000个。 | 毛晓青 | 县教体局 各相关乡镇政府 |\n"
    assert _units(table) == [[("县教体局", "responsible"), ("各相关乡镇政府", "local")]]


def test_host_and_co_host() -> None:
    """黑龙江 2013: "（省发改委主办，省财政厅协办）"."""
    assert _units("1. 甲任务。（省发改委主办，省财政厅协办）\n") == [[("省发改委", "lead"), ("省财政厅", "support")]]


def test_a_page_whose_line_breaks_were_lost_is_cut_into_its_items() -> None:
    """河南省 2023: the whole page on one line, "一、… (一)… 1.…（…负责） 2.…（…负责）"."""
    text = (
        "一、加快提振市场信心 (一)全面促进消费增长。 1.把恢复和扩大消费摆在优先位置。(省商务厅、财政厅按职责分工负责)"
        " 2.落实好提振市场信心90条措施。(省发展改革委牵头,省商务厅等相关部门按职责分工负责)"
        " 3.激活房地产市场。(省住房城乡建设厅按职责分工负责)"
    )
    assert _units(text) == [
        [("省商务厅", "responsible"), ("财政厅", "responsible")],
        [("省发展改革委", "lead"), ("省商务厅", "responsible")],
        [("省住房城乡建设厅", "responsible")],
    ]


def test_items_of_another_numbering_under_a_heading_without_units() -> None:
    """黑龙江 2013: part one's tasks are （一）…, part two's are 1. 2. under a heading （一） without units."""
    text = (
        "一、全省经济社会发展主要目标\n"
        "(一)地区生产总值增长10%。(省发改委负责)\n"
        "(二)公共财政收入增长9%。(省财政厅负责)\n"
        "二、重点工作\n"
        "(一)全力推进产业项目建设。\n"
        "1.抓好600个省级重点产业项目。(省发改委主办,省工信委协办)\n"
        "2.重点抓好燃气轮机项目。(省工信委负责)\n"
    )
    document = parse_text(text)
    assert [(t.number, t.text[:6]) for t in document.tasks] == [
        (1, "地区生产总值"),
        (2, "公共财政收入"),
        (3, "抓好600个"),
        (4, "重点抓好燃气"),
    ]
    assert [(u.name, u.role) for u in document.tasks[2].units] == [("省发改委", "lead"), ("省工信委", "support")]


def test_together_with_the_departments_concerned_names_one_unit() -> None:
    """国办发〔2018〕117号: "（国家发展改革委会同有关部门负责）"."""
    assert _units("一、甲任务。（国家发展改革委会同有关部门负责）\n二、乙任务。（财政部负责）\n") == [
        [("国家发展改革委", "responsible")],
        [("财政部", "responsible")],
    ]


def test_a_dash_sub_heading_after_a_task_is_no_part_of_its_units() -> None:
    """武汉市 2023: "208.…(牵头单位:市卫健委;责任单位:市教育局)" then "——加快建设健康武汉"."""
    text = (
        "207.推进教育发展。(牵头单位:市教育局;责任单位:各区人民政府)\n"
        "208.加强学校卫生。(牵头单位:市卫健委;责任单位:市教育局)\n\n  ——加快建设健康武汉\n\n"
        "209.提升医疗服务。(牵头单位:市卫健委)\n"
    )
    assert _units(text)[1] == [("市卫健委", "lead"), ("市教育局", "responsible")]


def test_a_table_whose_cells_begin_with_a_border_and_whose_lead_cell_is_broken_over_lines() -> None:
    """长沙市 2012: "牵头单位 / | 目标任务 / | 责任单位 / |"; the merged lead cell once, a few characters a line."""
    text = (
        "牵头单位\n| 目 标 任 务\n| 责 任 单 位\n|\n"
        "长沙\n先导\n区管委会\n| 推进河西商业配套建设\n| 商务局、高新区、岳麓区\n|\n"
        "实施先导区新三年行动计划\n| 市直相关单位、高新区、岳麓区、望城区\n|\n"
    )
    assert _units(text) == [
        [("长沙先导区管委会", "lead"), ("商务局", "responsible"), ("高新区", "responsible"), ("岳麓区", "responsible")],
        [
            ("长沙先导区管委会", "lead"),
            ("市直相关单位", "responsible"),
            ("高新区", "responsible"),
            ("岳麓区", "responsible"),
            ("望城区", "responsible"),
        ],
    ]


class TestTargetsInRealPhrasing:
    def test_the_same_figure_for_each_of_several_subjects(self) -> None:
        """黑龙江 2013: "城镇居民人均可支配收入、农民人均纯收入均增长12%以上"."""
        [task] = parse_text("(七)城镇居民人均可支配收入、农民人均纯收入均增长12%以上。(省发改委负责)\n").tasks
        assert [(t.subject, t.value, t.unit) for t in task.targets] == [
            ("城镇居民人均可支配收入增长", 12, "%"),
            ("农民人均纯收入增长", 12, "%"),
        ]

    def test_a_count_followed_by_what_is_done_to_it(self) -> None:
        """吉水县: "7个乡镇卫生院完成搬迁或改扩建", "扩充公办幼儿园学位至1800个"."""
        text = "1 | 完成主体工程建设,7个乡镇卫生院完成搬迁或改扩建。扩充公办幼儿园学位至1800个。 | 县卫健委 |\n"
        document = parse_text("序号 | 具体工作任务 | 责任单位 |\n" + text)
        assert [(t.value, t.unit) for t in document.tasks[0].targets] == [(7, "个"), (1800, "个")]

    def test_a_parallel_clause_of_a_subject_and_a_figure(self) -> None:
        """陕西 2015: "全年粮食播种面积4600万亩,总产1150万吨"."""
        [task] = parse_text("4、抓好粮食生产。全年粮食播种面积4600万亩,总产1150万吨。(省农业厅牵头)\n").tasks
        assert [(t.value, t.unit) for t in task.targets] == [(46_000_000, "亩"), (11_500_000, "吨")]

    def test_a_year_that_opens_what_is_to_be_done_is_its_deadline(self) -> None:
        """江西 2017: "2017年开工建设鄱(阳)余(干)高等级公路"; "比2020年增长" stays a baseline."""
        [task] = parse_text("1. 推进交通建设。2017年开工建设鄱(阳)余(干)高等级公路。(省交通运输厅负责)\n").tasks
        assert [(t.kind, t.deadline) for t in task.targets] == [("milestone", "2017-12-31")]
        [other] = parse_text("1. 甲任务。收入比2020年增长10%。(省财政厅负责)\n").tasks
        assert [(t.value, t.deadline) for t in other.targets] == [(10, None)]


def test_the_readings_name_the_layout_the_year_and_the_declaration() -> None:
    text = (
        "2023年重点工作分工\n"
        "1. 甲任务。（人力资源社会保障部、财政部负责。列第一位者为牵头单位，下同）\n"
        "2. 乙任务。（财政部负责）\n"
    )
    readings = parse_text(text).readings
    assert readings[0] == "第1项起：编号段落，任务的编号样式为 1.（2条写有单位）"
    assert any(reading.startswith("文件年度：2023年") for reading in readings)
    assert any("列第一位者为牵头单位" in reading for reading in readings)
    assert "readings" not in parse_text(text).to_dict()


def test_a_space_between_a_name_and_its_verb_in_a_units_cell_keeps_the_role() -> None:
    text = "序号 | 重点任务 | 责任单位 |\n1 | 建设养老服务中心。 | 省民政厅 牵头，省财政厅 配合 |\n"
    assert _units(text) == [[("省民政厅", "lead"), ("省财政厅", "support")]]


def test_a_clause_that_says_who_qualifies_is_no_target() -> None:
    """国发〔2018〕39号: "…人员数量达到企业现有在职职工人数25%并与其签订1年以上劳动合同的，可申请…"."""
    text = "1. 支持吸纳就业。新招用人员数量达到职工人数25%并签订1年以上劳动合同的，可申请贷款。（财政部负责）\n"
    assert parse_text(text).tasks[0].targets == []


class TestLabelsWithoutAColon:
    """Labelled lines "with or without a colon, one per line or run together" (issue: families of real tables)."""

    def test_one_per_line_without_a_colon(self) -> None:
        text = "1.推进养老服务体系建设。\n牵头单位 省民政厅\n责任单位 省财政厅、省卫生健康委\n完成时限 2025年底\n"
        [task] = parse_text(text).tasks
        assert [(u.name, u.role) for u in task.units] == [
            ("省民政厅", "lead"),
            ("省财政厅", "responsible"),
            ("省卫生健康委", "responsible"),
        ]
        assert [(t.kind, t.deadline) for t in task.targets] == [("milestone", "2025-12-31")]

    def test_run_together_without_a_colon(self) -> None:
        [task] = parse_text("2.发展普惠托育。牵头单位省卫生健康委 配合单位省发展改革委 完成时限2024年6月底前\n").tasks
        assert (task.text, [(u.name, u.role) for u in task.units]) == (
            "发展普惠托育。",
            [("省卫生健康委", "lead"), ("省发展改革委", "support")],
        )

    def test_a_label_word_that_opens_a_sentence_stays_text(self) -> None:
        [task] = parse_text("1.牵头单位要加强协调，推进养老服务。（省民政厅负责）\n").tasks
        assert task.text == "牵头单位要加强协调，推进养老服务。"
        assert [(u.name, u.role) for u in task.units] == [("省民政厅", "responsible")]

    def test_labels_of_the_text_itself_are_dropped(self) -> None:
        text = "3.具体任务：建设社区养老服务中心。工作目标：到2025年，建成100个。牵头责任单位：省民政厅。\n"
        [task] = parse_text(text).tasks
        assert task.text == "建设社区养老服务中心。到2025年，建成100个。"
        assert [(t.value, t.unit, t.deadline) for t in task.targets] == [(100, "个", "2025-12-31")]


def test_circled_numbers_shares_in_tenths_and_ranges() -> None:
    text = (
        "①推进养老。到2025年，养老机构护理型床位占比达到六成以上。（省民政厅负责）\n"
        "②发展托育。到2025年，新增托位3-5万个。（省卫生健康委负责）\n"
        "③优化服务。实现1个环节、0成本办结。（省市场监管局负责）\n"
    )
    document = parse_text(text)
    assert [(t.number, t.text[:4]) for t in document.tasks] == [(1, "推进养老"), (2, "发展托育"), (3, "优化服务")]
    assert [(t.comparator, t.value, t.unit) for t in document.tasks[0].targets] == [(">=", 60, "%")]
    assert [t.kind for t in document.tasks[1].targets] == ["milestone"]  # a range commits to no one figure
    assert [(t.value, t.unit) for t in document.tasks[2].targets] == [(1, "个")]  # 0成本 is a word, not 0 %


def test_a_start_named_beside_a_count_under_the_rows_deadline_is_a_milestone_too() -> None:
    """大竹县 2016 row 8: "启动大竹县第十二小学建设,新建中心幼儿园2所。" | 12月底前."""
    text = (
        "2016年民生实事目标任务分解表\n序号 | 民生实事 | 责任单位 | 完成时限 |\n"
        "8 | 启动第十二小学建设,新建中心幼儿园2所。 | 县教科局 | 12月底前 |\n"
    )
    [task] = parse_text(text).tasks
    assert [(t.kind, t.value, t.deadline) for t in task.targets] == [
        ("quantity", 2, "2016-12-31"),
        ("milestone", None, "2016-12-31"),
    ]


def test_units_that_open_the_line_under_a_tasks_title() -> None:
    """兰州市: "1、在兰州设立综合配套改革试验区事宜" / "由杨志武副市长负责,市发改委牵头,相关部门配合,尽快完成…"."""
    text = (
        "1、在兰州设立综合配套改革试验区事宜\n由杨志武副市长负责,市发改委牵头,相关部门配合,尽快完成实施方案。\n"
        "2、城市轨道交通项目\n由吴继德副市长负责,市建设局牵头,市发改委配合,进一步修改完善项目建设方案。\n"
    )
    document = parse_text(text)
    assert _units(text) == [[("市发改委", "lead")], [("市建设局", "lead"), ("市发改委", "support")]]
    assert document.tasks[0].text == "在兰州设立综合配套改革试验区事宜尽快完成实施方案。"
    assert document.warnings == []  # the leader in charge is no unit, and no doubt either


def test_a_text_file_that_keeps_the_page_source_tags_between_its_paragraphs() -> None:
    """广州市 2012, a website's database dump: "…（牵头单位：市委组织部）</p><p align=\\"left\\">"."""
    text = (
        '\t\u3000\u3000二、实施人才行动计划</p><p align=\\"left\\">\n'
        "\t\u3000\u30002.紧缺人才开发项目。引进1万名左右企业紧缺人才。（牵头单位：市发展改革委，配合单位：市委组织部）"
        '</p><p align=\\"left\\">\n'
        "\t\u3000\u30003.企业家培养项目。选拔100名正职后备人才。（牵头单位：市委组织部，配合单位：市国资委）"
        '</p><p align=\\"left\\">\n'
        '\t\u3000\u30004.素质提升项目。组织轮训。（牵头单位：市经贸委，配合单位：市工商联）</p><p align=\\"left\\">\n'
    )
    document = parse_bytes(text.encode(), "dump.txt")
    assert [[(u.name, u.role) for u in t.units] for t in document.tasks] == [
        [("市发展改革委", "lead"), ("市委组织部", "support")],
        [("市委组织部", "lead"), ("市国资委", "support")],
        [("市经贸委", "lead"), ("市工商联", "support")],
    ]
    assert [(t.value, t.comparator) for t in document.tasks[0].targets] == [(10000, "=")]


def test_counts_within_a_span_of_years_are_targets_without_a_date() -> None:
    """广州市 2012: "5年内重点引进100名…，选拔100名正职后备人才、200名副职后备人才"; "选拔培养10名…，60名…"."""
    text = (
        "3.企业家培养项目。5年内重点引进100名经营管理人才，选拔100名正职后备人才、200名副职后备人才。（市委组织部负责）\n"
        "4.人才梯队项目。选拔培养10名青年拔尖人才，60名青年优秀人才。（市委宣传部负责）\n"
        "5.村官项目。力争实现“一村两名大学生村官”目标。（市委组织部负责）\n"
    )
    tasks = parse_text(text).tasks
    assert [(t.value, t.unit, t.deadline) for t in tasks[0].targets] == [(100, "名", None)] * 2 + [(200, "名", None)]
    assert [t.value for t in tasks[1].targets] == [10, 60]
    assert tasks[2].targets == []  # so many in each village: a slogan, not a count


def test_item_eleven_whose_title_opens_with_a_figure() -> None:
    """广州市 2012: "11.121人才梯队项目。" is item 11 (not the decimal 11.121)."""
    text = "".join(f"{n}.项目{n}。（市人社局负责）\n" for n in range(1, 11)) + "11.121人才梯队项目。（市科协负责）\n"
    tasks = parse_text(text).tasks
    assert [t.number for t in tasks] == list(range(1, 12))
    assert tasks[-1].text.startswith("121人才梯队项目")


def test_sections_headed_by_their_unit() -> None:
    """大通县 2010: "(九)县公安局主要工作任务:" over its items, a closing "协助单位:…" line for the section."""
    text = (
        "(八)县经济局主要工作任务:\n1、鼓励和引导淘汰落后产能。\n"
        "2、2010年底前全面完成青海新型建材工贸有限责任公司、大通元朔水泥有限责任公司两家企业生产线的淘汰工作。\n"
        "(九)县公安局主要工作任务:\n1、依法整治尾气排放年检不合格的机动车辆。\n2、依法整治运输车辆的扬尘污染。\n"
        "协助单位:交通局、县城管监察大队。\n"
        "(十一)县农牧局主要工作任务:\n依据沼气工程实施方案，全面推广沼气应用。\n"
    )
    document = parse_text(text)
    assert [[(u.name, u.role) for u in t.units] for t in document.tasks] == [
        [("县经济局", "responsible")],
        [("县经济局", "responsible")],
        [("县公安局", "responsible"), ("交通局", "support"), ("县城管监察大队", "support")],
        [("县公安局", "responsible"), ("交通局", "support"), ("县城管监察大队", "support")],
        [("县农牧局", "responsible")],
    ]
    # two plants the text names are no figure to reach: the task is a milestone
    assert [(t.kind, t.deadline) for t in document.tasks[1].targets] == [("milestone", "2010-12-31")]


def test_the_noise_of_a_copy_guarded_forum_post_is_dropped() -> None:
    """江苏交通 2017 (a forum repost): "1 ~* a/ X9 n1 f* r1 全省新改建农村公路3500公里", "6 ^4 r& ]& } B3 P10 免费…"."""
    text = (
        "2017年江苏交通十大为民服务实事项目\n+ Q$ b9 ]6 _/ \\4 c3 C\n"
        "1 ~* a/ X9 n1 f* r1 全省新改建农村公路3500公里,桥梁800座。4 y- l1 v1 q, }\n"
        "! C' F8 Q, O( h2 新增城市公交线路100条以上。* B* @3 d3 n6 ?6 d# }4 a; p4 K\n"
        "e4 X( r& j n( X5 N4 j6 ]3 全省新增58个乡镇开通镇村公交。\n"
    )
    document = parse_text(text)
    assert [t.number for t in document.tasks] == [1, 2, 3]
    assert document.tasks[1].text == "新增城市公交线路100条以上。"
    assert [(t.value, t.unit) for t in document.tasks[0].targets] == [(3500, "公里"), (800, "座")]


def test_the_parts_of_a_figure_just_set_are_targets_too() -> None:
    """江苏交通 2017 item 6: "实施完成…工程7000公里。其中,普通国省干线公路2000公里,农村公路5000公里。"."""
    text = (
        "2017年实事项目\n1 建成桥梁6座。\n2 实施完成公路安全生命防护工程7000公里。其中,普通国省干线公路2000公里,"
        "农村公路5000公里。\n3 全省公共交通出行服务信息全面上线。\n"
    )
    task = parse_text(text).tasks[1]
    assert [(t.value, t.deadline) for t in task.targets] == [
        (7000, "2017-12-31"),
        (2000, "2017-12-31"),
        (5000, "2017-12-31"),
    ]


def test_one_to_one_is_a_way_of_working_not_a_count() -> None:
    [task] = parse_text("1. 到2025年底，开展一对一帮扶100户。（市民政局负责）").tasks
    assert [(t.value, t.unit) for t in task.targets] == [(100, "户")]


def test_one_heading_that_names_its_unit_and_role_over_items_without_units() -> None:
    """沁县 2025: "一、县示范区管委会牵头工作(8项)" over "1.投资3000万元建设…" "3.…推动…30条生产线投产"."""
    text = (
        "2025年县政府工作报告任务清单\n一、县示范区管委会牵头工作(8项)\n"
        "1.投资3000万元建设南美白对虾工厂化循环水养殖基地。\n2.打造食用菌酵素生产基地。\n"
        "3.建设3个劳动密集型产业园。推动潞讯精密电子30条生产线投产,培育服装加工产业园。\n"
    )
    tasks = parse_text(text).tasks
    assert [[(u.name, u.role) for u in t.units] for t in tasks] == [[("县示范区管委会", "lead")]] * 3
    assert [(t.value, t.unit, t.deadline) for t in tasks[0].targets] == [(30000000, "元", "2025-12-31")]
    assert [(t.value, t.unit) for t in tasks[2].targets] == [(3, "个"), (30, "条")]


def test_a_progress_notice_on_one_line_with_people_and_progress_labels() -> None:
    """宁波市 2014 (a newspaper's notice, one line): "2.新增安装300套…设备。 牵头领导:王仁洲 责任单位:市公安局
    项目责任人:王伟标 配合单位:市城管局、市财政局 实际完成情况:…已完成年度目标任务的55%…"."""
    text = (
        "2014年市政府民生实事项目共有42项任务,市政府办公厅将进一步加大督查考核力度,现将1—6月份进展情况予以公示。"
        " 1.轨道交通1号线一期工程投入试运营。 牵头领导:林静国 责任单位:市轨道交通工程建设指挥部 项目责任人:尹文德"
        " 实际完成情况:已于2014年5月30日通车试运营。 2.新增安装300套路口交通信息视频采集设备。 牵头领导:王仁洲"
        " 责任单位:市公安局 项目责任人:王伟标 配合单位:市城管局、市财政局 实际完成情况:中心设备调试、"
        "前端摄像机上杆安装,整体进度已完成年度目标任务的55%。 3.新辟公交线路10条,优化调整20条。 牵头领导:王仁洲"
        " 责任单位:市交通委"
    )
    tasks = parse_text(text).tasks
    assert [[(u.name, u.role) for u in t.units] for t in tasks] == [
        [("市轨道交通工程建设指挥部", "responsible")],
        [("市公安局", "responsible"), ("市城管局", "support"), ("市财政局", "support")],
        [("市交通委", "responsible")],
    ]
    # the year of the notice's opening paragraph dates the year's counts; the progress figure is none
    assert [(t.value, t.deadline) for t in tasks[1].targets] == [(300, "2014-12-31")]
    assert [t.value for t in tasks[2].targets] == [10, 20]


def test_steps_each_with_its_own_month_in_the_year_the_sentence_named() -> None:
    """云南 2017: "…专项资金须于2017年6月底前下达60%以上、9月底前下达80%以上、11月底前全部下达到位。"."""
    text = (
        "1. 推进重大项目建设。全力推进全省20个重点项目,确保实现财政收入增长4%的目标。全省各部门预算内专项资金须于"
        "2017年6月底前下达60%以上、9月底前下达80%以上、11月底前全部下达到位。(省发展改革委、财政厅牵头)"
    )
    [task] = parse_text(text).tasks
    assert [(t.kind, t.value, t.deadline) for t in task.targets] == [
        ("quantity", 20, None),
        ("quantity", 4, None),  # "增长4%的目标" names the target, it qualifies no noun
        ("quantity", 60, "2017-06-30"),
        ("quantity", 80, "2017-09-30"),
        ("milestone", None, "2017-11-30"),
    ]


def test_a_department_after_a_local_collective_is_a_unit_of_its_own() -> None:
    """立山区 2023: "责任单位：各街道、区直各部门", "各街道、区市场局"; 广州 2012: "各有关区、县级市"."""
    assert _units("1. 甲任务。（责任单位：各街道、区直各部门）\n2. 乙任务。（责任单位：各街道、区市场局）\n") == [
        [("各街道", "local"), ("区直各部门", "responsible")],
        [("各街道", "local"), ("区市场局", "responsible")],
    ]
    assert _units("1. 丙任务。（牵头单位：市委宣传部，配合单位：各有关区、县级市）\n") == [
        [("市委宣传部", "lead"), ("各有关区、县级市", "local")]
    ]


def test_a_flattened_pdf_table_whose_rows_end_with_the_units_cell() -> None:
    """广西 2019 (a PDF table flattened by text extraction): the header survives as words in a line
    ("2019 年目标任务 牵头单位 备注"), each row ends "…发放救助金. 自治区民政厅", and the header comes back on
    every page."""
    text = (
        "2019年自治区人民政府为民办实事工程项目资金筹措计划表 单位:万元\n"
        "项目名称 合计 中央财政 市县财政\n2019 年目标任务 牵头单位 备注\n一、社保惠民项目\n"
        "(一) 城乡居民基本 养老保险项目\n760000 570000\n190000 为参保人员发放基础养老金. 自治区人力资 源社会保障厅\n"
        "(二) 困难群众救助 项目\n730000 620000\n110000 为符合条件的城乡困难群众发放 救助金. 自治区民政厅 ―\n23 ―\n"
        "项目名称 合计 中央财政 市县财政\n2019 年目标任务 牵头单位 备注\n"
        "(三) 计划生育家庭 奖扶特扶项目\n34000 13000\n21000 为农村部分计划生育家庭发放奖 励金. 自治区卫生健 康委\n"
    )
    document = parse_text(text)
    assert [[(u.name, u.role) for u in t.units] for t in document.tasks] == [
        [("自治区人力资源社会保障厅", "lead")],
        [("自治区民政厅", "lead")],
        [("自治区卫生健康委", "lead")],
    ]
    assert "牵头单位" not in document.tasks[1].text


def test_services_for_so_many_people_and_what_exceeds_a_figure() -> None:
    """黔东南州 十件民生实事: "为全州7万名35-64岁妇女免费做宫颈癌筛查", "对2000户特殊困难老年人家庭适老化改造",
    "完成超230个50户以上木质房屋连片村寨…建设", "建成…3人制篮球场20个"."""
    text = (
        "(三)\n为全州7万名35-64岁妇女免费做宫颈癌筛查。\n(四)\n对2000户特殊困难老年人家庭适老化改造。\n"
        "(七)\n建成社区健身路径或3人制篮球场20个,完善10个基层综合文化站设施设备。\n"
        "(八)\n完成超230个50户以上木质房屋连片村寨常高压给水管网建设,新建超市3个。\n"
    )
    tasks = parse_text(text).tasks
    assert [[(t.comparator, t.value, t.unit) for t in task.targets] for task in tasks] == [
        [(">=", 70000, "名")],
        [(">=", 2000, "户")],
        [(">=", 20, "个"), (">=", 10, "个")],
        [(">", 230, "个"), (">=", 3, "个")],  # 超 is 超过 right before a figure; 超市 is a word
    ]


def test_figures_run_into_a_units_list_are_no_units() -> None:
    """宁波 2014: "配合单位:市公安局、市城管局,各区政府鄞州 海曙 合计 新辟线路年度目标 2 5 1 2 10"."""
    [task] = parse_text("1. 新辟公交线路10条。(配合单位:市公安局、市城管局、2、10、5)\n").tasks
    assert [(u.name, u.role) for u in task.units] == [("市公安局", "support"), ("市城管局", "support")]


def test_a_name_that_ends_in_a_role_label_is_one_name() -> None:
    """广州 2012 task 43: "（牵头单位：市委组织部，配合单位：各项目牵头单位，各区、县级市）"."""
    [task] = parse_text("43.加强组织领导。（牵头单位：市委组织部，配合单位：各项目牵头单位，各区、县级市）\n").tasks
    assert [(u.name, u.role) for u in task.units] == [
        ("市委组织部", "lead"),
        ("各项目牵头单位", "support"),
        ("各区、县级市", "local"),
    ]


def test_lines_under_a_space_separated_row_fill_its_cells_from_the_right() -> None:
    """谯城区 2025 row 2: "2 一般公共预算收入增长5%左右。 区财政局" / "区税务局" / "区政府有关部门,…" — a narrow
    主要责任单位 column holds two units, one a line."""
    text = (
        "序号 重点工作任务 主要责任单位 协同配合单位\n"
        "1 地区生产总值增长6.5%左右。 区发改委 区政府各部门,魏武国控集团。\n"
        "2 一般公共预算收入增长5%左右。 区财政局\n区税务局\n区政府有关部门,魏武国控集团。\n"
    )
    tasks = parse_text(text).tasks
    assert [(u.name, u.role) for u in tasks[1].units] == [
        ("区财政局", "responsible"),
        ("区税务局", "responsible"),
        ("区政府有关部门", "support"),
        ("魏武国控集团", "support"),
    ]


def test_how_often_is_no_count() -> None:
    """衡水 2023: "为全市0-3岁婴幼儿进行眼检查…每年做一次视力筛查", 天津 2023: "推荐1.2万名高校毕业生…见习"."""
    text = (
        "1. 到2023年底，为学生每年做一次视力筛查。(市教育局负责)\n"
        "2. 2023年推荐1.2万名高校毕业生到见习基地开展见习。(市人社局负责)\n"
    )
    tasks = parse_text(text).tasks
    assert [t.kind for t in tasks[0].targets] == ["milestone"]  # done by the year's end, with no count
    assert [(t.value, t.unit) for t in tasks[1].targets] == [(12000, "名")]


def test_items_introduced_by_a_colon_on_one_line_and_ordinal_items() -> None:
    """甘谷县 2020: "…重点抓好15件大事和民生实事。分别是: (1)加快建设… (2)开工新建西环路… (3)…";
    岳阳市 2008: "第一件实事:全市新增城镇就业4.2万人、下岗失业人员再就业2万人…"."""
    gangu = (
        "县政府将重点抓好15件大事和民生实事。分别是: (1)加快建设县医院迁建项目。 (2)开工新建西环路。"
        " (3)完成新安大道一期工程。"
    )
    assert [t.number for t in parse_text(gangu).tasks] == [1, 2, 3]
    yueyang = (
        "岳阳市人民政府关于认真办理市政府2008年度10件实事的通知\n"
        "第一件实事:全市新增城镇就业4.2万人、下岗失业人员再就业2万人。\n"
        "第二件实事:改造建设2000公里通乡、通村公路。\n第三件实事:新建农村沼气池2.2万口。\n"
    )
    tasks = parse_text(yueyang).tasks
    assert [t.number for t in tasks] == [1, 2, 3]
    assert [(t.value, t.deadline) for t in tasks[0].targets] == [(42000, "2008-12-31"), (20000, "2008-12-31")]
    assert [(t.value, t.unit) for t in tasks[2].targets] == [(22000, "口")]


def test_units_written_once_after_a_group_of_items() -> None:
    """郑州市 2007: "1.地区生产总值增长15%;" … "4项目标的责任单位均为市发展改革委。" "该目标责任单位为市经委。"."""
    text = (
        "2007年郑州市人民政府目标管理工作方案\n1.地区生产总值增长15%;\n2.第三产业增加值达到1000亿元;\n"
        "2项目标的责任单位均为市发展改革委。\n3.规模以上工业销售收入达到3000亿元;\n该目标责任单位为市经委。\n"
    )
    assert _units(text) == [[("市发展改革委", "responsible")]] * 2 + [[("市经委", "responsible")]]


def test_the_date_a_document_was_posted_is_not_the_year_it_is_for() -> None:
    """监利市: "…《政府工作报告》2022年重点工作…的通知" / "发布时间:2021-11-22 19:30" / "2021年11月22日"."""
    text = (
        "监利市人民政府办公室关于分解落实《政府工作报告》2022年重点工作的通知\n发布时间:2021-11-22 19:30\n"
        "2021年11月22日\n1. 地区生产总值增长10%。(责任单位:市发改局)\n"
    )
    [task] = parse_text(text).tasks
    assert [t.deadline for t in task.targets] == ["2022-12-31"]


def test_two_bodies_of_one_place_joined_by_and_are_one_unit() -> None:
    """漯河市 2007: "(责任单位:高新区党工委和管委会)"; "省财政厅和省发展改革委" stay two."""
    assert _units("1. 甲任务。(责任单位:高新区党工委和管委会)\n2. 乙任务。(省财政厅和省发展改革委负责)\n") == [
        [("高新区党工委和管委会", "responsible")],
        [("省财政厅", "responsible"), ("省发展改革委", "responsible")],
    ]


def test_a_mark_before_a_name_is_no_part_of_it_and_says_no_role() -> None:
    """诸暨市 2023: "▲发改局"; 吴江区 2024: "★区发改委、统计局" — the kept text never says what the mark means."""
    assert _units("1. 甲任务。(责任单位:▲发改局、统计局)\n2. 乙任务。(责任单位:★区财政局)\n") == [
        [("发改局", "responsible"), ("统计局", "responsible")],
        [("区财政局", "responsible")],
    ]


def test_the_each_of_a_collective_covers_the_kind_of_area_after_it() -> None:
    """连云港市 2023: "共同责任单位:…,各县区、功能板块"; 海城市 2023: "各有关部门,各开发区、镇(街道)"."""
    lianyungang = "1. 新建幼儿园14所。(牵头单位:市教育局;共同责任单位:市财政局,各县区、功能板块)\n"
    assert _units(lianyungang) == [
        [("市教育局", "lead"), ("市财政局", "responsible"), ("各县区", "local"), ("功能板块", "local")]
    ]
    haicheng = "1.地区生产总值增长6.5%以上。\n牵头单位:市发展和改革局\n责任单位:各有关部门,各开发区、镇(街道)\n"
    assert _units(haicheng) == [
        [
            ("市发展和改革局", "lead"),
            ("各有关部门", "responsible"),
            ("各开发区", "responsible"),
            ("镇(街道)", "local"),
        ]
    ]


def test_the_townships_where_a_project_lies_are_local_and_a_label_run_into_the_text_ends_the_units() -> None:
    """南昌县 2024: "责任单位:江西洪城水业环保公司、属地乡镇"; "责任单位:莲塘镇任务目标:2024年计划…" (a lost break)."""
    text = (
        "2024年县政府民生实事项目\n一、排水单元雨污管网分流改造项目\n牵头单位:县城管执法局\n责任单位:江西洪城水业环保公司、属地乡镇\n"
        "二、10万平方米老旧小区改造项目\n牵头单位:县城管执法局\n"
        "责任单位:莲塘镇任务目标:2024年计划改造完成莲水巷等住宅小区,改造总建筑面积不少于10万平方米。\n"
    )
    first, second = parse_text(text).tasks
    assert [(u.name, u.role) for u in first.units][2:] == [("属地乡镇", "local")]
    assert [(u.name, u.role) for u in second.units] == [("县城管执法局", "lead"), ("莲塘镇", "responsible")]
    assert [(t.value, t.unit, t.deadline) for t in second.targets] == [(100000, "平方米", "2024-12-31")]


def test_departments_and_then_local_governments_joined_by_and_are_two_units() -> None:
    """山西 2008: "协同单位:省直各部门和各市人民政府", "省农业厅等省直有关部门和各市人民政府"."""
    text = (
        "1.全面加强审计工作。\n牵头单位:省审计厅\n协同单位:省直各部门和各市人民政府。\n"
        "2.推进乡镇机构改革。\n牵头单位:省编办\n协同单位:省财政厅、省农业厅等省直有关部门和各市人民政府。\n"
    )
    assert _units(text) == [
        [("省审计厅", "lead"), ("省直各部门", "support"), ("各市人民政府", "local")],
        [("省编办", "lead"), ("省财政厅", "support"), ("省农业厅", "support"), ("各市人民政府", "local")],
    ]


def test_a_section_headed_by_its_lead_ends_at_a_part_of_the_outline_above_it() -> None:
    """山西 2008: "二、薛延忠常务副省长负责的工作" opens a part between two "(一)省X牵头的工作" sections; an item's
    own "协同单位:" line is its alone where items carry such lines."""
    text = (
        "一、孟学农省长负责的工作\n全面负责省人民政府工作任务的落实。\n"
        "(一)省编办牵头的工作\n1.深化行政管理体制改革。\n2.推进乡镇机构改革。\n协同单位:省财政厅。\n"
        "二、薛延忠常务副省长负责的工作\n协助省长抓好省人民政府工作任务的落实。\n"
        "(一)省人民政府办公厅牵头的工作\n1.加强政府自身建设。\n协同单位:省直有关部门。\n"
        "2.认真执行省人大及其常委会的各项决议。\n协同单位:各市人民政府。\n"
    )
    assert _units(text) == [
        [("省编办", "lead")],
        [("省编办", "lead"), ("省财政厅", "support")],
        [("省人民政府办公厅", "lead"), ("省直有关部门", "support")],
        [("省人民政府办公厅", "lead"), ("各市人民政府", "local")],
    ]


def test_an_item_closed_by_its_units_after_another_is_an_item_whose_number_was_lost() -> None:
    """广州市 2006 (a mirror's copy): copy damage took the bracket and numeral of some items ("?。ǘ┩七M…")."""
    text = (
        "一、努力构建现代产业体系\n"
        "(一)加快建设三大汽车产业基地。(牵头单位:市经贸委;配合单位:市发改委、规划局)\n"
        "?。ǘ┩七M东部石化基地建设。(牵头单位:市发改委;配合单位:市经贸委、黄埔区政府)\n"
        "(三)加快三大国际枢纽物流园区建设。(牵头单位:市交委;配合单位:外经贸局)\n"
    )
    tasks = parse_text(text).tasks
    assert [t.number for t in tasks] == [1, 2, 3]
    assert [(u.name, u.role) for u in tasks[1].units] == [
        ("市发改委", "lead"),
        ("市经贸委", "support"),
        ("黄埔区政府", "support"),
    ]


def test_a_title_broken_after_its_issue_word_does_not_end_the_document() -> None:
    """百色市 2009: "百色市人民政府关于印发" / "2009年为民办好十件实事实施方案的通知" / "一、…" "二、…" "三、…"."""
    text = (
        "百色市人民政府关于印发\n2009年为民办好十件实事实施方案的通知\n(百政发〔2009〕17号)\n"
        "一、新建乡村公路和屯级道路571条,改善农村交通条件。\n二、继续实施农村安全饮水工程。\n"
        "三、新建经济适用房15万平方米,解决一批困难户的住房问题。\n"
    )
    tasks = parse_text(text).tasks
    assert [t.number for t in tasks] == [1, 2, 3]
    assert [(t.value, t.unit, t.deadline) for t in tasks[0].targets] == [(571, "条", "2009-12-31")]


def test_an_indicator_table_one_cell_a_line_numbered_like_items_with_a_progress_column() -> None:
    """普陀区 2021 表1: 类别 | 指标名称 | 年度目标 | 完成情况 | 责任部门, rows "1、…", the 类别 merged over rows, a cell
    broken over two lines, one unit a line; the progress column gives no target."""
    text = (
        "普陀区2021年上半年国民经济和社会发展计划执行情况\n类别\n指标名称\n年度目标\n完成情况\n责任部门\n高质量发展\n"
        "1、区级财政收入增长率\n6%以上\n28.97%\n区财政局\n"
        "2、四大重点培育产业占区级税收\n比重\n提升4个\n百分点\n提升3.89个百分点\n区科委\n区金融办\n"
        "3、新认定市级高新技术企业\n30家\n年度指标\n区科委\n高品质生活\n"
        "4、城乡登记失业人数\n控制在\n10410人内\n7919人\n区人社局\n"
    )
    tasks = parse_text(text).tasks
    assert [t.number for t in tasks] == [1, 2, 3, 4]
    units = [["区财政局"], ["区科委", "区金融办"], ["区科委"], ["区人社局"]]
    assert [[u.name for u in t.units] for t in tasks] == units
    assert [[(x.comparator, x.value, x.unit) for x in t.targets] for t in tasks] == [
        [(">=", 6, "%")],
        [(">=", 4, "个百分点")],
        [(">=", 30, "家")],
        [("<=", 10410, "人")],
    ]


def test_a_leaders_name_in_a_row_one_cell_a_line_is_no_line_of_its_units_cell() -> None:
    """吴江区 2024: 序号 | 项目 | 重点工作目标任务 | 牵头领导 | 责任单位, a "|" line after every cell, items "N."
    under a group row, the leader ("钱 宇") written on some rows only."""
    cells = [
        "序号", "项目", "重点工作目标任务", "牵头领导", "责任单位",
        "1", "主要预期目标", "1.地区生产总值增长5%以上。", "钱 宇", "★区发改委、统计局",
        "2.规上工业总产值增长5%左右。", "", "★区工信局、统计局",
        "3.全社会固定资产投资增长5%左右。", "钱 宇", "★区发改委、统计局",
    ]  # fmt: skip
    text = "区政府2024年重点工作目标任务分解落实方案\n" + "".join(f"{cell}\n|\n" for cell in cells)
    assert _units(text) == [
        [("区发改委", "responsible"), ("统计局", "responsible")],
        [("区工信局", "responsible"), ("统计局", "responsible")],
        [("区发改委", "responsible"), ("统计局", "responsible")],
    ]


def test_units_closing_a_paragraph_in_tortoise_shell_brackets() -> None:
    """辽宁 2026: "…等经济社会发展主要预期目标。〔省发展改革委、省财政厅等牵头,省(中)直有关单位按职责分工负责〕"."""
    text = (
        "2026年省《政府工作报告》重点工作分工方案\n"
        "一、推动完成地区生产总值增长4.5%左右等主要预期目标。"
        "〔省发展改革委、省财政厅等牵头,省(中)直有关单位按职责分工负责〕\n"
        "二、出台一批务实管用举措。(省发展改革委牵头,省税务局等按职责分工负责)\n"
    )
    assert _units(text) == [
        [("省发展改革委", "lead"), ("省财政厅", "lead"), ("省(中)直有关单位", "responsible")],
        [("省发展改革委", "lead"), ("省税务局", "responsible")],
    ]


def test_sub_items_with_units_under_an_item_with_units_are_the_tasks_and_reports_after_them_are_not() -> None:
    """安顺市 2019 (a year-end report): "一、…(责任单位:…)该件实事已全面完成" over "1.…(责任单位:…)", each followed by
    "此项工作已完成。截至2019年12月底,全市完成…" — progress, whose figures are no targets."""
    text = (
        "一、减少农村扶贫对象6.76万人;实施易地扶贫搬迁18695人。(责任单位:市扶贫办、市移民局,各县区政府)该件实事已全面完成\n"
        "1.减少农村扶贫对象6.76万人(责任单位:市扶贫办,各县区)\n"
        "此项工作已完成。截至2019年12月底,全市完成减少农村扶贫对象7.497万人。\n"
        "2.实施易地扶贫搬迁18695人。(责任单位:市移民局,西秀区)\n"
        "二、解决6万人农村饮水安全问题。(责任单位:市水务局,各县区政府)该件实事已全面完成\n"
        "此项工作已完成。截至2019年12月底,解决6.007万人的农村饮水安全问题。\n"
    )
    tasks = parse_text(text).tasks
    assert [[(u.name, u.role) for u in t.units] for t in tasks] == [
        [("市扶贫办", "responsible"), ("各县区", "local")],
        [("市移民局", "responsible"), ("西秀区", "responsible")],
        [("市水务局", "responsible"), ("各县区政府", "local")],
    ]
    assert [[x.value for x in t.targets] for t in tasks] == [[67600], [18695], [60000]]


def test_a_progress_table_one_cell_a_line_with_columns_after_the_units() -> None:
    """祁门县 民生工程: 序号 | 类别 | 项目名称 | 目标任务 | 牵头单位 | 目标任务 | 累计完成 | 累计进度 | 备注, each cell
    ending in " |", an empty cell a bare "|"; the 类别 written on a category's first row only; a project's second
    commitment on a row of its own under the first, with its figures."""
    cells = [
        "序号", "类别", "项目名称", "目标任务", "牵头单位", "目标任务", "累计完成", "累计进度", "备注",
        "1", "一、就业促进(3项)", "促进重点群体稳定就业", "城镇新增就业1100人", "县人社局",
        "1100", "1063", "96.64%", "",
        "2", "放心家政行动", "培训家政服务人员613人次", "县科商工信局", "613", "626", "102.12%", "",
        "新增家政服务人员275人", "275", "284", "103.27%", "",
        "3", "加强城乡公益性公墓建设管理", "推进不少于7个城乡公益性公墓新建", "县民政局", "7", "7", "100%", "",
    ]  # fmt: skip
    tasks = parse_text("".join(f"{cell} |\n" if cell else "|\n" for cell in cells)).tasks
    assert [[(u.name, u.role) for u in t.units] for t in tasks] == [
        [("县人社局", "lead")],
        [("县科商工信局", "lead")],
        [("县民政局", "lead")],
    ]
    assert [[(x.value, x.unit) for x in t.targets] for t in tasks] == [
        [(1100, "人")],
        [(613, "人次"), (275, "人")],
        [(7, "个")],
    ]


def test_a_units_column_that_names_its_head_too_and_a_benefits_standard() -> None:
    """肇庆市 2020: 序号 | 工作任务 | 分管 市领导 | 牵头单位及 主要负责人 | 落实进展情况, the cell "市民政局 伍泽国";
    the tasks raise what a benefit pays each person ("每人每月609元、300元", "标准的1.6倍"), which counts nothing."""
    text = (
        "大类 | 序号 | 工作任务 | 分管 市领导 | 牵头单位及 主要负责人 | 落实进展情况 |\n"
        "一、继续提高底线民生保障水平 | 1 | 将城镇、农村低保人均最低补差水平从每人每月574元、271元"
        "分别提高到每人每月609元、300元。 | 陈宣群 | 市民政局 伍泽国 | 已完成。 |\n"
        "2 | 特困供养人员基本生活标准不低于当地最低生活保障标准的1.6倍。 | 陈宣群 | 市民政局 伍泽国 | 已完成。 |\n"
    )
    tasks = parse_text(text).tasks
    assert [[(u.name, u.role) for u in t.units] for t in tasks] == [[("市民政局", "lead")]] * 2
    assert [t.targets for t in tasks] == [[], []]


def test_a_count_of_the_things_a_later_figure_is_for_is_no_target() -> None:
    """绍兴市 2020: "确保有效投资增长高于经济增长、4个结构性指标均实现10%以上增长"; 昆明市 2023: "抽检800批次"."""
    text = (
        "市政府2020年重点工作一季度进展情况表\n"
        "1.持续推进重大项目攻坚,确保有效投资增长高于经济增长、4个结构性指标均实现10%以上增长,市县长项目落地率50%以上。"
        "(责任单位:市发改委)\n2.开展药品抽检800批次。(责任单位:市市场监管局)\n"
    )
    first, second = parse_text(text).tasks
    assert [(t.comparator, t.value, t.unit) for t in first.targets] == [(">=", 10, "%"), (">=", 50, "%")]
    assert [(t.value, t.unit) for t in second.targets] == [(800, "批次")]


def test_counts_of_a_progress_report_the_kind_a_rate_is_of_and_a_second_count_at_the_end() -> None:
    """黔东南州 2023: "新开工老旧小区改造221个3万户" (two counts), "实现30户以上自然村寨…覆盖率达95%以上" (which
    villages), "安置就业困难人员6100人"; 铜川市 2025: "举办…促消费活动150场次", "加快10个商贸项目建设"."""
    text = (
        "黔东南州2023年度十件民生实事1-3月推进情况\n"
        "1.城镇公益性岗位安置就业困难人员6100人。(责任单位:州人力资源社会保障局)\n"
        "2.实现30户以上自然村寨垃圾收运设施覆盖率达95%以上。(责任单位:州住房城乡建设局)\n"
        "3.新开工老旧小区改造221个3万户。(责任单位:州住房城乡建设局)\n"
        "4.精心举办“秦乐购”促消费活动150场次。(市商务局负责)\n"
        "5.加快10个商贸项目建设。(市商务局负责)\n"
    )
    assert [[(x.value, x.unit) for x in t.targets] for t in parse_text(text).tasks] == [
        [(6100, "人")],
        [(95, "%")],
        [(221, "个"), (30000, "户")],
        [(150, "场次")],
        [(10, "个")],
    ]


def test_projects_numbered_in_their_name_over_rows_of_their_own_without_number() -> None:
    """新昌县 2021: 项目名称 | 工作任务 | 计划完成时间 | 牵头单位, no 序号 column; a project's later rows leave its
    merged name out, some rows hold only a date and a unit ("2021.8 | 城投集团 | ||"), and rows end in empty cells."""
    text = (
        "2021年新昌县政府十方面民生实事进展情况登记表\n项目名称 | 工作任务 | 计划完成时间 | 牵头单位 |\n"
        "1.城市人居环境提升项目 | 对人民中路等3条城区道路进行综合提升改造; | 11月 | 建设局 |\n"
        "2021.8 | 城投集团 | ||\n对七星路等重点区域进行绿化亮化提档升级; | 2021.12 | 城投集团 | |\n"
        "新建城市口袋公园2处; | 11月 | 建设局 | |\n"
        "2.生态公墓建设项目 | 新建生态公益性墓地15处,新增墓穴10000穴。 | 10月底 | 民政局 |\n"
    )
    first, second = parse_text(text).tasks
    assert (first.number, second.number) == (1, 2)
    assert [u.name for u in first.units] == ["建设局", "城投集团"]
    assert [(t.kind, t.value, t.deadline) for t in first.targets] == [
        ("quantity", 3, "2021-11-30"),
        ("milestone", None, "2021-12-31"),
        ("quantity", 2, "2021-11-30"),
    ]
    assert [(t.value, t.unit) for t in second.targets] == [(15, "处"), (10000, "穴")]


def test_so_many_people_written_onto_the_noun_and_a_level_reached_about() -> None:
    """昆明市 2023: "提升3万农村人口供水保障水平"; 衢江区 2024: "为3.078万60岁以上老年人免费接种流感疫苗"; 黔东南州:
    "村级就业公共服务覆盖率达80%左右"."""
    text = (
        "2023年惠民实事\n1.实施农村供水保障工程,提升3万农村人口供水保障水平。(责任单位:市水务局)\n"
        "2.为3.078万60岁以上老年人免费接种流感疫苗。(责任单位:区卫生健康局)\n"
        "3.村级就业公共服务覆盖率达80%左右。(责任单位:县人社局)\n"
    )
    assert [[(x.comparator, x.value, x.unit) for x in t.targets] for t in parse_text(text).tasks] == [
        [(">=", 30000, "人")],
        [(">=", 30780, "人")],
        [("=", 80, "%")],
    ]


def test_a_deadline_cell_that_numbers_its_dates_dates_each_measure_of_the_task() -> None:
    """新昌县 2021: "计划投资1067万元,完成22所学校校园空调安装工程(二期);持续推进幼儿园建设,…" beside
    "1.2021年8月 2.2021年12月"."""
    text = (
        "项目名称 | 工作任务 | 计划完成时间 | 牵头单位 |\n"
        "1.教育设施提升项目 | 计划投资1067万元,完成22所学校校园空调安装工程(二期);持续推进幼儿园建设,"
        "城北幼儿园、天姥幼儿园投入使用。 | 1.2021年8月 2.2021年12月 | 教体局 |\n"
        "2.农贸市场综合提升项目 | 建成农副产品交易物流区域并投入运行;动工建设南岩农贸市场。"
        " | 1、物流中心2021年7月1日项目投入试运营 2、南岩农贸市场计划2022年12月底完成项目建设 | 公共服务集团 |\n"
    )
    first, second = parse_text(text).tasks
    assert [(t.kind, t.value, t.deadline) for t in first.targets] == [
        ("quantity", 10670000, "2021-08-31"),
        ("quantity", 22, "2021-08-31"),
        ("milestone", None, "2021-12-31"),
    ]
    assert [(t.kind, t.deadline) for t in second.targets] == [("milestone", "2021-07-01"), ("milestone", "2022-12-31")]


def test_a_figure_in_brackets_without_a_comparator_describes_what_is_named() -> None:
    """苍南县 2022: "开工建设海塘安澜(南片海塘4.65公里)。"; 衢江区 2024: "(基层医疗机构门诊报销比例≥50%)" commits."""
    text = (
        "2022年度市县民生实事项目清单\n1.开工建设海塘安澜(南片海塘4.65公里)。(牵头单位:县水利局)\n"
        "2.全省共享基层门诊签约报销比例(基层医疗机构门诊报销比例≥50%)。(牵头单位:区医疗保障局)\n"
    )
    first, second = parse_text(text).tasks
    assert first.targets == []
    assert [(t.comparator, t.value, t.unit) for t in second.targets] == [(">=", 50, "%")]


def test_a_plants_capacity_run_into_a_project_names_the_project() -> None:
    """广州市 2006: "推进东部石化基地建设,抓好80万吨乙烯改扩建项目。"; a count of works (新建停车场3处) still counts."""
    text = (
        "2006年政府工作报告要求重点做好的工作事项\n"
        "(一)推进东部石化基地建设,抓好80万吨乙烯改扩建项目。(牵头单位:市发改委)\n"
        "(二)新建停车场3处。(牵头单位:市建委)\n"
    )
    first, second = parse_text(text).tasks
    assert first.targets == []
    assert [(t.value, t.unit) for t in second.targets] == [(3, "处")]


def test_a_heading_without_an_end_mark_runs_on_into_its_first_item_on_a_page_without_line_breaks() -> None:
    """国办发〔2020〕24号, the body on one line: "…现提出以下意见。一、持续提升投资建设便利度（一）优化再造…（…负责）
    （二）…（…负责）二、进一步简化企业生产经营审批和条件（四）…"."""
    text = (
        "经国务院同意，现提出以下意见。一、持续提升投资建设便利度（一）优化再造投资项目前期审批流程。"
        "加快项目落地。（国家发展改革委牵头，国务院相关部门及各地区按职责分工负责）（二）进一步提升工程建设项目审批效率。"
        "全面推行分级分类管理。（住房城乡建设部牵头，国务院相关部门及各地区按职责分工负责）"
        "二、进一步简化企业生产经营审批和条件（三）进一步降低市场准入门槛。列出台账。（国家发展改革委、教育部等国务院相关部门"
        "及各地区按职责分工负责）"
    )
    document = parse_text(text)
    assert [(t.number, t.text) for t in document.tasks] == [
        (1, "优化再造投资项目前期审批流程。加快项目落地。"),
        (2, "进一步提升工程建设项目审批效率。全面推行分级分类管理。"),
        (3, "进一步降低市场准入门槛。列出台账。"),
    ]
    assert [(u.name, u.role) for u in document.tasks[0].units] == [
        ("国家发展改革委", "lead"),
        ("国务院相关部门", "responsible"),
        ("各地区", "local"),
    ]


def test_the_closing_paragraph_run_on_after_the_last_items_units_is_no_part_of_it() -> None:
    """国办发〔2020〕24号: "（二十）抓好惠企政策兑现。…（各地区、各部门负责）各地区、各部门要认真贯彻落实本意见…
    相关落实情况年底前报国务院。…国务院办公厅2020年7月15日（此件公开发布）"."""
    text = (
        "（一）建立常态化政企沟通联系机制。及时回应企业和群众诉求。（国务院办公厅牵头，国务院相关部门和单位及各地区按职责分工负责）"
        "（二）抓好惠企政策兑现。加快实现一次申报、全程网办、快速兑现。（各地区、各部门负责）各地区、各部门要认真贯彻落实"
        "本意见提出的各项任务和要求，相关落实情况年底前报国务院。国务院办公厅2020年7月15日（此件公开发布）"
    )
    first, second = parse_text(text).tasks
    assert [(u.name, u.role) for u in first.units] == [
        ("国务院办公厅", "lead"),
        ("国务院相关部门和单位", "responsible"),
        ("各地区", "local"),
    ]
    assert second.text == "抓好惠企政策兑现。加快实现一次申报、全程网办、快速兑现。"
    assert [(u.name, u.role) for u in second.units] == [("各地区", "local"), ("各部门", "responsible")]
    assert second.targets == []  # 一次申报 is done in one go, no count


def test_sub_items_under_an_item_with_units_of_its_own_are_the_tasks() -> None:
    """国办发〔2020〕43号: "（一）…（财政部…等国务院相关部门及各地区按职责分工负责）具体措施：1．…（…）2．…（…）
    （二）…", full-width numbers starting again under each item, one run into its date ("3．2020年底前开展…")."""
    text = (
        "一、把实施好宏观政策和深化“放管服”改革结合起来，提高宏观政策实施的时效性和精准性（一）研究将财政资金直达机制实施中的"
        "好做法制度化。（财政部、国家发展改革委等国务院相关部门及各地区按职责分工负责）具体措施：1．及时总结财政资金直达基层的"
        "经验做法。（财政部牵头，国务院相关部门及各地区按职责分工负责）2．2020年底前开展涉企收费专项治理。（市场监管总局牵头，"
        "海关总署等国务院相关部门及各地区按职责分工负责）（二）让企业融资更加便利。（人民银行、银保监会牵头，国务院相关部门及各地区"
        "按职责分工负责）具体措施：1．完善商业银行绩效评价。（财政部、人民银行、银保监会按职责分工负责）"
        "二、放要放出活力、放出创造力（三）下决心取消不必要的审批。（国务院办公厅牵头，各地区、各部门负责）具体措施：1．在自由贸易"
        "试验区试点商事主体登记确认制改革。（市场监管总局及相关地区按职责分工负责）"
    )
    document = parse_text(text)
    assert [(t.number, t.text) for t in document.tasks] == [
        (1, "及时总结财政资金直达基层的经验做法。"),
        (2, "2020年底前开展涉企收费专项治理。"),
        (3, "完善商业银行绩效评价。"),
        (4, "在自由贸易试验区试点商事主体登记确认制改革。"),
    ]
    assert [(u.name, u.role) for u in document.tasks[1].units] == [
        ("市场监管总局", "lead"),
        ("海关总署", "responsible"),
        ("各地区", "local"),
    ]
    assert [(u.name, u.role) for u in document.tasks[3].units] == [
        ("市场监管总局", "responsible"),
        ("相关地区", "local"),
    ]
    assert [(t.kind, t.deadline) for t in document.tasks[1].targets] == [("milestone", "2020-12-31")]


def test_each_date_that_opens_a_step_and_a_date_before_counts() -> None:
    """国办发〔2020〕43号: "2020年底前组织开展…全面自查，2021年3月底前对…开展检查" gives two milestones;
    "2021年底前在全国实现“证照分离”改革全覆盖，…力争达到100项以上" a milestone besides the count; 24号:
    "压缩至4个月以内" counts months."""
    text = (
        "1．2020年底前组织开展行业协会商会收费情况全面自查，2021年3月底前对行业协会商会乱收费自查等情况开展检查。"
        "（市场监管总局、民政部牵头，国务院相关部门及各地区按职责分工负责）\n"
        "2．着力推进简化审批，2021年底前在全国实现“证照分离”改革全覆盖，其中，取消审批的事项力争达到100项以上，"
        "自由贸易试验区力争达到150项。（国务院办公厅牵头，国务院相关部门及各地区按职责分工负责）\n"
        "3．2020年底前将商标注册平均审查周期压缩至4个月以内。（国家知识产权局负责）\n"
    )
    first, second, third = parse_text(text).tasks
    assert [(t.kind, t.subject, t.deadline) for t in first.targets] == [
        ("milestone", "组织开展行业协会商会收费情况全面自查", "2020-12-31"),
        ("milestone", "对行业协会商会乱收费自查等情况开展检查", "2021-03-31"),
    ]
    assert [(t.kind, t.value, t.deadline) for t in second.targets] == [
        ("quantity", 100, "2021-12-31"),
        ("quantity", 150, "2021-12-31"),
        ("milestone", None, "2021-12-31"),
    ]
    assert [(t.comparator, t.value, t.unit, t.deadline) for t in third.targets] == [("<=", 4, "个月", "2020-12-31")]


def test_a_role_verb_rewritten_by_a_synonym_tool() -> None:
    """广东 2023, a copy whose words a synonym tool rewrote: "（省生长改造委牵头卖力）", "（…能源局等省有关部门和
    各地级以上市人民政府按职责分工卖力）"."""
    text = (
        "1.聚焦重大工程,多种方式吸引民间资源介入。(省生长改造委牵头卖力)\n"
        "2.推行市场化运作,激励支持民间资源介入。(省生长改造委、交通运输厅、能源局等省有关部门和各地级以上市人民政府按职责分工卖力)\n"
    )
    assert _units(text) == [
        [("省生长改造委", "lead")],
        [
            ("省生长改造委", "responsible"),
            ("交通运输厅", "responsible"),
            ("能源局", "responsible"),
            ("各地级以上市人民政府", "local"),
        ],
    ]


def test_a_label_alone_on_its_line_over_its_value() -> None:
    """同心县 2023, one task a page: "具体任务" / "全面落实…" / "责任单位" / "卫健局、文旅局" / "配合单位" /
    "各乡镇"."""
    text = (
        "具体任务\n全面落实疫情防控“新十条”,守好疫情防线;举办同心县第四届运动会。\n"
        "责任单位\n卫健局、文旅局\n配合单位\n各乡镇\n完成时限\n方舱医院升级改造,1月底前完成;其它事项12月底前取得明显成效\n"
    )
    (task,) = parse_text(text).tasks
    assert task.text == "全面落实疫情防控“新十条”,守好疫情防线;举办同心县第四届运动会。"
    assert [(u.name, u.role) for u in task.units] == [
        ("卫健局", "responsible"),
        ("文旅局", "responsible"),
        ("各乡镇", "local"),
    ]


def test_a_ranking_without_units_is_no_list_of_tasks_and_a_report_after_the_units_label_is_none() -> None:
    """六安市 2021 进度通报: "一、…综合排名" over "1、金寨县;2、金安区;…", then "二、部分项目进展情况" over
    "1、学前教育促进,牵头单位:市教体局。其中,8月份督查暗访发现问题整改不到位的为舒城县。"."""
    text = (
        "六安市1至8月份民生工程实施进度通报\n一、各县区民生工程实施进度综合排名\n1、金寨县;2、金安区;3、裕安区。\n"
        "二、部分项目进展情况\n1、学前教育促进,牵头单位:市教体局。其中,8月份督查暗访发现问题整改不到位的为舒城县。\n"
        "2、中小学及中职学校教师培训,牵头单位:市教体局。其中,中小学教师培训进度较慢的为叶集区。\n"
    )
    document = parse_text(text)
    assert [(t.number, t.text, [(u.name, u.role) for u in t.units]) for t in document.tasks] == [
        (1, "学前教育促进", [("市教体局", "lead")]),
        (2, "中小学及中职学校教师培训", [("市教体局", "lead")]),
    ]


def test_an_extract_of_a_table_keeps_its_rows_numbers_under_the_headings() -> None:
    """谯城区教育局 2025: the bureau's rows of the district's table, one cell a line, "3" under "一、…", then headings
    with no rows under them and "68" under "六、…"."""
    text = (
        "序号\n\n重点工作任务\n\n主要责任单位\n\n协同配合单位\n\n一、2025年经济社会发展的主要预期目标\n\n3\n\n"
        "固定资产投资增长7.5%左右。\n\n区发改委\n\n区工信局、区住建局。\n\n二、全力以赴扩投资、优服务\n\n"
        "三、全力以赴惠民生、增福祉\n\n68\n\n持续推进学前教育普及普惠。\n\n区教育局\n\n区政府有关部门,各乡镇人民政府、街道办事处。\n\n"
        "69\n\n深化与海亮集团合作。\n\n区教育局\n\n区投资促进中心。\n"
    )
    document = parse_text(text)
    assert [(t.number, t.text) for t in document.tasks] == [
        (3, "固定资产投资增长7.5%左右。"),
        (68, "持续推进学前教育普及普惠。"),
        (69, "深化与海亮集团合作。"),
    ]
    assert [(u.name, u.role) for u in document.tasks[1].units] == [
        ("区教育局", "responsible"),
        ("区政府有关部门", "support"),
        ("各乡镇人民政府", "local"),
        ("街道办事处", "local"),
    ]


def test_numbers_that_open_a_sentence_are_no_section_heading() -> None:
    """ "一、二季度" after a sentence's end names two quarters; the item goes on."""
    text = "（一）完成摸底。一、二季度开展集中整治。（市住建局负责）\n（二）开展验收。（市水务局负责）\n"
    assert [t.text for t in parse_text(text).tasks] == ["完成摸底。一、二季度开展集中整治。", "开展验收。"]
