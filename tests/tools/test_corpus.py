"""The corpus score: what the parser is judged by on real documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from duban.cli import main
from duban.tools.corpus import (
    CorpusError,
    Counts,
    find_documents,
    score_corpus,
    score_document,
    totals,
)

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "fixtures" / "corpus"

# The figures reached so far; a change to the parser that scores lower fails here (raise them as it improves).
FLOOR = {"units": 0.991, "targets": 0.977, "tasks_found": 0.985}
# On the documents kept aside while the rules are written: measured, never tuned to. The floor sits a little
# under the figure reached, to catch a collapse without making the rules answer to documents nobody may read.
# The third set, as it arrived: tasks 19/25, units 0.553, targets 0.776.
FLOOR_ASIDE = {"units": 0.52, "targets": 0.74, "tasks_found": 0.72}


def _doc(*tasks: dict[str, object]) -> dict[str, object]:
    return {"tasks": list(tasks)}


def test_units_are_matched_by_task_name_and_role_ignoring_spaces_and_bracket_width() -> None:
    gold = _doc(
        {"number": 1, "units": [{"name": "省民政厅", "role": "lead"}, {"name": "各州（市）", "role": "local"}]},
        {"number": 2, "units": [{"name": "省财政厅", "role": "responsible"}]},
    )
    got = _doc(
        {"number": 1, "units": [{"name": "省民政厅", "role": "responsible"}, {"name": "各州 (市)", "role": "local"}]},
        {"number": 2, "units": [{"name": "省财政厅", "role": "responsible"}, {"name": "有关部门", "role": "support"}]},
        {"number": 3, "units": []},
    )
    score = score_document("d", gold, got)
    assert score.units == Counts(tp=2, fp=2, fn=1)
    assert score.missing_units == [(1, "省民政厅", "lead")]
    assert sorted(score.extra_units) == [(1, "省民政厅", "responsible"), (2, "有关部门", "support")]
    assert (score.tasks_expected, score.tasks_found, score.tasks_extra) == (2, 2, 1)
    assert score.units.f1 == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))


def test_targets_are_matched_by_kind_comparator_value_unit_and_deadline() -> None:
    beds = {"kind": "quantity", "comparator": ">=", "value": 32, "unit": "张", "deadline": "2025-12-31"}
    gold = _doc({"number": 6, "targets": [beds, {"kind": "milestone", "subject": "x", "deadline": "2022-06-30"}]})
    got = _doc(
        {
            "number": 6,
            "targets": [
                {**beds, "value": 32.0, "subject": "any subject"},
                {"kind": "milestone", "subject": "y", "deadline": "2022-12-31"},
            ],
        }
    )
    score = score_document("d", gold, got)
    assert score.targets == Counts(tp=1, fp=1, fn=1)


def test_totals_add_counts_before_taking_f1() -> None:
    one = score_document("a", _doc({"number": 1, "units": [{"name": "A", "role": "lead"}]}), _doc())
    two = score_document(
        "b",
        _doc({"number": 1, "units": [{"name": "B", "role": "lead"}] * 3}),
        _doc({"number": 1, "units": [{"name": "B", "role": "lead"}] * 3}),
    )
    overall = totals([one, two])
    assert overall.units == Counts(tp=3, fp=0, fn=1)
    assert overall.units.f1 == pytest.approx(2 * 1 * 0.75 / 1.75)


def test_a_folder_without_labels_or_with_a_broken_label_is_named(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="no labelled documents"):
        find_documents(tmp_path)
    (tmp_path / "x.expected.json").write_text("{", "utf-8")
    with pytest.raises(CorpusError, match=r"x\.expected\.json.*not valid JSON"):
        find_documents(tmp_path)
    with pytest.raises(CorpusError, match="not a folder"):
        find_documents(tmp_path / "missing")


def test_a_document_the_parser_refuses_scores_as_all_missed(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("只有一句话，没有任务。", "utf-8")
    label = _doc({"number": 1, "units": [{"name": "县民政局", "role": "lead"}], "targets": []})
    (tmp_path / "empty.expected.json").write_text(json.dumps(label), "utf-8")
    [score] = score_corpus(find_documents(tmp_path))
    assert score.error and "no tasks found" in score.error
    assert score.units == Counts(tp=0, fp=0, fn=1)


def test_the_corpus_score_does_not_fall() -> None:
    overall = totals(score_corpus(find_documents(CORPUS)))
    assert overall.documents >= 91
    assert overall.tasks_found / overall.tasks_expected >= FLOOR["tasks_found"]
    assert overall.units.f1 >= FLOOR["units"]
    assert overall.targets.f1 >= FLOOR["targets"]


def test_the_score_on_the_documents_kept_aside_does_not_fall() -> None:
    if not any((CORPUS / "aside").glob("*.expected.json")):
        pytest.skip("no set is kept aside: the last one joined the development documents, the next is not in yet")
    overall = totals(score_corpus(find_documents(CORPUS / "aside")))
    assert overall.documents >= 16
    assert overall.tasks_found / overall.tasks_expected >= FLOOR_ASIDE["tasks_found"]
    assert overall.units.f1 >= FLOOR_ASIDE["units"]
    assert overall.targets.f1 >= FLOOR_ASIDE["targets"]


def test_bench_parse_corpus_prints_the_figures_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["bench", "parse", "--corpus", str(CORPUS), "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    figures = json.loads(out)
    assert len(figures["documents"]) == figures["total"]["documents"] >= 6
    assert figures["total"]["units"]["tp"] == sum(d["units"]["tp"] for d in figures["documents"])


def test_bench_parse_corpus_names_a_wrong_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["bench", "parse", "--corpus", str(tmp_path / "nope")])
    _, err = capsys.readouterr()
    assert code == 2
    assert err.startswith("error: ") and "nope" in err


def test_bench_parse_corpus_prints_a_table_and_the_mistakes(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["bench", "parse", "--corpus", str(CORPUS)])
    out, _ = capsys.readouterr()
    assert code == 0
    assert "total (micro)" in out and "dazhu_minsheng_2016" in out
    assert "units F1" in out
