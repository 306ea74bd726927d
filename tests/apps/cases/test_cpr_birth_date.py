"""A CPR number whose birth date (by the century digit) lies after the day is not a living
person's number: no case is opened for it (a typing error would give a negative age)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from anvis.cases import services
from anvis.cases.models import Case

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)


def _create(users: Any, cpr: str) -> Case:
    return services.case_create(
        actor=users["sagsbehandler"],
        cpr=cpr,
        first_name="Ida",
        last_name="Hansen",
        situation="rough_sleeping",
        situation_since=TODAY,
        today=TODAY,
    )


@pytest.mark.parametrize(
    "cpr",
    [
        "030326-4002",  # seventh digit 4, YY ≤ 36: 2026, the day after
        "010130-4002",  # 2030
        "010145-5002",  # seventh digit 5–8, YY ≤ 57: 2045
    ],
)
def test_a_birth_date_after_the_day_opens_no_case(users: Any, cpr: str) -> None:
    with pytest.raises(ValidationError) as info:
        _create(users, cpr)
    assert info.value.code == "cpr_future"
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("cpr", "born"),
    [
        ("020326-4002", dt.date(2026, 3, 2)),  # born on the day itself
        ("010137-4002", dt.date(1937, 1, 1)),  # seventh digit 4, YY > 36: 1900s
        ("010158-5002", dt.date(1858, 1, 1)),  # seventh digit 5–8, YY > 57: 1800s
        ("311299-3002", dt.date(1999, 12, 31)),
        ("010100-4002", dt.date(2000, 1, 1)),
    ],
)
def test_the_century_digit_gives_a_birth_date_on_or_before_the_day(
    users: Any, cpr: str, born: dt.date
) -> None:
    assert _create(users, cpr).citizen.birth_date == born


def test_the_create_form_refuses_it_on_the_cpr_field_in_danish(client_for: Any) -> None:
    future = timezone.localdate() + dt.timedelta(days=400)
    data = {
        "cpr": future.strftime("%d%m%y") + "-4002",
        "first_name": "Ida",
        "last_name": "Hansen",
        "preferred_contact": "phone",
        "situation": "rough_sleeping",
        "situation_since": "2026-01-01",
        "adults": "1",
    }
    response = client_for("sagsbehandler").post(reverse("cases:case_create"), data)
    assert response.status_code == 422
    assert "CPR-nummerets fødselsdato ligger efter i dag" in response.content.decode()
    assert not Case.objects.exists()
