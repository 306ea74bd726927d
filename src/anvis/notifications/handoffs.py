"""Hand-offs: every step of the flow that leaves the next move to another party tells that party,
with a link to the page where the next action is. The handlers subscribe to the domain events
(`anvis.events`, registered in `NotificationsConfig.ready`) and run after the flow's transaction
commits; each reads what was committed and composes the text in Danish.

| event | who is told | next action (link) |
|---|---|---|
| `vacancy.reported` (municipal turn) | allocation leads | answer the vacancy (vacancy page) |
| `vacancy.accepted` | the organisation's staff | none until a nominee is named (vacancy page) |
| `vacancy.accepted` | caseworkers | offer the dwelling (the vacancy's candidates) |
| `vacancy.declined` | the organisation's staff | let it through its own list (vacancy page) |
| `vacancy.expired` | the organisation's staff, allocation leads | as declined (vacancy page) |
| `vacancy.handed_back` | the organisation's staff | let it through its own list (vacancy page) |
| `offer.made` | the organisation's staff | see the nominee (vacancy page) |
| `offer.accepted` | the organisation's staff | register the lease (lease form) |
| `offer.accepted` … `offer.rejected_by_organisation` | the caseworker who made it, leads | next candidate |
| `offer.declined/expired` | the organisation's staff | wait for the next nominee (vacancy page) |
| `lease.warnings_withheld` | the case's caseworker (else the leads) | the case |
| `lease.cancelled` | the case's caseworker; the leads when the organisation recorded it | the case |
| `lease.cancelled` | the organisation's staff when the municipality recorded it | the vacancy page |
| `statement.corrected` | allocation leads, the organisation's staff | see the corrected statement |

The person who took the step is never told about it. The organisations' texts never name the
citizen, not even by case number; the municipality's name the case number only. Deadline
reminders are scheduled work (`services.deadline_reminders`): the allocation leads before a
vacancy's answer deadline, the leads and the offer's caseworker before a citizen's answer
deadline; a deadline that passes is told by the expiry's event above.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from anvis.common import formats as fmt
from anvis.common.clock import local_day
from anvis.events import Event, subscribe
from anvis.permissions import Role
from anvis.vacancies.choices import OfferStatus, VacancyStatus
from anvis.vacancies.links import statement_url
from anvis.vacancies.models import Offer, Vacancy
from anvis_core.workflow import DeclineSide, is_overdue

from .models import Kind
from .services import allocation_lead_ids, notify, organisation_staff_ids

Message = tuple[set[int], str, str, str, str]


def _handoff(build: Callable[[Event], Message | None]) -> Callable[[Event], None]:
    """The event's handler: compose the notification in Danish (`build` answers None where no
    one is told) and create it for its recipients."""

    @functools.wraps(build)
    def handler(event: Event) -> None:
        with translation.override("da"):
            message = build(event)
        if message is None:
            return
        recipient_ids, kind, title, body, link = message
        if recipient_ids:
            notify(recipient_ids=recipient_ids, kind=kind, title=title, body=body, link=link)

    return handler


def _without(ids: Iterable[int], actor_id: int | None) -> set[int]:
    return {pk for pk in ids if pk != actor_id}


def _organisation_staff(organisation_id: int, event: Event) -> set[int]:
    """The organisation's staff, but not the one who took the step."""
    return _without(organisation_staff_ids(organisation_id), event.actor_id)


def caseworker_ids() -> set[int]:
    return set(
        get_user_model()
        .objects.filter(is_active=True, role=Role.CASEWORKER)
        .values_list("pk", flat=True)
    )


def _date(day: dt.date | None) -> str:
    return fmt.date(day) if day else ""


def _vacancy_link(vacancy_id: int) -> str:
    return reverse("vacancies:vacancy_detail", args=[vacancy_id])


def _candidates_link(vacancy_id: int) -> str:
    try:
        return reverse("matching:candidates", args=[vacancy_id])
    except NoReverseMatch:  # matching not installed: offers are made from the vacancy page
        return _vacancy_link(vacancy_id)


def _vacancy(event: Event) -> Vacancy:
    return Vacancy.objects.select_related("dwelling", "organisation").get(
        pk=event.data["vacancy_id"]
    )


def _offer(event: Event) -> Offer:
    return Offer.objects.select_related("vacancy__dwelling", "vacancy__organisation", "case").get(
        pk=event.data["offer_id"]
    )


# --- vacancies ------------------------------------------------------------------------------------


@_handoff
def vacancy_reported(event: Event) -> Message | None:
    """A vacancy went to the municipality: the allocation leads are told."""
    v = _vacancy(event)
    if v.status != VacancyStatus.MUNICIPAL:
        return None
    title = _("New municipal vacancy: %(dwelling)s") % {"dwelling": v.dwelling}
    body = _(
        "%(organisation)s has reported a vacancy available from %(available)s. "
        "The municipality must answer by %(deadline)s."
    ) % {
        "organisation": v.organisation,
        "available": _date(v.available_from),
        "deadline": _date(v.response_deadline),
    }
    return allocation_lead_ids(), Kind.VACANCY_MUNICIPAL, title, body, _vacancy_link(v.pk)


def _first_acceptance(event: Event) -> bool:
    """`vacancy.accepted` also follows every ended offer (the dwelling waits for the next
    candidate) and a lease cancelled before move-in (told as `lease.cancelled`); only the
    municipality's answer itself is a hand-off."""
    return event.data.get("from_status") not in (VacancyStatus.OFFERED, VacancyStatus.LET)


@_handoff
def vacancy_taken(event: Event) -> Message | None:
    """The municipality took the dwelling: the organisation knows the void rent runs and a
    nominee will follow."""
    if not _first_acceptance(event):
        return None
    v = _vacancy(event)
    title = _("The municipality takes the dwelling: %(dwelling)s") % {"dwelling": v.dwelling}
    body = _(
        "The municipality has accepted the vacancy. Void rent runs from %(start)s until the "
        "lease starts. You will be told when a citizen is nominated."
    ) % {"start": _date(v.void_rent_start)}
    recipients = _organisation_staff(v.organisation_id, event)
    return recipients, Kind.VACANCY_TAKEN, title, body, _vacancy_link(v.pk)


@_handoff
def vacancy_ready(event: Event) -> Message | None:
    """An accepted dwelling waits for an offer: the caseworkers are told."""
    if not _first_acceptance(event):
        return None
    v = _vacancy(event)
    title = _("Dwelling ready to offer: %(dwelling)s") % {"dwelling": v.dwelling}
    body = _(
        "The municipality has accepted the vacancy from %(organisation)s, available from "
        "%(available)s. Choose a citizen among the candidates and make the offer."
    ) % {"organisation": v.organisation, "available": _date(v.available_from)}
    recipients = _without(caseworker_ids(), event.actor_id)
    return recipients, Kind.VACANCY_READY, title, body, _candidates_link(v.pk)


@_handoff
def vacancy_declined(event: Event) -> Message | None:
    """The municipality declined the dwelling: it returns to the organisation's own letting."""
    v = _vacancy(event)
    title = _("The municipality declines the dwelling: %(dwelling)s") % {"dwelling": v.dwelling}
    body = _(
        "The municipality has declined the vacancy. Let the dwelling through your own "
        "waiting list; the ledger counts the turn as delivered."
    )
    recipients = _organisation_staff(v.organisation_id, event)
    return recipients, Kind.VACANCY_DECLINED, title, body, _vacancy_link(v.pk)


@_handoff
def vacancy_expired(event: Event) -> Message | None:
    """A municipal vacancy expired unanswered: the organisation's staff and the leads are told."""
    v = _vacancy(event)
    title = _("Vacancy expired without an answer: %(dwelling)s") % {"dwelling": v.dwelling}
    body = _(
        "The municipality did not answer by %(deadline)s. The dwelling returns to "
        "%(organisation)s, and the ledger counts the turn as the agreement says."
    ) % {"deadline": _date(v.response_deadline), "organisation": v.organisation}
    recipients = organisation_staff_ids(v.organisation_id) | allocation_lead_ids()
    return recipients, Kind.VACANCY_EXPIRED, title, body, _vacancy_link(v.pk)


@_handoff
def vacancy_handed_back(event: Event) -> Message | None:
    """The municipality handed an accepted dwelling back: the organisation's staff are told
    (the reason is the lead's own words and names no citizen)."""
    v = _vacancy(event)
    title = _("Dwelling handed back to ordinary letting: %(dwelling)s") % {"dwelling": v.dwelling}
    body = _(
        "The municipality handed the dwelling back on %(date)s. Void rent stops that day. "
        "Reason: %(reason)s"
    ) % {"date": _date(v.handed_back_on), "reason": v.hand_back_reason}
    recipients = _organisation_staff(v.organisation_id, event)
    return recipients, Kind.VACANCY_HANDED_BACK, title, body, _vacancy_link(v.pk)


# --- offers: the organisation's side --------------------------------------------------------------


@_handoff
def nominee_named(event: Event) -> Message | None:
    """An offer was made: the organisation learns that a citizen is nominated for its dwelling
    (the vacancy page shows the nominee as far as the organisation may see)."""
    o = _offer(event)
    title = _("Citizen nominated for %(dwelling)s") % {"dwelling": o.vacancy.dwelling}
    body = _(
        "The municipality has offered the dwelling to a citizen, who answers by "
        "%(deadline)s. You will be told the answer."
    ) % {"deadline": _date(o.response_deadline)}
    recipients = _organisation_staff(o.vacancy.organisation_id, event)
    return recipients, Kind.NOMINEE_NAMED, title, body, _vacancy_link(o.vacancy_id)


@_handoff
def citizen_answered(event: Event) -> Message | None:
    """The nominee answered (or did not): yes means the organisation registers the lease;
    no means the municipality nominates the next citizen."""
    o = _offer(event)
    values = {"dwelling": o.vacancy.dwelling}
    recipients = _organisation_staff(o.vacancy.organisation_id, event)
    if o.status == OfferStatus.ACCEPTED:
        title = _("Lease expected: the citizen said yes to %(dwelling)s") % values
        body = _(
            "The nominated citizen has accepted the offer. Register the lease when it is signed."
        )
        link = reverse("vacancies:lease_create", args=[o.pk])
        return recipients, Kind.LEASE_EXPECTED, title, body, link
    if o.status in (OfferStatus.DECLINED, OfferStatus.EXPIRED):
        title = _("The citizen did not take %(dwelling)s") % values
        body = _(
            "The nominated citizen has declined the offer or not answered in time. The "
            "municipality offers the dwelling to the next citizen."
        )
        return recipients, Kind.CITIZEN_ANSWERED, title, body, _vacancy_link(o.vacancy_id)
    return None


# --- offers: the municipality's side --------------------------------------------------------------


def is_late_decline(offer: Offer) -> bool:
    """A citizen's own decline (client side) that comes after the offer's answer deadline, or
    after the viewing took place: the dwelling has then been held for the citizen longer than
    planned, and the allocation lead is told."""
    if offer.status != OfferStatus.DECLINED or offer.decline_side != DeclineSide.CLIENT.value:
        return False
    answered = offer.answered_on
    if answered is None:
        return False
    if is_overdue(offer.response_deadline, answered):
        return True
    if offer.viewing_at is not None:
        viewed_on = local_day(offer.viewing_at)
        return viewed_on < answered
    return False


def _declined_message(o: Offer, values: dict[str, Any]) -> tuple[str, str, str]:
    if is_late_decline(o):
        values["when"] = (
            _("after the answer deadline %(deadline)s") % values
            if o.answered_on and o.answered_on > o.response_deadline
            else _("after the viewing on %(viewing)s") % {"viewing": _date(local_day(o.viewing_at))}
        )
        title = _("Late decline: %(dwelling)s") % values
        body = (
            _(
                "Case %(case)s declined the offer %(when)s (%(reason)s). Offer the dwelling "
                "to the next candidate."
            )
            % values
        )
        return Kind.LATE_DECLINE, title, body
    title = _("Offer declined: %(dwelling)s") % values
    body = (
        _(
            "Case %(case)s declined the offer (%(reason)s). Offer the dwelling to the next "
            "candidate."
        )
        % values
    )
    return Kind.OFFER_ANSWERED, title, body


def _answer_message(o: Offer, values: dict[str, Any]) -> tuple[str, str, str] | None:
    if o.status == OfferStatus.ACCEPTED:
        title = _("Offer accepted: %(dwelling)s") % values
        body = (
            _("Case %(case)s has accepted the offer. %(organisation)s registers the lease.")
            % values
        )
        return Kind.OFFER_ANSWERED, title, body
    if o.status == OfferStatus.REJECTED_BY_ORGANISATION:
        title = _("Nominee rejected: %(dwelling)s") % values
        body = (
            _(
                "%(organisation)s has rejected case %(case)s on the ground: %(ground)s. "
                "Offer the dwelling to the next candidate."
            )
            % values
        )
        return Kind.NOMINEE_REJECTED, title, body
    if o.status == OfferStatus.EXPIRED:
        title = _("Offer not answered: %(dwelling)s") % values
        body = (
            _(
                "Case %(case)s did not answer by %(deadline)s. Offer the dwelling to the next "
                "candidate."
            )
            % values
        )
        return Kind.OFFER_ANSWERED, title, body
    if o.status == OfferStatus.DECLINED:
        return _declined_message(o, values)
    return None


@_handoff
def offer_answered(event: Event) -> Message | None:
    """An offer ended or was accepted. Accepted, declined or unanswered: the caseworker who made
    it and the allocation leads are told (a late decline as such); rejected by the organisation:
    likewise, as a nominee rejection. A withdrawal is the municipality's own act: no one is told.
    The person who registered the answer is not told about it."""
    o = _offer(event)
    recipients = allocation_lead_ids()
    if o.made_by_id:
        recipients.add(o.made_by_id)
    values: dict[str, Any] = {
        "dwelling": o.vacancy.dwelling,
        "case": o.case.number,
        "organisation": o.vacancy.organisation,
        "deadline": _date(o.response_deadline),
        "reason": o.get_decline_reason_display() if o.decline_reason else "",
        "ground": o.get_rejection_ground_display() if o.rejection_ground else "",
    }
    message = _answer_message(o, values)
    if message is None:
        return None
    kind, title, body = message
    return _without(recipients, event.actor_id), kind, title, body, _vacancy_link(o.vacancy_id)


# --- lease ----------------------------------------------------------------------------------------


def lease_warnings(event: Event) -> None:
    """The organisation registered a lease with warnings only the municipality may read (no
    decided support plan): the case's caseworker, or without one the allocation leads, is told."""
    from anvis.cases.models import Case

    case = Case.objects.get(pk=event.data["case_id"])
    recipients = {case.caseworker_id} if case.caseworker_id else allocation_lead_ids()
    with translation.override("da"):
        title = _("Lease registered for %(case)s") % {"case": case.number}
    notify(
        recipient_ids=recipients,
        kind=Kind.OFFER_ANSWERED,
        title=title,
        body="\n".join(event.data["warnings"]),
        link=reverse("cases:case_overview", args=[case.pk]),
        dedupe_key=f"lease-warnings-{event.data['offer_id']}",
    )


def _cancelled_lease(event: Event) -> tuple[Any, Offer]:
    from anvis.vacancies.models import Lease

    lease = Lease.objects.get(pk=event.data["lease_id"])
    return lease, _offer(event)


@_handoff
def lease_cancelled_municipality(event: Event) -> Message | None:
    """A lease was cancelled before move-in: the case's caseworker learns that the citizen waits
    again (and, when the organisation recorded it, the allocation leads, whose dwelling it is
    to offer again)."""
    lease, o = _cancelled_lease(event)
    recipients = {o.case.caseworker_id} if o.case.caseworker_id else set()
    if event.data.get("by_organisation"):
        recipients |= allocation_lead_ids()
    values = {
        "dwelling": o.vacancy.dwelling,
        "case": o.case.number,
        "date": _date(lease.cancelled_on),
        "reason": lease.cancellation_reason,
    }
    title = _("Lease cancelled before move-in: %(dwelling)s") % values
    body = (
        _(
            "The lease of case %(case)s was cancelled before move-in on %(date)s: %(reason)s. "
            "The case is waiting again with its waiting time, and the dwelling can be offered "
            "again."
        )
        % values
    )
    link = reverse("cases:case_overview", args=[o.case_id])
    return _without(recipients, event.actor_id), Kind.LEASE_CANCELLED, title, body, link


@_handoff
def lease_cancelled_organisation(event: Event) -> Message | None:
    """The municipality recorded a lease cancelled before move-in: the organisation's staff
    learn that the dwelling is not let and the void rent runs again (no citizen named)."""
    if event.data.get("by_organisation"):
        return None
    lease, o = _cancelled_lease(event)
    values = {
        "dwelling": o.vacancy.dwelling,
        "date": _date(lease.cancelled_on),
        "reason": lease.cancellation_reason,
    }
    title = _("Lease cancelled before move-in: %(dwelling)s") % values
    body = (
        _(
            "The municipality has recorded that the lease was cancelled before move-in on "
            "%(date)s: %(reason)s. The dwelling is the municipality's again, and the void rent runs "
            "again from its start until a new lease starts."
        )
        % values
    )
    recipients = _organisation_staff(o.vacancy.organisation_id, event)
    return recipients, Kind.LEASE_CANCELLED, title, body, _vacancy_link(o.vacancy_id)


# --- statements -----------------------------------------------------------------------------------


@_handoff
def statement_corrected(event: Event) -> Message | None:
    """A correction line was added to an approved monthly statement, by the lead or by the flow
    (a lease registered late for a month already approved): the allocation leads, who pay, and
    the organisation's staff, who are paid, are told the month, the amount and the reason."""
    from anvis.vacancies.models import StatementCorrection

    c = StatementCorrection.objects.select_related("statement__organisation").get(
        pk=event.data["correction_id"]
    )
    statement = c.statement
    recipients = allocation_lead_ids() | organisation_staff_ids(statement.organisation_id)
    values = {
        "organisation": statement.organisation,
        "month": fmt.month(statement.month),
        "amount": fmt.money(c.amount),
        "reason": c.reason,
    }
    title = _("Approved statement corrected: %(organisation)s, %(month)s") % values
    body = _("A correction of %(amount)s is added: %(reason)s") % values
    link = statement_url(statement.organisation_id, statement.month)
    return _without(recipients, event.actor_id), Kind.STATEMENT_CORRECTED, title, body, link


def register() -> None:
    """Subscribe the hand-offs to the flow's events (from `NotificationsConfig.ready`)."""
    subscribe("vacancy.reported", vacancy_reported)
    subscribe("vacancy.accepted", vacancy_taken)
    subscribe("vacancy.accepted", vacancy_ready)
    subscribe("vacancy.declined", vacancy_declined)
    subscribe("vacancy.expired", vacancy_expired)
    subscribe("vacancy.handed_back", vacancy_handed_back)
    subscribe("offer.made", nominee_named)
    subscribe(
        ["offer.accepted", "offer.declined", "offer.expired", "offer.rejected_by_organisation"],
        offer_answered,
    )
    subscribe(["offer.accepted", "offer.declined", "offer.expired"], citizen_answered)
    # Written with the lease's own transaction (or at once, outside one): the API answers
    # inside its idempotency transaction, and the caseworker must be told exactly when the lease
    # stands.
    subscribe("lease.warnings_withheld", lease_warnings, in_transaction=True)
    subscribe("statement.corrected", statement_corrected)
    subscribe("lease.cancelled", lease_cancelled_municipality)
    subscribe("lease.cancelled", lease_cancelled_organisation)
