"""Writes for the flow from vacancy report to move-in.

Each service owns one transaction, asks `anvis_core.workflow` whether the transition is allowed,
writes the vacancy's timeline, the case's timeline and the audit trail.

Lock order (always the same, so two services never wait on each other in a circle):
dwelling → vacancy → offer → case → turn record. Every service that changes a vacancy or one of
its offers locks the vacancy row first; two people accepting or offering the same vacancy at the
same moment are therefore serialised, and the second sees the new state and gets a clear message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anvis.agreements.models import HandheldRequest, HandheldStatus, TurnRecord, VoidRentFrom
from anvis.agreements.services import handheld_request_close, turn_decide, turn_outcome_set
from anvis.audit.services import audit_record, snapshot
from anvis.cases.models import Case, CaseEvent, CaseStatus, SupportStatus
from anvis.cases.models import EventKind as CaseEventKind
from anvis.cases.services import case_park, case_transition
from anvis.notifications import services as notifications
from anvis.permissions import LEAD, Role, can_write_organisation, user_has_role
from anvis.stock.models import Dwelling
from anvis_core.quotas import Outcome, can_set_outcome
from anvis_core.workflow import (
    DEFAULT_OFFER_RESPONSE_WORKING_DAYS,
    DeclineReason,
    OfferState,
    RejectionGround,
    TransitionNotAllowed,
    VacancyState,
    can_accept_on,
    check_offer_transition,
    check_vacancy_transition,
    decline_pause_days,
    decline_side,
    is_overdue,
    offer_deadline,
    response_deadline,
)
from anvis_core.workflow.guarantee import (
    ClaimProblem,
    GuaranteeKind,
    GuaranteeTerms,
    check_guarantee_claim,
)
from anvis_core.workflow.statement import as_record, content_hash
from anvis_core.workflow.void_rent import VoidRentConvention, void_rent_start

from . import gate
from .models import (
    ClaimStatus,
    EventKind,
    GuaranteeClaim,
    GuaranteeKindChoice,
    Lease,
    MonthlyStatement,
    Offer,
    OfferStatus,
    StatementCorrection,
    Vacancy,
    VacancyEvent,
    VacancySource,
    VacancyStatus,
)

SYSTEM_EXPIRY = "system:expire_vacancies"


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _lock_vacancy(vacancy: Vacancy) -> Vacancy:
    return (
        Vacancy.objects.select_for_update(of=("self",))
        .select_related("dwelling", "turn_record")
        .get(pk=vacancy.pk)
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
    return vacancy, locked


def case_event(case: Case, actor: Any, kind: str, summary: str) -> CaseEvent:
    """A line on the case's timeline (no personal free text in the summary)."""
    return CaseEvent.objects.create(case=case, actor=_user(actor), kind=kind, summary=summary[:300])


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
) -> None:
    """Apply one vacancy transition (the row is locked) with its timeline event."""
    current = VacancyState(vacancy.status)
    try:
        check_vacancy_transition(current, target)
    except TransitionNotAllowed:
        raise ValidationError(
            message
            or _("The vacancy cannot go from “%(current)s” to “%(target)s”.")
            % {"current": _vacancy_label(current), "target": _vacancy_label(target)},
            code="vacancy_transition",
        ) from None
    vacancy.status = target.value
    VacancyEvent.objects.create(
        vacancy=vacancy,
        offer=offer,
        actor=_user(actor),
        kind=EventKind.STATUS,
        from_status=current.value,
        to_status=target.value,
        summary=summary[:300],
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
    VacancyEvent.objects.create(
        vacancy_id=offer.vacancy_id,
        offer=offer,
        actor=_user(actor),
        kind=EventKind.OFFER,
        from_status=current.value,
        to_status=target.value,
        summary=summary[:300],
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


def _check_org_writer(actor: Any, organisation_id: int) -> None:
    if not can_write_organisation(actor, organisation_id):
        raise PermissionDenied


# --- vacancy report -------------------------------------------------------------------------------


def _check_stock_free(dwelling: Dwelling, day: dt.date) -> None:
    """The stock guard: a dwelling with an open vacancy, or let to a new tenant from a later day,
    cannot be reported vacant (again); the message says which and since when."""
    open_vacancy = Vacancy.objects.open().filter(dwelling=dwelling).first()
    if open_vacancy is not None:
        raise ValidationError(
            {
                "dwelling": _(
                    "The dwelling already has an open vacancy, reported %(date)s (%(status)s); "
                    "it cannot be reported vacant again until that vacancy is closed."
                )
                % {
                    "date": open_vacancy.report_date.strftime("%d.%m.%Y"),
                    "status": open_vacancy.get_status_display(),
                }
            },
            code="open_vacancy",
        )
    let = (
        Vacancy.objects.filter(dwelling=dwelling, status=VacancyStatus.LET, let_from__gt=day)
        .order_by("-let_from")
        .first()
    )
    if let is not None and let.let_from is not None:
        raise ValidationError(
            {
                "dwelling": _(
                    "The dwelling is let to a new tenant from %(date)s; it cannot be reported "
                    "vacant before that lease has started."
                )
                % {"date": let.let_from.strftime("%d.%m.%Y")}
            },
            code="future_lease",
        )


def vacancy_report(
    *,
    actor: Any,
    dwelling: Dwelling,
    notice_date: dt.date,
    available_from: dt.date,
    rent_at_letting: int | None = None,
    remarks: str = "",
    source: str = VacancySource.REPORT,
    handheld_request: HandheldRequest | None = None,
    report_date: dt.date | None = None,
) -> Vacancy:
    """Report a vacancy. The agreement and the quota engine decide whether it is the
    municipality's turn; a voluntary offer or an answer to a håndholdt request goes to the
    municipality whatever the turn. A dwelling has at most one open vacancy."""
    day = _today(report_date)
    with transaction.atomic():
        dwelling = (
            Dwelling.objects.select_for_update(of=("self",))
            .select_related("entrance__department")
            .get(pk=dwelling.pk)
        )
        organisation_id = dwelling.entrance.department.organisation_id
        _check_org_writer(actor, organisation_id)
        _check_stock_free(dwelling, day)
        if handheld_request is not None:
            handheld_request = HandheldRequest.objects.get(pk=handheld_request.pk)
            if handheld_request.status != HandheldStatus.OPEN or (
                handheld_request.organisation_id not in (None, organisation_id)
            ):
                raise ValidationError(
                    {"handheld_request": _("The håndholdt request is not open to you.")}
                )
        vacancy = Vacancy(
            organisation_id=organisation_id,
            dwelling=dwelling,
            source=source,
            handheld_request=handheld_request if source == VacancySource.HANDHELD else None,
            notice_date=notice_date,
            available_from=available_from,
            report_date=day,
            rent_at_letting=dwelling.rent if rent_at_letting is None else rent_at_letting,
            remarks=remarks.strip(),
            reported_by=_user(actor),
        )
        vacancy.full_clean()
        try:
            with transaction.atomic():
                vacancy.save()
        except IntegrityError:
            raise ValidationError(
                {"dwelling": _("The dwelling already has an open vacancy.")}
            ) from None
        VacancyEvent.objects.create(
            vacancy=vacancy,
            actor=_user(actor),
            kind=EventKind.STATUS,
            to_status=VacancyState.REPORTED.value,
            summary=str(VacancySource(source).label),
        )
        unusable = [
            {"code": f.code, "params": dict(f.reason.params)}
            for f in gate.vacancy_blocks(vacancy=vacancy, day=day).findings
            if f.code in gate.UNUSABLE_CODES
        ]
        turn = turn_decide(
            dwelling=dwelling,
            report_date=day,
            actor=actor,
            unusable=unusable,
            rent=vacancy.rent_at_letting,
        )
        vacancy.turn_record = turn.record
        to_municipality = turn.municipal or source != VacancySource.REPORT
        if to_municipality:
            if turn.version is not None:
                vacancy.response_deadline = response_deadline(
                    day, turn.version.response_deadline_working_days
                )
            _move_vacancy(vacancy, VacancyState.MUNICIPAL, actor, turn.explanation)
        else:
            _move_vacancy(vacancy, VacancyState.ORDINARY, actor, turn.explanation)
        vacancy.save()
        audit_record(
            actor=actor, action="vacancies.report", instance=vacancy, after=snapshot(vacancy)
        )
        notifications.vacancy_reported(vacancy=vacancy)
    return vacancy


# --- the municipality's answer --------------------------------------------------------------------


def vacancy_accept(*, actor: Any, vacancy: Vacancy, today: dt.date | None = None) -> Vacancy:
    """The municipality takes the dwelling. Void rent starts per the agreement's rule."""
    day = _today(today)
    with transaction.atomic():
        vacancy = _lock_vacancy(vacancy)
        deadline = vacancy.response_deadline
        if vacancy.status == VacancyStatus.MUNICIPAL and not can_accept_on(deadline, day):
            assert deadline is not None  # no deadline never runs out
            raise ValidationError(
                _("The deadline for answering ran out on %(date)s.")
                % {"date": date_format(deadline, "SHORT_DATE_FORMAT")},
                code="deadline_passed",
            )
        before = snapshot(vacancy)
        _move_vacancy(
            vacancy,
            VacancyState.ACCEPTED,
            actor,
            message=_("The vacancy has already been answered (%(status)s).")
            % {"status": vacancy.get_status_display()}
            if vacancy.status != VacancyStatus.ORDINARY
            else None,
        )
        vacancy.answered_on = day
        version = vacancy.turn_record.version if vacancy.turn_record else None
        vacancy.void_rent_payer = version.void_rent_payer if version else ""
        vacancy.void_rent_convention = (
            version.void_rent_convention if version else VoidRentConvention.DAILY.value
        )
        covers_aconto = version is not None and version.void_rent_covers_aconto
        vacancy.aconto_during_vacancy = vacancy.dwelling.aconto if covers_aconto else 0
        vacancy.void_rent_start = void_rent_start(
            rule=version.void_rent_from if version else VoidRentFrom.AVAILABLE,
            available_from=vacancy.available_from,
            report_date=vacancy.report_date,
            accepted_on=day,
            before_report_allowed=version.void_rent_before_report if version else False,
        )
        vacancy.save()
        _settle_turn(vacancy, Outcome.ACCEPTED, actor)
        if vacancy.handheld_request_id:
            request = HandheldRequest.objects.get(pk=vacancy.handheld_request_id)
            if request.status == HandheldStatus.OPEN:
                handheld_request_close(
                    actor=actor,
                    request=request,
                    status=HandheldStatus.MET,
                    closed_on=day,
                    met_by=vacancy.dwelling,
                )
        audit_record(
            actor=actor,
            action="vacancies.accept",
            instance=vacancy,
            before=before,
            after=snapshot(vacancy),
        )
    return vacancy


def vacancy_decline(
    *, actor: Any, vacancy: Vacancy, note: str = "", today: dt.date | None = None
) -> Vacancy:
    """The municipality declines; the dwelling returns to the organisation (counted delivered)."""
    day = _today(today)
    with transaction.atomic():
        vacancy = _lock_vacancy(vacancy)
        before = snapshot(vacancy)
        _move_vacancy(
            vacancy,
            VacancyState.DECLINED,
            actor,
            note.strip(),
            message=_("The vacancy has already been answered (%(status)s).")
            % {"status": vacancy.get_status_display()},
        )
        vacancy.answered_on = day
        vacancy.decline_note = note.strip()
        vacancy.save()
        _settle_turn(vacancy, Outcome.DECLINED, actor)
        audit_record(
            actor=actor,
            action="vacancies.decline",
            instance=vacancy,
            before=before,
            after=snapshot(vacancy),
        )
    return vacancy


def vacancy_hand_back(
    *, actor: Any, vacancy: Vacancy, reason: str, today: dt.date | None = None
) -> Vacancy:
    """The allocation lead hands an accepted dwelling back to ordinary letting. Void rent stops
    that day (the hand-back day is not owed); the ledger counts the turn as the agreement version
    that judged it says (`hand_back_delivered`); the organisation is told."""
    day = _today(today)
    if not user_has_role(actor, LEAD):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Give the reason for handing the dwelling back.")}, code="required"
        )
    with transaction.atomic():
        vacancy = _lock_vacancy(vacancy)
        before = snapshot(vacancy)
        _move_vacancy(
            vacancy,
            VacancyState.HANDED_BACK,
            actor,
            reason,
            message=_(
                "Only a dwelling the municipality has accepted and not offered to a citizen can "
                "be handed back; this vacancy is “%(status)s”."
            )
            % {"status": vacancy.get_status_display()},
        )
        if vacancy.void_rent_start is not None and day < vacancy.void_rent_start:
            # Handed back before void rent began: nothing is owed.
            vacancy.handed_back_on = vacancy.void_rent_start
        else:
            vacancy.handed_back_on = day
        vacancy.hand_back_reason = reason
        vacancy.save()
        version = vacancy.turn_record.version if vacancy.turn_record else None
        if version is not None and not version.hand_back_delivered:
            _settle_turn(vacancy, Outcome.ORDINARY, actor)
        audit_record(
            actor=actor,
            action="vacancies.hand_back",
            instance=vacancy,
            before=before,
            after=snapshot(vacancy),
        )
        notifications.vacancy_handed_back(vacancy=vacancy, actor=actor)
    return vacancy


def vacancy_let_ordinary(
    *, actor: Any, vacancy: Vacancy, starts_on: dt.date, today: dt.date | None = None
) -> Vacancy:
    """The organisation has let an ordinary-turn vacancy through its own waiting list."""
    with transaction.atomic():
        vacancy = _lock_vacancy(vacancy)
        _check_org_writer(actor, vacancy.organisation_id)
        before = snapshot(vacancy)
        _move_vacancy(vacancy, VacancyState.LET, actor, starts_on.strftime("%d.%m.%Y"))
        vacancy.let_from = starts_on
        vacancy.save()
        audit_record(
            actor=actor,
            action="vacancies.let_ordinary",
            instance=vacancy,
            before=before,
            after=snapshot(vacancy),
        )
    return vacancy


@dataclass
class ExpiryResult:
    vacancies: list[int] = field(default_factory=list)
    offers: list[int] = field(default_factory=list)


def vacancies_expire(*, today: dt.date | None = None) -> ExpiryResult:
    """Expire every municipal vacancy whose answer deadline has passed, and every pending offer
    whose answer deadline has passed. Idempotent: a second run finds nothing; usable from cron."""
    day = _today(today)
    result = ExpiryResult()
    due = Vacancy.objects.filter(
        status=VacancyStatus.MUNICIPAL, response_deadline__lt=day
    ).order_by("pk")
    for candidate in due:
        with transaction.atomic():
            vacancy = _lock_vacancy(candidate)
            if vacancy.status != VacancyStatus.MUNICIPAL or not is_overdue(
                vacancy.response_deadline, day
            ):
                continue
            before = snapshot(vacancy)
            _move_vacancy(vacancy, VacancyState.EXPIRED, SYSTEM_EXPIRY)
            vacancy.save()
            _settle_turn(vacancy, Outcome.EXPIRED, SYSTEM_EXPIRY)
            audit_record(
                actor=SYSTEM_EXPIRY,
                action="vacancies.expire",
                instance=vacancy,
                before=before,
                after=snapshot(vacancy),
            )
            notifications.vacancy_expired(vacancy=vacancy)
            result.vacancies.append(vacancy.pk)
    offers = Offer.objects.filter(status=OfferStatus.PENDING, response_deadline__lt=day)
    for offer in offers.order_by("pk"):
        if _offer_close(
            actor=SYSTEM_EXPIRY,
            offer=offer,
            target=OfferState.EXPIRED,
            day=day,
            reason=DeclineReason.CLIENT_NO_RESPONSE,
            only_if_overdue=True,
        ):
            result.offers.append(offer.pk)
    return result


# --- offers ---------------------------------------------------------------------------------------


def offer_create(
    *,
    actor: Any,
    vacancy: Vacancy,
    case: Case,
    response_working_days: int | None = None,
    viewing_at: dt.datetime | None = None,
    override_reason: str = "",
    soft_confirmed: bool = False,
    today: dt.date | None = None,
) -> Offer:
    """Offer an accepted vacancy to a citizen, through the one gate (`anvis.vacancies.gate`):
    refused with every reason when a legal bar or the case's state blocks it, when a cap,
    closure or agreement term is broken and the allocation lead has given no written reason, or
    when a soft finding is not confirmed. The findings and the override are stored on the
    offer. The answer deadline is the agreement's offer deadline in working days (default 5)
    unless given."""
    day = _today(today)
    with transaction.atomic():
        vacancy = _lock_vacancy(vacancy)
        if vacancy.status != VacancyStatus.ACCEPTED:
            raise ValidationError(
                _("The dwelling cannot be offered now (%(status)s).")
                % {"status": vacancy.get_status_display()},
                code="vacancy_not_accepted",
            )
        locked_case = Case.objects.select_for_update().get(pk=case.pk)
        decision = gate.offer_enforce(
            actor=actor,
            case=locked_case,
            vacancy=vacancy,
            day=day,
            override_reason=override_reason,
            soft_confirmed=soft_confirmed,
        )
        if response_working_days is None:
            version = vacancy.turn_record.version if vacancy.turn_record else None
            response_working_days = (
                version.offer_response_working_days
                if version
                else DEFAULT_OFFER_RESPONSE_WORKING_DAYS
            )
        if response_working_days < 1:
            raise ValidationError(
                {"response_working_days": _("The deadline must be at least 1 working day.")}
            )
        offer = Offer(
            vacancy=vacancy,
            case=locked_case,
            offered_on=day,
            response_deadline=offer_deadline(day, response_working_days),
            viewing_at=viewing_at,
            findings=decision.result.stored(),
            override_reason=decision.override_reason,
            overridden_by=_user(actor) if decision.override_reason else None,
            made_by=_user(actor),
        )
        try:
            with transaction.atomic():
                offer.save()
        except IntegrityError:
            raise ValidationError(
                _("The citizen or the dwelling already has an active offer."),
                code="offer_conflict",
            ) from None
        VacancyEvent.objects.create(
            vacancy=vacancy,
            offer=offer,
            actor=_user(actor),
            kind=EventKind.OFFER,
            to_status=OfferState.PENDING.value,
            summary=locked_case.number,
        )
        _move_vacancy(vacancy, VacancyState.OFFERED, actor, locked_case.number, offer=offer)
        vacancy.save()
        case_transition(actor=actor, case=locked_case, status=CaseStatus.OFFERED, today=day)
        case_event(
            locked_case,
            actor,
            CaseEventKind.UPDATED,
            _("Offered dwelling %(dwelling)s, answer by %(date)s")
            % {"dwelling": vacancy.dwelling, "date": offer.response_deadline.strftime("%d.%m.%Y")},
        )
        audit_record(
            actor=actor, action="vacancies.offer_create", instance=offer, after=snapshot(offer)
        )
        if decision.override_reason:
            audit_record(
                actor=actor,
                action="vacancies.offer_override",
                instance=offer,
                after={
                    "rules": offer.overridden_rules,
                    "reason": decision.override_reason,
                },
            )
    return offer


def offer_accept(*, actor: Any, offer: Offer, today: dt.date | None = None) -> Offer:
    """The citizen says yes. The dwelling stays held for the lease; the case stays offered."""
    day = _today(today)
    with transaction.atomic():
        vacancy, offer = _lock_offer(offer)
        if offer.status == OfferStatus.PENDING and is_overdue(offer.response_deadline, day):
            raise ValidationError(
                _("The deadline for answering the offer ran out on %(date)s.")
                % {"date": offer.response_deadline.strftime("%d.%m.%Y")},
                code="offer_deadline_passed",
            )
        before = snapshot(offer)
        _move_offer(offer, OfferState.ACCEPTED, actor)
        offer.answered_on = day
        offer.save()
        case = Case.objects.select_for_update().get(pk=offer.case_id)
        case_event(
            case,
            actor,
            CaseEventKind.UPDATED,
            _("Accepted the offer of dwelling %(dwelling)s") % {"dwelling": vacancy.dwelling},
        )
        audit_record(
            actor=actor,
            action="vacancies.offer_accept",
            instance=offer,
            before=before,
            after=snapshot(offer),
        )
        notifications.offer_answered(offer=offer, actor=actor)
    return offer


def _pause_overrides() -> Mapping[str, int]:
    return getattr(settings, "ANVIS_DECLINE_PAUSE_DAYS", {}) or {}


def _offer_close(
    *,
    actor: Any,
    offer: Offer,
    target: OfferState,
    day: dt.date,
    reason: DeclineReason | None = None,
    ground: RejectionGround | None = None,
    note: str = "",
    only_if_overdue: bool = False,
) -> bool:
    """End an offer (declined, expired, withdrawn, rejected): the dwelling waits for the next
    candidate and the case goes back to waiting, paused if the reason says so."""
    with transaction.atomic():
        vacancy, offer = _lock_offer(offer)
        if only_if_overdue and (
            offer.status != OfferStatus.PENDING or not is_overdue(offer.response_deadline, day)
        ):
            return False
        if Lease.objects.filter(offer=offer).exists():
            raise ValidationError(
                _("The lease is signed; the offer can no longer be changed."), code="offer_leased"
            )
        before = snapshot(offer)
        summary = ""
        if reason is not None:
            offer.decline_reason = reason.value
            offer.decline_side = decline_side(reason).value
            offer.pause_days = decline_pause_days(reason, _pause_overrides())
            summary = str(offer.get_decline_reason_display())
        if ground is not None:
            offer.rejection_ground = ground.value
            summary = str(offer.get_rejection_ground_display())
        offer.closing_note = note.strip()
        _move_offer(offer, target, actor, summary)
        offer.answered_on = day
        offer.save()
        _move_vacancy(vacancy, VacancyState.ACCEPTED, actor, summary, offer=offer)
        vacancy.save()
        case = Case.objects.select_for_update().get(pk=offer.case_id)
        case_transition(actor=actor, case=case, status=CaseStatus.WAITING, today=day)
        case_event(
            case,
            actor,
            CaseEventKind.UPDATED,
            _("Offer of dwelling %(dwelling)s: %(status)s%(reason)s")
            % {
                "dwelling": vacancy.dwelling,
                "status": offer.get_status_display(),
                "reason": f" ({summary})" if summary else "",
            },
        )
        if offer.pause_days:
            case_park(
                actor=actor,
                case=case,
                until=day + dt.timedelta(days=offer.pause_days),
                reason=_("Paused after the offer: %(reason)s") % {"reason": summary},
                today=day,
            )
        audit_record(
            actor=actor,
            action=f"vacancies.offer_{target.value}",
            instance=offer,
            before=before,
            after=snapshot(offer),
        )
        notifications.offer_answered(offer=offer, actor=actor)
    return True


def offer_decline(
    *, actor: Any, offer: Offer, reason: str, note: str = "", today: dt.date | None = None
) -> Offer:
    """The citizen (client-declined) or the municipality's side (provider-declined) says no,
    with a coded reason. The reason's configured consequence (a pause) is applied to the case;
    nothing is deleted."""
    try:
        code = DeclineReason(reason)
    except ValueError:
        raise ValidationError({"reason": _("Choose a reason for declining.")}) from None
    _offer_close(
        actor=actor,
        offer=offer,
        target=OfferState.DECLINED,
        day=_today(today),
        reason=code,
        note=note,
    )
    return Offer.objects.get(pk=offer.pk)


def offer_withdraw(
    *, actor: Any, offer: Offer, note: str = "", today: dt.date | None = None
) -> Offer:
    """The municipality withdraws an offer before the lease (no consequence for the citizen)."""
    _offer_close(
        actor=actor, offer=offer, target=OfferState.WITHDRAWN, day=_today(today), note=note
    )
    return Offer.objects.get(pk=offer.pk)


def offer_reject(
    *, actor: Any, offer: Offer, ground: str, note: str = "", today: dt.date | None = None
) -> Offer:
    """The organisation rejects the nominee, only on a legal ground, which is recorded."""
    try:
        code = RejectionGround(ground)
    except ValueError:
        raise ValidationError(
            {"ground": _("The organisation can reject a nominee only on a legal ground.")}
        ) from None
    organisation_id = Vacancy.objects.values_list("organisation_id", flat=True).get(
        pk=offer.vacancy_id
    )
    _check_org_writer(actor, organisation_id)
    _offer_close(
        actor=actor,
        offer=offer,
        target=OfferState.REJECTED_BY_ORGANISATION,
        day=_today(today),
        ground=code,
        note=note,
    )
    return Offer.objects.get(pk=offer.pk)


# --- lease and move-in ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LeaseResult:
    lease: Lease
    warnings: tuple[str, ...] = ()
    placement_registered: bool = False


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


def lease_register(
    *,
    actor: Any,
    offer: Offer,
    signed_on: dt.date,
    starts_on: dt.date,
    move_in_on: dt.date,
) -> LeaseResult:
    """The lease is signed: the dwelling is let, the case becomes housed, the placement is
    registered and the void rent is settled (daily rent × days from the void-rent start until
    the lease starts). Warns when the case has no decided support plan."""
    if move_in_on < starts_on:
        raise ValidationError(
            {"move_in_on": _("The move-in date cannot be before the lease starts.")}
        )
    with transaction.atomic():
        dwelling_id = Vacancy.objects.values_list("dwelling_id", flat=True).get(
            pk=Offer.objects.values_list("vacancy_id", flat=True).get(pk=offer.pk)
        )
        Dwelling.objects.select_for_update().filter(pk=dwelling_id).first()
        vacancy, offer = _lock_offer(offer)
        _check_org_writer_or_lead(actor, vacancy.organisation_id)
        if offer.status != OfferStatus.ACCEPTED:
            raise ValidationError(
                _("A lease can only be registered for an accepted offer."),
                code="offer_not_accepted",
            )
        case = Case.objects.select_for_update().get(pk=offer.case_id)
        if case.status != CaseStatus.OFFERED:
            raise ValidationError(
                _(
                    "The citizen's case is “%(status)s”; a lease needs the case of the accepted offer."
                )
                % {"status": case.get_status_display()},
                code="case_not_offered",
            )
        notes = gate.lease_notes(vacancy=vacancy, offered_on=offer.offered_on, day=_today(None))
        before = snapshot(vacancy)
        vacancy.let_from = starts_on
        account = vacancy.void_rent_on(starts_on)
        void_days = account.rent.days if account else 0
        void_amount = account.rent.amount if account else Decimal("0.00")
        lease = Lease(
            vacancy=vacancy,
            offer=offer,
            signed_on=signed_on,
            starts_on=starts_on,
            move_in_on=move_in_on,
            void_rent_days=void_days,
            void_rent_amount=void_amount,
            void_rent_payer=vacancy.void_rent_payer,
            registered_by=_user(actor),
        )
        lease.full_clean()
        lease.save()
        VacancyEvent.objects.create(
            vacancy=vacancy,
            offer=offer,
            actor=_user(actor),
            kind=EventKind.LEASE,
            summary=_("Lease from %(start)s, move-in %(move_in)s, void rent %(days)s days")
            % {
                "start": starts_on.strftime("%d.%m.%Y"),
                "move_in": move_in_on.strftime("%d.%m.%Y"),
                "days": void_days,
            },
        )
        _move_vacancy(vacancy, VacancyState.LET, actor, case.number, offer=offer)
        vacancy.save()
        case_transition(actor=actor, case=case, status=CaseStatus.HOUSED, today=move_in_on)
        case_event(
            case,
            actor,
            CaseEventKind.UPDATED,
            _("Lease of dwelling %(dwelling)s from %(start)s, move-in %(move_in)s")
            % {
                "dwelling": vacancy.dwelling,
                "start": starts_on.strftime("%d.%m.%Y"),
                "move_in": move_in_on.strftime("%d.%m.%Y"),
            },
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
    return LeaseResult(lease=lease, warnings=tuple(warnings), placement_registered=registered)


def _check_org_writer_or_lead(actor: Any, organisation_id: int) -> None:
    """Leases are registered by the organisation, or by the allocation lead on its behalf."""
    if user_has_role(actor, {Role.ALLOCATION_LEAD}):
        return
    _check_org_writer(actor, organisation_id)


# --- guarantee claims -----------------------------------------------------------------------------

CLAIM_PROBLEMS = {
    ClaimProblem.NOT_COVERED: (
        "kind",
        gettext_lazy("The agreement does not cover this kind of claim."),
    ),
    ClaimProblem.BEFORE_LEASE: (
        "event_date",
        gettext_lazy("The date is before the lease started."),
    ),
    ClaimProblem.AFTER_PERIOD: (
        "event_date",
        gettext_lazy("The date is after the guarantee period (%(months)s months from %(start)s)."),
    ),
    ClaimProblem.NOT_POSITIVE: ("amount", gettext_lazy("The amount must be more than 0 kr.")),
    ClaimProblem.OVER_MAXIMUM: (
        "amount",
        gettext_lazy("The claims would exceed the agreement's maximum of %(maximum)s kr."),
    ),
}


def _terms(lease: Lease) -> GuaranteeTerms | None:
    record = lease.vacancy.turn_record
    version = record.version if record else None
    if version is None:
        return None
    return GuaranteeTerms(
        move_out_repairs=version.guarantee_move_out_repairs,
        first_year_arrears=version.guarantee_first_year_arrears,
        period_months=version.guarantee_period_months,
        max_repairs=version.guarantee_max_repairs,
        max_arrears=version.guarantee_max_arrears,
        repairs_period_months=version.guarantee_repairs_period_months,
        documentation=version.guarantee_documentation,
    )


def guarantee_terms(lease: Lease) -> GuaranteeTerms | None:
    """The guarantee terms of the agreement version that judged the lease's vacancy."""
    return _terms(lease)


def _claimed(lease: Lease, kind: str, exclude_pk: int | None = None) -> int:
    qs = GuaranteeClaim.objects.filter(
        lease=lease, kind=kind, status__in=[ClaimStatus.SUBMITTED, ClaimStatus.APPROVED]
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return int(qs.aggregate(total=Sum("amount"))["total"] or 0)


def _check_claim(lease: Lease, kind: str, event_date: dt.date, amount: int, claimed: int) -> None:
    terms = _terms(lease)
    if terms is None:
        raise ValidationError(_("No agreement covered the vacancy; there is no guarantee."))
    problems = check_guarantee_claim(
        terms=terms,
        kind=GuaranteeKind(kind),
        lease_start=lease.starts_on,
        event_date=event_date,
        amount=amount,
        already_claimed=claimed,
    )
    if problems:
        errors: dict[str, list[str]] = {}
        params = {
            "months": terms.period(GuaranteeKind(kind)),
            "start": lease.starts_on.strftime("%d.%m.%Y"),
            "maximum": terms.maximum(GuaranteeKind(kind)),
        }
        for problem in problems:
            field_name, message = CLAIM_PROBLEMS[problem]
            errors.setdefault(field_name, []).append(str(message) % params)
        raise ValidationError(errors)


def guarantee_claim_submit(
    *,
    actor: Any,
    lease: Lease,
    kind: str,
    event_date: dt.date,
    amount: int,
    description: str,
    today: dt.date | None = None,
) -> GuaranteeClaim:
    """The organisation registers a claim under the guarantee of a tenancy the municipality
    placed; checked against the agreement version that judged the vacancy."""
    if kind not in GuaranteeKindChoice.values:
        raise ValidationError({"kind": _("Choose the kind of claim.")})
    if not description.strip():
        raise ValidationError({"description": _("Describe the claim.")})
    with transaction.atomic():
        lease = (
            Lease.objects.select_for_update(of=("self",))
            .select_related("vacancy__turn_record__version")
            .get(pk=lease.pk)
        )
        _check_org_writer(actor, lease.vacancy.organisation_id)
        _check_claim(lease, kind, event_date, amount, _claimed(lease, kind))
        claim = GuaranteeClaim.objects.create(
            lease=lease,
            kind=kind,
            event_date=event_date,
            amount=amount,
            description=description.strip(),
            submitted_on=_today(today),
            submitted_by=_user(actor),
        )
        VacancyEvent.objects.create(
            vacancy=lease.vacancy,
            actor=_user(actor),
            kind=EventKind.GUARANTEE,
            to_status=ClaimStatus.SUBMITTED,
            summary=f"{claim.get_kind_display()}: {amount} kr",
        )
        audit_record(
            actor=actor, action="vacancies.claim_submit", instance=claim, after=snapshot(claim)
        )
    return claim


def guarantee_claim_decide(
    *,
    actor: Any,
    claim: GuaranteeClaim,
    approve: bool,
    reason: str = "",
    today: dt.date | None = None,
) -> GuaranteeClaim:
    """The municipality approves or rejects (with a reason) a submitted claim."""
    reason = reason.strip()
    if not approve and not reason:
        raise ValidationError({"reason": _("Give a reason for rejecting the claim.")})
    with transaction.atomic():
        lease = (
            Lease.objects.select_for_update(of=("self",))
            .select_related("vacancy__turn_record__version")
            .get(pk=claim.lease_id)
        )
        claim = GuaranteeClaim.objects.select_for_update().get(pk=claim.pk)
        if claim.status != ClaimStatus.SUBMITTED:
            raise ValidationError(
                _("The claim is already decided (%(status)s).")
                % {"status": claim.get_status_display()}
            )
        if approve:
            _check_claim(
                lease,
                claim.kind,
                claim.event_date,
                claim.amount,
                _claimed(lease, claim.kind, exclude_pk=claim.pk),
            )
        before = snapshot(claim)
        claim.status = ClaimStatus.APPROVED if approve else ClaimStatus.REJECTED
        claim.decision_reason = reason
        claim.decided_on = _today(today)
        claim.decided_by = _user(actor)
        claim.save()
        VacancyEvent.objects.create(
            vacancy=lease.vacancy,
            actor=_user(actor),
            kind=EventKind.GUARANTEE,
            from_status=ClaimStatus.SUBMITTED,
            to_status=claim.status,
            summary=f"{claim.get_kind_display()}: {claim.amount} kr",
        )
        audit_record(
            actor=actor,
            action="vacancies.claim_decide",
            instance=claim,
            before=before,
            after=snapshot(claim),
        )
    return claim


# --- monthly statements ---------------------------------------------------------------------------


def statement_approve(
    *, actor: Any, organisation_id: int, month: dt.date, today: dt.date | None = None
) -> MonthlyStatement:
    """The allocation lead approves an organisation's statement for a month that has ended: the
    lines and totals are frozen as JSON with their SHA-256 and never change again."""
    from anvis.stock.models import HousingOrganisation

    from .selectors import statement_compute

    day = _today(today)
    if not user_has_role(actor, LEAD):
        raise PermissionDenied
    first = month.replace(day=1)
    computed = statement_compute(organisation_id=organisation_id, month=first, as_of=day)
    if not computed.complete:
        raise ValidationError(
            _("The statement for %(month)s can be approved when the month has ended.")
            % {"month": first.strftime("%m.%Y")},
            code="month_not_ended",
        )
    with transaction.atomic():
        organisation = HousingOrganisation.objects.select_for_update().get(pk=organisation_id)
        if MonthlyStatement.objects.filter(organisation=organisation, month=first).exists():
            raise ValidationError(
                _("The statement for %(month)s is already approved; correct it with a new line.")
                % {"month": first.strftime("%m.%Y")},
                code="already_approved",
            )
        record = as_record(computed)
        statement = MonthlyStatement.objects.create(
            organisation=organisation,
            month=first,
            content=record,
            content_hash=content_hash(record),
            approved_by=_user(actor),
        )
        audit_record(
            actor=actor,
            action="vacancies.statement_approve",
            instance=statement,
            after={"month": first.isoformat(), "sha256": statement.content_hash},
        )
    return statement


def statement_correct(
    *,
    actor: Any,
    statement: MonthlyStatement,
    amount: Decimal,
    reason: str,
    vacancy: Vacancy | None = None,
) -> StatementCorrection:
    """A correction to an approved statement: a new line (positive or negative), never an edit
    of the frozen lines."""
    if not user_has_role(actor, LEAD):
        raise PermissionDenied
    reason = reason.strip()
    errors: dict[str, Any] = {}
    if not reason:
        errors["reason"] = _("Give the reason for the correction.")
    if amount == 0:
        errors["amount"] = _("A correction cannot be 0 kr.")
    if vacancy is not None and vacancy.organisation_id != statement.organisation_id:
        errors["vacancy"] = _("The vacancy belongs to another housing organisation.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        correction = StatementCorrection.objects.create(
            statement=statement,
            vacancy=vacancy,
            amount=amount,
            reason=reason,
            created_by=_user(actor),
        )
        audit_record(
            actor=actor,
            action="vacancies.statement_correct",
            instance=correction,
            after=snapshot(correction),
        )
    return correction
