"""Each fixture document parses to exactly its hand-written expected JSON, which obeys the contract."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from duban.taskdoc import parse_file

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "taskdoc"
SEED = Path(__file__).resolve().parents[2] / "src" / "duban" / "tools" / "samples" / "hainan_yilao_yixiao_2021.txt"
SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "src/duban/taskdoc/taskdoc.schema.json").read_text("utf-8"))


def _cases() -> list[tuple[Path, Path]]:
    cases = []
    for expected in sorted(FIXTURES.glob("*.expected.json")):
        stem = expected.name.removesuffix(".expected.json")
        if stem == "seed":
            cases.append((SEED, expected))
            continue
        documents = [p for p in FIXTURES.glob(f"{stem}.*") if not p.name.endswith(".expected.json")]
        assert len(documents) == 1, f"one document per expected file: {expected.name}"
        cases.append((documents[0], expected))
    return cases


def _expected(path: Path, source: str) -> dict[str, Any]:
    expected: dict[str, Any] = json.loads(path.read_text("utf-8"))
    expected["source"] = source
    expected.setdefault("scope_notes", [])
    expected.setdefault("warnings", [])
    return expected


@pytest.mark.parametrize(("document", "expected"), _cases(), ids=lambda p: p.name)
def test_document_parses_to_its_hand_written_result(document: Path, expected: Path) -> None:
    got = parse_file(document).to_dict()
    want = _expected(expected, document.name)
    assert got["title"] == want["title"]
    assert got["scope_notes"] == want["scope_notes"]
    assert [t["number"] for t in got["tasks"]] == [t["number"] for t in want["tasks"]]
    for got_task, want_task in zip(got["tasks"], want["tasks"], strict=True):
        assert got_task == want_task, f"task {want_task['number']}"
    assert got["warnings"] == want["warnings"]
    assert got == want


@pytest.mark.parametrize(("document", "expected"), _cases(), ids=lambda p: p.name)
def test_expected_and_output_follow_the_contract(document: Path, expected: Path) -> None:
    checker = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    checker.validate(json.loads(expected.read_text("utf-8")))
    checker.validate(parse_file(document).to_dict())


def test_there_is_a_fixture_per_layout_and_format() -> None:
    names = [document.name for document, _ in _cases()]
    for layout in "abcdef":
        assert any(n.startswith(f"layout_{layout}_") for n in names), layout
    for suffix in (".docx", ".xlsx", ".html", ".pdf", ".txt"):
        assert any(n.endswith(suffix) for n in names), suffix


def test_bundled_schema_is_the_shared_contract() -> None:
    shared = Path(__file__).resolve().parents[3] / "shared" / "contracts" / "taskdoc.schema.json"
    if not shared.exists():
        pytest.skip("the shared contracts folder is not beside this checkout")
    assert json.loads(shared.read_text("utf-8")) == SCHEMA
