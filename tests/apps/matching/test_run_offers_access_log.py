"""The page of offers made from a batch run names each proposal's citizen (case number, and
why an offer was not made): logged as read, as the run's own page logs its proposals."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from anvis.audit.models import PersonalDataAccess
from anvis.matching.models import MatchingRun
from anvis.permissions import Role

from .conftest import make_case

pytestmark = pytest.mark.django_db


def test_the_offers_page_of_a_run_logs_the_citizens_it_names(
    client_for: Any, users: dict[str, Any], vacancy: Any, today: dt.date
) -> None:
    case = make_case(users, "120385-1235", waiting_days=300)
    client = client_for(Role.ALLOCATION_LEAD)
    client.post(reverse("matching:run_new"), {"objective": "max_weight"})
    run = MatchingRun.objects.get()
    before = PersonalDataAccess.objects.order_by("pk").last()
    response = client.post(
        reverse("matching:run_offers", args=[run.pk]), {"proposal": [str(vacancy.pk)]}
    )
    assert case.number in response.content.decode()
    logged = PersonalDataAccess.objects.filter(pk__gt=before.pk if before else 0)
    assert list(logged.values_list("what", "subject_ref", "purpose")) == [
        ("matching.proposal", case.citizen.reference, "allocation")
    ]
