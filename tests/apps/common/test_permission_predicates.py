"""The named predicates behind the vacancy page's buttons follow the role and the state machine
(`VACANCY_TRANSITIONS`): a table of state × role → the actions offered."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest

from anvis.permissions import (
    MUNICIPAL,
    OVERSIGHT,
    REPORTERS,
    Role,
    can_cancel_lease,
    vacancy_actions,
)


def _user(role: str, org_ids: frozenset[int] = frozenset()) -> Any:
    return SimpleNamespace(
        role=role, is_authenticated=True, is_active=True, _anvis_org_ids=set(org_ids)
    )


LEAD = _user(Role.ALLOCATION_LEAD)
CASEWORKER = _user(Role.CASEWORKER)
OWN_ORG = _user(Role.ORGANISATION, frozenset({1}))
OTHER_ORG = _user(Role.ORGANISATION, frozenset({2}))
STEERING = _user(Role.STEERING)
DAY = dt.date(2026, 3, 13)


def _on(actions: dict[str, bool]) -> set[str]:
    return {name for name, on in actions.items() if on}


@pytest.mark.parametrize(
    ("status", "user", "offer_status", "expected"),
    [
        ("municipal", LEAD, None, {"can_answer", "can_decline", "can_decide_claims"}),
        ("ordinary", LEAD, None, {"can_answer", "can_decide_claims"}),
        ("ordinary", OWN_ORG, None, {"can_let_ordinary"}),
        ("ordinary", OTHER_ORG, None, set()),
        ("accepted", LEAD, None, {"can_offer", "can_hand_back", "can_decide_claims"}),
        ("accepted", CASEWORKER, None, {"can_offer"}),
        ("offered", LEAD, "pending", {"can_answer_offer", "can_decide_claims"}),
        ("offered", OWN_ORG, "pending", {"can_reject"}),
        ("offered", OWN_ORG, "accepted", {"can_reject", "can_lease"}),
        ("offered", OTHER_ORG, "accepted", set()),
        ("offered", LEAD, "accepted", {"can_answer_offer", "can_lease", "can_decide_claims"}),
        ("let", OWN_ORG, None, set()),
        ("municipal", STEERING, None, set()),
        ("expired", LEAD, None, {"can_decide_claims"}),
    ],
)
def test_vacancy_actions(
    status: str, user: Any, offer_status: str | None, expected: set[str]
) -> None:
    vacancy = SimpleNamespace(status=status, organisation_id=1, response_deadline=DAY)
    offer = SimpleNamespace(status=offer_status) if offer_status else None
    assert _on(vacancy_actions(user, vacancy, offer, None, day=DAY)) == expected


@pytest.mark.parametrize(
    ("user", "day", "expected"),
    [
        (LEAD, DAY, {"can_answer", "can_decline", "can_decide_claims"}),
        (LEAD, DAY + dt.timedelta(days=1), {"answer_too_late", "can_decide_claims"}),
        (OWN_ORG, DAY + dt.timedelta(days=1), set()),
        (CASEWORKER, DAY + dt.timedelta(days=1), set()),
    ],
)
def test_no_answer_after_the_deadline(user: Any, day: dt.date, expected: set[str]) -> None:
    """The deadline day is the last day to answer (`answer_in_time`, the services' rule)."""
    vacancy = SimpleNamespace(status="municipal", organisation_id=1, response_deadline=DAY)
    assert _on(vacancy_actions(user, vacancy, None, None, day=day)) == expected


LEASE = SimpleNamespace(offer_id=7, cancelled_on=None)


@pytest.mark.parametrize(
    ("status", "user", "lease", "moved_in", "expected"),
    [
        ("let", LEAD, LEASE, False, True),
        ("let", OWN_ORG, LEASE, False, True),
        ("let", _user(Role.ADMIN), LEASE, False, True),
        ("let", OTHER_ORG, LEASE, False, False),
        ("let", CASEWORKER, LEASE, False, False),
        ("let", STEERING, LEASE, False, False),
        ("let", OWN_ORG, LEASE, True, False),  # the tenancy has events: moved in
        ("let", OWN_ORG, SimpleNamespace(offer_id=None, cancelled_on=None), False, False),
        ("let", OWN_ORG, SimpleNamespace(offer_id=7, cancelled_on="2026-03-25"), False, False),
        ("let", OWN_ORG, None, False, False),
        ("accepted", OWN_ORG, LEASE, False, False),
        ("ordinary", LEAD, LEASE, False, False),
    ],
)
def test_can_cancel_lease(
    status: str, user: Any, lease: Any, moved_in: bool, expected: bool
) -> None:
    """The lease cancelled before move-in: the lead or the dwelling's organisation, a standing
    lease of a municipal offer on a let vacancy, the tenant not moved in."""
    vacancy = SimpleNamespace(status=status, organisation_id=1)
    assert can_cancel_lease(user, vacancy, lease, moved_in=moved_in) is expected


def test_one_name_per_role_set() -> None:
    assert {Role.ORGANISATION, Role.ADMIN} == REPORTERS
    assert MUNICIPAL | {Role.STEERING} == OVERSIGHT
