"""Writes to citizens and cases. Each service owns one transaction, locks the case row, writes
the audit trail (never the CPR: `audit_exclude`) and a timeline event, and refreshes the
stored priority when one of its inputs changed."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from anvis.audit.services import audited
from anvis.core.fields import lookup_hash
from anvis_core.cases.status import CaseStatus as CoreStatus
from anvis_core.cases.status import TransitionError, can_park, check_transition
from anvis_core.cases.support import SupportMethod as CoreMethod
from anvis_core.cases.support import cti_end
from anvis_core.cpr import Cpr, CprError, parse_cpr

from . import domain
from .models import (
    AvoidArea,
    Case,
    CaseEvent,
    CaseStatus,
    Citizen,
    ContactConsent,
    EventKind,
    HouseholdChild,
    LegalBarEvent,
    ShelterStay,
    SituationEntry,
    SupportPlan,
)

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

#: Fields `case_update` may change (other fields have their own service).
CASE_EDITABLE_FIELDS = frozenset(
    {
        "adults",
        "pets",
        "extra_rooms",
        "needs_step_free",
        "needs_elevator",
        "needs_wheelchair",
        "needs_ground_floor",
        "districts_wanted",
        "income_type",
        "income_amount",
        "housing_benefit",
        "benefit_income",
        "max_rent_override",
        "max_rent_override_reason",
        "deposit_loan_needed",
        "discharge_without_address",
        "caseworker",
    }
)
CITIZEN_EDITABLE_FIELDS = frozenset(
    {"first_name", "last_name", "phone", "email", "preferred_contact"}
)


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def cpr_parse_or_error(value: str) -> Cpr:
    """Parse a CPR number or raise a ValidationError with a Danish message (never the number)."""
    try:
        return parse_cpr(value)
    except CprError as exc:
        if exc.code == "date":
            raise ValidationError(
                _("The first six digits of a CPR number must be a valid date (DDMMYY)."),
                code="cpr_date",
            ) from None
        raise ValidationError(
            _("Enter the CPR number as DDMMYY-XXXX (10 digits)."), code="cpr_format"
        ) from None


def citizen_hash(cpr: Cpr) -> str:
    return lookup_hash(cpr.digits)


def _event(case: Case, actor: Any, kind: str, summary: str = "", note: str = "") -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        kind=kind,
        summary=summary[:300],
        note=note,
    )


def _lock(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("citizen").get(pk=case.pk)


def _store_priority(case: Case, today: dt.date) -> None:
    breakdown = domain.compute_priority(case, today)
    if case.priority_total != breakdown.total or case.priority_computed_on != today:
        case.priority_total = breakdown.total
        case.priority_computed_on = today
        Case.objects.filter(pk=case.pk).update(
            priority_total=breakdown.total, priority_computed_on=today
        )


def _next_number(year: int) -> str:
    prefix = f"S-{year}-"
    last = (
        Case.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{seq:05d}"


def _new_reference() -> str:
    while True:
        ref = "B-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
        if not Citizen.objects.filter(reference=ref).exists():
            return ref


def _citizen_for(
    *,
    actor: Any,
    parsed: Cpr,
    digest: str,
    first_name: str,
    last_name: str,
    phone: str,
    email: str,
    preferred_contact: str,
) -> tuple[Citizen, Case | None]:
    """The citizen with this CPR (updated contact details) or a new one, and the citizen's
    latest earlier case. Refused when the citizen already has an open case."""
    contact = {
        "first_name": first_name,
        "last_name": last_name,
        "phone": phone,
        "email": email,
        "preferred_contact": preferred_contact,
    }
    citizen = Citizen.objects.select_for_update().filter(cpr_hash=digest).first()
    if citizen is None:
        with audited("cases.citizen_create", actor=actor) as write:
            citizen = write.created(
                Citizen(
                    cpr=parsed.digits,
                    cpr_hash=digest,
                    reference=_new_reference(),
                    birth_date=parsed.birth_date,
                    recorded_sex=parsed.recorded_sex.value,
                    **contact,
                )
            )
            citizen.full_clean(exclude=["cpr_hash", "reference"])
            citizen.save()
        return citizen, None
    open_case = citizen.cases.open().first()
    if open_case is not None:
        raise ValidationError(
            _("This citizen already has an open case (%(number)s).") % {"number": open_case.number},
            code="open_case_exists",
        )
    with audited("cases.citizen_update", actor=actor) as write:
        write.track(citizen)
        for name, value in contact.items():
            setattr(citizen, name, value)
        citizen.full_clean()
        citizen.save()
    return citizen, citizen.cases.order_by("-opened_on", "-pk").first()


def _save_numbered(case: Case, year: int) -> None:
    """Save a new case under the year's next number (retried when a concurrent case took it)."""
    for _attempt in range(5):
        case.number = _next_number(year)
        try:
            with transaction.atomic():
                case.save()
            return
        except IntegrityError:
            case.pk = None
    # pragma: no cover - five concurrent creations in the same instant
    raise ValidationError(_("The case could not be numbered; try again."))


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
    parsed = cpr_parse_or_error(cpr)
    day = _today(today)
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
                caseworker=actor if getattr(actor, "is_authenticated", False) else None,
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
        summary = (
            _("Re-entry; previous case %(number)s.") % {"number": previous.number}
            if previous
            else ""
        )
        _event(case, actor, EventKind.CREATED, summary)
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
            _event(case, actor, EventKind.UPDATED, _("Contact details updated."))
    return citizen


def case_update(
    *, actor: Any, case: Case, changes: Mapping[str, Any], today: dt.date | None = None
) -> Case:
    """Change household, needs, economy or priority-need fields (see CASE_EDITABLE_FIELDS)."""
    unknown = set(changes) - CASE_EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    with audited("cases.case_update", actor=actor) as write:
        case = write.track(_lock(case))
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
            _event(case, actor, EventKind.UPDATED, _("Changed: %(fields)s.") % {"fields": labels})
        _store_priority(case, _today(today))
    return case


def case_set_children(
    *, actor: Any, case: Case, birth_dates: Iterable[dt.date], today: dt.date | None = None
) -> Case:
    dates = sorted(birth_dates)
    day = _today(today)
    if any(d > day for d in dates):
        raise ValidationError(
            _("A child's birth date cannot be in the future."), code="child_future"
        )
    with audited("cases.children_set", actor=actor) as write:
        case = _lock(case)
        old = list(case.children.values_list("birth_date", flat=True))
        if sorted(old) != dates:
            case.children.all().delete()
            HouseholdChild.objects.bulk_create(
                [HouseholdChild(case=case, birth_date=d) for d in dates]
            )
            _event(case, actor, EventKind.UPDATED, _("Children: %(n)d.") % {"n": len(dates)})
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
    with audited("cases.situation_set", actor=actor) as write:
        case = write.track(_lock(case))
        entry = SituationEntry(
            case=case,
            situation=situation,
            since=since,
            release_from=release_from,
            release_date=release_date,
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        entry.full_clean(exclude=["case", "recorded_by"])
        entry.save()
        case.situation, case.situation_since = situation, since
        case.save(update_fields=["situation", "situation_since", "updated_at"])
        _event(case, actor, EventKind.SITUATION, str(entry.get_situation_display()))
        _store_priority(case, _today(today))
    return case


def case_set_urgency(
    *, actor: Any, case: Case, urgent: bool, reason: str = "", today: dt.date | None = None
) -> Case:
    reason = reason.strip()
    if urgent and not reason:
        raise ValidationError({"urgency_reason": _("Give a reason for the urgency.")})
    with audited("cases.urgency_set", actor=actor) as write:
        case = write.track(_lock(case))
        case.urgent, case.urgency_reason = urgent, reason if urgent else ""
        case.save(update_fields=["urgent", "urgency_reason", "updated_at"])
        _event(
            case,
            actor,
            EventKind.URGENCY,
            (_("Marked urgent: %(reason)s") % {"reason": reason})
            if urgent
            else _("Urgency removed."),
        )
        _store_priority(case, _today(today))
    return case


def case_transition(*, actor: Any, case: Case, status: str, today: dt.date | None = None) -> Case:
    """Move a case along waiting → offered → housed → follow-up → closed (rules in anvis_core)."""
    day = _today(today)
    with audited("cases.status_change", actor=actor) as write:
        case = write.track(_lock(case))
        try:
            check_transition(CoreStatus(case.status), CoreStatus(status))
        except TransitionError:
            raise ValidationError(
                _("A case cannot go from %(current)s to %(target)s.")
                % {"current": case.get_status_display(), "target": CaseStatus(status).label},
                code="invalid_transition",
            ) from None
        old_label = case.get_status_display()
        case.status = status
        case.closed_on = day if status == CaseStatus.CLOSED else None
        if status != CaseStatus.WAITING:
            case.parked_until, case.park_reason = None, ""
        case.save()
        _event(case, actor, EventKind.STATUS, f"{old_label} → {case.get_status_display()}")
    return case


def case_park(
    *, actor: Any, case: Case, until: dt.date, reason: str, today: dt.date | None = None
) -> Case:
    day = _today(today)
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
        _event(
            case,
            actor,
            EventKind.PARKED,
            _("Parked until %(date)s: %(reason)s")
            % {"date": date_format(until, "SHORT_DATE_FORMAT"), "reason": reason},
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
        _event(
            case,
            None if automatic else actor,
            EventKind.UNPARKED,
            _("Unparked automatically at the end date.") if automatic else _("Unparked."),
        )
    return case


def cases_unpark_due(*, today: dt.date | None = None) -> int:
    """Unpark every case whose parking ended before `today`. Idempotent; usable from cron."""
    day = _today(today)
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
        event = _event(case, actor, EventKind.NOTE, "", text)
        write.note = f"event {event.pk}"
        write.record(instance=case, before=None, after=None)
    return event


def shelter_stay_add(
    *,
    actor: Any,
    case: Case,
    shelter: str,
    admitted_on: dt.date,
    discharged_on: dt.date | None = None,
    action_plan: bool = False,
) -> ShelterStay:
    with audited("cases.shelter_stay_add", actor=actor) as write:
        case = _lock(case)
        stay = ShelterStay(
            case=case,
            shelter=shelter,
            admitted_on=admitted_on,
            discharged_on=discharged_on,
            action_plan=action_plan,
        )
        stay.full_clean()
        stay.save()
        write.created(stay)
        _event(
            case,
            actor,
            EventKind.SHELTER_STAY,
            _("§ 110 stay at %(shelter)s from %(date)s.")
            % {"shelter": shelter, "date": date_format(admitted_on, "SHORT_DATE_FORMAT")},
        )
    return stay


def shelter_stay_discharge(
    *, actor: Any, stay: ShelterStay, discharged_on: dt.date, action_plan: bool | None = None
) -> ShelterStay:
    with audited("cases.shelter_stay_discharge", actor=actor) as write:
        _lock(stay.case)
        stay = ShelterStay.objects.select_for_update().get(pk=stay.pk)
        write.track(stay)
        stay.discharged_on = discharged_on
        if action_plan is not None:
            stay.action_plan = action_plan
        stay.full_clean()
        stay.save()
        _event(
            stay.case,
            actor,
            EventKind.SHELTER_STAY,
            _("Discharged from %(shelter)s on %(date)s.")
            % {"shelter": stay.shelter, "date": date_format(discharged_on, "SHORT_DATE_FORMAT")},
        )
    return stay


def support_plan_add(
    *,
    actor: Any,
    case: Case,
    method: str,
    provider: str,
    decided_on: dt.date,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    status: str = "planned",
) -> SupportPlan:
    """A CTI plan without an end date gets the end of its nine months."""
    if method == CoreMethod.CTI and starts_on and ends_on is None:
        ends_on = cti_end(starts_on)
    with audited("cases.support_plan_add", actor=actor) as write:
        case = _lock(case)
        plan = SupportPlan(
            case=case,
            method=method,
            provider=provider,
            decided_on=decided_on,
            starts_on=starts_on,
            ends_on=ends_on,
            status=status,
        )
        plan.full_clean()
        plan.save()
        write.created(plan)
        _event(
            case,
            actor,
            EventKind.SUPPORT_PLAN,
            _("Support plan %(method)s decided %(date)s.")
            % {
                "method": plan.get_method_display(),
                "date": date_format(decided_on, "SHORT_DATE_FORMAT"),
            },
        )
    return plan


def support_plan_set_status(*, actor: Any, plan: SupportPlan, status: str) -> SupportPlan:
    with audited("cases.support_plan_status", actor=actor) as write:
        _lock(plan.case)
        plan = SupportPlan.objects.select_for_update().get(pk=plan.pk)
        write.track(plan)
        plan.status = status
        plan.full_clean()
        plan.save()
        _event(
            plan.case,
            actor,
            EventKind.SUPPORT_PLAN,
            _("Support plan %(method)s: %(status)s.")
            % {"method": plan.get_method_display(), "status": plan.get_status_display()},
        )
    return plan


def legal_bar_add(
    *,
    actor: Any,
    case: Case,
    kind: str,
    date: dt.date,
    end: dt.date | None = None,
    benefit: str = "",
    member: str = "applicant",
) -> LegalBarEvent:
    with audited("cases.legal_bar_add", actor=actor) as write:
        case = _lock(case)
        event = LegalBarEvent(
            case=case,
            kind=kind,
            date=date,
            end=end,
            benefit=benefit,
            member=member,
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        event.full_clean(exclude=["recorded_by"])
        event.save()
        write.created(event)
        _event(case, actor, EventKind.LEGAL_BAR, str(event.get_kind_display()))
    return event


def legal_bar_remove(*, actor: Any, event: LegalBarEvent) -> None:
    with audited("cases.legal_bar_remove", actor=actor) as write:
        _lock(event.case)
        _event(
            event.case,
            actor,
            EventKind.LEGAL_BAR,
            _("Removed: %(kind)s") % {"kind": event.get_kind_display()},
        )
        write.delete(event)


def avoid_area_add(
    *, actor: Any, case: Case, reason: str, district: str = "", department: Any = None
) -> AvoidArea:
    with audited("cases.avoid_area_add", actor=actor) as write:
        case = _lock(case)
        area = AvoidArea(
            case=case, district=district.strip(), department=department, reason=reason.strip()
        )
        area.full_clean()
        area.save()
        write.created(area)
        _event(case, actor, EventKind.UPDATED, _("Area to avoid added."))
    return area


def avoid_area_remove(*, actor: Any, area: AvoidArea) -> None:
    with audited("cases.avoid_area_remove", actor=actor) as write:
        _lock(area.case)
        _event(area.case, actor, EventKind.UPDATED, _("Area to avoid removed."))
        write.delete(area)


def consent_record(
    *, actor: Any, case: Case, given_on: dt.date, scope: str = "offer_organisation"
) -> ContactConsent:
    with audited("cases.consent_record", actor=actor) as write:
        case = _lock(case)
        consent = ContactConsent(
            case=case,
            scope=scope,
            given_on=given_on,
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        consent.full_clean(exclude=["recorded_by"])
        consent.save()
        write.created(consent)
        _event(case, actor, EventKind.CONSENT, str(consent.get_scope_display()))
    return consent


def consent_withdraw(
    *, actor: Any, consent: ContactConsent, withdrawn_on: dt.date
) -> ContactConsent:
    with audited("cases.consent_withdraw", actor=actor) as write:
        _lock(consent.case)
        consent = ContactConsent.objects.select_for_update().get(pk=consent.pk)
        write.track(consent)
        consent.withdrawn_on = withdrawn_on
        consent.save(update_fields=["withdrawn_on"])
        _event(consent.case, actor, EventKind.CONSENT, _("Consent withdrawn."))
    return consent


def cases_recompute_priorities(*, today: dt.date | None = None, batch_size: int = 500) -> int:
    """Refresh the stored priority totals of all open cases (run nightly: waiting days grow)."""
    from django.db.models import Count

    day = _today(today)
    changed: list[Case] = []
    qs = Case.objects.open().annotate(n_children=Count("children")).order_by("pk")
    for case in qs.iterator(chunk_size=batch_size):
        total = domain.compute_priority(case, day, children=case.n_children).total  # type: ignore[attr-defined]
        if total != case.priority_total or case.priority_computed_on != day:
            case.priority_total, case.priority_computed_on = total, day
            changed.append(case)
    with transaction.atomic():
        Case.objects.bulk_update(
            changed, ["priority_total", "priority_computed_on"], batch_size=batch_size
        )
    return len(changed)
