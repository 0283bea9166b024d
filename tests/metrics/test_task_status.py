"""Task status (任务状态): every rule of docs/task-status.md and every case where reports and indicators disagree,
one row each — what the units reported, what the targets say, and the status and reason that follow."""

from __future__ import annotations

from datetime import date

import pytest

from duban.metrics.status.task import (
    TASK_STATUS_GROUPS,
    TASK_STATUS_LABELS,
    TASK_STATUS_LABELS_ZH,
    TASK_STATUSES,
    TargetFinding,
    TaskFacts,
    UnitReport,
    reported_done,
    task_status,
)

DUE = date(2026, 10, 10)
BEFORE = date(2026, 10, 1)  # the round is open, not yet due
AFTER = date(2026, 12, 4)  # the round is past due


def lead(state: str = "accepted", progress: str | None = "in_progress") -> UnitReport:
    return UnitReport("HI-MZT", "省民政厅", "lead", state, None if state == "unsent" else progress)


def support(name: str, state: str = "submitted", progress: str | None = "in_progress") -> UnitReport:
    return UnitReport(name, name, "support", state, None if state == "unsent" else progress)


def county(n: int, state: str = "submitted", progress: str | None = "in_progress") -> UnitReport:
    return UnitReport(f"4601{n:02d}", f"市县{n}", "local", state, None if state == "unsent" else progress)


def counties(sent: int, late: int) -> list[UnitReport]:
    return [county(n) for n in range(sent)] + [county(100 + n, "unsent") for n in range(late)]


BEDS = "每千名老年人口拥有养老床位数"


def beds(status: str, ratio: float | None = None) -> TargetFinding:
    return TargetFinding(BEDS, status, ratio)


MILESTONE = TargetFinding("全面建立特殊困难老年人居家探访制度", "overdue")

# (case, reports, targets, today, closed_on, status, reason_zh)
CASES: list[tuple[str, list[UnitReport], list[TargetFinding], date, date | None, str, str]] = [
    # --- one rule at a time -------------------------------------------------------------------------------
    (
        "closed beats everything",
        [lead(), *counties(0, 3)],
        [beds("off_track", 0.4)],
        AFTER,
        date(2026, 11, 2),
        "closed",
        "已于2026年11月2日销号；指标进度比 0.4；3 个市县逾期未报",
    ),
    (
        "a target past its deadline, unmet",
        [lead()],
        [beds("overdue", 0.93)],
        AFTER,
        None,
        "overdue",
        "目标逾期未完成（进度比 0.93）",
    ),
    (
        "a unit reports an obstacle",
        [lead(), support("省财政厅", progress="blocked")],
        [],
        AFTER,
        None,
        "blocked",
        "省财政厅报受阻",
    ),
    ("an indicator off track", [lead()], [beds("off_track", 0.52)], AFTER, None, "off_track", "指标进度比 0.52"),
    ("an indicator going backwards", [lead()], [beds("regressing", -0.1)], AFTER, None, "off_track", "指标进度比 -0.1"),
    ("units late after the due date", [lead(), *counties(16, 3)], [], AFTER, None, "late", "3 个市县逾期未报"),
    ("a department late is named", [lead("unsent"), support("省财政厅")], [], AFTER, None, "late", "省民政厅逾期未报"),
    (
        "a report returned",
        [lead(), support("省财政厅", "returned")],
        [],
        AFTER,
        None,
        "returned",
        "省财政厅被退回待重报",
    ),
    (
        "an indicator at risk",
        [lead(), county(1)],
        [beds("at_risk", 0.72)],
        AFTER,
        None,
        "at_risk",
        "指标进度比 0.72；2 个单位均已报送",
    ),
    (
        "the lead's completion accepted, targets met",
        [lead(progress="completed"), county(1)],
        [beds("achieved")],
        AFTER,
        None,
        "completed",
        "牵头单位报已完成并经审核；目标已达成；2 个单位均已报送",
    ),
    (
        "the lead's completion accepted, no targets",
        [lead(progress="completed")],
        [],
        AFTER,
        None,
        "completed",
        "牵头单位报已完成并经审核；已报送",
    ),
    (
        "every report says not started",
        [lead(progress="not_started"), county(1, progress="not_started")],
        [],
        AFTER,
        None,
        "not_started",
        "省民政厅、市县1报未启动；2 个单位均已报送",
    ),
    ("reports in progress, no targets", [lead(), *counties(2, 0)], [], AFTER, None, "on_track", "3 个单位均已报送"),
    (
        "before the due date nothing is late",
        [lead(), *counties(1, 2)],
        [],
        BEFORE,
        None,
        "on_track",
        "已报 2/4，截止2026年10月10日",
    ),
    (
        "before the due date with nothing sent",
        [lead("unsent")],
        [],
        BEFORE,
        None,
        "awaiting",
        "已报 0/1，截止2026年10月10日",
    ),
    ("a task nobody reports on in the round", [], [], AFTER, None, "awaiting", "本轮无需报送"),
    # --- where reports and indicators disagree ------------------------------------------------------------
    # A unit says 已完成 while the indicator is off track: the figures win; the claim is shown as contradicted.
    (
        "completed, but the indicator off track",
        [lead(progress="completed")],
        [beds("off_track", 0.52)],
        AFTER,
        None,
        "off_track",
        "指标进度比 0.52；牵头单位报已完成，但指标未达标",
    ),
    # ... while the indicator is on track but not yet at its target: still only on track.
    (
        "completed, indicator on track not met",
        [lead(progress="completed")],
        [beds("on_track", 1.02)],
        AFTER,
        None,
        "on_track",
        "牵头单位报已完成，但指标未达标；指标进度比 1.02；已报送",
    ),
    # ... while the target's deadline is past and it was missed.
    (
        "completed, target missed",
        [lead(progress="completed")],
        [beds("overdue", 0.9)],
        AFTER,
        None,
        "overdue",
        "目标逾期未完成（进度比 0.9）；牵头单位报已完成，但指标未达标",
    ),
    # The indicator on track while three counties have not reported: the missing reports decide.
    (
        "indicator on track, three counties late",
        [lead(), *counties(15, 3)],
        [beds("at_risk", 0.72)],
        AFTER,
        None,
        "late",
        "3 个市县逾期未报；指标进度比 0.72",
    ),
    (
        "indicator achieved, three counties late",
        [lead(), *counties(15, 3)],
        [beds("achieved")],
        AFTER,
        None,
        "late",
        "3 个市县逾期未报；目标已达成；待牵头单位报已完成",
    ),
    # The indicator off track and counties late: the figures are the harder evidence, the lateness follows.
    (
        "indicator off track, counties late",
        [lead(), *counties(1, 2)],
        [beds("off_track", 0.3)],
        AFTER,
        None,
        "off_track",
        "指标进度比 0.3；2 个市县逾期未报",
    ),
    # The indicator achieved while the units say they are still working: on track, not completed.
    (
        "indicator achieved, reports in progress",
        [lead()],
        [beds("achieved")],
        AFTER,
        None,
        "on_track",
        "目标已达成；待牵头单位报已完成；已报送",
    ),
    # The indicator on track while a unit reports an obstacle: the obstacle is news the figures cannot show.
    (
        "indicator on track, a unit blocked",
        [lead(progress="blocked")],
        [beds("on_track", 1.1)],
        AFTER,
        None,
        "blocked",
        "省民政厅报受阻；指标进度比 1.1",
    ),
    # Units say not started while the indicator moves: the figures show the work going on.
    (
        "not started, indicator on track",
        [lead(progress="not_started")],
        [beds("on_track", 1.0)],
        AFTER,
        None,
        "on_track",
        "指标进度比 1；省民政厅报未启动；已报送",
    ),
    # A completion claimed but not yet reviewed does not complete the task.
    (
        "completion awaiting review",
        [lead("submitted", "completed")],
        [],
        AFTER,
        None,
        "on_track",
        "省民政厅报已完成，待审核；已报送",
    ),
    # The lead's accepted completion speaks for the task; a co-unit still working does not hold it open.
    (
        "lead completed, co-unit in progress",
        [lead(progress="completed"), support("省财政厅")],
        [],
        AFTER,
        None,
        "completed",
        "牵头单位报已完成并经审核；2 个单位均已报送",
    ),
    # ... but a co-unit late does.
    (
        "lead completed, co-unit late",
        [lead(progress="completed"), support("省财政厅", "unsent")],
        [],
        AFTER,
        None,
        "late",
        "省财政厅逾期未报；牵头单位报已完成并经审核",
    ),
    # A milestone overdue while reports are in: the deadline decides, whatever the units say.
    ("milestone overdue, reports in progress", [lead()], [MILESTONE], AFTER, None, "overdue", "目标逾期未完成"),
    # A returned completion claim counts for nothing until sent again.
    ("completion returned", [lead("returned", "completed")], [], AFTER, None, "returned", "省民政厅被退回待重报"),
]


@pytest.mark.parametrize(
    ("reports", "targets", "today", "closed_on", "status", "reason_zh"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_task_status(
    reports: list[UnitReport],
    targets: list[TargetFinding],
    today: date,
    closed_on: date | None,
    status: str,
    reason_zh: str,
) -> None:
    result = task_status(TaskFacts(reports, targets, due=DUE, today=today, closed_on=closed_on))
    assert (result.status, result.reason_zh) == (status, reason_zh)
    assert result.reason  # the English reason is always there too


def test_every_status_is_reached_by_some_case() -> None:
    assert {case[5] for case in CASES} == set(TASK_STATUSES)
    assert set(TASK_STATUS_LABELS_ZH) == set(TASK_STATUS_LABELS) == set(TASK_STATUS_GROUPS) == set(TASK_STATUSES)


def test_the_units_behind_a_status_are_listed() -> None:
    reports = [lead(), support("省财政厅", "returned"), *counties(1, 2)]
    result = task_status(TaskFacts(reports, [], due=DUE, today=AFTER))
    assert [r.name for r in result.late] == ["市县100", "市县101"]
    assert [r.name for r in result.returned] == ["省财政厅"]
    assert (result.owed, result.sent, result.accepted) == (5, 2, 1)
    assert result.reason == (
        "2 cities and counties have not reported by the due date; 省财政厅 were returned and must report again"
    )


def test_without_a_round_the_targets_alone_are_known() -> None:
    result = task_status(TaskFacts([], [], due=AFTER, today=AFTER, in_round=False))
    assert (result.status, result.reason_zh) == ("awaiting", "尚无报送轮次")
    assert (
        task_status(TaskFacts([], [beds("at_risk", 0.7)], due=AFTER, today=AFTER, in_round=False)).status == "at_risk"
    )


def test_units_are_counted_not_named_for_readers_who_may_not_see_them() -> None:
    reports = [lead("unsent"), support("省财政厅", "returned"), county(1, "unsent")]
    result = task_status(TaskFacts(reports, [], due=DUE, today=AFTER, name_units=False))
    assert result.reason_zh == "1 个单位、1 个市县逾期未报；1 个单位被退回待重报"
    named = task_status(TaskFacts(reports, [], due=DUE, today=AFTER))
    assert named.reason_zh == "省民政厅、市县1逾期未报；省财政厅被退回待重报"


def test_many_units_are_named_up_to_three_then_counted() -> None:
    reports = [lead(), *(support(f"省厅{n}", "unsent") for n in range(5))]
    assert task_status(TaskFacts(reports, [], due=DUE, today=AFTER)).reason_zh == "省厅0、省厅1等 5 个单位逾期未报"


def test_with_several_targets_the_reason_names_the_one_meant() -> None:
    targets = [beds("on_track", 1.0), TargetFinding("护理型床位占比", "off_track", 0.41)]
    result = task_status(TaskFacts([lead()], targets, due=DUE, today=AFTER))
    assert result.status == "off_track"
    assert result.reason_zh.startswith("指标「护理型床位占比」进度比 0.41；")


def test_done_needs_the_answerable_units_word_accepted() -> None:
    assert reported_done([lead(progress="completed"), support("省财政厅", "unsent")])
    assert not reported_done([lead("submitted", "completed")])
    # Without a lead unit, every responsible unit must have said so.
    a = UnitReport("A", "甲", "responsible", "accepted", "completed")
    b = UnitReport("B", "乙", "responsible", "accepted", "in_progress")
    assert not reported_done([a, b])
    assert reported_done([a, UnitReport("C", "丙", "local", "unsent")])
    assert not reported_done([])


@pytest.mark.parametrize(
    ("field", "value"),
    [("role", "boss"), ("state", "lost"), ("progress", "halfway")],
)
def test_unknown_words_are_a_programming_error(field: str, value: str) -> None:
    kwargs = {"code": "X", "name": "X", "role": "lead", "state": "accepted", "progress": "completed"} | {field: value}
    with pytest.raises(ValueError):
        UnitReport(**kwargs)
    with pytest.raises(ValueError):
        TargetFinding("x", "fine")
