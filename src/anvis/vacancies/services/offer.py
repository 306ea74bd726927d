"""Writes on an offer: make it (through the one gate), accept, decline, withdraw, reject."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from anvis.agreements.models import MAX_DEADLINE_WORKING_DAYS
from anvis.audit.services import audit_record, audited, snapshot
from anvis.cases.models import Case, CaseStatus
from anvis.cases.models import EventKind as CaseEventKind
from anvis.cases.services import case_event, case_park, case_transition
from anvis.common import formats as fmt
from anvis.common.clock import local_day, local_today
from anvis.stock.models import Department, Entrance
from anvis_core.workflow import (
    DEFAULT_OFFER_RESPONSE_WORKING_DAYS,
    DeclineReason,
    OfferState,
    RejectionGround,
    VacancyState,
    decline_pause_days,
    decline_side,
    is_overdue,
    offer_deadline,
    ran_out_on,
)

from .. import gate
from ..choices import EventKind, OfferStatus, VacancyStatus
from ..limits import MAX_NOTE
from ..models import Offer, Vacancy
from ..timeline import timeline_add
from ._common import (
    _check_municipal,
    _check_org_writer,
    _lock_offer,
    _lock_vacancy,
    _move_offer,
    _move_vacancy,
    _user,
    check_length,
    check_not_leased,
)


def offer_response_days_default(vacancy: Vacancy) -> int:
    """The citizen's answer time in working days unless the offer says otherwise: the term of
    the agreement version that judged the vacancy (default 5). The offer form starts from it."""
    version = vacancy.judged_by
    return version.offer_response_working_days if version else DEFAULT_OFFER_RESPONSE_WORKING_DAYS


def _offer_response_days(vacancy: Vacancy, given: int | None) -> int:
    """The offer's answer time in working days: as given, else the agreement's (default 5);
    at most what an agreement may set (`MAX_DEADLINE_WORKING_DAYS`), on every path."""
    if given is None:
        given = offer_response_days_default(vacancy)
    if given < 1:
        raise ValidationError(
            {"response_working_days": _("The deadline must be at least 1 working day.")}
        )
    if given > MAX_DEADLINE_WORKING_DAYS:
        message = _("The deadline can be at most %(limit_value)s working days.")
        raise ValidationError(
            {"response_working_days": message % {"limit_value": MAX_DEADLINE_WORKING_DAYS}}
        )
    return given


def _offer_save_new(offer: Offer) -> None:
    try:
        with transaction.atomic():
            offer.save()
    except IntegrityError:
        raise ValidationError(
            _("The citizen or the dwelling already has an active offer."),
            code="offer_conflict",
        ) from None


def _offer_made(*, actor: Any, offer: Offer, vacancy: Vacancy, case: Case, day: dt.date) -> None:
    """The offer is saved: the vacancy and the case move on, and both timelines and the audit
    trail say so (an override as its own audit row)."""
    timeline_add(
        vacancy=vacancy,
        offer=offer,
        actor=_user(actor),
        kind=EventKind.OFFER,
        to_status=OfferState.PENDING.value,
        summary=case.number,
    )
    _move_vacancy(vacancy, VacancyState.OFFERED, actor, case.number, offer=offer)
    vacancy.save()
    case_transition(actor=actor, case=case, status=CaseStatus.OFFERED, today=day)
    case_event(
        case,
        actor,
        CaseEventKind.UPDATED,
        _("Offered dwelling %(dwelling)s, answer by %(date)s")
        % {"dwelling": vacancy.dwelling, "date": fmt.date(offer.response_deadline)},
    )
    audit_record(
        actor=actor, action="vacancies.offer_create", instance=offer, after=snapshot(offer)
    )
    if offer.override_reason:
        audit_record(
            actor=actor,
            action="vacancies.offer_override",
            instance=offer,
            after={"rules": offer.overridden_rules, "reason": offer.override_reason},
        )


def check_offerable(vacancy: Vacancy) -> None:
    """Refuse unless the municipality holds the dwelling and has not offered it yet (accepted):
    the offer service asks it of the locked vacancy, the offer dialogue's check step of the
    vacancy as it stands, so the step does not confirm an offer the service refuses."""
    if vacancy.status != VacancyStatus.ACCEPTED:
        raise ValidationError(
            _("The dwelling cannot be offered now (%(status)s).")
            % {"status": vacancy.get_status_display()},
            code="vacancy_not_accepted",
        )


def _lock_department(vacancy: Vacancy) -> None:
    """Lock the department of the vacancy's dwelling, so that offers of its dwellings are made
    one at a time: the stairwell and department caps count the offers already out, and two
    offers in one department judged at the same moment would each count without the other and
    together go over the cap (docs/gate.md). After the lock the gate reads the offers
    committed meanwhile."""
    department_id = Entrance.objects.values_list("department_id", flat=True).get(
        pk=vacancy.dwelling.entrance_id
    )
    Department.objects.select_for_update().filter(pk=department_id).first()


def offer_create(
    *,
    actor: Any,
    vacancy: Vacancy,
    case: Case,
    response_working_days: int | None = None,
    viewing_at: dt.datetime | None = None,
    override_reason: str = "",
    soft_confirmed: bool = False,
    considered: Collection[str] | None = None,
    today: dt.date | None = None,
) -> Offer:
    """Offer an accepted vacancy to a citizen, through the one gate (`anvis.vacancies.gate`):
    refused with every reason when a legal bar or the case's state blocks it, when a cap,
    closure or agreement term is broken and the allocation lead has given no written reason, or
    when a soft finding is not confirmed. ``considered``: the rule codes the dialogue showed
    when the person confirmed; the reason and the tick cover only those. The findings and the
    override are stored on the offer. The answer deadline is the agreement's offer deadline in working days (default 5)
    unless given."""
    day = local_today(today)
    _check_municipal(actor)
    if viewing_at is not None and local_day(viewing_at) < day:
        # A viewing is arranged with the offer; a past one would also make the decline-after-
        # viewing rule fire on the day of the offer.
        message = _("The viewing cannot be before the offer is made (%(date)s).")
        raise ValidationError({"viewing_at": message % {"date": fmt.date(day)}})
    with transaction.atomic():
        vacancy = _lock_vacancy(vacancy)
        check_offerable(vacancy)
        _lock_department(vacancy)
        locked_case = Case.objects.select_for_update().get(pk=case.pk)
        decision = gate.offer_enforce(
            actor=actor,
            case=locked_case,
            vacancy=vacancy,
            day=day,
            override_reason=override_reason,
            soft_confirmed=soft_confirmed,
            considered=considered,
        )
        days = _offer_response_days(vacancy, response_working_days)
        offer = Offer(
            vacancy=vacancy,
            case=locked_case,
            offered_on=day,
            response_deadline=offer_deadline(day, days),
            viewing_at=viewing_at,
            findings=decision.result.stored(),
            override_reason=decision.override_reason,
            overridden_by=_user(actor) if decision.override_reason else None,
            made_by=_user(actor),
        )
        _offer_save_new(offer)
        _offer_made(actor=actor, offer=offer, vacancy=vacancy, case=locked_case, day=day)
    return offer


def offer_accept(*, actor: Any, offer: Offer, today: dt.date | None = None) -> Offer:
    """The citizen says yes. The dwelling stays held for the lease; the case stays offered."""
    day = local_today(today)
    _check_municipal(actor)
    with audited("vacancies.offer_accept", actor=actor) as write:
        vacancy, offer = _lock_offer(offer)
        write.track(offer)
        if offer.status == OfferStatus.PENDING and is_overdue(offer.response_deadline, day):
            raise ValidationError(
                _("The deadline for answering the offer ran out on %(date)s.")
                % {"date": fmt.date(offer.response_deadline)},
                code="offer_deadline_passed",
            )
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
    note_required: str = "",
    only_if_overdue: bool = False,
) -> bool:
    """End an offer (declined, expired, withdrawn, rejected): the dwelling waits for the next
    candidate and the case goes back to waiting, paused if the reason says so.

    ``only_if_overdue`` (the expiry job, run on ``day``): only a pending offer whose deadline
    has passed, and judged by the deadline, not by the run: the offer is answered (expired) on
    the day its deadline ran out and the pause counts from then, so a run late after downtime
    records what a run on time would have; a pause already over parks nothing."""
    today = day
    with audited(f"vacancies.offer_{target.value}", actor=actor) as write:
        vacancy, offer = _lock_offer(offer)
        write.track(offer)
        if only_if_overdue:
            if offer.status != OfferStatus.PENDING or not is_overdue(offer.response_deadline, day):
                write.unchanged()  # answered meanwhile
                return False
            day = ran_out_on(offer.response_deadline)
        check_not_leased(offer)
        if note_required and not note.strip():  # the final answer above first
            raise ValidationError({"note": note_required}, code="documentation_missing")
        check_length("note", note, MAX_NOTE)
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
        until = day + dt.timedelta(days=offer.pause_days)
        if offer.pause_days and until >= today:
            case_park(
                actor=actor,
                case=case,
                until=until,
                reason=_("Paused after the offer: %(reason)s") % {"reason": summary},
                today=today,
            )
    return True


def offer_decline(
    *, actor: Any, offer: Offer, reason: str, note: str = "", today: dt.date | None = None
) -> Offer:
    """The citizen (client-declined) or the municipality's side (provider-declined) says no,
    with a coded reason. The reason's configured consequence (a pause) is applied to the case;
    nothing is deleted."""
    _check_municipal(actor)
    try:
        code = DeclineReason(reason)
    except ValueError:
        raise ValidationError({"reason": _("Choose a reason for declining.")}) from None
    _offer_close(
        actor=actor,
        offer=offer,
        target=OfferState.DECLINED,
        day=local_today(today),
        reason=code,
        note=note,
    )
    return Offer.objects.get(pk=offer.pk)


def offer_withdraw(
    *, actor: Any, offer: Offer, note: str = "", today: dt.date | None = None
) -> Offer:
    """The municipality withdraws an offer before the lease (no consequence for the citizen)."""
    _check_municipal(actor)
    _offer_close(
        actor=actor, offer=offer, target=OfferState.WITHDRAWN, day=local_today(today), note=note
    )
    return Offer.objects.get(pk=offer.pk)


def offer_reject(
    *, actor: Any, offer: Offer, ground: str, note: str = "", today: dt.date | None = None
) -> Offer:
    """The organisation rejects the nominee, only on a legal ground, which is recorded with its
    documentation (on every path: the form, the API)."""
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
    day = local_today(today)
    if code is RejectionGround.OVERCROWDING:
        # The one ground the recorded household decides: the gate's own persons-per-room rule.
        codes = gate.offer_check(case=offer.case, vacancy=offer.vacancy, day=day).findings.codes
        if "overcrowded" not in codes:
            raise ValidationError(
                {
                    "ground": _(
                        "By the household recorded on the case the dwelling is not overcrowded "
                        "(at most two persons per room), so this ground does not apply."
                    )
                },
                code="ground_does_not_apply",
            )
    _offer_close(
        actor=actor,
        offer=offer,
        target=OfferState.REJECTED_BY_ORGANISATION,
        day=day,
        ground=code,
        note=note,
        note_required=_("Describe the ground, e.g. the size of the debt and that no plan exists."),
    )
    return Offer.objects.get(pk=offer.pk)
