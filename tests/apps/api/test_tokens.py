from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from anvis.api.models import ApiToken
from anvis.api.services import api_token_create, api_token_revoke
from anvis.audit.models import AuditEvent

from .conftest import ApiClient

pytestmark = pytest.mark.django_db


def test_token_is_stored_hashed_and_shown_once(tokens: dict[str, Any]) -> None:
    created = tokens["org_a"]
    token = ApiToken.objects.get(pk=created.token.pk)
    assert created.raw.startswith(f"anv_{token.prefix}_")
    assert token.token_hash == hashlib.sha256(created.raw.encode()).hexdigest()
    assert created.raw not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    audit = AuditEvent.objects.get(action="api.token_create", object_id=str(token.pk))
    assert audit.after["token_hash"] == "***"


def test_organisation_token_acts_as_a_system_user_of_that_organisation_only(
    tokens: dict[str, Any], org_a: Any
) -> None:
    user = tokens["org_a"].token.user
    assert user.role == "boligorganisation"
    assert list(user.organisations.all()) == [org_a]
    assert not user.has_usable_password()


def test_only_administrators_create_and_revoke(users: dict[str, Any], org_a: Any) -> None:
    for role in ("sagsbehandler", "anvisningsleder", "boligorganisation", "styregruppe"):
        with pytest.raises(PermissionDenied):
            api_token_create(actor=users[role], name="x", kind="organisation", organisation=org_a)


def test_municipal_token_needs_a_municipal_user(users: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as info:
        api_token_create(
            actor=users["administrator"],
            name="x",
            kind="municipal",
            user=users["boligorganisation"],
        )
    assert "Vælg en aktiv kommunal bruger." in str(info.value)


def test_valid_token_authenticates_and_records_last_use(tokens: dict[str, Any], api: Any) -> None:
    response = api("org_a").get("/api/v1/vacancies/")
    assert response.status_code == 200
    assert ApiToken.objects.get(pk=tokens["org_a"].token.pk).last_used_at is not None


@pytest.mark.parametrize(
    "header", ["Bearer nonsense", "Bearer anv_deadbeef_wrongsecret", "Bearer anv__x"]
)
def test_bad_token_is_a_problem_401(tokens: dict[str, Any], header: str) -> None:
    client = ApiClient()
    client.headers = {"Authorization": header}
    response = client.get("/api/v1/vacancies/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "authentication_failed"
    assert body["title"] == "Godkendelse mislykkedes."
    assert body["detail"] == "API-nøglen er ikke gyldig."


def test_wrong_secret_with_a_real_prefix_is_refused(tokens: dict[str, Any]) -> None:
    token = tokens["org_a"].token
    assert ApiClient(f"anv_{token.prefix}_guessed").get("/api/v1/vacancies/").status_code == 401


def test_revoked_token_is_refused(tokens: dict[str, Any], users: dict[str, Any], api: Any) -> None:
    api_token_revoke(actor=users["administrator"], token=tokens["org_a"].token)
    response = api("org_a").get("/api/v1/vacancies/")
    assert response.status_code == 401
    assert response.json()["detail"] == "API-nøglen er tilbagekaldt."
    # The other tokens still work.
    assert api("org_b").get("/api/v1/vacancies/").status_code == 200


def test_anonymous_gets_401_problem() -> None:
    response = ApiClient().get("/api/v1/vacancies/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_admin_creates_token_in_admin_and_sees_it_once(
    client_for: Any, org_a: Any, users: dict[str, Any]
) -> None:
    client = client_for("administrator")
    response = client.post(
        "/admin/api/apitoken/add/",
        {"name": "EG Bolig", "kind": "organisation", "organisation": org_a.pk, "user": ""},
        follow=True,
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(name="EG Bolig")
    shown = [str(m) for m in response.context["messages"]]
    raw = next(m.split(": ")[-1] for m in shown if "anv_" in m)
    assert hashlib.sha256(raw.encode()).hexdigest() == token.token_hash
    assert ApiClient(raw).get("/api/v1/vacancies/").status_code == 200
    # Later views of the token never show it again.
    page = client.get(f"/admin/api/apitoken/{token.pk}/change/")
    assert raw not in page.content.decode()


def test_non_admins_cannot_reach_the_token_admin(client_for: Any) -> None:
    for role in ("sagsbehandler", "anvisningsleder", "boligorganisation", "styregruppe"):
        assert client_for(role).get("/admin/api/apitoken/").status_code == 302
