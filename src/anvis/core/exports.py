"""CSV (semicolon, UTF-8 with BOM, for Danish Excel) and XLSX files of the main lists."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse

from anvis.core.tabular import xlsx_text

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    return value


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_cell(value: Any) -> str:
    text = str(_value(value))
    # Never let a spreadsheet run a cell as a formula.
    if text[:1] in ("=", "+", "-", "@") and not _is_number(text):
        text = "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True


def xlsx_bytes(title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([xlsx_text(h) for h in headers])
    for row in rows:
        sheet.append([_xlsx_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(value: Any) -> Any:
    value = xlsx_text(_value(value))
    if isinstance(value, str) and value[:1] == "=":
        return "'" + value
    if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
        return value.replace(tzinfo=None)
    return value


def file_response(
    *, name: str, filetype: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    if filetype == "xlsx":
        response = HttpResponse(xlsx_bytes(name, headers, rows), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(csv_bytes(headers, rows), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="anvis-{name}.{filetype}"'
    return response
