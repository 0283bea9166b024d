"""Unit names as people write them, made comparable. Pure: no Django."""

from __future__ import annotations

import difflib
import re

from duban.taskdoc.normalize import normalise_cell

_ASCII_PARENS = str.maketrans({"(": "（", ")": "）"})


def normalise_name(name: str) -> str:
    """The form names are stored and matched in: simplified, no whitespace, full-width parentheses."""
    return normalise_cell(name).translate(_ASCII_PARENS)


def closest(name: str, candidates: list[str], limit: int = 3) -> list[str]:
    """The registry names most like ``name``, best first, for "did you mean" hints."""
    found = difflib.get_close_matches(name, candidates, n=limit, cutoff=0.45)
    if len(found) < limit:
        core = re.sub(r"^(?:省|市|县|海南省)", "", name)
        found += [c for c in candidates if core and core in c and c not in found][: limit - len(found)]
    return found
