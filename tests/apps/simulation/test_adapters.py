from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import pytest

from anvis.simulation import adapters
from anvis.simulation.adapters import scenario_from_database
from anvis_core.simulation import ExplicitStockSpec

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def test_waiting_list_stock_and_agreement_are_mapped(agreement: Any, waiting: Any) -> None:
    s = scenario_from_database(today=TODAY)

    citizens = sorted(s.initial_citizens or (), key=lambda c: c.group)
    assert [c.group for c in citizens] == ["rough_sleeping 18-24", "shelter_110 25-49"]
    assert all(c.waiting_days == 29 for c in citizens)  # 1 February → 2 March
    assert all(c.rooms_needed == 1 and not c.needs_accessible for c in citizens)
    assert all(math.isinf(c.max_rent) for c in citizens)  # no income known: no limit of its own
    names = {g.name for g in s.groups}
    assert {"rough_sleeping 18-24", "shelter_110 25-49"} <= names
    assert all(g.initial == 0 for g in s.groups)

    assert isinstance(s.stock, ExplicitStockSpec)
    assert len(s.stock.dwellings) == 4
    by_rent = sorted(s.stock.dwellings, key=lambda d: (d.department, d.rent))
    assert [d.rent for d in by_rent] == [3100, 5600, 3100, 5600]
    assert [d.accessible for d in by_rent] == [False, True, False, True]
    assert [d.rooms for d in by_rent] == [1, 3, 1, 3]
    assert {d.organisation for d in by_rent} == {
        "Alfa Boligselskab (11111111)",
        "Beta Bolig (22222222)",
    }
    assert {t.name: t.turnover_per_year for t in s.stock.types} == {"family": 0.104}

    r = s.regime
    assert r.kind == "agreement"
    assert r.share == Fraction(30, 100)
    assert r.rent_ceiling == 5000
    assert r.covered_types == ("family",)
    assert (r.stairwell_cap, r.department_cap) == (1, 4)
    assert r.response_days.a == pytest.approx(7.0)  # 5 working days
    assert [(st.name, st.share) for st in r.steps] == [("Trin 2 (40 %)", Fraction(40, 100))]
    assert dict(s.stock.department_steps) == {"Alfa Boligselskab, afd. 101": "Trin 2 (40 %)"}


def test_thin_registrations_fall_back_to_aalborg_rates(agreement: Any, waiting: Any) -> None:
    s = scenario_from_database(today=TODAY)
    total = sum(g.arrivals_per_year for g in s.groups)
    assert total == pytest.approx(440 * 4 / 30_000, rel=0.02)
    assert "Aalborg" in s.description


def test_arrival_rates_from_last_twelve_months(
    agreement: Any, waiting: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(adapters, "MIN_REGISTRATIONS", 2)
    s = scenario_from_database(today=TODAY)
    rates = {g.name: g.arrivals_per_year for g in s.groups}
    # Both cases were opened on 1 February 2026, within the last 12 months; age at opening.
    assert rates == {"rough_sleeping 18-24": 1.0, "shelter_110 25-49": 1.0}


def test_closed_cases_are_not_on_the_list(agreement: Any, waiting: Any) -> None:
    from anvis.cases.models import Case, CaseStatus

    Case.objects.filter(pk=waiting[0].pk).update(status=CaseStatus.HOUSED)
    s = scenario_from_database(today=TODAY)
    assert [c.group for c in s.initial_citizens or ()] == ["rough_sleeping 18-24"]


def test_without_agreement_the_default_regime_and_all_organisations(
    org_a: Any, org_b: Any, waiting: Any
) -> None:
    s = scenario_from_database(today=TODAY)
    assert s.regime.share == Fraction(27, 100)
    assert s.regime.steps == ()
    assert isinstance(s.stock, ExplicitStockSpec)
    assert len(s.stock.dwellings) == 4
    assert "ingen aftale" in s.description


def test_query_count_does_not_grow_with_the_stock(agreement: Any, waiting: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from anvis.stock.models import Dwelling, Entrance

    with CaptureQueriesContext(connection) as before:
        scenario_from_database(today=TODAY)
    entrance = Entrance.objects.first()
    Dwelling.objects.bulk_create(
        Dwelling(entrance=entrance, floor=str(i), door="tv", rooms=2, area_m2=60, rent=4000)
        for i in range(2, 22)
    )
    with CaptureQueriesContext(connection) as after:
        s = scenario_from_database(today=TODAY)
    assert isinstance(s.stock, ExplicitStockSpec) and len(s.stock.dwellings) == 24
    # the list, the stock, the agreement and steps, the registrations, and today's running
    # state (turn counters, held vacancies, recent leases, tenancies): none per dwelling
    assert len(after.captured_queries) == len(before.captured_queries) <= 12


def test_running_state_comes_from_the_ledger_and_tenancies(
    agreement: Any, waiting: Any, org_a: Any
) -> None:
    from decimal import Decimal

    from anvis.agreements.models import TurnCounter
    from anvis_core.simulation.scenario import BucketCredit

    TurnCounter.objects.create(
        agreement=agreement,
        organisation=org_a,
        share_percent=Decimal("40"),
        eligible=7,
        municipal=2,
        credit_numerator=4,
        credit_denominator=5,
    )
    s = scenario_from_database(today=TODAY)
    assert s.regime.start_credit == (
        BucketCredit("Alfa Boligselskab (11111111)", Fraction(2, 5), Fraction(4, 5)),
    )
    # no vacancies held, no leases, no tenancies yet: the stated default after housing
    assert s.open_vacancies == () and s.recent_placements == ()
    assert [(m.name, m.retained_12_months) for m in s.tenancy.methods] == [("default", 0.9)]
