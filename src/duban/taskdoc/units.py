"""Responsible units (责任单位) and their roles, read from a units text such as
``省发展改革委牵头，省民政厅、省市场监管局按职责分工负责，各市县政府负责。``"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from duban.taskdoc.lexicon import lexicon, one_of
from duban.taskdoc.model import Role, ScopeNote, UnitRef

_WORDS = lexicon()
# An optional manner ("按职责分工", "共同") and the verb that decides the role. The verb must end the
# clause, so a name that merely contains such a word (协同创新中心) is not cut.
_ROLE_RE = re.compile(f"(?:{one_of(_WORDS.manners)})?({one_of(_WORDS.verb_role)})" + r"(?=[，,；;。.、\s)）]|$)")

LABEL_ROLE: dict[str, Role | None] = {**_WORDS.label_role, **dict.fromkeys(_WORDS.neutral_labels)}
# Every label a units text may hold: those of roles, and those of people and times, whose text is skipped
# ("(责任领导:杜新国;牵头单位:区发改局)").
_LABEL_RE = re.compile(
    f"({one_of([*LABEL_ROLE, *_WORDS.people_labels, *_WORDS.time_labels, *_WORDS.progress_labels])})[：:]"
)
_FIRST_IS_LEAD_RE = re.compile(_WORDS.first_is_lead)
_EMPTY_BRACKETS = re.compile(r"[（(][\s，,；;。]*[)）]")

_SCOPE_RE = re.compile(r"[（(]((?:含|包括|不含|不包括)[^（）()]*)[)）]")
_NAME_SPLIT = re.compile(r"[、，,；;。/\s]+")
# "国家发展改革委会同有关部门负责": the unit named is responsible; whom it consults is nobody in particular.
_TOGETHER_WITH = re.compile(r"会同(?:其他)?(?:有关|相关)?(?:部门|单位|方面)?(?:等)?$")
# "等国务院相关部门", "等省有关部门", "等相关单位": what 等 sums up, a government's departments included, is dropped.
_TRAILING_ETC = re.compile(
    r"等(?:其他)?(?:国务院|中央|省直|市直|县直|区直|省|市|县|区)?(?:相关|有关)?(?:(?:部门|单位|机构)(?:和|及|、)?)*$"
)
# "有关部门", "相关单位" on their own name nobody; "各部门", "各有关部门" (every department) are a collective.
# "2", "10实际完成1": figures of a table run into a units list (宁波 2014) — no unit's name begins with a digit.
_NO_NAME = re.compile(r"^(?:\d|[^\u4e00-\u9fff]*$)")
_NOT_A_UNIT = re.compile(r"^(?:其他)?(?:相关|有关)?(?:部门|单位|机构)$")
_LOCAL_FRAGMENT = re.compile(r"^(?:市|县|区|州|盟|旗|乡|镇|自治县|自治州|县级市|街道)(?:[（(][^）)]*[)）])?[^、]{0,8}$")
_COMPLETE_LOCAL = ("政府", "办事处", "党委", "管委会")
_BARE_BODIES = frozenset(("管委会", "政府", "人民政府", "党委", "党工委", "人大", "政协", "纪委"))
# "各街道、区直各部门", "各街道、区市场局": a department after a local collective is a unit of its own.
_DEPARTMENT = re.compile(r"各|(?:局|委|厅|部门|单位|中心|公司|集团)$")
_ORG_SUFFIX = re.compile(f"(?:{one_of(_WORDS.unit_suffixes)})$")
_MARKS = "".join(_WORDS.name_marks)
_CONCERNED = re.compile(f"^(?:{one_of(_WORDS.concerned_words)})(?:地区|乡镇|街道|镇|乡|县|区|市|州|盟|乡镇办|镇街)")
_CONCERNED_EACH = re.compile(f"^各(?:{one_of(_WORDS.concerned_words)})(?=[市县区州省盟乡镇街])")


@dataclass
class UnitsReading:
    units: list[UnitRef] = field(default_factory=list)
    scope_notes: list[ScopeNote] = field(default_factory=list)
    # Names that stood in no role phrase and had no column or label to give them one.
    without_role: list[str] = field(default_factory=list)
    implausible: list[str] = field(default_factory=list)
    # The text declared that the first unit of a list is the lead ("列第一位者为牵头单位，下同").
    first_is_lead: bool = False


def is_local_collective(name: str) -> bool:
    """各市县政府, 各州（市）党委和政府, 各地 …: a collective of local governments (role ``local``)."""
    if name == "各地":
        return True
    if _CONCERNED.match(name):
        return True  # "相关街道", "有关乡镇办", "属地乡镇": the local governments the task concerns
    # "各有关区、县级市": the local governments the task concerns, written with 各
    name = _CONCERNED_EACH.sub("各", name)
    return len(name) > 1 and name[0] == "各" and (name[1] in "市县区州地省盟乡镇街" or "政府" in name or "党委" in name)


def is_collective(name: str) -> bool:
    """各有关部门, 省政府各部门, 相关单位 …: everyone of a kind rather than one named unit."""
    return is_local_collective(name) or name.startswith("各") or "各" in name[1:4] or name.startswith(("有关", "相关"))


def is_plausible_name(name: str) -> bool:
    return (
        1 < len(name) <= 30
        and "的" not in name
        and name.count("（") + name.count("(") == name.count("）") + name.count(")")
        and (is_local_collective(name) or _ORG_SUFFIX.search(name) is not None or _PLACE.match(name) is not None)
    )


# A district, county or city by its name ("岳麓区", "望城区", "浏阳市"): a unit when listed among units.
# Not "全区", "本市", "各县" (a scope or a collective), nor anything with digits.
_PLACE = re.compile(r"^[^\d\s全本该我每各其城市县区]{1}[^\d\s，,。；;、]{1,5}(?:区|县|市|旗)$")


def read_units(text: str, default_role: Role | None = None) -> UnitsReading:
    """Read a units text. ``default_role`` is the role a column or label gives to names without a phrase."""
    reading = UnitsReading()
    text, declared = _FIRST_IS_LEAD_RE.subn("", text)
    reading.first_is_lead = declared > 0
    text = _EMPTY_BRACKETS.sub("", text) if declared else text
    labelled = list(_LABEL_RE.finditer(text))
    if labelled:
        head = text[: labelled[0].start()]
        if head.strip("（(）) ，,；;。"):
            _read_clauses(head, default_role, reading)
        for i, match in enumerate(labelled):
            end = labelled[i + 1].start() if i + 1 < len(labelled) else len(text)
            if match.group(1) in LABEL_ROLE:
                _read_clauses(text[match.end() : end], LABEL_ROLE[match.group(1)], reading)
    else:
        _read_clauses(text, default_role, reading)
    seen: set[str] = set()
    unique: list[UnitRef] = []
    for unit in reading.units:
        if unit.name not in seen:
            seen.add(unit.name)
            unique.append(unit)
    reading.units = unique
    return reading


def has_role_phrase(text: str) -> bool:
    text = _FIRST_IS_LEAD_RE.sub("", _SCOPE_RE.sub("", text))
    return _ROLE_RE.search(text) is not None or any(m.group(1) in LABEL_ROLE for m in _LABEL_RE.finditer(text))


def looks_like_units(text: str, *, closing: bool = False) -> bool:
    """Whether a whole line or cell is a units text rather than task text or a date.

    ``closing``: the text closes a paragraph in brackets and ends with its role verb ("（…负责）"), which says
    already that it is a units text; then a name of an unknown kind (共青团中央 before its suffix was known)
    does not turn it into task text, as long as most names are of a known kind. The unknown names are
    warned about where the units are read.
    """
    if not text or len(text) > 400:
        return False
    reading = read_units(text, default_role="responsible")
    if not reading.units:
        return False
    if not reading.implausible:
        return True
    known = len(reading.units) - len(reading.implausible)
    return (
        closing
        and _ROLE_RE.search(text.rstrip("。.；; ")[-12:]) is not None
        and known >= 2 * len(reading.implausible)
        and all(len(name) <= 15 and "的" not in name for name in reading.implausible)
    )


def _read_clauses(text: str, default_role: Role | None, reading: UnitsReading) -> None:
    text = _take_scope_notes(text, reading)
    position = 0
    for match in _ROLE_RE.finditer(text):
        _add_names(text[position : match.start()], _WORDS.verb_role[match.group(1)], reading)
        position = match.end()
    _add_names(text[position:], default_role, reading)


def _take_scope_notes(text: str, reading: UnitsReading) -> str:
    def take(match: re.Match[str]) -> str:
        before = _NAME_SPLIT.split(match.string[: match.start()])
        term = before[-1] if before else ""
        includes: list[str] = []
        excludes: list[str] = []
        for part in re.split(r"[，,；;]", match.group(1)):
            part = part.strip()
            places: list[str] | None = None
            if part.startswith(("不含", "不包括")):
                places, part = excludes, re.sub(r"^不(?:含|包括)", "", part)
            elif part.startswith(("含", "包括")):
                places, part = includes, re.sub(r"^(?:含|包括)", "", part)
            if places is not None:
                places.extend(p for p in re.split(r"[、和及]", part.replace("下同", "")) if p)
        note = ScopeNote(term, includes, excludes, "下同" in match.group(1))
        if term and all(n.term != term for n in reading.scope_notes):
            reading.scope_notes.append(note)
        return ""

    return _SCOPE_RE.sub(take, text)


def _joined_by_and(name: str) -> list[str]:
    """ "省财政厅和省发展改革委" → two names; "住房和城乡建设厅" and "各州（市）党委和政府" stay one."""
    if is_collective(name) or not re.search("[和及]", name):
        return [name]
    parts = [part for part in re.split("[和及]", name) if part]
    if any(part in _BARE_BODIES for part in parts[1:]):
        return [name]  # "高新区党工委和管委会": the second body is of the same place, written once
    if len(parts) > 1 and all(
        len(part) >= 3 and (is_plausible_name(part) or is_local_collective(part)) and not _NOT_A_UNIT.match(part)
        for part in parts
    ):
        return parts
    return [name]


def _trim(raw: str) -> str:
    """A name without the quotes, colons and unmatched brackets around it: "各街道(功能区)" keeps its own."""
    name = raw.strip("：:\"“”‘’'").lstrip(_MARKS)
    while name and name[0] in "（(" and name.count("（") + name.count("(") > name.count("）") + name.count(")"):
        name = name[1:]
    while name and name[-1] in "）)" and name.count("）") + name.count(")") > name.count("（") + name.count("("):
        name = name[:-1]
    if name[:1] in "（(" and name[-1:] in "）)":
        name = name[1:-1]
    return name.strip("：:\"“”‘’'")


def _add_names(segment: str, role: Role | None, reading: UnitsReading) -> None:
    names: list[str] = []
    distributed: set[str] = set()
    # "扶贫办、商务部等和各有关省级人民政府负责": 等 closes the departments and 和 joins a collective.
    # "省农业厅等省直有关部门和各市人民政府": what 等 sums up is dropped with it.
    segment = re.sub(r"等(?:[^、，,和及]{0,8}?(?:部门|单位))?(?:和|及|以及)(?=各)", "、", segment)
    # "省直各部门和各市人民政府": departments, then the local governments, each a unit of its own.
    segment = re.sub(r"(?<=部门|单位)(?:和|及|以及)(?=各[市县区州乡镇街地])", "、", segment)
    for raw in _NAME_SPLIT.split(segment):
        name = _trim(raw)
        if name.startswith("由") and len(name) > 2:
            name = name[1:]
        name = _TRAILING_ETC.sub("", _TOGETHER_WITH.sub("", name))
        if not name or _NOT_A_UNIT.match(name) or _NO_NAME.match(name):
            continue
        joined = _joined_by_and(name)
        if len(joined) > 1:
            names.extend(joined)  # "Y、Z和W及相关盟市配合": 和 and 及 separate names too
            continue
        if (
            names
            and names[-1].startswith("各")
            and (
                name in _WORDS.area_kinds
                or (not is_local_collective(names[-1]) and _LOCAL_FRAGMENT.match(name) and not _DEPARTMENT.search(name))
            )
        ):
            # "各县区、功能板块", "各开发区、镇(街道)": the 各 covers the next kind of area as well
            distributed.add(name)
            names.append(name)
            continue
        if names and is_local_collective(names[-1]) and _LOCAL_FRAGMENT.match(name) and not _DEPARTMENT.search(name):
            if not names[-1].endswith(_COMPLETE_LOCAL):
                names[-1] = f"{names[-1]}、{name}"  # 各市、县、自治县人民政府: one collective written in parts
                continue
            distributed.add(name)  # 各乡镇人民政府、街道办事处: the 各 covers the second collective too
        names.append(name)
    for name in names:
        if is_local_collective(name) or name in distributed:
            reading.units.append(UnitRef(name, "local"))
            continue
        if not is_plausible_name(name):
            reading.implausible.append(name)
        if role is None:
            reading.without_role.append(name)
            reading.units.append(UnitRef(name, "responsible"))
        else:
            reading.units.append(UnitRef(name, role))
