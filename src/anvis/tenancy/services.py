"""Writes for tenancies: events reported by the organisation or the municipality, follow-up
tasks on early warnings, the named contacts and the support plan of the tenancy.

Every function owns its transaction and writes an audit row; notifications are sent after the
transaction commits (through `anvis.notifications.services.notify`), and an event reported by
the organisation is put in the webhook outbox (`tenancy.event_reported`) in the same
transaction. A move-out ends the tenancy and the municipal placement
(`anvis.monitoring.services.placement_end`), so retention is computed from real events.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from anvis.audit.services import acting_user, audited
from anvis.cases.models import Case, SupportPlan, SupportStatus
from anvis.cases.models import EventKind as CaseEventKind
from anvis.cases.services import case_event
from anvis.common import formats as fmt
from anvis.common.clock import local_today
from anvis.events import publish
from anvis.permissions import (
    MUNICIPAL,
    Role,
    can_write_organisation,
    user_has_role,
    user_organisation_ids,
)
from anvis.vacancies.choices import OfferStatus
from anvis.vacancies.models import Lease
from anvis_core.tenancy.deadlines import follow_up_deadline
from anvis_core.tenancy.events import (
    MUNICIPAL_KINDS,
    ORGANISATION_KINDS,
    RISK_KINDS,
    move_out_before_events,
    placement_outcome,
    side_of,
    tells_the_caseworker,
)
from anvis_core.tenancy.events import EventKind as CoreKind
from anvis_core.tenancy.events import MoveOutReason as CoreReason

from .models import (
    NOTE_MAX,
    EventKind,
    FollowUpTask,
    MoveOutReason,
    Source,
    TaskStatus,
    Tenancy,
    TenancyEvent,
)

WEBHOOK_EVENT = "tenancy.event_reported"
MAX_ARREARS = 10_000_000
MAX_MONTHS = 120


def deadline_overrides() -> dict[str, int]:
    """Working days per early-warning kind, from `ANVIS_TENANCY_FOLLOW_UP_DAYS` (see
    docs/tenancy.md); kinds not named keep the defaults of `anvis_core.tenancy.deadlines`."""
    return dict(getattr(settings, "ANVIS_TENANCY_FOLLOW_UP_DAYS", {}) or {})


# --- the tenancy ----------------------------------------------------------------------------------


def tenancy_ensure(*, lease: Lease) -> Tenancy:
    """The tenancy of a lease that came through the agreement (an accepted offer), created on
    first use with the case's current support plan linked."""
    existing = Tenancy.objects.filter(lease_id=lease.pk).first()
    if existing is not None:
        return existing
    offer = lease.offer
    if offer is None or offer.status != OfferStatus.ACCEPTED:
        raise ValidationError(_("Only a lease that came through the agreement has a tenancy."))
    with audited("tenancy.open", actor=lease.registered_by) as write:
        Lease.objects.select_for_update(of=("self",)).get(pk=lease.pk)
        existing = Tenancy.objects.filter(lease_id=lease.pk).first()
        if existing is not None:
            write.unchanged()
            return existing
        case = Case.objects.select_related("caseworker").get(pk=offer.case_id)
        plan = (
            case.support_plans.exclude(status=SupportStatus.CANCELLED)
            .order_by("-decided_on", "-pk")
            .first()
        )
        tenancy = write.created(
            Tenancy.objects.create(
                lease=lease,
                case=case,
                support_plan=plan,
                municipal_contact=case.caseworker,
            )
        )
    return tenancy


def tenancy_remove(*, actor: Any, lease: Lease) -> bool:
    """The lease was cancelled before the tenant moved in (`vacancies.services.lease_cancel`):
    no tenancy ran, so the tenancy opened at the lease is removed, and with it from every
    retention figure and list (the audit row keeps its values). Refused when the tenancy has
    events of its own: the tenant moved in, and a move-out ends that tenancy. False when the
    lease had no tenancy."""
    with audited("tenancy.remove", actor=actor) as write:
        tenancy = Tenancy.objects.select_for_update().filter(lease_id=lease.pk).first()
        if tenancy is None:
            write.unchanged()
            return False
        if tenancy.events.exists():
            raise ValidationError(
                _("The tenancy has events of its own; the tenant has moved in."), code="moved_in"
            )
        write.delete(tenancy)
    return True


def _writes_as(actor: Any, organisation_id: int, kind: CoreKind | None) -> None:
    """Organisation staff report their organisation's events; municipal roles record the
    municipality's; administrators may do both. An unknown kind is judged by the side the
    user may write (and then refused as a bad value)."""
    if user_has_role(actor, {Role.ADMIN}):
        return
    if kind is None:
        kind = CoreKind.RESOLVED if user_has_role(actor, {Role.ORGANISATION}) else CoreKind.PRISON
    if kind in ORGANISATION_KINDS:
        if not (
            user_has_role(actor, {Role.ORGANISATION})
            and can_write_organisation(actor, organisation_id)
        ):
            raise PermissionDenied
        return
    if kind in MUNICIPAL_KINDS and user_has_role(actor, MUNICIPAL):
        return
    raise PermissionDenied


def kinds_for(user: Any) -> list[str]:
    """The event kinds a user may report (the form's choices)."""
    if user_has_role(user, {Role.ADMIN}):
        return list(EventKind.values)
    if user_has_role(user, {Role.ORGANISATION}):
        return [k for k in EventKind.values if CoreKind(k) in ORGANISATION_KINDS]
    if user_has_role(user, MUNICIPAL):
        return [k for k in EventKind.values if CoreKind(k) in MUNICIPAL_KINDS]
    return []


@dataclass(frozen=True)
class EventInput:
    kind: str
    event_date: dt.date
    note: str = ""
    amount: int | None = None
    months: int | None = None
    eviction_date: dt.date | None = None
    move_out_reason: str = ""

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> EventInput:
        """The event of a form's or a request's validated values (the same field names); an
        optional value left out or empty is none."""
        return cls(
            kind=values["kind"],
            event_date=values["event_date"],
            note=values.get("note") or "",
            amount=values.get("amount"),
            months=values.get("months"),
            eviction_date=values.get("eviction_date"),
            move_out_reason=values.get("move_out_reason") or "",
        )


def already_reported(tenancy: Tenancy, data: EventInput) -> TenancyEvent | None:
    """The event on the tenancy that `data` repeats (the same event, date and values; the note
    aside), or None: one event is reported once, by whichever path (form, file, API, a
    vacancy report's notice)."""
    return (
        tenancy.events.filter(
            kind=data.kind,
            event_date=data.event_date,
            amount=data.amount,
            months=data.months,
            eviction_date=data.eviction_date,
            move_out_reason=data.move_out_reason,
        )
        .order_by("pk")
        .first()
    )


def check_event(tenancy: Tenancy, data: EventInput, today: dt.date) -> CoreKind:
    """Every rule on an event's values, with Danish messages naming the field."""
    errors: dict[str, str] = {}
    try:
        kind = CoreKind(data.kind)
    except ValueError:
        raise ValidationError({"kind": _("Choose the event.")}) from None
    move_in = tenancy.lease.move_in_on
    if data.event_date > today:
        errors["event_date"] = _("The date cannot be in the future.")
    elif data.event_date < move_in:
        errors["event_date"] = _("The date cannot be before the move-in (%(date)s).") % {
            "date": fmt.date(move_in)
        }
    elif kind is CoreKind.MOVE_OUT:
        # The organisation's own reports: a municipal event (support, a hospital stay) may lie
        # around the move-out, and its date is not the organisation's to learn from a message.
        latest = move_out_before_events(
            data.event_date,
            tenancy.events.filter(kind__in=[k.value for k in ORGANISATION_KINDS]).values_list(
                "event_date", flat=True
            ),
        )
        if latest is not None:
            errors["event_date"] = _(
                "The move-out cannot be dated before the latest event on the tenancy (%(date)s)."
            ) % {"date": fmt.date(latest)}
    if len(data.note) > NOTE_MAX:
        errors["note"] = _("The note may be at most %(n)d characters.") % {"n": NOTE_MAX}
    if kind is CoreKind.ARREARS:
        if data.amount is None or not 0 < data.amount <= MAX_ARREARS:
            errors["amount"] = _("Give the arrears in whole kroner (more than 0).")
        if data.months is None or not 0 < data.months <= MAX_MONTHS:
            errors["months"] = _("Give the number of months in arrears (1–120).")
    elif data.amount is not None or data.months is not None:
        errors["amount"] = _("An amount belongs only to rent arrears.")
    if kind is CoreKind.MOVE_OUT:
        if data.move_out_reason not in MoveOutReason.values:
            errors["move_out_reason"] = _("Choose the reason for moving out.")
    elif data.move_out_reason:
        errors["move_out_reason"] = _("A reason for moving out belongs only to a move-out.")
    if data.eviction_date is not None:
        if kind is not CoreKind.EVICTION:
            errors["eviction_date"] = _("An eviction date belongs only to an eviction case.")
        elif data.eviction_date < data.event_date:
            errors["eviction_date"] = _("The eviction date cannot be before the case was filed.")
    if tenancy.ended_on is not None:
        errors["kind"] = _("The tenancy ended on %(date)s; no more events can be reported.") % {
            "date": fmt.date(tenancy.ended_on)
        }
    elif not errors and (earlier := already_reported(tenancy, data)) is not None:
        errors["kind"] = _("The event is already reported on the tenancy (%(date)s).") % {
            "date": fmt.date(earlier.reported_on)
        }
    if errors:
        raise ValidationError(errors)
    return kind


def tenancy_event_report(
    *,
    actor: Any,
    lease: Lease,
    data: EventInput,
    source: str = Source.FORM,
    today: dt.date | None = None,
) -> TenancyEvent:
    """Report one event on a tenancy. An early warning opens a follow-up task with a deadline
    in working days and tells the caseworker and the support contact after commit; a move-out
    ends the tenancy and the municipal placement and closes the open tasks."""
    day = local_today(today)
    kind = CoreKind(data.kind) if data.kind in EventKind.values else None
    organisation_id = Lease.objects.values_list("vacancy__organisation_id", flat=True).get(
        pk=lease.pk
    )
    _writes_as(actor, organisation_id, kind)
    with audited("tenancy.event_report", actor=actor) as write:
        tenancy = tenancy_ensure(lease=lease)
        tenancy = (
            Tenancy.objects.select_for_update(of=("self",))
            .select_related("lease__vacancy", "case")
            .get(pk=tenancy.pk)
        )
        kind = check_event(tenancy, data, day)
        event = write.created(
            TenancyEvent.objects.create(
                tenancy=tenancy,
                kind=kind.value,
                side=side_of(kind).value,
                event_date=data.event_date,
                reported_on=day,
                reported_by=acting_user(actor),
                amount=data.amount,
                months=data.months,
                eviction_date=data.eviction_date,
                move_out_reason=data.move_out_reason,
                note=data.note.strip(),
                source=source,
            )
        )
        task = None
        if kind in RISK_KINDS:
            deadline = follow_up_deadline(kind, day, deadline_overrides())
            assert deadline is not None
            with audited("tenancy.task_open", actor=actor) as opened:
                task = opened.created(
                    FollowUpTask.objects.create(tenancy=tenancy, event=event, deadline=deadline)
                )
        if kind is CoreKind.MOVE_OUT:
            reason = CoreReason(data.move_out_reason)
            _end(actor, tenancy, data.event_date, reason)
            _case_timeline(actor, tenancy, event)
            if tells_the_caseworker(reason):
                _moved_out_after_commit(event.pk)
        if side_of(kind).value == "organisation":
            _webhook(tenancy, event)
        if task is not None:
            _warn_after_commit(task.pk)
    return event


def _case_timeline(actor: Any, tenancy: Tenancy, event: TenancyEvent) -> None:
    """The move-out on the case's timeline, linked to the tenancy page; the case keeps its
    status (what follows is the caseworker's decision)."""
    case_event(
        tenancy.case,
        actor,
        CaseEventKind.TENANCY_ENDED,
        _("Moved out of %(dwelling)s on %(date)s: %(reason)s. The tenancy has ended.")
        % {
            "dwelling": tenancy.lease.vacancy.dwelling,
            "date": fmt.date(event.event_date),
            "reason": event.get_move_out_reason_display(),
        },
        link=reverse("tenancy:tenancy_detail", args=[tenancy.lease_id]),
    )


def _end(actor: Any, tenancy: Tenancy, moved_out_on: dt.date, reason: CoreReason) -> None:
    with audited("tenancy.end", actor=actor) as write:
        write.track(tenancy)
        tenancy.ended_on = moved_out_on
        tenancy.end_reason = reason.value
        tenancy.save(update_fields=["ended_on", "end_reason"])
    FollowUpTask.objects.filter(tenancy=tenancy, status=TaskStatus.OPEN).update(
        status=TaskStatus.CLOSED
    )
    if apps.is_installed("anvis.monitoring"):
        from anvis.monitoring.services import placement_end, placement_of

        lease = tenancy.lease
        placement = placement_of(
            dwelling_id=lease.vacancy.dwelling_id,
            placed_on=lease.move_in_on,
            case_ref=tenancy.case.number,
        )
        if placement is not None:
            placement_end(
                actor=actor,
                placement=placement,
                moved_out_on=moved_out_on,
                outcome=placement_outcome(reason),
            )


def _webhook(tenancy: Tenancy, event: TenancyEvent) -> None:
    """The organisation's report, without the note, to the subscribed systems."""
    publish(
        WEBHOOK_EVENT,
        organisation_id=tenancy.lease.vacancy.organisation_id,
        lease_id=tenancy.lease_id,
        vacancy_id=tenancy.lease.vacancy_id,
        dwelling_id=tenancy.lease.vacancy.dwelling_id,
        event_id=event.pk,
        kind=event.kind,
        event_date=event.event_date.isoformat(),
        reported_on=event.reported_on.isoformat(),
        amount=event.amount,
        months=event.months,
        eviction_date=event.eviction_date.isoformat() if event.eviction_date else None,
        move_out_reason=event.move_out_reason or None,
    )


def warning_recipients(tenancy: Tenancy) -> set[int]:
    """The caseworker of the case and the named support contact of the tenancy: told of an
    early warning and of a move-out that lost the home (or a death)."""
    ids = {tenancy.case.caseworker_id, tenancy.municipal_contact_id}
    return {pk for pk in ids if pk is not None}


def _tell_after_commit(compose: Callable[[], tuple[Tenancy, str, str, str, str]]) -> None:
    """Once the report commits, the case's caseworker and the tenancy's support contact
    (`warning_recipients`) are told: ``compose`` reads the committed rows and answers the
    tenancy and the notification's kind, title, body and link, written in Danish."""

    def run() -> None:
        from anvis.notifications.services import notify

        with translation.override("da"):
            tenancy, kind, title, body, link = compose()
        notify(
            recipient_ids=warning_recipients(tenancy),
            kind=kind,
            title=title,
            body=body,
            link=link,
        )

    transaction.on_commit(run)


def _warn_after_commit(task_pk: int) -> None:
    """An early warning: told with a link to the tenancy, where the follow-up task is."""

    def compose() -> tuple[Tenancy, str, str, str, str]:
        from anvis.notifications.models import Kind

        task = FollowUpTask.objects.select_related(
            "event", "tenancy__case", "tenancy__lease__vacancy__dwelling"
        ).get(pk=task_pk)
        tenancy = task.tenancy
        title = _("Tenancy at risk: %(kind)s, case %(case)s") % {
            "kind": task.event.get_kind_display(),
            "case": tenancy.case.number,
        }
        body = _(
            "The housing organisation has reported %(kind)s on %(dwelling)s (dated "
            "%(date)s). Contact the tenant by %(deadline)s."
        ) % {
            "kind": task.event.get_kind_display().lower(),
            "dwelling": tenancy.lease.vacancy.dwelling,
            "date": fmt.date(task.event.event_date),
            "deadline": fmt.date(task.deadline),
        }
        link = reverse("tenancy:tenancy_detail", args=[tenancy.lease_id])
        return tenancy, Kind.TENANCY_WARNING, title, body, link

    _tell_after_commit(compose)


def _moved_out_after_commit(event_pk: int) -> None:
    """A move-out that lost the home, or a death: told with a link to the case, whose next
    step is theirs."""

    def compose() -> tuple[Tenancy, str, str, str, str]:
        from anvis.notifications.models import Kind

        event = TenancyEvent.objects.select_related(
            "tenancy__case", "tenancy__lease__vacancy__dwelling"
        ).get(pk=event_pk)
        tenancy = event.tenancy
        reason = event.get_move_out_reason_display()
        title = _("Tenancy ended: %(reason)s, case %(case)s") % {
            "reason": reason,
            "case": tenancy.case.number,
        }
        body = _(
            "The housing organisation has reported that the tenant moved out of "
            "%(dwelling)s on %(date)s (%(reason)s). The tenancy has ended; the case is "
            "still “%(status)s”. Decide on the case page how to follow up."
        ) % {
            "dwelling": tenancy.lease.vacancy.dwelling,
            "date": fmt.date(event.event_date),
            "reason": reason.lower(),
            "status": tenancy.case.get_status_display(),
        }
        link = reverse("cases:case_overview", args=[tenancy.case_id])
        return tenancy, Kind.TENANCY_ENDED, title, body, link

    _tell_after_commit(compose)


# --- follow-up tasks ------------------------------------------------------------------------------


def _lock_task(task: FollowUpTask) -> FollowUpTask:
    return FollowUpTask.objects.select_for_update(of=("self",)).get(pk=task.pk)


def task_acknowledge(*, actor: Any, task: FollowUpTask) -> FollowUpTask:
    """The municipality has seen the warning (the organisation sees that, nothing more)."""
    if not user_has_role(actor, MUNICIPAL):
        raise PermissionDenied
    with audited("tenancy.task_acknowledge", actor=actor) as write:
        task = write.track(_lock_task(task))
        if task.acknowledged_at is not None:
            write.unchanged()
            return task
        task.acknowledged_at = timezone.now()
        task.acknowledged_by = acting_user(actor)
        task.save(update_fields=["acknowledged_at", "acknowledged_by"])
    return task


def task_contact_record(
    *,
    actor: Any,
    task: FollowUpTask,
    contact_on: dt.date,
    note: str = "",
    today: dt.date | None = None,
) -> FollowUpTask:
    """The caseworker has been in contact with the tenant: the task is done (and acknowledged)."""
    if not user_has_role(actor, MUNICIPAL):
        raise PermissionDenied
    day = local_today(today)
    errors: dict[str, str] = {}
    if contact_on > day:
        errors["contact_on"] = _("The date cannot be in the future.")
    if len(note) > NOTE_MAX:
        errors["note"] = _("The note may be at most %(n)d characters.") % {"n": NOTE_MAX}
    with audited("tenancy.task_contact", actor=actor) as write:
        task = _lock_task(task)
        event_date = TenancyEvent.objects.values_list("event_date", flat=True).get(pk=task.event_id)
        if "contact_on" not in errors and contact_on < event_date:
            errors["contact_on"] = _("The contact cannot be before the event (%(date)s).") % {
                "date": fmt.date(event_date)
            }
        if task.status != TaskStatus.OPEN:
            errors["__all__"] = _("The task is no longer open.")
        if errors:
            raise ValidationError(errors)
        write.track(task)
        task.status = TaskStatus.DONE
        task.contact_on = contact_on
        task.contact_note = note.strip()
        task.done_by = acting_user(actor)
        if task.acknowledged_at is None:
            task.acknowledged_at = timezone.now()
            task.acknowledged_by = acting_user(actor)
        task.save()
    return task


# --- contacts and support -------------------------------------------------------------------------


def tenancy_contacts_set(
    *,
    actor: Any,
    tenancy: Tenancy,
    municipal_contact: Any = None,
    organisation_contact: Any = None,
    support_plan: SupportPlan | None = None,
    set_municipal: bool = False,
    set_organisation: bool = False,
) -> Tenancy:
    """Name the contacts ("én indgang") and link the support plan. The municipality names its
    support contact and the plan; the organisation names its own contact."""
    organisation_id = tenancy.lease.vacancy.organisation_id
    municipal = user_has_role(actor, MUNICIPAL)
    if set_municipal and not municipal:
        raise PermissionDenied
    if set_organisation and not can_write_organisation(actor, organisation_id):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if set_municipal:
        if municipal_contact is not None and municipal_contact.role not in MUNICIPAL:
            errors["municipal_contact"] = _("Choose a municipal employee.")
        if support_plan is not None and support_plan.case_id != tenancy.case_id:
            errors["support_plan"] = _("Choose one of the case's support plans.")
    if (
        set_organisation
        and organisation_contact is not None
        and organisation_id not in user_organisation_ids(organisation_contact)
    ):
        errors["organisation_contact"] = _("Choose an employee of the housing organisation.")
    if errors:
        raise ValidationError(errors)
    with audited("tenancy.contacts", actor=actor) as write:
        locked = Tenancy.objects.select_for_update().get(pk=tenancy.pk)
        write.track(locked)
        if set_municipal:
            locked.municipal_contact = municipal_contact
            locked.support_plan = support_plan
        if set_organisation:
            locked.organisation_contact = organisation_contact
        locked.save()
    return locked
