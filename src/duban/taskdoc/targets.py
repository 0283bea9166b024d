"""Targets (目标) and deadlines (完成时限) read from a task's text.

No library reads policy Chinese of this kind ("到2025年底，全省每千名老年人口拥有养老床位数达到32张"), so
the rules are written here, one regular expression per idea, each documented in docs/parser.md.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

import cn2an

from duban.taskdoc.lexicon import one_of, target_words
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
    + r"(?!起|以来|开始|度|至|\d)"
)
_WINDOW_START = re.compile(r"(?:19|20)\d\d年(?:\d{1,2}月(?:\d{1,2}日)?)?$")
_QUARTER_END = {"一": 3, "二": 6, "三": 9, "四": 12, "1": 3, "2": 6, "3": 9, "4": 12}


@dataclass
class DeadlineMatch:
    iso: str
    start: int
    end: int


# Deadlines that leave the year to the document ("12月底前", "年内"): read only when the document is for one
# year (``document_year``).
_YEARLESS_RE = re.compile(
    r"(?<![\d年])(?:"
    r"(?P<month>1[0-2]|0?[1-9])月(?:(?P<day>[12]\d|3[01]|0?[1-9])日|份|底|末|中旬|下旬|上旬)?(?P<before>前|以前|之前)?"
    r"|(?P<year_end>年内|年底前|年底|年末|今年底|本年度内|全年)"
    r")(?!\d)"
)
# Targets that recur or span years are not due at the year's end: "每年招引100个项目", "未来五年".
_NOT_THIS_YEAR = re.compile(
    r"每年|每季度?|每月|年均|未来[一二三四五六七八九十\d]+年|[一二三四五六七八九十\d]+年内|累计"
)
_YEAR_RANGE = re.compile(r"(?:19|20)\d\d(?:年)?\s*[—–\-－~～至到]\s*(?:19|20)\d\d年")
_ANY_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)年")
_FULL_DATE = re.compile(r"(?:19|20)\d\d(?:年\d{1,2}月\d{1,2}日|[-/.]\d{1,2}[-/.]\d{1,2})")


def document_year(heading: str) -> int | None:
    """The one year a document is for, read from its title and headings: "2022年度民生实事…" → 2022.

    None when they name no year, several, or a span (2021—2025年): a plan over several years has no
    single year for its undated targets.
    """
    if _YEAR_RANGE.search(heading):
        return None
    # The date a document was issued or posted ("2021年11月22日", "发布时间:2021-11-22") is not the year it is for.
    heading = _FULL_DATE.sub("", heading)
    years = {int(year) for year in _ANY_YEAR.findall(heading)}
    return years.pop() if len(years) == 1 else None


def find_deadline(text: str, year: int | None = None, *, column: bool = False) -> DeadlineMatch | None:
    """The first deadline phrase in ``text``: 到2025年底 → 2025-12-31; 2022年6月底 → 2022-06-30.

    With the document's ``year``, a phrase without a year counts too: 6月底前 → that year's 06-30, 年内 → 12-31.
    In a 完成时限 ``column`` a month on its own is the deadline too ("9月投入使用" → 09-30).
    """
    for match in _DEADLINE_RE.finditer(text):
        if match.group("lead") in ("至", "到") and _WINDOW_START.search(text, 0, match.start()):
            continue  # "2019年1月1日至2020年12月31日，对…给予补贴": the end of a policy's window
        iso = _deadline_iso(match, text)
        if iso is not None:
            return DeadlineMatch(iso, match.start(), match.end())
    if year is not None:
        for match in _YEARLESS_RE.finditer(text):
            iso = _yearless_iso(match, year, column)
            if iso is not None:
                return DeadlineMatch(iso, match.start(), match.end())
    return None


def _yearless_iso(match: re.Match[str], year: int, column: bool) -> str | None:
    if match.group("year_end"):
        return f"{year:04d}-12-31"
    month = int(match.group("month"))
    last = calendar.monthrange(year, month)[1]
    if match.group("day"):
        day = min(int(match.group("day")), last)
    elif (
        column
        or match.group("before")
        or match.group(0).endswith(("底", "末", "份", "旬"))
        or match.end() == len(match.string)
    ):
        day = last
    else:
        return None  # "3月起", "5月举办": a month in passing, not a deadline
    return f"{year:04d}-{month:02d}-{day:02d}"


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
        # "2017年开工建设鄱余高等级公路": a year that opens a sentence and is followed by what is to be done
        opens_action = (match.start() == 0 or text[match.start() - 1] in "。；;，,") and _ACTION_AFTER_YEAR.match(
            text, match.end()
        )
        if not match.group("lead") and not alone and not opens_action:
            return None
    return f"{year:04d}-12-31"


_ACTION_AFTER_YEAR = re.compile(r"(?:开工|建成|完成|启动|实现|开展|全面|基本|力争|确保|重点)")


def column_deadline(text: str, year: int | None = None) -> str | None:
    """The deadline in a 完成时限 cell; None for 长期坚持, 持续推进 and the like."""
    # "2021.12", "2021.8": a year and a month, as tables write them
    text = re.sub(r"^((?:19|20)\d\d)[.．/](1[0-2]|0?[1-9])$", r"\1年\2月", text.strip())
    match = find_deadline(text, year, column=True)
    return match.iso if match else None


# ---------------------------------------------------------------------------------------- quantities

_CN_DIGITS = "零〇一二两三四五六七八九十百千万亿"
_WORDS = target_words()
_MEASURE = one_of(_WORDS.measures)
_NUMBER_RE = re.compile(
    r"(?P<percent_cn>百分之(?P<pct>[\d.]+|[" + _CN_DIGITS + r"点]+))"
    r"|(?P<num>\d+(?:\.\d+)?|[" + _CN_DIGITS + r"]+)\s*(?P<mult>万|亿)?\s*(?P<measure>" + _MEASURE + r")"
    # "提升3万农村人口供水保障水平", "为3.078万60岁以上老年人免费接种": so many people, written onto the noun
    r"|(?P<people>\d+(?:\.\d+)?)\s*(?P<people_mult>万|亿)(?=(?:\d+岁(?:及?以上|及?以下)?)?[\u4e00-\u9fff]{0,8}?"
    r"(?:人口|人群|老年人|群众|居民))"
)
_PRE_COMPARATOR: dict[str, Comparator] = _WORDS.before
_PRE_RE = re.compile(one_of(_PRE_COMPARATOR))
_ADJACENT_COMPARATOR: dict[str, Comparator] = _WORDS.adjacent
_ADJACENT_RE = re.compile(f"(?:{one_of(_ADJACENT_COMPARATOR)})$")
_POST_COMPARATOR: dict[str, Comparator] = _WORDS.after
_POST_RE = re.compile(r"^(?:[（(]含[)）])?(" + one_of(_POST_COMPARATOR) + ")")
_VAGUE = tuple(_WORDS.vague)
_DELIVERY_VERB = re.compile(one_of(_WORDS.delivery))
_PARAMETER_BEFORE = re.compile(r"(?:按|减按|税率|利率|比例为|标准为|费率)$")
_CONDITION_AFTER = re.compile(r"^(?:[（(]含[)）])?(?:及以上|以上|及以下|以下)[^，,。；;、的]{0,6}的")
_MILESTONE_VERB = re.compile(r"^(?:启动|开工|建成|完成|出台|制定|印发)")
_BARE_FIGURE = re.compile(r"^[^\d，,。；;、]{1,10}\d+(?:\.\d+)?(?:万|亿)?[^\d，,。；;、]{1,4}$")
_COUNT_AT_END = re.compile(r"\d(?:\.\d+)?\s*(?:万|亿)?\s*(?:" + _MEASURE + ")$")
# "为全州7万名…妇女免费做宫颈癌筛查", "对2000户…家庭适老化改造": so many people or households a service is for
_BENEFICIARIES_BEFORE = re.compile(r"(?:^|[，,、])(?:为|对|帮助|帮扶|惠及)(?:全[省市县区州旗]|全体)?$")
_OPENS_WITH_COUNT = re.compile(r"^\d+(?:\.\d+)?\s*(?:万|亿)?\s*(?:" + _MEASURE + ")")
_RANGE_BEFORE = re.compile(r"\d(?:\.\d+)?\s*[%％]?\s*[-－~～—到至]\s*$")
_RANGE_AFTER = re.compile(r"\s*(?:万|亿)?\s*[-－~～—到至]\s*\d")
# "超过100人的企业", "15万元的创业担保贷款": a number that qualifies a noun describes who or what, it commits
# to nothing.
# "实现财政收入增长4%的目标" names the target itself: that 的 qualifies nothing.
_ATTRIBUTE_AFTER = re.compile(r"^(?:[（(]含[)）])?的(?!(?:年度)?目标)")
# "可返还…的50%", "最高不超过15万元": what a policy allows or grants is a parameter of the policy.
_GRANT_BEFORE = re.compile(r"(?:可按|可返还|可给予|可享受|可申请|最高|给予)[^，,。；;]{0,20}$")
# "每人每月609元、300元": what a benefit pays each person for a period, and the figures listed after the first.
_PER_HEAD_AND_PERIOD = re.compile(
    r"(?:每(?:人|户|名|位)每?(?:月|年|天|日|周)|每(?:月|年)每(?:人|户))(?:\d+(?:\.\d+)?(?:万|亿)?[^\d、，,。；;]{0,3}、)*$"
)
_SUBJECTS_OF_A_LATER_FIGURE = re.compile(r"^[\u4e00-\u9fff]{1,10}(?:均|都)[^，,。；;\d]{0,8}\d")
_RATE_POPULATION = re.compile(r"^(?:[（(]含[)）])?(?:及以上|以上)[\u4e00-\u9fff]{2,20}?(?:覆盖率|比例|比率|占比)")
_NAMED_PROJECT = re.compile(r"^[\u4e00-\u9fff]{1,12}?(?:项目|工程)")
_PUSH_VERB = re.compile(r"推动|推进|促进|促成|确保|力争|督促|加快")
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


def extract_targets(
    text: str, fallback_deadline: str | None = None, year: int | None = None
) -> tuple[list[Target], list[str]]:
    """Targets of one task text. Returns the targets and the problems worth a warning.

    ``fallback_deadline`` is the task's own deadline from a 完成时限 column or label; ``year`` the year the
    document is for. In a document for one year a quantity with no date of its own is due at that year's
    end, unless it recurs or spans years (每年, 未来五年); the year alone makes no milestone.
    """
    targets: list[Target] = []
    problems: list[str] = []
    for sentence in _SENTENCE_SPLIT.split(text):
        if sentence.strip(_EDGE_PUNCT):
            # "实施…7000公里。其中,普通国省干线公路2000公里,农村公路5000公里。": the parts of a figure just set
            # are committed to as it is.
            breakdown = bool(targets) and targets[-1].kind == "quantity" and sentence.lstrip().startswith("其中")
            _sentence_targets(sentence, fallback_deadline, targets, problems, year, breakdown)
    if year is None:
        for match in _YEARLESS_RE.finditer(text):
            if match.group("before") or match.group(0).endswith(("底", "末")):
                problems.append(
                    f"“{match.group(0)}”没有写年份，文件也未写明年度，未定完成时限 (a deadline without a year)"
                )
                break
    if year is not None and not _NOT_THIS_YEAR.search(text):
        for target in targets:
            if target.kind == "quantity" and target.deadline is None:
                target.deadline = f"{year:04d}-12-31"
    if targets and fallback_deadline and all(target.kind == "quantity" for target in targets):
        # "启动大竹县第十二小学建设,新建中心幼儿园2所。" under 12月底前: the count is one target, the start of the
        # school another, with the row's deadline.
        for clause in re.split(r"[，,。；;]", text):
            clause = clause.strip(_EDGE_PUNCT)
            if _MILESTONE_VERB.match(clause) and not re.search(r"\d", clause):
                targets.append(Target("milestone", clause, fallback_deadline))
    if not targets and fallback_deadline:
        subject = text.strip(_EDGE_PUNCT)
        if subject:
            targets.append(Target("milestone", subject, fallback_deadline))
    return targets, problems


# "5年内重点引进100名…", "今后三年": a span counted from a start the text does not date. What is counted
# within it is committed to, like a count under a deadline, but its date stays unknown.
_HORIZON = re.compile(
    r"(?:(?<![\d年])[一二三四五六七八九十两\d]{1,2}年(?:内|间|之内)|(?:今后|未来)[一二三四五六七八九十两\d]{1,2}年)"
)


def _sentence_targets(
    sentence: str,
    fallback_deadline: str | None,
    targets: list[Target],
    problems: list[str],
    year: int | None,
    breakdown: bool = False,
) -> None:
    in_force: str | None = None
    within_horizon = breakdown
    quantities: list[Target] = []
    milestones: list[Target] = []
    # Clauses that a deadline of their own opens, each with what it says is done by then (without the date).
    steps: list[tuple[str, list[str]]] = []
    before_counts: list[Target] = []
    # "须于2017年6月底前下达60%以上、9月底前下达80%以上": a month later in the sentence is in the year it named
    sentence_year = int(years[0]) if (years := _ANY_YEAR.findall(sentence)) else None
    for clause in _clauses(sentence, sentence_year or year):
        found = find_deadline(clause, year or sentence_year)
        if found is not None:
            in_force = found.iso
            opens = not clause[: found.start].strip(_EDGE_PUNCT)
            clause = clause[: found.start] + clause[found.end :]
            if opens:
                steps.append((found.iso, []))
        if steps:
            steps[-1][1].append(clause)
        if (horizon := _HORIZON.search(clause)) is not None:
            within_horizon = True
            clause = clause[: horizon.start()] + clause[horizon.end() :]
        under_deadline = in_force is not None or fallback_deadline is not None or within_horizon
        # "全年粮食播种面积4600万亩,总产1150万吨": a short clause of a subject and a figure, right after a
        # clause that committed to a figure, commits to its own in the same way
        # "选拔培养10名…人才，60名…人才": so does a clause that opens with a count
        parallel = bool(quantities) and (
            _BARE_FIGURE.match(clause.strip(_EDGE_PUNCT)) is not None
            or _OPENS_WITH_COUNT.match(clause.strip(_EDGE_PUNCT)) is not None
        )
        named = _clause_quantities(clause, under_deadline or parallel, problems)
        if found is not None and not named and clause.strip(_EDGE_PUNCT):
            # "新建2座人行天桥，9月底前投入使用": a date in a clause that says what is done by then but counts
            # nothing of its own dates what the sentence counted before it; a date that stands alone as a
            # clause ("…，到2025年底，建成1个中心") introduces what follows. When all that was counted has its
            # date already ("6月底前下达60%以上、…、11月底前全部下达到位"), the clause is a milestone of its own.
            undated = [target for target in quantities if target.deadline is None]
            for target in undated:
                target.deadline = found.iso
            step = clause.strip(_EDGE_PUNCT)
            if quantities and not undated and len(step) >= 4:
                milestones.append(Target("milestone", _clean_subject(step), found.iso))
            elif not quantities and len(step) >= 4:
                before_counts.append(Target("milestone", _clean_subject(step), found.iso))
        for target in named:
            target.deadline = in_force or fallback_deadline
            quantities.append(target)
    if quantities:
        # "2021年底前在全国实现“证照分离”改革全覆盖，…事项力争达到100项以上" (国办发〔2020〕43号): what the date
        # opens and counts nothing is done by then as well, before the counts that follow it.
        milestones = before_counts + milestones
    elif len(steps) >= 2:
        # "2020年底前组织开展…全面自查，2021年3月底前对…开展检查": each date opens a step of its own.
        for iso, parts in steps:
            subject = "，".join(part.strip(_EDGE_PUNCT) for part in parts if part.strip(_EDGE_PUNCT))
            if subject:
                targets.append(Target("milestone", subject, iso))
        return
    targets.extend(quantities)
    targets.extend(milestones)
    first = find_deadline(sentence, year) if not quantities else None
    if first is not None:
        after = sentence[first.end :].strip(_EDGE_PUNCT)
        before = sentence[: first.start].strip(_EDGE_PUNCT)
        subject = after or before
        if subject:
            targets.append(Target("milestone", subject, first.iso))


def _clauses(sentence: str, sentence_year: int | None) -> list[str]:
    """The clauses of a sentence (cut at commas); a clause that lists steps each with its own date
    ("6月底前下达60%以上、9月底前下达80%以上") is cut before each later date, at the 、 before it.
    ``sentence_year`` is the year the sentence names, else the document's."""
    clauses: list[str] = []
    for clause in _CLAUSE_SPLIT.split(sentence):
        start = 0
        for match in _YEARLESS_RE.finditer(clause) if sentence_year is not None else ():
            cut = clause.rfind("、", start, match.start())
            if cut > start and find_deadline(clause[start:cut], sentence_year) is not None:
                clauses.append(clause[start : cut + 1])
                start = cut + 1
        clauses.append(clause[start:])
    return clauses


def _clause_quantities(clause: str, under_deadline: bool, problems: list[str]) -> list[Target]:
    if clause.rstrip(_EDGE_PUNCT).endswith("的"):
        return []  # "…达到职工人数25%并与其签订1年以上劳动合同的，可申请…": who qualifies, not a commitment
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
        for each in _each_subject(subject):
            targets.append(Target("quantity", each, None, comparator, _tidy(number.value), measure))
    return targets


# "城镇居民人均可支配收入、农民人均纯收入均增长12%以上": the same figure for each of several subjects.
_EACH = re.compile(
    r"^(?P<subjects>[^，,。；;]+、[^，,。；;]+?)(?:均|都|分别)(?P<rest>(?:增长|达到|提高|提升|下降|降低|不低于|保持|实现)\S*)$"
)


def _each_subject(subject: str) -> list[str]:
    match = _EACH.match(subject)
    if match is None:
        return [subject]
    parts = [part for part in match.group("subjects").split("、") if part]
    if _COUNTED_SUBJECTS.match(parts[-1]):
        # "有效投资增长高于经济增长、4个结构性指标均实现10%以上增长": the count says which the figure is for, and
        # what is listed before it is a clause of its own
        return [parts[-1] + match.group("rest")]
    return [part + match.group("rest") for part in parts]


_COUNTED_SUBJECTS = re.compile(r"^(?:\d+|[一二两三四五六七八九十]+)(?:个|项|类|家|大)")


def _numbers(clause: str) -> list[_Number]:
    found: list[_Number] = []
    for match in _NUMBER_RE.finditer(clause):
        start = match.start()
        before = clause[:start]
        if match.group("percent_cn"):
            value = _to_number(match.group("pct"))
            measure = "%"
        elif match.group("people"):
            if _PARAMETER_BEFORE.search(before) or _GRANT_BEFORE.search(before):
                continue
            value = _to_number(match.group("people"))
            value = None if value is None else value * {"万": 10_000, "亿": 100_000_000}[match.group("people_mult")]
            measure = "人"
        else:
            raw = match.group("num")
            measure = match.group("measure")
            multiplier = {"万": 10_000, "亿": 100_000_000}.get(match.group("mult") or "", 1)
            if measure == "成":  # 六成 is 60 %
                measure, multiplier = "%", multiplier * 10
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
        pre_span: tuple[int, int] | None = None
        pre = _nearest_pre_comparator(before, found[-1].end if found else 0)
        if pre is not None:
            comparator, pre_span = _PRE_COMPARATOR[pre.group(0)], pre.span()
        elif (word := _ADJACENT_RE.search(before)) is not None:  # "完成超230个", "用户数达200万个"
            comparator, pre_span = _ADJACENT_COMPARATOR[word.group(0)], word.span()
        if post is not None:
            reached = pre_span is not None and before[pre_span[0] : pre_span[1]] in ("达", "达到")
            if reached and _POST_COMPARATOR[post.group(1)] == "=":
                comparator = None  # "覆盖率达80%左右": the level reached is itself approximate
            comparator = comparator or _POST_COMPARATOR[post.group(1)]
            end += post.end()
        found.append(_Number(value, measure, start, end, comparator, pre_span))
    return found


def _excluded(clause: str, match: re.Match[str], raw: str, measure: str, before: str) -> bool:
    after = clause[match.end() :]
    if measure == "岁":  # 3岁以下婴幼儿: a population definition
        return True
    if before.endswith(("每", "第")) or _PARAMETER_BEFORE.search(before):
        return True
    if _bare_note(before, after):  # "开工建设海塘安澜(南片海塘4.65公里)" (苍南 2022): what is named, described
        return True
    if measure in _WORDS.capacity and _NAMED_PROJECT.match(after):  # "80万吨乙烯改扩建项目": the project's name
        return True
    if _PER_HEAD_AND_PERIOD.search(before):  # "提高到每人每月609元" (肇庆 2020): a benefit's standard, not a count
        return True
    if _SUBJECTS_OF_A_LATER_FIGURE.match(after):  # "4个结构性指标均实现10%以上增长": how many things the figure is for
        return True
    if measure == "倍" and before.endswith(("标准的", "水平的")):  # "不低于…最低生活保障标准的1.6倍": a standard too
        return True
    if after.startswith("税率") or (after.startswith(("月", "工作日", "季度")) and measure == "个"):
        return True
    if _CONDITION_AFTER.match(after):  # 150张（含）以上床位的养老机构: a condition
        return True
    if _ATTRIBUTE_AFTER.match(_POST_RE.sub("", after, count=1)) or _GRANT_BEFORE.search(before):
        return True
    if raw == "一" and len(after) >= 2 and after[1] == "一":  # 一人一档, 一村一品
        return True
    if not raw[0].isdigit() and after.startswith(raw):  # 一对一, 一人一档: a way of working, not a count
        return True
    # 每年做一次视力筛查, 免费体检一次: how often, in words (a figure, "每季度完成1次", is a count to check)
    if measure == "次" and not raw[0].isdigit() and re.search(r"每(?:年|季度?|月|周|学期)", before):
        return True
    if measure == "次" and raw == "一" and re.match(r"[\u4e00-\u9fff]", after):
        return True  # 一次申报, 信息一次填报 (国办发〔2020〕24号): done in one go, a way of working
    if after.startswith("制"):  # 3人制篮球场, 5人制足球: a kind, not a count
        return True
    if _COUNT_AT_END.search(before) and after.strip("。；;！!"):
        # "超230个50户以上木质房屋": the second figure says which, the first how many; at the clause's end the second
        # counts too ("新开工老旧小区改造221个3万户", 黔东南 2023)
        return True
    if _RATE_POPULATION.match(after):  # "30户以上自然村寨垃圾收运设施覆盖率达95%": which villages the rate is of
        return True
    if not match.group("mult") and _counts_the_list(
        before, raw
    ):  # "A公司、B公司两家企业": how many the text has just named
        return True
    if not raw[0].isdigit() and re.search(r"[一每][\u4e00-\u9fff]$", before):  # 一村一名, 一村两名: so many each
        return True
    if raw in ("零", "〇"):  # 零部件, 零距离: a word, not the number 0
        return True
    if match.group("measure") == "成" and re.match(r"[\u4e00-\u9fff]", after) and not after.startswith("以"):
        return True  # 0成本, 一成不变: 成 begins a word here; 六成以上 is a share
    if _RANGE_BEFORE.search(before) or _RANGE_AFTER.match(clause, match.end("num")):
        return True  # "3-5万个", "1到2个": a range commits to no one figure
    if raw == "一" and clause[match.start("measure") :].startswith(_VAGUE):  # 一批, 一支队伍: no count
        return True
    # “一老一小”, “四同步”: a quoted slogan, not a count
    return not raw[0].isdigit() and before.endswith(("“", '"'))


def _bare_note(before: str, after: str) -> bool:
    """A figure in brackets without any comparator, on the works just named: "海塘安澜(南片海塘4.65公里)". With a
    comparator the bracket states a commitment ("(…报销比例≥50%)", "(占地面积约2.4万平方米)")."""
    opened = max(before.rfind("（"), before.rfind("("))
    if opened < 0 or max(before.rfind("）"), before.rfind(")")) > opened:
        return False
    note = before[opened + 1 :]
    return not (_PRE_RE.search(note) or _ADJACENT_RE.search(note) or _POST_RE.match(after))


def _counts_the_list(before: str, raw: str) -> bool:
    """Whether the number counts the names listed right before it: "青海新型建材…公司、大通元朔水泥…公司两家"
    names two plants, it sets no figure. Written with 等 ("沿浦、宜山…等8家卫生院") the count is what is
    committed to, the names its examples."""
    value = _to_number(raw)
    if value is None or value < 2 or not before or before[-1] in _EDGE_PUNCT or before.endswith("等"):
        return False
    # "每个县（市、区）至少建成两所": a 、 inside brackets lists no names
    listed = re.sub(r"[（(〔][^（）()〔〕]*[)）〕]", "", re.split(r"[，,。；;：:]", before)[-1])
    # names, not figures: "新增城镇就业4.2万人、下岗失业人员再就业2万人" lists counts, it names nothing
    if re.search(r"\d", listed):
        return False
    return listed.count("、") + 1 == value and _PRE_RE.search(listed) is None


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
    """A verb of delivery before the number ("新建2座"), or right after what it counts ("7个乡镇卫生院完成搬迁")."""
    if _DELIVERY_VERB.search(clause[: number.start]) is not None:
        return True
    if _BENEFICIARIES_BEFORE.search(clause[: number.start].lstrip(_EDGE_PUNCT)) is not None:
        return True
    if _DELIVERY_VERB.search(clause[number.end : number.end + 12]) is None:
        return False
    # "推动潞讯精密电子30条生产线投产": what is pushed to be done counts as if it opened the clause
    return number.start == _lead_in(clause) or _PUSH_VERB.search(clause[: number.start]) is not None


def _lead_in(clause: str) -> int:
    """Where a clause's own words begin, after its punctuation and a leading 全县/全市 …"""
    stripped = clause.lstrip(_EDGE_PUNCT)
    return len(clause) - len(_LEADING.sub("", stripped))


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
