"""Services of the case's records: shelter stays, support plans, legal bars, areas to avoid, consent."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from anvis.audit.services import acting_user, audited
from anvis.common import formats as fmt
from anvis.common.clock import local_today
from anvis_core.cases.support import SupportMethod as CoreMethod
from anvis_core.cases.support import cti_end

from ..models import (
    AvoidArea,
    Case,
    ContactConsent,
    EventKind,
    LegalBarEvent,
    ShelterStay,
    SupportPlan,
)
from .common import _lock, _lock_open, case_event, refuse_future


def shelter_stay_add(
    *,
    actor: Any,
    case: Case,
    shelter: str,
    admitted_on: dt.date,
    discharged_on: dt.date | None = None,
    action_plan: bool = False,
    today: dt.date | None = None,
) -> ShelterStay:
    """A stay that has begun (and may have ended) by `today`."""
    refuse_future(local_today(today), admitted_on=admitted_on, discharged_on=discharged_on)
    with audited("cases.shelter_stay_add", actor=actor) as write:
        case = _lock_open(case)
        stay = ShelterStay(
            case=case,
            shelter=shelter,
            admitted_on=admitted_on,
            discharged_on=discharged_on,
            action_plan=action_plan,
        )
        write.insert(stay)
        case_event(
            case,
            actor,
            EventKind.SHELTER_STAY,
            _("§ 110 stay at %(shelter)s from %(date)s.")
            % {"shelter": shelter, "date": fmt.date(admitted_on)},
        )
    return stay


def shelter_stay_discharge(
    *,
    actor: Any,
    stay: ShelterStay,
    discharged_on: dt.date,
    action_plan: bool | None = None,
    today: dt.date | None = None,
) -> ShelterStay:
    refuse_future(local_today(today), discharged_on=discharged_on)
    with audited("cases.shelter_stay_discharge", actor=actor) as write:
        _lock(stay.case)
        stay = ShelterStay.objects.select_for_update().get(pk=stay.pk)
        write.track(stay)
        stay.discharged_on = discharged_on
        if action_plan is not None:
            stay.action_plan = action_plan
        stay.full_clean()
        stay.save()
        case_event(
            stay.case,
            actor,
            EventKind.SHELTER_STAY,
            _("Discharged from %(shelter)s on %(date)s.")
            % {"shelter": stay.shelter, "date": fmt.date(discharged_on)},
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
    today: dt.date | None = None,
) -> SupportPlan:
    """A plan decided by `today` (it may start later). A CTI plan without an end date gets the
    end of its nine months."""
    refuse_future(local_today(today), decided_on=decided_on)
    if method == CoreMethod.CTI and starts_on and ends_on is None:
        ends_on = cti_end(starts_on)
    with audited("cases.support_plan_add", actor=actor) as write:
        case = _lock_open(case)
        plan = SupportPlan(
            case=case,
            method=method,
            provider=provider,
            decided_on=decided_on,
            starts_on=starts_on,
            ends_on=ends_on,
            status=status,
        )
        write.insert(plan)
        case_event(
            case,
            actor,
            EventKind.SUPPORT_PLAN,
            _("Support plan %(method)s decided %(date)s.")
            % {
                "method": plan.get_method_display(),
                "date": fmt.date(decided_on),
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
        case_event(
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
        case = _lock_open(case)
        event = LegalBarEvent(
            case=case,
            kind=kind,
            date=date,
            end=end,
            benefit=benefit,
            member=member,
            recorded_by=acting_user(actor),
        )
        write.insert(event, exclude=["recorded_by"])
        case_event(case, actor, EventKind.LEGAL_BAR, str(event.get_kind_display()))
    return event


def legal_bar_remove(*, actor: Any, event: LegalBarEvent) -> None:
    with audited("cases.legal_bar_remove", actor=actor) as write:
        _lock_open(event.case)
        case_event(
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
        case = _lock_open(case)
        area = AvoidArea(
            case=case, district=district.strip(), department=department, reason=reason.strip()
        )
        write.insert(area)
        case_event(case, actor, EventKind.UPDATED, _("Area to avoid added."))
    return area


def avoid_area_remove(*, actor: Any, area: AvoidArea) -> None:
    with audited("cases.avoid_area_remove", actor=actor) as write:
        _lock_open(area.case)
        case_event(area.case, actor, EventKind.UPDATED, _("Area to avoid removed."))
        write.delete(area)


def consent_record(
    *, actor: Any, case: Case, given_on: dt.date, scope: str = "offer_organisation"
) -> ContactConsent:
    with audited("cases.consent_record", actor=actor) as write:
        case = _lock_open(case)
        consent = ContactConsent(
            case=case,
            scope=scope,
            given_on=given_on,
            recorded_by=acting_user(actor),
        )
        write.insert(consent, exclude=["recorded_by"])
        case_event(case, actor, EventKind.CONSENT, str(consent.get_scope_display()))
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
        case_event(consent.case, actor, EventKind.CONSENT, _("Consent withdrawn."))
    return consent
