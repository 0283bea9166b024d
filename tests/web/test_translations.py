"""The English catalog is complete and its compiled form matches it."""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parents[2] / "src" / "duban" / "locale" / "en" / "LC_MESSAGES"


def test_every_message_is_translated_and_compiled() -> None:
    with (LOCALE / "django.po").open("rb") as handle:
        source = read_po(handle)
    with (LOCALE / "django.mo").open("rb") as handle:
        compiled = read_mo(handle)
    untranslated = [m.id for m in source if m.id and not (m.string if isinstance(m.string, str) else all(m.string))]
    assert untranslated == []
    assert not [m.id for m in source if m.id and m.fuzzy]
    for message in source:
        if message.id:
            assert compiled[message.id] is not None, message.id
            want, got = message.string, compiled[message.id].string
            if isinstance(want, list | tuple):
                want, got = tuple(want), tuple(got)
            assert got == want, message.id
