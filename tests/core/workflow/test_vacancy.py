from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anvis_core.workflow import (
    OPEN_VACANCY_STATES,
    TransitionNotAllowed,
    VacancyState,
    can_accept_on,
    can_transition_vacancy,
    check_vacancy_transition,
    is_overdue,
    response_deadline,
    working_days_left,
)
from anvis_core.workflow.vacancy import (
    VACANCY_TRANSITIONS,
    can_lease_cancel_transition,
    check_lease_cancel_transition,
)

V = VacancyState

ALLOWED = {
    (V.REPORTED, V.MUNICIPAL),
    (V.REPORTED, V.ORDINARY),
    (V.MUNICIPAL, V.ACCEPTED),
    (V.MUNICIPAL, V.DECLINED),
    (V.MUNICIPAL, V.EXPIRED),
    (V.ORDINARY, V.ACCEPTED),
    (V.ORDINARY, V.LET),
    (V.ACCEPTED, V.OFFERED),
    (V.ACCEPTED, V.HANDED_BACK),
    (V.OFFERED, V.ACCEPTED),
    (V.OFFERED, V.LET),
}


@pytest.mark.parametrize("current", list(V))
@pytest.mark.parametrize("target", list(V))
def test_transition_table(current: V, target: V) -> None:
    allowed = (current, target) in ALLOWED
    assert can_transition_vacancy(current, target) is allowed
    if allowed:
        check_vacancy_transition(current, target)
    else:
        with pytest.raises(TransitionNotAllowed):
            check_vacancy_transition(current, target)


def test_final_and_open_states() -> None:
    assert frozenset({V.DECLINED, V.EXPIRED, V.LET, V.HANDED_BACK}) == {
        s for s, t in VACANCY_TRANSITIONS.items() if not t
    }
    assert V.LET not in OPEN_VACANCY_STATES
    assert V.HANDED_BACK not in OPEN_VACANCY_STATES
    assert {V.REPORTED, V.MUNICIPAL, V.ORDINARY, V.ACCEPTED, V.OFFERED} == OPEN_VACANCY_STATES


@pytest.mark.parametrize("current", list(V))
@pytest.mark.parametrize("target", list(V))
def test_a_cancelled_lease_takes_only_let_back_to_accepted(current: V, target: V) -> None:
    """The way back of a lease cancelled before move-in is its own machine: let → accepted and
    nothing else; the table keeps let final and not open."""
    allowed = (current, target) == (V.LET, V.ACCEPTED)
    assert can_lease_cancel_transition(current, target) is allowed
    if not allowed:
        with pytest.raises(TransitionNotAllowed):
            check_lease_cancel_transition(current, target)
    assert not can_transition_vacancy(V.LET, V.ACCEPTED)


@given(st.lists(st.sampled_from(list(V)), max_size=12))
def test_every_path_from_reported_ends_let_or_stays_open(steps: list[V]) -> None:
    """Whatever transitions are tried, a vacancy only moves along the table, and a final state
    is never left."""
    state = V.REPORTED
    for target in steps:
        if can_transition_vacancy(state, target):
            assert state in OPEN_VACANCY_STATES
            state = target
    assert state in OPEN_VACANCY_STATES or not VACANCY_TRANSITIONS[state]


def test_response_deadline_counts_danish_working_days() -> None:
    # Reported Wednesday 26 March 2025: 7 working days → Friday 4 April.
    assert response_deadline(dt.date(2025, 3, 26), 7) == dt.date(2025, 4, 4)
    # Reported Wednesday 16 April 2025 (before Easter): skærtorsdag, langfredag and 2. påskedag
    # are closed, so the 3 working days are Tue 22, Wed 23 and Thu 24 April.
    assert response_deadline(dt.date(2025, 4, 16), 3) == dt.date(2025, 4, 24)
    # Reported on a Saturday: the first working day is Monday.
    assert response_deadline(dt.date(2025, 3, 29), 1) == dt.date(2025, 3, 31)
    with pytest.raises(ValueError):
        response_deadline(dt.date(2025, 3, 26), 0)


def test_accept_through_the_deadline_day_then_overdue() -> None:
    deadline = dt.date(2025, 4, 4)
    assert can_accept_on(deadline, deadline)
    assert not is_overdue(deadline, deadline)
    assert not can_accept_on(deadline, deadline + dt.timedelta(days=1))
    assert is_overdue(deadline, deadline + dt.timedelta(days=1))
    assert can_accept_on(None, dt.date(2030, 1, 1))
    assert not is_overdue(None, dt.date(2030, 1, 1))


def test_working_days_left() -> None:
    deadline = dt.date(2025, 4, 4)  # Friday
    assert working_days_left(deadline, deadline) == 0
    assert working_days_left(deadline, dt.date(2025, 4, 3)) == 1
    assert working_days_left(deadline, dt.date(2025, 3, 28)) == 5
    # Saturday and Sunday after: no working day has passed yet; Monday is one over.
    assert working_days_left(deadline, dt.date(2025, 4, 6)) == 0
    assert working_days_left(deadline, dt.date(2025, 4, 7)) == -1
