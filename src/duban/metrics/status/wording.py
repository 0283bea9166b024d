"""The pieces every reason is written from, in English and in Chinese: numbers, days, the goal, the latest value
against the baseline, and the trend."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from duban.metrics.status.model import Observation, Projection, QuantityTarget

_SYMBOL = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "≈"}


def num(x: float) -> str:
    """At most two decimals, no trailing zeros: 32.0 → "32", 29.002 → "29", 0.8220 → "0.82"."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def day_zh(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def deadline_word(deadline: date, as_of: date) -> tuple[str, str]:
    """ "has passed" / "已过" after the deadline; on the day itself "has come" / "已到"."""
    return ("has come", "已到") if as_of == deadline else ("has passed", "已过")


def goal(target: QuantityTarget) -> tuple[str, str]:
    """The target as "≥ 32" and "≥32"."""
    return f"{_SYMBOL[target.comparator]} {num(target.value)}", f"{_SYMBOL[target.comparator]}{num(target.value)}"


@dataclass(frozen=True)
class Phrases:
    """The goal, where the latest value stands (``at``) and the baseline it is measured from (``since``)."""

    goal: str
    goal_zh: str
    at: str
    at_zh: str
    since: str
    since_zh: str


def phrases(target: QuantityTarget, baseline: Observation, latest: Observation, *, beyond: bool) -> Phrases:
    """``beyond``: the latest value has passed an "about" target without meeting it."""
    goal_en, goal_zh = goal(target)
    at = f"at {num(latest.value)} on {latest.on}"
    at_zh = f"{day_zh(latest.on)}为{num(latest.value)}"
    if beyond:
        # Without this the reader sees a value past the line yet a warning status, and suspects a bug.
        at += f", beyond the target {goal_en} (an overshoot counts as a shortfall)"
        at_zh += f"，已越过目标{goal_zh}（超出部分按差距计）"
    since = f"the baseline {num(baseline.value)} on {baseline.on}"
    since_zh = f"基线（{day_zh(baseline.on)}为{num(baseline.value)}）"
    return Phrases(goal_en, goal_zh, at, at_zh, since, since_zh)


def trend_sentence(projection: Projection, deadline: date) -> tuple[str, str]:
    if projection.value is None:
        return "", ""
    value = num(projection.value)
    when = day_zh(deadline)
    if projection.meets:
        return (
            f"; the trend projects {value} by {deadline}, meeting the target",
            f"；按趋势预计{when}为{value}，可以达标",
        )
    return f"; the trend projects {value} by {deadline}, missing the target", f"；按趋势预计{when}为{value}，难以达标"
