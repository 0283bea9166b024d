"""Figures as people write them: 万 and 亿, separators, full-width digits and the element's measure."""

from __future__ import annotations

import math

import pytest

from duban.metrics.figures import figure_parse


@pytest.mark.parametrize(
    ("text", "measure", "value"),
    [
        ("250000", "", 250_000),
        ("250,000", "", 250_000),
        ("12万", "人", 120_000),
        ("12 万", "人", 120_000),
        ("1.2亿", "", 120_000_000),
        ("3.078万人", "人", 30_780),
        ("１２万", "", 120_000),
        ("1.5万人次", "人次", 15_000),
        ("-3", "", -3),
        ("0.5", "", 0.5),
    ],
)
def test_figures_people_write(text: str, measure: str, value: float) -> None:
    assert figure_parse(text, measure=measure) == pytest.approx(value)


@pytest.mark.parametrize("text", ["十二万", "12万张", "abc", "万", "12..5"])
def test_what_is_no_figure(text: str) -> None:
    with pytest.raises(ValueError):
        figure_parse(text, measure="人")


def test_infinity_stays_infinite_for_the_caller_to_refuse() -> None:
    assert math.isinf(figure_parse("1e999"))
