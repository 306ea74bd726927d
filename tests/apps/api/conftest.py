from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from anvis.stock.models import Dwelling

REPORT_DAY = dt.date(2026, 3, 4)


@pytest.fixture(autouse=True)
def _clear_throttle_cache() -> None:
    cache.clear()


class ApiClient:
    """A test client that sends the bearer token and JSON."""

    def __init__(self, raw: str | None = None, client: Client | None = None):
        self.client = client or Client()
        self.headers = {"Authorization": f"Bearer {raw}"} if raw else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(path, params, headers=self.headers)

    def post(self, path: str, data: Any, headers: dict[str, str] | None = None) -> Any:
        return self.client.post(
            path,
            json.dumps(data),
            content_type="application/json",
            headers={**self.headers, **(headers or {})},
        )

    def delete(self, path: str) -> Any:
        return self.client.delete(path, headers=self.headers)


@pytest.fixture
def tokens(users: dict[str, Any], org_a: Any, org_b: Any) -> dict[str, Any]:
    """Raw tokens: org_a's system, org_b's system, a municipal (allocation lead) system."""
    from anvis.api.services import api_token_create

    admin = users["administrator"]
    return {
        "org_a": api_token_create(
            actor=admin, name="EG Bolig A", kind="organisation", organisation=org_a
        ),
        "org_b": api_token_create(
            actor=admin, name="Unik B", kind="organisation", organisation=org_b
        ),
        "municipal": api_token_create(
            actor=admin, name="Fagsystem", kind="municipal", user=users["anvisningsleder"]
        ),
    }


@pytest.fixture
def api(tokens: dict[str, Any]) -> Any:
    def make(key: str) -> ApiClient:
        return ApiClient(tokens[key].raw)

    return make


@pytest.fixture
def agreement(users: dict[str, Any], org_a: Any, org_b: Any) -> Any:
    """Every eligible vacancy is the municipality's turn (share 100 %), ceiling 5000 kr."""
    from anvis.agreements import services as agreement_services

    return agreement_services.agreement_create(
        actor=users["anvisningsleder"],
        municipality="Aalborg Kommune",
        title="Udlejningsaftale",
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2099, 12, 31),
        parties=[org_a, org_b],
        signed_on=dt.date(2023, 12, 1),
        terms={
            "municipal_share_percent": Decimal("100"),
            "covered_dwelling_types": ["family"],
            "rent_ceiling": 5000,
        },
    )


def dwelling_of(org: Any, rent: int = 3100) -> Dwelling:
    return Dwelling.objects.get(entrance__department__organisation=org, rent=rent)


def make_case(users: dict[str, Any], cpr: str = "120385-1235", first: str = "Karl") -> Any:
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


def accepted_vacancy(users: dict[str, Any], org: Any) -> Any:
    """`org`'s cheap dwelling reported today and accepted by the municipality: ready to offer."""
    from django.utils import timezone

    from anvis.vacancies import services as flow

    today = timezone.localdate()
    reporter = users["boligorganisation"] if org.cvr == "11111111" else users["org_b"]
    vacancy = flow.vacancy_report(
        actor=reporter,
        dwelling=dwelling_of(org),
        notice_date=today,
        available_from=today + dt.timedelta(days=30),
        report_date=today,
    )
    flow.vacancy_accept(actor=users["anvisningsleder"], vacancy=vacancy, today=today)
    return vacancy


@pytest.fixture
def offer_for(users: dict[str, Any], agreement: Any) -> Any:
    """An offer on `org`'s cheap dwelling: reported, accepted by the municipality, offered."""
    from django.utils import timezone

    from anvis.vacancies import services as flow

    def make(org: Any, cpr: str = "120385-1235") -> Any:
        vacancy = accepted_vacancy(users, org)
        case = make_case(users, cpr)
        return flow.offer_create(
            actor=users["sagsbehandler"], vacancy=vacancy, case=case, today=timezone.localdate()
        )

    return make
