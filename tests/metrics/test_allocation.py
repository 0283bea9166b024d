"""Allocation of a province target (目标分解) on hand-worked examples: the province target met exactly, and how
whole counts are rounded."""

from __future__ import annotations

import pytest

from duban.metrics.allocation import (
    AllocationError,
    Goal,
    Unit,
    allocate,
    largest_remainder,
    ratio_of_sums,
    required_count,
    table_shares,
)

BEDS = Goal(32.0, ">=", 1000.0)  # 每千名老年人口拥有养老床位数 ≥ 32
# 60+ population and beds today: A is behind, B already past 32 per 1000, C far behind.
UNITS = [Unit("A", "甲市", 100_000, 2_000), Unit("B", "乙市", 50_000, 1_800), Unit("C", "丙县", 30_000, 500)]


def test_by_need_shares_the_beds_still_needed_by_the_gaps() -> None:
    shares = allocate(BEDS, UNITS, "need")
    # Required: 32 × 180,000 / 1000 = 5,760 beds. Fair parts by population 3,200 / 1,600 / 960; gaps 1,200 / 0 /
    # 460 (B has 1,800 > 1,600); still needed 5,760 − 4,300 = 1,460, shared 1,460 × 1,200/1,660 = 1,055.42 to A
    # and 1,460 × 460/1,660 = 404.58 to C: 3,055.42 / 1,800 / 904.58, whole: 3,055 / 1,800 / 905 (C has the
    # larger fraction and takes the last bed).
    assert [s.count for s in shares] == [3055, 1800, 905]
    assert [round(s.value, 4) for s in shares] == [30.55, 36.0, 30.1667]
    assert ratio_of_sums(BEDS, shares) == pytest.approx(32.0, abs=1e-12)
    assert sum(s.count for s in shares) == 5760


def test_equal_rate_is_the_province_rate_everywhere() -> None:
    shares = allocate(BEDS, UNITS, "equal")
    assert [s.count for s in shares] == [3200, 1600, 960]
    assert all(s.value == pytest.approx(32.0) for s in shares)


def test_equal_count_adds_up_exactly_with_ties_to_the_earlier_unit() -> None:
    goal = Goal(15_000, ">=")  # 培训养老护理人员 15,000 人次
    units = [Unit(f"U{i:02}", f"单位{i}", None) for i in range(19)]
    shares = allocate(goal, units, "equal")
    # 15,000 / 19 = 789.47: 19 × 789 = 14,991, and the 9 left go to the first nine units.
    assert [s.value for s in shares] == [790.0] * 9 + [789.0] * 10
    assert sum(s.value for s in shares) == 15_000


def test_a_rate_rounds_the_required_count_towards_meeting_the_target() -> None:
    units = [Unit("A", "甲市", 60_001), Unit("B", "乙市", 40_000)]
    # 32 × 100,001 / 1000 = 3,200.032 beds: 3,201, so that the ratio is not 31.9999.
    assert required_count(BEDS, units) == 3201
    assert required_count(Goal(5.0, "<=", 1000.0), units) == 500
    shares = allocate(BEDS, units, "equal")
    assert sum(s.count for s in shares) == 3201
    assert ratio_of_sums(BEDS, shares) >= 32.0


def test_by_need_when_nothing_more_is_needed_gives_the_fair_parts() -> None:
    rich = [Unit("A", "甲市", 100_000, 4_000), Unit("B", "乙市", 50_000, 1_000)]
    assert [s.count for s in allocate(BEDS, rich, "need")] == [3200, 1600]


def test_largest_remainder() -> None:
    assert largest_remainder([1.5, 1.5, 1.0], 4) == [2, 1, 1]
    assert largest_remainder([0.2, 0.3, 0.5], 1) == [0, 0, 1]


def test_a_table_of_counts_must_add_up() -> None:
    goal = Goal(100, ">=")
    units = [Unit("A", "甲市", None), Unit("B", "乙市", None)]
    assert [s.value for s in table_shares(goal, units, [(2, "A", 60), (3, "B", 40)])] == [60, 40]
    with pytest.raises(AllocationError, match="合计99，与全省目标100不符"):
        table_shares(goal, units, [(2, "A", 60), (3, "B", 39)])


def test_a_table_of_rates_is_judged_by_the_ratio_of_sums() -> None:
    # 30.55 × 100 + 36 × 50 + 30.17 × 30 = 3,055 + 1,800 + 905.1 = 5,760.1 beds on 180,000: 32.0006 ≈ 32.
    shares = table_shares(BEDS, UNITS, [(2, "A", 30.55), (3, "B", 36), (4, "C", 30.17)])
    assert ratio_of_sums(BEDS, shares) == pytest.approx(32.0, abs=0.005)
    with pytest.raises(AllocationError, match="份额合计为30，与全省目标32不符"):
        table_shares(BEDS, UNITS, [(2, "A", 30), (3, "B", 30), (4, "C", 30)])


def test_a_bad_table_names_every_row() -> None:
    goal = Goal(100, ">=")
    units = [Unit("A", "甲市", None), Unit("B", "乙市", None), Unit("C", "丙县", None)]
    with pytest.raises(AllocationError) as caught:
        table_shares(goal, units, [(2, "A", -5), (3, "X", 50), (4, "A", 10)])
    assert caught.value.problems == [
        "第2行：甲市的份额“-5”应为不小于0的数",
        "第3行：单位“X”不是本方案的市县",
        "第4行：甲市的份额已在第2行给出",
        "缺少以下市县的份额：乙市、丙县",
    ]


def test_need_refuses_units_without_a_basis_and_lower_is_better_targets() -> None:
    # 乙市 has no population to size a rate on: the target is shared among the others, still met exactly.
    shares = allocate(BEDS, [Unit("A", "甲市", 1000, 10), Unit("B", "乙市", None)], "need")
    assert [(s.code, s.count) for s in shares] == [("A", 32)]
    with pytest.raises(AllocationError, match="均暂无分母数据"):
        allocate(BEDS, [Unit("B", "乙市", None)], "need")
    with pytest.raises(AllocationError, match="不低于"):
        allocate(Goal(5.0, "<=", 1000.0), UNITS, "need")
    with pytest.raises(AllocationError, match="分解方式"):
        allocate(BEDS, UNITS, "lottery")
