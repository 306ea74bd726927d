"""docs/operations.md, step 7: the first administrator is made with `manage.py createsuperuser`."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from anvis.accounts.models import User
from anvis.permissions import Role

pytestmark = pytest.mark.django_db


def test_createsuperuser_makes_an_administrator_who_reaches_the_admin(monkeypatch: Any) -> None:
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Foerste-Admin-2026!")
    call_command(
        "createsuperuser",
        interactive=False,
        username="root",
        email="root@example.dk",
        stdout=StringIO(),
    )
    user = User.objects.get(username="root")
    assert user.role == Role.ADMIN and user.is_superuser and user.is_staff
    client = Client()
    client.force_login(user)
    assert client.get("/admin/accounts/user/").status_code == 200


def test_a_plain_user_still_needs_a_role() -> None:
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        User.objects.create_user(username="uden-rolle", password="Foerste-Admin-2026!")
