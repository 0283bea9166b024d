"""What one cell or line says: noise, a column heading, a number or list marker, a deadline, or a paragraph's
task text, units and deadline."""

from __future__ import annotations

import re
from dataclasses import dataclass

import cn2an

from duban.taskdoc.layout.raw import RawTask
from duban.taskdoc.lexicon import lexicon, one_of, target_words
from duban.taskdoc.model import Role
from duban.taskdoc.units import LABEL_ROLE, has_role_phrase, is_plausible_name, looks_like_units

# ------------------------------------------------------------------------------------------- noise

_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－﹣―~]+\s*\d+\s*[-—–－﹣―~]+|第\s*\d+\s*页(?:\s*[，,/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|"
    r"[-—–－﹣―]\s*\d+|\d+\s*[-—–－﹣―])$"
)
_ATTACHMENT = re.compile(r"^附件\s*\d*\s*[:：]?")
# The close of a document: its distribution lines and the short line of the office that issued it and when
# ("市政府办公厅 2018年5月3日"), not a sentence that mentions an office and a date.
END_OF_BODY = re.compile(
    r"^(?:抄送|抄报|主送)[:：]|印发$|^[^\s，,。；;]{0,30}办公厅[^\s，,。；;]{0,10}\d{4}年\d{1,2}月\d{1,2}日"
)
_TITLE_HINT = re.compile(r"分工|清单|任务表|分解表|方案|措施|台账|计划|意见|通知|规划|决定|办法|要点|纲要|[表单]$")


def is_noise(text: str) -> bool:
    return not text or _PAGE_NUMBER.match(text) is not None or _ATTACHMENT.sub("", text) == ""


def title_candidate(text: str) -> str | None:
    """A document's own title: short, without final punctuation or units, naming what it is."""
    text = _ATTACHMENT.sub("", text).strip()
    if (
        4 <= len(text) <= 60
        and _TITLE_HINT.search(text)
        and not has_role_phrase(text)
        and text[-1] not in "。；;，,：:）)"
        and MARKER.match(text) is None
    ):
        return text
    return None


# ---------------------------------------------------------------------------------------- columns

COL_NUMBER, COL_TEXT, COL_UNITS, COL_DEADLINE, COL_LEADER, COL_OTHER, COL_MEASURE, COL_GOAL = (
    "number",
    "text",
    "units",
    "deadline",
    "leader",
    "other",
    "measure",  # an indicator table's 单位: the measure of the target value
    "goal",  # an indicator table's 年度目标 / 目标值: the target value itself
)


@dataclass(frozen=True)
class Column:
    kind: str
    role: Role | None = None
    # A units column whose header names the person in charge too ("牵头单位及主要负责人"): its cells give a
    # person's name beside the unit's ("市民政局 伍泽国"), which is no unit.
    with_people: bool = False


_WORDS = lexicon()
_MEASURES = frozenset(target_words().measures)
_TEXT_HEADER = re.compile(one_of(_WORDS.text_header_words))
_OTHER_HEADER = re.compile(one_of(_WORDS.other_header_words))
# The role verbs, and 责任 of 责任主体, in a mixed header ("责任主体与协同单位").
_HEADER_ROLE_OF: dict[str, Role] = {**_WORDS.verb_role, "责任": "responsible"}
_HEADER_ROLE = re.compile(one_of(_HEADER_ROLE_OF))
# A text that ends in a role verb ("…市发改委牵头"): the end of a units clause.
ROLE_AT_END = re.compile(f"(?:{one_of(_WORDS.verb_role)})$")
_SENTENCE_MARK = re.compile(r"[。，,；;、：:！!？?]")
_TIME_HEADER = re.compile(one_of((*_WORDS.time_labels, "截止时间", "完成时间节点")))


_UNITS_AND_PERSON = re.compile(f"^({one_of(_WORDS.label_role)})(?:及|和|与|、)(?:主要|具体)?(?:负责人|责任人|联系人)$")


def classify_header(cell: str) -> Column | None:
    """What a column header names (the words are ``[columns]`` and the labels in ``lexicon/roles.toml``)."""
    c = re.sub(r"[\s（）()]", "", cell)
    if not c or len(c) > 12 or _SENTENCE_MARK.search(c) or MARKER.match(cell.strip()):
        return None  # a header is a short name: "二、主要任务" or "(一)开办企业领域。" is a heading or a text
    if c in _WORDS.number_headers:
        return Column(COL_NUMBER)
    if c in _WORDS.measure_headers:
        return Column(COL_MEASURE)
    if (with_person := _UNITS_AND_PERSON.match(c)) is not None:
        return Column(COL_UNITS, _WORDS.label_role[with_person.group(1)], with_people=True)
    if c in _WORDS.people_labels or "领导" in c or "责任人" in c:
        return Column(COL_LEADER)
    if _TIME_HEADER.search(c):
        return Column(COL_DEADLINE)
    if c in _WORDS.label_role:
        return Column(COL_UNITS, _WORDS.label_role[c])
    if c.endswith(("单位", "部门", "主体")) and (roles := _HEADER_ROLE.findall(c)):
        # a mixed header ("责任主体与协同单位"): the role named last is the column's
        return Column(COL_UNITS, _HEADER_ROLE_OF[roles[-1]])
    if _OTHER_HEADER.search(c):
        return Column(COL_OTHER)
    if _TEXT_HEADER.search(c):
        return Column(COL_TEXT)
    return None


_COLUMN_NAMES = {
    COL_NUMBER: "序号",
    COL_TEXT: "任务",
    COL_DEADLINE: "时限",
    COL_LEADER: "领导（不是单位）",
    COL_OTHER: "其他（不读）",
    COL_MEASURE: "计量单位",
    COL_GOAL: "目标值",
}
_ROLE_NAMES = {"lead": "牵头单位", "responsible": "责任单位", "support": "配合单位", "local": "属地"}


def describe_columns(columns: list[Column | None]) -> str:
    """The columns as the parser reads them: "序号 | 任务 | 牵头单位 | 配合单位 | 时限"."""
    names = []
    for column in columns:
        if column is None:
            names.append("？")
        elif column.kind == COL_UNITS:
            names.append(_ROLE_NAMES.get(column.role or "responsible", "责任单位"))
        else:
            names.append(_COLUMN_NAMES.get(column.kind, column.kind))
    return " | ".join(names)


def resolve_goal(columns: list[Column | None], headers: list[str]) -> list[Column | None]:
    """In a table with a measure column (单位), the text column named like 年度目标 holds the target value."""
    if not any(c is not None and c.kind == COL_MEASURE for c in columns):
        return columns
    resolved = list(columns)
    for i, (column, header) in enumerate(zip(columns, headers, strict=False)):
        if column is not None and column.kind == COL_TEXT and _GOAL_HEADER.search(header):
            resolved[i] = Column(COL_GOAL)
    return resolved


_GOAL_HEADER = re.compile(one_of(_WORDS.goal_header_words))
_MEASURE_CELL = re.compile(r"^(?:[-—–/]|[^\d\s，,。；;]{0,3}/[^\d\s，,。；;]{1,3})$")
# The sign or word that may open a target value ("≥2%", "不低于90%").
GOAL_SIGN = re.compile(r"^(?:[≥≤>＞<＜=]|不低于|不高于|不少于|不超过|达到)")
_GOAL_CELL = re.compile(GOAL_SIGN.pattern + r"?\s*\d+(?:\.\d+)?\s*[%％‰]?(?:以上|以下|以内|左右)?$")


def is_measure_cell(text: str) -> bool:
    """A cell of a measure column: "%", "亩", "万元/人", "-"."""
    bare = text.removeprefix("万").removeprefix("亿")
    return text in _MEASURES or bare in _MEASURES or _MEASURE_CELL.match(text) is not None


def is_goal_cell(text: str) -> bool:
    """A cell of a target-value column: "≥2%", "0.07", "42"."""
    return _GOAL_CELL.match(text) is not None


def header_columns(row: list[str]) -> list[Column | None] | None:
    columns = resolve_goal([classify_header(c) for c in row], row)
    kinds = {c.kind for c in columns if c is not None}
    if len([c for c in columns if c is not None]) >= 2 and kinds & {COL_TEXT, COL_UNITS}:
        return columns
    return None


# ------------------------------------------------------------------------------------------ numbers

CN_NUMERAL = "一二三四五六七八九十百零〇两"
MARKER = re.compile(
    r"^(?:(?P<article>第[" + CN_NUMERAL + r"]+条)"
    r"|(?P<ordinal>第[" + CN_NUMERAL + r"\d]+(?:件|项)(?:实事|民生实事|工作)?)[:：、]?"
    r"|[（(](?P<pcn>[" + CN_NUMERAL + r"]+)[)）]"
    r"|[（(](?P<par>\d{1,3})[)）]"
    r"|(?P<arabic>\d{1,3})(?:\s*[、﹒:：)）]|\s*[.．](?!\d)|[.．](?=(?:19|20)\d\d年)|\s+|$)"
    r"|(?P<cn>[" + CN_NUMERAL + r"]+)[、.．]"
    r"|(?P<circled>[①-⑳]))\s*"
)


def parse_number(cell: str) -> int | None:
    """A 序号 cell or a list marker as an integer: 3, 3., （三）, 第三条."""
    c = cell.strip()
    if re.fullmatch(r"\d{1,4}", c):
        return int(c)
    match = MARKER.match(c)
    if match is None or match.end() < len(c.rstrip()):
        return None
    return marker_number(match)


def marker_number(match: re.Match[str]) -> int | None:
    if match.group("circled"):
        return ord(match.group("circled")) - ord("①") + 1
    for group in ("arabic", "par"):
        if match.group(group):
            return int(match.group(group))
    raw = match.group("pcn") or match.group("cn") or match.group("article")
    if match.group("ordinal"):  # 第一件实事, 第3项
        raw = re.sub(r"^第|(?:件|项).*$", "", match.group("ordinal"))
    if raw:
        if raw.isdigit():
            return int(raw)
        try:
            return int(cn2an.cn2an(raw.strip("第条").replace("〇", "零"), "smart"))
        except (ValueError, KeyError, IndexError):
            return None
    return None


_GLUED = re.compile(r"^(\d{1,3})(?=[^\d.．%％年月日个万亿、，,\s])")
_YEAR = re.compile(r"(?:19|20)\d\d年")


def glued_number(line: str, expected: int | None) -> tuple[int, str] | None:
    """A row number run together with its text: "5推进…", or "72025年底…" when row 7 is due; or the item
    that is due, whose text opens with a figure: "11.121人才梯队项目" (not the decimal 11.121)."""
    if expected is not None:
        prefix = str(expected)
        if line.startswith(prefix) and _YEAR.match(line, len(prefix)):
            return expected, line[len(prefix) :]
        if line.startswith((prefix + ".", prefix + "．")) and line[len(prefix) + 1 : len(prefix) + 2].isdigit():
            return expected, line[len(prefix) + 1 :]
    match = _GLUED.match(line)
    if match is not None and (expected is None or int(match.group(1)) == expected):
        return int(match.group(1)), line[match.end() :]
    return None


def marker_style(match: re.Match[str]) -> str:
    for group in ("article", "ordinal", "pcn", "par", "cn", "circled"):
        if match.group(group):
            return group
    return "arabic"


# ----------------------------------------------------------------------------- deadlines and paragraphs

_DEADLINE_ONLY = re.compile(
    r"^(?:(?:截至|截止|到|至|于|在)?(?:19|20)\d\d年[^，,。；;]{0,10}|长期坚持|长期|持续推进|持续实施|持续开展|"
    r"常态化推进|年内完成|每年|按年度推进|立即启动|已完成|(?:19|20)\d\d[.．/](?:1[0-2]|0?[1-9])|"
    # a month of the document's year: "12月底前", "9月投入使用", "5月底前动工"
    r"(?:1[0-2]|0?[1-9])月(?:\d{1,2}日)?(?:底|末|中旬|上旬|下旬)?(?:前|以前)?[^，,。；;\d]{0,6}|年内|年底前|年底)[。.]?$"
)


_PERSON = re.compile(r"^[\u4e00-\u9fff]{2,4}(?:[、，,][\u4e00-\u9fff]{2,4})*$")


def is_person_name(text: str) -> bool:
    """A leader's name in a 领导 column ("徐国江", "何海平、芮春祥"): two to four characters, no unit suffix."""
    return _PERSON.match(text) is not None and not any(is_plausible_name(part) for part in re.split(r"[、，,]", text))


def is_deadline_cell(text: str) -> bool:
    return len(text) <= 24 and _DEADLINE_ONLY.match(text) is not None


# A label and its colon ("牵头单位："), or a label run on into its value with no colon at all ("牵头单位省民政厅",
# "完成时限2024年6月底前") where a line or a sentence begins: such a label counts only when what follows is
# what the label announces (``label_holds``), so "牵头单位要加强协调" stays text.
LABEL_LINE = re.compile(f"(?P<label>{one_of(_WORDS.labels)})(?P<colon>[：:])")
_BARE_LABEL = re.compile(f"(?P<label>{one_of(_WORDS.labels)})(?![：:])")
_LABEL_BOUNDARY = "。；;，,）)(（〔【[ \t"
_TEXT_LABEL = re.compile(f"(?:^|(?<=[。；;]))(?:{one_of(_WORDS.text_labels)})[：:]")


_TEXT_LABEL_ANYWHERE = re.compile(f"(?:{one_of(_WORDS.text_labels)})[：:]")


def opens_with_text_label(line: str) -> bool:
    """ "任务目标:2024年计划…": a line that gives the task's content under a label of its own."""
    return _TEXT_LABEL.match(line) is not None


def split_run_on_label(line: str) -> list[str]:
    """A labelled line run on into the task's own text by a lost line break ("责任单位:莲塘镇任务目标:2024年
    计划…", 南昌县 2024): the units line, then the text under its label."""
    if not is_label_line(line):
        return [line]
    match = _TEXT_LABEL_ANYWHERE.search(line, 1)
    return [line[: match.start()], line[match.start() :]] if match is not None else [line]


def label_matches(text: str) -> list[re.Match[str]]:
    """The labels in ``text`` that really are labels: with a colon, or run on into what they announce."""
    found = sorted([*LABEL_LINE.finditer(text), *_BARE_LABEL.finditer(text)], key=lambda m: m.start())
    kept: list[re.Match[str]] = []
    for i, match in enumerate(found):
        if "colon" in match.groupdict():
            kept.append(match)
            continue
        # A label without a colon starts where a line or a sentence does, or right after the value of the
        # label before it ("牵头单位省卫生健康委配合单位省发展改革委", once the spaces are gone).
        starts = match.start() == 0 or text[match.start() - 1] in _LABEL_BOUNDARY
        # ... and only when what stands between is a value of its own: "各项目牵头单位" is one name
        between = text[kept[-1].end() : match.start()].strip(" ，,；;") if kept else ""
        after_label = bool(between) and label_holds(kept[-1].group("label"), between)
        end = found[i + 1].start() if i + 1 < len(found) else len(text)
        value = text[match.end() : end].strip(" ，,；;。")
        if (starts or after_label) and label_holds(match.group("label"), value):
            kept.append(match)
    return kept


def is_label_line(line: str) -> bool:
    matches = label_matches(line)
    return bool(matches) and matches[0].start() == 0


def label_holds(label: str, value: str) -> bool:
    if not value:
        return False
    if label in _WORDS.time_labels:
        return is_deadline_cell(value) or _YEAR.match(value) is not None
    if label in _WORDS.people_labels:
        return is_person_name(value)
    if label in _WORDS.progress_labels:
        return True
    return looks_like_units(value)


# Units closing a paragraph in tortoise-shell brackets ("…主要预期目标。〔省发展改革委等牵头,省(中)直有关单位
# 按职责分工负责〕", 辽宁 2026) are read as if in round ones.
# A report run on after the units that close an item: "(责任单位:市水务局,各县区政府〈管委会〉)该件实事已全面完成"
# (安顺 2019) says how the task stands, and is neither its text nor its units.
_STATUS_AFTER_UNITS = re.compile(
    r"(?<=[)）])\s*(?:该|此|本)(?:件|项)?(?:实事|工作|任务|项目)?(?:已经?|均已)(?:全面|全部|基本|按期)?(?:完成|落实)[。.]?$"
)
_TORTOISE_AT_END = re.compile(r"〔([^〔〕]*)〕(\s*[。.；;]?)$")
_TRAILING_PAREN = re.compile(r"[（(]((?:[^（）()]|[（(][^（）()]*[)）])+)[)）]\s*([。.；;]?)$")
# A units parenthesis right after a sentence, inside a paragraph (nat_tiyu 2018 task 13).
_SENTENCE_PAREN = re.compile(r"(?<=[。.；;])[（(]((?:[^（）()]|[（(][^（）()]*[)）])+)[)）]")
_UNIT_START = re.compile(r"(?=省|市|县|区|国家|中央|各|团省委|人行|人民银行|中国|自治区|州|海关|税务)")
_TRAILING_DEADLINE = re.compile(
    r"(?<=[。.；;）)负责牵头配合落实参与协助协同])((?:19|20)\d\d年[^，,。；;]{0,8}?(?:底|末|前|月|日|季度|年)"
    r"(?:前)?|长期坚持|持续推进)[。.]?$"
)


def split_body(body: str) -> RawTask:
    """Split a paragraph into task text, units texts and a deadline (layouts c, d, e and run-together f)."""
    # A sub-heading run on after the units by a lost line break: "…(责任单位:市教育局)——加快建设健康武汉".
    body = _GLUED_SUBHEADING.sub(r"\1", body)
    body = _STATUS_AFTER_UNITS.sub("", body)
    task = RawTask(None, body)
    body = _TEXT_LABEL.sub("", body)  # "具体任务：", "工作目标：" name the text, which follows
    labelled = label_matches(body)
    if labelled:
        task.text = body[: labelled[0].start()].rstrip("（(〔【[ ，,")
        for i, match in enumerate(labelled):
            end = labelled[i + 1].start() if i + 1 < len(labelled) else len(body)
            value = body[match.end() : end].strip(" ，,；;")
            value = _without_unmatched_closers(value)
            if match.group("label") in LABEL_ROLE:
                value = _units_sentence(value)
            _apply_label(task, match.group("label"), value)
        task.text = task.text.rstrip("（(")
        return task
    deadline = _TRAILING_DEADLINE.search(body)
    if deadline is not None:
        task.deadline = deadline.group(1)
        body = body[: deadline.start()]
    if (tortoise := _TORTOISE_AT_END.search(body)) is not None and has_role_phrase(tortoise.group(1)):
        body = _TORTOISE_AT_END.sub(r"（\1）\2", body)
    paren = _TRAILING_PAREN.search(body)
    if paren is not None and not has_role_phrase(paren.group(1)) and _bare_units_list(paren.group(1)):
        # "(市发展改革委,各县〔市、区〕政府)": a list of units with no verb closes the paragraph
        task.text = body[: paren.start()] + paren.group(2)
        task.units.append((paren.group(1), "responsible"))
        return task
    if paren is not None and has_role_phrase(paren.group(1)) and looks_like_units(paren.group(1), closing=True):
        head = body[: paren.start()]
        # Units may also close each sub-measure before the last: "…工程。（体育总局、教育部负责）完善…（…负责）".
        inner = [
            m for m in _SENTENCE_PAREN.finditer(head) if has_role_phrase(m.group(1)) and looks_like_units(m.group(1))
        ]
        for match in inner:
            task.units.append((match.group(1), None))
        for match in reversed(inner):
            head = head[: match.start()] + head[match.end() :]
        task.text = head + paren.group(2)
        task.units.append((paren.group(1), None))
        return task
    sentences = re.split(r"(?<=[。；;])", body)
    for k in range(1, len(sentences)):
        tail = "".join(sentences[k:])
        if tail and has_role_phrase(tail) and looks_like_units(tail):
            task.text = "".join(sentences[:k])
            task.units.append((tail, None))
            return task
    task.text = body
    last = sentences[-1] if sentences[-1] else (sentences[-2] if len(sentences) > 1 else "")
    if has_role_phrase(last):
        head_len = len(body) - len(last)
        for match in _UNIT_START.finditer(last):
            if match.start() == 0:
                continue
            tail = last[match.start() :]
            if looks_like_units(tail) and has_role_phrase(tail):
                task.text = body[: head_len + match.start()]
                task.units.append((tail, None))
                break
    return task


def closes_with_units(line: str) -> bool:
    """A paragraph that ends with its units in brackets: "…建设。(牵头单位:市发改委;配合单位:市经贸委)"."""
    paren = _TRAILING_PAREN.search(_TORTOISE_AT_END.sub(r"（\1）\2", _STATUS_AFTER_UNITS.sub("", line)))
    return paren is not None and has_role_phrase(paren.group(1)) and looks_like_units(paren.group(1), closing=True)


_GLUED_SUBHEADING = re.compile(r"([)）])\s*——[^（）()。]{2,30}$")
_STRONG_SUFFIX = re.compile(r"(?:局|委|厅|办|政府|办公室|委员会|管委会|中心|集团|公司)$")


def _bare_units_list(text: str) -> bool:
    """A bracketed list of unit names without a role verb: every name a unit, one at least of a strong kind.

    Scope notes ("含洋浦"), dates and quantities in brackets are no such list.
    """
    names = [n for n in re.split(r"[、，,；;]", text) if n]
    return (
        bool(names)
        and looks_like_units(text)
        and any(_STRONG_SUFFIX.search(re.sub(r"[〔(（][^〕)）]*[〕)）]", "", name)) for name in names)
    )


_LEADER_POST = re.compile(
    r"^由?[\u4e00-\u9fff]{2,4}(?:常务)?副?(?:省长|市长|县长|区长|州长|书记|秘书长|主任|部长|局长)(?:负责|牵头|分管|主抓)$"
)
_NOBODY_IN_PARTICULAR = re.compile(r"^(?:其他)?(?:有关|相关)(?:部门|单位)(?:按职责)?(?:配合|参与|协助|负责)$")


def leading_units(line: str) -> tuple[str, int]:
    """The units that open a line under a task's title, and where the task's text begins after them:
    "由杨志武副市长负责,市发改委牵头,相关部门配合,尽快完成…" → ("市发改委牵头,相关部门配合", 22).

    Each opening clause must end in a role verb; a leader in charge ("由杨志武副市长负责") is passed over, as
    no unit. ("", 0) when the line does not open so.
    """
    clauses: list[str] = []
    end = 0
    for match in re.finditer(r"[^，,。；;]+[，,]", line):
        clause = match.group(0).rstrip("，,")
        if _LEADER_POST.match(clause) or _NOBODY_IN_PARTICULAR.match(clause):
            end = match.end()
            continue
        if ROLE_AT_END.search(clause) and has_role_phrase(clause) and looks_like_units(clause):
            clauses.append(clause)
            end = match.end()
            continue
        break
    return ("，".join(clauses), end) if clauses else ("", 0)


def _units_sentence(value: str) -> str:
    """A units label's value up to the end of its sentence, when what follows is no units text: a report on the
    item run on after it ("牵头单位:市教体局。其中,8月份督查暗访发现问题整改不到位的为舒城县。", 六安 2021)."""
    end = value.find("。")
    if end < 0 or not value[end + 1 :].strip() or looks_like_units(value[end + 1 :]):
        return value
    return value[:end]


def _without_unmatched_closers(value: str) -> str:
    """Drop the brackets that close the whole labelled part: "各街道(功能区)〕" → "各街道(功能区)"."""
    while (
        value
        and value[-1] in "）)〕】]"
        and sum(value.count(c) for c in "（(〔【[") < sum(value.count(c) for c in "）)〕】]")
    ):
        value = value[:-1]
    return value


def _apply_label(task: RawTask, label: str, value: str) -> None:
    if label in _WORDS.time_labels:
        task.deadline = value
    elif label in LABEL_ROLE:
        task.units.append((value, LABEL_ROLE[label]))
