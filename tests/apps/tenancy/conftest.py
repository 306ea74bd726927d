"""A let dwelling of organisation A through the agreement, with a caseworker and a support plan,
moved in `MONTHS_AGO` months before today (the lease is registered through the services)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

NOTE = "Lejer fortæller om misbrugsbehandling"
MONTHS_AGO = 5


@pytest.fixture
def let(users: dict[str, Any], org_a: Any) -> dict[str, Any]:
    return make_let(users, org_a)


def make_let(
    users: dict[str, Any],
    org_a: Any,
    *,
    months_ago: int = MONTHS_AGO,
    move_in: dt.date | None = None,
) -> dict[str, Any]:
    """The let dwelling; `move_in` (also a day to come) instead of `months_ago`."""
    from anvis.agreements import services as agreements
    from anvis.cases import services as cases
    from anvis.cases.models import SupportMethod
    from anvis.stock.models import Dwelling
    from anvis.vacancies import services as flow
    from anvis_core.composition import add_months

    lead, worker, org_user = (
        users["anvisningsleder"],
        users["sagsbehandler"],
        users["boligorganisation"],
    )
    today = timezone.localdate()
    move_in = move_in or add_months(today, -months_ago)
    agreement = agreements.agreement_create(
        actor=lead,
        municipality="Aalborg Kommune",
        title="Udlejningsaftale",
        period_start=dt.date(2020, 1, 1),
        period_end=dt.date(2030, 12, 31),
        parties=[org_a],
        signed_on=dt.date(2019, 12, 1),
        terms={"municipal_share_percent": Decimal("100"), "covered_dwelling_types": ["family"]},
    )
    case = cases.case_create(
        actor=worker,
        cpr="020290-1234",
        first_name="Lejemaalina",
        last_name="Lejersen",
        situation="shelter_110",
        situation_since=add_months(move_in, -3),
        today=add_months(move_in, -2),
    )
    case.caseworker = worker
    case.save(update_fields=["caseworker"])
    cases.support_plan_add(
        actor=worker,
        case=case,
        method=SupportMethod.ICM,
        provider="Bostøtten",
        decided_on=add_months(move_in, -1),
    )
    dwelling = (
        Dwelling.objects.filter(entrance__department__organisation=org_a).order_by("pk").first()
    )
    report_day = min(move_in, today) - dt.timedelta(days=20)
    vacancy = flow.vacancy_report(
        actor=org_user,
        dwelling=dwelling,
        notice_date=report_day,
        available_from=report_day,
        source="voluntary",
        report_date=report_day,
    )
    flow.vacancy_accept(actor=lead, vacancy=vacancy, today=report_day)
    offer = flow.offer_create(actor=worker, vacancy=vacancy, case=case, today=report_day)
    flow.offer_accept(actor=worker, offer=offer, today=report_day)
    lease = flow.lease_register(
        actor=org_user,
        offer=offer,
        signed_on=min(move_in, today),
        starts_on=move_in,
        move_in_on=move_in,
    ).lease
    return {"lease": lease, "case": case, "agreement": agreement, "move_in": move_in}
