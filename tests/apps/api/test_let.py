"""Letting through the organisation's own waiting list by the API: the organisation's system
closes a vacancy on its own turn with the same service and rule as the vacancy page, and the
dwelling can be reported vacant again."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from anvis.audit.models import AuditEvent
from anvis.vacancies.models import Vacancy

from .conftest import dwelling_of

pytestmark = pytest.mark.django_db


def _report(client: Any, dwelling: Any) -> Any:
    day = timezone.localdate()
    return client.post(
        "/api/v1/vacancies/",
        {"dwelling": dwelling.pk, "notice_date": day.isoformat(),
         "available_from": (day + dt.timedelta(days=30)).isoformat()},
    )  # fmt: skip


def test_the_organisation_lets_its_own_turn_and_reports_the_dwelling_again(
    api: Any, org_a: Any
) -> None:
    client = api("org_a")
    dwelling = dwelling_of(org_a)
    reported = _report(client, dwelling)  # no agreement: the organisation's own turn
    assert reported.json()["status"] == "ordinary", reported.content
    pk = reported.json()["id"]
    again = _report(client, dwelling)
    assert again.status_code == 400
    assert "allerede en åben ledighed" in again.json()["detail"]

    let = {"starts_on": timezone.localdate().isoformat()}
    key = {"Idempotency-Key": "let-1"}
    response = client.post(f"/api/v1/vacancies/{pk}/let/", let, headers=key)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "let"
    assert response.json()["events"][-1]["to_status"] == "let"
    vacancy = Vacancy.objects.get(pk=pk)
    assert (vacancy.status, vacancy.let_from) == ("let", timezone.localdate())
    assert AuditEvent.objects.filter(action="vacancies.let_ordinary", object_id=str(pk)).exists()
    replay = client.post(f"/api/v1/vacancies/{pk}/let/", let, headers=key)
    assert replay["Idempotent-Replayed"] == "true"
    assert replay.json() == response.json()

    # The next tenancy ends: the dwelling is reported vacant again.
    assert _report(client, dwelling).status_code == 201


def test_only_the_organisations_own_turn_is_let_so(api: Any, org_a: Any, agreement: Any) -> None:
    client = api("org_a")
    pk = _report(client, dwelling_of(org_a)).json()["id"]  # the municipality's turn
    response = client.post(f"/api/v1/vacancies/{pk}/let/", {"starts_on": "2027-01-01"})
    assert response.status_code == 400
    assert response.json()["code"] == "not_ordinary"
    assert response.json()["detail"].startswith(
        "Kun en ledighed på boligorganisationens egen tur kan udlejes fra dens egen venteliste"
    )
    assert Vacancy.objects.get(pk=pk).status == "municipal"


def test_letting_needs_a_start_and_is_for_the_owning_organisation(api: Any, org_a: Any) -> None:
    pk = _report(api("org_a"), dwelling_of(org_a)).json()["id"]
    missing = api("org_a").post(f"/api/v1/vacancies/{pk}/let/", {})
    assert missing.status_code == 400
    assert missing.json()["errors"]["starts_on"] == ["Dette felt er påkrævet."]
    for key in ("org_b", "municipal"):
        for body in ({"starts_on": "2027-01-01"}, {}):
            response = api(key).post(f"/api/v1/vacancies/{pk}/let/", body)
            assert response.status_code == 404, (key, body)
    assert Vacancy.objects.get(pk=pk).status == "ordinary"
