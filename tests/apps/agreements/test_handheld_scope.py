"""A håndholdt request is about one citizen: its need (age, situation, where the citizen comes
from, the support), district wishes and case reference. The parties read it, the municipality
all and an organisation those addressed to it; the steering group, which reads aggregates only
and no row about one citizen (docs/privacy.md), reads none of them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from anvis.agreements import services
from anvis.agreements.models import HandheldRequest

pytestmark = pytest.mark.django_db

NEED = "Mand, 58 år, udskrives fra § 110-botilbud; rolig opgang."
WISHES = "Gerne uden for Vejgaard"
REFERENCE = "HF-2026-031"


@pytest.fixture
def handheld(users: dict[str, Any], agreement: Any, org_a: Any) -> HandheldRequest:
    return services.handheld_request_create(
        actor=users["sagsbehandler"],
        agreement=agreement,
        organisation=org_a,
        case_reference=REFERENCE,
        rooms=1,
        max_rent=3_500,
        need=NEED,
        district_wishes=WISHES,
        requested_on=dt.date(2026, 2, 1),
    )


def test_the_steering_group_reads_no_handheld_request(
    handheld: HandheldRequest, users: dict[str, Any], client_for: Any
) -> None:
    assert not HandheldRequest.objects.restrict(users["styregruppe"]).exists()
    response = client_for("styregruppe").get("/aftaler/haandholdt/?status=all")
    body = response.content.decode()
    assert not any(text in body for text in (NEED, WISHES, REFERENCE))
    assert response.status_code == 403
    # Nor is it offered the list in the navigation.
    home = client_for("styregruppe").get("/").content.decode()
    assert "/aftaler/haandholdt/" not in home


def test_the_parties_read_the_request(
    handheld: HandheldRequest, users: dict[str, Any], client_for: Any
) -> None:
    for key in ("sagsbehandler", "anvisningsleder", "boligorganisation"):
        body = client_for(key).get("/aftaler/haandholdt/").content.decode()
        assert NEED in body and REFERENCE in body, key
    # Organisation B is a party of the agreement but the request is addressed to A.
    assert NEED not in client_for("org_b").get("/aftaler/haandholdt/").content.decode()


@pytest.mark.parametrize(
    ("field", "value"),
    [("case_reference", "S-2026-00012"), ("need", "Se sag s-2026-00012; stuebolig")],
)
def test_a_request_refuses_the_municipal_case_number(
    field: str, value: str, agreement: Any, client_for: Any
) -> None:
    """The organisations read the request, and they never see a case number (docs/privacy.md,
    "One identifier per citizen per audience"): the case number typed as the request's
    reference, or in its text, is refused on the field, as a CPR number is."""
    data = {
        "case_reference": "HF-2026-031",
        "rooms": "1",
        "max_rent": "3500",
        "need": "Stuebolig",
        "requested_on": "2026-02-01",
        field: value,
    }
    response = client_for("sagsbehandler").post("/aftaler/haandholdt/ny/", data)
    assert response.status_code == 422
    assert "Skriv ikke sagsnummeret her" in response.content.decode()
    assert not HandheldRequest.objects.exists()


def test_the_vacancy_report_names_the_request_in_danish(
    handheld: HandheldRequest, client_for: Any
) -> None:
    """The organisation picks the request its vacancy answers by rooms and rent written as the
    pages write them, not "1 rum, 3500 kr"."""
    import html

    from django.urls import reverse

    body = html.unescape(
        client_for("boligorganisation").get(reverse("vacancies:vacancy_report")).content.decode()
    )
    assert f"{REFERENCE}: mindst 1 værelse, højst 3.500 kr. om måneden" in body
    assert "3500 kr" not in body
