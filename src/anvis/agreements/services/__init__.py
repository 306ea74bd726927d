"""Writes for the agreements app. Each function owns one transaction, validates with Danish
messages (django ValidationError), locks what it changes and writes the audit trail.

The services live in one module per aggregate (agreement and its terms, steps, håndholdt
requests, turns); every service is importable from here."""

from .agreement import (
    agreement_create,
    agreement_party_leave,
    agreement_update,
    agreement_version_create,
    agreement_version_update,
    forum_save,
    new_version_from,
    version_locked_message,
)
from .common import AGREEMENT_FIELDS, CENT, FORUM_FIELDS, HANDHELD_FIELDS, VERSION_TERMS
from .handheld import handheld_request_close, handheld_request_create
from .steps import (
    department_step_set,
    reassessment_open,
    step_for,
    step_proposals_submit,
    step_reassessment_approve,
)
from .turns import TurnResult, turn_decide, turn_outcome_set

__all__ = [
    "AGREEMENT_FIELDS",
    "CENT",
    "FORUM_FIELDS",
    "HANDHELD_FIELDS",
    "VERSION_TERMS",
    "TurnResult",
    "agreement_create",
    "agreement_party_leave",
    "agreement_update",
    "agreement_version_create",
    "agreement_version_update",
    "department_step_set",
    "forum_save",
    "handheld_request_close",
    "handheld_request_create",
    "new_version_from",
    "reassessment_open",
    "step_for",
    "step_proposals_submit",
    "step_reassessment_approve",
    "turn_decide",
    "turn_outcome_set",
    "version_locked_message",
]
