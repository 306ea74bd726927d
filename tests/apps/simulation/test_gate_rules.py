"""A scenario from the database judges the waiting citizens as the placement gate does: what a
household can pay (a housing budget with the estimated housing benefit, when its income for the
benefit is recorded) and each accessibility need against the dwelling's own features."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from anvis.cases.models import Case
from anvis.simulation.adapters import scenario_from_database
from anvis.stock.models import Dwelling
from anvis.vacancies.adapters import dwelling_features, load_citizen
from anvis_core.matching.eligibility import check_eligibility, rules_named
from anvis_core.matching.model import Context
from anvis_core.matching.model import Dwelling as EngineDwelling
from anvis_core.simulation import Scenario, compile_model, run_replication

from .conftest import TODAY, make_case

pytestmark = pytest.mark.django_db

SUITABILITY = rules_named(("rent_over_max", "unaffordable", "accessibility"))


def placed_in(scenario: Scenario, dwelling: Dwelling) -> list[int]:
    """The initial citizens placed when the municipality holds `dwelling` at the start (offered
    at once, every offer accepted, nobody new arrives)."""
    s = scenario.with_changes(
        open_vacancies=(str(dwelling.pk),),
        matching=dataclasses.replace(scenario.matching, acceptance_probability=1.0),
        groups=tuple(dataclasses.replace(g, arrivals_per_year=0.0) for g in scenario.groups),
        horizon_days=30.0,
        replications=2,
    )
    log = run_replication(compile_model(s), 0, record=True)["placement_log"]
    return [p["citizen"] for p in log if p["dwelling"] == dwelling_index(s, dwelling)]


def dwelling_index(scenario: Scenario, dwelling: Dwelling) -> int:
    ids = [d.id for d in getattr(scenario.stock, "dwellings", ())]
    return ids.index(str(dwelling.pk))


def gate_findings(case: Case, dwelling: Dwelling) -> list[str]:
    """The suitability rules the gate finds broken for the case in the dwelling."""
    citizen = load_citizen(case=case, today=TODAY, bar_kinds=())
    engine = EngineDwelling(
        id="v",
        rent=dwelling.rent,
        aconto=dwelling.aconto,
        area_m2=dwelling.area_m2,
        rooms=dwelling.rooms,
        district="",
        department_id="d",
        entrance_id="e",
        organisation_id="o",
        features=dwelling_features(
            step_free=dwelling.step_free,
            elevator=dwelling.elevator,
            wheelchair=dwelling.wheelchair,
            floor=dwelling.floor,
        ),
    )
    return [r.code for r in check_eligibility(citizen, engine, Context(as_of=TODAY), SUITABILITY)]


@pytest.mark.parametrize("policy", ["baseline", "production"])
def test_a_household_that_can_pay_only_through_housing_benefit_is_placed(
    agreement: Any, users: dict[str, Any], policy: str
) -> None:
    """Income 8,000 kr a month: a budget of 2,800 kr (35 %), which is also its maximum rent by
    the income rule. The 3,100 kr dwelling of 40 m² costs it 3,100 − 465 kr estimated housing
    benefit = 2,635 kr: the gate lets it through, so the simulator places it."""
    case = make_case(users, "120385-1235", "shelter_110")
    Case.objects.filter(pk=case.pk).update(income_amount=8000, benefit_income=120_000)
    dwelling = Dwelling.objects.filter(rent=3100).order_by("pk").first()
    assert dwelling is not None
    assert gate_findings(Case.objects.get(pk=case.pk), dwelling) == []

    s = scenario_from_database(today=TODAY)
    s = s.with_changes(matching=dataclasses.replace(s.matching, policy=policy))
    (citizen,) = s.initial_citizens or ()
    assert citizen.household is not None and citizen.household.can_pay == 2800
    assert placed_in(s, dwelling) == [0]


def test_a_household_over_its_budget_after_the_benefit_is_not_placed(
    agreement: Any, users: dict[str, Any]
) -> None:
    case = make_case(users, "120385-1235", "shelter_110")
    Case.objects.filter(pk=case.pk).update(income_amount=7000, benefit_income=120_000)
    dwelling = Dwelling.objects.filter(rent=3100).order_by("pk").first()
    assert dwelling is not None
    assert gate_findings(Case.objects.get(pk=case.pk), dwelling) == ["unaffordable"]
    assert placed_in(scenario_from_database(today=TODAY), dwelling) == []


@pytest.mark.parametrize("policy", ["baseline", "production"])
def test_a_wheelchair_user_is_not_given_a_merely_step_free_dwelling(
    agreement: Any, users: dict[str, Any], policy: str
) -> None:
    case = make_case(users, "120385-1235", "shelter_110")
    Case.objects.filter(pk=case.pk).update(needs_wheelchair=True)
    # step-free with an elevator, within the agreement's ceiling
    dwelling = Dwelling.objects.filter(step_free=True).order_by("pk").first()
    assert dwelling is not None
    Dwelling.objects.filter(pk=dwelling.pk).update(rent=4500)
    dwelling.refresh_from_db()
    assert gate_findings(Case.objects.get(pk=case.pk), dwelling) == ["accessibility"]

    s = scenario_from_database(today=TODAY)
    s = s.with_changes(matching=dataclasses.replace(s.matching, policy=policy))
    assert placed_in(s, dwelling) == []

    Dwelling.objects.filter(pk=dwelling.pk).update(wheelchair=True)
    dwelling.refresh_from_db()
    assert gate_findings(Case.objects.get(pk=case.pk), dwelling) == []
    s = scenario_from_database(today=TODAY)
    s = s.with_changes(matching=dataclasses.replace(s.matching, policy=policy))
    assert placed_in(s, dwelling) == [0]


def test_the_ranking_uses_the_system_weights(agreement: Any, waiting: Any, settings: Any) -> None:
    from anvis_core.cases.priority import PriorityWeights
    from anvis_core.matching.scoring import ScoreWeights

    weights = ScoreWeights(void_per_krone=0.002, void_cap=3.0)
    settings.ANVIS_MATCHING_WEIGHTS = weights
    settings.ANVIS_PRIORITY_WEIGHTS = PriorityWeights(points_per_waiting_day=2)
    s = scenario_from_database(today=TODAY)
    assert s.matching.weights == weights
    assert s.matching.points_per_day == 2.0
    by_group = {g.name: g.priority_points for g in s.groups}
    # the system's situation points: sleeping rough 300, a § 110 shelter 200
    assert by_group["rough_sleeping 18-24"] == 300.0
    assert by_group["shelter_110 25-49"] == 200.0
    # the waiting citizens' own points, without their 29 days waited
    assert sorted(c.priority_points or 0 for c in s.initial_citizens or ()) == [200.0, 300.0]
