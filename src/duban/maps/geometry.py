"""Outlines of the map's areas in degrees: reading them from GeoJSON, their bounds and where a label goes."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

Point = tuple[float, float]
Ring = tuple[Point, ...]
Polygon = tuple[Ring, ...]  # exterior ring first, then any holes


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


def read_outlines(path: Path) -> list[Outline]:
    """The in-scope outlines of a GeoJSON file, in file order."""
    return outlines_from_geojson(json.loads(path.read_text(encoding="utf-8")))


def outlines_from_geojson(document: Mapping[str, Any]) -> list[Outline]:
    """The in-scope outlines of a GeoJSON feature collection whose features carry ``code`` and ``name``."""
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
