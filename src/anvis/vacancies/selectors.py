"""Reads for the vacancy pages: lists scoped to the user's organisations, the allocation lead's
inbox, the eligibility check shown with an offer, the timeline and the void-rent statement."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from anvis_core.quotas import Quarter
from anvis_core.workflow import is_overdue, working_days_left
from anvis_core.workflow.statement import (
    GuaranteePayment,
    MonthStatement,
    VacancyMoney,
    month_bounds,
    month_statement,
)
from anvis_core.workflow.void_rent import VoidRentAccount, VoidRentConvention

from .choices import ClaimStatus, GuaranteeKindChoice, OfferStatus, VacancyStatus
from .models import (
    GuaranteeClaim,
    Lease,
    MonthlyStatement,
    Offer,
    Vacancy,
    VacancyEvent,
    VacancyQuerySet,
)


def vacancy_list(*, user: Any, status: str | None = None) -> QuerySet[Vacancy]:
    qs = Vacancy.objects.restrict(user).select_related(
        "organisation", "dwelling__entrance__department", "turn_record"
    )
    if status == "open":
        qs = qs.open()
    elif status:
        qs = qs.filter(status=status)
    return qs.order_by("-report_date", "-pk")


def vacancy_get(*, user: Any, pk: int) -> Vacancy:
    return get_object_or_404(
        Vacancy.objects.restrict(user).select_related(
            "organisation", "dwelling__entrance__department", "turn_record__version"
        ),
        pk=pk,
    )


def offer_get(*, user: Any, pk: int) -> Offer:
    return get_object_or_404(
        Offer.objects.restrict(user).select_related("vacancy__dwelling", "case__citizen"),
        pk=pk,
    )


@dataclass(frozen=True)
class InboxRow:
    vacancy: Vacancy
    deadline: dt.date | None
    working_days_left: int | None
    overdue: bool = False

    @property
    def colour(self) -> str:
        if self.working_days_left is None:
            return "grey"
        if self.overdue or self.working_days_left <= 0:
            return "red"
        if self.working_days_left <= 2:
            return "yellow"
        return "green"


def answer_deadline(vacancy: Vacancy, today: dt.date) -> InboxRow:
    """The municipality's answer deadline as the inbox and the vacancy page show it: the working
    days left, and overdue by the rule that refuses a late answer and expires the vacancy
    (`is_overdue`): on the Saturday after a Friday deadline no working day has passed, yet the
    answer is late."""
    deadline = vacancy.response_deadline
    return InboxRow(
        vacancy=vacancy,
        deadline=deadline,
        working_days_left=working_days_left(deadline, today) if deadline else None,
        overdue=is_overdue(deadline, today),
    )


def inbox(*, user: Any, today: dt.date) -> list[InboxRow]:
    """Vacancies awaiting the municipality's answer, the nearest deadline first."""
    qs = vacancy_list(user=user, status=VacancyStatus.MUNICIPAL)
    rows = [answer_deadline(v, today) for v in qs]
    rows.sort(key=lambda r: (r.deadline is None, r.deadline or dt.date.max, r.vacancy.pk))
    return rows


def vacancy_timeline(vacancy: Vacancy) -> list[VacancyEvent]:
    return list(vacancy.events.select_related("actor", "offer").order_by("at", "pk"))


def running_leases() -> QuerySet[Lease]:
    """Leases through the agreement (an accepted offer) whose tenancy is not recorded as ended:
    the citizen is housed (the gate's rule ``housed``, the citizen pool). The tenancy app
    records the end (``Tenancy.ended_on``); it is read through the relation's name, as this app
    lies below it."""
    return Lease.objects.filter(offer__status=OfferStatus.ACCEPTED).filter(
        Q(tenancy__isnull=True) | Q(tenancy__ended_on__isnull=True)
    )


@dataclass(frozen=True)
class VoidRentLine:
    """One void-rent run the municipality paid that ended: the lease started (its settled days
    and amount) or the dwelling was handed back (the vacancy's account on that day)."""

    vacancy: Vacancy
    organisation: str
    dwelling: str
    ended_on: dt.date
    handed_back: bool
    days: int
    amount: Decimal


def settled_void_rent(
    *, start: dt.date, end: dt.date, vacancies: VacancyQuerySet | None = None
) -> list[VoidRentLine]:
    """The one reading of void rent settled in a period, for the void-rent page, its download and
    the steering group's report: the runs the municipality pays (void rent the organisation bears
    itself is no payment) that ended between ``start`` and ``end`` (both included), by a lease's
    start (the days and amount settled on the lease) or by a hand-back (the vacancy's account on
    that day). Who pays is `VacancyQuerySet.municipality_pays`, as on the monthly statements.
    Runs still going are "void rent right now" (:func:`void_rent_now`); the monthly
    statements pay the days month by month."""
    scope = vacancies if vacancies is not None else Vacancy.objects.all()
    lines = [
        VoidRentLine(
            vacancy=lease.vacancy,
            organisation=lease.vacancy.organisation.name,
            dwelling=str(lease.vacancy.dwelling),
            ended_on=lease.starts_on,
            handed_back=False,
            days=lease.void_rent_days,
            amount=lease.void_rent_amount,
        )
        for lease in Lease.objects.standing()
        .filter(
            vacancy__in=scope.municipality_pays(),
            starts_on__gte=start,
            starts_on__lte=end,
            void_rent_days__gt=0,
        )
        .select_related("vacancy__organisation", "vacancy__dwelling__entrance")
    ]
    handed_back = (
        scope.municipality_pays()
        .exclude(pk__in=Lease.objects.standing().values("vacancy_id"))
        .filter(
            handed_back_on__gte=start,
            handed_back_on__lte=end,
            void_rent_start__isnull=False,
        )
        .select_related("organisation", "dwelling__entrance")
    )
    for vacancy in handed_back:
        assert vacancy.handed_back_on is not None
        account = vacancy.void_rent_on(vacancy.handed_back_on)
        if account is not None and account.rent.days > 0:
            lines.append(
                VoidRentLine(
                    vacancy=vacancy,
                    organisation=vacancy.organisation.name,
                    dwelling=str(vacancy.dwelling),
                    ended_on=vacancy.handed_back_on,
                    handed_back=True,
                    days=account.rent.days,
                    amount=account.rent.amount,
                )
            )
    lines.sort(key=lambda line: (line.organisation, line.ended_on, line.vacancy.pk))
    return lines


@dataclass(frozen=True)
class VoidRentStatement:
    quarter: Quarter
    as_of: dt.date
    lines: list[VoidRentLine]
    total_days: int
    total_amount: Decimal
    per_organisation: list[tuple[str, int, Decimal]]


def void_rent_statement(*, user: Any, quarter: Quarter, today: dt.date) -> VoidRentStatement:
    """The void rent the municipality paid for the runs that ended in the quarter, up to today
    (:func:`settled_void_rent`), per organisation (organisation staff see their own only)."""
    as_of = min(quarter.end, today)
    lines = settled_void_rent(
        start=quarter.start, end=as_of, vacancies=Vacancy.objects.restrict(user)
    )
    per_org: dict[str, list[Any]] = {}
    for line in lines:
        entry = per_org.setdefault(line.organisation, [0, Decimal("0.00")])
        entry[0] += line.days
        entry[1] += line.amount
    return VoidRentStatement(
        quarter=quarter,
        as_of=as_of,
        lines=lines,
        total_days=sum(line.days for line in lines),
        total_amount=sum((line.amount for line in lines), Decimal("0.00")),
        per_organisation=[(name, days, amount) for name, (days, amount) in per_org.items()],
    )


@dataclass(frozen=True)
class VoidRentNowRow:
    vacancy: Vacancy
    account: VoidRentAccount


@dataclass(frozen=True)
class VoidRentNow:
    """Void rent running right now: the dwellings the municipality has accepted and not yet let
    or handed back, each with its account through `day` (`Vacancy.void_rent_on`)."""

    day: dt.date
    rows: list[VoidRentNowRow]
    per_organisation: list[tuple[str, int, int, Decimal]]  # name, dwellings, days, amount
    total_days: int
    total_amount: Decimal


def void_rent_now(*, user: Any, day: dt.date, organisation_id: int | None = None) -> VoidRentNow:
    """Tomgangsleje lige nu, scoped to the user's organisations (organisation staff see their
    own); `organisation_id` narrows it to one organisation."""
    qs = (
        # What the municipality pays: void rent the organisation bears itself is not listed.
        Vacancy.objects.restrict(user)
        .municipality_pays()
        .filter(
            # Still running: accepted or offered, or let with a lease that has not started
            # (void rent runs until the lease starts, as the vacancy's own page says).
            Q(status__in=(VacancyStatus.ACCEPTED, VacancyStatus.OFFERED))
            | Q(status=VacancyStatus.LET, let_from__gt=day),
            void_rent_start__isnull=False,
        )
        .select_related("organisation", "dwelling__entrance")
        .order_by("organisation__name", "void_rent_start", "pk")
    )
    if organisation_id is not None:
        qs = qs.filter(organisation_id=organisation_id)
    rows = []
    for vacancy in qs:
        account = vacancy.void_rent_on(day)
        # A lease from the first void-rent day on has closed the account at nothing.
        if account is not None and account.running:
            rows.append(VoidRentNowRow(vacancy=vacancy, account=account))
    per_org: dict[str, list[Any]] = {}
    for row in rows:
        entry = per_org.setdefault(row.vacancy.organisation.name, [0, 0, Decimal("0.00")])
        entry[0] += 1
        entry[1] += row.account.rent.days
        entry[2] += row.account.rent.amount
    return VoidRentNow(
        day=day,
        rows=rows,
        per_organisation=[(name, n, days, amount) for name, (n, days, amount) in per_org.items()],
        total_days=sum(r.account.rent.days for r in rows),
        total_amount=sum((r.account.rent.amount for r in rows), Decimal("0.00")),
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


# --- monthly statements ---------------------------------------------------------------------------


def vacancy_money(v: Vacancy) -> VacancyMoney:
    """What a monthly statement needs to know of one vacancy."""
    return VacancyMoney(
        ref=v.pk,
        label=str(v.dwelling),
        monthly_rent=v.rent_at_letting,
        monthly_aconto=v.aconto_during_vacancy,
        start=v.void_rent_start,
        end=v.let_from or v.handed_back_on,
        convention=v.void_rent_convention or VoidRentConvention.DAILY,
    )


def vacancy_month_owed(*, vacancy: Vacancy, month: dt.date, as_of: dt.date) -> Decimal:
    """The vacancy's line of the month's statement as it stands on `as_of` (void rent and a
    conto; 0 when the municipality does not pay it): the same rule as :func:`statement_compute`,
    for one vacancy instead of the organisation's every one."""
    if not vacancy.municipality_pays or vacancy.void_rent_start is None:
        return Decimal("0.00")
    statement = month_statement(month=month, as_of=as_of, vacancies=[vacancy_money(vacancy)])
    return sum((line.total for line in statement.lines), Decimal("0.00"))


def statement_compute(*, organisation_id: int, month: dt.date, as_of: dt.date) -> MonthStatement:
    """The organisation's statement for the month as it stands on `as_of`: void rent the
    municipality pays (payer: the municipality) per vacancy and the guarantee claims approved in
    the month. The one rule is `anvis_core.workflow.statement.month_statement`."""
    first, nxt = month_bounds(month)
    vacancies = (
        Vacancy.objects.municipality_pays()
        .filter(
            organisation_id=organisation_id,
            void_rent_start__isnull=False,
            void_rent_start__lt=nxt,
        )
        .exclude(let_from__lte=first)
        .exclude(handed_back_on__lte=first)
        .select_related("dwelling__entrance")
    )
    claims = GuaranteeClaim.objects.filter(
        lease__vacancy__organisation_id=organisation_id,
        status=ClaimStatus.APPROVED,
        decided_on__gte=first,
        decided_on__lt=nxt,
    ).select_related("lease__vacancy__dwelling__entrance")
    return month_statement(
        month=first,
        as_of=as_of,
        vacancies=[vacancy_money(v) for v in vacancies],
        guarantees=[
            GuaranteePayment(
                ref=c.pk,
                label=str(c.lease.vacancy.dwelling),
                kind=str(c.get_kind_display()),
                decided_on=c.decided_on,
                amount=c.amount,
            )
            for c in claims
            if c.decided_on is not None
        ],
    )


def statement_approved(*, organisation_id: int, month: dt.date) -> MonthlyStatement | None:
    return (
        MonthlyStatement.objects.filter(organisation_id=organisation_id, month=month.replace(day=1))
        .prefetch_related("corrections__vacancy__dwelling__entrance")
        .first()
    )
