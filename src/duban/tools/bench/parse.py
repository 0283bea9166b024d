"""``duban bench parse``: the parser's speed on the Hainan table and on generated tables of growing size,
and (``--corpus DIR``) its accuracy on hand-labelled real documents.

Plain Python like the parser itself: no Django, no database.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.table import Table

from duban.core.output import print_json
from duban.taskdoc import parse_bytes
from duban.tools.corpus import CorpusError, DocumentScore, find_documents, score_corpus, totals
from duban.tools.samples import sample_table_path

_UNITS = [
    "省发展改革委",
    "省民政厅",
    "省财政厅",
    "省卫生健康委",
    "省住房城乡建设厅",
    "省自然资源和规划厅",
    "省教育厅",
    "省人力资源社会保障厅",
    "省市场监管局",
    "省应急管理厅",
    "人行海口中心支行",
    "团省委",
]
_TEXTS = [
    "到{year}年底，全省每千名老年人口拥有养老床位数达到{n}张。",
    "推进社区养老服务设施建设，提高服务质量。",
    "到{year}年底，全省培训养老护理人员{n}万人次。",
    "到{year}年6月底，全面建立特殊困难老年人居家探访制度。",
    "{year}年底，全省普惠性婴幼儿在托覆盖率不低于{n}%，其中公办占比原则上不低于10%。",
    "鼓励150张（含）以上床位的养老机构内部设置医务室，并将符合条件的纳入医保定点范围。",
]


def generated_table(tasks: int, seed: int = 2021) -> str:
    """A seed-style table (one cell per line) with ``tasks`` rows, deterministic for a given seed."""
    rng = random.Random(seed)
    lines = ["附件", "", "某省重点任务分工表（生成）", "", "\t序号", "\t重点任务", "\t责任单位", ""]
    for number in range(1, tasks + 1):
        text = rng.choice(_TEXTS).format(year=rng.choice((2023, 2024, 2025)), n=rng.randint(2, 60))
        picked = rng.sample(_UNITS, rng.randint(1, 6))
        units = f"{picked[0]}牵头，" + "、".join(picked[1:]) + "按职责分工负责，" if len(picked) > 1 else ""
        units = units or f"{picked[0]}牵头负责，"
        lines += [f"\t{number}", f"\t{text}", f"\t{units}各市县政府负责。", ""]
    return "\n".join(lines)


def _median_ms(action: Callable[[], object], runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def bench_parse(*, runs: int, tasks: int, console: Console) -> int:
    seed = sample_table_path().read_bytes()
    parse_bytes(seed, "warm-up.txt")  # the first call loads OpenCC's dictionaries and compiles patterns
    table = Table(title=f"duban bench parse — median of {runs} runs")
    table.add_column("document")
    table.add_column("tasks", justify="right")
    table.add_column("median ms", justify="right")
    table.add_column("µs per task", justify="right")
    seed_ms = _median_ms(lambda: parse_bytes(seed, "seed.txt"), runs)
    table.add_row("seed (Hainan, 39 tasks)", "39", f"{seed_ms:.1f}", f"{seed_ms * 1000 / 39:.0f}")
    per_task = []
    for size in sorted({max(1, tasks // 4), max(1, tasks // 2), tasks}):
        data = generated_table(size).encode()
        ms = _median_ms(lambda data=data: parse_bytes(data, "generated.txt"), runs)  # type: ignore[misc]
        per_task.append(ms * 1000 / size)
        table.add_row(f"generated, {size} tasks", str(size), f"{ms:.1f}", f"{per_task[-1]:.0f}")
    console.print(table)
    growth = per_task[-1] / per_task[0] if per_task[0] else float("nan")
    console.print(
        f"seed: {seed_ms:.1f} ms (goal ≤ 20 ms: {'met' if seed_ms <= 20 else 'NOT met'}); "
        f"cost per task at the largest size ÷ at the smallest: {growth:.2f} (≈ 1 means linear growth)"
    )
    return 0


def bench_corpus(*, folders: list[Path], output: str, console: Console) -> int:
    """Score the parser on labelled real documents: per document, in total, and where it went wrong."""
    try:
        documents = [document for folder in folders for document in find_documents(folder)]
    except CorpusError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    scores = score_corpus(documents)
    overall = totals(scores)
    console.width = max(console.width, 120)  # the document names and figures need it, also when piped
    if output == "json":
        print_json({"documents": [score.as_json() for score in scores], "total": overall.as_json()})
        return 0
    table = Table(title=f"duban bench parse --corpus — {len(scores)} hand-labelled documents")
    table.add_column("document", no_wrap=True)
    for heading in ("tasks", "units tp/fp/fn", "units F1", "targets tp/fp/fn", "targets F1"):
        table.add_column(heading, justify="right")
    for score in scores:
        table.add_row(
            score.name,
            f"{score.tasks_found}/{score.tasks_expected}" + (f" +{score.tasks_extra}" if score.tasks_extra else ""),
            f"{score.units.tp}/{score.units.fp}/{score.units.fn}",
            f"{score.units.f1:.2f}",
            f"{score.targets.tp}/{score.targets.fp}/{score.targets.fn}",
            f"{score.targets.f1:.2f}",
        )
    table.add_section()
    table.add_row(
        "total (micro)",
        f"{overall.tasks_found}/{overall.tasks_expected}" + (f" +{overall.tasks_extra}" if overall.tasks_extra else ""),
        f"{overall.units.tp}/{overall.units.fp}/{overall.units.fn}",
        f"{overall.units.f1:.3f}",
        f"{overall.targets.tp}/{overall.targets.fp}/{overall.targets.fn}",
        f"{overall.targets.f1:.3f}",
    )
    console.print(table)
    for score in scores:
        _print_mistakes(score, console)
    found = overall.tasks_found / overall.tasks_expected if overall.tasks_expected else 1.0
    console.print(
        f"tasks found {found:.0%}; units F1 {overall.units.f1:.3f}; targets F1 {overall.targets.f1:.3f} "
        "(tasks: labelled numbers found / labelled, +extra numbers found; tp/fp/fn: right, wrong, missed)"
    )
    return 0


def _print_mistakes(score: DocumentScore, console: Console, limit: int = 6) -> None:
    lines = []
    if score.error:
        lines.append(f"  refused: {score.error}")
    for heading, keys in (
        ("missed unit", score.missing_units),
        ("wrong unit", score.extra_units),
        ("missed target", score.missing_targets),
        ("wrong target", score.extra_targets),
    ):
        for key in keys[:limit]:
            lines.append(f"  {heading}: task {key[0]} " + " ".join(str(part) for part in key[1:] if part is not None))
        if len(keys) > limit:
            lines.append(f"  … {len(keys) - limit} more {heading}s")
    if lines:
        console.print(f"[bold]{score.name}[/bold]")
        for line in lines:
            console.print(line, markup=False)
