"""Reading CSV and XLSX files into rows with spreadsheet line numbers (the header is line 1).

Shared by every bulk import (stock, vacancies, indicators, ...). Headers are normalised so that
`Værelser`, `vaerelser` and ` VÆRELSER ` are the same column. Writers of XLSX files pass text
cells through :func:`xlsx_text`.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

_TRANSLITERATE = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", " ": "_", "-": "_", ".": ""})


_SPACES = re.compile(r"\s+")


def normalise_header(name: Any) -> str:
    """A column's name as the imports know it: lower case, æ/ø/å as ae/oe/aa, and each run of
    spaces (a no-break space copied from a web page, two typed) one underscore."""
    text = _SPACES.sub(" ", str(name or "")).strip()
    return text.lower().translate(_TRANSLITERATE)


def xlsx_text(value: Any) -> Any:
    """A cell value an XLSX file can hold, and holds as data: text typed by users may contain
    control characters (a form accepts them), which are left out, and text that starts with
    ``=`` would be stored as a formula (openpyxl's rule), so it gets a leading apostrophe.
    Other values are returned as they are. Every workbook Anvis writes goes through here."""
    if isinstance(value, str):
        # openpyxl's own pattern of what a cell cannot hold (it refuses the whole workbook).
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        text = ILLEGAL_CHARACTERS_RE.sub("", value)
        return "'" + text if text[:1] == "=" else text
    return value


class FileFormatError(ValueError):
    """The file as a whole cannot be read (wrong type, no header, bad encoding); `line` is the
    line the message is about (the header's when the file as a whole is wrong)."""

    def __init__(self, message: str, *, line: int = 1) -> None:
        super().__init__(message)
        self.line = line


@dataclass
class Row:
    line: int
    values: dict[str, str]
    #: the cells (1-based position, value) that hold a value but have no column name in the
    #: header: beyond its last column, or under an empty one (`Columns.read` refuses them)
    stray: list[tuple[int, str]] = field(default_factory=list)
    #: the cells (column, message) whose value the file does not hold as data: a spreadsheet
    #: error, a formula without its value, merged cells (`Columns.read` refuses them)
    unreadable: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Unreadable:
    """A workbook cell whose value cannot be taken as it stands, and why (the reader yields it
    in the cell's place; the row holds it as empty, and the reason in `Row.unreadable`)."""

    message: str


_UTF8_LETTER = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}")
"""A character UTF-8 writes in two or three bytes (æ, ø, å, –, €, …). Windows-1252 text almost
never holds such a pair: its Danish letters are single bytes followed by plain letters."""


def _decode(data: bytes) -> str:
    """UTF-8 (with or without a byte order mark), UTF-16 with its byte order mark (Excel's
    "Unicode text"), else Windows-1252, as Danish spreadsheets save CSV. Text holds no NUL
    character: data with one is not text (nor UTF-16 without its mark). A file that is UTF-8
    in one place and Windows-1252 in another (lines pasted together from two sources) is
    refused with the first line that does not fit: read as Windows-1252 throughout it would
    turn every æ, ø and å of the UTF-8 lines into two characters."""
    unreadable = FileFormatError(_("The file could not be read as text (UTF-8 or Windows-1252)."))
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise unreadable from None
    if b"\x00" in data:
        raise _stray_nul(data) or unreadable
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if _UTF8_LETTER.search(data):
            raise FileFormatError(
                _(
                    "The line is in another character set than the rest of the file "
                    "(Windows-1252 among UTF-8). Save the file again as UTF-8 and import it again."
                ),
                line=data.count(b"\n", 0, error.start) + 1,
            ) from None
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise unreadable from None


def _stray_nul(data: bytes) -> FileFormatError | None:
    """A text file with NUL characters (pasted from another program) is refused at the line
    that holds the first. UTF-16 without its mark (every other byte NUL) and data that is not
    UTF-8 without its NULs are not text at all (None: the caller's message)."""
    shares = [half.count(0) / max(1, len(half)) for half in (data[:400:2], data[1:400:2])]
    if max(shares) >= 0.9 and min(shares) <= 0.1:
        return None
    try:
        data.replace(b"\x00", b"").decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    return FileFormatError(
        _(
            "The line holds a NUL character (code 0), which text does not hold. Remove it, or "
            "save the file again as CSV (UTF-8) or XLSX, and import it again."
        ),
        line=data.count(b"\n", 0, data.index(b"\x00")) + 1,
    )


def _cell(value: Any) -> str:
    if value is None or isinstance(value, Unreadable):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(data: bytes | IO[bytes], filename: str) -> tuple[list[str], list[Row]]:
    """Return the normalised headers and the non-empty data rows of a CSV or XLSX file."""
    raw = data if isinstance(data, bytes) else data.read()
    suffix = Path(filename).suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        rows_iter = _xlsx_rows(raw)
    elif suffix in {".csv", ".txt"}:
        rows_iter = _csv_rows(raw)
    else:
        raise FileFormatError(
            _("Unknown file type '%(suffix)s': use .csv or .xlsx.") % {"suffix": suffix}
        )
    try:
        return _read(rows_iter)
    except csv.Error:
        # For instance a line break inside an unquoted field: a file error, not a server error.
        raise FileFormatError(
            _("The file is not valid CSV (for example a line break in a field without quotes).")
        ) from None


def _read(rows_iter: Iterator[Any]) -> tuple[list[str], list[Row]]:
    try:
        header = next(rows_iter)
    except StopIteration:
        raise FileFormatError(_("The file is empty.")) from None
    headers = [normalise_header(h) for h in header]
    if not any(headers):
        raise FileFormatError(_("Line 1 must hold the column names."))
    rows: list[Row] = []
    for index, cells in enumerate(rows_iter, start=2):
        values = [_cell(c) for c in cells]
        unreadable = [
            (headers[n] if n < len(headers) else "", c.message)
            for n, c in enumerate(cells)
            if isinstance(c, Unreadable)
        ]
        if not any(values) and not unreadable:
            continue
        padded = values + [""] * (len(headers) - len(values))
        names = headers + [""] * (len(values) - len(headers))
        stray = [
            (position, value)
            for position, (name, value) in enumerate(zip(names, padded, strict=True), start=1)
            if value and not name
        ]
        values_of = dict(zip(headers, padded, strict=False))
        rows.append(Row(line=index, values=values_of, stray=stray, unreadable=unreadable))
    return headers, rows


_QUOTED = re.compile(r'"[^"]*"')
_QUOTE_ERROR = re.compile(r"unexpected end of data|expected after")
"""The csv module's words for a quote never closed, or text after a closing quote."""


def _delimiter(text: str) -> str:
    """The delimiter the header line uses most (semicolon, tab or comma; its quoted names left
    out). The header decides, not a guess over the first rows: a row without its last cells (a
    spreadsheet leaves them out) or with a decimal comma made that guess fail and read a file
    with semicolons by commas, so that every column was reported missing."""
    header = _QUOTED.sub("", text.partition("\n")[0])
    counts = {d: header.count(d) for d in (";", "\t", ",")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


_SEPARATOR_LINE = re.compile(r"sep=([;,\t|])[ \t]*(?:\r\n|\n|\r|$)", re.IGNORECASE)
"""Excel's first line naming the separator (``sep=;``). Excel does not show it, so the line
after it is the header, line 1, as Excel numbers the rows."""


def _csv_rows(raw: bytes) -> Iterator[list[str]]:
    """The file's records. Lines may end in CR LF, LF or CR alone (newline=""); a cell in quotes
    may hold the delimiter and line breaks. A first line ``sep=;`` names the delimiter; without
    it the header decides (`_delimiter`). Strict quoting: a quote that is never closed would
    take the rest of the file into one cell (its rows lost without a word), so it refuses the
    file naming the line the record starts on."""
    text = _decode(raw)
    hint = _SEPARATOR_LINE.match(text)
    if hint:
        delimiter, text = hint.group(1), text[hint.end() :]
    else:
        delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=delimiter, strict=True)
    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            if not _QUOTE_ERROR.search(str(error)):
                raise  # read_rows tells it as a file that is not valid CSV
            raise FileFormatError(
                _(
                    'a quote (") in the line is not closed, or text follows the closing '
                    'quote; put the whole cell in quotes and write a quote inside it as two ("")'
                ),
                line=start,
            ) from None
        yield record


def _xlsx_rows(raw: bytes) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:
        raise FileFormatError(_("The file is not a valid XLSX workbook.")) from exc
    # The sheet the spreadsheet program opens on: the first visible one (a template's first
    # sheet may be a hidden look-up list).
    sheets = workbook.worksheets
    if not sheets:  # a workbook of chart sheets only
        raise FileFormatError(_("The file is not a valid XLSX workbook."))
    sheet = next((s for s in sheets if s.sheet_state == "visible"), sheets[0])
    try:
        formulas, merged = _sheet_flaws(sheet)
        for line, row in enumerate(sheet.iter_rows(), start=1):
            yield [
                _xlsx_value(
                    cell,
                    formula_only=(line, column) in formulas,
                    merged=merged.get((line, column), ""),
                )
                for column, cell in enumerate(row, start=1)
            ]
    except Exception as exc:  # the sheet's XML is cut off, or not what a workbook holds
        raise FileFormatError(_("The file is not a valid XLSX workbook.")) from exc
    finally:
        workbook.close()


_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s/>]")
_MERGE_CELL = re.compile(rb"<(?:\w+:)?mergeCell\s[^>]*?ref=\"([A-Za-z0-9:$]+)\"")
_CHUNK = 1 << 20


def _sheet_flaws(sheet: Any) -> tuple[set[tuple[int, int]], dict[tuple[int, int], str]]:
    """The cells (line, column) of a worksheet that hold a formula without its calculated
    value, and the first cell of each range of merged cells (with the range). A spreadsheet
    program saves a formula's value beside it; a program that only writes files (a report
    generator, a script) may not, and the value reads as an empty cell. Of merged cells only
    the first holds the value; the others read as empty. openpyxl's read-only sheet knows
    neither, so the sheet's XML is read for them: scanned for merged cells and for formulas,
    and read cell by cell only when it has formulas (as slow again as openpyxl's reading)."""
    from openpyxl.utils.cell import range_boundaries

    has_formulas = False
    merged: dict[tuple[int, int], str] = {}
    tail = b""
    with sheet._get_source() as source:
        while chunk := source.read(_CHUNK):
            data, tail = tail + chunk, (tail + chunk)[-512:]  # a tag cut by the chunk's end
            has_formulas = has_formulas or _FORMULA_TAG.search(data) is not None
            for match in _MERGE_CELL.finditer(data):
                cells = match.group(1).decode().replace("$", "")
                first_column, first_line, _c, _l = range_boundaries(cells)
                merged[(first_line, first_column)] = cells
    return (_formulas_without_values(sheet) if has_formulas else set()), merged


def _formulas_without_values(sheet: Any) -> set[tuple[int, int]]:
    """The cells (line, column) with a formula and no value (a cell or row without its
    reference is the one after the last, as openpyxl reads it)."""
    from openpyxl.utils.cell import coordinate_to_tuple
    from openpyxl.xml.functions import iterparse

    found: set[tuple[int, int]] = set()
    line = column = 0
    in_row: list[int] = []  # the columns of this row's formulas without values
    with sheet._get_source() as source:
        for _event, element in iterparse(source):
            tag = element.tag.rpartition("}")[2]
            if tag == "c":
                ref = element.get("r")
                column = coordinate_to_tuple(ref)[1] if ref else column + 1
                parts = {e.tag.rpartition("}")[2]: e.text for e in element}
                if "f" in parts and not parts.get("v"):
                    in_row.append(column)
                element.clear()
            elif tag == "row":
                line = int(element.get("r") or line + 1)
                found.update((line, c) for c in in_row)
                in_row, column = [], 0
                element.clear()
    return found


def _xlsx_value(cell: Any, *, formula_only: bool = False, merged: str = "") -> Any:
    """A cell's value as the sheet shows it: a number formatted as a percentage (50 %) is
    stored as its fraction (0.5) and read as the percentage the user sees. A cell whose value
    the file does not hold as data is `Unreadable`: a spreadsheet error (#N/A, #REF!, as a
    failed formula shows), a formula without its value (`formula_only`), and the first of
    merged cells that holds a value (`merged`: the range)."""
    value = getattr(cell, "value", None)
    if getattr(cell, "data_type", "") == "e":
        return Unreadable(
            _(
                "the cell shows the spreadsheet error %(value)s (a formula that could not be "
                "calculated); correct it in the spreadsheet and import again"
            )
            % {"value": value}
        )
    if value is None and formula_only:
        return Unreadable(
            _(
                "the cell holds a formula without a calculated value; open the file in a "
                "spreadsheet program, save it and import it again"
            )
        )
    if merged and value not in (None, ""):
        return Unreadable(
            _(
                "the cell is merged with others (%(cells)s), so only the first holds the "
                "value; unmerge the cells and fill in each one"
            )
            % {"cells": merged}
        )
    if (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and "%" in (getattr(cell, "number_format", "") or "")
    ):
        percent = Decimal(str(value)) * 100
        return int(percent) if percent == percent.to_integral_value() else float(percent)
    return value
