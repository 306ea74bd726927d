"""Initial citizens judged as the placement gate judges them: a household on its housing budget
(rule `unaffordable`), each accessibility need against the dwelling's features (rule
`accessibility`), and the production ranking with the scenario's score weights."""

from __future__ import annotations

import datetime as dt

import pytest

from anvis_core.matching.eligibility import check_eligibility, rules_named
from anvis_core.matching.model import Citizen, Context, Dwelling
from anvis_core.matching.scoring import ScoreWeights
from anvis_core.simulation import (
    DwellingSpec,
    DwellingTypeSpec,
    ExplicitStockSpec,
    GroupSpec,
    HouseholdSpec,
    InitialCitizen,
    MatchingSpec,
    Scenario,
    ScenarioError,
    compile_model,
    initial_citizen,
    run_replication,
)
from anvis_core.simulation.production import ProductionPolicy

DAY = dt.date(2026, 3, 2)
SUITABILITY = rules_named(("rent_over_max", "unaffordable", "accessibility"))


def scenario(citizen: InitialCitizen, dwelling: DwellingSpec, policy: str = "baseline") -> Scenario:
    return Scenario(
        name="one dwelling",
        groups=(GroupSpec(name="g"),),
        stock=ExplicitStockSpec(
            dwellings=(dwelling,), types=(DwellingTypeSpec("family", turnover_per_year=1e-6),)
        ),
        initial_citizens=(citizen,),
        open_vacancies=(dwelling.id,),
        matching=MatchingSpec(policy=policy, acceptance_probability=1.0),  # type: ignore[arg-type]
        horizon_days=30.0,
        replications=2,
        as_of=DAY,
    )


def placed(s: Scenario) -> bool:
    return bool(run_replication(compile_model(s), 0, record=True)["placement_log"])


def dwelling(**extra: object) -> DwellingSpec:
    values: dict[str, object] = {
        "organisation": "o",
        "department": "d",
        "entrance": "e",
        "rent": 3100.0,
        "area_m2": 40.0,
        "id": "1",
    }
    values.update(extra)
    return DwellingSpec(**values)  # type: ignore[arg-type]


def gate_passes(citizen: Citizen, d: DwellingSpec) -> bool:
    engine = Dwelling(
        id=d.id,
        rent=int(d.rent),
        aconto=int(d.aconto),
        area_m2=int(d.area_m2),
        rooms=d.rooms,
        district="",
        department_id="d",
        entrance_id="e",
        organisation_id="o",
        features=frozenset(d.features),
    )
    return not check_eligibility(citizen, engine, Context(as_of=DAY), SUITABILITY)


@pytest.mark.parametrize("policy", ["baseline", "production"])
@pytest.mark.parametrize(("can_pay", "aconto"), [(2800, 0.0), (2600, 0.0), (2800, 400.0)])
def test_a_household_is_placed_exactly_when_the_gate_lets_it_through(
    policy: str, can_pay: int, aconto: float
) -> None:
    """A maximum rent of 2,800 kr, below the rent: only the housing budget after the estimated
    housing benefit (465 kr here) decides."""
    citizen = Citizen(id="c", priority=0.0, max_rent=2800, can_pay=can_pay, benefit_income=120_000)
    d = dwelling(aconto=aconto)
    s = scenario(initial_citizen(citizen, group="g", waiting_days=0, points_per_day=1), d, policy)
    assert placed(s) == gate_passes(citizen, d) == (can_pay == 2800 and aconto == 0)


@pytest.mark.parametrize("policy", ["baseline", "production"])
def test_without_a_household_the_maximum_rent_decides(policy: str) -> None:
    citizen = InitialCitizen(group="g", max_rent=2800)
    assert not placed(scenario(citizen, dwelling(), policy))


@pytest.mark.parametrize("policy", ["baseline", "production"])
@pytest.mark.parametrize(
    ("needs", "features", "expected"),
    [
        (("wheelchair",), ("elevator", "step_free"), False),
        (("wheelchair",), ("elevator", "step_free", "wheelchair"), True),
        (("step_free",), ("elevator", "step_free"), True),
        (("elevator", "step_free"), ("step_free",), False),
        (("ground_floor",), ("ground_floor",), True),
        ((), (), True),
    ],
)
def test_each_accessibility_need_is_judged_against_the_features(
    policy: str, needs: tuple[str, ...], features: tuple[str, ...], expected: bool
) -> None:
    citizen = Citizen(id="c", priority=0.0, max_rent=None, needs=frozenset(needs))
    d = dwelling(features=features, accessible=bool(features))
    s = scenario(initial_citizen(citizen, group="g", waiting_days=0, points_per_day=1), d, policy)
    assert placed(s) == gate_passes(citizen, d) == expected


def test_the_generic_accessibility_need_is_step_free() -> None:
    """A scenario file's one accessibility need and feature keep their meaning."""
    assert placed(scenario(InitialCitizen(group="g", needs_accessible=True), dwelling())) is False
    assert placed(
        scenario(InitialCitizen(group="g", needs_accessible=True), dwelling(accessible=True))
    )


def test_the_production_policy_ranks_with_the_scenario_weights() -> None:
    weights = ScoreWeights(void_per_krone=0.002, void_cap=3.0)
    s = scenario(InitialCitizen(group="g"), dwelling(), "production")
    s = s.with_changes(matching=MatchingSpec(policy="production", weights=weights))
    assert ProductionPolicy(s, ("d",)).weights == weights
    assert ProductionPolicy(scenario(InitialCitizen(group="g"), dwelling()), ("d",)).weights == (
        ScoreWeights()
    )


def test_unknown_needs_and_features_are_refused() -> None:
    with pytest.raises(ScenarioError, match="needs"):
        scenario(InitialCitizen(group="g", needs=("stairs",)), dwelling())
    with pytest.raises(ScenarioError, match="features"):
        scenario(InitialCitizen(group="g"), dwelling(features=("lift",)))
    with pytest.raises(ScenarioError, match="household"):
        scenario(
            InitialCitizen(
                group="g", household=HouseholdSpec(can_pay=1, benefit_income=1, children=1)
            ),
            dwelling(),
        )
