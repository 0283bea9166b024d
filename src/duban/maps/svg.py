"""The map as an ``<svg>`` element: coloured outlines, labels, markers and a legend, with no external reference."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from xml.sax.saxutils import escape

from duban.maps.geometry import MARKER_POSITIONS, Outline, label_point, outline_bounds
from duban.maps.projection import PADDING, Projection, path_data
from duban.maps.scale import (
    NO_DATA_COLOUR,
    YLGNBU_5,
    checked_breaks,
    class_colours,
    classify,
    finite,
    format_number,
    legend_labels,
    quantile_breaks,
)

FONT_FAMILY = "'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', sans-serif"
# Only for files saved on their own: HTML puts an inline <svg> in this namespace itself, and render_map's output carries
# no URL-like string at all, so nothing in it can be mistaken for an external reference.
SVG_NAMESPACE = "http://www.w3.org/2000/svg"

_BORDER = "#6b6b6b"  # darker than white so the lightest class still shows the coast on paper
_TITLE_HEIGHT = 28
_LEGEND_MAX_WIDTH = 168  # about the open sea south-east of 万宁 and 陵水 at the default size
_NO_DATA = {"zh": "暂无数据", "en": "no data"}


def _esc(text: str) -> str:
    return escape(text, {'"': "&quot;", "'": "&apos;"})


def _text_width(text: str, size: float) -> float:
    # No font metrics offline: CJK glyphs are about 1 em wide, Latin digits and letters about 0.6 em.
    return sum(size if ord(ch) >= 0x2E80 else 0.6 * size for ch in text)


def _value_text(name: str, value: float | None, unit: str, lang: str) -> str:
    if value is None:
        return f"{name}：{_NO_DATA['zh']}" if lang == "zh" else f"{name}: {_NO_DATA['en']}"
    number = format_number(value)
    if lang == "zh":
        return f"{name}：{number}{unit}"
    return f"{name}: {number}{'' if unit in ('', '%') else ' '}{unit}"


def _linked(element: str, href: str | None, label: str) -> str:
    if href is None:
        return element
    return f'<a href="{_esc(href)}" aria-label="{_esc(label)}">{element}</a>'


def render_map(
    values: Mapping[str, float | None],
    *,
    outlines: Sequence[Outline],
    width: int = 640,
    height: int = 520,
    legend_title: str,
    unit: str,
    labels: Mapping[str, str] | None = None,
    links: Mapping[str, str] | None = None,
    colours: Sequence[str] = YLGNBU_5,
    no_data_colour: str = NO_DATA_COLOUR,
    class_breaks: Sequence[float] | None = None,
    extra_markers: Mapping[str, float | None] | None = None,
    title: str = "",
    lang: str = "zh",
) -> str:
    """An ``<svg>`` element (no XML declaration, no namespace: meant for inlining in HTML) colouring each outline.

    ``values``, ``labels`` and ``links`` are keyed by GB/T 2260 code; codes without an outline are ignored there.
    Labels should be short names (保亭, not 保亭黎族苗族自治县): full names overlap in the small southern counties.
    ``class_breaks`` b1 < … < bn give n + 1 classes (v < b1, b1 <= v < b2, …, v >= bn); without them the breaks are
    quantiles of the values shown. ``extra_markers`` draws a dot for units in MARKER_POSITIONS (洋浦), coloured in the
    same classes.
    """
    if lang not in _NO_DATA:
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    if not colours:
        raise ValueError("colours must not be empty")
    shapes = list(outlines)
    labels = labels or {}
    links = links or {}
    markers = extra_markers or {}
    unplaced = sorted(code for code in markers if code not in MARKER_POSITIONS)
    if unplaced:
        raise ValueError(f"no marker position for {', '.join(unplaced)}")

    county_values = {outline.code: finite(values.get(outline.code)) for outline in shapes}
    marker_values = {code: finite(value) for code, value in markers.items()}
    shown = [v for v in (*county_values.values(), *marker_values.values()) if v is not None]
    breaks = checked_breaks(class_breaks) if class_breaks is not None else quantile_breaks(shown, len(colours))
    fills = class_colours(colours, len(breaks) + 1)

    def fill(value: float | None) -> str:
        return no_data_colour if value is None else fills[classify(value, breaks)]

    top = _TITLE_HEIGHT if title else 0
    project = Projection.fit(outline_bounds(shapes), width=width, height=height - top, padding=PADDING)
    summary = title or (f"海南省各市县{legend_title}" if lang == "zh" else f"{legend_title} by city and county, Hainan")

    counties = []
    descriptions = []
    for outline in shapes:
        value = county_values[outline.code]
        tooltip = _value_text(outline.name, value, unit, lang)
        descriptions.append(tooltip)
        path = (
            f'<path d="{path_data(outline, project)}" fill="{_esc(fill(value))}" data-code="{_esc(outline.code)}">'
            f"<title>{_esc(tooltip)}</title></path>"
        )
        counties.append(_linked(path, links.get(outline.code), tooltip))

    name_labels = []
    for outline in shapes:
        text = labels.get(outline.code)
        if text:
            x, y = project(*label_point(outline))
            name_labels.append(f'<text x="{x:.1f}" y="{y:.1f}">{_esc(text)}</text>')

    dots = []
    for code, value in marker_values.items():
        place = MARKER_POSITIONS[code]
        x, y = project(place.lon, place.lat)
        tooltip = _value_text(place.name, value, unit, lang)
        descriptions.append(tooltip)
        # The label goes left of the dot: the only marker sits on a west coast, so that side is open sea.
        dot = (
            f'<g class="marker" data-marker="{_esc(code)}"><title>{_esc(tooltip)}</title>'
            # The white ring keeps the dot visible when it shares its class colour with the county around it.
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6.5" fill="#fff"/>'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{_esc(fill(value))}" stroke="#222" stroke-width="1.2"/>'
            f'<text x="{x - 8:.1f}" y="{y:.1f}" dy="0.35em" text-anchor="end" fill="#222" stroke="#fff" '
            f'stroke-width="3" stroke-linejoin="round" paint-order="stroke">'
            f"{_esc(labels.get(code) or place.short_name)}</text></g>"
        )
        dots.append(_linked(dot, links.get(code), tooltip))

    # Links inside role="img" would be hidden from screen readers (its children are presentational), so a linked map
    # is a group of links instead.
    role = "group" if links and any(code in links for code in (*county_values, *marker_values)) else "img"
    parts = [
        f'<svg class="duban-map" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="{role}" '
        f'lang="{"zh-CN" if lang == "zh" else "en"}" font-family="{FONT_FAMILY}" font-size="12">',
        f"<title>{_esc(summary)}</title>",
        f"<desc>{_esc('；'.join(descriptions) if lang == 'zh' else '; '.join(descriptions))}</desc>",
        "<style>.duban-map a:focus path,.duban-map a:hover path{stroke:#000;stroke-width:2}"
        ".duban-map a:focus circle,.duban-map a:hover circle{stroke-width:2.5}</style>",
    ]
    if title:
        parts.append(f'<text x="{PADDING}" y="20" font-size="16" font-weight="bold" fill="#222">{_esc(title)}</text>')
    parts.append(f'<g transform="translate(0,{top})">' if top else "<g>")
    parts.append(
        f'<g stroke="{_BORDER}" stroke-width="0.6" stroke-linejoin="round" fill-rule="evenodd">{"".join(counties)}</g>'
    )
    if name_labels:
        parts.append(
            '<g font-size="11" fill="#222" stroke="#fff" stroke-width="3" stroke-linejoin="round" paint-order="stroke" '
            f'text-anchor="middle" dominant-baseline="central" pointer-events="none">{"".join(name_labels)}</g>'
        )
    parts.extend(dots)
    parts.append("</g>")
    parts.append(_legend(breaks, shown, fills, no_data_colour, legend_title, unit, lang, width, height))
    parts.append("</svg>")
    return "".join(parts)


def _legend(
    breaks: Sequence[float],
    shown: Sequence[float],
    fills: Sequence[str],
    no_data_colour: str,
    legend_title: str,
    unit: str,
    lang: str,
    width: int,
    height: int,
) -> str:
    heading = legend_title
    if unit:
        heading += f"（{unit}）" if lang == "zh" else f" ({unit})"
    heading_lines = _wrap(heading, 12, _LEGEND_MAX_WIDTH)
    rows = [*zip(fills, legend_labels(breaks, shown), strict=False), (no_data_colour, _NO_DATA[lang])]
    row_height, swatch, inset, line_height = 18, 14, 8, 16
    head_height = line_height * len(heading_lines)
    text_width = max(
        [
            *(_text_width(line, 12) for line in heading_lines),
            *(swatch + 6 + _text_width(label, 12) for _, label in rows),
        ]
    )
    box_width = text_width + 2 * inset
    box_height = inset + head_height + row_height * len(rows) + inset - (row_height - swatch)
    x = width - PADDING - box_width
    y = height - PADDING - box_height
    items = [
        # Translucent so the legend never fully hides land when a narrow box pushes it over the island.
        f'<rect width="{box_width:.0f}" height="{box_height:.0f}" rx="3" fill="#fff" fill-opacity="0.85"/>',
    ]
    for index, line in enumerate(heading_lines):
        line_y = inset + 11 + line_height * index
        items.append(f'<text x="{inset}" y="{line_y}" font-weight="bold" fill="#222">{_esc(line)}</text>')
    for index, (colour, label) in enumerate(rows):
        row_y = inset + head_height + index * row_height
        items.append(
            f'<rect x="{inset}" y="{row_y}" width="{swatch}" height="{swatch}" fill="{_esc(colour)}" '
            f'stroke="{_BORDER}" stroke-width="0.6"/>'
            f'<text x="{inset + swatch + 6}" y="{row_y + 11}" fill="#222">{_esc(label)}</text>'
        )
    return f'<g class="legend" transform="translate({x:.1f},{y:.1f})">{"".join(items)}</g>'


def _wrap(text: str, size: float, max_width: float) -> list[str]:
    # English breaks between words; Chinese between characters, but never inside a bracketed unit such as （张）.
    tokens = [word + " " for word in text.split(" ")] if " " in text else re.findall(r"（[^）]*）|\([^)]*\)|.", text)
    lines = [""]
    for token in tokens:
        if lines[-1] and _text_width(lines[-1] + token.rstrip(), size) > max_width:
            lines.append("")
        lines[-1] += token
    return [line.rstrip() for line in lines]


def as_standalone_svg(svg: str) -> str:
    """``render_map`` output as a file of its own (download, print, preview): XML declaration and SVG namespace."""
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + svg.replace("<svg ", f'<svg xmlns="{SVG_NAMESPACE}" ', 1)
