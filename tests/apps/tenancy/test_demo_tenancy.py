"""The demo's tenancies (`anvis.demo.tenancy`): the cases it writes on past days (each opened on
its own day) leave the stored priority as every other loader's cases do: for the demo's day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from anvis.cases import adapters
from anvis.cases.models import Case
from anvis.demo import tenancy as demo
from anvis.demo.context import DemoContext

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 2)


def test_demo_tenancy_cases_store_the_priority_of_the_demo_day(
    users: dict[str, Any], org_a: Any, org_b: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The case list sorts and shows the stored total; the case page, the candidates and the
    matching engine compute it for today. A case the loader opened months ago and left with
    the total of its opening day is lower on the list than its priority says."""
    from anvis.agreements import services as agreements

    agreements.agreement_create(
        actor=users["anvisningsleder"],
        municipality="Aalborg Kommune",
        title="Udlejningsaftale",
        period_start=dt.date(2020, 1, 1),
        period_end=dt.date(2030, 12, 31),
        parties=[org_a, org_b],
        signed_on=dt.date(2019, 12, 1),
        terms={"municipal_share_percent": Decimal("100"), "covered_dwelling_types": ["family"]},
    )
    monkeypatch.setattr(demo, "TENANCIES", 2)
    demo_users = {
        "anvisningsleder": users["anvisningsleder"],
        "sagsbehandler": users["sagsbehandler"],
        "admin": users["administrator"],
        "boligorg": users["boligorganisation"],
        "boligorg2": users["org_b"],
    }
    demo.load(DemoContext(today=TODAY, log=lambda _line: None, data={"users": demo_users}))
    cases = list(Case.objects.open())
    assert len(cases) == 2
    for case in cases:
        fresh = adapters.compute_priority(case, TODAY).total
        assert (case.priority_total, case.priority_computed_on) == (fresh, TODAY), case.number
