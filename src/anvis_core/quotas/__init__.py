"""Whose turn is it: the municipal share of eligible vacancies, and the fair-share ledger."""

from .ledger import (
    DELIVERED_OUTCOMES,
    LedgerFigures,
    LedgerLine,
    LedgerRecord,
    LedgerStatus,
    Outcome,
    Quarter,
    can_set_outcome,
    compute_ledger,
    ledger_status,
)
from .periods import periods_overlap
from .turns import (
    BucketKey,
    Eligibility,
    IneligibleReason,
    TurnBook,
    TurnDecision,
    TurnState,
    check_turn_eligibility,
    decide_turn,
    share_from_percent,
    turns_until_next,
)

__all__ = [
    "DELIVERED_OUTCOMES",
    "BucketKey",
    "Eligibility",
    "IneligibleReason",
    "LedgerFigures",
    "LedgerLine",
    "LedgerRecord",
    "LedgerStatus",
    "Outcome",
    "Quarter",
    "TurnBook",
    "TurnDecision",
    "TurnState",
    "can_set_outcome",
    "check_turn_eligibility",
    "compute_ledger",
    "decide_turn",
    "ledger_status",
    "periods_overlap",
    "share_from_percent",
    "turns_until_next",
]
