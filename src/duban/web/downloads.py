"""Files the pages hand out: workbooks of what a page shows, sent as downloads."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from duban.core.excel import Column, Sheet, workbook_bytes
from duban.web.selectors import IndicatorPage

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RANKING_COLUMNS = (
    Column("排名", 6),
    Column("代码", 12),
    Column("市县", 20),
    Column("数值", 12),
    Column("分子", 12),
    Column("分母", 12),
    Column("状态", 12),
    Column("说明", 60),
)


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """An Excel workbook as a download; a Chinese file name is sent the way browsers read it (RFC 6266)."""
    response = HttpResponse(content, content_type=XLSX)
    disposition = content_disposition_header(as_attachment=True, filename=filename)
    assert disposition is not None  # always a header for an attachment
    response["Content-Disposition"] = disposition
    return response


def ranking_xlsx_response(page: IndicatorPage) -> HttpResponse:
    """An indicator page's ranking table as a workbook."""
    sheet = Sheet(
        name="排名",
        title=f"{page.indicator.name}（{page.indicator.unit}）· {page.period or ''}",
        columns=RANKING_COLUMNS,
        rows=[
            (
                row.rank,
                row.unit.code,
                row.unit.name,
                row.value,
                row.numerator,
                row.denominator,
                row.status,
                row.reason_zh,
            )
            for row in page.ranking
        ],
    )
    return xlsx_response(workbook_bytes(sheet), f"{page.indicator.code}.xlsx")
