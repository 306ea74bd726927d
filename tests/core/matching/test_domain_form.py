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
from anvis_core.matching.eligibility import BATCH_RULES, eligible_mask
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
