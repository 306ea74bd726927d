from __future__ import annotations

import datetime as dt

import pytest

from anvis_core.cases.household import is_overcrowded
from anvis_core.workflow import (
    ACTIVE_OFFER_STATES,
    DEFAULT_DECLINE_PAUSE_DAYS,
    DeclineReason,
    DeclineSide,
    OfferState,
    TransitionNotAllowed,
    can_transition_offer,
    check_offer_transition,
    decline_pause_days,
    decline_side,
    offer_deadline,
)

S = OfferState
ALLOWED = {
    (S.PENDING, S.ACCEPTED),
    (S.PENDING, S.DECLINED),
    (S.PENDING, S.EXPIRED),
    (S.PENDING, S.WITHDRAWN),
    (S.PENDING, S.REJECTED_BY_ORGANISATION),
    (S.ACCEPTED, S.REJECTED_BY_ORGANISATION),
    (S.ACCEPTED, S.WITHDRAWN),
    (S.ACCEPTED, S.LEASE_CANCELLED),
}


@pytest.mark.parametrize("current", list(S))
@pytest.mark.parametrize("target", list(S))
def test_transition_table(current: S, target: S) -> None:
    allowed = (current, target) in ALLOWED
    assert can_transition_offer(current, target) is allowed
    if not allowed:
        with pytest.raises(TransitionNotAllowed):
            check_offer_transition(current, target)


def test_active_states() -> None:
    assert {S.PENDING, S.ACCEPTED} == ACTIVE_OFFER_STATES


def test_offer_deadline_default_five_working_days_over_pentecost() -> None:
    # Offered Thursday 5 June 2025 (grundlovsdag, closed): Fri 6, [Mon 9 = 2. pinsedag],
    # Tue 10, Wed 11, Thu 12, Fri 13.
    assert offer_deadline(dt.date(2025, 6, 5), 5) == dt.date(2025, 6, 13)
    with pytest.raises(ValueError):
        offer_deadline(dt.date(2025, 6, 5), 0)


def test_sides_are_kept_apart() -> None:
    assert decline_side(DeclineReason.CLIENT_LOCATION) is DeclineSide.CLIENT
    assert decline_side(DeclineReason.CLIENT_NO_RESPONSE) is DeclineSide.CLIENT
    assert decline_side(DeclineReason.PROVIDER_UNSUITABLE) is DeclineSide.PROVIDER
    assert set(DEFAULT_DECLINE_PAUSE_DAYS) == set(DeclineReason)


def test_provider_reasons_never_pause_by_default() -> None:
    for reason in DeclineReason:
        if decline_side(reason) is DeclineSide.PROVIDER:
            assert decline_pause_days(reason) == 0


def test_configured_consequence() -> None:
    assert decline_pause_days(DeclineReason.CLIENT_NO_SHOW) == 14
    assert decline_pause_days(DeclineReason.CLIENT_NO_SHOW, {"client_no_show": 0}) == 0
    assert decline_pause_days(DeclineReason.CLIENT_LOCATION, {"client_location": 7}) == 7
    assert decline_pause_days(DeclineReason.CLIENT_LOCATION, {"unknown": 7}) == 0
    with pytest.raises(ValueError):
        decline_pause_days(DeclineReason.CLIENT_LOCATION, {"client_location": -1})


@pytest.mark.parametrize(
    ("persons", "rooms", "expected"),
    [(2, 1, False), (3, 1, True), (4, 2, False), (5, 2, True), (1, 0, True)],
)
def test_overcrowding_boundary(persons: int, rooms: int, expected: bool) -> None:
    assert is_overcrowded(persons, rooms) is expected
