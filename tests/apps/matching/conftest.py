from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from anvis.agreements import services as agreement_services
from anvis.stock.models import Dwelling
from anvis.vacancies import services as flow


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


def make_agreement(users: dict[str, Any], orgs: list[Any], **terms: Any) -> Any:
    return agreement_services.agreement_create(
        actor=users["anvisningsleder"],
        municipality="Aalborg Kommune",
        title="Udlejningsaftale",
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2099, 12, 31),
        parties=orgs,
        signed_on=dt.date(2023, 12, 1),
        terms={
            "municipal_share_percent": Decimal("100"),
            "covered_dwelling_types": ["family", "youth"],
            "rent_ceiling": 5000,
            **terms,
        },
    )


@pytest.fixture
def agreement(users: dict[str, Any], org_a: Any, org_b: Any) -> Any:
    return make_agreement(users, [org_a, org_b])


@pytest.fixture
def cheap(org_a: Any) -> Any:
    """Org A's 1-room ground-floor dwelling at 3100 kr."""
    return Dwelling.objects.get(entrance__department__organisation=org_a, rent=3100)


def open_vacancy(users: dict[str, Any], dwelling: Any, today: dt.date, **kw: Any) -> Any:
    """Report and accept a vacancy (through the flow)."""
    vacancy = flow.vacancy_report(
        actor=users["boligorganisation"]
        if dwelling.entrance.department.organisation.cvr == "11111111"
        else users["org_b"],
        dwelling=dwelling,
        notice_date=today - dt.timedelta(days=20),
        available_from=today - dt.timedelta(days=10),
        report_date=today,
        **kw,
    )
    return flow.vacancy_accept(actor=users["anvisningsleder"], vacancy=vacancy, today=today)


@pytest.fixture
def vacancy(users: dict[str, Any], agreement: Any, cheap: Any, today: dt.date) -> Any:
    return open_vacancy(users, cheap, today)


def make_case(
    users: dict[str, Any],
    cpr: str,
    first: str = "Karl",
    *,
    income: int | None = 12000,
    benefit: int | None = 1500,
    waiting_days: int = 100,
    today: dt.date | None = None,
    **changes: Any,
) -> Any:
    from anvis.cases.services import case_create, case_update

    day = today or timezone.localdate()
    case = case_create(
        actor=users["sagsbehandler"],
        cpr=cpr,
        first_name=first,
        last_name="Testesen",
        phone="12345678",
        situation="shelter_110",
        situation_since=day - dt.timedelta(days=waiting_days),
        waiting_since=day - dt.timedelta(days=waiting_days),
        today=day,
    )
    fields = {"income_amount": income, "housing_benefit": benefit, **changes}
    return case_update(actor=users["sagsbehandler"], case=case, changes=fields, today=day)
