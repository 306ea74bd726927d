"""Case status and the allowed transitions.

waiting → offered → housed → follow-up → closed. An offer that is declined or withdrawn sends
the case back to waiting (the citizen keeps the priority), and so does a lease cancelled before
the tenant moved in (housed or follow-up → waiting, only by the flow). A case can be closed from any open
status; by hand (:data:`BY_HAND`) only when no offer is active. A closed case is final: a
return to homelessness opens a *new* case for the citizen.
Parking is not a status: a waiting case can be parked (temporarily unavailable) and unparked.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum


class CaseStatus(StrEnum):
    WAITING = "waiting"
    OFFERED = "offered"
    HOUSED = "housed"
    FOLLOW_UP = "follow_up"
    CLOSED = "closed"


TRANSITIONS: dict[CaseStatus, frozenset[CaseStatus]] = {
    CaseStatus.WAITING: frozenset({CaseStatus.OFFERED, CaseStatus.CLOSED}),
    CaseStatus.OFFERED: frozenset({CaseStatus.WAITING, CaseStatus.HOUSED, CaseStatus.CLOSED}),
    CaseStatus.HOUSED: frozenset({CaseStatus.FOLLOW_UP, CaseStatus.CLOSED, CaseStatus.WAITING}),
    CaseStatus.FOLLOW_UP: frozenset({CaseStatus.CLOSED, CaseStatus.WAITING}),
    CaseStatus.CLOSED: frozenset(),
}
OPEN_STATUSES = frozenset(s for s in CaseStatus if s is not CaseStatus.CLOSED)

BY_HAND: dict[CaseStatus, frozenset[CaseStatus]] = {
    CaseStatus.WAITING: frozenset({CaseStatus.CLOSED}),
    CaseStatus.OFFERED: frozenset(),
    CaseStatus.HOUSED: frozenset({CaseStatus.FOLLOW_UP, CaseStatus.CLOSED}),
    CaseStatus.FOLLOW_UP: frozenset({CaseStatus.CLOSED}),
    CaseStatus.CLOSED: frozenset(),
}
"""The transitions a caseworker makes on the case's status page. The others belong to the
flow: an offer makes the case offered, the end of the offer (declined, expired, withdrawn,
rejected) makes it waiting again, the lease makes it housed, and the lease's cancellation
before move-in makes it waiting again. A case with an active offer
is therefore not closed by hand: the offer is withdrawn first, so that the dwelling is free for
the next candidate."""


class TransitionError(ValueError):
    def __init__(self, current: CaseStatus, target: CaseStatus) -> None:
        super().__init__(f"a case cannot go from {current} to {target}")
        self.current = current
        self.target = target


def can_transition(current: CaseStatus, target: CaseStatus) -> bool:
    return target in TRANSITIONS[current]


def check_transition(current: CaseStatus, target: CaseStatus, *, by_hand: bool = False) -> None:
    """Raise :class:`TransitionError` unless the case may go from ``current`` to ``target``
    (``by_hand``: on the status page, see :data:`BY_HAND`)."""
    if not can_transition(current, target) or (by_hand and target not in BY_HAND[current]):
        raise TransitionError(current, target)


def can_park(status: CaseStatus) -> bool:
    return status is CaseStatus.WAITING


def is_parked(parked_until: dt.date | None, today: dt.date) -> bool:
    """Parked through `parked_until` inclusive; available again the day after."""
    return parked_until is not None and today <= parked_until
