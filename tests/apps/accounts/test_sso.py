"""Single sign-on against a real OpenID Connect provider on 127.0.0.1 (tests/oidc_provider.py):
the claims rules decide role and organisation; a token with a wrong signature, for another
audience or expired is refused, as is a user no rule matches."""

from __future__ import annotations

import urllib.parse
from typing import Any

import pytest
import requests
from django.test import Client

from anvis.accounts.models import ExternalIdentity, User
from anvis.permissions import Role

pytestmark = pytest.mark.django_db


def _sign_in(client: Client, slug: str, username: str) -> Any:
    """Start at Anvis, log in at the provider (its form), come back with the code."""
    start = client.get(f"/konto/sso/{slug}/")
    assert start.status_code == 302
    authorize = urllib.parse.urlsplit(start["Location"])
    params = dict(urllib.parse.parse_qsl(authorize.query))
    assert params["code_challenge_method"] == "S256" and params["nonce"]
    base = f"{authorize.scheme}://{authorize.netloc}"
    answer = requests.post(
        f"{base}/authorize",
        data={**params, "username": username},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302
    back = urllib.parse.urlsplit(answer.headers["Location"])
    return client.get(f"{back.path}?{back.query}", follow=True)


def test_claims_give_role_and_organisation(idps: Any, org_a: Any) -> None:
    client = Client()
    response = _sign_in(client, "alfa", "mette")
    assert response.status_code == 200
    user = User.objects.get(identities__subject="b-1")
    assert user.role == Role.ORGANISATION
    assert list(user.organisations.all()) == [org_a]
    assert user.username == "alfa.b-1" and not user.has_usable_password()
    page = response.content.decode()
    assert "Mette Udlejer" in page and "Boligorganisation" in page

    # The rule changes: the next login follows it.
    from anvis.accounts.models import ClaimRule

    ClaimRule.objects.filter(provider__slug="alfa").update(role=Role.STEERING, organisation=None)
    _sign_in(Client(), "alfa", "mette")
    user.refresh_from_db()
    assert user.role == Role.STEERING and not user.organisations.exists()
    assert ExternalIdentity.objects.filter(user=user).count() == 1


@pytest.mark.parametrize("mode", ["bad-signature", "wrong-audience", "expired"])
def test_bad_tokens_are_refused(idps: Any, mode: str) -> None:
    idps["kommunen"].mode = mode
    client = Client()
    response = _sign_in(client, "kommunen", "jens")
    assert response.request["PATH_INFO"] == "/konto/login/"
    assert "Log-in med single sign-on mislykkedes" in response.content.decode()
    assert not User.objects.filter(identities__subject="k-100").exists()
    assert "_auth_user_id" not in client.session


def test_user_without_a_matching_rule_is_refused(idps: Any) -> None:
    response = _sign_in(Client(), "kommunen", "ole")
    assert response.request["PATH_INFO"] == "/konto/login/"
    assert not User.objects.filter(identities__subject="k-300").exists()


def test_two_factor_rule_applies_without_strong_authentication(idps: Any, settings: Any) -> None:
    settings.ANVIS_REQUIRE_2FA = True
    strong = Client()
    _sign_in(strong, "kommunen", "jens")  # amr has mfa: no Anvis code needed
    assert strong.get("/").status_code == 200
    weak = Client()
    _sign_in(weak, "kommunen", "sara")  # password only at the provider
    response = weak.get("/")
    assert response.status_code == 302 and "/sikkerhed/" in response["Location"]


def test_a_deactivated_user_is_refused_and_left_as_the_administrator_left_them(
    idps: Any, org_a: Any
) -> None:
    """Deactivated in Anvis: the provider's login is refused, and its claims change nothing
    on the account (no role or organisation from a login that did not happen)."""
    from anvis.accounts.models import ClaimRule
    from anvis.audit.models import AuditEvent

    _sign_in(Client(), "alfa", "mette")
    user = User.objects.get(identities__subject="b-1")
    User.objects.filter(pk=user.pk).update(is_active=False)
    ClaimRule.objects.filter(provider__slug="alfa").update(role=Role.STEERING, organisation=None)
    client = Client()
    response = _sign_in(client, "alfa", "mette")
    assert response.request["PATH_INFO"] == "/konto/login/"
    assert "_auth_user_id" not in client.session
    user.refresh_from_db()
    assert user.role == Role.ORGANISATION and list(user.organisations.all()) == [org_a]
    assert not AuditEvent.objects.filter(action="accounts.sso_user_update").exists()
