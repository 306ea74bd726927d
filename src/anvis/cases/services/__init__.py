"""Writes to citizens and cases. Each service owns one transaction, locks the case row, writes the
audit trail (never the CPR: `audit_exclude`) and a timeline event, and refreshes the stored
priority when one of its inputs changed.

The services live in one module per aggregate (the case, its support and household records, the
nightly priorities); every service is importable from here."""

from .case import (
    case_add_note,
    case_create,
    case_park,
    case_set_children,
    case_set_situation,
    case_set_urgency,
    case_transition,
    case_unpark,
    case_update,
    case_update_household,
    cases_unpark_due,
    citizen_update,
)
from .common import (
    CASE_EDITABLE_FIELDS,
    CITIZEN_EDITABLE_FIELDS,
    REFERENCE_ALPHABET,
    case_event,
    citizen_hash,
    cpr_parse_or_error,
)
from .priority import cases_recompute_priorities
from .support import (
    avoid_area_add,
    avoid_area_remove,
    consent_record,
    consent_withdraw,
    legal_bar_add,
    legal_bar_remove,
    shelter_stay_add,
    shelter_stay_discharge,
    support_plan_add,
    support_plan_set_status,
)

__all__ = [
    "CASE_EDITABLE_FIELDS",
    "CITIZEN_EDITABLE_FIELDS",
    "REFERENCE_ALPHABET",
    "avoid_area_add",
    "avoid_area_remove",
    "case_add_note",
    "case_create",
    "case_event",
    "case_park",
    "case_set_children",
    "case_set_situation",
    "case_set_urgency",
    "case_transition",
    "case_unpark",
    "case_update",
    "case_update_household",
    "cases_recompute_priorities",
    "cases_unpark_due",
    "citizen_hash",
    "citizen_update",
    "consent_record",
    "consent_withdraw",
    "cpr_parse_or_error",
    "legal_bar_add",
    "legal_bar_remove",
    "shelter_stay_add",
    "shelter_stay_discharge",
    "support_plan_add",
    "support_plan_set_status",
]
