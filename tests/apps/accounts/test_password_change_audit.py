"""A user's own password change is in the audit trail, as an administrator's setting of it and
the two-factor enrolment are; never the hash."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from anvis.audit.models import AuditEvent
from anvis.permissions import Role
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_changing_ones_own_password_is_audited(users: dict[str, Any]) -> None:
    user = users[Role.CASEWORKER]
    client = Client()
    client.force_login(user)
    new = "Mit-Nye-Kodeord-2026!"
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
    event = AuditEvent.objects.get(action="accounts.password_change")
    assert event.actor == user and event.object_id == str(user.pk)
    assert user.password not in str(event.before) + str(event.after) + event.note


def test_a_refused_password_change_writes_nothing(users: dict[str, Any]) -> None:
    client = Client()
    client.force_login(users[Role.CASEWORKER])
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "forkert", "new_password1": "x", "new_password2": "x"},
    )
    assert response.status_code == 422
    assert not AuditEvent.objects.filter(action="accounts.password_change").exists()
