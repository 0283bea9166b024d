"""Targets (目标) and deadlines (完成时限) read from a task's text.

No library reads policy Chinese of this kind ("到2025年底，全省每千名老年人口拥有养老床位数达到32张"), so
the rules are written here, one regular expression per idea, each documented in docs/parser.md.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

import cn2an

from duban.taskdoc.model import Comparator, Target

# ----------------------------------------------------------------------------------------- deadlines

_YEAR = r"(?P<year>(?:19|20)\d\d)年"
_LEAD_IN = r"(?P<lead>截至|截止|到|至|于|在)?"
_BEFORE = r"(?:前|以前|之前)?"
_DEADLINE_RE = re.compile(
    _LEAD_IN
    + _YEAR
    + r"(?:"
    + r"(?P<month>\d{1,2})月(?:(?P<day>\d{1,2})日|份|底|末)?"
    + r"|第?(?P<quarter>[一二三四1-4])季度(?:末|底)?"
    + r"|(?P<half>上半年|下半年|年中)"
    + r"|(?P<end>底|末|年底|年末)"
    + r")?"
    + _BEFORE
    + r"(?!起|以来|开始|度|\d)"
)
_QUARTER_END = {"一": 3, "二": 6, "三": 9, "四": 12, "1": 3, "2": 6, "3": 9, "4": 12}


@dataclass
class DeadlineMatch:
    iso: str
    start: int
    end: int


def find_deadline(text: str) -> DeadlineMatch | None:
    """The first deadline phrase in ``text``: 到2025年底 → 2025-12-31; 2022年6月底 → 2022-06-30."""
    for match in _DEADLINE_RE.finditer(text):
        iso = _deadline_iso(match, text)
        if iso is not None:
            return DeadlineMatch(iso, match.start(), match.end())
    return None


def _deadline_iso(match: re.Match[str], text: str) -> str | None:
    year = int(match.group("year"))
    if match.group("month"):
        month = int(match.group("month"))
        if not 1 <= month <= 12:
            return None
        last = calendar.monthrange(year, month)[1]
        day = int(match.group("day")) if match.group("day") else last
        return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= day <= last else None
    if match.group("quarter"):
        month = _QUARTER_END[match.group("quarter")]
        return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"
    if match.group("half"):
        return f"{year:04d}-12-31" if match.group("half") == "下半年" else f"{year:04d}-06-30"
    whole = match.group(0)
    bare = not match.group("end") and not whole.endswith(("前", "以前", "之前"))
    if bare:
        # A bare year is a deadline only when introduced by 到/至… or standing alone: "比2020年增长" is a
        # baseline and "2021年以来" a starting point.
        after = text[match.end() : match.end() + 1]
        alone = match.start() == 0 and (after == "" or after in "，,。；;")
        if not match.group("lead") and not alone:
            return None
    return f"{year:04d}-12-31"


def column_deadline(text: str) -> str | None:
    """The deadline in a 完成时限 cell; None for 长期坚持, 持续推进 and the like."""
    match = find_deadline(text)
    return match.iso if match else None


# ---------------------------------------------------------------------------------------- quantities

_CN_DIGITS = "零〇一二两三四五六七八九十百千万亿"
_MEASURE = (
    "个百分点|百分点|人次|家次|平方米|公里|小时|万人次|%|％|‰|张|个|所|家|名|人|户|套|间|处|座|项|元|倍|床|次|"
    "批|支|条|台|辆|册|份|位|场|亩|吨|园|班|岁"
)
_NUMBER_RE = re.compile(
    r"(?P<percent_cn>百分之(?P<pct>[\d.]+|[" + _CN_DIGITS + r"点]+))"
    r"|(?P<num>\d+(?:\.\d+)?|[" + _CN_DIGITS + r"]+)\s*(?P<mult>万|亿)?\s*(?P<measure>" + _MEASURE + r")"
)
_PRE_COMPARATOR: dict[str, Comparator] = {
    "不低于": ">=",
    "不少于": ">=",
    "至少": ">=",
    "达到": ">=",
    "力争达到": ">=",
    "提高到": ">=",
    "提高至": ">=",
    "提升到": ">=",
    "提升至": ">=",
    "增加到": ">=",
    "增至": ">=",
    "不高于": "<=",
    "不超过": "<=",
    "不多于": "<=",
    "控制在": "<=",
    "降低到": "<=",
    "降至": "<=",
    "超过": ">",
    "高于": ">",
    "多于": ">",
    "低于": "<",
    "少于": "<",
    "约": "=",
}
_PRE_RE = re.compile("|".join(sorted(_PRE_COMPARATOR, key=len, reverse=True)))
_POST_RE = re.compile(r"^(?:[（(]含[)）])?(及以上|以上|及以下|以下|以内|左右)")
_POST_COMPARATOR: dict[str, Comparator] = {
    "及以上": ">=",
    "以上": ">=",
    "及以下": "<=",
    "以下": "<=",
    "以内": "<=",
    "左右": "=",
}
_DELIVERY_VERB = re.compile(
    r"新增|培训|建成|新建|建设|改造|完成|累计|实现|覆盖|打造|培育|开展|提供|招聘|招收|吸纳|扶持|创建|设立|"
    r"建立|增加|减少|降低|提高|提升|下降|增长|运营|建有|拥有"
)
_PARAMETER_BEFORE = re.compile(r"(?:按|减按|税率|利率|比例为|标准为|费率)$")
_CONDITION_AFTER = re.compile(r"^(?:[（(]含[)）])?(?:及以上|以上|及以下|以下)[^，,。；;、的]{0,6}的")
_FILLERS = re.compile(r"原则上|力争|确保")
_LEADING = re.compile(r"^(?:全省|全市|全国|全区|全州|其中|并且|并|且|同时)+")
_EDGE_PUNCT = "，,。；;：:、 "
_SENTENCE_SPLIT = re.compile(r"(?<=[。；;!！?？])")
_CLAUSE_SPLIT = re.compile(r"(?<=[，,])")


@dataclass
class _Number:
    value: float
    measure: str
    start: int
    end: int  # after the measure word and any post comparator
    comparator: Comparator | None
    # Where the comparator word before the number stands, so that exactly that word leaves the subject
    # (以上 in 65岁以上 stays).
    pre_span: tuple[int, int] | None = None


def extract_targets(text: str, fallback_deadline: str | None = None) -> tuple[list[Target], list[str]]:
    """Targets of one task text. Returns the targets and the problems worth a warning."""
    targets: list[Target] = []
    problems: list[str] = []
    for sentence in _SENTENCE_SPLIT.split(text):
        if sentence.strip(_EDGE_PUNCT):
            _sentence_targets(sentence, fallback_deadline, targets, problems)
    if not targets and fallback_deadline:
        subject = text.strip(_EDGE_PUNCT)
        if subject:
            targets.append(Target("milestone", subject, fallback_deadline))
    return targets, problems


def _sentence_targets(sentence: str, fallback_deadline: str | None, targets: list[Target], problems: list[str]) -> None:
    in_force: str | None = None
    quantities: list[Target] = []
    for clause in _CLAUSE_SPLIT.split(sentence):
        found = find_deadline(clause)
        if found is not None:
            in_force = found.iso
            clause = clause[: found.start] + clause[found.end :]
        under_deadline = in_force is not None or fallback_deadline is not None
        for target in _clause_quantities(clause, under_deadline, problems):
            target.deadline = in_force or fallback_deadline
            quantities.append(target)
    targets.extend(quantities)
    first = find_deadline(sentence) if not quantities else None
    if first is not None:
        after = sentence[first.end :].strip(_EDGE_PUNCT)
        before = sentence[: first.start].strip(_EDGE_PUNCT)
        subject = after or before
        if subject:
            targets.append(Target("milestone", subject, first.iso))


def _clause_quantities(clause: str, under_deadline: bool, problems: list[str]) -> list[Target]:
    numbers = _numbers(clause)
    if not numbers:
        return []
    numbers = [n for n in numbers if n.comparator is not None or under_deadline or _delivery_before(clause, n)]
    targets: list[Target] = []
    shared_prefix = ""
    segment_start = 0
    for i, number in enumerate(numbers):
        if i > 0:
            cut = clause.rfind("、", numbers[i - 1].end, number.start)
            segment_start = cut + 1 if cut >= 0 else numbers[i - 1].end
        segment_end = numbers[i + 1].start if i + 1 < len(numbers) else len(clause)
        if i + 1 < len(numbers):
            cut = clause.rfind("、", number.end, numbers[i + 1].start)
            segment_end = cut if cut >= 0 else numbers[i + 1].start
        before = _without(clause[segment_start : number.start], segment_start, number.pre_span)
        after = clause[number.end : segment_end]
        if i == 0:
            shared_prefix = before
        elif not before.strip(_EDGE_PUNCT):
            before = shared_prefix
        subject = _clean_subject(before + after)
        if not subject:
            problems.append(f"数字“{clause[number.start : number.end]}”看似目标，但未找到其指标名称")
            continue
        comparator: Comparator = number.comparator or ">="
        measure = "%" if number.measure in ("％",) else number.measure
        targets.append(Target("quantity", subject, None, comparator, _tidy(number.value), measure))
    return targets


def _numbers(clause: str) -> list[_Number]:
    found: list[_Number] = []
    for match in _NUMBER_RE.finditer(clause):
        start = match.start()
        before = clause[:start]
        if match.group("percent_cn"):
            value = _to_number(match.group("pct"))
            measure = "%"
        else:
            raw = match.group("num")
            measure = match.group("measure")
            if measure == "万人次":
                measure, multiplier = "人次", 10_000
            else:
                multiplier = {"万": 10_000, "亿": 100_000_000}.get(match.group("mult") or "", 1)
            if _excluded(clause, match, raw, measure, before):
                continue
            value = _to_number(raw)
            if value is None:
                continue
            value *= multiplier
        if value is None:
            continue
        end = match.end()
        post = _POST_RE.match(clause[end:])
        comparator: Comparator | None = None
        pre = _nearest_pre_comparator(before, found[-1].end if found else 0)
        if pre is not None:
            comparator = _PRE_COMPARATOR[pre.group(0)]
        if post is not None:
            comparator = comparator or _POST_COMPARATOR[post.group(1)]
            end += post.end()
        found.append(_Number(value, measure, start, end, comparator, pre.span() if pre else None))
    return found


def _excluded(clause: str, match: re.Match[str], raw: str, measure: str, before: str) -> bool:
    after = clause[match.end() :]
    if measure == "岁":  # 3岁以下婴幼儿: a population definition
        return True
    if before.endswith(("每", "第")) or _PARAMETER_BEFORE.search(before):
        return True
    if after.startswith("税率") or (after.startswith(("月", "工作日", "季度")) and measure == "个"):
        return True
    if _CONDITION_AFTER.match(after):  # 150张（含）以上床位的养老机构: a condition
        return True
    if raw == "一" and len(after) >= 2 and after[1] == "一":  # 一人一档, 一村一品
        return True
    # “一老一小”, “四同步”: a quoted slogan, not a count
    return not raw[0].isdigit() and before.endswith(("“", '"'))


def _nearest_pre_comparator(before: str, floor: int) -> re.Match[str] | None:
    best: re.Match[str] | None = None
    for match in _PRE_RE.finditer(before, floor):
        if match.group(0) == "约" and match.end() != len(before):
            continue
        best = match
    if best is None:
        return None
    gap = before[best.end() :]
    if len(gap) > 12 or any(ch in gap for ch in "，,。；;"):
        return None
    return best


def _delivery_before(clause: str, number: _Number) -> bool:
    return _DELIVERY_VERB.search(clause[: number.start]) is not None


def _without(text: str, start: int, span: tuple[int, int] | None) -> str:
    """``text`` (which begins at ``start`` in its clause) without the comparator word at ``span``."""
    if span is None or not start <= span[0] < start + len(text):
        return text
    return text[: span[0] - start] + text[span[1] - start :]


def _clean_subject(text: str) -> str:
    text = _FILLERS.sub("", text)
    text = text.strip(_EDGE_PUNCT)
    text = _LEADING.sub("", text)
    return text.strip(_EDGE_PUNCT)


def _to_number(raw: str) -> float | None:
    try:
        if raw[0].isdigit():
            return float(raw)
        return float(cn2an.cn2an(raw.replace("〇", "零"), "smart"))
    except (ValueError, KeyError, IndexError):
        return None


def _tidy(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 6)
