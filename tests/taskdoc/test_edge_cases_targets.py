"""Small hand-worked cases for what real task tables do and what docs/parser.md promises:
targets, deadlines and milestones.

Every expected value below was worked out by hand from docs/parser.md, not copied from the parser's output.
"""

from __future__ import annotations

from typing import Any

import pytest

from duban.taskdoc.targets import find_deadline
from tests.taskdoc.edge_cases import (
    milestone,
    parse,
    quantity,
    targets,
    units_of,
)

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
