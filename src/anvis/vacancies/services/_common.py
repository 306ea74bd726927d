"""What the flow's services share: locking in the fixed order, the state-machine moves with
their timeline events, the ledger's outcome and the organisation check."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from anvis.agreements.models import TurnRecord
from anvis.agreements.services import turn_outcome_set
from anvis.audit.services import acting_user
from anvis.permissions import LEAD, Role, can_write_organisation, is_municipal, user_has_role
from anvis_core.quotas import Outcome, can_set_outcome
from anvis_core.workflow import (
    OfferState,
    TransitionNotAllowed,
    VacancyState,
    check_offer_transition,
    check_vacancy_transition,
)

from ..choices import EventKind, OfferStatus, VacancyStatus
from ..models import Lease, Offer, Vacancy
from ..timeline import timeline_add

SYSTEM_EXPIRY = "system:expire_vacancies"

_user = acting_user


def check_length(field: str, text: str, limit: int) -> None:
    """A written text within its limit (`limits.py`), as it is stored (stripped); otherwise a
    refusal naming the field. The page's and the API's fields read the same limit."""
    count = len(text.strip())
    if count > limit:
        raise ValidationError(
            {
                field: _("The text may be at most %(n)d characters (it has %(count)d).")
                % {"n": limit, "count": count}
            },
            code="too_long",
        )


def _lock_vacancy(vacancy: Vacancy) -> Vacancy:
    return (
        Vacancy.objects.select_for_update(of=("self",))
        .select_related("dwelling", "turn_record")
        .get(pk=vacancy.pk)
    )


def check_not_leased(offer: Offer) -> None:
    """An offer whose lease is signed is final: no answer, decline, withdrawal or rejection."""
    if Lease.objects.filter(offer=offer).exists():
        raise ValidationError(
            _("The lease is signed; the offer can no longer be changed."), code="offer_leased"
        )


def _lock_offer(offer: Offer) -> tuple[Vacancy, Offer]:
    """Lock an offer's vacancy first, then the offer (the fixed order)."""
    vacancy_id = Offer.objects.values_list("vacancy_id", flat=True).get(pk=offer.pk)
    vacancy = (
        Vacancy.objects.select_for_update(of=("self",))
        .select_related("dwelling")
        .get(pk=vacancy_id)
    )
    locked = Offer.objects.select_for_update().get(pk=offer.pk)
    locked.vacancy = vacancy
    return vacancy, locked


def _vacancy_label(state: str) -> str:
    return str(VacancyStatus(state).label)


def _offer_label(state: str) -> str:
    return str(OfferStatus(state).label)


def _move_vacancy(
    vacancy: Vacancy,
    target: VacancyState,
    actor: Any,
    summary: str = "",
    offer: Offer | None = None,
    message: str | None = None,
    check: Callable[[VacancyState, VacancyState], None] = check_vacancy_transition,
) -> None:
    """Apply one vacancy transition (the row is locked) with its timeline event; `check` is
    the state machine that allows it (the vacancy's table, or the lease cancellation's way
    back)."""
    current = VacancyState(vacancy.status)
    try:
        check(current, target)
    except TransitionNotAllowed:
        raise ValidationError(
            message
            or _("The vacancy cannot go from “%(current)s” to “%(target)s”.")
            % {"current": _vacancy_label(current), "target": _vacancy_label(target)},
            code="vacancy_transition",
        ) from None
    vacancy.status = target.value
    timeline_add(
        vacancy=vacancy,
        offer=offer,
        actor=_user(actor),
        kind=EventKind.STATUS,
        from_status=current.value,
        to_status=target.value,
        summary=summary,
    )


def _move_offer(offer: Offer, target: OfferState, actor: Any, summary: str = "") -> None:
    current = OfferState(offer.status)
    try:
        check_offer_transition(current, target)
    except TransitionNotAllowed:
        raise ValidationError(
            _("The offer is “%(current)s” and can no longer be changed to “%(target)s”.")
            % {"current": _offer_label(current), "target": _offer_label(target)},
            code="offer_transition",
        ) from None
    offer.status = target.value
    timeline_add(
        vacancy=offer.vacancy,
        offer=offer,
        actor=_user(actor),
        kind=EventKind.OFFER,
        from_status=current.value,
        to_status=target.value,
        summary=summary,
    )


def _settle_turn(vacancy: Vacancy, outcome: Outcome, actor: Any) -> None:
    """Tell the ledger what happened, when the turn record can take that outcome (a voluntary
    vacancy on an ordinary turn only counts when the municipality accepts it, as an extra)."""
    record = vacancy.turn_record
    if record is None:
        return
    record = TurnRecord.objects.get(pk=record.pk)
    if record.outcome == outcome.value or not record.eligible:
        return
    if can_set_outcome(Outcome(record.outcome), outcome):
        turn_outcome_set(record=record, outcome=outcome.value, actor=actor)


def _check_lead(actor: Any) -> None:
    """The municipality's answer to a vacancy is the allocation lead's (`permissions.LEAD`)."""
    if not user_has_role(actor, LEAD):
        raise PermissionDenied


def _check_municipal(actor: Any) -> None:
    """Offers are made and answered on the municipality's side (`permissions.is_municipal`)."""
    if not is_municipal(actor):
        raise PermissionDenied


def _check_org_writer(actor: Any, organisation_id: int) -> None:
    if not can_write_organisation(actor, organisation_id):
        raise PermissionDenied


def _check_org_writer_or_lead(actor: Any, organisation_id: int) -> None:
    """Leases are registered by the organisation, or by the allocation lead on its behalf."""
    if user_has_role(actor, {Role.ALLOCATION_LEAD}):
        return
    _check_org_writer(actor, organisation_id)


def cpr_in_reason_message() -> str:
    """The refusal of a reason holding a CPR number: a hand-back's and a statement correction's
    reasons are sent to the housing organisation (notification and e-mail), whose texts never
    hold one (`anvis_core.cpr.contains_cpr`)."""
    return _("Do not write CPR numbers here: the reason is sent to the housing organisation.")
