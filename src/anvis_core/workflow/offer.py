"""The offer state machine, the coded decline reasons and the legal grounds for rejection.

pending → accepted | declined | expired | withdrawn | rejected_by_organisation
accepted → rejected_by_organisation (the organisation may reject the nominee on a legal ground
until the lease is signed) | withdrawn (the municipality withdraws before the lease) |
lease_cancelled (the lease is signed but cancelled before the tenant moves in; only
`lease_cancel` takes this step).
Everything else is final. An offer in an *active* state (pending, accepted) holds the dwelling and
the citizen: a citizen has at most one active offer, and so does a vacancy.

Declines are coded. Client-declined (the citizen says no) and provider-declined (the
municipality's side, e.g. the support provider, finds the dwelling unsuitable) are kept apart.
Each reason has a consequence: none, or a pause of N days for the case. A decline never deletes
anything: the offer stays on the case's and the vacancy's timeline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from enum import StrEnum

from anvis_core.calendar import add_working_days

from .transitions import StateMachine

DEFAULT_OFFER_RESPONSE_WORKING_DAYS = 5


class OfferState(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"
    REJECTED_BY_ORGANISATION = "rejected_by_organisation"
    LEASE_CANCELLED = "lease_cancelled"


OFFER_TRANSITIONS: dict[OfferState, frozenset[OfferState]] = {
    OfferState.PENDING: frozenset(
        {
            OfferState.ACCEPTED,
            OfferState.DECLINED,
            OfferState.EXPIRED,
            OfferState.WITHDRAWN,
            OfferState.REJECTED_BY_ORGANISATION,
        }
    ),
    OfferState.ACCEPTED: frozenset(
        {OfferState.REJECTED_BY_ORGANISATION, OfferState.WITHDRAWN, OfferState.LEASE_CANCELLED}
    ),
    OfferState.DECLINED: frozenset(),
    OfferState.EXPIRED: frozenset(),
    OfferState.WITHDRAWN: frozenset(),
    OfferState.REJECTED_BY_ORGANISATION: frozenset(),
    OfferState.LEASE_CANCELLED: frozenset(),
}

ACTIVE_OFFER_STATES: frozenset[OfferState] = frozenset({OfferState.PENDING, OfferState.ACCEPTED})


OFFER_MACHINE = StateMachine("offer", OFFER_TRANSITIONS)
can_transition_offer = OFFER_MACHINE.can
check_offer_transition = OFFER_MACHINE.check


def offer_deadline(offered_on: dt.date, working_days: int) -> dt.date:
    """The citizen's last day to answer: `working_days` Danish working days after the offer."""
    if working_days < 1:
        raise ValueError("the offer response deadline is at least one working day")
    return add_working_days(offered_on, working_days)


class DeclineSide(StrEnum):
    CLIENT = "client"
    PROVIDER = "provider"


class DeclineReason(StrEnum):
    CLIENT_LOCATION = "client_location"
    CLIENT_SIZE = "client_size"
    CLIENT_RENT = "client_rent"
    CLIENT_NOT_READY = "client_not_ready"
    CLIENT_NO_SHOW = "client_no_show"
    CLIENT_NO_RESPONSE = "client_no_response"
    CLIENT_OTHER = "client_other"
    PROVIDER_UNSUITABLE = "provider_unsuitable"
    PROVIDER_SUPPORT_NOT_READY = "provider_support_not_ready"
    PROVIDER_OTHER = "provider_other"


def decline_side(reason: DeclineReason) -> DeclineSide:
    return DeclineSide.PROVIDER if reason.startswith("provider_") else DeclineSide.CLIENT


#: The pause (days) a reason gives the case unless configured otherwise. Provider-side reasons
#: never pause the citizen: the citizen did not say no. `client_no_response` is what an expired
#: offer records.
DEFAULT_DECLINE_PAUSE_DAYS: Mapping[DeclineReason, int] = {
    DeclineReason.CLIENT_LOCATION: 0,
    DeclineReason.CLIENT_SIZE: 0,
    DeclineReason.CLIENT_RENT: 0,
    DeclineReason.CLIENT_NOT_READY: 30,
    DeclineReason.CLIENT_NO_SHOW: 14,
    DeclineReason.CLIENT_NO_RESPONSE: 14,
    DeclineReason.CLIENT_OTHER: 0,
    DeclineReason.PROVIDER_UNSUITABLE: 0,
    DeclineReason.PROVIDER_SUPPORT_NOT_READY: 0,
    DeclineReason.PROVIDER_OTHER: 0,
}


def decline_pause_days(reason: DeclineReason, overrides: Mapping[str, int] | None = None) -> int:
    """The configured consequence of a decline reason: 0 (none) or a pause of N days.

    `overrides` maps reason codes to days (a setting); unknown codes are ignored, negative
    values are refused.
    """
    days = DEFAULT_DECLINE_PAUSE_DAYS[reason]
    if overrides and reason.value in overrides:
        days = int(overrides[reason.value])
    if days < 0:
        raise ValueError(f"pause for {reason} must be 0 or more days")
    return days


class RejectionGround(StrEnum):
    """The only grounds on which an organisation may reject a nominee."""

    DEBT_WITHOUT_PLAN = "debt_without_plan"
    OVERCROWDING = "overcrowding"
    AREA_RULES = "area_rules"
