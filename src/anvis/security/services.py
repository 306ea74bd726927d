"""Writes of the security app: anonymisation of citizens whose cases are long closed.

Each citizen is anonymised in its own transaction with the row locked and the rule re-checked
under the lock, so a worker that is killed and started again finishes the rest and never
anonymises anyone twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Q

from anvis.audit.services import audit_record
from anvis.cases.models import (
    AvoidArea,
    Case,
    CaseEvent,
    CaseStatus,
    Citizen,
    ContactConsent,
    HouseholdChild,
    LegalBarEvent,
    ShelterStay,
    SupportPlan,
)
from anvis.events import publish
from anvis.vacancies.models import GuaranteeClaim, Lease, Offer
from anvis_core.retention import citizen_due, retention_cutoff

logger = logging.getLogger(__name__)

ANONYMISED_PREFIX = "anonymised:"
ANONYMISED_NAME = "Anonymiseret"
# Put in place of a required free text (a cancellation's or a rejection's reason, a claim's
# description, an override's reason), so the row still says that there was one.
ANONYMISED_TEXT = "Anonymiseret"


@dataclass
class RetentionReport:
    """What one run anonymised: counts and pseudonymous numbers only, never personal data."""

    today: dt.date
    years: int
    cutoff: dt.date
    citizens: list[str] = field(default_factory=list)
    cases: list[str] = field(default_factory=list)
    rows_removed: int = 0
    failed: list[str] = field(default_factory=list)
    """References of the citizens whose anonymisation failed (rolled back, logged)."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "retention_years": self.years,
            "closed_on_or_before": self.cutoff.isoformat(),
            "citizens_anonymised": len(self.citizens),
            "cases_anonymised": len(self.cases),
            "detail_rows_removed": self.rows_removed,
            "citizen_references": self.citizens,
            "case_numbers": self.cases,
            "citizens_failed": self.failed,
        }


def citizens_due(*, today: dt.date, years: int) -> list[int]:
    """Ids of citizens not yet anonymised whose cases are all closed on or before the cutoff."""
    cutoff = retention_cutoff(today, years)
    return list(
        Citizen.objects.exclude(cpr_hash__startswith=ANONYMISED_PREFIX)
        .annotate(
            n_cases=Count("cases"),
            n_not_closed=Count("cases", filter=~Q(cases__status=CaseStatus.CLOSED)),
            last_closed=Max("cases__closed_on"),
        )
        .filter(n_cases__gt=0, n_not_closed=0, last_closed__lte=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@dataclass(frozen=True)
class Anonymised:
    reference: str
    case_numbers: list[str]
    rows_removed: int


def _offer_texts_remove(case_ids: list[int]) -> None:
    """The free texts written about the citizen on the offers, leases and guarantee claims of
    the cases. A text the row must have when it is set (the reason for an override, a
    cancellation or a rejection; a claim's description) is replaced by a marker, so the figures
    that count them (overrides in the report) and the rows' constraints still hold; the
    amounts, dates, codes and statuses stay."""
    offers = Offer.objects.filter(case_id__in=case_ids)
    offers.update(closing_note="")
    offers.exclude(override_reason="").update(override_reason=ANONYMISED_TEXT)
    leases = Lease.objects.filter(offer__case_id__in=case_ids)
    leases.exclude(cancellation_reason="").update(cancellation_reason=ANONYMISED_TEXT)
    claims = GuaranteeClaim.objects.filter(lease__offer__case_id__in=case_ids)
    claims.update(description=ANONYMISED_TEXT)
    claims.exclude(decision_reason="").update(decision_reason=ANONYMISED_TEXT)


def citizen_anonymise(
    *, citizen_id: int, today: dt.date, years: int, actor: Any = None
) -> Anonymised | None:
    """Anonymise one citizen and their cases; returns what was done, or None when the
    citizen is (no longer) due. Keeps what statistics and the fair-share ledger need: case
    numbers, dates, statuses, situation history, support methods and household size."""
    with transaction.atomic():
        citizen = Citizen.objects.select_for_update().filter(pk=citizen_id).first()
        if citizen is None or citizen.cpr_hash.startswith(ANONYMISED_PREFIX):
            return None
        cases = list(Case.objects.select_for_update().filter(citizen=citizen).order_by("pk"))
        if not citizen_due([c.closed_on for c in cases], today, years):
            return None
        citizen.cpr = ""
        citizen.cpr_hash = ANONYMISED_PREFIX + citizen.reference
        citizen.first_name = ANONYMISED_NAME
        citizen.last_name = ""
        citizen.phone = ""
        citizen.email = ""
        citizen.birth_date = citizen.birth_date.replace(month=1, day=1)
        citizen.save()
        case_ids = [c.pk for c in cases]
        for case in cases:
            case.pets = ""
            case.districts_wanted = ""
            case.urgent = False
            case.urgency_reason = ""
            case.parked_until = None
            case.park_reason = ""
            case.income_type = ""
            case.income_amount = None
            case.housing_benefit = None
            case.benefit_income = None
            case.max_rent_override = None
            case.max_rent_override_reason = ""
            case.save()
        CaseEvent.objects.filter(case_id__in=case_ids).update(note="")
        ShelterStay.objects.filter(case_id__in=case_ids).update(shelter="")
        SupportPlan.objects.filter(case_id__in=case_ids).update(provider="")
        _offer_texts_remove(case_ids)
        for child in HouseholdChild.objects.filter(case_id__in=case_ids):
            child.birth_date = child.birth_date.replace(month=1, day=1)
            child.save(update_fields=["birth_date"])
        removed = 0
        for model in (LegalBarEvent, AvoidArea, ContactConsent):
            count, _ = model.objects.filter(case_id__in=case_ids).delete()
            removed += count
        # The apps above that hold note text on the cases remove theirs in this transaction (the
        # tenancy follow-up: its events' notes and what was agreed on its tasks; the
        # notifications that quoted a lease's cancellation reason).
        publish("citizen.anonymised", actor=actor, case_ids=case_ids)
        numbers = [c.number for c in cases]
        audit_record(
            actor=actor,
            action="security.citizen_anonymise",
            object_type="cases.Citizen",
            object_id=citizen.pk,
            object_repr=citizen.reference,
            after={"cases": numbers, "detail_rows_removed": removed},
            note=f"retention {years} years",
        )
    return Anonymised(reference=citizen.reference, case_numbers=numbers, rows_removed=removed)


def retention_run(*, today: dt.date, years: int, actor: Any = None) -> RetentionReport:
    """Anonymise every citizen due on `today` (one transaction per citizen). A citizen that
    fails is left untouched and listed in `report.failed`; the others are done."""
    report = RetentionReport(today=today, years=years, cutoff=retention_cutoff(today, years))
    for citizen_id in citizens_due(today=today, years=years):
        try:
            done = citizen_anonymise(citizen_id=citizen_id, today=today, years=years, actor=actor)
        except Exception as exc:
            # One citizen the anonymisation cannot write (its transaction rolled back) must not
            # keep the others: every nightly run would stop at the same citizen. Logged by id
            # and kind of error only: a database error's text can quote the row's values.
            logger.error("citizen %s could not be anonymised: %s", citizen_id, type(exc).__name__)
            reference = Citizen.objects.filter(pk=citizen_id).values_list("reference", flat=True)
            report.failed.append(reference.first() or str(citizen_id))
            continue
        if done is None:
            continue
        report.citizens.append(done.reference)
        report.cases.extend(done.case_numbers)
        report.rows_removed += done.rows_removed
    return report
