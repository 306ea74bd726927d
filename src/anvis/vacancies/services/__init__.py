"""Writes for the flow from vacancy report to move-in, one module per aggregate: `vacancy`,
`offer`, `lease`, `claim` (guarantee claims) and `statement` (monthly statements); `_common`
holds what they share. Callers import from here (`from anvis.vacancies import services`).

Each service owns one transaction, asks `anvis_core.workflow` whether the transition is allowed,
writes the vacancy's timeline, the case's timeline and the audit trail.

Lock order (always the same, so two services never wait on each other in a circle):
(organisation, for the writes that approve or correct monthly statements: `lock_statements`)
→ dwelling → vacancy → offer → case → turn record. Every service that changes a vacancy or one of
its offers locks the vacancy row first; two people accepting or offering the same vacancy at the
same moment are therefore serialised, and the second sees the new state and gets a clear message.
"""

from anvis.cases.services import case_event

from ._common import SYSTEM_EXPIRY, check_not_leased
from .claim import (
    CLAIM_PROBLEMS,
    guarantee_claim_decide,
    guarantee_claim_submit,
    guarantee_terms,
)
from .lease import (
    LEASE_CANCELLED,
    LeaseCancelResult,
    LeaseResult,
    lease_cancel,
    lease_register,
    tenant_moved_in,
)
from .offer import (
    check_offerable,
    offer_accept,
    offer_create,
    offer_decline,
    offer_reject,
    offer_response_days_default,
    offer_withdraw,
)
from .statement import statement_approve, statement_correct
from .vacancy import (
    AcceptResult,
    ExpiryResult,
    vacancies_expire,
    vacancy_accept,
    vacancy_accept_result,
    vacancy_decline,
    vacancy_hand_back,
    vacancy_let_ordinary,
    vacancy_report,
)

__all__ = [
    "CLAIM_PROBLEMS",
    "LEASE_CANCELLED",
    "SYSTEM_EXPIRY",
    "AcceptResult",
    "ExpiryResult",
    "LeaseCancelResult",
    "LeaseResult",
    "case_event",
    "check_not_leased",
    "check_offerable",
    "guarantee_claim_decide",
    "guarantee_claim_submit",
    "guarantee_terms",
    "lease_cancel",
    "lease_register",
    "offer_accept",
    "offer_create",
    "offer_decline",
    "offer_reject",
    "offer_response_days_default",
    "offer_withdraw",
    "statement_approve",
    "statement_correct",
    "tenant_moved_in",
    "vacancies_expire",
    "vacancy_accept",
    "vacancy_accept_result",
    "vacancy_decline",
    "vacancy_hand_back",
    "vacancy_let_ordinary",
    "vacancy_report",
]
