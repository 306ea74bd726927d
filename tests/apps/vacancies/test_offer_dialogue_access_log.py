"""What the offer dialogue shows of waiting citizens is logged as read, as the candidate page
logs its "why not" rows (docs/privacy.md: each view of personal data writes a
`PersonalDataAccess` row)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from anvis.audit.models import PersonalDataAccess

from .conftest import make_case
from .test_gate import _open, break_area_bar

pytestmark = pytest.mark.django_db


def test_the_citizens_the_dialogue_lists_as_not_offerable_are_logged_as_read(
    users: dict[str, Any], agreement: Any, cheap: Any, client_for: Any
) -> None:
    """The dialogue lists the waiting citizens the gate keeps from the dwelling, by case number
    with why (a legal bar: a release from prison). The candidate page logs the same rows
    (`matching.ranking`); the dialogue logged nothing."""
    today: dt.date = timezone.localdate()
    vacancy = _open(users, cheap, today)
    barred = make_case(users, "010190-1234", "Spærret")
    break_area_bar(users, vacancy, barred, today)
    client = client_for("sagsbehandler")
    page = client.get(reverse("vacancies:offer_create", args=[vacancy.pk])).content.decode()
    assert barred.number in page.split('data-testid="not-offerable"')[1]
    logged = PersonalDataAccess.objects.filter(
        user=users["sagsbehandler"], subject_ref=barred.citizen.reference
    )
    assert list(logged.values_list("what", "purpose")) == [("offer.eligibility", "allocation")]
