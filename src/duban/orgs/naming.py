"""Unit names as people write them, made comparable. Pure: no Django."""

from __future__ import annotations

import difflib
import re

from duban.taskdoc.normalize import normalise_cell

_ASCII_PARENS = str.maketrans({"(": "（", ")": "）"})


def normalise_name(name: str) -> str:
    """The form names are stored and matched in: simplified, no whitespace, full-width parentheses."""
    return normalise_cell(name).translate(_ASCII_PARENS)


def closest(name: str, candidates: list[str], limit: int = 3) -> list[str]:
    """The registry names most like ``name``, best first, for "did you mean" hints."""
    found = difflib.get_close_matches(name, candidates, n=limit, cutoff=0.45)
    if len(found) < limit:
        core = re.sub(r"^(?:省|市|县|海南省)", "", name)
        found += [c for c in candidates if core and core in c and c not in found][: limit - len(found)]
    return found


# Name endings that say an area's type, longest first where one ends another (自治县 before 县, 自治区 before 区).
# 民族乡 and 苏木 are 乡 for every count of townships; 街道办事处 is how some registers write a 街道.
_TYPE_ENDINGS = (
    ("特别行政区", "特别行政区"),
    ("街道办事处", "街道"),
    ("民族苏木", "乡"),
    ("民族乡", "乡"),
    ("自治区", "自治区"),
    ("自治州", "自治州"),
    ("自治县", "自治县"),
    ("自治旗", "自治旗"),
    ("街道", "街道"),
    ("苏木", "乡"),
    ("林区", "林区"),
    ("特区", "特区"),
    ("地区", "地区"),
    ("省", "省"),
    ("盟", "盟"),
    ("旗", "旗"),
    ("县", "县"),
    ("镇", "镇"),
    ("乡", "乡"),
)


def area_type_inferred(*, name: str, code: str, level: str) -> str:
    """区划类型 from an area's name, or else from its statutory code, for a register that gives neither: "" when
    neither tells.

    Codes follow GB/T 2260 (six digits) and the statistical division code (统计用区划代码, nine or twelve
    digits). In a county code the last two digits say 01–20 市辖区, 21–80 县, 81–99 县级市 — except under a
    province's directly administered counties (省直辖县级行政区划, 90 in digits 3–4), where 01–20 are 县级市 too.
    In a township code digits 7–9 say 001–099 街道, 100–199 镇, 200–399 乡, 400–599 类似乡级单位 (farms, zones).
    A city (市) is told 地级 or 县级 by its code alone. A township's code is the statistics' own classification
    and wins over its name (加来镇 is counted as 类似乡级单位, 401).
    """
    name = normalise_name(name)
    digits = code.strip() if code.strip().isdigit() else ""
    township = _township_type(digits)
    if township is not None:
        return township
    for ending, kind in _TYPE_ENDINGS:
        if name.endswith(ending):
            return kind
    if level == "district" and name.endswith("区") and not name.endswith(("开发区", "园区", "管理区")):
        return "市辖区"
    if not digits:
        return ""
    county = digits[:6] if len(digits) in (6, 9, 12) and digits[6:].strip("0") == "" else ""
    if not county:
        return ""
    if county[2:] == "0000":
        return "直辖市" if name.endswith("市") else ""
    if county[4:] == "00":
        return "地级市" if name.endswith("市") else ""
    number = int(county[4:])
    if county[2:4] == "90":
        return "县级市" if number <= 20 or number > 80 else "县"
    if name.endswith("区") or (number <= 20 and not name.endswith("市")):
        return "市辖区"
    if number <= 80:
        return "县"
    return "县级市"


def _township_type(digits: str) -> str | None:
    """The type a township-level statistical code gives; None for a code that is not one."""
    if len(digits) not in (9, 12) or digits[6:9] == "000":
        return None
    if digits[9:].strip("0"):  # a village's code: no township type at all
        return ""
    number = int(digits[6:9])
    if number < 100:
        return "街道"
    if number < 200:
        return "镇"
    if number < 400:
        return "乡"
    return "类似乡级单位" if number < 600 else ""
