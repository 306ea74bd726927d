"""Data minimisation (docs/privacy.md) and the insight document (indsigt)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from anvis.audit.models import PersonalDataAccess

from .access_matrix import MATRIX
from .conftest import (
    CPR,
    CPR_DIGITS,
    EMAIL,
    FIRST_NAME,
    HOUSED_NAME,
    LAST_NAME,
    NOTE,
    PHONE,
    SHELTER,
)
from .test_access_matrix import build_url

pytestmark = pytest.mark.django_db

SECRETS = (FIRST_NAME, LAST_NAME, CPR, CPR_DIGITS, PHONE, EMAIL, NOTE, SHELTER)


@pytest.mark.parametrize("key", ["boligorganisation", "org_b", "styregruppe"])
def test_organisation_and_steering_never_get_citizen_data(
    key: str, world: dict[str, Any], users: dict[str, Any]
) -> None:
    """Every page these roles can request, with every object id: no name, CPR, contact
    details, notes or shelter, whatever the status code."""
    client = Client()
    client.force_login(users[key])
    # The housed citizen consented and accepted an offer on organisation A's dwelling: only
    # organisation A's staff may see that name, on that tenancy.
    secrets = SECRETS if key == "boligorganisation" else (*SECRETS, HOUSED_NAME)
    leaks = []
    for name, entry in sorted(MATRIX.items()):
        response = getattr(client, entry.method)(build_url(name, entry, world))
        body = response.content.decode(errors="replace")
        leaks += [f"{name}: {s}" for s in secrets if s in body]
    assert not leaks, leaks
    assert not PersonalDataAccess.objects.filter(user=users[key]).exists()


def test_name_reaches_the_organisation_only_with_consent_for_an_accepted_offer(
    client_for: Any, world: dict[str, Any]
) -> None:
    url = reverse("vacancies:vacancy_detail", args=[world["let_vacancy"].pk])
    assert HOUSED_NAME in client_for("boligorganisation").get(url).content.decode()
    assert client_for("org_b").get(url).status_code == 404
    steering = client_for("styregruppe").get(url)
    assert steering.status_code == 200 and HOUSED_NAME not in steering.content.decode()
    open_offer = reverse("vacancies:vacancy_detail", args=[world["vacancy"].pk])
    assert FIRST_NAME not in client_for("boligorganisation").get(open_offer).content.decode()


def test_caseworker_sees_the_name_but_cpr_only_on_request(
    client_for: Any, world: dict[str, Any]
) -> None:
    client = client_for("sagsbehandler")
    page = client.get(reverse("cases:case_overview", args=[world["case"].pk])).content.decode()
    assert FIRST_NAME in page
    assert CPR not in page and CPR_DIGITS not in page


def test_insight_lookup_by_case_number(client_for: Any, world: dict[str, Any]) -> None:
    client = client_for("sagsbehandler")
    response = client.get("/sikkerhed/indsigt/", {"reference": world["case"].number.lower()})
    assert response.status_code == 302
    assert response["Location"] == f"/sikkerhed/indsigt/{world['citizen'].pk}/"
    response = client.get("/sikkerhed/indsigt/", {"reference": "S-1999-99999"})
    assert "Ingen borger eller sag med den reference." in response.content.decode()


def test_insight_document_holds_everything_and_is_logged(
    client_for: Any, world: dict[str, Any], users: dict[str, Any]
) -> None:
    client = client_for("sagsbehandler")
    client.get(reverse("cases:case_overview", args=[world["case"].pk]))  # an earlier access
    response = client.get(f"/sikkerhed/indsigt/{world['citizen'].pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    for value in (FIRST_NAME, LAST_NAME, CPR, PHONE, EMAIL, NOTE, SHELTER, world["case"].number):
        assert value in page, value
    assert "Hvem har set oplysningerne" in page
    assert "case.view.overview" in page  # the earlier access is listed
    assert "cases.case_create" in page  # the history of changes
    access = PersonalDataAccess.objects.filter(what="citizen.insight").get()
    assert access.user == users["sagsbehandler"]
    assert access.subject_id == str(world["citizen"].pk)
    assert "art. 15" in access.purpose


def test_insight_as_pdf(client_for: Any, world: dict[str, Any]) -> None:
    response = client_for("anvisningsleder").get(
        f"/sikkerhed/indsigt/{world['citizen'].pk}/", {"format": "pdf"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert world["citizen"].reference in response["Content-Disposition"]
    assert PersonalDataAccess.objects.filter(what="citizen.insight_pdf").count() == 1


def test_insight_unknown_citizen_is_404(client_for: Any, world: dict[str, Any]) -> None:
    assert client_for("sagsbehandler").get("/sikkerhed/indsigt/999999/").status_code == 404


def test_insight_includes_offers_and_the_lease(client_for: Any, world: dict[str, Any]) -> None:
    citizen = world["housed_case"].citizen
    page = client_for("sagsbehandler").get(f"/sikkerhed/indsigt/{citizen.pk}/").content.decode()
    assert "Tilbud om bolig" in page
    assert "lejekontrakt underskrevet" in page
