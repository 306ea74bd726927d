"""Offers as the municipality's system reads and makes them: the citizen it may see, and the
personal-data access record each showing of a name writes."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anvis.audit.models import PersonalDataAccess

pytestmark = pytest.mark.django_db


def _inserts(queries: CaptureQueriesContext) -> int:
    table = PersonalDataAccess._meta.db_table
    return sum(1 for q in queries.captured_queries if q["sql"].startswith(f'INSERT INTO "{table}"'))


def test_municipal_reads_of_names_are_logged_once_per_answer(
    api: Any, org_a: Any, org_b: Any, offer_for: Any
) -> None:
    first = offer_for(org_a, "120385-1235")
    second = offer_for(org_b, "010190-1239")
    client = api("municipal")
    with CaptureQueriesContext(connection) as queries:
        listed = client.get("/api/v1/offers/", page_size=500)
    assert listed.status_code == 200
    names = {row["citizen"]["name"] for row in listed.json()["results"]}
    assert names == {"Karl Testesen"}  # both citizens are named so in the fixture
    assert _inserts(queries) == 1
    rows = PersonalDataAccess.objects.filter(path="/api/v1/offers/")
    assert {row.subject_ref for row in rows} == {
        first.case.citizen.reference,
        second.case.citizen.reference,
    }
    assert {(row.what, row.purpose, row.user_label) for row in rows} == {
        ("offer.names", "allocation", "u_anvisningsleder")
    }

    with CaptureQueriesContext(connection) as queries:
        detail = client.get(f"/api/v1/vacancies/{first.vacancy_id}/")
    assert detail.json()["offers"][0]["citizen"]["reference"] == first.case.number
    assert _inserts(queries) == 1
    (row,) = PersonalDataAccess.objects.filter(path=f"/api/v1/vacancies/{first.vacancy_id}/")
    assert (row.subject_ref, row.what, row.purpose) == (
        first.case.citizen.reference,
        "offer.names",
        "allocation",
    )

    client.get(f"/api/v1/offers/{second.pk}/")
    (row,) = PersonalDataAccess.objects.filter(path=f"/api/v1/offers/{second.pk}/")
    assert (row.subject_ref, row.what) == (second.case.citizen.reference, "offer.names")


def test_organisation_reads_before_acceptance_write_no_names_record(
    api: Any, org_a: Any, offer_for: Any
) -> None:
    offer = offer_for(org_a)
    listed = api("org_a").get("/api/v1/offers/").json()["results"]
    assert listed[0]["citizen"]["name"] is None
    api("org_a").get(f"/api/v1/vacancies/{offer.vacancy_id}/")
    assert not PersonalDataAccess.objects.exists()


def test_the_offer_made_answers_with_the_citizen_as_reading_it_does(
    api: Any, org_a: Any, users: dict[str, Any], agreement: Any
) -> None:
    from .conftest import accepted_vacancy, make_case

    vacancy = accepted_vacancy(users, org_a)
    case = make_case(users)
    client = api("municipal")
    body = {"vacancy": vacancy.pk, "case": case.number, "soft_confirmed": True}
    key = {"Idempotency-Key": "offer-1"}
    made = client.post("/api/v1/offers/", body, headers=key)
    assert made.status_code == 201, made.content
    citizen = {"reference": case.number, "name": "Karl Testesen", "phone": None, "email": None}
    assert made.json()["citizen"] == citizen
    assert client.get(f"/api/v1/offers/{made.json()['id']}/").json()["citizen"] == citizen
    replayed = client.post("/api/v1/offers/", body, headers=key)
    assert replayed["Idempotent-Replayed"] == "true"
    assert replayed.json()["citizen"] == citizen
    assert PersonalDataAccess.objects.filter(
        path="/api/v1/offers/", what="offer.names", subject_ref=case.citizen.reference
    ).exists()
