"""Tenancy events: the kinds, who reports them, early warnings and what a move-out means.

The housing organisation reports what happens to the tenancy (arrears, a formal demand, a
warning, a cancellation, an eviction case, the move-out, and that a problem is resolved); the
municipality records what happens to the citizen and the support (support started, paused or
ended, a hospital or treatment stay, prison, contact lost).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum


class Side(StrEnum):
    ORGANISATION = "organisation"
    MUNICIPALITY = "municipality"


class EventKind(StrEnum):
    # Reported by the housing organisation.
    ARREARS = "arrears"  # rent arrears (amount, months)
    DEMAND = "demand"  # formal demand (påkrav)
    WARNING = "warning"  # warning for breach of house rules or neighbour complaints
    CANCELLATION = "cancellation"  # cancellation or termination notice (opsigelse/ophævelse)
    EVICTION = "eviction"  # eviction case filed (fogedret), with the eviction date if known
    MOVE_OUT = "move_out"  # the tenant has moved out (with the reason)
    RESOLVED = "resolved"  # the problem reported earlier is resolved
    # Recorded by the municipality.
    SUPPORT_STARTED = "support_started"
    SUPPORT_PAUSED = "support_paused"
    SUPPORT_ENDED = "support_ended"
    HOSPITAL = "hospital"  # hospital or treatment stay
    PRISON = "prison"
    CONTACT_LOST = "contact_lost"


ORGANISATION_KINDS = frozenset(
    {
        EventKind.ARREARS,
        EventKind.DEMAND,
        EventKind.WARNING,
        EventKind.CANCELLATION,
        EventKind.EVICTION,
        EventKind.MOVE_OUT,
        EventKind.RESOLVED,
    }
)
MUNICIPAL_KINDS = frozenset(EventKind) - ORGANISATION_KINDS

#: Early warnings: the caseworker and the support contact are told at once and a follow-up
#: task with a deadline is opened.
RISK_KINDS = frozenset(
    {EventKind.ARREARS, EventKind.DEMAND, EventKind.CANCELLATION, EventKind.EVICTION}
)

#: Events the organisation may see on the lease page: its own reports. Municipal events are
#: social details (support, hospital, prison) and never shown to the organisation.
VISIBLE_TO_ORGANISATION = ORGANISATION_KINDS


def side_of(kind: EventKind) -> Side:
    return Side.ORGANISATION if kind in ORGANISATION_KINDS else Side.MUNICIPALITY


def move_out_before_events(moved_out_on: dt.date, event_dates: Iterable[dt.date]) -> dt.date | None:
    """A move-out ends the tenancy, so it cannot be dated before an event already on the
    tenancy (that event would then lie after the end). Returns the date of the latest event
    when the move-out comes before it, else None; the same day is allowed."""
    latest = max(event_dates, default=None)
    return latest if latest is not None and moved_out_on < latest else None


class MoveOutReason(StrEnum):
    OWN_WISH = "own_wish"
    TRANSFER = "transfer"  # to another dwelling (bytte, oprykning, anden bolig)
    INSTITUTION = "institution"  # nursing home, treatment or other institution
    DEATH = "death"
    EVICTION = "eviction"
    UNKNOWN = "unknown"


#: Move-outs that end the follow-up without the home being lost: the tenant moved on to another
#: dwelling, or died. In the retention curve they are censored at the move-out date.
NOT_A_LOSS = frozenset({MoveOutReason.TRANSFER, MoveOutReason.DEATH})

#: Move-outs after which the citizen still has a home: counted as housed at an anniversary
#: after the move-out. A death is neither housed nor lost.
STILL_HOUSED = frozenset({MoveOutReason.TRANSFER})


def is_loss(reason: MoveOutReason) -> bool:
    """The move-out counts as losing the home in every retention figure: an eviction, leaving
    on one's own wish without another dwelling recorded, a move to an institution, or an
    unknown reason (an unknown ending is never counted as a success)."""
    return reason not in NOT_A_LOSS


def tells_the_caseworker(reason: MoveOutReason) -> bool:
    """The caseworker and the support contact are told of the move-out at once: a lost home
    (`is_loss`) or a death; a move on to another home is only written on the case."""
    return is_loss(reason) or reason is MoveOutReason.DEATH


#: The municipal placement register's outcome for each move-out reason. An outcome stands for
#: losses only or for no loss only, so the register keeps `is_loss`.
PLACEMENT_OUTCOME = {
    MoveOutReason.OWN_WISH: "other",
    MoveOutReason.TRANSFER: "moved_on",
    MoveOutReason.INSTITUTION: "other",
    MoveOutReason.DEATH: "died",
    MoveOutReason.EVICTION: "terminated",
    MoveOutReason.UNKNOWN: "abandoned",
}


def placement_outcome(reason: MoveOutReason) -> str:
    return PLACEMENT_OUTCOME[reason]


def _reasons_of(outcome: str) -> list[MoveOutReason]:
    return [r for r, o in PLACEMENT_OUTCOME.items() if o == outcome]


def outcome_is_loss(outcome: str) -> bool:
    """`is_loss` for an ended placement of the register, read from its outcome: a loss when
    the move-out reasons the outcome stands for are losses, and for an outcome no move-out
    reason writes (an unknown ending is never counted as a success)."""
    reasons = _reasons_of(outcome)
    return not reasons or any(is_loss(r) for r in reasons)


def still_housed(outcome: str) -> bool | None:
    """How an ended placement counts at an anniversary after its move-out: False when the home
    was lost (`outcome_is_loss`), True after a move on to another home, None after a death:
    neither kept nor lost, so it is left out of the anniversary's cohort (as Kaplan–Meier
    censors it)."""
    if outcome_is_loss(outcome):
        return False
    return any(r in STILL_HOUSED for r in _reasons_of(outcome)) or None
