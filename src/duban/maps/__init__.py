"""A choropleth map of Hainan's cities and counties, drawn as SVG markup from outlines handed in.

The office works offline (no tile servers, no CDN) and prints its dashboards, so the map is plain vector markup
with no external reference of any kind. Pure: standard library only, no Django and no other duban app; where the
outlines come from is the caller's business (the dashboard bundles them, see ``duban.web.mapsvg``).

``geometry`` holds the outlines, ``projection`` turns degrees into pixels and path data, ``scale`` puts values in
colour classes, and ``svg`` draws the map and its legend.
"""

from duban.maps.geometry import (
    MARKER_POSITIONS,
    Bounds,
    MarkerPosition,
    Outline,
    label_point,
    outline_bounds,
    outlines_from_geojson,
    read_outlines,
)
from duban.maps.projection import Projection
from duban.maps.scale import NO_DATA_COLOUR, YLGNBU_5, classify, format_number, quantile_breaks
from duban.maps.svg import as_standalone_svg, render_map

__all__ = [
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
    "outline_bounds",
    "outlines_from_geojson",
    "quantile_breaks",
    "read_outlines",
    "render_map",
]
