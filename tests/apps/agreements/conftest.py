from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from anvis.agreements import services


@pytest.fixture
def agreement(users: dict[str, Any], org_a: Any, org_b: Any) -> Any:
    return services.agreement_create(
        actor=users["anvisningsleder"],
        municipality="Aalborg Kommune",
        title="Udlejningsaftale",
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2027, 12, 31),
        parties=[org_a, org_b],
        signed_on=dt.date(2023, 12, 1),
        terms={
            "municipal_share_percent": Decimal("25"),
            "covered_dwelling_types": ["family"],
            "rent_ceiling": 5000,
        },
    )
