"""Charts for the pages: plotly figure specifications (drawn by the plotly.js that the plotly package
ships), small trend lines and the map as inline SVG."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from duban.web import mapsvg
from duban.web.selectors import IndicatorPage

INK = "#1f2d3d"
ACCENT = "#0072B2"  # Okabe–Ito blue
TARGET = "#D55E00"  # Okabe–Ito vermillion


def sparkline(
    series: list[tuple[date, float]],
    target: float | None,
    interim: list[tuple[date, float]] | None = None,
    *,
    width: int = 160,
    height: int = 40,
) -> SafeString:
    """A trend line without axes, on a time scale, with the interim targets (阶段目标) from the baseline to the
    deadline as a dashed line, or the target as a dashed level where there is no path."""
    if len(series) < 2:
        return mark_safe("")
    path = interim or []
    values = [v for _, v in series] + [v for _, v in path]
    low, high = min(values), max(values)
    if target is not None:
        low, high = min(low, target), max(high, target)
    span = (high - low) or 1.0
    days = [d for d, _ in series] + [d for d, _ in path]
    first, last = min(days), max(days)
    length = (last - first).days or 1

    def x(d: date) -> float:
        return round((d - first).days / length * width, 1)

    def y(v: float) -> float:
        return round(height - 3 - (v - low) / span * (height - 6), 1)

    points = " ".join(f"{x(d)},{y(v)}" for d, v in series)
    if path:
        steps = " ".join(f"{x(d)},{y(v)}" for d, v in path)
        target_line = (
            f'<polyline class="interim" fill="none" stroke="{TARGET}" stroke-dasharray="3 3" stroke-width="1" '
            f'points="{steps}"><title>{_("阶段目标")}</title></polyline>'
        )
    elif target is not None:
        level = y(target)
        target_line = (
            f'<line x1="0" x2="{width}" y1="{level}" y2="{level}" stroke="{TARGET}" '
            'stroke-dasharray="3 3" stroke-width="1"/>'
        )
    else:
        target_line = ""
    return mark_safe(
        f'<svg class="spark" viewBox="0 0 {width} {height}" width="{width}" height="{height}" aria-hidden="true">'
        f'{target_line}<polyline fill="none" stroke="{ACCENT}" stroke-width="2" points="{points}"/></svg>'
    )


def trajectory_figure(page: IndicatorPage) -> dict[str, Any]:
    """Actual values against the interim targets (阶段目标) of each quarter from the baseline to the deadline, on
    the path the status judges by (straight or compound), with each year's end marked."""
    data: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": str(_("实际值")),
            "x": [d.isoformat() for d, _ in page.series],
            "y": [round(v, 3) for _, v in page.series],
            "line": {"color": ACCENT, "width": 3},
        }
    ]
    path = page.interim
    if path:
        years = {p.on for p in page.interim_years}
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": str(_("阶段目标")),
                "x": [d.isoformat() for d, _ in path],
                "y": [round(v, 3) for _, v in path],
                "line": {"color": TARGET, "dash": "dash", "width": 2},
                # Only the year ends and the deadline carry a marker: the quarters between shape the path.
                "marker": {"color": TARGET, "size": [8 if d in years else 0 for d, _ in path]},
                "hovertemplate": "%{x}: %{y}<extra>" + str(_("阶段目标")) + "</extra>",
            }
        )
    return {"data": data, "layout": _layout(page.indicator.unit)}


def ranking_figure(page: IndicatorPage) -> dict[str, Any]:
    rows = [r for r in page.ranking if r.value is not None]
    data: list[dict[str, Any]] = [
        {
            "type": "bar",
            "orientation": "h",
            "x": [round(r.value, 3) for r in rows if r.value is not None],
            "y": [r.unit.short_name or r.unit.name for r in rows],
            "marker": {"color": [_group_colour(r.group) for r in rows]},
            "name": page.indicator.name,
        }
    ]
    layout = _layout(page.indicator.unit)
    layout["yaxis"] = {"autorange": "reversed", "automargin": True}
    layout["height"] = max(320, 24 * len(rows) + 80)
    if page.target is not None and page.target.value is not None and not page.indicator.share_meeting:
        value = float(page.target.value)
        layout["shapes"] = [
            {
                "type": "line",
                "x0": value,
                "x1": value,
                "yref": "paper",
                "y0": 0,
                "y1": 1,
                "line": {"color": TARGET, "dash": "dash"},
            }
        ]
    return {"data": data, "layout": layout}


def _layout(unit: str) -> dict[str, Any]:
    return {
        "margin": {"l": 60, "r": 20, "t": 10, "b": 40},
        "font": {
            "family": "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif",
            "color": INK,
        },
        "legend": {"orientation": "h"},
        "yaxis": {"title": {"text": unit}},
        "height": 360,
    }


def _group_colour(group: str) -> str:
    return {"good": "#009E73", "warn": "#E69F00", "bad": "#D55E00", "none": "#999999"}[group]


def map_svg(page: IndicatorPage, *, link: Callable[[str], str]) -> SafeString:
    """The jurisdictions coloured by their latest value; 洋浦, which has no outline, as a marker."""
    values = {r.unit.code: r.value for r in page.ranking}
    labels = {r.unit.code: (r.unit.short_name or r.unit.name) for r in page.ranking}
    yangpu = {code: v for code, v in values.items() if code == "460400499"}
    svg = mapsvg.render_map(
        values,
        legend_title=page.indicator.name,
        unit=page.indicator.unit,
        labels=labels,
        links={code: link(code) for code in values},
        extra_markers=yangpu or None,
        title=f"{page.indicator.name}（{page.period or ''}）",
    )
    return mark_safe(svg)
