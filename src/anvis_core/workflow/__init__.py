"""State machines of the flow from vacancy report to move-in, and the money it produces.

Pure rules: the states, the allowed transitions, the coded reasons and their consequences, and
the deadline and void-rent arithmetic. The Django services call these and never decide a
transition themselves.
"""

from .offer import (
    ACTIVE_OFFER_STATES,
    DEFAULT_DECLINE_PAUSE_DAYS,
    DEFAULT_OFFER_RESPONSE_WORKING_DAYS,
    DeclineReason,
    DeclineSide,
    OfferState,
    RejectionGround,
    can_transition_offer,
    check_offer_transition,
    decline_pause_days,
    decline_side,
    offer_deadline,
)
from .transitions import TransitionNotAllowed
from .vacancy import (
    OPEN_VACANCY_STATES,
    VacancyState,
    can_accept_on,
    can_lease_cancel_transition,
    can_transition_vacancy,
    check_lease_cancel_transition,
    check_vacancy_transition,
    is_overdue,
    ran_out_on,
    response_deadline,
    working_days_left,
)
from .void_rent import VoidRent, compute_void_rent, daily_rent

__all__ = [
    "ACTIVE_OFFER_STATES",
    "DEFAULT_DECLINE_PAUSE_DAYS",
    "DEFAULT_OFFER_RESPONSE_WORKING_DAYS",
    "OPEN_VACANCY_STATES",
    "DeclineReason",
    "DeclineSide",
    "OfferState",
    "RejectionGround",
    "TransitionNotAllowed",
    "VacancyState",
    "VoidRent",
    "can_accept_on",
    "can_lease_cancel_transition",
    "can_transition_offer",
    "can_transition_vacancy",
    "check_lease_cancel_transition",
    "check_offer_transition",
    "check_vacancy_transition",
    "compute_void_rent",
    "daily_rent",
    "decline_pause_days",
    "decline_side",
    "is_overdue",
    "offer_deadline",
    "ran_out_on",
    "response_deadline",
    "working_days_left",
]
