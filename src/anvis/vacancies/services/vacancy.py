"""Writes on a vacancy: the report, the municipality's answer, the hand-back, ordinary letting
and the expiry of unanswered vacancies and offers."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from anvis.agreements.models import HandheldRequest, HandheldStatus, VoidRentFrom
from anvis.agreements.services import handheld_request_close, turn_decide
from anvis.audit.services import audited
from anvis.common import formats as fmt
from anvis.common.clock import local_today
from anvis.permissions import answer_in_time
from anvis.stock.models import Dwelling
from anvis_core.cpr import contains_cpr
from anvis_core.quotas import Outcome
from anvis_core.workflow import (
    DeclineReason,
    OfferState,
    VacancyState,
    is_overdue,
    response_deadline,
)
from anvis_core.workflow.void_rent import VoidRentConvention, void_rent_start

from .. import gate
from ..choices import EventKind, OfferStatus, VacancySource, VacancyStatus
from ..limits import MAX_REASON, REPORT_HORIZON_DAYS
from ..models import MonthlyStatement, Offer, Vacancy
from ..timeline import timeline_add
from ._common import (
    SYSTEM_EXPIRY,
    _check_lead,
    _check_org_writer,
    _lock_vacancy,
    _move_vacancy,
    _settle_turn,
    _user,
    check_length,
    cpr_in_reason_message,
)
from .lease import StatementReason, _correct_approved_statements
from .offer import _offer_close
from .statement import lock_statements

logger = logging.getLogger(__name__)


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
                    "date": fmt.date(open_vacancy.report_date),
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
                % {"date": fmt.date(let.let_from)}
            },
            code="future_lease",
        )


def _open_handheld(request: HandheldRequest | None, organisation_id: int) -> HandheldRequest | None:
    """The håndholdt request a report answers, when it is open to the reporting organisation."""
    if request is None:
        return None
    request = HandheldRequest.objects.get(pk=request.pk)
    if request.status != HandheldStatus.OPEN or (
        request.organisation_id not in (None, organisation_id)
    ):
        raise ValidationError({"handheld_request": _("The håndholdt request is not open to you.")})
    return request


def _vacancy_save_new(vacancy: Vacancy, actor: Any, source: str) -> None:
    """Save a new vacancy (the database refuses a second open one) with its first event."""
    vacancy.full_clean()
    try:
        with transaction.atomic():
            vacancy.save()
    except IntegrityError:
        raise ValidationError(
            {"dwelling": _("The dwelling already has an open vacancy.")}
        ) from None
    timeline_add(
        vacancy=vacancy,
        actor=_user(actor),
        kind=EventKind.STATUS,
        to_status=VacancyState.REPORTED.value,
        summary=str(VacancySource(source).label),
    )


def _vacancy_route(vacancy: Vacancy, dwelling: Dwelling, actor: Any, day: dt.date) -> None:
    """Ask the agreement whose turn it is and move the vacancy to the municipality or to
    ordinary letting; a voluntary offer or a håndholdt answer goes to the municipality."""
    unusable = [
        {"code": f.code, "params": dict(f.reason.params)}
        for f in gate.vacancy_unusable(vacancy=vacancy, day=day)
    ]
    turn = turn_decide(
        dwelling=dwelling,
        report_date=day,
        actor=actor,
        unusable=unusable,
        rent=vacancy.rent_at_letting,
        aconto=vacancy.aconto_at_letting,
    )
    vacancy.turn_record = turn.record
    if turn.municipal or vacancy.source != VacancySource.REPORT:
        if turn.version is not None:
            vacancy.response_deadline = response_deadline(
                day, turn.version.response_deadline_working_days
            )
        _move_vacancy(vacancy, VacancyState.MUNICIPAL, actor, turn.explanation)
    else:
        _move_vacancy(vacancy, VacancyState.ORDINARY, actor, turn.explanation)


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
    day = local_today(report_date)
    with audited("vacancies.report", actor=actor) as write:
        dwelling = (
            Dwelling.objects.select_for_update(of=("self",))
            .select_related("entrance__department")
            .get(pk=dwelling.pk)
        )
        organisation_id = dwelling.entrance.department.organisation_id
        _check_org_writer(actor, organisation_id)
        _check_stock_free(dwelling, day)
        handheld_request = _open_handheld(handheld_request, organisation_id)
        vacancy = Vacancy(
            organisation_id=organisation_id,
            dwelling=dwelling,
            source=source,
            handheld_request=handheld_request if source == VacancySource.HANDHELD else None,
            notice_date=notice_date,
            available_from=available_from,
            report_date=day,
            rent_at_letting=dwelling.rent if rent_at_letting is None else rent_at_letting,
            aconto_at_letting=dwelling.aconto,
            remarks=remarks.strip(),
            reported_by=_user(actor),
        )
        _vacancy_save_new(write.created(vacancy), actor, source)
        _vacancy_route(vacancy, dwelling, actor, day)
        vacancy.save()
    return vacancy


# --- the municipality's answer --------------------------------------------------------------------


def _check_answer_in_time(vacancy: Vacancy, day: dt.date) -> None:
    """The municipality's answer, an acceptance or a decline, is in time through the deadline
    day (`anvis.permissions.answer_in_time`); after it the vacancy has expired (`vacancies_expire`), whether or not
    the job has run yet."""
    deadline = vacancy.response_deadline
    if not answer_in_time(vacancy, day):
        assert deadline is not None  # no deadline never runs out
        raise ValidationError(
            _("The deadline for answering ran out on %(date)s.") % {"date": fmt.date(deadline)},
            code="deadline_passed",
        )


@dataclass(frozen=True)
class AcceptResult:
    vacancy: Vacancy
    corrections: tuple[str, ...] = ()
    """What was corrected on approved monthly statements (void rent reaching back into an
    approved month), in words for the lead who accepted."""


def vacancy_accept(*, actor: Any, vacancy: Vacancy, today: dt.date | None = None) -> Vacancy:
    """The municipality takes the dwelling (:func:`vacancy_accept_result`); the vacancy."""
    return vacancy_accept_result(actor=actor, vacancy=vacancy, today=today).vacancy


def vacancy_accept_result(
    *, actor: Any, vacancy: Vacancy, today: dt.date | None = None
) -> AcceptResult:
    """The municipality takes the dwelling. Void rent starts per the agreement's rule; approved
    months it reaches back into are corrected, and the result says which."""
    day = local_today(today)
    _check_lead(actor)
    with audited("vacancies.accept", actor=actor) as write:
        # Void rent from the available-from day may correct approved months.
        lock_statements(
            Vacancy.objects.values_list("organisation_id", flat=True).get(pk=vacancy.pk)
        )
        vacancy = write.track(_lock_vacancy(vacancy))
        _check_answer_in_time(vacancy, day)
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
        version = vacancy.judged_by
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
        # Void rent from the available-from day may reach back into a month whose statement
        # was approved while the dwelling awaited this answer: that month is corrected, as
        # when a lease or its cancellation changes an approved month.
        corrections = _correct_approved_statements(
            actor, vacancy, vacancy.void_rent_start, day, _acceptance_reason(vacancy, day)
        )
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
    return AcceptResult(vacancy=vacancy, corrections=corrections)


def _acceptance_reason(vacancy: Vacancy, day: dt.date) -> StatementReason:
    def reason(statement: MonthlyStatement, owed: Decimal, paid: Decimal) -> str:
        assert vacancy.void_rent_start is not None
        return _(
            "%(dwelling)s: accepted by the municipality %(accepted)s with void rent from "
            "%(start)s; the month's void rent is %(owed)s instead of the %(approved)s approved "
            "(%(month)s)"
        ) % {
            "dwelling": vacancy.dwelling,
            "accepted": fmt.date(day),
            "start": fmt.date(vacancy.void_rent_start),
            "month": fmt.month(statement.month),
            "owed": fmt.money(owed),
            "approved": fmt.money(paid),
        }

    return reason


def vacancy_decline(
    *, actor: Any, vacancy: Vacancy, note: str = "", today: dt.date | None = None
) -> Vacancy:
    """The municipality declines; the dwelling returns to the organisation (counted delivered).
    The note is shown to the organisation (the vacancy page, the timeline), so it is checked as
    a hand-back's reason is: no CPR number, within `MAX_REASON`."""
    day = local_today(today)
    _check_lead(actor)
    note = note.strip()
    if contains_cpr(note):
        raise ValidationError({"note": cpr_in_reason_message()}, code="cpr")
    check_length("note", note, MAX_REASON)
    with audited("vacancies.decline", actor=actor) as write:
        vacancy = write.track(_lock_vacancy(vacancy))
        _check_answer_in_time(vacancy, day)
        _move_vacancy(
            vacancy,
            VacancyState.DECLINED,
            actor,
            note,
            message=_("The vacancy has already been answered (%(status)s).")
            % {"status": vacancy.get_status_display()},
        )
        vacancy.answered_on = day
        vacancy.decline_note = note
        vacancy.save()
        _settle_turn(vacancy, Outcome.DECLINED, actor)
    return vacancy


def vacancy_hand_back(
    *, actor: Any, vacancy: Vacancy, reason: str, today: dt.date | None = None
) -> Vacancy:
    """The allocation lead hands an accepted dwelling back to ordinary letting. Void rent stops
    that day (the hand-back day is not owed); the ledger counts the turn as the agreement version
    that judged it says (`hand_back_delivered`); the organisation is told."""
    day = local_today(today)
    _check_lead(actor)
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Give the reason for handing the dwelling back.")}, code="required"
        )
    if contains_cpr(reason):
        raise ValidationError({"reason": cpr_in_reason_message()}, code="cpr")
    check_length("reason", reason, MAX_REASON)
    with audited("vacancies.hand_back", actor=actor) as write:
        vacancy = write.track(_lock_vacancy(vacancy))
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
        # The day it was handed back, also before void rent began (then nothing is owed: the
        # void-rent rules end an account that ends before it starts at zero days).
        vacancy.handed_back_on = day
        vacancy.hand_back_reason = reason
        vacancy.save()
        version = vacancy.judged_by
        if version is not None and not version.hand_back_delivered:
            _settle_turn(vacancy, Outcome.ORDINARY, actor)
    return vacancy


def vacancy_let_ordinary(
    *, actor: Any, vacancy: Vacancy, starts_on: dt.date, today: dt.date | None = None
) -> Vacancy:
    """The organisation has let an ordinary-turn vacancy through its own waiting list, from
    ``starts_on``: not before the tenant's notice, and within a year (a date further off would
    keep the dwelling from being reported vacant again until then)."""
    horizon = local_today(today) + dt.timedelta(days=REPORT_HORIZON_DAYS)
    if starts_on > horizon:
        raise ValidationError(
            {
                "starts_on": _("The date is more than a year ahead (after %(date)s); check it.")
                % {"date": fmt.date(horizon)}
            }
        )
    with audited("vacancies.let_ordinary", actor=actor) as write:
        vacancy = write.track(_lock_vacancy(vacancy))
        _check_org_writer(actor, vacancy.organisation_id)
        if vacancy.status != VacancyStatus.ORDINARY:
            # Offered → let is the lease of the municipality's offer, never the organisation's
            # own letting.
            raise ValidationError(
                _(
                    "Only a vacancy on the organisation's own turn can be let through its own "
                    "waiting list; this vacancy is “%(status)s”."
                )
                % {"status": vacancy.get_status_display()},
                code="not_ordinary",
            )
        if starts_on < vacancy.notice_date:
            raise ValidationError(
                {
                    "starts_on": _(
                        "The new lease cannot start before the tenant's notice (%(date)s)."
                    )
                    % {"date": fmt.date(vacancy.notice_date)}
                }
            )
        _move_vacancy(vacancy, VacancyState.LET, actor, fmt.date(starts_on))
        vacancy.let_from = starts_on
        vacancy.save()
    return vacancy


@dataclass
class ExpiryResult:
    vacancies: list[int] = field(default_factory=list)
    offers: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    """Offers that could not be expired (logged)."""
    failed_vacancies: list[int] = field(default_factory=list)
    """Vacancies that could not be expired (logged)."""


def _vacancy_expire(candidate: Vacancy, day: dt.date) -> bool:
    """Expire one overdue municipal vacancy in its own transaction; False when it was answered
    or moved on meanwhile."""
    with audited("vacancies.expire", actor=SYSTEM_EXPIRY) as write:
        vacancy = write.track(_lock_vacancy(candidate))
        if vacancy.status != VacancyStatus.MUNICIPAL or not is_overdue(
            vacancy.response_deadline, day
        ):
            write.unchanged()  # answered or moved on meanwhile
            return False
        _move_vacancy(vacancy, VacancyState.EXPIRED, SYSTEM_EXPIRY)
        vacancy.save()
        _settle_turn(vacancy, Outcome.EXPIRED, SYSTEM_EXPIRY)
    return True


def vacancies_expire(*, today: dt.date | None = None) -> ExpiryResult:
    """Expire every municipal vacancy whose answer deadline has passed, and every pending offer
    whose answer deadline has passed. Idempotent: a second run finds nothing; usable from cron."""
    day = local_today(today)
    result = ExpiryResult()
    due = Vacancy.objects.filter(
        status=VacancyStatus.MUNICIPAL, response_deadline__lt=day
    ).order_by("pk")
    for candidate in due:
        try:
            if _vacancy_expire(candidate, day):
                result.vacancies.append(candidate.pk)
        except ValidationError as error:
            # As for offers below: one vacancy the flow cannot expire (its transaction rolled
            # back) must not keep the others, and the offers, from expiring.
            logger.error("vacancy %s could not expire: %s", candidate.pk, "; ".join(error.messages))
            result.failed_vacancies.append(candidate.pk)
    offers = Offer.objects.filter(status=OfferStatus.PENDING, response_deadline__lt=day)
    for offer in offers.order_by("pk"):
        try:
            closed = _offer_close(
                actor=SYSTEM_EXPIRY,
                offer=offer,
                target=OfferState.EXPIRED,
                day=day,
                reason=DeclineReason.CLIENT_NO_RESPONSE,
                only_if_overdue=True,
            )
        except ValidationError as error:
            # One offer the flow cannot close (its own transaction rolled back) must not keep
            # the others from expiring; it is logged for the allocation lead to look into.
            logger.error("offer %s could not expire: %s", offer.pk, "; ".join(error.messages))
            result.failed.append(offer.pk)
            continue
        if closed:
            result.offers.append(offer.pk)
    return result
