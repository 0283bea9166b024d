"""The shared Excel table: what a person sees when the file opens."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from duban.core.excel import Column, Sheet, workbook_bytes


def test_two_sheets_with_and_without_a_title() -> None:
    data = workbook_bytes(
        Sheet("按单位", [Column("单位", 30), Column("完成率（%）", 12)], [["海口市", 87.5]], title="2026年第3季度"),
        Sheet("逾期未报", [Column("单位", 20)], [["三亚市"], ["儋州市"]]),
    )
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["按单位", "逾期未报"]
    first, second = book["按单位"], book["逾期未报"]
    assert [[c.value for c in row] for row in first.iter_rows()] == [
        ["2026年第3季度", None],
        ["单位", "完成率（%）"],
        ["海口市", 87.5],
    ]
    assert first["A1"].font.bold and first["A2"].font.bold and not first["A3"].font.bold
    assert first.freeze_panes == "A3" and first.column_dimensions["A"].width == 30
    assert [c.value for c in second[1]] == ["单位"] and second.freeze_panes == "A2"
    assert second.max_row == 3
