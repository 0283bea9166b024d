"""The parser judged on real documents: a corpus of hand-labelled task tables and its score.

A corpus is a folder of documents, each ``NAME.<ext>`` beside its hand label ``NAME.expected.json`` (the
form of ``tests/fixtures/corpus/`` and of the shared corpus it grew from: ``{"tasks": [{"number", "text",
"units": [{"name", "role"}], "targets": [...]}], "notes"}``). The score is the one the labels were made
for: micro-averaged F1 over units keyed by (task number, name, role) and over targets keyed by (task
number, kind, comparator, value, unit, deadline). Names and units are compared as the parser reads them:
without whitespace, full-width brackets and separators as their ASCII forms, traditional characters as
simplified, pasted pinyin readings dropped.

Plain Python, no Django: it runs the parser exactly as ``duban parse`` does.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from duban.taskdoc import DocumentError, parse_file
from duban.taskdoc.normalize import drop_pinyin_glosses, fold_glyphs, to_simplified

LABEL_SUFFIX = ".expected.json"
_WIDE = str.maketrans("（）【】，；：", "()[],;:")
_SPACE = re.compile(r"\s+")

K = TypeVar("K")
UnitKey = tuple[int, str, str]
TargetKey = tuple[int, str | None, str | None, float | None, str | None, str | None]


def _plain(text: str | None) -> str:
    # Read as the parser reads: look-alike characters folded and traditional characters simplified, so a
    # label that keeps a name verbatim (省商務廳) matches the parser's reading of it (省商务厅).
    return _SPACE.sub("", to_simplified(drop_pinyin_glosses(fold_glyphs(text or "")))).translate(_WIDE)


def unit_keys(document: dict[str, Any]) -> Counter[UnitKey]:
    """Each unit of each task, as the labels count it: (task number, name, role)."""
    keys: Counter[UnitKey] = Counter()
    for task in document.get("tasks", []):
        for unit in task.get("units", []):
            keys[(int(task["number"]), _plain(unit["name"]), unit["role"])] += 1
    return keys


def target_keys(document: dict[str, Any]) -> Counter[TargetKey]:
    """Each target of each task: a quantity by comparator, value and unit; a milestone by its deadline."""
    keys: Counter[TargetKey] = Counter()
    for task in document.get("tasks", []):
        for target in task.get("targets", []):
            quantity = target.get("kind") == "quantity"
            value = target.get("value")
            keys[
                (
                    int(task["number"]),
                    target.get("kind"),
                    target.get("comparator") if quantity else None,
                    round(float(value), 6) if quantity and value is not None else None,
                    _plain(target.get("unit")) if quantity else None,
                    target.get("deadline"),
                )
            ] += 1
    return keys


@dataclass(frozen=True)
class Counts:
    """True positives, false positives and false negatives of one kind of item."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _compare(gold: Counter[K], got: Counter[K]) -> tuple[Counts, list[K], list[K]]:
    counts = Counts(sum((gold & got).values()), sum((got - gold).values()), sum((gold - got).values()))
    return counts, sorted((gold - got).elements(), key=_by_task), sorted((got - gold).elements(), key=_by_task)


def _by_task(key: Any) -> tuple[int, str]:
    return key[0], str(key)


@dataclass
class DocumentScore:
    """One document's figures and what went wrong in it."""

    name: str
    tasks_expected: int
    tasks_found: int  # labelled task numbers the parser also found
    tasks_extra: int  # task numbers the parser found that the labels do not have
    units: Counts
    targets: Counts
    missing_units: list[UnitKey] = field(default_factory=list)
    extra_units: list[UnitKey] = field(default_factory=list)
    missing_targets: list[TargetKey] = field(default_factory=list)
    extra_targets: list[TargetKey] = field(default_factory=list)
    error: str | None = None  # the parser refused the document

    def as_json(self) -> dict[str, Any]:
        return {
            "document": self.name,
            "tasks_expected": self.tasks_expected,
            "tasks_found": self.tasks_found,
            "tasks_extra": self.tasks_extra,
            "units": _counts_json(self.units),
            "targets": _counts_json(self.targets),
            "missing_units": [list(key) for key in self.missing_units],
            "extra_units": [list(key) for key in self.extra_units],
            "missing_targets": [list(key) for key in self.missing_targets],
            "extra_targets": [list(key) for key in self.extra_targets],
            "error": self.error,
        }


def _counts_json(counts: Counts) -> dict[str, Any]:
    return {"tp": counts.tp, "fp": counts.fp, "fn": counts.fn, "f1": round(counts.f1, 4)}


def score_document(name: str, gold: dict[str, Any], got: dict[str, Any]) -> DocumentScore:
    """Compare the parser's output ``got`` with the hand label ``gold``, both in the taskdoc JSON form."""
    gold_numbers = {int(task["number"]) for task in gold.get("tasks", [])}
    got_numbers = {int(task["number"]) for task in got.get("tasks", [])}
    units, missing_units, extra_units = _compare(unit_keys(gold), unit_keys(got))
    targets, missing_targets, extra_targets = _compare(target_keys(gold), target_keys(got))
    return DocumentScore(
        name=name,
        tasks_expected=len(gold_numbers),
        tasks_found=len(gold_numbers & got_numbers),
        tasks_extra=len(got_numbers - gold_numbers),
        units=units,
        targets=targets,
        missing_units=missing_units,
        extra_units=extra_units,
        missing_targets=missing_targets,
        extra_targets=extra_targets,
    )


@dataclass(frozen=True)
class LabelledDocument:
    name: str
    path: Path
    label: Path


class CorpusError(Exception):
    """A corpus folder that cannot be scored: it names the folder or file and what is wrong."""


def find_documents(folder: Path) -> list[LabelledDocument]:
    """Every labelled document in ``folder``: a ``NAME.expected.json`` and the document it labels.

    The document is the file the label's ``source`` names, or else the one other file called ``NAME.*``
    beside it (not the ``NAME.source.md`` note).
    """
    if not folder.is_dir():
        raise CorpusError(f"{folder}: 不是文件夹 (not a folder)")
    found = []
    for label in sorted(folder.glob(f"*{LABEL_SUFFIX}")):
        name = label.name.removesuffix(LABEL_SUFFIX)
        try:
            source = json.loads(label.read_text("utf-8")).get("source")
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise CorpusError(f"{label}: 标注不是有效的 JSON (the label is not valid JSON: {exc})") from exc
        if source and (folder / source).is_file():
            found.append(LabelledDocument(name, folder / source, label))
            continue
        candidates = [
            path for path in sorted(folder.glob(f"{name}.*")) if path != label and not path.name.endswith(".source.md")
        ]
        if len(candidates) != 1:
            raise CorpusError(
                f"{label}: 找不到它标注的文档 (cannot tell which file it labels: {len(candidates)} candidates)"
            )
        found.append(LabelledDocument(name, candidates[0], label))
    if not found:
        raise CorpusError(f"{folder}: 没有 *{LABEL_SUFFIX} 标注文件 (no labelled documents)")
    return found


def score_corpus(documents: Iterable[LabelledDocument]) -> list[DocumentScore]:
    """Parse each document and score it against its label; a refused document scores as all missed."""
    scores = []
    for document in documents:
        gold = json.loads(document.label.read_text("utf-8"))
        try:
            got = parse_file(document.path).to_dict()
            error = None
        except DocumentError as exc:
            got, error = {"tasks": []}, exc.problem
        score = score_document(document.name, gold, got)
        score.error = error
        scores.append(score)
    return scores


@dataclass(frozen=True)
class Totals:
    documents: int
    tasks_expected: int
    tasks_found: int
    tasks_extra: int
    units: Counts
    targets: Counts

    def as_json(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "tasks_expected": self.tasks_expected,
            "tasks_found": self.tasks_found,
            "tasks_extra": self.tasks_extra,
            "units": _counts_json(self.units),
            "targets": _counts_json(self.targets),
        }


def totals(scores: list[DocumentScore]) -> Totals:
    """Micro-averaged: the counts of every document added up before F1 is taken."""
    return Totals(
        documents=len(scores),
        tasks_expected=sum(score.tasks_expected for score in scores),
        tasks_found=sum(score.tasks_found for score in scores),
        tasks_extra=sum(score.tasks_extra for score in scores),
        units=sum((score.units for score in scores), Counts()),
        targets=sum((score.targets for score in scores), Counts()),
    )
