"""A retried write (`Idempotency-Key`) is replayed only to a caller whose access is what it was
when the first request passed the endpoint's checks: the view's role rule runs before the
replay (DRF's permission classes in `initial()`), and the checks inside the handler (the role
that may write to a list, the caller's organisations) are guarded by the access the record
stores. A caller who has since lost the role or the organisation gets no replay."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from anvis.permissions import Role
from anvis.vacancies.models import Vacancy

from .conftest import ApiClient, dwelling_of
from .test_vacancies import report_body

pytestmark = pytest.mark.django_db

KEY = {"Idempotency-Key": "report-1"}


def reported(client: ApiClient, org: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    body = report_body(dwelling_of(org))
    first = client.post("/api/v1/vacancies/", body, headers=KEY)
    assert first.status_code == 201, first.content
    return body, first.json()


def refused(response: Any, first: dict[str, Any]) -> bool:
    """Not the first answer again: no replay header, not a success, and no part of the stored
    answer (the vacancy's id and its dwelling's address) in the body."""
    text = response.content.decode()
    return (
        response.get("Idempotent-Replayed") is None
        and response.status_code >= 400
        and f'"id":{first["id"]}' not in text.replace(" ", "")
        and first["address"] not in text
    )


def test_an_unchanged_caller_gets_the_replay(api: Any, org_a: Any, agreement: Any) -> None:
    client = api("org_a")
    body, first = reported(client, org_a)
    again = client.post("/api/v1/vacancies/", body, headers=KEY)
    assert again["Idempotent-Replayed"] == "true" and again.json() == first


def test_a_token_whose_user_left_the_organisation_gets_no_replay(
    api: Any, tokens: dict[str, Any], org_a: Any, org_b: Any, agreement: Any
) -> None:
    client = api("org_a")
    body, first = reported(client, org_a)
    tokens["org_a"].token.user.organisations.set([org_b])
    again = client.post("/api/v1/vacancies/", body, headers=KEY)
    assert refused(again, first), again.content
    assert again.json()["code"] == "idempotency_key_access_changed"
    assert Vacancy.objects.count() == 1
    # Given its organisation back, the caller gets the first answer again.
    tokens["org_a"].token.user.organisations.set([org_a])
    assert client.post("/api/v1/vacancies/", body, headers=KEY).json() == first


def test_a_user_moved_to_another_organisation_gets_no_replay(
    users: dict[str, Any], org_a: Any, org_b: Any, agreement: Any
) -> None:
    session = Client()
    session.force_login(users["boligorganisation"])
    client = ApiClient(client=session)
    body, first = reported(client, org_a)
    users["boligorganisation"].organisations.set([org_b])
    assert refused(client.post("/api/v1/vacancies/", body, headers=KEY), first)


def test_a_user_who_lost_the_writing_role_gets_no_replay(
    users: dict[str, Any], org_a: Any, agreement: Any
) -> None:
    """The vacancy list is open to every role (the view's rule lets the caller in); only
    organisation staff and administrators may report (`create_input`, inside the handler)."""
    user = users["boligorganisation"]
    session = Client()
    session.force_login(user)
    client = ApiClient(client=session)
    body, first = reported(client, org_a)
    user.role = Role.STEERING
    user.save(update_fields=["role"])
    again = client.post("/api/v1/vacancies/", body, headers=KEY)
    assert refused(again, first), again.content


def test_the_views_role_rule_runs_before_the_replay(
    api: Any, tokens: dict[str, Any], offer_for: Any, org_a: Any
) -> None:
    """The nominee answer is for organisation staff (and administrators) only, by the view's
    rule: a caller who has lost that role is refused by DRF's permission check, which runs
    before the handler and so before any replay."""
    offer = offer_for(org_a)
    client = api("org_a")
    url = f"/api/v1/offers/{offer.pk}/answer/"
    first = client.post(url, {"answer": "accept"}, headers=KEY)
    assert first.status_code == 200, first.content
    user = tokens["org_a"].token.user
    user.role = Role.STEERING
    user.save(update_fields=["role"])
    again = client.post(url, {"answer": "accept"}, headers=KEY)
    assert again.status_code == 404 and again.get("Idempotent-Replayed") is None
