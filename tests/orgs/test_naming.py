"""区划类型 from a name or a statutory code: what a register that gives only names and levels still says."""

from __future__ import annotations

import pytest

from duban.orgs.naming import area_type_inferred


@pytest.mark.parametrize(
    ("name", "code", "level", "expected"),
    [
        # The name says it.
        ("秀英街道", "", "township", "街道"),
        ("青龙山街道办事处", "", "township", "街道"),
        ("长流镇", "", "township", "镇"),
        ("南江布依族苗族乡", "", "township", "乡"),
        ("鄂温克民族苏木", "", "township", "乡"),
        ("乐东黎族自治县", "469027", "jurisdiction", "自治县"),
        ("定安县", "", "jurisdiction", "县"),
        ("广西壮族自治区", "450000", "province", "自治区"),
        ("黔东南苗族侗族自治州", "522600", "jurisdiction", "自治州"),
        ("某区", "", "district", "市辖区"),
        # The statistical division code says it: digits 7–9.
        ("高寨", "520121201000", "township", "乡"),
        ("中华北路", "520103001000", "township", "街道"),
        ("城关", "520121100", "township", "镇"),
        ("国营林场", "520181400000", "township", "类似乡级单位"),
        ("洋浦经济开发区", "460400499", "township", "类似乡级单位"),
        # ... and wins over the name: the statistics count 加来镇 as a farm-like unit.
        ("加来镇", "469024401", "township", "类似乡级单位"),
        # A city is 地级 or 县级 by its code; a county code's last two digits.
        ("海口市", "460100", "jurisdiction", "地级市"),
        ("文昌市", "469005", "jurisdiction", "县级市"),
        ("五指山市", "469001", "jurisdiction", "县级市"),
        ("屯昌", "469022", "jurisdiction", "县"),
        ("安宁市", "530181", "district", "县级市"),
        ("五华", "530102", "district", "市辖区"),
        ("北京市", "110000", "province", "直辖市"),
        # Nothing tells: left empty rather than guessed.
        ("某市", "", "jurisdiction", ""),
        ("某开发区", "", "district", ""),
        ("甲", "X1", "township", ""),
        ("某村", "520121201001", "township", ""),
    ],
)
def test_area_type_inferred(name: str, code: str, level: str, expected: str) -> None:
    assert area_type_inferred(name=name, code=code, level=level) == expected
