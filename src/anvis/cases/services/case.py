"""Services of the citizen and the case: create, update, household, situation, urgency, status and notes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from anvis.audit.services import acting_user, audited
from anvis.common import formats as fmt
from anvis.common.clock import local_today
from anvis_core.cases.status import CaseStatus as CoreStatus
from anvis_core.cases.status import TransitionError, can_park, can_transition, check_transition

from ..models import (
    Case,
    CaseEvent,
    CaseStatus,
    Citizen,
    EventKind,
    HouseholdChild,
    SituationEntry,
)
from .common import (
    CASE_EDITABLE_FIELDS,
    CITIZEN_EDITABLE_FIELDS,
    _citizen_for,
    _lock,
    _lock_open,
    _save_numbered,
    _store_priority,
    case_event,
    check_release,
    citizen_hash,
    cpr_parse_or_error,
    refuse_future,
)
from .support import legal_bar_add


def case_create(
    *,
    actor: Any,
    cpr: str,
    first_name: str,
    last_name: str,
    situation: str,
    situation_since: dt.date,
    phone: str = "",
    email: str = "",
    preferred_contact: str = "phone",
    adults: int = 1,
    release_from: str = "",
    release_date: dt.date | None = None,
    waiting_since: dt.date | None = None,
    today: dt.date | None = None,
) -> Case:
    """Open a case. A known CPR (by keyed hash) re-uses the citizen: re-entry is normal, but a
    citizen can have only one open case at a time."""
    day = local_today(today)
    parsed = cpr_parse_or_error(cpr, on=day)
    refuse_future(day, situation_since=situation_since)
    check_release(situation, release_date, day)
    with audited("cases.case_create", actor=actor) as write:
        citizen, previous = _citizen_for(
            actor=actor,
            parsed=parsed,
            digest=citizen_hash(parsed),
            first_name=first_name,
            last_name=last_name,
            phone=phone,
            email=email,
            preferred_contact=preferred_contact,
        )
        case = write.created(
            Case(
                citizen=citizen,
                caseworker=acting_user(actor),
                opened_on=day,
                waiting_since=waiting_since or day,
                situation=situation,
                situation_since=situation_since,
                adults=adults,
            )
        )
        case.full_clean(exclude=["number", "citizen"])
        _save_numbered(case, day.year)
        SituationEntry.objects.create(
            case=case,
            situation=situation,
            since=situation_since,
            release_from=release_from,
            release_date=release_date,
            recorded_by=case.caseworker,
        )
        summary = ""
        if previous is not None:
            summary = _("Re-entry; previous case %(number)s.") % {"number": previous.number}
            carried = _carry_bar_events(actor, previous, case)
            if carried:
                summary += " " + ngettext(
                    "%(n)s legal-bar event carried over from it (the bars follow the citizen).",
                    "%(n)s legal-bar events carried over from it (the bars follow the citizen).",
                    carried,
                ) % {"n": carried}
        case_event(case, actor, EventKind.CREATED, summary)
        _store_priority(case, day)
    return case


def citizen_update(*, actor: Any, citizen: Citizen, changes: Mapping[str, Any]) -> Citizen:
    unknown = set(changes) - CITIZEN_EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    with audited("cases.citizen_update", actor=actor) as write:
        citizen = write.track(Citizen.objects.select_for_update().get(pk=citizen.pk))
        for name, value in changes.items():
            setattr(citizen, name, value)
        citizen.full_clean()
        citizen.save()
        for case in citizen.cases.open():
            case_event(case, actor, EventKind.UPDATED, _("Contact details updated."))
    return citizen


def case_update(
    *, actor: Any, case: Case, changes: Mapping[str, Any], today: dt.date | None = None
) -> Case:
    """Change household, needs, economy or priority-need fields (see CASE_EDITABLE_FIELDS)."""
    unknown = set(changes) - CASE_EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    with audited("cases.case_update", actor=actor) as write:
        case = write.track(_lock_open(case))
        changed = [n for n, v in changes.items() if getattr(case, n) != v]
        for name, value in changes.items():
            setattr(case, name, value)
        if case.max_rent_override is None:
            case.max_rent_override_reason = ""
        case.full_clean()
        case.save()
        if changed:
            labels = ", ".join(
                str(getattr(Case._meta.get_field(n), "verbose_name", n)) for n in changed
            )
            case_event(
                case, actor, EventKind.UPDATED, _("Changed: %(fields)s.") % {"fields": labels}
            )
        _store_priority(case, local_today(today))
    return case


def case_set_children(
    *, actor: Any, case: Case, birth_dates: Iterable[dt.date], today: dt.date | None = None
) -> Case:
    dates = sorted(birth_dates)
    day = local_today(today)
    if any(d > day for d in dates):
        raise ValidationError(
            _("A child's birth date cannot be in the future."), code="child_future"
        )
    with audited("cases.children_set", actor=actor) as write:
        case = _lock_open(case)
        old = list(case.children.values_list("birth_date", flat=True))
        if sorted(old) != dates:
            case.children.all().delete()
            HouseholdChild.objects.bulk_create(
                [HouseholdChild(case=case, birth_date=d) for d in dates]
            )
            case_event(case, actor, EventKind.UPDATED, _("Children: %(n)d.") % {"n": len(dates)})
            write.record(instance=case, before={"children": old}, after={"children": dates})
        else:
            write.unchanged()
        _store_priority(case, day)
    return case


def case_update_household(
    *,
    actor: Any,
    case: Case,
    changes: Mapping[str, Any],
    birth_dates: Iterable[dt.date],
    today: dt.date | None = None,
) -> Case:
    """The household form: the case's fields and the children's birth dates, both or neither."""
    with transaction.atomic():
        case = case_update(actor=actor, case=case, changes=changes, today=today)
        return case_set_children(actor=actor, case=case, birth_dates=birth_dates, today=today)


def case_set_situation(
    *,
    actor: Any,
    case: Case,
    situation: str,
    since: dt.date,
    release_from: str = "",
    release_date: dt.date | None = None,
    today: dt.date | None = None,
) -> Case:
    day = local_today(today)
    refuse_future(day, since=since)
    check_release(situation, release_date, day)
    with audited("cases.situation_set", actor=actor) as write:
        case = write.track(_lock_open(case))
        entry = SituationEntry(
            case=case,
            situation=situation,
            since=since,
            release_from=release_from,
            release_date=release_date,
            recorded_by=acting_user(actor),
        )
        entry.full_clean(exclude=["case", "recorded_by"])
        entry.save()
        case.situation, case.situation_since = situation, since
        case.save(update_fields=["situation", "situation_since", "updated_at"])
        case_event(case, actor, EventKind.SITUATION, str(entry.get_situation_display()))
        _store_priority(case, local_today(today))
    return case


def case_set_urgency(
    *, actor: Any, case: Case, urgent: bool, reason: str = "", today: dt.date | None = None
) -> Case:
    reason = reason.strip()
    if urgent and not reason:
        raise ValidationError({"urgency_reason": _("Give a reason for the urgency.")})
    with audited("cases.urgency_set", actor=actor) as write:
        case = write.track(_lock_open(case))
        case.urgent, case.urgency_reason = urgent, reason if urgent else ""
        case.save(update_fields=["urgent", "urgency_reason", "updated_at"])
        case_event(
            case,
            actor,
            EventKind.URGENCY,
            (_("Marked urgent: %(reason)s") % {"reason": reason})
            if urgent
            else _("Urgency removed."),
        )
        _store_priority(case, local_today(today))
    return case


def _carry_bar_events(actor: Any, previous: Case, case: Case) -> int:
    """Add the legal-bar events of the citizen's previous case to the new one, through the same
    service as the case page. A release or a benefit period is a fact about the person, not
    about one period of homelessness, so closing a case and opening a new one must not lift a
    bar (the previous case carried its own predecessors' events, so the latest holds them all)."""
    events = list(previous.bar_events.order_by("date", "pk"))
    for old in events:
        legal_bar_add(
            actor=actor,
            case=case,
            kind=old.kind,
            date=old.date,
            end=old.end,
            benefit=old.benefit,
            member=old.member,
        )
    return len(events)


def case_transition(
    *,
    actor: Any,
    case: Case,
    status: str,
    today: dt.date | None = None,
    by_hand: bool = False,
) -> Case:
    """Move a case along waiting → offered → housed → follow-up → closed (rules in anvis_core).
    ``by_hand``: the caseworker's status page, which makes only the transitions that are not
    the flow's (:data:`anvis_core.cases.status.BY_HAND`)."""
    day = local_today(today)
    with audited("cases.status_change", actor=actor) as write:
        case = write.track(_lock(case))
        current, target = CoreStatus(case.status), CoreStatus(status)
        try:
            check_transition(current, target, by_hand=by_hand)
        except TransitionError:
            labels = {"current": case.get_status_display(), "target": CaseStatus(status).label}
            if not can_transition(current, target):
                message = _("A case cannot go from %(current)s to %(target)s.") % labels
            elif current is CoreStatus.OFFERED:
                message = _(
                    "The case has an active offer. Withdraw the offer on the vacancy first; the "
                    "case then goes back to waiting and can be closed."
                )
            else:
                message = (
                    _("“%(target)s” is set by the offer and the lease, not on this page.") % labels
                )
            raise ValidationError(message, code="invalid_transition") from None
        old_label = case.get_status_display()
        case.status = status
        case.closed_on = day if status == CaseStatus.CLOSED else None
        if status != CaseStatus.WAITING:
            case.parked_until, case.park_reason = None, ""
        case.save()
        case_event(case, actor, EventKind.STATUS, f"{old_label} → {case.get_status_display()}")
    return case


def case_park(
    *, actor: Any, case: Case, until: dt.date, reason: str, today: dt.date | None = None
) -> Case:
    day = local_today(today)
    reason = reason.strip()
    errors: dict[str, str] = {}
    if not reason:
        errors["park_reason"] = _("Give a reason for parking the case.")
    if until < day:
        errors["parked_until"] = _("The end date cannot be in the past.")
    if errors:
        raise ValidationError(errors)
    with audited("cases.park", actor=actor) as write:
        case = write.track(_lock(case))
        if not can_park(CoreStatus(case.status)):
            raise ValidationError(_("Only a waiting case can be parked."), code="park_not_waiting")
        case.parked_until, case.park_reason = until, reason
        case.save(update_fields=["parked_until", "park_reason", "updated_at"])
        case_event(
            case,
            actor,
            EventKind.PARKED,
            _("Parked until %(date)s: %(reason)s") % {"date": fmt.date(until), "reason": reason},
        )
    return case


def case_unpark(*, actor: Any, case: Case, automatic: bool = False) -> Case:
    with audited("cases.unpark", actor=actor) as write:
        case = write.track(_lock(case))
        if case.parked_until is None:
            write.unchanged()
            return case
        case.parked_until, case.park_reason = None, ""
        case.save(update_fields=["parked_until", "park_reason", "updated_at"])
        case_event(
            case,
            None if automatic else actor,
            EventKind.UNPARKED,
            _("Unparked automatically at the end date.") if automatic else _("Unparked."),
        )
    return case


def cases_unpark_due(*, today: dt.date | None = None) -> int:
    """Unpark every case whose parking ended before `today`. Idempotent; usable from cron."""
    day = local_today(today)
    due = list(Case.objects.filter(parked_until__lt=day).order_by("pk"))
    for case in due:
        case_unpark(actor="system:unpark_cases", case=case, automatic=True)
    return len(due)


def case_add_note(*, actor: Any, case: Case, text: str) -> CaseEvent:
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write a note.")})
    with audited("cases.note_add", actor=actor) as write:
        case = _lock(case)
        event = case_event(case, actor, EventKind.NOTE, "", text)
        write.note = f"event {event.pk}"
        write.record(instance=case, before=None, after=None)
    return event
