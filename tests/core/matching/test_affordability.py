"""Affordability per dwelling: rent + a conto − the estimated housing benefit against what the
household can pay, as a soft finding of the one gate; the caseworker's own maximum rent is
judged as before."""

from __future__ import annotations

from datetime import date

from anvis_core.housing_benefit import Household, estimate
from anvis_core.matching.eligibility import Severity
from anvis_core.matching.gate import check_offer
from anvis_core.matching.model import Citizen, Context, Dwelling, Policy
from anvis_core.matching.ranking import rank_vacancy
from anvis_core.matching.scoring import ScoreWeights
from anvis_core.matching.table import CitizenTable

CTX = Context(as_of=date(2026, 12, 4), policy=Policy(rent_ceiling=9000))
# Single parent with two children, 220,000 kr a year: boligsikring 4,201 kr a month in this
# dwelling, whose a conto means heating paid beside the rent (tests/core/test_housing_benefit.py,
# the single parent paying heating beside the rent).
PARENT = Citizen(
    id="p",
    priority=1.0,
    max_rent=3000,
    household_persons=3,
    min_rooms=0,
    children=2,
    benefit_income=220_000,
    can_pay=3500,
)
DW = Dwelling(
    id="d",
    rent=7000,
    rooms=3,
    district="Vest",
    department_id="a1",
    entrance_id="s1",
    organisation_id="o1",
    aconto=600,
    area_m2=95,
)


def test_the_benefit_makes_a_dwelling_affordable() -> None:
    benefit = estimate(
        rent=7000,
        area_m2=95,
        household=Household(income=220_000, persons=3, children=2),
        on=CTX.as_of,
        heating_separate=True,
    ).monthly
    assert benefit == 4201
    # 7,000 + 600 − 4,201 = 3,399 ≤ 3,500: no finding, although the rent is over max_rent.
    assert check_offer(PARENT, DW, CTX).codes == ()


def test_over_what_the_household_can_pay_is_a_soft_finding_with_the_estimate() -> None:
    poorer = Citizen(**{**PARENT.__dict__, "can_pay": 3398})
    findings = check_offer(poorer, DW, CTX)
    assert findings.codes == ("unaffordable",)
    (f,) = findings
    assert f.severity is Severity.SOFT
    assert dict(f.reason.params) == {
        "rent": 7000,
        "aconto": 600,
        "benefit": 4201,
        "benefit_kind": "boligsikring",
        "net": 3399,
        "can_pay": 3398,
        "estimate": True,
    }


def test_a_caseworkers_maximum_rent_is_judged_as_before() -> None:
    override = Citizen(**{**PARENT.__dict__, "can_pay": None})
    assert check_offer(override, DW, CTX).codes == ("rent_over_max",)
    unknown_income = Citizen(**{**PARENT.__dict__, "benefit_income": None})
    assert check_offer(unknown_income, DW, CTX).codes == ("rent_over_max",)


def test_the_ranked_list_uses_the_same_rule() -> None:
    poorer = Citizen(**{**PARENT.__dict__, "id": "q", "can_pay": 3398})
    table = CitizenTable.build([PARENT, poorer])
    ranking = rank_vacancy(DW, table, CTX, ScoreWeights())
    assert ranking.why_not("q")[0].code == "unaffordable"
    assert ranking.why_not("p") == ()
