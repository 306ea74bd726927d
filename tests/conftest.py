"""Shared fixtures: two housing organisations with a small stock, and one user per role.

`org_a` and `org_b` each have one department, one entrance and two dwellings. `users` maps a role
to a user; the organisation user belongs to `org_a`, `users["org_b"]` to `org_b`.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from anvis.permissions import Role

PASSWORD = "Test-password-2026!"


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    """Mark the slow kinds so that `make test-fast` can leave them out (CI runs everything):
    `browser` (the whole of tests/e2e), `fuzz` (every hypothesis test) and `pdf` (tests whose
    name says pdf; others that render one carry the mark themselves)."""
    for item in items:
        path = str(getattr(item, "path", ""))
        if f"{os.sep}e2e{os.sep}" in path:
            item.add_marker(pytest.mark.browser)
        if getattr(getattr(item, "function", None), "is_hypothesis_test", False):
            item.add_marker(pytest.mark.fuzz)
        if "pdf" in item.name.lower():
            item.add_marker(pytest.mark.pdf)


def _stock(name: str, cvr: str, number: str, street: str) -> Any:
    from anvis.stock.models import Department, Dwelling, Entrance, HousingOrganisation

    org = HousingOrganisation.objects.create(name=name, cvr=cvr)
    dept = Department.objects.create(
        organisation=org,
        number=number,
        name=f"{name} afd. {number}",
        district="Aalborg Øst",
        build_year=1972,
    )
    entrance = Entrance.objects.create(
        department=dept, street=street, postal_code="9220", city="Aalborg Øst"
    )
    Dwelling.objects.create(
        entrance=entrance, floor="st", door="tv", rooms=1, area_m2=40, rent=3100
    )
    Dwelling.objects.create(
        entrance=entrance,
        floor="1",
        door="th",
        rooms=3,
        area_m2=80,
        rent=5600,
        step_free=True,
        elevator=True,
    )
    return org


@pytest.fixture
def org_a(db: Any) -> Any:
    return _stock("Alfa Boligselskab", "11111111", "101", "Alfavej 1")


@pytest.fixture
def org_b(db: Any) -> Any:
    return _stock("Beta Bolig", "22222222", "202", "Betavej 2")


@pytest.fixture
def users(db: Any, org_a: Any, org_b: Any) -> dict[str, Any]:
    from anvis.accounts.models import User

    out: dict[str, Any] = {}
    for role in Role:
        user = User.objects.create_user(
            username=f"u_{role.value}",
            password=PASSWORD,
            role=role.value,
            is_staff=role == Role.ADMIN,
            is_superuser=role == Role.ADMIN,
        )
        if role == Role.ORGANISATION:
            user.organisations.add(org_a)
        out[role.value] = user
    other = User.objects.create_user(username="u_org_b", password=PASSWORD, role=Role.ORGANISATION)
    other.organisations.add(org_b)
    out["org_b"] = other
    return out


@pytest.fixture
def client_for(client: Any, users: dict[str, Any]) -> Any:
    """`client_for("sagsbehandler")` returns a test client logged in with that role (or key)."""
    from django.test import Client

    def make(key: str) -> Client:
        c = Client()
        c.force_login(users[key])
        return c

    return make


def database_is_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


@pytest.fixture(autouse=True)
def _fast_password_hashing(request: Any) -> None:
    # Core tests also run without the Django plugin (`-p no:django`).
    if not request.config.pluginmanager.hasplugin("django"):
        return
    settings = request.getfixturevalue("settings")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Webhook targets in the tests: no name is looked up in DNS and nothing is sent anywhere but
# 127.0.0.1. Every host name resolves to 127.0.0.1, which the allow-list admits, except the
# names below, which stand for the addresses an attacker would aim at (their refusal is tested in
# tests/apps/api/test_webhook_targets.py, which also empties the allow-list).
TEST_HOSTS = {
    "metadata.example.dk": ["169.254.169.254"],
    "intern.example.dk": ["10.0.0.1"],
    "cgnat.example.dk": ["100.64.0.1"],
    "blandet.example.dk": ["93.184.215.14", "192.168.1.10"],
    "offentlig.example.dk": ["93.184.215.14"],
    "v6.example.dk": ["fe80::1"],
}


def resolve_in_tests(host: str, port: int) -> list[str]:
    return list(TEST_HOSTS.get(host, ["127.0.0.1"]))


@pytest.fixture(autouse=True)
def _webhook_targets_stay_local(request: Any, monkeypatch: Any) -> None:
    if not request.config.pluginmanager.hasplugin("django"):
        return
    monkeypatch.setattr("anvis.api.webhooks.resolve_host", resolve_in_tests)
    settings = request.getfixturevalue("settings")
    settings.ANVIS_WEBHOOK_ALLOWED_TARGETS = ["127.0.0.1"]


# Property tests run on shared, loaded machines: judge them on correctness, never on speed.
try:
    from hypothesis import settings as hypothesis_settings

    hypothesis_settings.register_profile("anvis", deadline=None)
    hypothesis_settings.load_profile("anvis")
except ImportError:  # pragma: no cover
    pass


# Two running OpenID Connect test providers registered in Anvis (single sign-on tests).
from tests.sso_fixtures import idps  # noqa: E402, F401
