"""Reads: the audit search pages and the citizen insight (indsigt) document."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from anvis.audit.models import AuditEvent, PersonalDataAccess
from anvis.cases.models import Case, Citizen
from anvis_core.cases.numbers import typed_case_number


def audit_events() -> QuerySet[AuditEvent]:
    return AuditEvent.objects.order_by("-at", "-id")


def personal_data_accesses() -> QuerySet[PersonalDataAccess]:
    return PersonalDataAccess.objects.order_by("-at", "-id")


def citizen_find(reference: str) -> Citizen | None:
    """A citizen by reference (B-…), by one of their case numbers (S-…) or by CPR number."""
    from anvis.cases.selectors import citizen_find_by_cpr

    by_cpr = citizen_find_by_cpr(cpr=reference.strip())
    if by_cpr is not None:
        return by_cpr
    reference = reference.strip().upper()
    citizen = Citizen.objects.filter(reference=reference).first()
    if citizen is None:
        number = typed_case_number(reference) or reference
        case = Case.objects.filter(number=number).select_related("citizen").first()
        citizen = case.citizen if case else None
    return citizen


def citizen_insight(citizen: Citizen) -> dict[str, Any]:
    """Everything Anvis holds about a citizen (the caller records the access)."""
    cases = list(
        Case.objects.filter(citizen=citizen)
        .select_related("caseworker")
        .prefetch_related(
            "situations",
            "children",
            "avoid_areas__department",
            "bar_events",
            "shelter_stays",
            "support_plans",
            "consents",
            "events__actor",
            "offers__vacancy__dwelling__entrance",
            "offers__lease",
            # The tenancy after move-in (the tenancy app, above this one, by its relation names).
            "tenancies__lease__vacancy__dwelling__entrance",
            "tenancies__events",
            "tenancies__tasks__event",
        )
        .order_by("opened_on", "pk")
    )
    case_ids = [str(c.pk) for c in cases]
    history = AuditEvent.objects.filter(
        Q(object_type="cases.Citizen", object_id=str(citizen.pk))
        | Q(object_type="cases.Case", object_id__in=case_ids)
    ).order_by("at", "id")
    accesses = PersonalDataAccess.objects.filter(
        subject_type="citizen", subject_id=str(citizen.pk)
    ).order_by("at", "id")
    return {"citizen": citizen, "cases": cases, "history": history, "accesses": accesses}
