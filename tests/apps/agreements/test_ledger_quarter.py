"""Which quarter a ledger shows is decided once (`agreements.selectors.ledger_quarter`), for the
page, its downloads and the API: by default the agreement's latest quarter (this one while it
runs, its last one after it ended); a quarter outside the agreement is said, not silently
swapped (the page) or answered with zeros (the API)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from anvis.agreements import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def ended(users: dict[str, Any], org_a: Any, org_b: Any) -> Any:
    return services.agreement_create(
        actor=users["anvisningsleder"],
        municipality="Aalborg Kommune",
        title="Udlejningsaftale 2024-25",
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2025, 6, 30),
        parties=[org_a, org_b],
        signed_on=dt.date(2023, 12, 1),
        terms={
            "municipal_share_percent": Decimal("25"),
            "covered_dwelling_types": ["family"],
            "rent_ceiling": 5000,
        },
    )


def _api(users: dict[str, Any]) -> APIClient:
    client = APIClient()
    client.force_authenticate(users["styregruppe"])
    return client


def test_the_default_quarter_is_the_agreements_last_on_the_page_and_in_the_api(
    ended: Any, users: dict[str, Any], client_for: Any
) -> None:
    page = client_for("styregruppe").get("/aftaler/regnskab/", {"aftale": ended.pk})
    assert str(page.context["view"].quarter) == "2025-Q2"
    body = _api(users).get("/api/v1/ledger/", {"agreement": ended.pk}).json()
    assert body["quarter"] == "2025-Q2"


def test_a_quarter_outside_the_agreement_is_said(
    ended: Any, users: dict[str, Any], client_for: Any
) -> None:
    page = client_for("styregruppe").get(
        "/aftaler/regnskab/", {"aftale": ended.pk, "kvartal": "2026-Q1"}
    )
    assert str(page.context["view"].quarter) == "2025-Q2"
    assert "Aftalen har intet regnskab for 1. kvartal 2026" in page.content.decode()
    response = _api(users).get("/api/v1/ledger/", {"agreement": ended.pk, "quarter": "2026-Q1"})
    assert response.status_code == 400
    assert "quarter" in response.json()["errors"] or "quarter" in str(response.json())


def test_a_download_of_a_quarter_outside_leaves_no_message_for_the_next_page(
    ended: Any, client_for: Any
) -> None:
    client = client_for("styregruppe")
    download = client.get(
        "/aftaler/regnskab/", {"aftale": ended.pk, "kvartal": "2026-Q1", "format": "csv"}
    )
    assert download.status_code == 200
    page = client.get("/aftaler/regnskab/", {"aftale": ended.pk}).content.decode()
    assert "Aftalen har intet regnskab" not in page
