"""The one small framework every bulk import shares: parse → validate → write, all or nothing.

1. `Columns.read` reads a CSV/XLSX file (or takes rows already in hand, as the API's), folds the
   column aliases and refuses a file with a missing or unknown column or no data rows.
2. Each row is parsed by the importer with a `Cells` reader, which records a Danish error naming
   the line and the column for every bad cell (`RowError`); cross-row checks add theirs, and a
   key (a dwelling, a department and year) that must be on one row only is checked by
   `FirstSeen`.
3. Only when no row has an error does the importer write, in one transaction; writes through a
   service per row go through `each_row`, which turns a service's refusal into the row's errors
   and rolls the whole file back.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Generic, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .tabular import FileFormatError, Row, read_rows

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)

TRUE_WORDS = {"ja", "j", "1", "x", "sand", "true", "yes", "y"}
FALSE_WORDS = {"nej", "n", "0", "", "falsk", "false", "no"}
DATE_FORMATS = ("%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y", "%Y-%m-%d")
_NUMBER = re.compile(r"^-?\d+$")


@dataclass
class RowError:
    """One error of an import, on a spreadsheet line (the header is line 1) and column."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.column:
            return _("Line %(line)d, column '%(column)s': %(message)s") % {
                "line": self.line,
                "column": self.column,
                "message": self.message,
            }
        return _("Line %(line)d: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class ImportOutcome:
    """What every import answers, and the file-import page reads: ``ok`` when the file was
    written, the line errors of a refused one, and how many rows it had. An app's import adds
    what it wrote (its own result extends this one)."""

    ok: bool
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0


class Refused(Exception):
    """The file as a whole is refused (unreadable, wrong columns, no rows); nothing is written."""

    def __init__(self, errors: list[RowError]):
        super().__init__(errors)
        self.errors = errors


def sorted_errors(errors: Iterable[RowError]) -> list[RowError]:
    return sorted(errors, key=lambda e: (e.line, e.column))


def file_line(line: int) -> str:
    """How a message refers to another row of a file."""
    return _("line %(n)d") % {"n": line}


class FirstSeen(Generic[K]):
    """The line each key (a dwelling, a department and year, ...) is first on: the one home of
    the rule that a file has one row per key, and of how a repeat is told. `message` names the
    earlier row as ``%(other)s``, written by `where` (a file's line, or the API's item)."""

    def __init__(
        self, message: str, *, column: str = "", where: Callable[[int], str] = file_line
    ) -> None:
        self.message = message
        self.column = column
        self.where = where
        self.lines: dict[K, int] = {}

    def repeated(self, key: K, line: int, errors: list[RowError]) -> bool:
        """False on the key's first row (its line is kept); on a later row, the error naming
        the first row is added to `errors` and True is returned."""
        first = self.lines.setdefault(key, line)
        if first == line:
            return False
        errors.append(RowError(line, self.column, self.message % {"other": self.where(first)}))
        return True


_THOUSANDS = re.compile(r"-?[1-9]\d{0,2}(\.\d{3})+")
"""Thousands separated by points (3.450, 1.234.567); a first group of 0 is a decimal (0.500)."""


def parse_whole_number(text: str) -> int:
    """Whole kroner or counts as Danes write them: 3450, 3.450, 3 450, 3450,00. A point is a
    thousands separator only between groups of three digits (3.450, 1.234.567); otherwise it
    is a decimal point, as in a spreadsheet's number cell (4450.5 or 61.50), and a fraction is
    refused rather than read as 44505 or 6150."""
    cleaned = text.replace(" ", "").replace("\u00a0", "").replace("kr", "")
    if "," in cleaned:
        whole, _sep, frac = cleaned.partition(",")
        if frac.strip("0"):
            raise ValueError("fraction")
        cleaned = whole
    if _THOUSANDS.fullmatch(cleaned):
        cleaned = cleaned.replace(".", "")
    elif "." in cleaned:
        whole, _sep, frac = cleaned.partition(".")
        if frac.strip("0") or not frac.isdigit():
            raise ValueError("fraction")
        cleaned = whole
    if not _NUMBER.match(cleaned):
        raise ValueError("not a number")
    return int(cleaned)


def parse_number(text: str) -> Decimal:
    """A number as Danes type it in a form: 27,5 and 1.234,50 (comma decimal, point thousands),
    5.000 (a point before groups of three digits separates thousands, as in
    :func:`parse_whole_number`), and 27.5 (a point otherwise is a decimal point)."""
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "").replace("kr", "").rstrip(".")
    if "," in cleaned:
        whole, _sep, frac = cleaned.partition(",")
        if not _THOUSANDS.fullmatch(whole) and "." in whole:
            raise ValueError(text)
        cleaned = f"{whole.replace('.', '')}.{frac}"
    elif _THOUSANDS.fullmatch(cleaned):
        cleaned = cleaned.replace(".", "")
    if not re.fullmatch(r"-?\d+(\.\d+)?", cleaned):
        raise ValueError(text)
    return Decimal(cleaned)


def parse_decimal(text: str) -> Decimal:
    """'40,1', '40.1', '40,1 %' → Decimal('40.1')."""
    cleaned = text.replace("%", "").replace(" ", "").replace("\u00a0", "").replace(",", ".")
    if not re.fullmatch(r"-?\d+(\.\d+)?", cleaned):
        raise ValueError(text)
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None


def parse_date(text: str) -> dt.date:
    """A date as Danes write it (4-3-2026, 04.03.2026, 4/3/2026) or ISO (2026-03-04, also with
    a time, as spreadsheets store dates)."""
    value = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T]00:00(:00)?", value):
        value = value[:10]
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


@dataclass(frozen=True)
class Columns:
    """An import's columns: required, optional and the other spellings folded into them."""

    required: Sequence[str]
    optional: Sequence[str] = ()
    aliases: dict[str, str] = field(default_factory=dict)
    #: a further rule on the headers (for instance "this column or those"), its errors listed
    #: after the missing columns
    rule: Callable[[Sequence[str]], list[RowError]] | None = None

    def read(self, data: bytes | IO[bytes], filename: str) -> list[Row]:
        """The file's data rows, with the aliases folded; `Refused` when the file is unusable."""
        try:
            headers, rows = read_rows(data, filename)
        except FileFormatError as exc:
            raise Refused([RowError(exc.line, "", str(exc))]) from None
        return self.check([self.aliases.get(h, h) for h in headers], self.fold(rows))

    def fold(self, rows: Iterable[Row]) -> list[Row]:
        return [
            Row(
                r.line,
                {self.aliases.get(k, k): v for k, v in r.values.items()},
                r.stray,
                [(self.aliases.get(c, c), message) for c, message in r.unreadable],
            )
            for r in rows
        ]

    def check(self, headers: Sequence[str], rows: list[Row]) -> list[Row]:
        known = [*self.required, *self.optional]
        errors = [
            RowError(1, c, _("required column is missing"))
            for c in self.required
            if c not in headers
        ]
        errors += self.rule(headers) if self.rule else []
        errors += [RowError(1, h, _("unknown column")) for h in headers if h and h not in known]
        named = [h for h in headers if h]
        errors += [
            RowError(1, h, _("the column appears more than once"))
            for h in dict.fromkeys(named)
            if named.count(h) > 1
        ]
        if errors:
            raise Refused(errors)
        errors = [
            RowError(
                r.line,
                "",
                _(
                    "cell %(n)d ('%(value)s') has no column name in line 1 (is a number with a "
                    "decimal comma split into two cells? Put it in quotes, or use semicolons "
                    "between the columns)"
                )
                % {"n": n, "value": value},
            )
            for r in rows
            for n, value in r.stray
        ]
        errors += [RowError(r.line, c, message) for r in rows for c, message in r.unreadable]
        if errors:
            raise Refused(sorted_errors(errors))
        if not rows:
            raise Refused([RowError(2, "", _("the file has no data rows"))])
        return rows


def absent_fields(row: Row, field_of_column: Mapping[str, str]) -> frozenset[str]:
    """The fields of `field_of_column` (column → model field) whose column the file does not
    have. An update leaves those fields as stored (a new row gets the defaults); a column the
    file has is taken as it stands, so an empty cell there clears the value. `Row.values` holds
    the file's own columns only (aliases folded), so a missing key is a missing column."""
    return frozenset(f for c, f in field_of_column.items() if c not in row.values)


_SPACES = re.compile(r"[^\S\r\n]+")


class Cells:
    """Reads one row's cells, recording a Danish error for each bad one in `errors`."""

    def __init__(self, row: Row, errors: list[RowError]):
        self.row = row
        self.errors = errors

    def err(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.row.line, column, message))

    def raw(self, column: str) -> str:
        """The cell's text, trimmed, each run of spaces, tabs or no-break spaces inside it one
        space (line breaks kept): "Fjordparken  4" is the address "Fjordparken 4"."""
        return _SPACES.sub(" ", self.row.values.get(column, "").strip())

    def text(self, column: str, required: bool = False, max_length: int = 200) -> str:
        value = self.raw(column)
        if required and not value:
            self.err(column, _("is required"))
        elif len(value) > max_length:
            self.err(column, _("may be at most %(n)d characters") % {"n": max_length})
        return value

    def choice(self, column: str, words: Mapping[str, T], *, required: bool = True) -> T | None:
        """One of the file's `words` (any case) for a value; the error lists the words in their
        ASCII spellings. None when the cell is bad, or empty and not `required`."""
        raw = self.raw(column).lower()
        if not raw and not required:
            return None
        value = words.get(raw)
        if value is None:
            listed = ", ".join(sorted(w for w in words if w.isascii()))
            self.err(
                column,
                _("must be one of %(choices)s (got '%(value)s')")
                % {"choices": listed, "value": raw},
            )
        return value

    def _whole(self, column: str, raw: str) -> int | None:
        try:
            return parse_whole_number(raw)
        except ValueError:
            self.err(column, _("must be a whole number (got '%(value)s')") % {"value": raw})
            return None

    def _within(
        self,
        column: str,
        value: int | Decimal,
        minimum: int | Decimal | None,
        maximum: int | Decimal | None,
        shown: object,
    ) -> bool:
        """Whether `value` is within the bounds; if not, the error shows the value as `shown`."""
        if minimum is not None and value < minimum:
            self.err(
                column,
                _("must be at least %(min)s (got %(value)s)") % {"min": minimum, "value": shown},
            )
            return False
        if maximum is not None and value > maximum:
            self.err(
                column,
                _("must be at most %(max)s (got %(value)s)") % {"max": maximum, "value": shown},
            )
            return False
        return True

    def integer(
        self,
        column: str,
        *,
        required: bool,
        minimum: int | None = None,
        maximum: int | None = None,
        default: int = 0,
    ) -> int:
        """A whole number; `default` when the cell is empty or bad, and a value outside the
        bounds as it is (its error recorded)."""
        value = self.number(column, required=required)
        if value is None:
            return default
        self._within(column, value, minimum, maximum, shown=value)
        return value

    def number(
        self,
        column: str,
        *,
        required: bool = False,
        minimum: int | None = None,
        maximum: int | None = None,
    ) -> int | None:
        """A whole number; None when the cell is empty (an error when `required`), bad or
        outside the bounds."""
        raw = self.raw(column)
        if not raw:
            if required:
                self.err(column, _("is required"))
            return None
        value = self._whole(column, raw)
        if value is None or not self._within(column, value, minimum, maximum, shown=value):
            return None
        return value

    def decimal(
        self, column: str, *, minimum: Decimal, maximum: Decimal, places: int
    ) -> Decimal | None:
        """A number such as 40,1 (a decimal comma or point, an optional %) with at most
        `places` decimals other than zero (45,00 is 45,0), given with `places` decimals; None
        when the cell is empty, bad or outside the bounds."""
        raw = self.raw(column)
        if not raw:
            return None
        try:
            value = parse_decimal(raw)
        except ValueError:
            self.err(column, _("must be a number such as 40,1 (got '%(value)s')") % {"value": raw})
            return None
        if not self._within(column, value, minimum, maximum, shown=raw):
            return None
        step = Decimal(1).scaleb(-places)
        if value != value.quantize(step):  # zeros beyond the places (45,00) are no decimal
            self.err(
                column,
                ngettext(
                    "may have at most %(n)d decimal (got '%(value)s')",
                    "may have at most %(n)d decimals (got '%(value)s')",
                    places,
                )
                % {"n": places, "value": raw},
            )
            return None
        return value.quantize(step)

    def boolean(self, column: str) -> bool:
        raw = self.raw(column).lower()
        if raw in TRUE_WORDS:
            return True
        if raw in FALSE_WORDS:
            return False
        self.err(column, _("must be 'ja' or 'nej' (got '%(value)s')") % {"value": raw})
        return False

    def uuid(self, column: str) -> uuid.UUID | None:
        raw = self.raw(column)
        if not raw:
            return None
        try:
            return uuid.UUID(raw)
        except ValueError:
            self.err(column, _("must be a DAR id (UUID) (got '%(value)s')") % {"value": raw})
            return None

    def date(self, column: str, required: bool = True) -> dt.date | None:
        raw = self.raw(column)
        if not raw:
            if required:
                self.err(column, _("is required"))
            return None
        try:
            return parse_date(raw)
        except ValueError:
            self.err(column, _("must be a date like 04-03-2026 (got '%(value)s')") % {"value": raw})
            return None


def service_errors(line: int, error: ValidationError, columns: dict[str, str]) -> list[RowError]:
    """A service's refusal as the row's errors, its fields named by the file's columns."""
    if hasattr(error, "error_dict"):
        pairs = [
            ("" if name == "__all__" else name, message)
            for name, errs in error.message_dict.items()
            for message in errs
        ]
    else:
        pairs = [("", message) for message in error.messages]
    return [RowError(line, columns.get(name, ""), message) for name, message in pairs]


def each_row(
    rows: Iterable[tuple[int, Callable[[], T]]],
    columns: dict[str, str],
    *,
    forbidden: tuple[str, str] | None = None,
) -> tuple[list[T], list[RowError]]:
    """Call each row's service in one transaction (a savepoint a row); when any row is refused,
    every row's write is rolled back and the errors are returned. `forbidden`: the column and
    message for a row the actor may not write (PermissionDenied); without it, it propagates."""
    done: list[T] = []
    errors: list[RowError] = []
    with transaction.atomic():
        for line, call in rows:
            try:
                with transaction.atomic():
                    done.append(call())
            except PermissionDenied:
                if forbidden is None:
                    raise
                errors.append(RowError(line, *forbidden))
            except ValidationError as exc:
                errors += service_errors(line, exc, columns)
        if errors:
            transaction.set_rollback(True)
    return ([] if errors else done), errors
