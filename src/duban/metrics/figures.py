"""A figure as people write it in a report: 250000, 250,000, 25万, 1.2亿, full-width digits, with the element's
measure after it (25万人). Pure: no Django."""

from __future__ import annotations

import math
import re
import unicodedata

MAGNITUDES = {"万": 10_000, "亿": 100_000_000}
_FIGURE = re.compile(r"^(?P<sign>[-+]?)(?P<num>\d+(?:\.\d+)?|\.\d+)(?P<mag>[万亿]*)$")


def figure_parse(text: str, *, measure: str = "") -> float:
    """The number ``text`` stands for; ``ValueError`` if it stands for none. A measure after the number (the
    element's own, such as 人 or 人次) is allowed, and 万 and 亿 multiply (万亿 too)."""
    # NFKC folds full-width digits, commas and points (１２，０００．５) into their ASCII forms.
    cleaned = unicodedata.normalize("NFKC", text).strip().replace(",", "").replace(" ", "")
    if measure:
        cleaned = cleaned.removesuffix(unicodedata.normalize("NFKC", measure))
    match = _FIGURE.match(cleaned)
    if match is None:
        # float() reads what people type in other ways (1e5, inf, nan); whether it is finite is the caller's test.
        return float(cleaned)
    value = float(match.group("num"))
    for character in match.group("mag"):
        value *= MAGNITUDES[character]
    if match.group("sign") == "-":
        value = -value
    if not math.isfinite(value):
        raise ValueError(text)
    return value
