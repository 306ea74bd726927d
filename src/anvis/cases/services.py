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
from django.utils.translation import gettext as _

from anvis.audit.services import audit_record, snapshot
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
    digest = citizen_hash(parsed)
    with transaction.atomic():
        citizen = Citizen.objects.select_for_update().filter(cpr_hash=digest).first()
        previous = None
        if citizen is not None:
            open_case = citizen.cases.open().first()
            if open_case is not None:
                raise ValidationError(
                    _("This citizen already has an open case (%(number)s).")
                    % {"number": open_case.number},
                    code="open_case_exists",
                )
            previous = citizen.cases.order_by("-opened_on", "-pk").first()
            before = snapshot(citizen)
            citizen.first_name, citizen.last_name = first_name, last_name
            citizen.phone, citizen.email, citizen.preferred_contact = (
                phone,
                email,
                preferred_contact,
            )
            citizen.full_clean()
            citizen.save()
            audit_record(
                actor=actor,
                action="cases.citizen_update",
                instance=citizen,
                before=before,
                after=snapshot(citizen),
            )
        else:
            citizen = Citizen(
                cpr=parsed.digits,
                cpr_hash=digest,
                reference=_new_reference(),
                first_name=first_name,
                last_name=last_name,
                phone=phone,
                email=email,
                preferred_contact=preferred_contact,
                birth_date=parsed.birth_date,
                recorded_sex=parsed.recorded_sex.value,
            )
            citizen.full_clean(exclude=["cpr_hash", "reference"])
            citizen.save()
            audit_record(
                actor=actor,
                action="cases.citizen_create",
                instance=citizen,
                after=snapshot(citizen),
            )
        case = Case(
            citizen=citizen,
            caseworker=actor if getattr(actor, "is_authenticated", False) else None,
            opened_on=day,
            waiting_since=waiting_since or day,
            situation=situation,
            situation_since=situation_since,
            adults=adults,
        )
        case.full_clean(exclude=["number", "citizen"])
        for _attempt in range(5):
            case.number = _next_number(day.year)
            try:
                with transaction.atomic():
                    case.save()
                break
            except IntegrityError:
                case.pk = None
                continue
        else:  # pragma: no cover - five concurrent creations in the same instant
            raise ValidationError(_("The case could not be numbered; try again."))
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
        audit_record(actor=actor, action="cases.case_create", instance=case, after=snapshot(case))
    return case


def citizen_update(*, actor: Any, citizen: Citizen, changes: Mapping[str, Any]) -> Citizen:
    unknown = set(changes) - CITIZEN_EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    with transaction.atomic():
        citizen = Citizen.objects.select_for_update().get(pk=citizen.pk)
        before = snapshot(citizen)
        for name, value in changes.items():
            setattr(citizen, name, value)
        citizen.full_clean()
        citizen.save()
        audit_record(
            actor=actor,
            action="cases.citizen_update",
            instance=citizen,
            before=before,
            after=snapshot(citizen),
        )
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
    with transaction.atomic():
        case = _lock(case)
        before = snapshot(case)
        changed = [n for n, v in changes.items() if getattr(case, n) != v]
        for name, value in changes.items():
            setattr(case, name, value)
        if case.max_rent_override is None:
            case.max_rent_override_reason = ""
        case.full_clean()
        case.save()
        if changed:
            labels = ", ".join(str(Case._meta.get_field(n).verbose_name) for n in changed)
            _event(case, actor, EventKind.UPDATED, _("Changed: %(fields)s.") % {"fields": labels})
        _store_priority(case, _today(today))
        audit_record(
            actor=actor,
            action="cases.case_update",
            instance=case,
            before=before,
            after=snapshot(case),
        )
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
    with transaction.atomic():
        case = _lock(case)
        old = list(case.children.values_list("birth_date", flat=True))
        if sorted(old) != dates:
            case.children.all().delete()
            HouseholdChild.objects.bulk_create(
                [HouseholdChild(case=case, birth_date=d) for d in dates]
            )
            _event(case, actor, EventKind.UPDATED, _("Children: %(n)d.") % {"n": len(dates)})
            audit_record(
                actor=actor,
                action="cases.children_set",
                instance=case,
                before={"children": old},
                after={"children": dates},
            )
        _store_priority(case, day)
    return case


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
    with transaction.atomic():
        case = _lock(case)
        before = snapshot(case)
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
        audit_record(
            actor=actor,
            action="cases.situation_set",
            instance=case,
            before=before,
            after=snapshot(case),
        )
    return case


def case_set_urgency(
    *, actor: Any, case: Case, urgent: bool, reason: str = "", today: dt.date | None = None
) -> Case:
    reason = reason.strip()
    if urgent and not reason:
        raise ValidationError({"urgency_reason": _("Give a reason for the urgency.")})
    with transaction.atomic():
        case = _lock(case)
        before = snapshot(case)
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
        audit_record(
            actor=actor,
            action="cases.urgency_set",
            instance=case,
            before=before,
            after=snapshot(case),
        )
    return case


def case_transition(*, actor: Any, case: Case, status: str, today: dt.date | None = None) -> Case:
    """Move a case along waiting → offered → housed → follow-up → closed (rules in anvis_core)."""
    day = _today(today)
    with transaction.atomic():
        case = _lock(case)
        try:
            check_transition(CoreStatus(case.status), CoreStatus(status))
        except TransitionError:
            raise ValidationError(
                _("A case cannot go from %(current)s to %(target)s.")
                % {"current": case.get_status_display(), "target": CaseStatus(status).label},
                code="invalid_transition",
            ) from None
        before = snapshot(case)
        old_label = case.get_status_display()
        case.status = status
        case.closed_on = day if status == CaseStatus.CLOSED else None
        if status != CaseStatus.WAITING:
            case.parked_until, case.park_reason = None, ""
        case.save()
        _event(case, actor, EventKind.STATUS, f"{old_label} → {case.get_status_display()}")
        audit_record(
            actor=actor,
            action="cases.status_change",
            instance=case,
            before=before,
            after=snapshot(case),
        )
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
    with transaction.atomic():
        case = _lock(case)
        if not can_park(CoreStatus(case.status)):
            raise ValidationError(_("Only a waiting case can be parked."), code="park_not_waiting")
        before = snapshot(case)
        case.parked_until, case.park_reason = until, reason
        case.save(update_fields=["parked_until", "park_reason", "updated_at"])
        _event(
            case,
            actor,
            EventKind.PARKED,
            _("Parked until %(date)s: %(reason)s")
            % {"date": until.strftime("%d-%m-%Y"), "reason": reason},
        )
        audit_record(
            actor=actor, action="cases.park", instance=case, before=before, after=snapshot(case)
        )
    return case


def case_unpark(*, actor: Any, case: Case, automatic: bool = False) -> Case:
    with transaction.atomic():
        case = _lock(case)
        if case.parked_until is None:
            return case
        before = snapshot(case)
        case.parked_until, case.park_reason = None, ""
        case.save(update_fields=["parked_until", "park_reason", "updated_at"])
        _event(
            case,
            None if automatic else actor,
            EventKind.UNPARKED,
            _("Unparked automatically at the end date.") if automatic else _("Unparked."),
        )
        audit_record(
            actor=actor, action="cases.unpark", instance=case, before=before, after=snapshot(case)
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
    with transaction.atomic():
        case = _lock(case)
        event = _event(case, actor, EventKind.NOTE, "", text)
        audit_record(actor=actor, action="cases.note_add", instance=case, note=f"event {event.pk}")
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
    with transaction.atomic():
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
        _event(
            case,
            actor,
            EventKind.SHELTER_STAY,
            _("§ 110 stay at %(shelter)s from %(date)s.")
            % {"shelter": shelter, "date": admitted_on.strftime("%d-%m-%Y")},
        )
        audit_record(
            actor=actor, action="cases.shelter_stay_add", instance=stay, after=snapshot(stay)
        )
    return stay


def shelter_stay_discharge(
    *, actor: Any, stay: ShelterStay, discharged_on: dt.date, action_plan: bool | None = None
) -> ShelterStay:
    with transaction.atomic():
        _lock(stay.case)
        stay = ShelterStay.objects.select_for_update().get(pk=stay.pk)
        before = snapshot(stay)
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
            % {"shelter": stay.shelter, "date": discharged_on.strftime("%d-%m-%Y")},
        )
        audit_record(
            actor=actor,
            action="cases.shelter_stay_discharge",
            instance=stay,
            before=before,
            after=snapshot(stay),
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
    with transaction.atomic():
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
        _event(
            case,
            actor,
            EventKind.SUPPORT_PLAN,
            _("Support plan %(method)s decided %(date)s.")
            % {"method": plan.get_method_display(), "date": decided_on.strftime("%d-%m-%Y")},
        )
        audit_record(
            actor=actor, action="cases.support_plan_add", instance=plan, after=snapshot(plan)
        )
    return plan


def support_plan_set_status(*, actor: Any, plan: SupportPlan, status: str) -> SupportPlan:
    with transaction.atomic():
        _lock(plan.case)
        plan = SupportPlan.objects.select_for_update().get(pk=plan.pk)
        before = snapshot(plan)
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
        audit_record(
            actor=actor,
            action="cases.support_plan_status",
            instance=plan,
            before=before,
            after=snapshot(plan),
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
    with transaction.atomic():
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
        _event(case, actor, EventKind.LEGAL_BAR, str(event.get_kind_display()))
        audit_record(
            actor=actor, action="cases.legal_bar_add", instance=event, after=snapshot(event)
        )
    return event


def legal_bar_remove(*, actor: Any, event: LegalBarEvent) -> None:
    with transaction.atomic():
        _lock(event.case)
        before = snapshot(event)
        _event(
            event.case,
            actor,
            EventKind.LEGAL_BAR,
            _("Removed: %(kind)s") % {"kind": event.get_kind_display()},
        )
        audit_record(actor=actor, action="cases.legal_bar_remove", instance=event, before=before)
        event.delete()


def avoid_area_add(
    *, actor: Any, case: Case, reason: str, district: str = "", department: Any = None
) -> AvoidArea:
    with transaction.atomic():
        case = _lock(case)
        area = AvoidArea(
            case=case, district=district.strip(), department=department, reason=reason.strip()
        )
        area.full_clean()
        area.save()
        _event(case, actor, EventKind.UPDATED, _("Area to avoid added."))
        audit_record(
            actor=actor, action="cases.avoid_area_add", instance=area, after=snapshot(area)
        )
    return area


def avoid_area_remove(*, actor: Any, area: AvoidArea) -> None:
    with transaction.atomic():
        _lock(area.case)
        audit_record(
            actor=actor, action="cases.avoid_area_remove", instance=area, before=snapshot(area)
        )
        _event(area.case, actor, EventKind.UPDATED, _("Area to avoid removed."))
        area.delete()


def consent_record(
    *, actor: Any, case: Case, given_on: dt.date, scope: str = "offer_organisation"
) -> ContactConsent:
    with transaction.atomic():
        case = _lock(case)
        consent = ContactConsent(
            case=case,
            scope=scope,
            given_on=given_on,
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        consent.full_clean(exclude=["recorded_by"])
        consent.save()
        _event(case, actor, EventKind.CONSENT, str(consent.get_scope_display()))
        audit_record(
            actor=actor, action="cases.consent_record", instance=consent, after=snapshot(consent)
        )
    return consent


def consent_withdraw(
    *, actor: Any, consent: ContactConsent, withdrawn_on: dt.date
) -> ContactConsent:
    with transaction.atomic():
        _lock(consent.case)
        consent = ContactConsent.objects.select_for_update().get(pk=consent.pk)
        before = snapshot(consent)
        consent.withdrawn_on = withdrawn_on
        consent.save(update_fields=["withdrawn_on"])
        _event(consent.case, actor, EventKind.CONSENT, _("Consent withdrawn."))
        audit_record(
            actor=actor,
            action="cases.consent_withdraw",
            instance=consent,
            before=before,
            after=snapshot(consent),
        )
    return consent


def cases_recompute_priorities(*, today: dt.date | None = None, batch_size: int = 500) -> int:
    """Refresh the stored priority totals of all open cases (run nightly: waiting days grow)."""
    from django.db.models import Count

    day = _today(today)
    changed: list[Case] = []
    qs = Case.objects.open().annotate(n_children=Count("children")).order_by("pk")
    for case in qs.iterator(chunk_size=batch_size):
        total = domain.compute_priority(case, day, children=case.n_children).total
        if total != case.priority_total or case.priority_computed_on != day:
            case.priority_total, case.priority_computed_on = total, day
            changed.append(case)
    with transaction.atomic():
        Case.objects.bulk_update(
            changed, ["priority_total", "priority_computed_on"], batch_size=batch_size
        )
    return len(changed)
