"""Milestones: a dated target without a number is achieved, overdue or open."""

from __future__ import annotations

from datetime import date

from duban.metrics.status.model import ACHIEVED, OPEN, OVERDUE, MilestoneAssessment
from duban.metrics.status.wording import day_zh, days


def assess_milestone(*, deadline: date | None, done_on: date | None, as_of: date) -> MilestoneAssessment:
    """The status of a milestone on ``as_of``: achieved when done (on or before ``as_of``), overdue when the
    deadline has passed without it, otherwise open."""
    if done_on is not None and done_on <= as_of:
        if deadline is None:
            return MilestoneAssessment(ACHIEVED, None, None, f"done on {done_on}", f"已于{day_zh(done_on)}完成")
        late = max(0, (done_on - deadline).days)
        if late:
            return MilestoneAssessment(
                ACHIEVED,
                None,
                late,
                f"done on {done_on}, {days(late)} after the deadline {deadline}",
                f"已于{day_zh(done_on)}完成，逾期{late}天（期限{day_zh(deadline)}）",
            )
        return MilestoneAssessment(
            ACHIEVED,
            None,
            0,
            f"done on {done_on}, by the deadline {deadline}",
            f"已于{day_zh(done_on)}按期完成（期限{day_zh(deadline)}）",
        )
    if deadline is None:
        return MilestoneAssessment(OPEN, None, None, "not yet done; no deadline is set", "尚未完成，未设期限")
    if as_of > deadline:
        late = (as_of - deadline).days
        return MilestoneAssessment(
            OVERDUE,
            None,
            late,
            f"not done, {days(late)} past the deadline {deadline}",
            f"逾期{late}天未完成（期限{day_zh(deadline)}）",
        )
    left = (deadline - as_of).days
    return MilestoneAssessment(
        OPEN,
        left,
        None,
        f"not yet done; {days(left)} left to the deadline {deadline}",
        f"尚未完成，距期限{day_zh(deadline)}还有{left}天",
    )
