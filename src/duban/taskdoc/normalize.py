"""Text clean-up shared by every reader: one spelling per character, simplified, whitespace as the schema wants.

Every cell and line passes through ``normalise_cell`` before any rule reads it, so the rules can be written
for ordinary characters only.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

from duban.taskdoc.lexicon import text_of

# Whitespace is dropped everywhere except between two Latin letters or digits ("App Store", "5 G"),
# where removing it would join two words.
_SPACE_RUN = re.compile(r"\s+")
_LATIN = re.compile(r"[A-Za-z0-9]")


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


# Unicode NFKC, applied only to the blocks whose compatibility forms are look-alikes of ordinary
# characters: full-width Latin letters and digits (２０２５ → 2025), the Kangxi radicals (⼯ → 工) and the CJK
# compatibility ideographs. Full NFKC is not applied to everything because it would rewrite what a document
# means as written: the full-width punctuation of Chinese text (（，：；) that texts keep, circled numbers
# (① is a task number, not "1"), and squared units (㎡).
_NFKC_RANGES = (
    (0xFF10, 0xFF19),  # full-width digits
    (0xFF21, 0xFF3A),  # full-width capital letters
    (0xFF41, 0xFF5A),  # full-width small letters
    (0x2F00, 0x2FDF),  # Kangxi radicals
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0x2F800, 0x2FA1F),  # CJK compatibility ideographs supplement
)
_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"


def _equivalent_ideographs() -> dict[int, str]:
    """The CJK Radicals Supplement and CJK Strokes mapped to their look-alike ideographs (⺠ → 民).

    NFKC leaves these blocks alone, and no maintained Python library carries the mapping, so it is read
    from the Unicode Character Database's own table, kept in ``lexicon/equivalent_ideographs.txt``.
    """
    table: dict[int, str] = {}
    text = text_of("equivalent_ideographs.txt")
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        codes, ideograph = line.split(";")
        first, _, last = codes.partition("..")
        for code in range(int(first, 16), int(last or first, 16) + 1):
            table[code] = chr(int(ideograph, 16))
    return table


@lru_cache(maxsize=1)
def _glyph_table() -> dict[int, str]:
    table = _equivalent_ideographs()
    for low, high in _NFKC_RANGES:
        for code in range(low, high + 1):
            folded = unicodedata.normalize("NFKC", chr(code))
            if folded != chr(code):
                table[code] = folded
    table.update({ord(ch): " " for ch in _SPACES})
    table.update({ord(ch): "" for ch in _INVISIBLE})
    return table


def fold_glyphs(text: str) -> str:
    """One spelling per character: radical and compatibility look-alikes, full-width digits, odd spaces.

    Only characters that are drawn the same and mean the same are folded: ``⼯`` becomes ``工``, ``２０``
    becomes ``20``, a non-breaking or ideographic space becomes a space, a zero-width space disappears.
    """
    if text.isascii():
        return text
    return text.translate(_glyph_table())


# Pages that annotate rare or traditional characters with their reading leave it in copied text:
# "縣發(fā)改委", "序號(hào)". A reading is pinyin with a tone mark, in brackets, right after a Han character.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_PINYIN_GLOSS = re.compile(rf"(?<=[\u4e00-\u9fff])[(（][a-zü]*[{_TONED}][a-zü{_TONED}]*[)）]")


def drop_pinyin_glosses(text: str) -> str:
    """Remove readings pasted after characters: ``縣發(fā)改委`` → ``縣發改委``."""
    return _PINYIN_GLOSS.sub("", text)


def normalise_spaces(text: str) -> str:
    """Look-alikes folded and traditional characters simplified, but spaces kept: where they separate cells."""
    return to_simplified(drop_pinyin_glosses(fold_glyphs(text)))


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
    return squeeze(normalise_spaces(text))


# Forums that guard their posts against copying scatter random pairs of ASCII characters through the text
# ("+ Q$ b9 ]6 _/ \4 c3 C", "f* r1 全省…"). A run of three or more such short tokens, two of them at least not
# plain digits, is that noise. Its last token may carry the item's own number: "f* r1 全省" is item 1.
_JAMMER_TOKEN = re.compile(r"^(?:[!-{}~]{1,2}|[!-/:-{}~]\d{2})$")
_JAMMER_TAIL = re.compile(r"^[^\d\s]?(\d{1,3})$")


def drop_copy_guard_noise(line: str) -> str:
    """The line without the noise of a copy-guarded forum post: "4 y- l1 v1 q, }" after a sentence is dropped."""
    tokens = line.split(" ")
    if len(tokens) < 4:
        return line
    kept: list[str] = []
    run: list[str] = []

    def flush(next_token: str | None) -> None:
        if len(run) >= 3 and sum(not token.isdigit() for token in run) >= 2:
            if kept:  # "…100条以上。* B* @3": the noise began right after the sentence's end
                kept[-1] = re.sub(r"(?<=[。；;，,])[!-/:-@\[-`{-~]{1,2}$", "", kept[-1])
            tail = _JAMMER_TAIL.match(run[-1])
            if tail is not None and next_token is not None and re.match(r"[\u4e00-\u9fff]", next_token):
                kept.append(tail.group(1))
        else:
            kept.extend(run)
        run.clear()

    for token in tokens:
        if token and _JAMMER_TOKEN.match(token):
            run.append(token)
            continue
        flush(token)
        kept.append(token)
    flush(None)
    if len(kept) == len(tokens):
        return line  # no noise: the spacing, which may separate a table's cells, stays as it was
    return " ".join(token for token in kept if token)
