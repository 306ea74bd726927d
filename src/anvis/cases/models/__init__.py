"""Citizens and their cases (borger, sag): the caseworker's data, municipal eyes only.

CPR and free-text notes are encrypted at rest (:class:`anvis.common.fields.EncryptedTextField`);
a keyed hash of the normalised CPR finds an existing citizen without decrypting. Other parties
only ever see the pseudonymous case number (``S-2026-00042``) or citizen reference.
Rules with law and dates live in :mod:`anvis_core.cases`; the properties below convert rows
into the core's plain objects.

The models live in one module per aggregate; every name is importable from here."""

from .case import Case, CaseQuerySet, Citizen
from .choices import (
    FORMER_BENEFITS,
    BarKind,
    CaseStatus,
    ConsentScope,
    EventKind,
    IncomeType,
    PreferredContact,
    RecordedSexChoice,
    ReleaseFromChoice,
    Situation,
    SupportMethod,
    SupportStatus,
)
from .household import AvoidArea, HouseholdChild, HouseholdMember, LegalBarEvent, SituationEntry
from .support import CaseEvent, ContactConsent, ShelterStay, SupportPlan

__all__ = [
    "FORMER_BENEFITS",
    "AvoidArea",
    "BarKind",
    "Case",
    "CaseEvent",
    "CaseQuerySet",
    "CaseStatus",
    "Citizen",
    "ConsentScope",
    "ContactConsent",
    "EventKind",
    "HouseholdChild",
    "HouseholdMember",
    "IncomeType",
    "LegalBarEvent",
    "PreferredContact",
    "RecordedSexChoice",
    "ReleaseFromChoice",
    "ShelterStay",
    "Situation",
    "SituationEntry",
    "SupportMethod",
    "SupportPlan",
    "SupportStatus",
]
