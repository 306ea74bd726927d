"""Values beyond any sensible range get a Danish message naming the field, not a server error."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from anvis.agreements import services as agreement_services

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/ledige-boliger/opgoerelse/", "/ledige-boliger/opgoerelser/"])
def test_a_statement_month_far_ahead_is_a_form_error(client_for: Any, org_a: Any, url: str) -> None:
    response = client_for("anvisningsleder").get(
        url, {"organisation": org_a.pk, "month": "9999-12", "format": "pdf"}
    )
    assert response.status_code in (200, 422)
    assert "Vælg en måned mellem 2000 og 2099." in response.content.decode()


def test_an_agreement_deadline_has_an_upper_bound(users: dict[str, Any], org_a: Any) -> None:
    with pytest.raises(ValidationError) as info:
        agreement_services.agreement_create(
            actor=users["anvisningsleder"],
            municipality="Aalborg Kommune",
            title="Udlejningsaftale",
            period_start=dt.date(2024, 1, 1),
            parties=[org_a],
            signed_on=dt.date(2023, 12, 1),
            terms={
                "municipal_share_percent": Decimal("25"),
                "covered_dwelling_types": ["family"],
                "rent_ceiling": 5000,
                "response_deadline_working_days": 5_000_000,
            },
        )
    assert "Fristen kan højst være 60 arbejdsdage." in str(info.value)
