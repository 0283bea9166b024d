"""Numbers and dates as Chinese readers expect them (thousands separators, 2025年12月31日); ISO dates in
English."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from duban.indicators.models import JurisdictionTarget
from duban.metrics.status.task import TASK_STATUS_GROUPS, TaskStatus
from duban.orgs.models import OrgUnit
from duban.reporting.models import ProgressReport
from duban.web import charts
from duban.web.status import GROUP_LABEL, GROUP_OF, LABEL, SYMBOL, TASK_LABEL

register = template.Library()


@register.filter
def num(value: float | int | Decimal | str | None, digits: int = 2) -> str:
    # A missing value arrives as None, or as "" when the template names something the object does not have.
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        return value
    text = f"{value:,.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@register.filter
def day(value: date | str | None) -> str:
    if not value:
        return "—"
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    if (get_language() or "zh-hans").startswith("zh"):
        return f"{value.year}年{value.month}月{value.day}日"
    return value.isoformat()


@register.filter
def status_label(status: str | None) -> str:
    return str(LABEL.get(status, LABEL[None]))


@register.filter
def task_label(status: str) -> str:
    """The label of a task's status (任务状态), as against a target's (``status_label``)."""
    return str(TASK_LABEL[status])


@register.filter
def progress_label(progress: str) -> str:
    """A report's progress (``not_started`` …) as its label (未启动 …)."""
    return str(dict(ProgressReport.Progress.choices).get(progress, progress))


@register.filter
def task_group(status: str) -> str:
    return TASK_STATUS_GROUPS[status]


@register.filter
def task_reason(judged: TaskStatus) -> str:
    """Why a task has its status, in the page's language."""
    return judged.reason if get_language() == "en" else judged.reason_zh


@register.filter
def status_group(status: str | None) -> str:
    return GROUP_OF.get(status, "none")


@register.filter
def group_symbol(group: str) -> str:
    return SYMBOL[group]


@register.filter
def group_label(group: str) -> str:
    return str(GROUP_LABEL[group])


@register.filter
def comparator(symbol: str | None) -> str:
    return {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "≈"}.get(symbol or "", "")


@register.filter
def get(mapping: dict[object, object], key: object) -> object:
    return mapping.get(key)


_WORK_GROUPS = {
    "returned": _("被退回，待修改"),
    "to_write": _("待填报"),
    "awaiting_signoff": _("待本单位审核"),
    "submitted": _("已报送，待审核"),
    "accepted": _("已通过"),
}


@register.filter
def work_group_label(group: str) -> str:
    return str(_WORK_GROUPS[group])


@register.filter
def absolute(value: int) -> int:
    return abs(value)


@register.filter
def area_level(level: str) -> str:
    """A level of the registry (``township``) as its label (乡镇（街道）)."""
    return str(dict(OrgUnit.Level.choices).get(level, level))


@register.simple_tag
def sparkline(
    series: list[tuple[date, float]], target: float | None, interim: list[tuple[date, float]] | None = None
) -> SafeString:
    return charts.sparkline(series, target, interim)


@register.filter
def share_of(shares: list[JurisdictionTarget], code: str) -> JurisdictionTarget | None:
    """A unit's share among a target's shares (``JurisdictionTarget``), or None."""
    return next((s for s in shares if s.org.code == code), None)
