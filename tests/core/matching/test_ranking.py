from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anvis_core.matching.domain_form import build_problem
from anvis_core.matching.eligibility import RULES, check_eligibility, fail_matrix
from anvis_core.matching.model import NEEDS, Caps, CapState, Citizen, Context, Dwelling, Policy
from anvis_core.matching.ranking import rank_vacancy
from anvis_core.matching.scoring import ScoreWeights, score
from anvis_core.matching.solve import solve
from anvis_core.matching.table import CitizenTable

AS_OF = date(2025, 3, 1)
CTX = Context(as_of=AS_OF)
CIT = Citizen(id="c", priority=10.0, max_rent=4500)
DW = Dwelling(
    id="d",
    rent=4000,
    rooms=1,
    district="Vest",
    department_id="a1",
    entrance_id="s1",
    organisation_id="o1",
)

# (citizen changes, dwelling changes, context, expected code, expected params subset)
CASES = [
    ({"max_rent": 3999}, {}, CTX, "rent_over_max", {"rent": 4000, "max_rent": 3999}),
    ({"max_rent": 9000}, {"rent": 5001}, CTX, "rent_over_ceiling", {"ceiling": 5000}),
    ({"household_persons": 3}, {}, CTX, "overcrowded", {"persons": 3, "rooms_needed": 2}),
    ({"min_rooms": 2}, {}, CTX, "below_min_rooms", {"rooms": 1, "min_rooms": 2}),
    (
        {"needs": frozenset({"elevator", "wheelchair"})},
        {"features": frozenset({"elevator"})},
        CTX,
        "accessibility",
        {"missing_codes": ["wheelchair"]},
    ),
    ({"pets": True}, {}, CTX, "pets", {}),
    (
        {"barred_until": date(2025, 3, 2)},
        {"designated_area": True},
        CTX,
        "area_bar",
        {"barred_until": "2025-03-02"},
    ),
    (
        {"excluded_districts": frozenset({"Vest"})},
        {},
        CTX,
        "excluded_district",
        {"district": "Vest"},
    ),
    (
        {"excluded_departments": frozenset({"a1"})},
        {},
        CTX,
        "excluded_department",
        {"department": "a1"},
    ),
    (
        {"age_band": "older"},
        {"age_group": "young"},
        CTX,
        "age_separation",
        {"required": "young", "age_band": "older"},
    ),
    ({"age_band": "young"}, {"age_group": "older"}, CTX, "age_separation", {}),
    ({}, {}, replace(CTX, closed_departments=frozenset({"a1"})), "department_closed", {}),
    (
        {},
        {},
        replace(CTX, caps=Caps(department={"a1": CapState(max=12, placed=12)})),
        "cap_reached",
        {"level": "department", "unit": "a1", "placed": 12, "max": 12},
    ),
]


@pytest.mark.parametrize(("cchg", "dchg", "ctx", "code", "params"), CASES)
def test_each_rule_fails_with_its_code_and_params(cchg, dchg, ctx, code, params) -> None:  # type: ignore[no-untyped-def]
    assert check_eligibility(CIT, DW, CTX) == []
    reasons = check_eligibility(replace(CIT, **cchg), replace(DW, **dchg), ctx)
    assert [r.code for r in reasons] == [code]
    for k, v in params.items():
        assert reasons[0].params[k] == v
    assert reasons[0].text and "{" not in reasons[0].text


def test_boundaries_pass() -> None:
    ok = [
        (replace(CIT, max_rent=4000), DW, CTX),  # rent equal to maximum
        (replace(CIT, max_rent=5000), replace(DW, rent=5000), CTX),  # rent at ceiling
        (replace(CIT, household_persons=2), DW, CTX),  # two persons in one room
        (replace(CIT, barred_until=AS_OF), replace(DW, designated_area=True), CTX),  # bar ended
        (replace(CIT, barred_until=date(2030, 1, 1)), DW, CTX),  # bar, area not designated
        (replace(CIT, pets=True), replace(DW, pets_allowed=True), CTX),
        (CIT, DW, replace(CTX, caps=Caps(entrance={"s1": CapState(max=2, placed=1)}))),
    ]
    for c, d, ctx in ok:
        assert check_eligibility(c, d, ctx) == [], (c, d)


citizens_st = st.builds(
    Citizen,
    id=st.uuids().map(str),
    priority=st.floats(0, 100),
    max_rent=st.integers(2000, 7000),
    household_persons=st.integers(1, 6),
    min_rooms=st.integers(0, 4),
    needs=st.frozensets(st.sampled_from(NEEDS)),
    pets=st.booleans(),
    barred_until=st.none() | st.dates(date(2024, 1, 1), date(2026, 1, 1)),
    excluded_districts=st.frozensets(st.sampled_from(["Vest", "Øst"])),
    excluded_departments=st.frozensets(st.sampled_from(["a1", "a2"])),
    wished_districts=st.frozensets(st.sampled_from(["Vest", "Øst"])),
    wished_departments=st.frozensets(st.sampled_from(["a1", "a2"])),
    preferred_floors=st.frozensets(st.integers(0, 5)),
    age_band=st.sampled_from(["young", "older"]),
)
dwellings_st = st.builds(
    Dwelling,
    id=st.just("d"),
    rent=st.integers(2000, 6000),
    rooms=st.integers(1, 4),
    district=st.sampled_from(["Vest", "Øst"]),
    department_id=st.sampled_from(["a1", "a2"]),
    entrance_id=st.just("s1"),
    organisation_id=st.just("o1"),
    floor=st.integers(0, 5),
    features=st.frozensets(st.sampled_from(NEEDS)),
    pets_allowed=st.booleans(),
    designated_area=st.booleans(),
    age_group=st.sampled_from([None, "young", "older"]),
    available_since=st.none() | st.dates(date(2024, 6, 1), AS_OF),
    daily_rent=st.floats(0, 300),
)


def _reference_fails(c: Citizen, d: Dwelling, ctx: Context) -> set[str]:
    """The rules written out one citizen at a time, as a caseworker would read them."""
    out = set()
    if d.rent > ctx.policy.rent_ceiling:
        out.add("rent_over_ceiling")
    if d.rent > c.max_rent:
        out.add("rent_over_max")
    if c.household_persons > ctx.policy.persons_per_room * d.rooms:
        out.add("overcrowded")
    if d.rooms < c.min_rooms:
        out.add("below_min_rooms")
    if not c.needs <= d.features:
        out.add("accessibility")
    if c.pets and not d.pets_allowed:
        out.add("pets")
    if d.designated_area and c.barred_until is not None and ctx.as_of < c.barred_until:
        out.add("area_bar")
    if d.district in c.excluded_districts:
        out.add("excluded_district")
    if d.department_id in c.excluded_departments:
        out.add("excluded_department")
    if d.age_group is not None and d.age_group != c.age_band:
        out.add("age_separation")
    return out


@settings(max_examples=60, deadline=None)
@given(st.lists(citizens_st, min_size=1, max_size=12, unique_by=lambda c: c.id), dwellings_st)
def test_vectorised_rules_agree_with_one_by_one_reading(citizens, d) -> None:  # type: ignore[no-untyped-def]
    t = CitizenTable.build(citizens)
    failed = fail_matrix(t, d, CTX)
    for i, c in enumerate(citizens):
        got = {RULES[r].code for r in np.flatnonzero(failed[:, i])}
        assert got == _reference_fails(c, d, CTX)
    r = rank_vacancy(d, t, CTX)
    eligible = {c.id for c in citizens if not _reference_fails(c, d, CTX)}
    assert {c.citizen_id for c in r.candidates()} == eligible
    totals = [c.score.total for c in r.candidates()]
    assert totals == sorted(totals, reverse=True)
    assert {x.citizen_id for x in r.rejections()} == {c.id for c in citizens} - eligible


@settings(max_examples=60, deadline=None)
@given(citizens_st, citizens_st, dwellings_st)
def test_fit_only_reorders_within_the_band(a, b, d) -> None:  # type: ignore[no-untyped-def]
    w = ScoreWeights()
    sa, sb = score(a, d, CTX, w), score(b, d, CTX, w)
    assert 0 <= sa.fit <= w.fit_cap
    if a.priority > b.priority + w.fit_cap + 1e-4:
        assert sa.total >= sb.total


def test_ranking_breakdown_binding_cap_and_why_not() -> None:
    cs = [
        replace(CIT, id="low", priority=5.0, wished_districts=frozenset({"Vest"})),
        replace(CIT, id="high", priority=9.0),
        replace(CIT, id="poor", priority=50.0, max_rent=3000),
        replace(
            CIT,
            id="fit",
            priority=8.0,
            wished_departments=frozenset({"a1"}),
            preferred_floors=frozenset({0}),
        ),
    ]
    d = replace(DW, available_since=date(2025, 2, 19), daily_rent=150.0)
    r = rank_vacancy(d, CitizenTable.build(cs), CTX)
    cands = r.candidates()
    assert [c.citizen_id for c in cands] == ["fit", "high", "low"]
    top = cands[0].score
    assert top.wished_department and top.preferred_floor and top.fit == 2.0
    assert top.void == pytest.approx(0.001 * 150 * 10)
    assert top.total == pytest.approx(8.0 + 2.0 + 1.5)
    assert cands[0].lead_over_next == pytest.approx(1.0)
    assert r.why_not("poor")[0].code == "rent_over_max"
    assert r.why_not("high") == ()
    assert r.binding_cap is None
    capped = replace(CTX, caps=Caps(entrance={"s1": CapState(max=1, placed=1)}))
    r2 = rank_vacancy(d, CitizenTable.build(cs), capped)
    assert r2.eligible_count == 0
    assert r2.binding_cap is not None and r2.binding_cap.params["unit"] == "s1"
    assert all("cap_reached" in r2.failed_codes(c.id) for c in cs)


def test_domain_batch_uses_rules_weights_and_caps() -> None:
    cs = [replace(CIT, id=f"c{i}", priority=float(10 - i)) for i in range(4)]
    ds = [replace(DW, id=f"d{j}", entrance_id=f"s{j // 2}") for j in range(4)]
    ctx = replace(
        CTX,
        policy=Policy(),
        caps=Caps(entrance={"s0": CapState(max=1), "s1": CapState(max=3, placed=2)}),
    )
    p = build_problem(cs, ds, ctx)
    assert p.n_pairs == 16
    res = solve(p)
    assert res.count == 2  # one per entrance
    assert {c for c, _ in res.assignments} == {"c0", "c1"}
    assert res.total_weight == 19.0
