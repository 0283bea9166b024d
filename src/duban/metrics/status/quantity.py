"""Quantity targets: ``assess`` runs the rules of docs/status.md in order, one helper per rule; the first that
applies gives the status and the reason."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from duban.metrics.status.model import (
    ACHIEVED,
    DEFAULT_BANDS,
    METHODS,
    NO_DATA,
    ON_TRACK,
    OPEN,
    OVERDUE,
    REGRESSING,
    Assessment,
    Bands,
    InterimTarget,
    Observation,
    QuantityTarget,
)
from duban.metrics.status.progress import Progress, direction, made_linear, progress
from duban.metrics.status.trajectory import Trajectory, trajectory
from duban.metrics.status.wording import Phrases, day_zh, deadline_word, goal, num, phrases, trend_sentence


def assess(
    observations: Sequence[Observation],
    target: QuantityTarget,
    *,
    as_of: date,
    plan_start: date | None = None,
    method: str = "linear",
    bands: Bands = DEFAULT_BANDS,
) -> Assessment:
    """The status of ``target`` on ``as_of`` from ``observations`` (in any order).

    Only observations dated on or before ``as_of`` with a finite value count; of two on the same date the later
    one in ``observations`` wins. The baseline is the last observation on or before ``plan_start`` (the first
    after it if there is none), or the earliest observation when ``plan_start`` is None; the latest value is the
    last observation. ``method`` is ``"linear"`` or ``"cagr"``.
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; expected one of {', '.join(METHODS)}")
    track = trajectory(observations, target, as_of=as_of, plan_start=plan_start)
    if track.baseline is None or track.latest is None:
        return _without_values(track, target, as_of=as_of, method=method)
    case = _Case.of(track, track.baseline, track.latest, target, method)
    if target.met_by(case.latest.value):
        return _achieved(case)
    made = progress(case.baseline, case.latest, target, method)
    deadline = target.deadline
    # The deadline day itself is the day of judgment: the figure dated on it is the one the target asked for.
    if deadline is not None and as_of >= deadline:
        return _overdue(case, deadline, made, as_of=as_of)
    if case.latest.on == case.baseline.on:
        return _no_new_value(case)
    if deadline is None:
        return _without_deadline(case)
    # From here there is a deadline on or after as_of, and as_of ≥ latest.on > baseline.on, so the span from the
    # baseline to the deadline is positive and progress has a value.
    assert made is not None
    if made.needed <= 0:
        return _nothing_needed(case, deadline, made)
    return _against_the_path(case, deadline, made, bands)


@dataclass(frozen=True)
class _Case:
    """A target with values to judge it on, and the phrases its reasons are written from."""

    target: QuantityTarget
    method: str
    track: Trajectory
    baseline: Observation
    latest: Observation
    words: Phrases

    @classmethod
    def of(
        cls, track: Trajectory, baseline: Observation, latest: Observation, target: QuantityTarget, method: str
    ) -> _Case:
        beyond = (
            target.comparator == "="
            and not target.met_by(latest.value)
            and direction(baseline.value, target) * (latest.value - target.value) > 0
        )
        return cls(target, method, track, baseline, latest, phrases(target, baseline, latest, beyond=beyond))

    def result(
        self,
        status: str,
        reason: str,
        reason_zh: str,
        *,
        ratio: float | None = None,
        expected: float | None = None,
        used: str | None = None,
        interim: InterimTarget | None = None,
    ) -> Assessment:
        return Assessment(
            status,
            ratio,
            self.baseline,
            self.latest,
            expected,
            self.track.projection,
            reason,
            reason_zh,
            self.method if used is None else used,
            interim,
        )


def _without_values(track: Trajectory, target: QuantityTarget, *, as_of: date, method: str) -> Assessment:
    """Rule 1: no value at all on or before the assessment date."""
    goal_en, goal_zh = goal(target)
    deadline = target.deadline
    if deadline is not None and as_of >= deadline:
        status = OVERDUE
        passed, passed_zh = deadline_word(deadline, as_of)
        reason = f"no value reported, and the deadline {deadline} for the target {goal_en} {passed}"
        reason_zh = f"期限{day_zh(deadline)}{passed_zh}，目标{goal_zh}仍无数据"
    else:
        status, reason, reason_zh = NO_DATA, f"no value on or before {as_of}", f"截至{day_zh(as_of)}暂无数据"
    return Assessment(status, None, track.baseline, track.latest, None, track.projection, reason, reason_zh, method)


def _achieved(case: _Case) -> Assessment:
    """Rule 2: the latest value meets the target, whatever the date."""
    w = case.words
    deadline = case.target.deadline
    late, late_zh = "", ""
    if deadline is not None and case.latest.on > deadline:
        in_time = [o for o in case.track.series if o.on <= deadline]
        if not (in_time and case.target.met_by(in_time[-1].value)):
            late, late_zh = f"; not shown met by the deadline {deadline}", f"；期限{day_zh(deadline)}前未见达标"
    return case.result(
        ACHIEVED, f"{w.at}, meeting the target {w.goal}{late}", f"{w.at_zh}，已达到目标{w.goal_zh}{late_zh}"
    )


def _overdue(case: _Case, deadline: date, made: Progress | None, *, as_of: date) -> Assessment:
    """Rule 3: the deadline has come (or passed) and the target is not met."""
    w = case.words
    passed, passed_zh = deadline_word(deadline, as_of)
    ratio = None
    if made is not None and made.needed > 0:
        ratio = _finite(made.made / made.needed)
    return case.result(
        OVERDUE,
        f"the deadline {deadline} {passed}: {w.at}, not meeting the target {w.goal}",
        f"期限{day_zh(deadline)}{passed_zh}，{w.at_zh}，未达到目标{w.goal_zh}",
        ratio=ratio,
        expected=case.target.value,
        used=made.method if made is not None else case.method,
    )


def _no_new_value(case: _Case) -> Assessment:
    """Rule 4: the latest value is the baseline itself."""
    w = case.words
    return case.result(NO_DATA, f"no value since {w.since}", f"{w.since_zh}之后暂无新数据")


def _without_deadline(case: _Case) -> Assessment:
    """Rule 5: no deadline, so only the direction can be judged, not the pace."""
    w = case.words
    made = made_linear(case.baseline.value, case.latest.value, case.target)
    if made < 0:
        return case.result(
            REGRESSING,
            f"{w.at}, worse than {w.since}, moving away from the target {w.goal}; no deadline is set",
            f"{w.at_zh}，较{w.since_zh}倒退，偏离目标{w.goal_zh}；未设期限",
        )
    moving = "moving towards" if made > 0 else "no nearer to"
    moving_zh = f"有所进展，正向目标{w.goal_zh}推进" if made > 0 else f"距目标{w.goal_zh}未见拉近"
    return case.result(
        OPEN,
        f"{w.at} against {w.since}, {moving} the target {w.goal}; with no deadline the pace cannot be judged",
        f"{w.at_zh}，较{w.since_zh}{moving_zh}；未设期限，无法判断进度快慢",
    )


def _nothing_needed(case: _Case, deadline: date, made: Progress) -> Assessment:
    """Rule 6, when the baseline was already at (or past) the target: any pace is fast enough; only falling back
    counts. R would divide by nothing, and the "expected" line would point away from the target, so neither is
    given."""
    w = case.words
    trend, trend_zh = trend_sentence(case.track.projection, deadline)
    status = REGRESSING if made.made < 0 else ON_TRACK
    word, word_zh = ("worse than", "较") if made.made < 0 else ("no worse than", "不差于")
    tail_zh = "倒退" if made.made < 0 else ""
    return case.result(
        status,
        f"{made.fallback_en}{w.at}, {word} {w.since}, from which no progress was needed to reach the target "
        f"{w.goal} by {deadline}{trend}",
        f"{made.fallback_zh}{w.at_zh}，{word_zh}{w.since_zh}{tail_zh}；目标{w.goal_zh}（{day_zh(deadline)}）"
        f"本无需在基线上再提升{trend_zh}",
        used=made.method,
    )


def _against_the_path(case: _Case, deadline: date, made: Progress, bands: Bands) -> Assessment:
    """Rule 6: the progress ratio R against the chosen method's path, and the bands."""
    w = case.words
    target = case.target
    trend, trend_zh = trend_sentence(case.track.projection, deadline)
    raw = made.made / made.needed
    status = bands.classify(raw)
    ratio = _finite(raw)
    shown = num(raw) if ratio is not None else ("very large" if raw > 0 else "very negative")
    shown_zh = num(raw) if ratio is not None else ("极大" if raw > 0 else "极小")
    # The path's value on the latest value's date is the interim target (阶段目标) of the period it describes.
    interim = InterimTarget(case.latest.on, made.expected, case.latest.on.month == 12 and case.latest.on.day == 31)
    expected = f"interim target for {interim.label} {num(made.expected)}"
    if made.method == "cagr":
        assert made.observed_rate is not None and made.required_rate is not None
        path = "on the compound-growth path"
        path_zh = "按年均复合增长"
        rates = f"; {num(100 * made.observed_rate)}% a year against {num(100 * made.required_rate)}% needed"
        rates_zh = f"；年均变化{num(100 * made.observed_rate)}%，需{num(100 * made.required_rate)}%"
    else:
        path, path_zh, rates, rates_zh = "on the line", "按线性进度", "", ""
    return case.result(
        status,
        f"{made.fallback_en}{w.at}, {expected} {path} to {num(target.value)} by {deadline}{rates}; "
        f"progress ratio {shown}{trend}",
        f"{made.fallback_zh}{w.at_zh}，{interim.label_zh}阶段目标{num(made.expected)}（{path_zh}，"
        f"{day_zh(deadline)}目标{num(target.value)}）{rates_zh}，进度比{shown_zh}{trend_zh}",
        ratio=ratio,
        expected=made.expected,
        used=made.method,
        interim=interim,
    )


def _finite(x: float) -> float | None:
    return x if math.isfinite(x) else None
