"""Files the pages hand out."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """An Excel workbook as a download; a Chinese file name is sent the way browsers read it (RFC 6266)."""
    response = HttpResponse(content, content_type=XLSX)
    disposition = content_disposition_header(as_attachment=True, filename=filename)
    assert disposition is not None  # always a header for an attachment
    response["Content-Disposition"] = disposition
    return response
