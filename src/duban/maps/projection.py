"""From degrees to the pixels of the drawing, and outlines as SVG path data."""

from __future__ import annotations

import math
from dataclasses import dataclass

from duban.maps.geometry import Bounds, Outline, Point, Ring

PADDING = 16


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


def path_data(outline: Outline, project: Projection) -> str:
    """The ``d`` attribute of an outline's path: every ring that still has an area at this scale."""
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
