from __future__ import annotations

import datetime as dt
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
    # the list (its groups, and its cases and children as the gate's citizens), the stock, the
    # agreement and steps, the registrations, the departments' monitoring status (closures),
    # and today's running state (turn counters, held vacancies, recent leases, tenancies): none
    # per dwelling
    assert len(after.captured_queries) == len(before.captured_queries) <= 16


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


def _statuses(today: Any, closed: set[int]) -> None:
    """A fresh monitoring snapshot: the given departments red (closed), the others green."""
    from decimal import Decimal

    from anvis.monitoring.models import DepartmentStatus
    from anvis.stock.models import Department

    for department in Department.objects.all():
        DepartmentStatus.objects.create(
            department=department,
            as_of=today,
            status="red" if department.pk in closed else "green",
            proposal_level="",
            proposed_share=Decimal("25"),
        )


def test_departments_the_gate_closes_are_closed_in_the_simulation(
    agreement: Any, waiting: Any, org_a: Any
) -> None:
    """The departments composition monitoring closes today (what the placement gate reads) are
    the scenario's closed departments, and no replication places anybody there, with the
    system's own matching rules or the baseline."""
    import dataclasses

    from anvis.monitoring.selectors import department_status_map
    from anvis.stock.models import Dwelling
    from anvis_core.simulation import compile_model, run_replication

    closed = org_a.departments.get()
    entrance = closed.entrances.first()
    Dwelling.objects.bulk_create(
        Dwelling(entrance=entrance, floor=str(i), door="tv", rooms=1, area_m2=40, rent=3000)
        for i in range(2, 22)
    )
    _statuses(TODAY, {closed.pk})
    assert {d for d, info in department_status_map(TODAY).items() if info.closed} == {closed.pk}

    s = scenario_from_database(today=TODAY)
    assert s.regime.closed_departments == ("Alfa Boligselskab, afd. 101",)
    s = s.with_changes(
        regime=dataclasses.replace(s.regime, share=Fraction(1), steps=()), horizon_days=3650.0
    )
    for policy in ("production", "baseline"):
        run = s.with_changes(matching=dataclasses.replace(s.matching, policy=policy))
        model = compile_model(run)
        rep = run_replication(model, 0, record=True)
        departments = {model.stock.departments[p["department"]] for p in rep["placement_log"]}
        # blocked on the report day, as the vacancy report records it, not handed back
        assert rep["counts"]["blocked"] > 0 and rep["counts"]["closed"] == 0, policy
        assert "Alfa Boligselskab, afd. 101" not in departments, policy


def test_agreement_ceiling_terms_and_a_conto_are_judged_as_the_gate_judges(
    agreement: Any, waiting: Any, org_a: Any
) -> None:
    """A ceiling on gross rent ("rent + a conto under 5,000 kr") lets in only the dwellings the
    gate's own judgement lets in: 3,100 + 1,900 a conto = 5,000 is not under 5,000."""
    from anvis.agreements.models import AgreementVersion
    from anvis.stock.models import Dwelling
    from anvis_core.rent_ceiling import CeilingTerms, judge_rent_ceiling
    from anvis_core.simulation import run_scenario

    AgreementVersion.objects.filter(agreement=agreement).update(
        rent_ceiling_basis="gross", rent_ceiling_comparison="below"
    )
    Dwelling.objects.filter(entrance__department__organisation=org_a, rent=3100).update(aconto=1900)
    s = scenario_from_database(today=TODAY)
    assert (s.regime.rent_ceiling_basis, s.regime.rent_ceiling_comparison) == ("gross", "below")
    assert isinstance(s.stock, ExplicitStockSpec)
    assert sorted(d.aconto for d in s.stock.dwellings) == [0, 0, 0, 1900]

    terms = CeilingTerms(ceiling=5000, basis="gross", comparison="below")
    live = sum(
        judge_rent_ceiling(rent=rent, aconto=aconto, terms=terms).within
        for rent, aconto in Dwelling.objects.values_list("rent", "aconto")
    )
    assert live == 1  # Beta's 3,100 kr dwelling without a conto
    result = run_scenario(s.with_changes(replications=2, horizon_days=365.0))
    assert result["stock"]["covered_dwellings_within_ceiling"] == live


@pytest.mark.parametrize(("cap", "expected"), [(0, 0), (None, None), (2, 2)])
def test_a_cap_of_zero_is_no_placements_not_no_cap(
    agreement: Any, waiting: Any, cap: int | None, expected: int | None
) -> None:
    """The gate reads a cap of 0 as CapState(max=0): nothing may be placed; only an empty cap
    is no cap."""
    from anvis.agreements.models import AgreementVersion

    AgreementVersion.objects.filter(agreement=agreement).update(
        cap_per_entrance_12m=cap, cap_per_department_12m=cap
    )
    s = scenario_from_database(today=TODAY)
    assert (s.regime.stairwell_cap, s.regime.department_cap) == (expected, expected)


def test_recent_placements_are_what_the_gate_counts_against_the_caps(
    users: dict[str, Any], agreement: Any, waiting: Any, org_a: Any, org_b: Any
) -> None:
    """The start from the database counts against the caps what the placement gate counts on
    the day: the monitoring register's placements of the rolling window (also one the register
    holds without a lease in Anvis), and a lease signed for a later move-in (an offer out until
    then). It read the leases that had moved in only, so the simulator's production policy
    started with room under a cap the gate found reached."""
    import datetime as dt

    from anvis.monitoring.models import MunicipalPlacement
    from anvis.stock.models import Dwelling
    from anvis.vacancies import services as flow
    from anvis.vacancies.adapters import load_setting
    from anvis_core.simulation.scenario import RecentPlacement

    a_home = Dwelling.objects.get(entrance__department__organisation=org_a, rent=3100)
    MunicipalPlacement.objects.create(
        dwelling=a_home,
        entrance=a_home.entrance,
        department=a_home.entrance.department,
        placed_on=TODAY - dt.timedelta(days=30),
        case_ref="S-0",
    )
    b_home = Dwelling.objects.get(entrance__department__organisation=org_b, rent=3100)
    day = TODAY - dt.timedelta(days=10)
    vacancy = flow.vacancy_report(
        actor=users["org_b"],
        dwelling=b_home,
        notice_date=day,
        available_from=day,
        source="voluntary",
        report_date=day,
    )
    flow.vacancy_accept(actor=users["anvisningsleder"], vacancy=vacancy, today=day)
    offer = flow.offer_create(
        actor=users["sagsbehandler"], vacancy=vacancy, case=waiting[0], today=day
    )
    flow.offer_accept(actor=users["sagsbehandler"], offer=offer, today=day)
    move_in = TODAY + dt.timedelta(days=20)
    flow.lease_register(
        actor=users["anvisningsleder"],
        offer=offer,
        signed_on=TODAY,
        starts_on=move_in,
        move_in_on=move_in,
        today=TODAY,
    )
    # The gate's count on the day: one placement in each stairwell (both caps of 1 reached).
    others = [
        Dwelling.objects.get(entrance__department__organisation=org, rent=5600)
        for org in (org_a, org_b)
    ]
    from anvis.vacancies.models import Vacancy

    probes = [
        Vacancy(dwelling=d, organisation_id=d.entrance.department.organisation_id) for d in others
    ]
    for probe in probes:
        probe.rent_at_letting = 4000
    caps = load_setting(today=TODAY, vacancies=probes).context.caps
    assert {e: c.placed for e, c in caps.entrance.items()} == {
        str(a_home.entrance_id): 1,
        str(b_home.entrance_id): 1,
    }

    s = scenario_from_database(today=TODAY)
    assert sorted(s.recent_placements, key=lambda p: p.days_ago) == [
        RecentPlacement(str(b_home.pk), 0.0),
        RecentPlacement(str(a_home.pk), 30.0),
    ]


def test_maximum_rent_is_read_by_the_municipalitys_rule_as_on_the_case_page(
    agreement: Any, waiting: Any, settings: Any
) -> None:
    """The simulator's citizens get the maximum rent the case page shows: the configured rule
    (`ANVIS_MAX_RENT_RULE`), not the built-in default, and a recorded override as it stands."""
    from decimal import Decimal

    from anvis.cases.adapters import case_max_rent
    from anvis.cases.models import Case
    from anvis_core.cases.economy import MaxRentRule

    settings.ANVIS_MAX_RENT_RULE = MaxRentRule(income_share=Decimal("0.5"), ceiling=9000)
    first, second = waiting[0], waiting[1]
    Case.objects.filter(pk=first.pk).update(income_amount=10_000, housing_benefit=500)
    Case.objects.filter(pk=second.pk).update(
        income_amount=10_000, max_rent_override=4200, max_rent_override_reason="Aftalt"
    )
    expected = sorted(case_max_rent(Case.objects.get(pk=c.pk)).amount for c in (first, second))
    assert expected == [4200, 5500]  # 0.5 × 10,000 + 500 under the configured rule

    s = scenario_from_database(today=TODAY)
    assert sorted(c.max_rent for c in s.initial_citizens or ()) == expected


def test_a_party_that_has_left_is_not_simulated(
    agreement: Any, waiting: Any, users: dict[str, Any], org_b: Any
) -> None:
    """The simulator plays today's agreement: a party whose last day has passed gets no turns
    there either (the turn engine's reading of who is party on a day)."""
    from anvis.agreements import services

    services.agreement_party_leave(
        actor=users["anvisningsleder"],
        agreement=agreement,
        organisation=org_b,
        last_day=TODAY - dt.timedelta(days=1),
    )
    s = scenario_from_database(today=TODAY)
    assert isinstance(s.stock, ExplicitStockSpec)
    assert {d.organisation for d in s.stock.dwellings} == {"Alfa Boligselskab (11111111)"}
