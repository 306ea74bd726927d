"""The one file writer: CSV (semicolon, UTF-8 with BOM, decimal comma, dates as dd.mm.yyyy, for
Danish Excel) and XLSX files of every list. Exact figures (fractions) go in as two-decimal
`Decimal`s (`two_decimals`): numbers in the XLSX file, `1,25` in the CSV file. No cell is ever
run as a formula by a spreadsheet.

A list's columns are written once, as a column spec (`Column`, in `<app>/tables.py`): the Danish
header and how to read each value from a row. The page's download, the API's export and the
tests read the same spec, so one header never has two meanings."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.http import HttpResponse
from django.utils.formats import date_format

from anvis.common.tabular import xlsx_text

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    """One column of a list: its Danish header (lazy) and how to read the value from a row."""

    header: Any
    value: Callable[[Any], Any]


def table(columns: Sequence[Column], items: Iterable[Any]) -> tuple[list[str], Iterable[list[Any]]]:
    """Headers and rows (lazily, for long lists) of `items` by a column spec."""
    headers = [str(c.header) for c in columns]
    return headers, ([c.value(item) for c in columns] for item in items)


def two_decimals(value: Fraction | int) -> Decimal:
    """An exact figure rounded to two decimals, for files and API answers: half up, as the
    pages and the report round (`anvis.common.formats.number`), so 0.125 is 0.13 everywhere."""
    value = Fraction(value)
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal("0.01"), ROUND_HALF_UP)


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
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return date_format(value, "d.m.Y")
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
    value = xlsx_text(_value(value))  # control characters out, formulas kept as text
    if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
        return value.replace(tzinfo=None)
    return value


def file_response(
    *,
    name: str,
    filetype: str,
    headers: Sequence[str] = (),
    rows: Iterable[Sequence[Any]] = (),
    columns: Sequence[Column] | None = None,
    items: Iterable[Any] = (),
) -> HttpResponse:
    """A CSV or XLSX download of `headers` and `rows`, or of `items` by a column spec."""
    if columns is not None:
        headers, rows = table(columns, items)
    if filetype == "xlsx":
        response = HttpResponse(xlsx_bytes(name, headers, rows), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(csv_bytes(headers, rows), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="anvis-{name}.{filetype}"'
    return response
