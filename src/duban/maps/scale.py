"""Values into colour classes: the palette, the class breaks, and the numbers the legend shows."""

from __future__ import annotations

import bisect
import math
import statistics
from collections.abc import Iterable, Sequence
from itertools import pairwise

# ColorBrewer YlGnBu, 5 classes: sequential, colour-blind safe, and its lightness still orders the classes in grey.
YLGNBU_5: tuple[str, ...] = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
NO_DATA_COLOUR = "#d9d9d9"


def finite(value: float | None) -> float | None:
    """``value`` as a float, or None for a missing, infinite or NaN value (drawn as no data)."""
    if value is None or not math.isfinite(value):
        return None
    return float(value)


def quantile_breaks(values: Iterable[float], classes: int) -> list[float]:
    """Up to ``classes - 1`` ascending breaks at quantiles, rounded to 3 significant digits so the legend shows the
    breaks actually used; ties collapse, so few distinct values give fewer classes."""
    data = sorted(v for v in values if math.isfinite(v))
    if classes < 2 or len(data) < 2:
        return []
    cuts = statistics.quantiles(data, n=classes, method="inclusive")
    return sorted({float(f"{cut:.3g}") for cut in cuts})


def classify(value: float, breaks: Sequence[float]) -> int:
    """Class index: 0 below the first break, i for breaks[i-1] <= value < breaks[i], len(breaks) from the last on."""
    return bisect.bisect_right(breaks, value)


def checked_breaks(breaks: Sequence[float]) -> list[float]:
    """Breaks given by the caller, refused unless finite and strictly increasing."""
    result = [float(b) for b in breaks]
    if not all(math.isfinite(b) for b in result) or any(a >= b for a, b in pairwise(result)):
        raise ValueError(f"class breaks must be finite and strictly increasing: {list(breaks)}")
    return result


def class_colours(colours: Sequence[str], classes: int) -> list[str]:
    """One colour per class, taken from ``colours``."""
    # Fewer classes than colours take colours spread over the whole ramp, so contrast between classes stays high.
    if classes > len(colours):
        raise ValueError(f"{classes} classes but only {len(colours)} colours")
    if classes == 1:
        return [colours[len(colours) // 2]]
    last = len(colours) - 1
    return [colours[round(i * last / (classes - 1))] for i in range(classes)]


def format_number(value: float) -> str:
    """Thousands separators, at most 2 decimals (3 significant digits below 1), no trailing zeros."""
    if value == 0:
        return "0"
    decimals = 2 if abs(value) >= 1 else min(6, 2 - math.floor(math.log10(abs(value))))
    text = f"{value:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def legend_labels(breaks: Sequence[float], values: Sequence[float]) -> list[str]:
    """A label per class; with no breaks, the one class spans the finite ``values`` shown."""
    if not breaks:
        if not values:
            return []
        low, high = min(values), max(values)
        return [format_number(low) if low == high else f"{format_number(low)} – {format_number(high)}"]
    labels = [f"< {format_number(breaks[0])}"]
    labels += [f"{format_number(a)} – {format_number(b)}" for a, b in pairwise(breaks)]
    labels.append(f"≥ {format_number(breaks[-1])}")
    return labels
