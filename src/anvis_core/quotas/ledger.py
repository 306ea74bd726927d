"""The fair-share ledger: what each organisation (and department) owed the municipality under the
agreement, what it delivered, and the balance carried from quarter to quarter.

Counting rules (also in docs/agreement.md):

- Only eligible vacancies count (dwelling type covered, rent within the ceiling). A vacancy is
  counted in the quarter of its report date.
- expected = the sum of the shares in force for each eligible vacancy (its department step's
  share on the report date), kept as an exact fraction.
- delivered = eligible vacancies put at the municipality's disposal whose outcome is settled:
  accepted, declined by the municipality, or expired (the municipality did not answer in time).
  A declined or expired vacancy counts as delivered: the organisation kept its side.
- pending = municipal turns awaiting the municipality's answer. They count in the balance
  (the organisation has reported them) but not yet in delivered.
- withdrawn = municipal turns the organisation let through its own waiting list instead
  (outcome set back to ordinary): not delivered, so the organisation falls behind its share.
- handed back = dwellings the municipality accepted and then handed back, where the agreement
  does not count a hand-back as delivered (outcome set back to ordinary, the record marked
  handed back): not delivered, counted like a municipal turn let by the organisation in the
  balance, but shown on their own, because the organisation did not let them of its own accord.
- ordinary = eligible vacancies that were not the municipality's turn; they count in eligible
  and expected, never in delivered. If an organisation puts an ordinary-turn vacancy at the
  municipality's disposal anyway and it is accepted (for example for a håndholdt request), it
  becomes accepted and counts as delivered (an extra allocation, shown as such).
- blocked = vacancies the municipality could not use on the report day because the dwelling's
  department was closed by composition monitoring or its stairwell or department cap was
  reached ("lukket/loft nået"): not a municipal turn, counted on their own, neither as
  eligible and expected (owed) nor as delivered.
- balance = delivered + pending − expected: positive means ahead of the share, negative behind.
  The balance is cumulative since the agreement started: the opening balance of a quarter is the
  closing balance of the quarter before, and closing = opening + the quarter's own balance.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from typing import Generic, TypeVar


class Outcome(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined_by_municipality"
    EXPIRED = "expired"
    ORDINARY = "ordinary"
    BLOCKED = "blocked"
    """Not usable by the municipality on the report day (department closed, cap reached)."""


DELIVERED_OUTCOMES: frozenset[Outcome] = frozenset(
    {Outcome.ACCEPTED, Outcome.DECLINED, Outcome.EXPIRED}
)

_TRANSITIONS: dict[Outcome, frozenset[Outcome]] = {
    Outcome.PENDING: DELIVERED_OUTCOMES | {Outcome.ORDINARY},
    Outcome.ORDINARY: frozenset({Outcome.ACCEPTED}),
    Outcome.ACCEPTED: frozenset({Outcome.ORDINARY}),
}


def can_set_outcome(current: Outcome, new: Outcome) -> bool:
    """A municipal turn is settled once: accepted, declined, expired, or withdrawn by the
    organisation (ordinary). An ordinary turn may only become accepted (an extra vacancy the
    municipality took). An accepted dwelling the municipality hands back may become ordinary
    letting, when the agreement does not count a hand-back as delivered. Other settled outcomes
    are final."""
    return new in _TRANSITIONS.get(current, frozenset())


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    def __post_init__(self) -> None:
        if not 1 <= self.number <= 4:
            raise ValueError(f"a quarter is 1-4, got {self.number}")

    @classmethod
    def of(cls, day: dt.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """'2025-Q2' → Quarter(2025, 2)."""
        year, _, number = text.upper().partition("-Q")
        return cls(int(year), int(number))

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> dt.date:
        return self.next().start - dt.timedelta(days=1)

    def next(self) -> Quarter:
        return (
            Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        )

    def previous(self) -> Quarter:
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )

    def __str__(self) -> str:
        return f"{self.year}-Q{self.number}"


def quarters_between(first: Quarter, last: Quarter) -> list[Quarter]:
    out = []
    q = first
    while q <= last:
        out.append(q)
        q = q.next()
    return out


@dataclass(frozen=True)
class LedgerRecord:
    """One reported vacancy as the ledger sees it (the agreements app writes these), or `count`
    identical ones: same organisation, department, eligibility, turn, share and outcome, all on
    the same side of the quarter's start (readers may group records in the database)."""

    organisation_id: int
    department_id: int
    report_date: dt.date
    eligible: bool
    municipal: bool
    share: Fraction
    outcome: Outcome
    count: int = 1
    handed_back: bool = False


@dataclass(frozen=True)
class LedgerFigures:
    eligible: int = 0
    expected: Fraction = Fraction(0)
    accepted: int = 0
    declined: int = 0
    expired: int = 0
    pending: int = 0
    ordinary: int = 0
    withdrawn: int = 0
    extra: int = 0
    shares: frozenset[Fraction] = field(default_factory=frozenset)
    blocked: int = 0
    handed_back: int = 0

    @property
    def delivered(self) -> int:
        return self.accepted + self.declined + self.expired

    @property
    def offered(self) -> int:
        return self.delivered + self.pending

    @property
    def balance(self) -> Fraction:
        return self.offered - self.expected

    @property
    def tolerance(self) -> int:
        """How far behind the engine itself may leave this row: less than one vacancy per share
        bucket (organisation × step share) that had eligible vacancies with a positive share."""
        return max(1, sum(1 for s in self.shares if s > 0))

    def __add__(self, other: LedgerFigures) -> LedgerFigures:
        return LedgerFigures(
            eligible=self.eligible + other.eligible,
            expected=self.expected + other.expected,
            accepted=self.accepted + other.accepted,
            declined=self.declined + other.declined,
            expired=self.expired + other.expired,
            pending=self.pending + other.pending,
            ordinary=self.ordinary + other.ordinary,
            withdrawn=self.withdrawn + other.withdrawn,
            extra=self.extra + other.extra,
            shares=self.shares | other.shares,
            blocked=self.blocked + other.blocked,
            handed_back=self.handed_back + other.handed_back,
        )

    @classmethod
    def of(cls, record: LedgerRecord) -> LedgerFigures:
        acc = _Accumulator()
        acc.add(record)
        return acc.figures()


# Positions of the counters in `_Accumulator.counts`.
(
    _ELIGIBLE,
    _ACCEPTED,
    _DECLINED,
    _EXPIRED,
    _PENDING,
    _ORDINARY,
    _WITHDRAWN,
    _EXTRA,
    _BLOCKED,
    _HANDED_BACK,
) = range(10)


class _Accumulator:
    """Mutable running totals for one ledger line: integer counters and the number of eligible
    vacancies per share, so the exact expected value is one sum of fractions at the end instead
    of one fraction addition per vacancy."""

    __slots__ = ("counts", "per_share")

    def __init__(self) -> None:
        self.counts = [0] * 10
        self.per_share: dict[Fraction, int] = {}

    def add(self, record: LedgerRecord) -> None:
        if not record.eligible:
            return
        n = record.count
        counts = self.counts
        if record.outcome == Outcome.BLOCKED:
            counts[_BLOCKED] += n
            return
        counts[_ELIGIBLE] += n
        self.per_share[record.share] = self.per_share.get(record.share, 0) + n
        outcome = record.outcome
        if outcome == Outcome.ACCEPTED:
            counts[_ACCEPTED] += n
            if not record.municipal:
                counts[_EXTRA] += n
        elif outcome == Outcome.DECLINED:
            counts[_DECLINED] += n
        elif outcome == Outcome.EXPIRED:
            counts[_EXPIRED] += n
        elif outcome == Outcome.PENDING:
            counts[_PENDING] += n
        elif outcome == Outcome.ORDINARY:
            if record.handed_back:
                counts[_HANDED_BACK] += n
            else:
                counts[_WITHDRAWN if record.municipal else _ORDINARY] += n

    def figures(self) -> LedgerFigures:
        c = self.counts
        return LedgerFigures(
            eligible=c[_ELIGIBLE],
            expected=sum((share * n for share, n in self.per_share.items()), Fraction(0)),
            accepted=c[_ACCEPTED],
            declined=c[_DECLINED],
            expired=c[_EXPIRED],
            pending=c[_PENDING],
            ordinary=c[_ORDINARY],
            withdrawn=c[_WITHDRAWN],
            extra=c[_EXTRA],
            shares=frozenset(self.per_share),
            blocked=c[_BLOCKED],
            handed_back=c[_HANDED_BACK],
        )


class LedgerStatus(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    GREY = "grey"


def far_behind_margin(figures: LedgerFigures) -> Fraction:
    """Beyond the tolerance, a deficit of more than max(2 vacancies, 10 % of expected) is red."""
    return max(Fraction(2), figures.expected / 10)


def ledger_status(figures: LedgerFigures) -> LedgerStatus:
    """grey: nothing expected yet; green: balance >= -tolerance (on share or ahead);
    red: balance < -(tolerance + max(2, expected / 10)); yellow: behind, in between."""
    if figures.expected == 0:
        return LedgerStatus.GREY
    if figures.balance >= -figures.tolerance:
        return LedgerStatus.GREEN
    if figures.balance < -(figures.tolerance + far_behind_margin(figures)):
        return LedgerStatus.RED
    return LedgerStatus.YELLOW


K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class LedgerLine(Generic[K]):
    key: K
    quarter: LedgerFigures
    cumulative: LedgerFigures

    @property
    def opening(self) -> Fraction:
        """The balance carried over from the quarters before."""
        return self.cumulative.balance - self.quarter.balance

    @property
    def closing(self) -> Fraction:
        return self.cumulative.balance

    @property
    def status(self) -> LedgerStatus:
        return ledger_status(self.cumulative)


def compute_ledger(
    records: Iterable[LedgerRecord], *, key: Callable[[LedgerRecord], K], quarter: Quarter
) -> dict[K, LedgerLine[K]]:
    """Figures per key (organisation, department, ...) for one quarter and cumulative up to the
    end of that quarter. Records after the quarter are ignored; every key with a record up to the
    quarter's end gets a line."""
    in_quarter: dict[K, _Accumulator] = {}
    cumulative: dict[K, _Accumulator] = {}
    start, end = quarter.start, quarter.end
    for record in records:
        if record.report_date > end:
            continue
        k = key(record)
        total = cumulative.get(k)
        if total is None:
            total = cumulative[k] = _Accumulator()
        total.add(record)
        if record.report_date >= start:
            own = in_quarter.get(k)
            if own is None:
                own = in_quarter[k] = _Accumulator()
            own.add(record)
    empty = LedgerFigures()
    return {
        k: LedgerLine(
            key=k,
            quarter=in_quarter[k].figures() if k in in_quarter else empty,
            cumulative=total.figures(),
        )
        for k, total in cumulative.items()
    }


def ledger_total(lines: Iterable[LedgerLine[K]]) -> tuple[LedgerFigures, LedgerFigures]:
    """(quarter, cumulative) summed over lines."""
    q, c = LedgerFigures(), LedgerFigures()
    for line in lines:
        q = q + line.quarter
        c = c + line.cumulative
    return q, c
