"""The lease and move-in: the dwelling is let, the case housed, the placement registered."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from anvis.audit.services import audit_record, snapshot
from anvis.cases.models import Case, CaseStatus, SupportStatus
from anvis.cases.models import EventKind as CaseEventKind
from anvis.cases.services import case_event, case_transition
from anvis.common import formats as fmt
from anvis.common.clock import local_today
from anvis.stock.models import Dwelling
from anvis_core.workflow import (
    VacancyState,
)

from .. import gate
from ..choices import EventKind, OfferStatus
from ..limits import REPORT_HORIZON_DAYS
from ..models import Lease, MonthlyStatement, Offer, Vacancy
from ..timeline import timeline_add
from ._common import (
    _check_org_writer_or_lead,
    _lock_offer,
    _move_vacancy,
    _user,
)
from .statement import correction_write


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
    dwelling_id = Vacancy.objects.values_list("dwelling_id", flat=True).get(
        pk=Offer.objects.values_list("vacancy_id", flat=True).get(pk=offer.pk)
    )
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
        corrections = _correct_approved_statements(actor, vacancy, lease, day)
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


def _correct_approved_statements(
    actor: Any, vacancy: Vacancy, lease: Lease, day: dt.date
) -> tuple[str, ...]:
    """A lease registered after the statement of the month it starts in (or a later one) was
    approved: those statements paid void rent for days the lease now says were let. Each such
    month gets a correction line (the frozen lines are never edited) for the difference between
    the vacancy's line as approved and as the month's statement now computes it."""
    from ..selectors import vacancy_month_owed

    approved = MonthlyStatement.objects.filter(
        organisation_id=vacancy.organisation_id, month__gte=lease.starts_on.replace(day=1)
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
        owed = vacancy_month_owed(vacancy=vacancy, month=statement.month, as_of=day)
        if owed == frozen:
            continue
        reason = _(
            "%(dwelling)s: lease registered %(registered)s, starting %(start)s; the month's void "
            "rent is %(owed)s instead of the %(approved)s approved (%(month)s)"
        ) % {
            "dwelling": vacancy.dwelling,
            "registered": fmt.date(day),
            "start": fmt.date(lease.starts_on),
            "month": fmt.month(statement.month),
            "owed": fmt.money(owed),
            "approved": fmt.money(frozen),
        }
        correction_write(
            actor=actor, statement=statement, amount=owed - frozen, reason=reason, vacancy=vacancy
        )
        done.append(
            _("The approved statement of %(month)s is corrected by %(amount)s")
            % {"month": fmt.month(statement.month), "amount": fmt.money(owed - frozen)}
        )
    return tuple(done)
