"""The dashboard's map over the outlines bundled with the web app (``data/hainan_counties.geojson``).

The drawing is ``duban.maps``; this shell only knows where the outlines are kept and reads them once per process.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from duban import maps
from duban.maps import Outline

# Beside this module rather than via importlib.resources, so it works whether or not duban.web has an __init__.py.
DATA_PATH = Path(__file__).parent / "data" / "hainan_counties.geojson"


def load_outlines(path: Path | None = None) -> list[Outline]:
    """The in-scope outlines of a GeoJSON file (default: the bundled Hainan file), in file order."""
    if path is None:
        return list(_bundled_outlines())
    return maps.read_outlines(path)


@functools.cache
def _bundled_outlines() -> tuple[Outline, ...]:
    # Every page view draws a map; the bundled file never changes while the process runs.
    return tuple(maps.read_outlines(DATA_PATH))


def render_map(values: Mapping[str, float | None], *, outlines: Sequence[Outline] | None = None, **options: Any) -> str:
    """``duban.maps.render_map`` with the bundled outlines unless ``outlines`` are given."""
    return maps.render_map(values, outlines=_bundled_outlines() if outlines is None else outlines, **options)
