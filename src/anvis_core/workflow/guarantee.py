"""Guarantee claims: the municipality guarantees move-out repairs and arrears in the first period
of a tenancy it placed, as the agreement says.

A claim is admissible when its kind is covered by the agreement, the event (the move-out for
repairs, the arrears for arrears) falls in [lease start, lease start + that kind's period) — the
rent-loss (arrears) period and the move-out repairs period are separate terms, and a kind
without a period has no time limit —, the amount is positive, and the claims of that kind on the
lease (approved and awaiting decision) stay within the agreement's maximum, if there is one.
What documentation a claim needs is a term too (free text, shown with the claim form).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from anvis_core.cases.dates import add_months


class GuaranteeKind(StrEnum):
    MOVE_OUT_REPAIRS = "move_out_repairs"
    FIRST_YEAR_ARREARS = "first_year_arrears"


class ClaimProblem(StrEnum):
    NOT_COVERED = "not_covered"
    BEFORE_LEASE = "before_lease"
    AFTER_PERIOD = "after_period"
    NOT_POSITIVE = "not_positive"
    OVER_MAXIMUM = "over_maximum"
    IN_THE_FUTURE = "in_the_future"


@dataclass(frozen=True)
class GuaranteeTerms:
    move_out_repairs: bool
    first_year_arrears: bool
    period_months: int | None
    """The rent-loss (arrears) period; None: no time limit."""
    max_repairs: int | None
    max_arrears: int | None
    repairs_period_months: int | None = None
    """The move-out repairs period; None: no time limit."""
    documentation: str = ""

    def period(self, kind: GuaranteeKind) -> int | None:
        if kind is GuaranteeKind.MOVE_OUT_REPAIRS:
            return self.repairs_period_months
        return self.period_months

    def covers(self, kind: GuaranteeKind) -> bool:
        if kind is GuaranteeKind.MOVE_OUT_REPAIRS:
            return self.move_out_repairs
        return self.first_year_arrears

    def maximum(self, kind: GuaranteeKind) -> int | None:
        return self.max_repairs if kind is GuaranteeKind.MOVE_OUT_REPAIRS else self.max_arrears


def guarantee_period_end(lease_start: dt.date, months: int) -> dt.date:
    """The first day no longer covered."""
    return add_months(lease_start, months)


def check_guarantee_claim(
    *,
    terms: GuaranteeTerms,
    kind: GuaranteeKind,
    lease_start: dt.date,
    event_date: dt.date,
    amount: int,
    already_claimed: int,
    today: dt.date | None = None,
) -> list[ClaimProblem]:
    """Every reason the claim is not admissible (empty: admissible). ``today``: a claim is for
    arrears or damage that has happened, so its date is not after today."""
    problems: list[ClaimProblem] = []
    if not terms.covers(kind):
        problems.append(ClaimProblem.NOT_COVERED)
    period = terms.period(kind)
    if today is not None and event_date > today:
        problems.append(ClaimProblem.IN_THE_FUTURE)
    elif event_date < lease_start:
        problems.append(ClaimProblem.BEFORE_LEASE)
    elif period is not None and event_date >= guarantee_period_end(lease_start, period):
        problems.append(ClaimProblem.AFTER_PERIOD)
    if amount <= 0:
        problems.append(ClaimProblem.NOT_POSITIVE)
    maximum = terms.maximum(kind)
    if maximum is not None and already_claimed + max(amount, 0) > maximum:
        problems.append(ClaimProblem.OVER_MAXIMUM)
    return problems
