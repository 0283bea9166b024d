"""The reference floor of the indicator benchmark: DuckDB computing the facility indicators from the same
arrays as duban's engine, each number checked against the engine's and a sample against duban's stored
values."""

from __future__ import annotations

import math
import statistics
import time
from typing import Any

import numpy as np
import numpy.typing as npt
from rich.console import Console

from duban.indicators import loading
from duban.metrics.definitions import FACILITY_KINDS, NATURES, AreaMeasure, FacilityMeasure, Indicator, Measure
from duban.metrics.engine import Engine, day_number
from duban.metrics.periods import Period
from duban.tools.bench.country import SEED
from duban.tools.bench.figures import GOAL_DUCKDB_RATIO, Figure, stored_values, values_equal

IntArray = npt.NDArray[np.int64]


def _facility_only(indicator: Indicator) -> bool:
    return all(isinstance(m, FacilityMeasure | AreaMeasure) for m in (indicator.numerator, indicator.denominator) if m)


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _duckdb_sql(indicators: list[Indicator]) -> str:
    """One query for the facility indicators of every stored unit and period.

    Each facility is two events, its opening (+ its amounts) and its closing (− them); an event counts from
    the first period end on or after its day (an ASOF join), events are summed per unit up a recursive
    closure of the hierarchy, and a running sum over period ends gives what is open on each. It is the
    engine's own algorithm, so DuckDB is measured at its best: the plain range join of facilities to the
    period ends they are open on (12 million rows at scale 1) ran about ten times slower.
    """
    measures: list[FacilityMeasure] = []
    areas: list[AreaMeasure] = []
    for indicator in indicators:
        for x in (indicator.numerator, indicator.denominator):
            if isinstance(x, FacilityMeasure) and x not in measures:
                measures.append(x)
            if isinstance(x, AreaMeasure):
                if x.having is not None and x.having not in measures:
                    measures.append(x.having)
                if x not in areas:
                    areas.append(x)

    def amount_of(m: FacilityMeasure) -> str:
        parts = []
        if m.kinds:
            parts.append(f"kind IN ({', '.join(str(FACILITY_KINDS.index(k)) for k in m.kinds)})")
        if m.natures:
            parts.append(f"nature IN ({', '.join(str(NATURES.index(n)) for n in m.natures)})")
        if m.min_beds is not None:
            parts.append(f"beds >= {m.min_beds!r}")
        if m.comprehensive is not None:
            parts.append(f"comprehensive = {str(m.comprehensive).upper()}")
        if m.has_medical is not None:
            parts.append(f"has_medical = {str(m.has_medical).upper()}")
        weight = "1" if m.field == "count" else m.field
        return f"CASE WHEN {' AND '.join(parts) or 'TRUE'} THEN {weight} ELSE 0 END"

    def area_condition(a: AreaMeasure) -> str:
        text = f"t.level = {_sql_text(a.level)}"
        if a.area_types:
            text += f" AND t.area_type IN ({', '.join(_sql_text(x) for x in a.area_types)})"
        return text

    every = range(len(measures))
    sums = ", ".join(f"SUM(b.m{i}) AS m{i}" for i in every)
    ctes = [
        "up(unit, anc) AS (SELECT idx, idx FROM units UNION ALL "
        "SELECT up.unit, u.parent FROM up JOIN units u ON u.idx = up.anc WHERE u.parent >= 0)",
        "ends AS (SELECT DISTINCT end_day FROM periods)",
        "events AS (SELECT org, opened AS day, "
        + ", ".join(f"{amount_of(x)} AS m{i}" for i, x in enumerate(measures))
        + " FROM facilities UNION ALL SELECT org, closed AS day, "
        + ", ".join(f"-({amount_of(x)}) AS m{i}" for i, x in enumerate(measures))
        + " FROM facilities)",
        "bucketed AS (SELECT e.org, x.end_day, "
        + sums.replace("b.", "e.")
        + " FROM events e ASOF JOIN ends x ON e.day <= x.end_day GROUP BY e.org, x.end_day)",
        f"rolled AS (SELECT up.anc AS unit, b.end_day, {sums} FROM bucketed b JOIN up ON up.unit = b.org "
        "JOIN units s ON s.idx = up.anc AND s.stored GROUP BY up.anc, b.end_day)",
        "running AS (SELECT unit, end_day, "
        + ", ".join(f"SUM(m{i}) OVER w AS m{i}" for i in every)
        + " FROM rolled WINDOW w AS (PARTITION BY unit ORDER BY end_day))",
        "totals AS (SELECT s.idx AS unit, p.col, "
        + ", ".join(f"COALESCE(r.m{i}, 0) AS m{i}" for i in every)
        + " FROM units s CROSS JOIN periods p ASOF LEFT JOIN running r ON r.unit = s.idx AND r.end_day <= p.end_day"
        " WHERE s.stored)",
    ]
    joins: list[str] = []
    for k, a in enumerate(areas):
        if a.having is None:
            ctes.append(
                f"area{k} AS (SELECT up.anc AS unit, COUNT(*) AS n FROM units t JOIN up ON up.unit = t.idx "
                f"WHERE {area_condition(a)} GROUP BY up.anc)"
            )
            joins.append(f"LEFT JOIN area{k} ON area{k}.unit = t.unit")
            continue
        # Areas that have such a facility: the same running sum, per area of the level, then counted up.
        h = measures.index(a.having)
        ctes.append(
            f"area{k}_running AS (SELECT b.org, b.end_day, SUM(b.m{h}) OVER (PARTITION BY b.org ORDER BY b.end_day)"
            f" AS n FROM bucketed b JOIN units t ON t.idx = b.org WHERE {area_condition(a)})"
        )
        ctes.append(
            f"area{k} AS (SELECT up.anc AS unit, p.col, COUNT(*) AS n FROM (SELECT DISTINCT org FROM area{k}_running) o"
            f" CROSS JOIN periods p ASOF JOIN area{k}_running r ON r.org = o.org AND r.end_day <= p.end_day"
            f" JOIN up ON up.unit = o.org WHERE r.n >= 1 GROUP BY up.anc, p.col)"
        )
        joins.append(f"LEFT JOIN area{k} ON area{k}.unit = t.unit AND area{k}.col = t.col")

    def amount(x: Measure) -> str:
        if isinstance(x, FacilityMeasure):
            return f"CAST(t.m{measures.index(x)} AS DOUBLE)"
        assert isinstance(x, AreaMeasure)
        return f"CAST(COALESCE(area{areas.index(x)}.n, 0) AS DOUBLE)"

    shares = [i for i in indicators if i.share_meeting is not None]
    if shares:
        meets = []
        for k, indicator in enumerate(shares):
            rule = indicator.share_meeting
            assert rule is not None and isinstance(indicator.numerator, FacilityMeasure)
            own = f"t.m{measures.index(indicator.numerator)}"
            test = (
                f"ABS({own} - {rule.value!r}) <= 1e-8 + 1e-5 * ABS({rule.value!r})"
                if rule.comparator == "="
                else f"{own} {rule.comparator} {rule.value!r}"
            )
            meets.append(f"SUM(CASE WHEN {test} THEN 1 ELSE 0 END) AS s{k}")
        # Per jurisdiction in scope its own count; above, how many of them meet the rule.
        ctes.append(
            "meets AS (SELECT up.anc AS unit, t.col, "
            + ", ".join(meets)
            + " FROM totals t JOIN units j ON j.idx = t.unit AND j.scope JOIN up ON up.unit = j.idx"
            " GROUP BY up.anc, t.col)"
        )
        ctes.append(
            "members AS (SELECT up.anc AS unit, COUNT(*) AS n FROM units j JOIN up ON up.unit = j.idx "
            "WHERE j.scope GROUP BY up.anc)"
        )
        joins.append("LEFT JOIN meets ON meets.unit = t.unit AND meets.col = t.col")
        joins.append("LEFT JOIN members ON members.unit = t.unit")

    columns = []
    for k, indicator in enumerate(indicators):
        numerator = amount(indicator.numerator)
        if indicator.share_meeting is not None:
            share = f"100.0 * COALESCE(meets.s{shares.index(indicator)}, 0) / NULLIF(members.n, 0)"
            expression = f"CASE WHEN s.level = 'province' THEN {share} ELSE {numerator} END"
        elif indicator.denominator is not None:
            expression = f"{numerator} / NULLIF({amount(indicator.denominator)}, 0) * {indicator.scale!r}"
        else:
            expression = numerator
        columns.append(f"{expression} AS i{k}")
    return (
        "WITH RECURSIVE "
        + ",\n".join(ctes)
        + "\nSELECT t.unit, t.col, "
        + ", ".join(columns)
        + "\nFROM totals t JOIN units s ON s.idx = t.unit "
        + " ".join(joins)
    )


def bench_duckdb(data: Any, periods: list[Period], runs: int, full_seconds: float, console: Console) -> list[Figure]:
    try:
        import duckdb  # an optional (dev) dependency, loaded only when the reference runs
    except ImportError:
        console.print("DuckDB is not installed (uv sync --group dev): the reference is skipped.")
        return [Figure("DuckDB reference", "skipped: duckdb not installed")]
    indicators = [i for i in data.indicators if _facility_only(i)]
    engine: Engine = data.engine
    # Both sides get an untimed first run and at least three timed ones: these are the shortest timings of
    # the bench, and on a shared 2-core machine single runs vary by half.
    repeats = max(3, runs)
    results = engine.compute(indicators, periods)
    engine_times = []
    for _ in range(repeats):
        started = time.perf_counter()
        results = engine.compute(indicators, periods)
        engine_times.append(time.perf_counter() - started)
    periods = results[0].periods
    tree, f = data.tree, engine.facilities
    stored = np.array([lv in loading.STORED_LEVELS for lv in tree.level], dtype=bool)
    con = duckdb.connect()
    # Loading into DuckDB is not timed: the arrays are copied into native tables first.
    con.register(
        "units_np",
        {
            "idx": np.arange(len(tree), dtype=np.int64),
            "parent": tree.parent.astype(np.int64),
            "level": np.array(tree.level),
            "area_type": np.array(tree.area_type),
            "stored": stored,
            "scope": engine.scope,
        },
    )
    con.register(
        "facilities_np",
        {
            "org": f.org,
            "kind": f.kind,
            "nature": f.nature,
            "beds": f.beds,
            "nursing_beds": f.nursing_beds,
            "places": f.places,
            "enrolled": f.enrolled,
            "comprehensive": f.comprehensive,
            "has_medical": f.has_medical,
            "opened": f.opened,
            "closed": f.closed,
        },
    )
    con.register(
        "periods_np",
        {
            "col": np.arange(len(periods), dtype=np.int64),
            "end_day": np.array([day_number(p.end) for p in periods], dtype=np.int64),
        },
    )
    for name in ("units", "facilities", "periods"):
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM {name}_np")
    sql = _duckdb_sql(indicators)
    out: dict[str, Any] = con.execute(sql).fetchnumpy()
    duck_times = []
    for _ in range(repeats):
        started = time.perf_counter()
        out = con.execute(sql).fetchnumpy()
        duck_times.append(time.perf_counter() - started)
    threads = con.execute("SELECT current_setting('threads')").fetchone()
    con.close()
    unit = np.asarray(out["unit"], dtype=np.int64)
    col = np.asarray(out["col"], dtype=np.int64)
    compared = equal = 0
    for k, result in enumerate(results):
        duck = np.ma.filled(np.ma.asarray(out[f"i{k}"], dtype=np.float64), np.nan)
        ours = result.value[unit, col]
        same = (np.isnan(duck) & np.isnan(ours)) | np.isclose(duck, ours, rtol=1e-9, atol=1e-9)
        compared += len(duck)
        equal += int(same.sum())
    sample_checked, sample_equal = _duckdb_against_stored(data, indicators, periods, unit, col, out)
    duck_s = statistics.median(duck_times)
    engine_s = statistics.median(engine_times)
    ratio = engine_s / duck_s
    console.print(
        f"DuckDB ({threads[0] if threads else '?'} threads): {len(indicators)} facility indicators × "
        f"{len(periods)} periods × {int(stored.sum()):,} stored units in {duck_s * 1000:,.0f} ms (its load not "
        f"counted); duban's engine, same indicators from the same arrays: {engine_s * 1000:,.0f} ms "
        f"→ {ratio:.2f} ×. {equal:,}/{compared:,} of DuckDB's numbers equal the engine's; "
        f"{sample_equal}/{sample_checked} sampled equal duban's stored values"
    )
    return [
        Figure("DuckDB, facility indicators", f"{duck_s * 1000:,.0f} ms"),
        Figure("duban engine, same indicators", f"{engine_s * 1000:,.0f} ms"),
        Figure("duban ÷ DuckDB (compute)", f"{ratio:.2f} ×", f"≤ {GOAL_DUCKDB_RATIO:g} ×", ratio <= GOAL_DUCKDB_RATIO),
        Figure("full computation ÷ DuckDB (informative)", f"{full_seconds / duck_s:,.1f} ×"),
        Figure(
            "DuckDB sample equals duban",
            f"{sample_equal}/{sample_checked} (all {equal:,}/{compared:,})",
            "all",
            sample_equal == sample_checked and equal == compared,
        ),
    ]


def _duckdb_against_stored(
    data: Any, indicators: list[Indicator], periods: list[Period], unit: IntArray, col: IntArray, out: dict[str, Any]
) -> tuple[int, int]:
    """A random sample of DuckDB's numbers against the rows ``indicators_recompute`` stored."""
    rng = np.random.default_rng(SEED + 2)
    rows = rng.choice(len(unit), size=min(500, len(unit)), replace=False)
    pks = data.pks
    wanted = {(int(pks[unit[r]]), str(periods[col[r]])) for r in rows}
    stored = {
        key: v.value for key, v in stored_values([i.code for i in indicators], list({org for org, _ in wanted})).items()
    }
    checked = equal = 0
    for r in rows:
        for k, indicator in enumerate(indicators):
            duck = np.ma.filled(np.ma.asarray(out[f"i{k}"][r : r + 1], dtype=np.float64), np.nan)[0]
            key = (indicator.code, int(pks[unit[r]]), str(periods[col[r]]))
            checked += 1
            equal += values_equal(None if math.isnan(duck) else float(duck), stored.get(key, math.inf))
    return checked, equal
