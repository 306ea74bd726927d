"""Support plans (bostøtte): CTI phases and the § 85 a decision-before-discharge check.

* **CTI** (Critical Time Intervention) runs nine months in three equal phases of three calendar
  months each (Socialstyrelsen). Phase *k* starts on ``add_months(start, 3 * (k - 1))``; the
  course ends the day before ``add_months(start, 9)``.
* **§ 85 a** (serviceloven, from 1 October 2023): Housing First support. The state reimburses
  50 % of it for up to two years after a discharge from a § 110 shelter **only if the support was
  decided before the discharge** (§ 176 a). CTI, ICM and ACT are granted as § 85 a support;
  plain § 85 support is not covered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from .dates import add_months, add_years
from .reimbursement import Stay

CTI_MONTHS = 9
CTI_PHASES = 3
SECTION_85A_REIMBURSEMENT_YEARS = 2


class SupportMethod(StrEnum):
    CTI = "cti"
    ICM = "icm"
    ACT = "act"
    SECTION_85 = "s85"
    SECTION_85A = "s85a"


SECTION_85A_METHODS = frozenset(
    {SupportMethod.CTI, SupportMethod.ICM, SupportMethod.ACT, SupportMethod.SECTION_85A}
)


@dataclass(frozen=True)
class Phase:
    number: int
    start: dt.date
    end: dt.date  # inclusive


def cti_phases(start: dt.date) -> tuple[Phase, ...]:
    months = CTI_MONTHS // CTI_PHASES
    return tuple(
        Phase(
            number=k + 1,
            start=add_months(start, months * k),
            end=add_months(start, months * (k + 1)) - dt.timedelta(days=1),
        )
        for k in range(CTI_PHASES)
    )


def cti_end(start: dt.date) -> dt.date:
    return add_months(start, CTI_MONTHS) - dt.timedelta(days=1)


def cti_phase_on(start: dt.date, on: dt.date) -> int | None:
    """1, 2 or 3 while the course runs; None before the start or after the end."""
    for phase in cti_phases(start):
        if phase.start <= on <= phase.end:
            return phase.number
    return None


class DecisionTiming(StrEnum):
    NOT_APPLICABLE = "not_applicable"  # not § 85 a support, or no § 110 stay before the decision
    BEFORE_DISCHARGE = "before_discharge"  # decided during a stay: reimbursement possible
    AFTER_DISCHARGE = "after_discharge"  # decided after the citizen left the shelter: warn


@dataclass(frozen=True)
class DecisionCheck:
    timing: DecisionTiming
    discharge: dt.date | None  # the discharge the decision relates to
    reimbursable_until: dt.date | None  # last day of the two-year window, if known

    @property
    def warning(self) -> bool:
        return self.timing is DecisionTiming.AFTER_DISCHARGE


def check_85a_decision(
    method: SupportMethod, decided: dt.date, stays: Iterable[Stay]
) -> DecisionCheck:
    """Was § 85 a support decided before the discharge from § 110?

    Decided while a stay runs (admission ≤ decision < discharge, or not yet discharged): the
    window is two years from that discharge. Decided after the latest discharge before the
    decision, with no stay running: a warning. No stay before the decision: not applicable.
    """
    if method not in SECTION_85A_METHODS:
        return DecisionCheck(DecisionTiming.NOT_APPLICABLE, None, None)
    ordered = sorted(stays, key=lambda s: s.admitted)
    for stay in ordered:
        if stay.admitted <= decided and (stay.discharged is None or decided < stay.discharged):
            until = (
                add_years(stay.discharged, SECTION_85A_REIMBURSEMENT_YEARS) - dt.timedelta(days=1)
                if stay.discharged is not None
                else None
            )
            return DecisionCheck(DecisionTiming.BEFORE_DISCHARGE, stay.discharged, until)
    earlier = [
        s.discharged for s in ordered if s.discharged is not None and s.discharged <= decided
    ]
    if earlier:
        return DecisionCheck(DecisionTiming.AFTER_DISCHARGE, max(earlier), None)
    return DecisionCheck(DecisionTiming.NOT_APPLICABLE, None, None)
