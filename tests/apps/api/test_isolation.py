"""An organisation's token can neither read nor change another organisation's data, and never
reaches cases."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import get_resolver
from django.utils import timezone

from anvis.stock.models import Dwelling
from anvis.vacancies.models import Offer, Vacancy

from .conftest import dwelling_of

pytestmark = pytest.mark.django_db


def _report(client: Any, dwelling: Any) -> dict[str, Any]:
    today = timezone.localdate()
    response = client.post(
        "/api/v1/vacancies/",
        {
            "dwelling": dwelling.pk,
            "notice_date": today.isoformat(),
            "available_from": (today + dt.timedelta(days=14)).isoformat(),
        },
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_lists_are_filtered_to_the_own_organisation(api: Any, org_a: Any, org_b: Any) -> None:
    _report(api("org_a"), dwelling_of(org_a))
    _report(api("org_b"), dwelling_of(org_b))
    vacancies = api("org_a").get("/api/v1/vacancies/").json()["results"]
    assert {v["organisation"] for v in vacancies} == {org_a.pk}
    dwellings = api("org_a").get("/api/v1/dwellings/").json()["results"]
    assert {d["organisation"] for d in dwellings} == {org_a.pk}
    assert len(dwellings) == 2
    # Filtering by the other organisation gives an error, never its rows.
    response = api("org_a").get("/api/v1/dwellings/", organisation=org_b.pk)
    assert response.status_code == 400
    assert "organisation" in response.json()["errors"]
    assert (
        api("org_a")
        .get("/api/v1/dwellings/", department=org_b.departments.get().pk)
        .json()["count"]
        == 0
    )


def test_objects_of_another_organisation_are_404(api: Any, org_a: Any, org_b: Any) -> None:
    theirs = _report(api("org_b"), dwelling_of(org_b))
    client = api("org_a")
    for path in (
        f"/api/v1/vacancies/{theirs['id']}/",
        f"/api/v1/dwellings/{dwelling_of(org_b).pk}/",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json()["code"] == "not_found"
    # Their own objects are found.
    assert api("org_b").get(f"/api/v1/vacancies/{theirs['id']}/").status_code == 200


def test_cannot_report_a_vacancy_on_another_organisations_dwelling(api: Any, org_b: Any) -> None:
    today = timezone.localdate()
    response = api("org_a").post(
        "/api/v1/vacancies/",
        {
            "dwelling": dwelling_of(org_b).pk,
            "notice_date": today.isoformat(),
            "available_from": today.isoformat(),
        },
    )
    assert response.status_code == 400
    assert "dwelling" in response.json()["errors"]
    assert not Vacancy.objects.exists()


def test_cannot_answer_another_organisations_offer(api: Any, org_b: Any, offer_for: Any) -> None:
    offer = offer_for(org_b)
    client = api("org_a")
    assert client.get(f"/api/v1/offers/{offer.pk}/").status_code == 404
    assert client.get("/api/v1/offers/").json()["count"] == 0
    response = client.post(
        f"/api/v1/offers/{offer.pk}/answer/", {"answer": "reject", "ground": "overcrowding"}
    )
    assert response.status_code == 404
    assert Offer.objects.get(pk=offer.pk).status == "pending"
    response = client.post(
        "/api/v1/leases/",
        {"offer": offer.pk, "signed_on": "2026-01-01", "starts_on": "2026-01-01",
         "move_in_on": "2026-01-01"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "offer" in response.json()["errors"]


def test_cannot_upsert_another_organisations_stock(api: Any, org_b: Any) -> None:
    item = {
        "cvr": org_b.cvr, "afdelingsnr": "202", "afdeling": "Overtaget", "adresse": "Betavej 2",
        "postnr": "9220", "by": "Aalborg Øst", "etage": "st", "doer": "tv", "vaerelser": 1,
        "m2": 40, "husleje": 1,
    }  # fmt: skip
    response = api("org_a").post("/api/v1/stock/", {"items": [item]})
    assert response.status_code == 400
    assert "items[0].cvr" in response.json()["errors"]
    assert Dwelling.objects.get(entrance__department__organisation=org_b, floor="st").rent == 3100


def test_organisation_tokens_never_reach_cases(api: Any) -> None:
    client = api("org_a")
    response = client.get("/api/v1/exports/cases/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    for ftype in ("csv", "xlsx"):
        assert client.get("/api/v1/exports/cases/", filetype=ftype).status_code == 404
    # No API route serves cases to anyone but the municipal export.
    routes = [str(p.pattern) for p in get_resolver().url_patterns if "api" in str(p.pattern)]
    api_paths = []
    for resolver in get_resolver().url_patterns:
        if str(resolver.pattern) == "api/":
            api_paths = [str(p.pattern) for p in resolver.url_patterns]
    assert routes and [p for p in api_paths if "case" in p] == ["v1/exports/cases/"]


def test_offers_never_carry_case_data_and_only_the_citizen_reference_before_acceptance(
    api: Any, org_a: Any, offer_for: Any
) -> None:
    offer = offer_for(org_a)
    body = api("org_a").get(f"/api/v1/offers/{offer.pk}/").json()
    assert "case" not in body
    assert body["citizen"] == {
        "reference": offer.case.citizen.reference,
        "name": None,
        "phone": None,
        "email": None,
    }
    text = str(api("org_a").get(f"/api/v1/vacancies/{offer.vacancy_id}/").json())
    assert offer.case.number not in text
    assert "Testesen" not in text and "12345678" not in text


def test_ledger_is_for_municipal_roles(api: Any, agreement: Any) -> None:
    response = api("org_a").get("/api/v1/ledger/", agreement=agreement.pk)
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert api("municipal").get("/api/v1/ledger/", agreement=agreement.pk).status_code == 200


ROLE_MATRIX = [
    # path, roles allowed (others: 403 or 404)
    ("/api/v1/vacancies/", {"sagsbehandler", "anvisningsleder", "boligorganisation", "styregruppe", "administrator"}),
    ("/api/v1/dwellings/", {"sagsbehandler", "anvisningsleder", "boligorganisation", "styregruppe", "administrator"}),
    ("/api/v1/webhooks/", {"boligorganisation", "administrator"}),
    ("/api/v1/exports/cases/", {"sagsbehandler", "anvisningsleder", "administrator"}),
    ("/api/v1/exports/vacancies/", {"sagsbehandler", "anvisningsleder", "boligorganisation", "styregruppe", "administrator"}),
]  # fmt: skip


@pytest.mark.parametrize(("path", "allowed"), ROLE_MATRIX)
def test_access_matrix_with_the_web_session(client_for: Any, path: str, allowed: set[str]) -> None:
    for role in (
        "sagsbehandler",
        "anvisningsleder",
        "boligorganisation",
        "styregruppe",
        "administrator",
    ):
        status = client_for(role).get(path).status_code
        if role in allowed:
            assert status == 200, (path, role, status)
        else:
            assert status in (403, 404), (path, role, status)
