from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from anvis.api.models import IdempotencyRecord
from anvis.vacancies.models import Vacancy

from .conftest import dwelling_of

pytestmark = pytest.mark.django_db


def report_body(dwelling: Any, **extra: Any) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "dwelling": dwelling.pk,
        "notice_date": today.isoformat(),
        "available_from": (today + dt.timedelta(days=30)).isoformat(),
        **extra,
    }


def test_report_a_vacancy_and_read_its_status(api: Any, org_a: Any, agreement: Any) -> None:
    client = api("org_a")
    response = client.post("/api/v1/vacancies/", report_body(dwelling_of(org_a)))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "municipal"
    assert body["status_label"] == "Kommunal tur, afventer svar"
    assert body["response_deadline"]
    assert [e["to_status"] for e in body["events"]] == ["reported", "municipal"]
    detail = client.get(f"/api/v1/vacancies/{body['id']}/")
    assert detail.status_code == 200
    assert detail.json()["status"] == "municipal"
    listed = client.get("/api/v1/vacancies/", status="open").json()
    assert [v["id"] for v in listed["results"]] == [body["id"]]
    assert listed["count"] == 1


def test_without_an_agreement_the_vacancy_is_ordinary(api: Any, org_a: Any) -> None:
    response = api("org_a").post("/api/v1/vacancies/", report_body(dwelling_of(org_a)))
    assert response.status_code == 201
    assert response.json()["status"] == "ordinary"


def test_validation_errors_are_danish_problem_json(api: Any, org_a: Any) -> None:
    body = report_body(dwelling_of(org_a))
    body["available_from"] = "2020-01-01"
    del body["notice_date"]
    response = api("org_a").post("/api/v1/vacancies/", body)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "validation_error"
    assert problem["title"] == "Forespørgslen er ikke gyldig."
    assert problem["errors"]["notice_date"] == ["Dette felt er påkrævet."]


def test_available_before_notice_is_refused_in_danish(api: Any, org_a: Any) -> None:
    body = report_body(dwelling_of(org_a), available_from="2020-01-01")
    problem = api("org_a").post("/api/v1/vacancies/", body).json()
    assert problem["errors"]["available_from"] == [
        "Boligen kan ikke være ledig før lejerens opsigelsesdato."
    ]


def test_a_second_open_vacancy_is_a_service_error(api: Any, org_a: Any) -> None:
    client = api("org_a")
    assert client.post("/api/v1/vacancies/", report_body(dwelling_of(org_a))).status_code == 201
    response = client.post("/api/v1/vacancies/", report_body(dwelling_of(org_a)))
    assert response.status_code == 400
    [message] = response.json()["errors"]["dwelling"]
    assert message.startswith("Boligen har allerede en åben ledighed, indberettet ")


def test_idempotent_retry_returns_the_same_response_and_one_vacancy(
    api: Any, org_a: Any, agreement: Any
) -> None:
    client = api("org_a")
    body = report_body(dwelling_of(org_a))
    key = {"Idempotency-Key": "report-7f3c"}
    first = client.post("/api/v1/vacancies/", body, headers=key)
    second = client.post("/api/v1/vacancies/", body, headers=key)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Vacancy.objects.count() == 1
    assert IdempotencyRecord.objects.count() == 1


def test_same_key_with_another_body_is_422(api: Any, org_a: Any) -> None:
    client = api("org_a")
    key = {"Idempotency-Key": "k1"}
    assert (
        client.post("/api/v1/vacancies/", report_body(dwelling_of(org_a)), key).status_code == 201
    )
    other = report_body(dwelling_of(org_a, rent=5600))
    response = client.post("/api/v1/vacancies/", other, key)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "idempotency_key_reused"
    assert Vacancy.objects.count() == 1


def test_idempotency_keys_are_per_token(api: Any, org_a: Any, org_b: Any) -> None:
    key = {"Idempotency-Key": "same"}
    assert (
        api("org_a").post("/api/v1/vacancies/", report_body(dwelling_of(org_a)), key).status_code
        == 201
    )
    assert (
        api("org_b").post("/api/v1/vacancies/", report_body(dwelling_of(org_b)), key).status_code
        == 201
    )
    assert Vacancy.objects.count() == 2


def test_a_failed_request_is_not_stored_and_can_be_retried(api: Any, org_a: Any) -> None:
    client = api("org_a")
    key = {"Idempotency-Key": "retry-me"}
    bad = report_body(dwelling_of(org_a), available_from="2020-01-01")
    assert client.post("/api/v1/vacancies/", bad, key).status_code == 400
    assert not IdempotencyRecord.objects.exists()
    assert (
        client.post("/api/v1/vacancies/", report_body(dwelling_of(org_a)), key).status_code == 201
    )


def test_municipal_token_reads_all_but_cannot_report(api: Any, org_a: Any, org_b: Any) -> None:
    for org, key in ((org_a, "org_a"), (org_b, "org_b")):
        api(key).post("/api/v1/vacancies/", report_body(dwelling_of(org)))
    client = api("municipal")
    assert client.get("/api/v1/vacancies/").json()["count"] == 2
    assert client.post("/api/v1/vacancies/", report_body(dwelling_of(org_a))).status_code == 404


def test_session_auth_works_and_needs_csrf(client_for: Any, org_a: Any) -> None:
    from django.test import Client

    client = client_for("boligorganisation")
    assert client.get("/api/v1/vacancies/").status_code == 200
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(_user(org_a))
    response = strict.post(
        "/api/v1/vacancies/", report_body(dwelling_of(org_a)), content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert response.json()["detail"] == (
        "CSRF-kontrollen fejlede: CSRF-cookien er ikke sat. Send CSRF-tokenet i headeren "
        "X-CSRFToken sammen med CSRF-cookien, eller brug en API-nøgle."
    )
    strict.cookies["csrftoken"] = "a" * 32
    response = strict.post(
        "/api/v1/vacancies/", report_body(dwelling_of(org_a)), content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["detail"].startswith("CSRF-kontrollen fejlede: CSRF-tokenet mangler.")


def test_a_null_body_is_refused_in_danish(api: Any) -> None:
    for path in ("/api/v1/vacancies/", "/api/v1/stock/", "/api/v1/webhooks/"):
        response = api("org_a").post(path, None)
        assert response.status_code == 400, path
        assert response.json()["errors"] == {
            "non_field_errors": ["Forespørgslen indeholder ingen data; send et JSON-objekt."]
        }, path


def _user(org: Any) -> Any:
    return org.staff.get(username="u_boligorganisation")


def test_throttling_per_token(api: Any) -> None:
    from anvis.api.throttling import TokenRateThrottle

    old = TokenRateThrottle.THROTTLE_RATES
    TokenRateThrottle.THROTTLE_RATES = {"api": "2/min"}
    try:
        client = api("org_a")
        assert client.get("/api/v1/vacancies/").status_code == 200
        assert client.get("/api/v1/vacancies/").status_code == 200
        response = client.get("/api/v1/vacancies/")
        assert response.status_code == 429
        assert response.json()["code"] == "throttled"
        assert response.json()["title"] == "For mange forespørgsler."
        assert "Retry-After" in response
        # Another token has its own budget.
        assert api("org_b").get("/api/v1/vacancies/").status_code == 200
    finally:
        TokenRateThrottle.THROTTLE_RATES = old


def test_old_idempotency_records_are_purged(api: Any, org_a: Any) -> None:
    from django.core.management import call_command

    api("org_a").post(
        "/api/v1/vacancies/", report_body(dwelling_of(org_a)), {"Idempotency-Key": "a"}
    )
    IdempotencyRecord.objects.update(created_at=timezone.now() - dt.timedelta(days=31))
    api("org_a").post(
        "/api/v1/vacancies/", report_body(dwelling_of(org_a, rent=5600)), {"Idempotency-Key": "b"}
    )
    call_command("purge_idempotency_records", "--days", "30")
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["b"]


@pytest.mark.parametrize("empty", [None, "", " "])
def test_an_empty_rent_at_letting_is_the_dwellings_rent_as_on_the_page(
    api: Any, org_a: Any, empty: Any
) -> None:
    # The page's empty field and the file's empty cell mean the dwelling's registered rent;
    # the API refused null and an empty text.
    dwelling = dwelling_of(org_a)
    body = {**report_body(dwelling), "rent_at_letting": empty}
    response = api("org_a").post("/api/v1/vacancies/", body)
    assert response.status_code == 201, response.content
    assert response.json()["rent_at_letting"] == dwelling.rent
