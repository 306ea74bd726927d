"""Reads for the vacancy pages: lists scoped to the user's organisations, the allocation lead's
inbox, the eligibility check shown with an offer, the timeline and the void-rent statement."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from anvis.cases.domain import case_max_rent, case_room_need
from anvis.cases.models import Case, CaseStatus
from anvis.permissions import is_municipal
from anvis_core.quotas import Quarter
from anvis_core.workflow import is_overcrowded, working_days_left

from .models import (
    ClaimStatus,
    GuaranteeClaim,
    GuaranteeKindChoice,
    Lease,
    Offer,
    OfferStatus,
    Vacancy,
    VacancyEvent,
    VacancyStatus,
)


def vacancy_list(*, user: Any, status: str | None = None) -> QuerySet[Vacancy]:
    qs = Vacancy.objects.restrict(user).select_related(
        "organisation", "dwelling__entrance__department"
    )
    if status == "open":
        qs = qs.open()
    elif status:
        qs = qs.filter(status=status)
    return qs.order_by("-report_date", "-pk")


def vacancy_get(*, user: Any, pk: int) -> Vacancy:
    vacancy = (
        Vacancy.objects.restrict(user)
        .select_related("organisation", "dwelling__entrance__department", "turn_record__version")
        .filter(pk=pk)
        .first()
    )
    if vacancy is None:
        raise Http404
    return vacancy


def offer_get(*, user: Any, pk: int) -> Offer:
    offer = (
        Offer.objects.restrict(user)
        .select_related("vacancy__dwelling", "case__citizen")
        .filter(pk=pk)
        .first()
    )
    if offer is None:
        raise Http404
    return offer


@dataclass(frozen=True)
class InboxRow:
    vacancy: Vacancy
    deadline: dt.date | None
    working_days_left: int | None

    @property
    def colour(self) -> str:
        if self.working_days_left is None:
            return "grey"
        if self.working_days_left <= 0:
            return "red"
        if self.working_days_left <= 2:
            return "yellow"
        return "green"


def inbox(*, user: Any, today: dt.date) -> list[InboxRow]:
    """Vacancies awaiting the municipality's answer, the nearest deadline first."""
    qs = vacancy_list(user=user, status=VacancyStatus.MUNICIPAL)
    rows = [
        InboxRow(
            vacancy=v,
            deadline=v.response_deadline,
            working_days_left=working_days_left(v.response_deadline, today)
            if v.response_deadline
            else None,
        )
        for v in qs
    ]
    rows.sort(key=lambda r: (r.deadline is None, r.deadline or dt.date.max, r.vacancy.pk))
    return rows


@dataclass(frozen=True)
class Check:
    label: str
    ok: bool | None  # None: not known
    detail: str


def offer_eligibility(*, case: Case, vacancy: Vacancy) -> list[Check]:
    """The checks a caseworker sees before offering (not binding: the caseworker judges)."""
    dwelling = vacancy.dwelling
    checks: list[Check] = []
    max_rent = case_max_rent(case).amount
    if max_rent is None:
        checks.append(Check(_("Rent"), None, _("The citizen's maximum rent is not known.")))
    else:
        checks.append(
            Check(
                _("Rent"),
                vacancy.rent_at_letting <= max_rent,
                _("Rent %(rent)s kr, the citizen's maximum %(max)s kr.")
                % {"rent": vacancy.rent_at_letting, "max": max_rent},
            )
        )
    need = case_room_need(case)
    checks.append(
        Check(
            _("Rooms"),
            need.fits(dwelling.rooms),
            _("%(rooms)s rooms; the household needs %(min)s–%(max)s.")
            % {"rooms": dwelling.rooms, "min": need.min_rooms, "max": need.max_rooms},
        )
    )
    checks.append(
        Check(
            _("Persons per room"),
            not is_overcrowded(need.persons, dwelling.rooms),
            _("%(persons)s persons in %(rooms)s rooms (at most 2 per room).")
            % {"persons": need.persons, "rooms": dwelling.rooms},
        )
    )
    for needed, has, label in (
        (case.needs_step_free, dwelling.step_free, _("Step-free access")),
        (case.needs_elevator, dwelling.elevator, _("Elevator")),
        (case.needs_wheelchair, dwelling.wheelchair, _("Wheelchair-accessible")),
    ):
        if needed:
            checks.append(
                Check(label, bool(has), _("Needed; the dwelling has it.") if has else _("Needed."))
            )
    districts = case.district_list
    district = dwelling.entrance.department.district
    if districts:
        checks.append(
            Check(
                _("District"),
                district in districts,
                _("%(district)s; wished: %(wished)s.")
                % {"district": district or "–", "wished": ", ".join(districts)},
            )
        )
    return checks


def offer_candidates(*, user: Any, today: dt.date) -> QuerySet[Case]:
    """Waiting, unpaused cases without an active offer, by priority (until matching lands)."""
    if not is_municipal(user):
        return Case.objects.none()
    return (
        Case.objects.filter(status=CaseStatus.WAITING)
        .exclude(parked_until__gte=today)
        .exclude(offers__status__in=[OfferStatus.PENDING, OfferStatus.ACCEPTED])
        .select_related("citizen")
        .order_by("-priority_total", "waiting_since", "pk")
    )


def vacancy_timeline(vacancy: Vacancy) -> list[VacancyEvent]:
    return list(vacancy.events.select_related("actor", "offer").order_by("at", "pk"))


@dataclass(frozen=True)
class VoidRentLine:
    lease: Lease
    organisation: str
    dwelling: str


@dataclass(frozen=True)
class VoidRentStatement:
    quarter: Quarter
    lines: list[VoidRentLine]
    total_days: int
    total_amount: Decimal
    per_organisation: list[tuple[str, int, Decimal]]


def void_rent_statement(*, user: Any, quarter: Quarter) -> VoidRentStatement:
    """Void rent of the leases that started in the quarter, per organisation (organisation
    staff see their own organisations only)."""
    leases = (
        Lease.objects.restrict(user)
        .filter(starts_on__gte=quarter.start, starts_on__lte=quarter.end, void_rent_days__gt=0)
        .select_related("vacancy__organisation", "vacancy__dwelling__entrance")
        .order_by("vacancy__organisation__name", "starts_on", "pk")
    )
    lines = [
        VoidRentLine(
            lease=lease,
            organisation=lease.vacancy.organisation.name,
            dwelling=str(lease.vacancy.dwelling),
        )
        for lease in leases
    ]
    per_org = [
        (row["vacancy__organisation__name"], row["days"], row["amount"])
        for row in leases.order_by()
        .values("vacancy__organisation__name")
        .annotate(days=Sum("void_rent_days"), amount=Sum("void_rent_amount"))
        .order_by("vacancy__organisation__name")
    ]
    return VoidRentStatement(
        quarter=quarter,
        lines=lines,
        total_days=sum(line.lease.void_rent_days for line in lines),
        total_amount=sum((line.lease.void_rent_amount for line in lines), Decimal("0")),
        per_organisation=per_org,
    )


@dataclass(frozen=True)
class ClaimTotals:
    quarter: Quarter
    claims: list[GuaranteeClaim]
    # (organisation, kind label, status label, count, amount)
    totals: list[tuple[str, str, str, int, int]]
    approved_total: int


def guarantee_claims(*, user: Any, quarter: Quarter) -> ClaimTotals:
    """Guarantee claims submitted in the quarter, with totals per organisation, kind and
    status (organisation staff see their own organisations only)."""
    qs = (
        GuaranteeClaim.objects.restrict(user)
        .filter(submitted_on__gte=quarter.start, submitted_on__lte=quarter.end)
        .select_related("lease__vacancy__organisation", "lease__vacancy__dwelling__entrance")
        .order_by("lease__vacancy__organisation__name", "submitted_on", "pk")
    )
    claims = list(qs)
    kinds = dict(GuaranteeKindChoice.choices)
    statuses = dict(ClaimStatus.choices)
    totals = [
        (
            row["lease__vacancy__organisation__name"],
            str(kinds[row["kind"]]),
            str(statuses[row["status"]]),
            row["n"],
            row["amount"],
        )
        for row in qs.order_by()
        .values("lease__vacancy__organisation__name", "kind", "status")
        .annotate(n=Count("pk"), amount=Sum("amount"))
        .order_by("lease__vacancy__organisation__name", "kind", "status")
    ]
    approved = sum(c.amount for c in claims if c.status == ClaimStatus.APPROVED)
    return ClaimTotals(quarter=quarter, claims=claims, totals=totals, approved_total=approved)
