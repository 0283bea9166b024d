"""The parser's vocabulary, kept as data: the words of roles, labels and manners, one list per concept.

``roles.toml`` holds the words of units and roles, ``targets.toml`` those of targets; this module reads
them once, so that a word is added in one place and understood wherever its concept is read.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from duban.taskdoc.model import Comparator, Role


@dataclass(frozen=True)
class Lexicon:
    verb_role: dict[str, Role]
    manners: tuple[str, ...]
    label_role: dict[str, Role]
    people_labels: tuple[str, ...]
    time_labels: tuple[str, ...]
    text_labels: tuple[str, ...]
    progress_labels: tuple[str, ...]
    first_is_lead: str  # a regular expression
    neutral_labels: tuple[str, ...]
    unit_suffixes: tuple[str, ...]
    name_marks: tuple[str, ...]
    concerned_words: tuple[str, ...]
    area_kinds: tuple[str, ...]
    number_headers: tuple[str, ...]
    text_header_words: tuple[str, ...]
    other_header_words: tuple[str, ...]
    measure_headers: tuple[str, ...]
    goal_header_words: tuple[str, ...]

    @property
    def labels(self) -> tuple[str, ...]:
        """Every label a line or a column may start with: roles, people, times and progress."""
        return (*self.label_role, *self.neutral_labels, *self.people_labels, *self.time_labels, *self.progress_labels)


def one_of(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, longest first, so that 牵头负责 wins over 牵头."""
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class TargetWords:
    measures: tuple[str, ...]
    vague: tuple[str, ...]
    capacity: tuple[str, ...]
    delivery: tuple[str, ...]
    before: dict[str, Comparator]
    after: dict[str, Comparator]
    adjacent: dict[str, Comparator]


@cache
def target_words() -> TargetWords:
    data = tomllib.loads(files(__name__).joinpath("targets.toml").read_text("utf-8"))
    comparators = data["comparators"]
    return TargetWords(
        measures=tuple(data["measures"]["words"]),
        vague=tuple(data["vague"]["words"]),
        capacity=tuple(data["capacity"]["words"]),
        delivery=tuple(data["delivery"]["words"]),
        before={word: sign for sign, words in comparators["before"].items() for word in words},
        after={word: sign for sign, words in comparators["after"].items() for word in words},
        adjacent={word: sign for sign, words in comparators["adjacent"].items() for word in words},
    )


@cache
def lexicon() -> Lexicon:
    data = tomllib.loads(files(__name__).joinpath("roles.toml").read_text("utf-8"))
    verb_role: dict[str, Role] = {word: role for role, words in data["verbs"].items() for word in words}
    label_role: dict[str, Role] = {
        word: role for role, words in data["labels"].items() if role != "neutral" for word in words
    }
    declarations = data["declarations"]
    first_is_lead = (
        r"(?:除[^，,）)]{0,20}外[，,]?)?"
        f"(?:{one_of(declarations['rank'])})?(?:{one_of(declarations['first'])})(?:者|的)?(?:部门|单位)?"
        r"为牵头(?:或[^，,；;）)]{1,8})?(?:单位|部门)?(?:[，,]?下同)?"
    )
    return Lexicon(
        verb_role=verb_role,
        manners=tuple(data["manners"]["words"]),
        label_role=label_role,
        people_labels=tuple(data["not_units"]["people"]),
        time_labels=tuple(data["not_units"]["time"]),
        text_labels=tuple(data["not_units"]["text"]),
        progress_labels=tuple(data["not_units"]["progress"]),
        first_is_lead=first_is_lead,
        neutral_labels=tuple(data["labels"]["neutral"]),
        unit_suffixes=tuple(data["names"]["suffixes"]),
        name_marks=tuple(data["names"]["marks"]),
        concerned_words=tuple(data["collectives"]["concerned"]),
        area_kinds=tuple(data["collectives"]["areas"]),
        number_headers=tuple(data["columns"]["number"]),
        text_header_words=tuple(data["columns"]["text_words"]),
        other_header_words=tuple(data["columns"]["other_words"]),
        measure_headers=tuple(data["columns"]["measure"]),
        goal_header_words=tuple(data["columns"]["goal_words"]),
    )


def text_of(name: str) -> str:
    """Another data file of this folder, as text (the normaliser's table of look-alike characters)."""
    return files(__name__).joinpath(name).read_text("utf-8")
