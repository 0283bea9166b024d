"""The server-drawn SVG map of Hainan: structure, classes worked out by hand, escaping and size. No database."""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from duban.maps import (
    MARKER_POSITIONS,
    NO_DATA_COLOUR,
    YLGNBU_5,
    Bounds,
    Outline,
    Projection,
    as_standalone_svg,
    classify,
    format_number,
    label_point,
    outline_bounds,
    quantile_breaks,
)
from duban.web.mapsvg import load_outlines, render_map

GREY = NO_DATA_COLOUR
C0, C1, C2, C3, C4 = YLGNBU_5
YANGPU = "460400499"
OUTLINES = load_outlines()
CODES = [outline.code for outline in OUTLINES]
# Short names as a dashboard would label them (保亭黎族苗族自治县 → 保亭): full names overlap in the small counties.
SHORT = {o.code: o.name.replace("黎族苗族自治县", "").replace("黎族自治县", "").rstrip("市县") for o in OUTLINES}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def county_paths(root: ET.Element) -> dict[str, ET.Element]:
    return {path.get("data-code", ""): path for path in root.iter("path") if path.get("data-code")}


def fills(svg: str) -> dict[str, str]:
    return {code: path.get("fill", "") for code, path in county_paths(parse(svg)).items()}


def legend_texts(root: ET.Element) -> list[str]:
    legend = root.find(".//g[@class='legend']")
    assert legend is not None
    return [text.text or "" for text in legend.iter("text")]


def full_map() -> str:
    values = {code: float(index) for index, code in enumerate(CODES, start=1)}
    return render_map(
        values,
        legend_title="每千名老年人口养老床位数",
        unit="张",
        labels={**SHORT, YANGPU: "洋浦"},
        links={code: f"/indicators/beds/?county={code}&period=2024" for code in [*CODES, YANGPU]},
        extra_markers={YANGPU: 12.0},
        title="2024年每千名老年人口养老床位数",
    )


# --- outlines --------------------------------------------------------------------------------------------------------


def test_bundled_outlines_are_the_18_in_scope_cities_and_counties() -> None:
    assert len(OUTLINES) == 18
    assert "460300" not in CODES  # 三沙
    assert len(set(CODES)) == 18
    danzhou = next(outline for outline in OUTLINES if outline.code == "460400")
    assert danzhou.name == "儋州市"
    assert len(danzhou.polygons) == 2  # the main outline (with 洋浦) and an offshore island


def test_load_outlines_drops_features_out_of_plan_scope(tmp_path: Path) -> None:
    square = [[[109.0, 19.0], [110.0, 19.0], [110.0, 20.0], [109.0, 20.0], [109.0, 19.0]]]
    features = [
        {"type": "Feature", "properties": {"code": "1", "name": "甲", "in_plan_scope": True},
         "geometry": {"type": "Polygon", "coordinates": square}},
        {"type": "Feature", "properties": {"code": "2", "name": "乙", "in_plan_scope": False},
         "geometry": {"type": "MultiPolygon", "coordinates": [square]}},
    ]  # fmt: skip
    path = tmp_path / "two.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    assert [outline.code for outline in load_outlines(path)] == ["1"]


def test_label_point_is_the_centroid_of_the_largest_ring() -> None:
    big = ((0.0, 0.0), (4.0, 0.0), (4.0, 2.0), (0.0, 2.0), (0.0, 0.0))
    island = ((10.0, 10.0), (11.0, 10.0), (11.0, 11.0), (10.0, 10.0))
    # An L shape of two unit squares at (0,0)-(2,1) and (0,1)-(1,2): area 3, centroid ((2*1 + 0.5*1) / 3, …) each way.
    ell = ((0.0, 0.0), (2.0, 0.0), (2.0, 1.0), (1.0, 1.0), (1.0, 2.0), (0.0, 2.0), (0.0, 0.0))
    assert label_point(Outline("1", "x", ((island,), (big,)))) == pytest.approx((2.0, 1.0))
    assert label_point(Outline("2", "y", ((ell,),))) == pytest.approx((2.5 / 3, 2.5 / 3))


# --- projection ------------------------------------------------------------------------------------------------------


def test_projection_puts_the_west_and_north_edges_at_the_padding() -> None:
    bounds = Bounds(west=108.0, south=18.0, east=111.0, north=20.0)
    project = Projection.fit(bounds, width=400, height=300, padding=10)
    assert project(108.0, 20.0) == pytest.approx((10.0, 10.0))
    assert project(108.0, 18.7)[0] == pytest.approx(10.0)
    assert project(109.3, 20.0)[1] == pytest.approx(10.0)
    # Longitude is shortened by cos(19°) = 0.9455…; 3° × 0.9455 = 2.8366 "degrees" against 2° of latitude, so the
    # width limits: scale = 380 / 2.8366 = 133.96 px per degree, and the east edge lands on 400 - 10.
    assert project.x_scale / project.y_scale == pytest.approx(math.cos(math.radians(19.0)))
    assert project(111.0, 19.0)[0] == pytest.approx(390.0)
    assert project(108.0, 18.0)[1] == pytest.approx(10 + 2 * 380 / (3 * math.cos(math.radians(19.0))))
    assert project(108.0, 18.0)[1] < 290  # y grows southwards and stays inside the box


def test_hainan_fits_the_default_box() -> None:
    bounds = outline_bounds(OUTLINES)
    assert bounds.south > 18 and bounds.north < 20.2  # 三沙 (3.8°N) is not in it
    project = Projection.fit(bounds, width=640, height=520, padding=16)
    west_x, north_y = project(bounds.west, bounds.north)
    east_x, south_y = project(bounds.east, bounds.south)
    assert (west_x, north_y) == pytest.approx((16.0, 16.0))
    assert east_x <= 624 + 1e-9 and south_y <= 504 + 1e-9


# --- classes ---------------------------------------------------------------------------------------------------------


def test_classify_puts_a_value_on_a_break_in_the_upper_class() -> None:
    breaks = [10.0, 20.0]
    assert [classify(v, breaks) for v in (-5, 9.99, 10, 19.99, 20, 1e9)] == [0, 0, 1, 1, 2, 2]


def test_quantile_breaks_of_1_to_18() -> None:
    # Inclusive quintiles of 1…18: position i × 17 / 5 = 3.4, 6.8, 10.2, 13.6 (0-based) → 4.4, 7.8, 11.2, 14.6.
    assert quantile_breaks([float(v) for v in range(1, 19)], 5) == pytest.approx([4.4, 7.8, 11.2, 14.6])
    assert quantile_breaks([3.0, 3.0, 3.0], 5) == [3.0]  # ties collapse into one break
    assert quantile_breaks([7.0], 5) == []


@pytest.mark.parametrize(
    ("value", "text"),
    [(12.5, "12.5"), (12.50001, "12.5"), (3.0, "3"), (15985, "15,985"), (0.0123, "0.0123"), (0, "0"), (-2.25, "-2.25")],
)
def test_format_number_drops_trailing_zeros(value: float, text: str) -> None:
    assert format_number(value) == text


def test_fills_follow_explicit_breaks() -> None:
    values = {
        "460100": 5.0,  # < 10 → class 0
        "460200": 10.0,  # on the first break → class 1
        "460400": 25.0,  # 20 ≤ 25 < 30 → class 2
        "469001": 39.9,  # 30 ≤ 39.9 < 40 → class 3
        "469002": 40.0,  # ≥ 40 → class 4
        "469005": 1000.0,  # ≥ 40 → class 4
        "469006": None,
        "469007": math.nan,
        "469021": math.inf,
    }
    got = fills(render_map(values, legend_title="比例", unit="%", class_breaks=[10, 20, 30, 40]))
    assert got["460100"] == C0
    assert got["460200"] == C1
    assert got["460400"] == C2
    assert got["469001"] == C3
    assert got["469002"] == C4
    assert got["469005"] == C4
    assert got["469006"] == got["469007"] == got["469021"] == GREY
    assert got["469022"] == GREY  # not in the mapping at all


def test_fewer_breaks_spread_over_the_palette() -> None:
    # Two breaks make three classes; they take palette colours 0, 2 and 4 so neighbours stay distinct.
    svg = render_map({"460100": 9.99, "460200": 10, "460400": 20}, legend_title="x", unit="", class_breaks=[10, 20])
    got = fills(svg)
    assert (got["460100"], got["460200"], got["460400"]) == (C0, C2, C4)
    assert legend_texts(parse(svg))[1:] == ["< 10", "10 – 20", "≥ 20", "暂无数据"]


def test_default_breaks_are_quantiles_of_the_values() -> None:
    values = {code: float(index) for index, code in enumerate(CODES, start=1)}
    svg = render_map(values, legend_title="床位", unit="张")
    got = fills(svg)
    # Breaks 4.4, 7.8, 11.2, 14.6 (see test_quantile_breaks_of_1_to_18): 1-4 | 5-7 | 8-11 | 12-14 | 15-18.
    expected = [C0] * 4 + [C1] * 3 + [C2] * 4 + [C3] * 3 + [C4] * 4
    assert [got[code] for code in CODES] == expected
    assert legend_texts(parse(svg)) == [
        "床位（张）",
        "< 4.4",
        "4.4 – 7.8",
        "7.8 – 11.2",
        "11.2 – 14.6",
        "≥ 14.6",
        "暂无数据",
    ]


def test_invalid_breaks_are_refused() -> None:
    with pytest.raises(ValueError, match="strictly increasing"):
        render_map({}, legend_title="x", unit="", class_breaks=[20, 10])
    with pytest.raises(ValueError, match="colours"):
        render_map({}, legend_title="x", unit="", class_breaks=[1, 2, 3, 4, 5])


# --- the SVG ---------------------------------------------------------------------------------------------------------


def test_full_map_is_well_formed_accessible_and_self_contained() -> None:
    svg = full_map()
    root = parse(svg)
    assert root.tag == "svg"
    assert root.get("role") == "group"  # it holds links; see the next test for a plain map
    assert root[0].tag == "title" and root[0].text == "2024年每千名老年人口养老床位数"
    paths = county_paths(root)
    assert sorted(paths) == sorted(CODES)
    assert all(path.get("d", "").startswith("M") and path.get("fill") for path in paths.values())
    assert "http" not in svg.lower()
    assert "<image" not in svg and "url(" not in svg and "@import" not in svg
    assert "Noto Sans CJK SC" in (root.get("font-family") or "")
    assert "sans-serif" in (root.get("font-family") or "")


def test_plain_map_has_role_img_and_tooltips() -> None:
    root = parse(render_map({"460100": 12.5}, legend_title="床位", unit="张", class_breaks=[10]))
    assert root.get("role") == "img"
    assert root.find("title") is not None
    titles = {code: path.findtext("title") for code, path in county_paths(root).items()}
    assert titles["460100"] == "海口市：12.5张"
    assert titles["460200"] == "三亚市：暂无数据"
    assert not list(root.iter("a"))


def test_english_tooltips_and_legend() -> None:
    root = parse(render_map({"460100": 12.5}, legend_title="Beds", unit="per 1,000", lang="en", class_breaks=[10]))
    titles = {code: path.findtext("title") for code, path in county_paths(root).items()}
    assert titles["460100"] == "海口市: 12.5 per 1,000"
    assert titles["460200"] == "三亚市: no data"
    assert legend_texts(root)[-1] == "no data"


def test_links_wrap_the_county_paths() -> None:
    links = {"460100": "/c/460100/?a=1&b=2", "460200": "/c/460200/"}
    root = parse(render_map({}, legend_title="x", unit="", links=links))
    anchors = list(root.iter("a"))
    assert len(anchors) == 2
    by_code = {a.find("path").get("data-code"): a for a in anchors}  # type: ignore[union-attr]
    assert by_code["460100"].get("href") == "/c/460100/?a=1&b=2"
    assert by_code["460200"].get("aria-label") == "三亚市：暂无数据"


def test_labels_appear_at_the_counties() -> None:
    root = parse(render_map({}, legend_title="x", unit="", labels={"460100": "海口", "469030": "琼中"}))
    label_texts = [text.text for text in root.iter("text")]
    assert "海口" in label_texts and "琼中" in label_texts
    assert "三亚" not in label_texts


def test_yangpu_marker_is_drawn_only_when_given() -> None:
    plain = parse(render_map({}, legend_title="x", unit=""))
    assert plain.find(".//g[@class='marker']") is None

    svg = render_map({}, legend_title="x", unit="", class_breaks=[10, 20, 30, 40], extra_markers={YANGPU: 25.0})
    marker = parse(svg).find(".//g[@class='marker']")
    assert marker is not None and marker.get("data-marker") == YANGPU
    dot = marker.findall("circle")[-1]
    assert dot.get("fill") == C2  # 20 ≤ 25 < 30
    assert marker.findtext("text") == "洋浦"
    assert marker.findtext("title") == "洋浦经济开发区：25"
    # It sits inside the drawing, in 儋州's north-west quarter.
    x, y = float(dot.get("cx", "nan")), float(dot.get("cy", "nan"))
    danzhou = next(outline for outline in OUTLINES if outline.code == "460400")
    project = Projection.fit(outline_bounds(OUTLINES), width=640, height=520, padding=16)
    d_west, d_north = project(*outline_bounds([danzhou])[::3])
    centre_x, centre_y = project(*label_point(danzhou))
    assert d_west < x < centre_x and d_north < y < centre_y

    no_value = parse(render_map({}, legend_title="x", unit="", extra_markers={YANGPU: None}))
    assert no_value.findall(".//g[@class='marker']/circle")[-1].get("fill") == GREY


def test_unknown_marker_is_refused() -> None:
    assert YANGPU in MARKER_POSITIONS
    with pytest.raises(ValueError, match="469999"):
        render_map({}, legend_title="x", unit="", extra_markers={"469999": 1.0})


def test_xml_special_characters_are_escaped() -> None:
    square = ((109.0, 19.0), (110.0, 19.0), (110.0, 20.0), (109.0, 20.0), (109.0, 19.0))
    odd = Outline(code='9<9"', name='A&B <县> "x"', polygons=((square,),))
    svg = render_map(
        {'9<9"': 3.5},
        legend_title="比例 < 5 & > 1",
        unit="'%'",
        labels={'9<9"': "<b>&amp;"},
        links={'9<9"': '/x?a=1&b="2"'},
        title="<script>",
        outlines=[odd],
    )
    assert "<script>" not in svg and "<b>" not in svg
    root = parse(svg)
    path = next(root.iter("path"))
    assert path.get("data-code") == '9<9"'
    assert path.findtext("title") == "A&B <县> \"x\"：3.5'%'"
    assert next(root.iter("a")).get("href") == '/x?a=1&b="2"'
    texts = [text.text for text in root.iter("text")]
    assert "<b>&amp;" in texts
    assert "<script>" in texts and root.findtext("title") == "<script>"
    assert legend_texts(root)[0] == "比例 < 5 & > 1（'%'）"


def test_empty_mapping_draws_an_all_grey_map() -> None:
    svg = render_map({}, legend_title="床位", unit="张")
    assert set(fills(svg).values()) == {GREY}
    assert len(fills(svg)) == 18
    assert legend_texts(parse(svg)) == ["床位（张）", "暂无数据"]


def test_full_map_is_small() -> None:
    assert len(full_map().encode("utf-8")) < 60_000


def test_standalone_file_declares_the_svg_namespace() -> None:
    root = ET.fromstring(as_standalone_svg(render_map({}, legend_title="x", unit="")).encode("utf-8"))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert len(root.findall(".//{http://www.w3.org/2000/svg}path")) == 18
