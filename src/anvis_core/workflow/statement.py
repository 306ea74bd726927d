"""The monthly statement (månedsopgørelse) of one housing organisation: what the municipality
owes for one calendar month under the agreement.

Per vacancy with void rent in the month: the days of the month in the void-rent run and their
amount (under the vacancy's convention, `void_rent.compute_void_rent`, so a whole month under
``month30`` is one monthly rent), and the a conto (heating, water) for the same days when the
agreement covers it (the same convention on the monthly a conto). Plus the guarantee payments
decided in the month. Only days up to and including `as_of` are owed: a statement of the current
month is provisional until the month has ended, its last day included (claims decided and
hand-backs made that day still change it).

The frozen form is a plain dict (`as_record`) whose SHA-256 over canonical JSON (`content_hash`)
identifies the approved statement; corrections are new lines, never edits.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .void_rent import VoidRentConvention, compute_void_rent

ZERO = Decimal("0.00")


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    """(first day, first day of the next month) of the month containing `month`."""
    first = month.replace(day=1)
    nxt = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return first, nxt


@dataclass(frozen=True)
class VacancyMoney:
    """What the statement needs to know of one vacancy."""

    ref: int
    label: str
    monthly_rent: int
    monthly_aconto: int  # 0 when the agreement does not cover a conto during the vacancy
    start: dt.date | None
    end: dt.date | None  # lease start or hand-back day, exclusive
    convention: str = VoidRentConvention.DAILY


@dataclass(frozen=True)
class GuaranteePayment:
    ref: int
    label: str
    kind: str
    decided_on: dt.date
    amount: int


@dataclass(frozen=True)
class StatementLine:
    ref: int
    label: str
    start: dt.date
    end: dt.date  # exclusive, within the month
    days: int
    whole_month: bool
    void_rent: Decimal
    aconto: Decimal

    @property
    def total(self) -> Decimal:
        return self.void_rent + self.aconto


@dataclass(frozen=True)
class MonthStatement:
    month: dt.date
    as_of: dt.date
    complete: bool
    """The month has ended on `as_of` (it is a later month): not on its last day, when a claim
    can still be decided or the dwelling handed back, each changing what the month owes."""
    lines: tuple[StatementLine, ...]
    guarantees: tuple[GuaranteePayment, ...]

    @property
    def void_rent_days(self) -> int:
        return sum(line.days for line in self.lines)

    @property
    def void_rent_total(self) -> Decimal:
        return sum((line.void_rent for line in self.lines), ZERO)

    @property
    def aconto_total(self) -> Decimal:
        return sum((line.aconto for line in self.lines), ZERO)

    @property
    def guarantee_total(self) -> Decimal:
        return Decimal(sum(g.amount for g in self.guarantees)).quantize(ZERO)

    @property
    def total(self) -> Decimal:
        return self.void_rent_total + self.aconto_total + self.guarantee_total


def _part(money: VacancyMoney, monthly: int, first: dt.date, stop: dt.date) -> Any:
    assert money.start is not None
    run = compute_void_rent(
        monthly_rent=monthly, start=money.start, lease_start=stop, convention=money.convention
    )
    for part in run.months:
        if part.month == first:
            return part
    return None


def month_statement(
    *,
    month: dt.date,
    as_of: dt.date,
    vacancies: Iterable[VacancyMoney],
    guarantees: Iterable[GuaranteePayment] = (),
) -> MonthStatement:
    """The statement of the month containing `month`, as it stands on `as_of`."""
    first, nxt = month_bounds(month)
    owed_until = min(nxt, as_of + dt.timedelta(days=1))
    lines = []
    for money in vacancies:
        if money.start is None:
            continue
        stop = owed_until if money.end is None else min(money.end, owed_until)
        if stop <= max(first, money.start):
            continue
        rent = _part(money, money.monthly_rent, first, stop)
        if rent is None or rent.days == 0:
            continue
        aconto = _part(money, money.monthly_aconto, first, stop) if money.monthly_aconto else None
        lines.append(
            StatementLine(
                ref=money.ref,
                label=money.label,
                start=rent.start,
                end=rent.end,
                days=rent.days,
                whole_month=rent.whole_month,
                void_rent=rent.amount,
                aconto=aconto.amount if aconto is not None else ZERO,
            )
        )
    lines.sort(key=lambda line: (line.start, line.label, line.ref))
    paid = tuple(
        sorted(
            (g for g in guarantees if first <= g.decided_on < nxt),
            key=lambda g: (g.decided_on, g.ref),
        )
    )
    return MonthStatement(
        month=first,
        as_of=as_of,
        complete=as_of >= nxt,
        lines=tuple(lines),
        guarantees=paid,
    )


def as_record(statement: MonthStatement) -> dict[str, Any]:
    """The statement as plain JSON-able data (dates ISO, amounts as strings with øre)."""
    return {
        "month": statement.month.isoformat(),
        "lines": [
            {
                "ref": line.ref,
                "label": line.label,
                "start": line.start.isoformat(),
                "end": line.end.isoformat(),
                "days": line.days,
                "whole_month": line.whole_month,
                "void_rent": f"{line.void_rent:.2f}",
                "aconto": f"{line.aconto:.2f}",
            }
            for line in statement.lines
        ],
        "guarantees": [
            {
                "ref": g.ref,
                "label": g.label,
                "kind": g.kind,
                "decided_on": g.decided_on.isoformat(),
                "amount": g.amount,
            }
            for g in statement.guarantees
        ],
        "void_rent_days": statement.void_rent_days,
        "void_rent_total": f"{statement.void_rent_total:.2f}",
        "aconto_total": f"{statement.aconto_total:.2f}",
        "guarantee_total": f"{statement.guarantee_total:.2f}",
        "total": f"{statement.total:.2f}",
    }


def content_hash(record: dict[str, Any]) -> str:
    """SHA-256 of the record as canonical JSON (sorted keys, no spaces)."""
    text = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
