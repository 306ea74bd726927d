"""A deactivated account is logged out at its next request, however it logged in: with a
password or through the organisation's identity provider (single sign-on)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from anvis.permissions import Role

pytestmark = pytest.mark.django_db

BACKENDS = ["django.contrib.auth.backends.ModelBackend", "anvis.accounts.oidc.ProviderBackend"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_deactivated_user_is_logged_out(users: dict[str, Any], backend: str) -> None:
    user = users[Role.CASEWORKER]
    client = Client()
    client.force_login(user, backend=backend)
    assert client.get(reverse("cases:case_list")).status_code == 200

    user.is_active = False
    user.save(update_fields=["is_active"])
    response = client.get(reverse("cases:case_list"))
    assert not response.wsgi_request.user.is_authenticated
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
