"""The domain form both ways: what `citizen_json`, `dwelling_json` and `policy_json` write, the
reader gives back, for every field of the engine's objects, so a batch run judges by the same
facts as the candidate page (a field left out of the form is a rule the batch silently drops)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import jsonschema

from anvis_core.matching.domain_form import (
    NOT_IN_BATCH,
    citizen_json,
    dwelling_json,
    parse_domain_input,
    policy_json,
)
from anvis_core.matching.eligibility import BATCH_RULES, RentOverMax, eligible_mask
from anvis_core.matching.model import Citizen, Dwelling, Policy
from anvis_core.matching.table import CitizenTable
from anvis_core.rent_ceiling import CeilingTerms

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[3] / "docs" / "matching-problem.schema.json").read_text()
)
DAY = dt.date(2026, 12, 7)

CITIZEN = Citizen(
    id="S-1",
    priority=12.5,
    max_rent=4200,
    household_persons=2,
    min_rooms=2,
    needs=frozenset({"elevator"}),
    pets=True,
    barred_until=dt.date(2027, 1, 1),
    excluded_districts=frozenset({"Vestbyen"}),
    excluded_departments=frozenset({"7"}),
    wished_districts=frozenset({"Øst"}),
    wished_departments=frozenset({"8"}),
    preferred_floors=frozenset({0, 1}),
    age_band="young",
    declined_units=frozenset({"99"}),
    housed_since=dt.date(2026, 3, 1),
    can_pay=3900,
    benefit_income=180_000,
    children=1,
    pensioner=True,
    disability_pension=True,
)
DWELLING = Dwelling(
    id="V-1",
    rent=4305,
    rooms=2,
    district="Øst",
    department_id="8",
    entrance_id="80",
    organisation_id="1",
    floor=1,
    features=frozenset({"elevator"}),
    pets_allowed=True,
    designated_area=True,
    age_group="young",
    available_since=dt.date(2026, 11, 1),
    daily_rent=141.5,
    unit="77",
    aconto=450,
    area_m2=48,
    ceiling=CeilingTerms(ceiling=5000, basis="gross", comparison="below"),
    agreement_in_force=True,  # the dwelling's own answer, not the policy's below
)
POLICY = Policy(
    rent_ceiling=4000,
    persons_per_room=2,
    ceiling_basis="gross",
    ceiling_comparison="below",
    agreement_in_force=False,
)


def _problem() -> dict[str, object]:
    return {
        "form": "domain",
        "objective": "max_weight",
        "as_of": DAY.isoformat(),
        "policy": policy_json(POLICY),
        "citizens": [citizen_json(CITIZEN)],
        "dwellings": [dwelling_json(DWELLING)],
    }


def test_every_field_survives_the_domain_form() -> None:
    citizens, dwellings, ctx, _weights, _objective = parse_domain_input(_problem())
    assert dwellings == [DWELLING]
    assert ctx.policy == POLICY
    (citizen,) = citizens
    for f in dataclasses.fields(Citizen):
        if f.name in NOT_IN_BATCH:
            continue
        assert getattr(citizen, f.name) == getattr(CITIZEN, f.name), f.name
    # Every field differs from its default above, so a field the form drops would show.
    for f in dataclasses.fields(Citizen):
        if f.name not in NOT_IN_BATCH and f.default is not dataclasses.MISSING:
            assert getattr(CITIZEN, f.name) != f.default, f.name
    for f in dataclasses.fields(Dwelling):
        if f.default is not dataclasses.MISSING:
            assert getattr(DWELLING, f.name) != f.default, f.name


def test_the_written_form_is_valid_by_the_documented_schema() -> None:
    jsonschema.Draft202012Validator(SCHEMA).validate(_problem())


def test_a_batch_judges_housing_and_the_judged_ceiling_as_the_candidate_page_does() -> None:
    """After the round trip the batch's rules still see the rule ``housed`` and the ceiling of
    the version that judged the vacancy (not the lower ceiling in force today)."""
    plain = Citizen(id="S-2", priority=1.0, max_rent=5000)
    housed = dataclasses.replace(plain, id="S-3", housed_since=dt.date(2026, 3, 1))
    dwelling = Dwelling(
        id="V-2",
        rent=4305,
        rooms=1,
        district="Øst",
        department_id="8",
        entrance_id="80",
        organisation_id="1",
        ceiling=CeilingTerms(ceiling=5000),
    )
    problem = {
        "form": "domain",
        "objective": "max_weight",
        "as_of": DAY.isoformat(),
        "policy": policy_json(Policy(rent_ceiling=4000)),
        "citizens": [citizen_json(plain), citizen_json(housed)],
        "dwellings": [dwelling_json(dwelling)],
    }
    citizens, dwellings, ctx, _w, _o = parse_domain_input(problem)
    mask = eligible_mask(CitizenTable.build(citizens), dwellings[0], ctx, BATCH_RULES)
    assert mask.tolist() == [True, False]


def test_an_unknown_maximum_rent_stays_unknown_and_each_dwelling_judges_it_by_its_ceiling() -> None:
    """The form writes an unknown maximum rent as null, not as one ceiling for the whole batch:
    after the round trip a dwelling accepted under a 5,000 kr ceiling still takes the citizen at
    4,305 kr while the policy in force today says 4,000 kr, and a dwelling judged by today's
    policy does not."""
    unknown = Citizen(id="S-4", priority=1.0, max_rent=None)
    known = Citizen(id="S-5", priority=1.0, max_rent=4000)
    old = Dwelling(
        id="V-3",
        rent=4305,
        rooms=1,
        district="Øst",
        department_id="8",
        entrance_id="80",
        organisation_id="1",
        ceiling=CeilingTerms(ceiling=5000),
    )
    today = dataclasses.replace(old, id="V-4", ceiling=None, rent=3900)
    problem = {
        "form": "domain",
        "objective": "max_weight",
        "as_of": DAY.isoformat(),
        "policy": policy_json(Policy(rent_ceiling=4000)),
        "citizens": [citizen_json(unknown), citizen_json(known)],
        "dwellings": [dwelling_json(old), dwelling_json(today)],
    }
    assert problem["citizens"][0]["max_rent"] is None  # type: ignore[index]
    jsonschema.Draft202012Validator(SCHEMA).validate(problem)
    citizens, dwellings, ctx, _w, _o = parse_domain_input(problem)
    assert citizens == [unknown, known]
    table = CitizenTable.build(citizens)
    assert eligible_mask(table, dwellings[0], ctx, BATCH_RULES).tolist() == [True, False]
    assert eligible_mask(table, dwellings[1], ctx, BATCH_RULES).tolist() == [True, True]
    # Where the dwelling has no terms of its own, the policy's ceiling is the unknown maximum;
    # the reason names the maximum the citizen was judged by, as the column rule judged it.
    rule = RentOverMax()
    policy_judged = dataclasses.replace(today, id="V-5", rent=4100)
    assert eligible_mask(table, policy_judged, ctx, [rule]).tolist() == [False, False]
    assert rule.reason(unknown, policy_judged, ctx).params["max_rent"] == 4000
    own = dataclasses.replace(policy_judged, id="V-6", ceiling=CeilingTerms(ceiling=4200))
    assert eligible_mask(table, own, ctx, [rule]).tolist() == [True, False]
    assert rule.reason(unknown, own, ctx).params["max_rent"] == 4200
