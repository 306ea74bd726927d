"""Password hashing: Argon2id at the chosen parameters, older hashes upgraded at login."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.hashers import (
    Argon2PasswordHasher,
    PBKDF2PasswordHasher,
    identify_hasher,
    make_password,
)
from django.test import Client

from anvis.config import settings as project_settings
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def production_hashers(settings: Any) -> list[str]:
    # The tests hash with MD5 for speed (tests/conftest.py); these tests use the real list.
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    return list(project_settings.PASSWORD_HASHERS)


def test_new_passwords_are_argon2id_at_the_documented_parameters(
    production_hashers: list[str],
) -> None:
    encoded = make_password("Et-godt-kodeord-2026")
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$"), encoded


@pytest.mark.parametrize("old", ["pbkdf2", "argon2-django-defaults"])
def test_an_older_hash_is_upgraded_at_the_next_login(
    production_hashers: list[str], users: dict[str, Any], old: str
) -> None:
    user = users["sagsbehandler"]
    if old == "pbkdf2":
        # A cheap iteration count keeps the test fast; any count is verified the same way.
        user.password = PBKDF2PasswordHasher().encode(PASSWORD, "somesalt1234", iterations=1000)
    else:
        # Django's own Argon2 parameters (100 MiB, 8 lanes): same algorithm, other cost.
        user.password = Argon2PasswordHasher().encode(PASSWORD, "somesalt1234")
    user.save(update_fields=["password"])
    before = user.password

    response = Client().post("/konto/login/", {"username": user.username, "password": PASSWORD})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password != before
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert identify_hasher(user.password).algorithm == "argon2"


def test_a_wrong_password_does_not_rewrite_the_hash(
    production_hashers: list[str], users: dict[str, Any]
) -> None:
    user = users["sagsbehandler"]
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "somesalt1234", iterations=1000)
    user.save(update_fields=["password"])
    before = user.password
    response = Client().post(
        "/konto/login/", {"username": user.username, "password": "forkert-kode-123"}
    )
    assert response.status_code == 422
    user.refresh_from_db()
    assert user.password == before
