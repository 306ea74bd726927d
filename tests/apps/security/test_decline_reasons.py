"""Why a citizen declined an offer (the coded reason, and the pause it put on the case) is the
municipality's to read (docs/privacy.md: the organisation never gets social data, "support
plans or whether one exists", nor the situation; the steering group no row about one citizen).
The API's offers and vacancy never carried it; the vacancy page showed it to the dwelling's
organisation (offers table and timeline) and to the steering group (timeline)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from anvis.vacancies import services as flow
from anvis.vacancies.choices import DeclineReasonChoice

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "reason",
    [DeclineReasonChoice.PROVIDER_SUPPORT_NOT_READY, DeclineReasonChoice.CLIENT_NOT_READY],
)
def test_only_the_municipality_reads_why_a_citizen_declined(
    reason: DeclineReasonChoice, world: dict[str, Any], users: dict[str, Any]
) -> None:
    flow.offer_decline(actor=users["sagsbehandler"], offer=world["offer"], reason=reason.value)
    with translation.override("da"):
        label = str(reason.label)
    page = reverse("vacancies:vacancy_detail", args=[world["vacancy"].pk])

    def body(key: str) -> str:
        client = Client()
        client.force_login(users[key])
        response = client.get(page)
        assert response.status_code == 200
        return response.content.decode()

    for key in ("boligorganisation", "styregruppe"):
        shown = body(key)
        assert label not in shown, key
        assert "pause i" not in shown, key
    assert label in body("sagsbehandler")
