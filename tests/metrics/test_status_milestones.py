"""Target status on hand-worked examples; the arithmetic of each is written out beside it.

This file: milestones, which have a deadline and no number.
"""

from __future__ import annotations

from datetime import date

from duban.metrics.status import (
    ACHIEVED,
    OPEN,
    OVERDUE,
    assess_milestone,
)

# ---------------------------------------------------------------------------------------------------------------
# Milestones: 到2022年底，全面建立特殊困难老年人居家探访制度

MILESTONE_DEADLINE = date(2022, 12, 31)


def test_milestone_done_in_time() -> None:
    result = assess_milestone(deadline=MILESTONE_DEADLINE, done_on=date(2022, 11, 30), as_of=date(2023, 1, 5))
    assert (result.status, result.days_left, result.days_late) == (ACHIEVED, None, 0)
    assert result.reason == "done on 2022-11-30, by the deadline 2022-12-31"
    assert result.reason_zh == "已于2022年11月30日按期完成（期限2022年12月31日）"


def test_milestone_done_on_the_deadline_is_in_time() -> None:
    result = assess_milestone(deadline=MILESTONE_DEADLINE, done_on=MILESTONE_DEADLINE, as_of=date(2023, 1, 5))
    assert (result.status, result.days_late) == (ACHIEVED, 0)


def test_milestone_done_late() -> None:
    # 2022-12-31 → 2023-02-14: 31 days of January + 14 = 45 days late.
    result = assess_milestone(deadline=MILESTONE_DEADLINE, done_on=date(2023, 2, 14), as_of=date(2023, 3, 1))
    assert (result.status, result.days_late) == (ACHIEVED, 45)
    assert result.reason == "done on 2023-02-14, 45 days after the deadline 2022-12-31"
    assert result.reason_zh == "已于2023年2月14日完成，逾期45天（期限2022年12月31日）"


def test_milestone_open_with_days_left() -> None:
    # 2022-09-02 → 2022-12-31: 28 days of September + 31 + 30 + 31 = 120.
    result = assess_milestone(deadline=MILESTONE_DEADLINE, done_on=None, as_of=date(2022, 9, 2))
    assert (result.status, result.days_left, result.days_late) == (OPEN, 120, None)
    assert result.reason == "not yet done; 120 days left to the deadline 2022-12-31"
    assert result.reason_zh == "尚未完成，距期限2022年12月31日还有120天"
    assert assess_milestone(deadline=MILESTONE_DEADLINE, done_on=None, as_of=MILESTONE_DEADLINE).days_left == 0


def test_milestone_overdue() -> None:
    result = assess_milestone(deadline=MILESTONE_DEADLINE, done_on=None, as_of=date(2023, 1, 30))
    assert (result.status, result.days_left, result.days_late) == (OVERDUE, None, 30)
    assert result.reason == "not done, 30 days past the deadline 2022-12-31"
    assert result.reason_zh == "逾期30天未完成（期限2022年12月31日）"
    assert assess_milestone(deadline=MILESTONE_DEADLINE, done_on=None, as_of=date(2023, 1, 1)).reason.startswith(
        "not done, 1 day past"
    )


def test_milestone_done_after_the_assessment_date_is_not_yet_done() -> None:
    result = assess_milestone(deadline=MILESTONE_DEADLINE, done_on=date(2022, 12, 1), as_of=date(2022, 11, 1))
    assert (result.status, result.days_left) == (OPEN, 60)


def test_milestone_without_deadline() -> None:
    assert assess_milestone(deadline=None, done_on=None, as_of=date(2030, 1, 1)).status == OPEN
    done = assess_milestone(deadline=None, done_on=date(2023, 5, 1), as_of=date(2030, 1, 1))
    assert (done.status, done.days_late) == (ACHIEVED, None)
