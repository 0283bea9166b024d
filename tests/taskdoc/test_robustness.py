"""Arbitrary text and mangled tables never crash the parser: they parse, or give the clean error."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duban.taskdoc import DocumentError, TaskDocument, parse_bytes, parse_text

SEED = Path(__file__).resolve().parents[2] / "src" / "duban" / "tools" / "samples" / "hainan_yilao_yixiao_2021.txt"
SEED_LINES = SEED.read_text("utf-8").splitlines()
SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "src/duban/taskdoc/taskdoc.schema.json").read_text("utf-8"))
CHECKER = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())

# Pieces real tables are made of, so that generated text reaches deep into the parser.
PIECES = [
    "1",
    "2.",
    "（三）",
    "第四条",
    "一、",
    "序号",
    "重点任务",
    "责任单位",
    "牵头单位：",
    "完成时限：",
    "省民政厅",
    "、",
    "，",
    "；",
    "。",
    "牵头",
    "配合",
    "按职责分工负责",
    "各市县政府",
    "（含洋浦经济开发区，不含三沙市，下同）",
    "到2025年底",
    "达到",
    "不低于",
    "32张",
    "1.5万人次",
    "60%",
    "百分之",
    "一个",
    "|",
    "\t",
    "\n",
    "（",
    "）",
    "- 3 -",
    "抄送：",
    "附件",
    "3岁以下",
    "每千名",
]


def _outcome_is_clean(run: object) -> None:
    try:
        document = run()  # type: ignore[operator]
    except DocumentError as exc:
        assert str(exc).strip()
        return
    assert isinstance(document, TaskDocument)
    CHECKER.validate(document.to_dict())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_arbitrary_text(text: str) -> None:
    _outcome_is_clean(lambda: parse_text(text, "random.txt"))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=80))
def test_text_made_of_table_pieces(pieces: list[str]) -> None:
    _outcome_is_clean(lambda: parse_text("".join(pieces), "pieces.txt"))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=600), st.sampled_from(["x.txt", "x.docx", "x.xlsx", "x.pdf", "x.html", "x"]))
def test_arbitrary_bytes(data: bytes, name: str) -> None:
    _outcome_is_clean(lambda: parse_bytes(data, name))


@st.composite
def mangled_seed(draw: st.DrawFn) -> str:
    lines = list(SEED_LINES)
    for _ in range(draw(st.integers(0, 25))):
        action = draw(st.sampled_from(["drop", "duplicate", "swap", "cut", "insert"]))
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        if action == "drop":
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif action == "cut":
            k = draw(st.integers(0, len(lines[i])))
            lines[i : i + 1] = [lines[i][:k], lines[i][k:]]
        else:
            lines.insert(i, draw(st.sampled_from(PIECES)))
    return "\n".join(lines)


@settings(max_examples=150, deadline=None)
@given(mangled_seed())
def test_mangled_seed_table(text: str) -> None:
    _outcome_is_clean(lambda: parse_text(text, "mangled.txt"))
