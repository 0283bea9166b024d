"""A choropleth map of Hainan's cities and counties, drawn on the server as inline SVG.

The office works offline (no tile servers, no CDN) and prints its dashboards, so the map is plain vector markup
built from the bundled outlines, with no external reference of any kind. Pure: standard library only, no Django.
"""

from __future__ import annotations

import bisect
import functools
import json
import math
import re
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any, NamedTuple
from xml.sax.saxutils import escape

__all__ = [
    "DATA_PATH",
    "MARKER_POSITIONS",
    "NO_DATA_COLOUR",
    "YLGNBU_5",
    "Bounds",
    "MarkerPosition",
    "Outline",
    "Projection",
    "as_standalone_svg",
    "classify",
    "format_number",
    "label_point",
    "load_outlines",
    "outline_bounds",
    "quantile_breaks",
    "render_map",
]

Point = tuple[float, float]
Ring = tuple[Point, ...]
Polygon = tuple[Ring, ...]  # exterior ring first, then any holes

# Beside this module rather than via importlib.resources, so it works whether or not duban.web has an __init__.py.
DATA_PATH = Path(__file__).parent / "data" / "hainan_counties.geojson"

# ColorBrewer YlGnBu, 5 classes: sequential, colour-blind safe, and its lightness still orders the classes in grey.
YLGNBU_5: tuple[str, ...] = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
NO_DATA_COLOUR = "#d9d9d9"
PADDING = 16
FONT_FAMILY = "'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', sans-serif"
# Only for files saved on their own: HTML puts an inline <svg> in this namespace itself, and render_map's output carries
# no URL-like string at all, so nothing in it can be mistaken for an external reference.
SVG_NAMESPACE = "http://www.w3.org/2000/svg"

_BORDER = "#6b6b6b"  # darker than white so the lightest class still shows the coast on paper
_TITLE_HEIGHT = 28
_LEGEND_MAX_WIDTH = 168  # about the open sea south-east of 万宁 and 陵水 at the default size
_NO_DATA = {"zh": "暂无数据", "en": "no data"}


@dataclass(frozen=True)
class Outline:
    code: str
    name: str
    polygons: tuple[Polygon, ...]


@dataclass(frozen=True)
class MarkerPosition:
    name: str
    short_name: str
    lon: float
    lat: float


# Jurisdictions of the plan that have no outline to colour. 洋浦经济开发区 is statistically a township-like unit
# (NBS 460400499) inside 儋州, so the source draws it as part of 儋州; the point is its port peninsula on 儋州's west
# coast, which lies inside 儋州's outline.
MARKER_POSITIONS: dict[str, MarkerPosition] = {
    "460400499": MarkerPosition(name="洋浦经济开发区", short_name="洋浦", lon=109.2, lat=19.73),
}


class Bounds(NamedTuple):
    west: float
    south: float
    east: float
    north: float


# --- outlines --------------------------------------------------------------------------------------------------------


def load_outlines(path: Path | None = None) -> list[Outline]:
    """The in-scope outlines of a GeoJSON file (default: the bundled Hainan file), in file order."""
    if path is None:
        return list(_bundled_outlines())
    return _read_outlines(path)


@functools.cache
def _bundled_outlines() -> tuple[Outline, ...]:
    # Every page view draws a map; the bundled file never changes while the process runs.
    return tuple(_read_outlines(DATA_PATH))


def _read_outlines(path: Path) -> list[Outline]:
    document = json.loads(path.read_text(encoding="utf-8"))
    outlines = []
    for feature in document["features"]:
        properties = feature["properties"]
        # 三沙 is outside the plan, and its islands (down to 3.8°N) would squash Hainan into a strip.
        if properties.get("in_plan_scope") is False:
            continue
        outlines.append(
            Outline(
                code=str(properties["code"]),
                name=str(properties["name"]),
                polygons=_polygons(feature["geometry"]),
            )
        )
    return outlines


def _polygons(geometry: Any) -> tuple[Polygon, ...]:
    kind = geometry["type"]
    if kind == "Polygon":
        return (_polygon(geometry["coordinates"]),)
    if kind == "MultiPolygon":
        return tuple(_polygon(polygon) for polygon in geometry["coordinates"])
    raise ValueError(f"unsupported geometry type {kind!r}")


def _polygon(rings: Any) -> Polygon:
    return tuple(tuple((float(point[0]), float(point[1])) for point in ring) for ring in rings)


def outline_bounds(outlines: Iterable[Outline]) -> Bounds:
    lons: list[float] = []
    lats: list[float] = []
    for outline in outlines:
        for polygon in outline.polygons:
            for lon, lat in polygon[0] if polygon else ():
                lons.append(lon)
                lats.append(lat)
    if not lons:
        raise ValueError("no outlines to bound")
    return Bounds(west=min(lons), south=min(lats), east=max(lons), north=max(lats))


def label_point(outline: Outline) -> Point:
    """(lon, lat) of the area-weighted centroid of the largest exterior ring: islands must not pull a label off land."""
    best_area = -1.0
    best: Point | None = None
    for polygon in outline.polygons:
        if not polygon:
            continue
        area, centroid = _area_centroid(polygon[0])
        if area > best_area:
            best_area, best = area, centroid
    if best is None:
        raise ValueError(f"{outline.name} has no rings")
    return best


def _area_centroid(ring: Sequence[Point]) -> tuple[float, Point]:
    # Relative to the first point: at ~110°E the shoelace products of raw degrees would cancel away the digits.
    x0, y0 = ring[0]
    shifted = [(x - x0, y - y0) for x, y in ring]
    twice_area = cx = cy = 0.0
    for (xa, ya), (xb, yb) in zip(shifted, shifted[1:] + shifted[:1], strict=True):
        cross = xa * yb - xb * ya
        twice_area += cross
        cx += (xa + xb) * cross
        cy += (ya + yb) * cross
    if twice_area == 0:
        return 0.0, (x0 + sum(x for x, _ in shifted) / len(shifted), y0 + sum(y for _, y in shifted) / len(shifted))
    return abs(twice_area) / 2, (x0 + cx / (3 * twice_area), y0 + cy / (3 * twice_area))


# --- projection ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Projection:
    """Equirectangular with longitude scaled by cos(mean latitude), so at Hainan's 19°N shapes keep their proportions.

    Anchored at the top-left (west edge at x = padding, north edge at y = padding); spare room, if the box's aspect
    differs from the map's, is left on the right or at the bottom, where the legend goes.
    """

    west: float
    north: float
    x_scale: float  # pixels per degree of longitude
    y_scale: float  # pixels per degree of latitude
    padding: float

    @classmethod
    def fit(cls, bounds: Bounds, *, width: float, height: float, padding: float = PADDING) -> Projection:
        cos_lat = math.cos(math.radians((bounds.south + bounds.north) / 2))
        span_x = (bounds.east - bounds.west) * cos_lat
        span_y = bounds.north - bounds.south
        if span_x <= 0 or span_y <= 0:
            raise ValueError(f"bounds have no area: {bounds}")
        scale = min((width - 2 * padding) / span_x, (height - 2 * padding) / span_y)
        if scale <= 0:
            raise ValueError(f"a {width}×{height} box leaves no room inside padding {padding}")
        return cls(west=bounds.west, north=bounds.north, x_scale=scale * cos_lat, y_scale=scale, padding=padding)

    def __call__(self, lon: float, lat: float) -> Point:
        return self.padding + (lon - self.west) * self.x_scale, self.padding + (self.north - lat) * self.y_scale


def _screen_ring(ring: Ring, project: Projection) -> list[Point]:
    # A tenth of a pixel is below what any screen or printer shows, and rounding lets neighbouring points merge.
    points: list[Point] = []
    for lon, lat in ring:
        x, y = project(lon, lat)
        point = (round(x, 1), round(y, 1))
        if not points or point != points[-1]:
            points.append(point)
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()  # "Z" closes the ring
    return points


def _path_data(outline: Outline, project: Projection) -> str:
    parts = []
    for polygon in outline.polygons:
        for ring in polygon:
            points = _screen_ring(ring, project)
            if len(points) < 3:
                continue  # collapsed to a line or a dot at this scale
            (x, y), rest = points[0], points[1:]
            parts.append(f"M{_coord(x)},{_coord(y)}L" + " ".join(f"{_coord(a)},{_coord(b)}" for a, b in rest) + "Z")
    return "".join(parts)


def _coord(value: float) -> str:
    text = f"{value + 0.0:.1f}"  # + 0.0 turns -0.0 into 0.0
    return text.removesuffix(".0")


# --- classes ---------------------------------------------------------------------------------------------------------


def _finite(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return float(value)


def quantile_breaks(values: Iterable[float], classes: int) -> list[float]:
    """Up to ``classes - 1`` ascending breaks at quantiles, rounded to 3 significant digits so the legend shows the
    breaks actually used; ties collapse, so few distinct values give fewer classes."""
    data = sorted(v for v in values if math.isfinite(v))
    if classes < 2 or len(data) < 2:
        return []
    cuts = statistics.quantiles(data, n=classes, method="inclusive")
    return sorted({float(f"{cut:.3g}") for cut in cuts})


def classify(value: float, breaks: Sequence[float]) -> int:
    """Class index: 0 below the first break, i for breaks[i-1] <= value < breaks[i], len(breaks) from the last on."""
    return bisect.bisect_right(breaks, value)


def _checked_breaks(breaks: Sequence[float]) -> list[float]:
    result = [float(b) for b in breaks]
    if not all(math.isfinite(b) for b in result) or any(a >= b for a, b in pairwise(result)):
        raise ValueError(f"class breaks must be finite and strictly increasing: {list(breaks)}")
    return result


def _class_colours(colours: Sequence[str], classes: int) -> list[str]:
    # Fewer classes than colours take colours spread over the whole ramp, so contrast between classes stays high.
    if classes > len(colours):
        raise ValueError(f"{classes} classes but only {len(colours)} colours")
    if classes == 1:
        return [colours[len(colours) // 2]]
    last = len(colours) - 1
    return [colours[round(i * last / (classes - 1))] for i in range(classes)]


def format_number(value: float) -> str:
    """Thousands separators, at most 2 decimals (3 significant digits below 1), no trailing zeros."""
    if value == 0:
        return "0"
    decimals = 2 if abs(value) >= 1 else min(6, 2 - math.floor(math.log10(abs(value))))
    text = f"{value:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _legend_labels(breaks: Sequence[float], finite: Sequence[float]) -> list[str]:
    if not breaks:
        if not finite:
            return []
        low, high = min(finite), max(finite)
        return [format_number(low) if low == high else f"{format_number(low)} – {format_number(high)}"]
    labels = [f"< {format_number(breaks[0])}"]
    labels += [f"{format_number(a)} – {format_number(b)}" for a, b in pairwise(breaks)]
    labels.append(f"≥ {format_number(breaks[-1])}")
    return labels


# --- rendering -------------------------------------------------------------------------------------------------------


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
    outlines: Sequence[Outline] | None = None,
) -> str:
    """An ``<svg>`` element (no XML declaration, no namespace: meant for inlining in HTML) colouring each county.

    ``values``, ``labels`` and ``links`` are keyed by GB/T 2260 code; codes without an outline are ignored there.
    Labels should be short names (保亭, not 保亭黎族苗族自治县): full names overlap in the small southern counties.
    ``class_breaks`` b1 < … < bn give n + 1 classes (v < b1, b1 <= v < b2, …, v >= bn); without them the breaks are
    quantiles of the values shown. ``extra_markers`` draws a dot for units in MARKER_POSITIONS (洋浦), coloured in the
    same classes. ``outlines`` defaults to the bundled in-scope outlines.
    """
    if lang not in _NO_DATA:
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    if not colours:
        raise ValueError("colours must not be empty")
    shapes = list(outlines) if outlines is not None else list(_bundled_outlines())
    labels = labels or {}
    links = links or {}
    markers = extra_markers or {}
    unplaced = sorted(code for code in markers if code not in MARKER_POSITIONS)
    if unplaced:
        raise ValueError(f"no marker position for {', '.join(unplaced)}")

    county_values = {outline.code: _finite(values.get(outline.code)) for outline in shapes}
    marker_values = {code: _finite(value) for code, value in markers.items()}
    finite = [v for v in (*county_values.values(), *marker_values.values()) if v is not None]
    breaks = _checked_breaks(class_breaks) if class_breaks is not None else quantile_breaks(finite, len(colours))
    fills = _class_colours(colours, len(breaks) + 1)

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
            f'<path d="{_path_data(outline, project)}" fill="{_esc(fill(value))}" data-code="{_esc(outline.code)}">'
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
    parts.append(_legend(breaks, finite, fills, no_data_colour, legend_title, unit, lang, width, height))
    parts.append("</svg>")
    return "".join(parts)


def _legend(
    breaks: Sequence[float],
    finite: Sequence[float],
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
    rows = [*zip(fills, _legend_labels(breaks, finite), strict=False), (no_data_colour, _NO_DATA[lang])]
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
