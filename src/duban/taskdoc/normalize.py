"""Text clean-up shared by every reader: simplified characters and whitespace as the schema wants them."""

from __future__ import annotations

import re
from functools import lru_cache

import opencc

# Whitespace is dropped everywhere except between two Latin letters or digits ("App Store", "5 G"),
# where removing it would join two words.
_SPACE_RUN = re.compile(r"\s+")
_LATIN = re.compile(r"[A-Za-z0-9]")


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional characters are read as their simplified forms (繁体 → 简体)."""
    if text.isascii():
        return text
    return str(_t2s().convert(text))


def squeeze(text: str) -> str:
    """Remove whitespace as the schema asks: none inside Chinese text, one space between Latin words."""

    def keep_or_drop(match: re.Match[str]) -> str:
        start, end = match.start(), match.end()
        whole = match.string
        if start > 0 and end < len(whole) and _LATIN.match(whole[start - 1]) and _LATIN.match(whole[end]):
            return " "
        return ""

    return _SPACE_RUN.sub(keep_or_drop, text).strip()


def normalise_cell(text: str) -> str:
    """A table cell or a line: simplified characters, no stray whitespace, no zero-width characters."""
    text = text.replace("\u200b", "").replace("\ufeff", "").replace("\u3000", " ").replace("\xa0", " ")
    return squeeze(to_simplified(text))
