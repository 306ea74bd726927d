"""`manage.py create_api_token`: the administrator named by --by must be active."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from anvis.api.models import ApiToken
from anvis.permissions import Role

pytestmark = pytest.mark.django_db


def test_a_deactivated_administrator_is_refused_with_a_message(users: dict[str, Any]) -> None:
    admin = users[Role.ADMIN]
    admin.is_active = False
    admin.save(update_fields=["is_active"])
    with pytest.raises(CommandError, match="--by must name an active administrator"):
        call_command(
            "create_api_token",
            "--name",
            "Fagsystem",
            "--user",
            users[Role.ALLOCATION_LEAD].username,
            "--by",
            admin.username,
            stdout=StringIO(),
        )
    assert not ApiToken.objects.exists()


def test_an_active_administrator_creates_the_token(users: dict[str, Any]) -> None:
    out = StringIO()
    call_command(
        "create_api_token",
        "--name",
        "Fagsystem",
        "--user",
        users[Role.ALLOCATION_LEAD].username,
        "--by",
        users[Role.ADMIN].username,
        stdout=out,
    )
    assert out.getvalue().startswith("anv_")
    assert ApiToken.objects.get().user == users[Role.ALLOCATION_LEAD]
