from __future__ import annotations

from typing import Any

import pytest

from tests.apps.vacancies.conftest import (  # noqa: F401 - fixtures shared with the flow's tests
    agreement,
    case,
    case2,
    cheap,
    dear,
)


@pytest.fixture
def mailed_users(users: dict[str, Any]) -> dict[str, Any]:
    """The test users with e-mail addresses (immediate mode, the default)."""
    for key, user in users.items():
        user.email = f"{key}@example.dk"
        user.save(update_fields=["email"])
    return users
