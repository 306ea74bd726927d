"""What a case records has happened: a § 110 admission or discharge and a support plan's
decision lie on or before the day (a plan's start may be planned ahead)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from anvis.cases import services

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)
TOMORROW = TODAY + dt.timedelta(days=1)


def test_an_admission_after_the_day_is_refused(case: Any, users: Any) -> None:
    with pytest.raises(ValidationError) as info:
        services.shelter_stay_add(
            actor=users["sagsbehandler"],
            case=case,
            shelter="Herberget",
            admitted_on=TOMORROW,
            today=TODAY,
        )
    assert "admitted_on" in info.value.message_dict
    assert not case.shelter_stays.exists()


def test_a_discharge_after_the_day_is_refused(case: Any, users: Any) -> None:
    actor = users["sagsbehandler"]
    with pytest.raises(ValidationError) as info:
        services.shelter_stay_add(
            actor=actor,
            case=case,
            shelter="Herberget",
            admitted_on=TODAY,
            discharged_on=TOMORROW,
            today=TODAY,
        )
    assert "discharged_on" in info.value.message_dict
    stay = services.shelter_stay_add(
        actor=actor, case=case, shelter="Herberget", admitted_on=TODAY, today=TODAY
    )
    with pytest.raises(ValidationError) as info:
        services.shelter_stay_discharge(actor=actor, stay=stay, discharged_on=TOMORROW, today=TODAY)
    assert "discharged_on" in info.value.message_dict
    stay.refresh_from_db()
    assert stay.discharged_on is None
    # On the day itself both are taken.
    services.shelter_stay_discharge(actor=actor, stay=stay, discharged_on=TODAY, today=TODAY)


def test_a_plan_decided_after_the_day_is_refused_but_may_start_later(case: Any, users: Any) -> None:
    actor = users["sagsbehandler"]
    with pytest.raises(ValidationError) as info:
        services.support_plan_add(
            actor=actor,
            case=case,
            method="cti",
            provider="CTI-teamet",
            decided_on=TOMORROW,
            today=TODAY,
        )
    assert "decided_on" in info.value.message_dict
    assert not case.support_plans.exists()
    plan = services.support_plan_add(
        actor=actor,
        case=case,
        method="cti",
        provider="CTI-teamet",
        decided_on=TODAY,
        starts_on=TODAY + dt.timedelta(days=14),
        today=TODAY,
    )
    assert plan.starts_on == dt.date(2026, 3, 16)


def test_the_stay_form_names_the_field(case: Any, client_for: Any) -> None:
    client = client_for("sagsbehandler")
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    url = reverse("cases:stay_add", args=[case.pk])
    response = client.post(url, {"shelter": "Herberget", "admitted_on": future})
    assert response.status_code == 422
    assert "Datoen kan ikke ligge i fremtiden." in response.content.decode()
    assert not case.shelter_stays.exists()


def test_a_situation_since_after_the_day_is_refused_by_the_service_and_the_form(
    case: Any, users: Any, client_for: Any
) -> None:
    with pytest.raises(ValidationError) as info:
        services.case_set_situation(
            actor=users["sagsbehandler"],
            case=case,
            situation="rough_sleeping",
            since=TOMORROW,
            today=TODAY,
        )
    assert "since" in info.value.message_dict
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    response = client_for("sagsbehandler").post(
        reverse("cases:case_create"),
        {
            "cpr": "010190-1235",
            "first_name": "A",
            "last_name": "B",
            "preferred_contact": "phone",
            "situation": "rough_sleeping",
            "situation_since": future,
            "adults": "1",
        },
    )
    assert response.status_code == 422
    assert "Datoen kan ikke ligge i fremtiden." in response.content.decode()
