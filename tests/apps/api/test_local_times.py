"""A local time without an offset is read in Europe/Copenhagen, as the page reads it; a time the
clock skips (the spring change) or shows twice (the autumn change) is refused with the page's
message, not moved an hour."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms

from anvis.vacancies.forms import OfferForm

from .conftest import accepted_vacancy, make_case

pytestmark = pytest.mark.django_db


def _offer(api: Any, org_a: Any, users: dict[str, Any], viewing_at: str) -> Any:
    vacancy = accepted_vacancy(users, org_a)
    body = {
        "vacancy": vacancy.pk,
        "case": make_case(users).number,
        "soft_confirmed": True,
        "viewing_at": viewing_at,
    }
    return api("municipal").post("/api/v1/offers/", body)


def _page_message(value: str) -> list[str]:
    """What the offer page's viewing field says of the same local time."""
    with pytest.raises(forms.ValidationError) as refused:
        OfferForm.base_fields["viewing_at"].clean(value[:16])
    return refused.value.messages


@pytest.mark.parametrize(
    "local",
    [
        "2027-03-28T02:30:00",  # skipped: the clock goes from 02:00 to 03:00
        "2027-10-31T02:30:00",  # shown twice: the clock goes from 03:00 back to 02:00
    ],
)
def test_a_local_time_the_clock_skips_or_repeats_is_refused_as_on_the_page(
    api: Any, org_a: Any, users: dict[str, Any], agreement: Any, local: str
) -> None:
    response = _offer(api, org_a, users, local)
    assert response.status_code == 400, response.content
    assert response.json()["errors"] == {"viewing_at": _page_message(local)}
    assert "Europe/Copenhagen" in response.json()["errors"]["viewing_at"][0]


@pytest.mark.parametrize(
    ("sent", "shown"),
    [
        ("2027-03-28T03:30:00", "2027-03-28T03:30:00+02:00"),  # summer time, local
        ("2027-03-28T01:30:00Z", "2027-03-28T03:30:00+02:00"),  # the same instant, in UTC
        ("2027-01-05T10:00:00", "2027-01-05T10:00:00+01:00"),
        ("2027-10-31T02:30:00+01:00", "2027-10-31T02:30:00+01:00"),  # an offset decides
    ],
)
def test_local_and_offset_times_are_read_in_copenhagen(
    api: Any, org_a: Any, users: dict[str, Any], agreement: Any, sent: str, shown: str
) -> None:
    response = _offer(api, org_a, users, sent)
    assert response.status_code == 201, response.content
    assert response.json()["viewing_at"] == shown
    offer = api("municipal").get(f"/api/v1/offers/{response.json()['id']}/").json()
    assert offer["viewing_at"] == shown
