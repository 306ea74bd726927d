from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

TODAY = dt.date(2026, 3, 2)


def make_case(users: dict[str, Any], cpr: str, situation: str, **extra: Any) -> Any:
    from anvis.cases.services import case_create

    return case_create(
        actor=users["sagsbehandler"],
        cpr=cpr,
        first_name="Karl",
        last_name="Testesen",
        situation=situation,
        situation_since=dt.date(2026, 1, 5),
        waiting_since=dt.date(2026, 2, 1),
        today=dt.date(2026, 2, 1),
        **extra,
    )


@pytest.fixture
def agreement(users: dict[str, Any], org_a: Any, org_b: Any) -> Any:
    from anvis.agreements import services

    agreement = services.agreement_create(
        actor=users["anvisningsleder"],
        municipality="Aalborg Kommune",
        title="Udlejningsaftale",
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2028, 12, 31),
        parties=[org_a, org_b],
        terms={
            "municipal_share_percent": Decimal("30"),
            "covered_dwelling_types": ["family"],
            "rent_ceiling": 5000,
            "cap_per_entrance_12m": 1,
            "cap_per_department_12m": 4,
            "response_deadline_working_days": 5,
        },
    )
    services.department_step_set(
        actor=users["anvisningsleder"],
        agreement=agreement,
        department=org_a.departments.get(),
        label="Trin 2",
        share_percent=Decimal("40"),
        valid_from=dt.date(2025, 1, 1),
        reason="Stabil afdeling",
    )
    return agreement


@pytest.fixture
def waiting(users: dict[str, Any]) -> list[Any]:
    """Two waiting cases: a 40-year-old in a § 110 shelter and a 20-year-old sleeping rough."""
    return [
        make_case(users, "120385-1235", "shelter_110"),
        make_case(users, "010605-4234", "rough_sleeping"),
    ]
