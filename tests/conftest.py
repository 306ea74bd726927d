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


# Property tests run on shared, loaded machines: judge them on correctness, never on speed.
try:
    from hypothesis import settings as hypothesis_settings

    hypothesis_settings.register_profile("anvis", deadline=None)
    hypothesis_settings.load_profile("anvis")
except ImportError:  # pragma: no cover
    pass


# Two running OpenID Connect test providers registered in Anvis (single sign-on tests).
from tests.sso_fixtures import idps  # noqa: E402, F401
