"""Report tables as plain values, small-number suppression and cell formatting.

A table is columns (keys the interface translates) and rows of cells. Every cell knows what kind
of figure it holds and the counts it rests on (`bases`), so suppression needs no other knowledge:
a count cell rests on itself, a share on its numerator, its denominator and their difference (the
rest, which a share and its denominator give away), a median on the number of observations, a sum
of money on the number of items summed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any, Generic, TypeVar

#: Cells resting on fewer than this many people or items are suppressed.
SUPPRESSION_THRESHOLD = 5
SUPPRESSED_TEXT = "<5"


class Kind(StrEnum):
    TEXT = "text"  # shown as is (names, numeric band labels)
    CODE = "code"  # a code the interface translates ("situation.rough_sleeping")
    COUNT = "count"  # a number of people, vacancies or items
    SHARE = "share"  # a percentage (Decimal), bases (numerator, denominator, the rest)
    STAT = "stat"  # a statistic (median, percentile, balance), bases (observations,)
    MONEY = "money"  # whole kroner or Decimal, bases (items summed,)


FIGURE_KINDS = frozenset({Kind.COUNT, Kind.SHARE, Kind.STAT, Kind.MONEY})


@dataclass(frozen=True)
class Cell:
    value: int | Decimal | str | None
    kind: Kind = Kind.COUNT
    bases: tuple[int, ...] = ()
    suppressed: bool = False

    def resting_on(self) -> tuple[int, ...]:
        if self.kind is Kind.COUNT and isinstance(self.value, int):
            return (self.value, *self.bases)
        return self.bases


def text(value: str) -> Cell:
    return Cell(value, Kind.TEXT)


def code(value: str) -> Cell:
    return Cell(value, Kind.CODE)


def count(n: int) -> Cell:
    return Cell(n, Kind.COUNT)


def nested_counts(values: Sequence[int | None]) -> tuple[Cell, ...]:
    """Counts of nested windows (placements in 12, 24 and 36 months): each also rests on its
    difference to every narrower window shown beside it, since the wider less the narrower
    gives the placements in between (3 in months 25–36 from "<5 5 8" otherwise). A difference of
    0 tells of no one and is no base: "7 7 7" stays as it is."""
    return tuple(
        Cell(
            value,
            Kind.COUNT,
            tuple(
                value - narrower
                for narrower in values[:i]
                if narrower is not None and value != narrower
            )
            if value is not None
            else (),
        )
        for i, value in enumerate(values)
    )


def share(numerator: int, denominator: int) -> Cell:
    """numerator / denominator in percent with one decimal (None when the denominator is 0).

    It rests on the numerator, the denominator and their difference: a shown share and its
    denominator give away the rest (90 % of 10 tells that 1 is not in the numerator), so a
    share is suppressed whenever the count of the rest would be."""
    bases = (numerator, denominator, denominator - numerator)
    if denominator == 0:
        return Cell(None, Kind.SHARE, bases)
    value = (Decimal(100) * numerator / denominator).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return Cell(value, Kind.SHARE, bases)


def stat(value: int | Decimal | None, observations: int) -> Cell:
    return Cell(value, Kind.STAT, (observations,))


def money(value: int | Decimal, items: int) -> Cell:
    return Cell(value, Kind.MONEY, (items,))


@dataclass(frozen=True)
class Chart:
    """How the interface draws a table: `kind` bar or line; the value columns; an optional
    reference line (e.g. the 90 % Housing First benchmark)."""

    kind: str
    value_columns: tuple[int, ...]
    reference: Decimal | None = None
    horizontal: bool = False
    rows: int | None = None  # draw only the first rows (leave out "other" and total rows)


@dataclass(frozen=True)
class Table:
    key: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    chart: Chart | None = None
    note: str = ""  # a note code the interface translates (e.g. "top_rows")
    note_params: dict[str, Any] = field(default_factory=dict)
    #: the column whose count chose the rows (the units with the most placements): the
    #: suppressed edition leaves out a row whose count there is suppressed, since being listed
    #: would single the unit out as having a few
    ranked_by: int | None = None
    #: the note for the suppressed edition when the note's figures are derived from counts that
    #: edition hides (code, params; a param that is a `Cell` is suppressed by the same rule);
    #: None: the same note
    suppressed_note: tuple[str, dict[str, Any]] | None = None
    #: the count columns whose cells are the parts of a total the report shows elsewhere (the
    #: waiting list by situation, against its size): the suppressed edition never leaves one
    #: part alone suppressed in such a column, which the total less the parts shown would give
    #: away (`complement`)
    parts_of_total: tuple[int, ...] = ()

    def column(self, index: int) -> list[Cell]:
        return [row[index] for row in self.rows]


K = TypeVar("K")
Row = tuple[Cell, ...]


@dataclass(frozen=True)
class OrganisationRows(Generic[K]):
    """A table of organisations before the report chooses which it shows by name: each one's
    label and key in the report's order (`ordered`), `part` writing the row of one or more
    organisations' keys (the "other organisations" row adds several up), and the `total` row.
    The report's table and an organisation's own row (the governance dialogue's) are both made
    by `part`, so they cannot differ."""

    key: str
    columns: tuple[str, ...]
    ordered: tuple[tuple[Cell, K], ...]
    part: Callable[[Cell, Sequence[K]], Row]
    total: Row

    def row(self, key: K) -> Row | None:
        """The organisation's own row, as the report writes it when it shows the organisation
        by name; None when the report has no row for it at all (not a party, or a table that
        lists only the organisations with figures)."""
        for label, k in self.ordered:
            if k == key:
                return self.part(label, [k])
        return None

    def table(self, key: K) -> Table | None:
        """`row` as a table of one row with the report's columns."""
        own = self.row(key)
        return Table(self.key, self.columns, (own,)) if own is not None else None


def must_suppress(cell: Cell, threshold: int = SUPPRESSION_THRESHOLD) -> bool:
    """A figure cell is suppressed when any count it rests on is under the threshold (zero
    included: the rule is "under 5", with no exception for empty cells)."""
    if cell.suppressed:
        return True
    if cell.kind not in FIGURE_KINDS and not cell.bases:
        return False  # a label; a label derived from a count carries that count as its base
    return any(base < threshold for base in cell.resting_on())


def suppress_cell(cell: Cell, threshold: int = SUPPRESSION_THRESHOLD) -> Cell:
    if must_suppress(cell, threshold):
        return replace(cell, value=None, suppressed=True)
    return cell


def suppress_parts(parts: Sequence[Cell], threshold: int = SUPPRESSION_THRESHOLD) -> list[Cell]:
    """The parts of a total that is shown too (a department's stairwells, the outcomes of its
    placements): each suppressed by the rule, and when any one is, all of them, since the total
    less the parts shown would give the suppressed part away."""
    shown = [suppress_cell(c, threshold) for c in parts]
    if any(c.suppressed for c in shown):
        return [replace(c, value=None, suppressed=True) for c in shown]
    return shown


def suppress(table: Table, threshold: int = SUPPRESSION_THRESHOLD) -> Table:
    """The table as it may leave the municipality: every figure resting on a count under the
    threshold is replaced by a suppressed cell (shown as "<5"); a table ranked by a count lists
    only the rows whose count is shown, and its note is the suppressed edition's."""
    rows = tuple(tuple(suppress_cell(c, threshold) for c in row) for row in table.rows)
    for column in table.parts_of_total:
        rows = complement(rows, column)
    if table.ranked_by is not None:
        rows = tuple(row for row in rows if not row[table.ranked_by].suppressed)
    out = replace(table, rows=rows)
    if table.suppressed_note is not None:
        note, params = table.suppressed_note
        params = {
            k: suppress_cell(v, threshold) if isinstance(v, Cell) else v for k, v in params.items()
        }
        out = replace(out, note=note, note_params=params, suppressed_note=None)
    return out


def complement(rows: tuple[tuple[Cell, ...], ...], column: int) -> tuple[tuple[Cell, ...], ...]:
    """Secondary suppression of one column of parts: where exactly one part is suppressed, the
    smallest part shown (the first of equals) is suppressed too, so that the total less the parts
    shown gives only the sum of two."""
    hidden = [i for i, row in enumerate(rows) if row[column].suppressed]
    shown = [i for i, row in enumerate(rows) if not row[column].suppressed]
    if len(hidden) != 1 or not shown:
        return rows
    smallest = min(shown, key=lambda i: (rows[i][column].value or 0, i))
    row = rows[smallest]
    hide = replace(row[column], value=None, suppressed=True)
    return (*rows[:smallest], (*row[:column], hide, *row[column + 1 :]), *rows[smallest + 1 :])


def _group(digits: str) -> str:
    out: list[str] = []
    while len(digits) > 3:
        out.insert(0, digits[-3:])
        digits = digits[:-3]
    out.insert(0, digits)
    return ".".join(out)


def format_number(value: int | Decimal, decimals: int = 0) -> str:
    """Danish number format: 1.234.567 and 12,5."""
    q = Decimal(value).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    sign = "-" if q < 0 else ""
    whole, _, frac = f"{abs(q):f}".partition(".")
    return sign + _group(whole) + ("," + frac if frac else "")


def format_cell(cell: Cell) -> str:
    if cell.suppressed:
        return SUPPRESSED_TEXT
    if cell.value is None:
        return "–"
    if cell.kind in (Kind.TEXT, Kind.CODE):
        return str(cell.value)
    value = cell.value
    assert not isinstance(value, str)
    if cell.kind is Kind.SHARE:
        return format_number(value, 1) + " %"
    if cell.kind is Kind.MONEY:
        return format_number(value, 0) + " kr"
    if cell.kind is Kind.STAT:
        return format_number(value, 1 if Decimal(value) % 1 else 0)
    return format_number(value)


def numeric(cell: Cell) -> float | None:
    """The value a chart draws (None for suppressed or missing cells)."""
    if cell.suppressed or cell.value is None or cell.kind not in FIGURE_KINDS:
        return None
    assert not isinstance(cell.value, str)
    return float(cell.value)
