"""CSV (semicolon, UTF-8 with BOM, decimal comma, for Danish Excel) and XLSX files of the main
lists. Exact figures (fractions) go in as two-decimal `Decimal`s (`two_decimals`): numbers in the
XLSX file, `1,25` in the CSV file."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.http import HttpResponse

from anvis.core.tabular import xlsx_text

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def two_decimals(value: Fraction | int) -> Decimal:
    """An exact figure rounded to two decimals, for files and API answers."""
    value = Fraction(value)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"))


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
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")
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
