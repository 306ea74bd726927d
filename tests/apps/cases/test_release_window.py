"""A release without an address counts as a situation (150 points) only when the release is at
most 30 days ahead (docs/cases.md, `anvis_core.cases.situation.RELEASE_WINDOW_DAYS`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from anvis.cases import services
from anvis.cases.models import Case

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2026, 3, 2)


def _create(users: Any, **release: Any) -> Case:
    return services.case_create(
        actor=users["sagsbehandler"],
        cpr="010190-1231",
        first_name="Jens",
        last_name="Jensen",
        situation="release_no_address",
        situation_since=TODAY,
        release_from="prison",
        today=TODAY,
        **release,
    )


def test_a_release_on_the_last_day_of_the_window_counts(users: Any) -> None:
    case = _create(users, release_date=TODAY + dt.timedelta(days=30))
    assert case.priority_total == 150


@pytest.mark.parametrize(
    "release", [{"release_date": TODAY + dt.timedelta(days=31)}, {}], ids=["too_far", "no_date"]
)
def test_a_release_outside_the_window_opens_no_case(users: Any, release: Any) -> None:
    with pytest.raises(ValidationError) as info:
        _create(users, **release)
    assert "release_date" in info.value.message_dict
    assert not Case.objects.exists()


def test_the_situation_change_checks_the_window_too(case: Any, users: Any) -> None:
    with pytest.raises(ValidationError) as info:
        services.case_set_situation(
            actor=users["sagsbehandler"],
            case=case,
            situation="release_no_address",
            since=TODAY,
            release_from="hospital",
            release_date=TODAY + dt.timedelta(days=90),
            today=TODAY,
        )
    assert "release_date" in info.value.message_dict
    case.refresh_from_db()
    assert case.situation == "shelter_110"


def test_the_create_form_names_the_release_date_in_danish(client_for: Any) -> None:
    far = dt.date.today() + dt.timedelta(days=60)
    data = {
        "cpr": "010190-1231",
        "first_name": "Jens",
        "last_name": "Jensen",
        "preferred_contact": "phone",
        "situation": "release_no_address",
        "situation_since": "2026-01-01",
        "release_from": "prison",
        "release_date": far.isoformat(),
        "adults": "1",
    }
    response = client_for("sagsbehandler").post(reverse("cases:case_create"), data)
    assert response.status_code == 422
    assert "Datoen for løsladelse/udskrivning" in response.content.decode()
    assert not Case.objects.exists()
