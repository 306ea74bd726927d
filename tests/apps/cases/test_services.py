from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from anvis.cases import selectors, services
from anvis.cases.models import Case, CaseEvent, Citizen

from .conftest import CPR

pytestmark = pytest.mark.django_db
D = dt.date


def test_case_number_and_derived_citizen_fields(case: Any) -> None:
    assert case.number == "S-2026-00001"
    citizen = case.citizen
    assert citizen.birth_date == D(1985, 3, 12) and citizen.recorded_sex == "male"
    assert citizen.reference.startswith("B-") and citizen.cpr_masked == "120385-XXXX"
    assert selectors.citizen_find_by_cpr(cpr="1203851235") == citizen
    assert selectors.citizen_find_by_cpr(cpr="120385-1236") is None
    # waiting starts on the opening day (0 days) + 200 points for a § 110 shelter
    assert case.priority_total == 200 and case.priority_computed_on == D(2026, 2, 1)


def test_status_transitions_are_enforced(case: Any, users: Any) -> None:
    actor = users["sagsbehandler"]
    with pytest.raises(ValidationError) as info:
        services.case_transition(actor=actor, case=case, status="housed")
    assert "Venter" in str(info.value) or "Waiting" in str(info.value)
    for status in ["offered", "waiting", "offered", "housed", "follow_up", "closed"]:
        case = services.case_transition(actor=actor, case=case, status=status, today=D(2026, 3, 1))
    assert case.closed_on == D(2026, 3, 1)
    with pytest.raises(ValidationError):
        services.case_transition(actor=actor, case=case, status="waiting")


def test_one_open_case_per_citizen_and_reentry(case: Any, users: Any) -> None:
    actor = users["sagsbehandler"]
    kwargs: dict[str, Any] = {
        "actor": actor,
        "cpr": CPR,
        "first_name": "Karl",
        "last_name": "T",
        "situation": "rough_sleeping",
        "situation_since": D(2026, 5, 1),
    }
    with pytest.raises(ValidationError):
        services.case_create(**kwargs)
    services.case_transition(actor=actor, case=case, status="closed")
    second = services.case_create(**kwargs, today=D(2026, 6, 1))
    assert second.citizen_id == case.citizen_id and Citizen.objects.count() == 1
    assert "S-2026-00001" in second.events.get(kind="created").summary


def test_parking_and_automatic_unparking(case: Any, users: Any) -> None:
    actor = users["sagsbehandler"]
    with pytest.raises(ValidationError):
        services.case_park(
            actor=actor, case=case, until=D(2026, 3, 1), reason=" ", today=D(2026, 2, 1)
        )
    services.case_park(
        actor=actor, case=case, until=D(2026, 3, 1), reason="Indlagt", today=D(2026, 2, 1)
    )
    assert services.cases_unpark_due(today=D(2026, 3, 1)) == 0  # still parked on its last day
    assert services.cases_unpark_due(today=D(2026, 3, 2)) == 1
    case.refresh_from_db()
    assert case.parked_until is None and case.park_reason == ""
    assert case.events.filter(kind="unparked").exists()


def test_unpark_command(case: Any, users: Any, capsys: Any) -> None:
    Case.objects.filter(pk=case.pk).update(parked_until=D(2020, 1, 1), park_reason="x")
    call_command("unpark_cases")
    assert "1" in capsys.readouterr().out
    case.refresh_from_db()
    assert case.parked_until is None


def test_urgency_needs_reason_and_raises_priority(case: Any, users: Any) -> None:
    actor = users["sagsbehandler"]
    with pytest.raises(ValidationError):
        services.case_set_urgency(actor=actor, case=case, urgent=True, reason="")
    case = services.case_set_urgency(
        actor=actor, case=case, urgent=True, reason="Vinter", today=D(2026, 2, 1)
    )
    assert case.priority_total == 400


def test_children_and_priority_recompute(case: Any, users: Any) -> None:
    actor = users["sagsbehandler"]
    services.case_set_children(
        actor=actor, case=case, birth_dates=[D(2020, 5, 1)], today=D(2026, 2, 1)
    )
    case.refresh_from_db()
    assert case.priority_total == 300
    assert services.cases_recompute_priorities(today=D(2026, 2, 11)) == 1
    case.refresh_from_db()
    assert case.priority_total == 310  # ten more waiting days
    assert selectors.case_priority_total(case=case, today=D(2026, 2, 11)) == 310


def test_reimbursement_counter_and_85a_warning(case: Any, users: Any) -> None:
    from anvis.cases import adapters

    actor = users["sagsbehandler"]
    stay = services.shelter_stay_add(
        actor=actor, case=case, shelter="Herberget", admitted_on=D(2026, 4, 1)
    )
    status = adapters.citizen_reimbursement(case.citizen, D(2026, 6, 19))  # day 80
    assert status.year.days_used == 80 and status.days_left == 10 and status.warning
    services.shelter_stay_discharge(actor=actor, stay=stay, discharged_on=D(2026, 6, 20))
    plan = services.support_plan_add(
        actor=actor,
        case=case,
        method="cti",
        provider="Team",
        decided_on=D(2026, 6, 25),
        starts_on=D(2026, 7, 1),
    )
    assert plan.ends_on == D(2027, 3, 31)
    [view] = adapters.support_plan_views(case, D(2026, 7, 2))
    assert view.check.warning and view.cti_phase == 1


def test_bars_from_events(case: Any, users: Any) -> None:
    from anvis.cases import adapters
    from anvis_core.cases.bars import AreaKind

    actor = users["sagsbehandler"]
    services.legal_bar_add(actor=actor, case=case, kind="prison_release", date=D(2025, 8, 31))
    with pytest.raises(ValidationError):
        services.legal_bar_add(actor=actor, case=case, kind="benefits", date=D(2025, 8, 31))
    bars = adapters.case_bars(case, D(2026, 2, 28))
    assert bars[AreaKind.VULNERABLE].until == D(2026, 2, 28)
    assert not adapters.case_bars(case, D(2026, 3, 1))[AreaKind.PREVENTION].barred


def test_consent_selector(case: Any, users: Any) -> None:
    actor = users["sagsbehandler"]
    assert not selectors.contact_consent_active(case=case, on=D(2026, 2, 1))
    consent = services.consent_record(actor=actor, case=case, given_on=D(2026, 2, 1))
    assert selectors.contact_consent_active(case=case, on=D(2026, 2, 1))
    services.consent_withdraw(actor=actor, consent=consent, withdrawn_on=D(2026, 3, 1))
    assert not selectors.contact_consent_active(case=case, on=D(2026, 3, 1))


def test_selectors_hide_cases_from_non_municipal_roles(case: Any, users: Any) -> None:
    assert selectors.case_list(user=users["sagsbehandler"]).count() == 1
    for role in ["boligorganisation", "styregruppe"]:
        assert not selectors.case_list(user=users[role]).exists()


def test_key_rotation_keeps_data_readable(case: Any, settings: Any) -> None:
    from cryptography.fernet import Fernet
    from django.db import connection

    from anvis.common import fields

    services.case_add_note(actor=case.caseworker, case=case, text="fortroligt")
    old = list(settings.ANVIS_FIELD_KEYS)
    settings.ANVIS_FIELD_KEYS = [Fernet.generate_key().decode(), *old]
    call_command("rotate_field_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.ANVIS_FIELD_KEYS = settings.ANVIS_FIELD_KEYS[:1]  # the old key is gone
    fields._fernet.cache_clear()
    assert Citizen.objects.get().cpr == "1203851235"
    assert CaseEvent.objects.get(kind="note").note == "fortroligt"
    with connection.cursor() as cursor:
        cursor.execute("SELECT cpr FROM cases_citizen")
        assert cursor.fetchone()[0] != "1203851235"
