"""Task status (任务状态): one status per task and reporting round, from what its units reported and, where the
task has targets, from their statuses — with the reason, in Chinese and in English.

``task_status`` applies the rules of docs/task-status.md in order; the first that applies gives the status and
the opening of the reason, every other finding follows it. Pure: the round's due date and today are passed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from duban.metrics.status import model
from duban.metrics.status.wording import day_zh, num

CLOSED = "closed"
OVERDUE = "overdue"
BLOCKED = "blocked"
OFF_TRACK = "off_track"
LATE = "late"
RETURNED = "returned"
AT_RISK = "at_risk"
COMPLETED = "completed"
NOT_STARTED = "not_started"
ON_TRACK = "on_track"
AWAITING = "awaiting"

# In the order the rules are tried, which is also the order of urgency for the office.
TASK_STATUSES: tuple[str, ...] = (
    CLOSED,
    OVERDUE,
    BLOCKED,
    OFF_TRACK,
    LATE,
    RETURNED,
    AT_RISK,
    COMPLETED,
    NOT_STARTED,
    ON_TRACK,
    AWAITING,
)
TASK_STATUS_LABELS_ZH: dict[str, str] = {
    CLOSED: "已销号",
    OVERDUE: "逾期未完成",
    BLOCKED: "受阻",
    OFF_TRACK: "进度滞后",
    LATE: "逾期未报",
    RETURNED: "被退回待重报",
    AT_RISK: "存在风险",
    COMPLETED: "已完成待销号",
    NOT_STARTED: "未启动",
    ON_TRACK: "按期推进",
    AWAITING: "待报送",
}
TASK_STATUS_LABELS: dict[str, str] = {
    CLOSED: "closed",
    OVERDUE: "overdue",
    BLOCKED: "blocked",
    OFF_TRACK: "behind schedule",
    LATE: "reports overdue",
    RETURNED: "returned for revision",
    AT_RISK: "at risk",
    COMPLETED: "completed, awaiting closure",
    NOT_STARTED: "not started",
    ON_TRACK: "on track",
    AWAITING: "awaiting reports",
}
# The colour group of each status: good, warn (needs watching), bad (needs the office) or none (nothing known).
TASK_STATUS_GROUPS: dict[str, str] = {
    CLOSED: "good",
    OVERDUE: "bad",
    BLOCKED: "bad",
    OFF_TRACK: "bad",
    LATE: "bad",
    RETURNED: "warn",
    AT_RISK: "warn",
    COMPLETED: "good",
    NOT_STARTED: "warn",
    ON_TRACK: "good",
    AWAITING: "none",
}

# What became of an assignment's report in the round: ``unsent`` covers no report, a draft and one waiting for
# its unit's sign-off, since none of them has reached the reviewers.
UNSENT = "unsent"
SUBMITTED = "submitted"
SENT_BACK = "returned"
ACCEPTED = "accepted"
REPORT_STATES: tuple[str, ...] = (UNSENT, SUBMITTED, SENT_BACK, ACCEPTED)
PROGRESS: tuple[str, ...] = ("not_started", "in_progress", "completed", "blocked")
ROLES: tuple[str, ...] = ("lead", "responsible", "support", "local")


@dataclass(frozen=True)
class UnitReport:
    """One assignment's report in the round (单位报送情况): the unit, its role, what became of the report and the
    progress it states (未启动/推进中/已完成/受阻; None while unsent). A returned report keeps the progress it
    stated, which counts for nothing until it is sent again."""

    code: str
    name: str
    role: str
    state: str
    progress: str | None = None

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r}")
        if self.state not in REPORT_STATES:
            raise ValueError(f"unknown report state {self.state!r}")
        if self.progress is not None and self.progress not in PROGRESS:
            raise ValueError(f"unknown progress {self.progress!r}")

    @property
    def sent(self) -> bool:
        """Reached the reviewers and stands: submitted or accepted."""
        return self.state in (SUBMITTED, ACCEPTED)


@dataclass(frozen=True)
class TargetFinding:
    """A target of the task at the province (目标状态), as ``metrics.status`` judged it."""

    subject: str
    status: str
    ratio: float | None = None

    def __post_init__(self) -> None:
        if self.status not in model.STATUSES:
            raise ValueError(f"unknown target status {self.status!r}")


@dataclass(frozen=True)
class TaskFacts:
    """What a task's status is judged on in one round.

    ``due`` is the round's due date: units that have not sent their report are late (逾期未报) from the day after.
    ``closed_on`` is the day the task was closed (销号), None while it is open. ``name_units``: whether the
    reason may name the units (the office, leaders and the task's lead unit read who is late); otherwise it
    counts them. ``in_round``: False when the plan has no reporting round yet, so the targets alone are known.
    """

    reports: Sequence[UnitReport]
    targets: Sequence[TargetFinding]
    due: date
    today: date
    closed_on: date | None = None
    name_units: bool = True
    in_round: bool = True


@dataclass(frozen=True)
class TaskStatus:
    """The status of a task in a round, with the reason and the units behind it."""

    status: str
    reason_zh: str
    reason: str
    late: tuple[UnitReport, ...]
    returned: tuple[UnitReport, ...]
    blocked: tuple[UnitReport, ...]
    owed: int
    sent: int
    accepted: int

    @property
    def label_zh(self) -> str:
        return TASK_STATUS_LABELS_ZH[self.status]

    @property
    def group(self) -> str:
        return TASK_STATUS_GROUPS[self.status]


def answerable_role(roles: Iterable[str]) -> str | None:
    """The role whose word says a task is done: its lead unit (牵头), which consolidates the others; without one,
    its responsible units (负责); without those (None), every unit."""
    present = set(roles)
    return next((role for role in ("lead", "responsible") if role in present), None)


def answerable(reports: Sequence[UnitReport]) -> list[UnitReport]:
    """The reports of the units whose word says the task is done (``answerable_role``)."""
    role = answerable_role(r.role for r in reports)
    return [r for r in reports if role is None or r.role == role]


def reported_done(reports: Sequence[UnitReport]) -> bool:
    """Whether every answerable unit's report is accepted and says 已完成: the units' word, reviewed."""
    who = answerable(reports)
    return bool(who) and all(r.state == ACCEPTED and r.progress == "completed" for r in who)


_BAD_TARGET = (model.OFF_TRACK, model.REGRESSING)


def task_status(facts: TaskFacts) -> TaskStatus:
    """The status of the task on ``facts.today`` in the round due on ``facts.due`` (docs/task-status.md)."""
    reports = list(facts.reports)
    late_day = facts.today > facts.due
    unsent = [r for r in reports if r.state == UNSENT]
    late = tuple(unsent) if late_day else ()
    returned = tuple(r for r in reports if r.state == SENT_BACK)
    sent = [r for r in reports if r.sent]
    blocked = tuple(r for r in sent if r.progress == "blocked")
    done = reported_done(reports)
    claims = [r for r in sent if r.progress == "completed"]
    targets = list(facts.targets)
    overdue = [t for t in targets if t.status == model.OVERDUE]
    behind = sorted((t for t in targets if t.status in _BAD_TARGET), key=_ratio_key)
    at_risk = sorted((t for t in targets if t.status == model.AT_RISK), key=_ratio_key)
    good = [t for t in targets if t.status in (model.ON_TRACK, model.ACHIEVED)]
    measured_unmet = [t for t in targets if t.status not in (model.ACHIEVED, model.NO_DATA, model.OPEN)]
    many = len(targets) > 1
    words = _Words(facts.name_units)

    parts: list[tuple[str, str]] = []
    if facts.closed_on is not None:
        status = CLOSED
        parts.append((f"已于{day_zh(facts.closed_on)}销号", f"closed on {facts.closed_on}"))
    elif overdue:
        status = OVERDUE
    elif blocked:
        status = BLOCKED
    elif behind:
        status = OFF_TRACK
    elif late:
        status = LATE
    elif returned:
        status = RETURNED
    elif at_risk:
        status = AT_RISK
    elif done and not measured_unmet:
        status = COMPLETED
    elif sent and all(r.progress == "not_started" for r in sent) and not good:
        status = NOT_STARTED
    elif sent or good:
        status = ON_TRACK
    else:
        status = AWAITING

    # The findings, most urgent first; the one that decided the status thus opens the reason.
    for t in overdue:
        parts.append(_target_phrase(t, many))
    if blocked:
        parts.append(words.units(blocked, "报受阻", "report being blocked"))
    for t in behind:
        parts.append(_target_phrase(t, many))
    if late:
        parts.append(words.units(late, "逾期未报", "have not reported by the due date"))
    if returned:
        parts.append(words.units(returned, "被退回待重报", "were returned and must report again"))
    for t in at_risk:
        parts.append(_target_phrase(t, many))
    lead_word = _lead_word(reports)
    if done:
        contradicted = bool(overdue or behind or at_risk or measured_unmet)
        parts.append(
            (
                f"{lead_word[0]}报已完成，但指标未达标",
                f"the {lead_word[1]} reported completion, but the indicator has not reached its target",
            )
            if contradicted
            else (f"{lead_word[0]}报已完成并经审核", f"the {lead_word[1]} reported completion, accepted")
        )
    elif claims:
        pending = [r for r in claims if r.state == SUBMITTED]
        if pending:
            parts.append(words.units(pending, "报已完成，待审核", "reported completion, awaiting review"))
    parts.extend(_target_phrase(t, many) for t in good)
    if any(t.status == model.ACHIEVED for t in good) and not done and not facts.closed_on:
        parts.append((f"待{lead_word[0]}报已完成", f"awaiting the {lead_word[1]}'s report of completion"))
    not_started = [r for r in sent if r.progress == "not_started"]
    if not_started:
        parts.append(words.units(not_started, "报未启动", "report not having started"))
    if not late and unsent and status != CLOSED:
        parts.append(
            (
                f"已报 {len(sent)}/{len(reports)}，截止{day_zh(facts.due)}",
                f"{len(sent)} of {len(reports)} reported, due {facts.due}",
            )
        )
    elif reports and not unsent and not returned and status in (ON_TRACK, COMPLETED, NOT_STARTED, AT_RISK):
        parts.append(
            ("已报送", "reported")
            if len(reports) == 1
            else (f"{len(reports)} 个单位均已报送", f"all {len(reports)} units have reported")
        )
    if not reports and status == AWAITING:
        parts.append(
            ("本轮无需报送", "nothing to report in this round")
            if facts.in_round
            else ("尚无报送轮次", "no reporting round yet")
        )

    reason_zh = "；".join(p[0] for p in _unique(parts))
    reason = "; ".join(p[1] for p in _unique(parts))
    return TaskStatus(
        status,
        reason_zh,
        reason,
        late,
        returned,
        blocked,
        owed=len(reports),
        sent=len(sent),
        accepted=sum(1 for r in reports if r.state == ACCEPTED),
    )


def _ratio_key(t: TargetFinding) -> float:
    return t.ratio if t.ratio is not None else float("-inf")


def _unique(parts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return list(dict.fromkeys(parts))


def _short(subject: str) -> str:
    return subject if len(subject) <= 20 else subject[:19] + "…"


def _target_phrase(t: TargetFinding, many: bool) -> tuple[str, str]:
    """ "指标进度比 0.72" — with the target's name when the task has several, so the reader knows which."""
    zh_name = f"「{_short(t.subject)}」" if many else ""
    en_name = f" ({_short(t.subject)})" if many else ""
    ratio = f"进度比 {num(t.ratio)}" if t.ratio is not None else ""
    ratio_en = f"progress ratio {num(t.ratio)}" if t.ratio is not None else ""
    if t.status == model.OVERDUE:
        tail = f"（{ratio}）" if ratio else ""
        tail_en = f" ({ratio_en})" if ratio_en else ""
        return f"目标{zh_name}逾期未完成{tail}", f"target{en_name} missed by its deadline{tail_en}"
    if t.status == model.ACHIEVED:
        return f"目标{zh_name}已达成", f"target{en_name} achieved"
    if ratio:
        return f"指标{zh_name}{ratio}", f"indicator{en_name} {ratio_en}"
    label = model.STATUS_LABELS_ZH[t.status]
    return f"指标{zh_name}{label}", f"indicator{en_name} {t.status.replace('_', ' ')}"


def _lead_word(reports: Sequence[UnitReport]) -> tuple[str, str]:
    who = answerable(reports)
    if who and who[0].role == "lead":
        return "牵头单位", "lead unit"
    if who and who[0].role == "responsible":
        return "负责单位", "responsible unit"
    return "各单位", "units"


@dataclass(frozen=True)
class _Words:
    names: bool

    def units(self, reports: Sequence[UnitReport], zh: str, en: str) -> tuple[str, str]:
        """ "3 个市县逾期未报" for jurisdictions; departments by name when they may be named, else counted."""
        local = [r for r in reports if r.role == "local"]
        other = [r for r in reports if r.role != "local"]
        pieces_zh: list[str] = []
        pieces_en: list[str] = []
        if other:
            if self.names and len(other) <= 3:
                pieces_zh.append("、".join(r.name for r in other))
                pieces_en.append(", ".join(r.name for r in other))
            elif self.names:
                pieces_zh.append(f"{'、'.join(r.name for r in other[:2])}等 {len(other)} 个单位")
                pieces_en.append(f"{', '.join(r.name for r in other[:2])} and {len(other) - 2} more units")
            else:
                pieces_zh.append(f"{len(other)} 个单位")
                pieces_en.append(_count(len(other), "unit"))
        if local:
            if self.names and len(local) == 1:
                pieces_zh.append(local[0].name)
                pieces_en.append(local[0].name)
            else:
                pieces_zh.append(f"{len(local)} 个市县")
                pieces_en.append(_count(len(local), "city or county", "cities and counties"))
        return "、".join(pieces_zh) + zh, " and ".join(pieces_en) + " " + en


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"1 {one}" if n == 1 else f"{n} {many or one + 's'}"
