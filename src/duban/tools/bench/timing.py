"""Timing the indicator benchmark: the parts of one ``indicators_recompute`` call, the median of several
runs, and the peak memory while they run."""

from __future__ import annotations

import contextlib
import os
import resource
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from duban.indicators import loading
from duban.metrics.engine import Engine


@dataclass
class Spans:
    """Seconds spent in each part of ``indicators_recompute`` during one call."""

    seconds: dict[str, float] = field(default_factory=dict)
    captured: dict[str, Any] = field(default_factory=dict)

    def add(self, name: str, seconds: float) -> None:
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds


@contextlib.contextmanager
def _sections() -> Iterator[Spans]:
    """Time the parts of the real ``indicators_recompute`` path by wrapping, for the block only, the
    functions it calls through the ``loading`` module and ``Engine.compute`` (rather than copying the
    service's body here, where it could drift from what it measures)."""
    spans = Spans()
    names = {
        "region_units": "units",
        "_facilities": "facilities",
        "_values": "values",
        "load_region": "load",
        "series_rows": "rows",
        "write_series": "write",
    }
    # A part renamed in ``loading`` shows as 0 ms rather than stopping the bench.
    names = {name: key for name, key in names.items() if hasattr(loading, name)}
    saved: dict[str, Callable[..., Any]] = {name: getattr(loading, name) for name in names}
    saved_compute = Engine.compute

    loading_depth = 0

    def wrap(function: Callable[..., Any], key: str) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            nonlocal loading_depth
            started = time.perf_counter()
            loading_depth += key == "load"
            try:
                result = function(*args, **kwargs)
            finally:
                loading_depth -= key == "load"
            seconds = time.perf_counter() - started
            spans.add(key, seconds)
            if key in ("units", "facilities", "values") and loading_depth:
                spans.add("inside load", seconds)  # so that "load other" is what load_region adds itself
            if key == "load":
                spans.captured["region"] = result
            return result

        return timed

    for name, key in names.items():
        setattr(loading, name, wrap(saved[name], key))
    Engine.compute = wrap(saved_compute, "compute")  # type: ignore[method-assign]
    started = time.perf_counter()
    try:
        yield spans
    finally:
        total = time.perf_counter() - started
        for name, function in saved.items():
            setattr(loading, name, function)
        Engine.compute = saved_compute  # type: ignore[method-assign]
        s = spans.seconds
        load = s.pop("load", 0.0)
        s["load other"] = load - s.pop("inside load", 0.0)
        s["other"] = total - sum(s.values())


def median_run(action: Callable[[], object], runs: int) -> tuple[float, Spans, object]:
    """The median run's seconds and parts, and the last run's result."""
    measured: list[tuple[float, Spans]] = []
    result: object = None
    for _ in range(runs):
        with _sections() as spans:
            started = time.perf_counter()
            result = action()
            seconds = time.perf_counter() - started
        measured.append((seconds, spans))
    in_order = [seconds for seconds, _ in measured]
    measured.sort(key=lambda pair: pair[0])
    _, spans = measured[(len(measured) - 1) // 2]
    spans.captured["runs"] = in_order
    return statistics.median(in_order), spans, result


class PeakMemory:
    """The process's resident set size, sampled every 5 ms while the block runs.

    ``ru_maxrss`` is the high-water mark of the whole process, generation included, so it cannot show a
    smaller peak reached later; sampling ``/proc/self/statm`` can (where there is no /proc, ru_maxrss).
    """

    def __init__(self) -> None:
        self.before = _rss()
        self.peak = self.before
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, _rss())

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss())


def _rss() -> int:
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
