"""The lease and move-in: the dwelling is let, the case housed, the placement registered; and
the lease cancelled before move-in, which undoes that (the lease stays as a record)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from anvis.audit.services import audit_record, snapshot
from anvis.cases.models import Case, CaseStatus, SupportStatus
from anvis.cases.models import EventKind as CaseEventKind
from anvis.cases.services import case_event, case_transition
from anvis.common import formats as fmt
from anvis.common.clock import local_today
from anvis.events import publish
from anvis.permissions import Role, may_cancel_leases, user_has_role
from anvis.stock.models import Dwelling
from anvis_core.cpr import contains_cpr
from anvis_core.workflow import (
    OfferState,
    VacancyState,
    check_lease_cancel_transition,
)

from .. import gate
from ..choices import EventKind, OfferStatus
from ..limits import MAX_REASON, REPORT_HORIZON_DAYS
from ..models import Lease, MonthlyStatement, Offer, Vacancy
from ..timeline import timeline_add
from ._common import (
    _check_org_writer_or_lead,
    _lock_offer,
    _move_offer,
    _move_vacancy,
    _user,
    check_length,
)
from .statement import correction_write, lock_statements

#: The domain event of a lease cancelled before move-in (not a timeline line of its own: the
#: offer's and the vacancy's lines say what changed).
LEASE_CANCELLED = "lease.cancelled"


@dataclass(frozen=True)
class LeaseResult:
    lease: Lease
    warnings: tuple[str, ...] = ()
    placement_registered: bool = False
    corrections: tuple[str, ...] = ()
    """What was corrected on approved monthly statements (a lease starting in a month whose
    void rent was already approved), in words for the person registering the lease."""


def _register_placement(*, actor: Any, vacancy: Vacancy, case: Case, move_in_on: dt.date) -> bool:
    """Register the municipal placement in composition monitoring, when that app is installed.

    The monitoring register takes a pseudonymous case reference: the case number."""
    if not apps.is_installed("anvis.monitoring"):
        return False
    from anvis.monitoring.services import placement_register

    placement_register(
        actor=actor, dwelling=vacancy.dwelling, placed_on=move_in_on, case_ref=case.number
    )
    return True


def _lock_for_lease(actor: Any, offer: Offer) -> tuple[Vacancy, Offer, Case]:
    """Lock dwelling, vacancy, offer and case (the fixed order) and check that the offer is
    accepted and its case offered."""
    dwelling_id, organisation_id = Vacancy.objects.values_list(
        "dwelling_id", "organisation_id"
    ).get(pk=Offer.objects.values_list("vacancy_id", flat=True).get(pk=offer.pk))
    lock_statements(organisation_id)  # a late lease corrects approved months
    Dwelling.objects.select_for_update().filter(pk=dwelling_id).first()
    vacancy, offer = _lock_offer(offer)
    _check_org_writer_or_lead(actor, vacancy.organisation_id)
    if Lease.objects.filter(offer_id=offer.pk).exists():
        raise ValidationError(
            _("The lease of this offer is already registered."), code="lease_exists"
        )
    if offer.status != OfferStatus.ACCEPTED:
        raise ValidationError(
            _("A lease can only be registered for an accepted offer."),
            code="offer_not_accepted",
        )
    case = Case.objects.select_for_update().get(pk=offer.case_id)
    if case.status != CaseStatus.OFFERED:
        raise ValidationError(
            _("The citizen's case is “%(status)s”; a lease needs the case of the accepted offer.")
            % {"status": case.get_status_display()},
            code="case_not_offered",
        )
    return vacancy, offer, case


def _lease_timelines(*, actor: Any, lease: Lease, vacancy: Vacancy, case: Case) -> None:
    """The lease on the vacancy's and the case's timelines; the vacancy is let, the case housed."""
    timeline_add(
        vacancy=vacancy,
        offer=lease.offer,
        actor=_user(actor),
        kind=EventKind.LEASE,
        summary=_("Lease from %(start)s, move-in %(move_in)s, void rent %(days)s days")
        % {
            "start": fmt.date(lease.starts_on),
            "move_in": fmt.date(lease.move_in_on),
            "days": lease.void_rent_days,
        },
    )
    _move_vacancy(vacancy, VacancyState.LET, actor, case.number, offer=lease.offer)
    vacancy.save()
    case_transition(actor=actor, case=case, status=CaseStatus.HOUSED, today=lease.move_in_on)
    case_event(
        case,
        actor,
        CaseEventKind.UPDATED,
        _("Lease of dwelling %(dwelling)s from %(start)s, move-in %(move_in)s")
        % {
            "dwelling": vacancy.dwelling,
            "start": fmt.date(lease.starts_on),
            "move_in": fmt.date(lease.move_in_on),
        },
    )


def _check_lease_dates(
    signed_on: dt.date, starts_on: dt.date, move_in_on: dt.date, day: dt.date
) -> None:
    """The lease's own dates: moved into no earlier than it starts, signed no later than today,
    and starting and moved into within a year (the void rent runs until the lease starts: a
    start years ahead would bill the municipality for years; the horizon of a vacancy's
    availability)."""
    if move_in_on < starts_on:
        raise ValidationError(
            {"move_in_on": _("The move-in date cannot be before the lease starts.")}
        )
    if signed_on > day:
        raise ValidationError(
            {"signed_on": _("A lease cannot be registered as signed later than today.")}
        )
    horizon = day + dt.timedelta(days=REPORT_HORIZON_DAYS)
    far = {
        name: _("The date is more than a year ahead (after %(date)s); check it.")
        % {"date": fmt.date(horizon)}
        for name, value in (("starts_on", starts_on), ("move_in_on", move_in_on))
        if value > horizon
    }
    if far:
        raise ValidationError(far)


def _check_lease_after_offer(offer: Offer, signed_on: dt.date, starts_on: dt.date) -> None:
    """Signed and started no earlier than the offer (a lease backdated before the offer would
    also swallow the void rent owed)."""
    errors: dict[str, str] = {}
    if signed_on < offer.offered_on:
        errors["signed_on"] = _(
            "The lease cannot be signed before the offer was made (%(date)s)."
        ) % {"date": fmt.date(offer.offered_on)}
    if starts_on < offer.offered_on:
        errors["starts_on"] = _("The lease cannot start before the offer was made (%(date)s).") % {
            "date": fmt.date(offer.offered_on)
        }
    if errors:
        raise ValidationError(errors)


def lease_register(
    *,
    actor: Any,
    offer: Offer,
    signed_on: dt.date,
    starts_on: dt.date,
    move_in_on: dt.date,
    today: dt.date | None = None,
) -> LeaseResult:
    """The lease is signed: the dwelling is let, the case becomes housed, the placement is
    registered and the void rent is settled (daily rent × days from the void-rent start until
    the lease starts). Warns when the case has no decided support plan. The dates must hang
    together: signed between the offer and today, starting no earlier than the offer, moved into
    no earlier than the lease starts."""
    day = local_today(today)
    _check_lease_dates(signed_on, starts_on, move_in_on, day)
    with transaction.atomic():
        vacancy, offer, case = _lock_for_lease(actor, offer)
        _check_lease_after_offer(offer, signed_on, starts_on)
        notes = gate.lease_notes(vacancy=vacancy, offered_on=offer.offered_on, day=day)
        before = snapshot(vacancy)
        vacancy.let_from = starts_on
        account = vacancy.void_rent_on(starts_on)
        lease = Lease(
            vacancy=vacancy,
            offer=offer,
            signed_on=signed_on,
            starts_on=starts_on,
            move_in_on=move_in_on,
            void_rent_days=account.rent.days if account else 0,
            void_rent_amount=account.rent.amount if account else Decimal("0.00"),
            void_rent_payer=vacancy.void_rent_payer,
            registered_by=_user(actor),
        )
        lease.full_clean()
        lease.save()
        _lease_timelines(actor=actor, lease=lease, vacancy=vacancy, case=case)
        corrections = _correct_approved_statements(
            actor, vacancy, lease.starts_on, day, _late_lease_reason(vacancy, lease, day)
        )
        registered = _register_placement(
            actor=actor, vacancy=vacancy, case=case, move_in_on=move_in_on
        )
        warnings: list[str] = list(notes)
        if not case.support_plans.exclude(status=SupportStatus.CANCELLED).exists():
            warnings.append(_("No support plan has been decided for the citizen."))
        audit_record(actor=actor, action="vacancies.lease", instance=lease, after=snapshot(lease))
        audit_record(
            actor=actor,
            action="vacancies.let",
            instance=vacancy,
            before=before,
            after=snapshot(vacancy),
        )
    return LeaseResult(
        lease=lease,
        warnings=tuple(warnings),
        placement_registered=registered,
        corrections=corrections,
    )


StatementReason = Callable[[MonthlyStatement, Decimal, Decimal], str]
"""The reason of a correction line: the statement, the month's amount now and as paid so far."""


def _correct_approved_statements(
    actor: Any, vacancy: Vacancy, since: dt.date, day: dt.date, reason: StatementReason
) -> tuple[str, ...]:
    """A registration changed what approved months owe for the vacancy from `since` on: a
    lease registered after the statement of the month it starts in (or a later one) was
    approved (those months paid void rent for days the lease says were let), or a lease
    cancelled before move-in (the void rent runs again for the days it had stopped). Each such
    month gets a correction line (the frozen lines are never edited) for the difference between
    what the month paid for the vacancy so far (its approved line and the vacancy's earlier
    correction lines) and what the month's statement now computes."""
    from ..selectors import vacancy_month_owed

    approved = MonthlyStatement.objects.filter(
        organisation_id=vacancy.organisation_id, month__gte=since.replace(day=1)
    ).order_by("month")
    done: list[str] = []
    for statement in approved:
        frozen = sum(
            (
                Decimal(line["void_rent"]) + Decimal(line["aconto"])
                for line in statement.content["lines"]
                if line["ref"] == vacancy.pk
            ),
            Decimal("0.00"),
        )
        paid = frozen + sum(
            statement.corrections.filter(vacancy=vacancy).values_list("amount", flat=True),
            Decimal("0.00"),
        )
        owed = vacancy_month_owed(vacancy=vacancy, month=statement.month, as_of=day)
        if owed == paid:
            continue
        correction_write(
            actor=actor,
            statement=statement,
            amount=owed - paid,
            reason=reason(statement, owed, paid),
            vacancy=vacancy,
        )
        done.append(
            _("The approved statement of %(month)s is corrected by %(amount)s")
            % {"month": fmt.month(statement.month), "amount": fmt.money(owed - paid)}
        )
    return tuple(done)


def _late_lease_reason(vacancy: Vacancy, lease: Lease, day: dt.date) -> StatementReason:
    def reason(statement: MonthlyStatement, owed: Decimal, paid: Decimal) -> str:
        return _(
            "%(dwelling)s: lease registered %(registered)s, starting %(start)s; the month's void "
            "rent is %(owed)s instead of the %(approved)s approved (%(month)s)"
        ) % {
            "dwelling": vacancy.dwelling,
            "registered": fmt.date(day),
            "start": fmt.date(lease.starts_on),
            "month": fmt.month(statement.month),
            "owed": fmt.money(owed),
            "approved": fmt.money(paid),
        }

    return reason


def _cancelled_lease_reason(vacancy: Vacancy, lease: Lease) -> StatementReason:
    def reason(statement: MonthlyStatement, owed: Decimal, paid: Decimal) -> str:
        assert lease.cancelled_on is not None
        return _(
            "%(dwelling)s: the lease from %(start)s was cancelled before move-in on "
            "%(cancelled)s; the month's void rent is %(owed)s instead of the %(approved)s paid "
            "(%(month)s)"
        ) % {
            "dwelling": vacancy.dwelling,
            "start": fmt.date(lease.starts_on),
            "cancelled": fmt.date(lease.cancelled_on),
            "month": fmt.month(statement.month),
            "owed": fmt.money(owed),
            "approved": fmt.money(paid),
        }

    return reason


# --- the lease cancelled before move-in -----------------------------------------------------------


@dataclass(frozen=True)
class LeaseCancelResult:
    lease: Lease
    corrections: tuple[str, ...] = ()
    """The approved monthly statements corrected (the void rent runs again), in words."""


def tenant_moved_in(lease: Lease) -> bool:
    """Whether the tenant is known to have moved in, so the lease can no longer be cancelled
    before move-in: the tenancy follow-up has an event of its own (a confirmed move-in, arrears,
    a notice …; read through the relation's name, as the tenancy app lies above this one), or a
    guarantee claim was made on the lease."""
    return (
        Lease.objects.filter(pk=lease.pk, tenancy__events__isnull=False).exists()
        or lease.guarantee_claims.exists()
    )


def _lock_for_cancel(actor: Any, lease: Lease) -> tuple[Vacancy, Offer, Lease, Case]:
    """Lock dwelling, vacancy, offer, lease and case (the fixed order) and check that the lease
    is a municipal offer's, standing, and its vacancy let."""
    vacancy_id, offer_id = Lease.objects.values_list("vacancy_id", "offer_id").get(pk=lease.pk)
    dwelling_id, organisation_id = Vacancy.objects.values_list(
        "dwelling_id", "organisation_id"
    ).get(pk=vacancy_id)
    lock_statements(organisation_id)  # the void rent runs again in approved months
    Dwelling.objects.select_for_update().filter(pk=dwelling_id).first()
    if offer_id is None:
        raise ValidationError(
            _("Only a lease through a municipal offer can be cancelled here."), code="no_offer"
        )
    vacancy, offer = _lock_offer(Offer(pk=offer_id))
    if not may_cancel_leases(actor, vacancy):
        raise PermissionDenied
    lease = Lease.objects.select_for_update().get(pk=lease.pk)
    if lease.is_cancelled:
        raise ValidationError(
            _("The lease was already cancelled on %(date)s.")
            % {"date": fmt.date(lease.cancelled_on)},
            code="lease_cancelled",
        )
    others = Vacancy.objects.open().filter(dwelling_id=dwelling_id).exclude(pk=vacancy.pk)
    if others.exists():
        raise ValidationError(
            _("The dwelling has been reported vacant again since; that vacancy comes first."),
            code="vacancy_reopened",
        )
    case = Case.objects.select_for_update().get(pk=offer.case_id)
    return vacancy, offer, lease, case


def _check_cancel(lease: Lease, cancelled_on: dt.date, reason: str, day: dt.date) -> None:
    """The cancellation's own values: dated between the signing day and today, with a reason
    that holds no CPR number."""
    errors: dict[str, str] = {}
    if cancelled_on < lease.signed_on:
        errors["cancelled_on"] = _(
            "The lease cannot be cancelled before it was signed (%(date)s)."
        ) % {"date": fmt.date(lease.signed_on)}
    elif cancelled_on > day:
        errors["cancelled_on"] = _("The cancellation cannot be dated later than today.")
    if not reason.strip():
        errors["reason"] = _("Give the reason the lease was cancelled before move-in.")
    elif contains_cpr(reason):
        # The reason is told to the organisation's staff and the caseworker (notification and
        # e-mail), whose texts never hold a CPR number.
        errors["reason"] = _(
            "Do not write CPR numbers here: the reason is sent to the housing organisation and "
            "the caseworker."
        )
    if errors:
        raise ValidationError(errors)
    check_length("reason", reason, MAX_REASON)  # as the page's and the API's fields limit it
    if tenant_moved_in(lease):
        raise ValidationError(
            _(
                "The tenant has moved in (the tenancy has events of its own), so the lease "
                "cannot be cancelled before move-in; report the move-out on the tenancy instead."
            ),
            code="moved_in",
        )


def _cancel_timelines(
    *, actor: Any, lease: Lease, vacancy: Vacancy, offer: Offer, case: Case, day: dt.date
) -> None:
    """The offer ends, the dwelling is the municipality's again (accepted, ready for a new
    offer), and the case waits again with its waiting-since (so its priority) unchanged."""
    summary = _("Lease cancelled before move-in on %(date)s") % {
        "date": fmt.date(lease.cancelled_on)
    }
    _move_offer(offer, OfferState.LEASE_CANCELLED, actor, summary)
    offer.save()
    _move_vacancy(
        vacancy,
        VacancyState.ACCEPTED,
        actor,
        summary,
        offer=offer,
        check=check_lease_cancel_transition,
    )
    vacancy.save()
    if case.status in (CaseStatus.HOUSED, CaseStatus.FOLLOW_UP):
        case_transition(actor=actor, case=case, status=CaseStatus.WAITING, today=day)
    case_event(
        case,
        actor,
        CaseEventKind.UPDATED,
        _(
            "The lease of dwelling %(dwelling)s from %(start)s was cancelled before move-in on "
            "%(date)s; the case is waiting again (waiting since %(since)s, unchanged)"
        )
        % {
            "dwelling": vacancy.dwelling,
            "start": fmt.date(lease.starts_on),
            "date": fmt.date(lease.cancelled_on),
            "since": fmt.date(case.waiting_since),
        },
        note=lease.cancellation_reason,
    )


def _withdraw_placement(*, actor: Any, vacancy: Vacancy, lease: Lease, case: Case) -> None:
    """The placement the lease registered leaves composition monitoring (and its caps)."""
    if not apps.is_installed("anvis.monitoring"):
        return
    from anvis.monitoring.services import placement_withdraw

    placement_withdraw(
        actor=actor,
        dwelling_id=vacancy.dwelling_id,
        placed_on=lease.move_in_on,
        case_ref=case.number,
    )


def lease_cancel(
    *,
    actor: Any,
    lease: Lease,
    cancelled_on: dt.date,
    reason: str,
    today: dt.date | None = None,
) -> LeaseCancelResult:
    """The lease of a municipal offer is cancelled before the tenant moves in (the citizen
    withdraws, disappears, or the lease is annulled): by the allocation lead or the dwelling's
    organisation, dated between the signing day and today, with a reason, while the tenant is
    not known to have moved in (:func:`tenant_moved_in`). The lease is kept, marked cancelled;
    the offer ends (`lease_cancelled`); the vacancy is accepted again, ready for a new offer,
    with its turn unchanged; void rent runs again from its start as if the lease had never been
    signed (approved statements get correction lines); the placement leaves composition
    monitoring; the case waits again; the tenancy follow-up removes the tenancy (event
    `lease.cancelled`, in the transaction), and the caseworker and the other party are told
    after commit."""
    day = local_today(today)
    with transaction.atomic():
        vacancy, offer, lease, case = _lock_for_cancel(actor, lease)
        _check_cancel(lease, cancelled_on, reason, day)
        lease_before, vacancy_before = snapshot(lease), snapshot(vacancy)
        lease.cancelled_on = cancelled_on
        lease.cancellation_reason = reason.strip()
        lease.cancelled_by = _user(actor)
        lease.full_clean()
        lease.save()
        vacancy.let_from = None  # the void rent runs again from its start
        _cancel_timelines(
            actor=actor, lease=lease, vacancy=vacancy, offer=offer, case=case, day=day
        )
        corrections = _correct_approved_statements(
            actor, vacancy, lease.starts_on, day, _cancelled_lease_reason(vacancy, lease)
        )
        _withdraw_placement(actor=actor, vacancy=vacancy, lease=lease, case=case)
        audit_record(
            actor=actor,
            action="vacancies.lease_cancel",
            instance=lease,
            before=lease_before,
            after=snapshot(lease),
        )
        audit_record(
            actor=actor,
            action="vacancies.lease_cancel_reopen",
            instance=vacancy,
            before=vacancy_before,
            after=snapshot(vacancy),
        )
        publish(
            LEASE_CANCELLED,
            actor=actor,
            organisation_id=vacancy.organisation_id,
            lease_id=lease.pk,
            vacancy_id=vacancy.pk,
            offer_id=offer.pk,
            case_id=case.pk,
            by_organisation=user_has_role(actor, {Role.ORGANISATION}),
        )
    return LeaseCancelResult(lease=lease, corrections=corrections)
