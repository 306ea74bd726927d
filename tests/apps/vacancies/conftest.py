from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from anvis.agreements import services as agreement_services
from anvis.stock.models import Dwelling

# Wednesday 4 March 2026; a municipal answer is due 7 working days later: Friday 13 March.
REPORT_DAY = dt.date(2026, 3, 4)
DEADLINE = dt.date(2026, 3, 13)


@pytest.fixture
def agreement(users: dict[str, Any], org_a: Any, org_b: Any) -> Any:
    """Every eligible vacancy is the municipality's turn (share 100 %), ceiling 5000 kr."""
    return agreement_services.agreement_create(
        actor=users["anvisningsleder"],
        municipality="Aalborg Kommune",
        title="Udlejningsaftale",
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2028, 12, 31),
        parties=[org_a, org_b],
        signed_on=dt.date(2023, 12, 1),
        terms={
            "municipal_share_percent": Decimal("100"),
            "covered_dwelling_types": ["family"],
            "rent_ceiling": 5000,
        },
    )


@pytest.fixture
def cheap(org_a: Any) -> Any:
    """Org A's 1-room dwelling at 3100 kr: eligible."""
    return Dwelling.objects.get(entrance__department__organisation=org_a, rent=3100)


@pytest.fixture
def dear(org_a: Any) -> Any:
    """Org A's 3-room dwelling at 5600 kr: over the ceiling."""
    return Dwelling.objects.get(entrance__department__organisation=org_a, rent=5600)


def make_case(users: dict[str, Any], cpr: str, first: str = "Karl") -> Any:
    from anvis.cases.services import case_create

    return case_create(
        actor=users["sagsbehandler"],
        cpr=cpr,
        first_name=first,
        last_name="Testesen",
        phone="12345678",
        situation="shelter_110",
        situation_since=dt.date(2026, 1, 5),
        today=dt.date(2026, 2, 1),
    )


@pytest.fixture
def case(users: dict[str, Any]) -> Any:
    return make_case(users, "120385-1235")


@pytest.fixture
def case2(users: dict[str, Any]) -> Any:
    return make_case(users, "010190-1234", "Lise")
