"""How a status is shown: its colour group, label and symbol, the same on every page.

The colours are colour-blind safe (Okabe–Ito) and every status also carries a text label and a symbol, so
that no meaning rests on colour alone.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

GROUP_OF = {
    "achieved": "good",
    "on_track": "good",
    "at_risk": "warn",
    "off_track": "bad",
    "regressing": "bad",
    "overdue": "bad",
    "open": "none",
    "no_data": "none",
    None: "none",
}
SEVERITY = {"bad": 3, "warn": 2, "none": 1, "good": 0}
LABEL = {
    "achieved": _("已达成"),
    "on_track": _("按期推进"),
    "at_risk": _("存在风险"),
    "off_track": _("进度滞后"),
    "regressing": _("倒退"),
    "overdue": _("逾期未完成"),
    "open": _("进行中"),
    "no_data": _("暂无数据"),
    None: _("无量化目标"),
}
GROUP_LABEL = {
    "good": _("按期或已达成"),
    "warn": _("存在风险"),
    "bad": _("滞后或逾期"),
    "none": _("暂无数据或无量化目标"),
}
SYMBOL = {"good": "✓", "warn": "!", "bad": "✕", "none": "–"}


def worst(statuses: list[str | None]) -> str | None:
    """The status that decides a task's colour: the most severe of its targets'."""
    if not statuses:
        return None
    return max(statuses, key=lambda s: SEVERITY[GROUP_OF[s]])


# A task's status (任务状态, ``metrics.status.task``): its label on the pages, in the order of urgency.
TASK_LABEL = {
    "closed": _("已销号"),
    "overdue": _("逾期未完成"),
    "blocked": _("受阻"),
    "off_track": _("进度滞后"),
    "late": _("逾期未报"),
    "returned": _("被退回待重报"),
    "at_risk": _("存在风险"),
    "completed": _("已完成待销号"),
    "not_started": _("未启动"),
    "on_track": _("按期推进"),
    "awaiting": _("待报送"),
}
