"""The vacancy state machine and the municipality's response deadline.

reported → municipal | ordinary: the agreement and the quota engine judge the vacancy (a
voluntary offer or an answer to a håndholdt request is municipal whatever the turn).
municipal → accepted | declined | expired: the municipality answers within the deadline in Danish
working days, or the vacancy expires.
ordinary → accepted: the municipality takes an ordinary-turn vacancy anyway (an extra).
ordinary → let: the organisation lets the dwelling through its own waiting list.
accepted → offered: the caseworker offers the dwelling to a citizen.
offered → accepted: the offer is declined, expired, withdrawn or the nominee rejected; the
dwelling waits for the next candidate.
offered → let: a lease is signed.
accepted → handed_back: the allocation lead hands the dwelling back to ordinary letting (with a
reason); void rent stops that day.
declined, expired, let and handed_back are final (the dwelling can be reported again as a new vacancy).

One way back, outside the table: let → accepted when the lease of a municipal offer is cancelled
before the tenant moves in (`lease_cancel`, :data:`LEASE_CANCEL_MACHINE`). It is kept apart so
that `let` stays final for everything else (the answer, the hand-back, the open states and the
one-open-vacancy rule are read from the table).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from anvis_core.calendar import add_working_days, working_days_between

from .transitions import StateMachine


class VacancyState(StrEnum):
    REPORTED = "reported"
    MUNICIPAL = "municipal"
    ORDINARY = "ordinary"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    OFFERED = "offered"
    LET = "let"
    HANDED_BACK = "handed_back"


VACANCY_TRANSITIONS: dict[VacancyState, frozenset[VacancyState]] = {
    VacancyState.REPORTED: frozenset({VacancyState.MUNICIPAL, VacancyState.ORDINARY}),
    VacancyState.MUNICIPAL: frozenset(
        {VacancyState.ACCEPTED, VacancyState.DECLINED, VacancyState.EXPIRED}
    ),
    VacancyState.ORDINARY: frozenset({VacancyState.ACCEPTED, VacancyState.LET}),
    VacancyState.ACCEPTED: frozenset({VacancyState.OFFERED, VacancyState.HANDED_BACK}),
    VacancyState.OFFERED: frozenset({VacancyState.ACCEPTED, VacancyState.LET}),
    VacancyState.DECLINED: frozenset(),
    VacancyState.EXPIRED: frozenset(),
    VacancyState.LET: frozenset(),
    VacancyState.HANDED_BACK: frozenset(),
}

#: A dwelling has at most one vacancy in one of these states.
OPEN_VACANCY_STATES: frozenset[VacancyState] = frozenset(
    s for s, targets in VACANCY_TRANSITIONS.items() if targets
)


VACANCY_MACHINE = StateMachine("vacancy", VACANCY_TRANSITIONS)
can_transition_vacancy = VACANCY_MACHINE.can
check_vacancy_transition = VACANCY_MACHINE.check

#: A lease cancelled before move-in: the let dwelling is the municipality's again, accepted and
#: ready for a new offer. Only the lease's cancellation takes this way; it does not make `let`
#: an open state.
LEASE_CANCEL_TRANSITIONS: dict[VacancyState, frozenset[VacancyState]] = {
    state: frozenset({VacancyState.ACCEPTED}) if state is VacancyState.LET else frozenset()
    for state in VacancyState
}
LEASE_CANCEL_MACHINE = StateMachine("vacancy (lease cancelled)", LEASE_CANCEL_TRANSITIONS)
can_lease_cancel_transition = LEASE_CANCEL_MACHINE.can
check_lease_cancel_transition = LEASE_CANCEL_MACHINE.check


def response_deadline(report_date: dt.date, working_days: int) -> dt.date:
    """The last day the municipality can answer: the report date plus `working_days` Danish
    working days (the report day itself is not counted)."""
    if working_days < 1:
        raise ValueError("the response deadline is at least one working day")
    return add_working_days(report_date, working_days)


def can_accept_on(deadline: dt.date | None, day: dt.date) -> bool:
    """An answer is in time through the deadline day inclusive; no deadline means no limit."""
    return deadline is None or day <= deadline


def is_overdue(deadline: dt.date | None, day: dt.date) -> bool:
    """Expired from the day after the deadline (:func:`ran_out_on`)."""
    return deadline is not None and day >= ran_out_on(deadline)


def ran_out_on(deadline: dt.date) -> dt.date:
    """The day an unanswered deadline ran out: the day after it (an answer is in time through
    the deadline day). What an expiry counts from, however late the expiry job runs."""
    return deadline + dt.timedelta(days=1)


def working_days_left(deadline: dt.date, day: dt.date) -> int:
    """Working days after `day` up to and including the deadline; 0 on the deadline day itself,
    negative when overdue (minus the working days since the deadline)."""
    return working_days_between(day, deadline)
