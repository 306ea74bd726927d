from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

CPR = "120385-1235"
CPR_DIGITS = "1203851235"
SERIAL = "1235"


@pytest.fixture
def case(users: dict[str, Any]) -> Any:
    from anvis.cases.services import case_create

    return case_create(
        actor=users["sagsbehandler"],
        cpr=CPR,
        first_name="Karl",
        last_name="Testesen",
        phone="12345678",
        email="karl@example.org",
        situation="shelter_110",
        situation_since=dt.date(2026, 1, 5),
        today=dt.date(2026, 2, 1),
    )
