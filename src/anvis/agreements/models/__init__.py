"""The udlejningsaftale: agreement, versioned terms, governance fora, department steps
(trappetrinsmodel), yearly reassessment, håndholdt requests, and the turn records the fair-share
ledger is computed from.

The models live in one module per aggregate; every name is importable from here."""

from .agreement import (
    MAX_DEADLINE_WORKING_DAYS,
    SHARE_FIELD,
    AgreementParty,
    AgreementQuerySet,
    AgreementVersion,
    AllocationAgreement,
    CeilingBasisChoice,
    CeilingComparisonChoice,
    ForumKind,
    GovernanceForum,
    VoidRentConventionChoice,
    VoidRentFrom,
    VoidRentPayer,
    share_validators,
)
from .handheld import HandheldQuerySet, HandheldRequest, HandheldStatus
from .steps import DepartmentStep, ReassessmentStatus, StepProposal, StepQuerySet, StepReassessment
from .turns import OutcomeChoice, TurnCounter, TurnRecord, TurnRecordQuerySet

__all__ = [
    "MAX_DEADLINE_WORKING_DAYS",
    "SHARE_FIELD",
    "AgreementParty",
    "AgreementQuerySet",
    "AgreementVersion",
    "AllocationAgreement",
    "CeilingBasisChoice",
    "CeilingComparisonChoice",
    "DepartmentStep",
    "ForumKind",
    "GovernanceForum",
    "HandheldQuerySet",
    "HandheldRequest",
    "HandheldStatus",
    "OutcomeChoice",
    "ReassessmentStatus",
    "StepProposal",
    "StepQuerySet",
    "StepReassessment",
    "TurnCounter",
    "TurnRecord",
    "TurnRecordQuerySet",
    "VoidRentConventionChoice",
    "VoidRentFrom",
    "VoidRentPayer",
    "share_validators",
]
