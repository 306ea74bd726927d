"""The rent ceiling: net or gross, "at most" or "below" — one judgement for the turn engine and
the placement gate."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from anvis_core.matching.eligibility import check_eligibility
from anvis_core.matching.model import Citizen, Context, Dwelling, Policy
from anvis_core.quotas import check_turn_eligibility
from anvis_core.rent_ceiling import CeilingTerms, judge_rent_ceiling, judged_rent, within_ceiling

NET_AT_MOST = CeilingTerms(ceiling=5000)
NET_BELOW = CeilingTerms(ceiling=5000, comparison="below")
GROSS_AT_MOST = CeilingTerms(ceiling=5000, basis="gross")
GROSS_BELOW = CeilingTerms(ceiling=5000, basis="gross", comparison="below")


def test_the_four_agreement_terms_at_the_boundary() -> None:
    # Rent 4,600 kr + 400 kr a conto = 5,000 kr gross.
    assert judge_rent_ceiling(rent=4600, aconto=400, terms=NET_AT_MOST).within
    assert judge_rent_ceiling(rent=4600, aconto=400, terms=NET_BELOW).within
    assert judge_rent_ceiling(rent=4600, aconto=400, terms=GROSS_AT_MOST).within
    assert not judge_rent_ceiling(rent=4600, aconto=400, terms=GROSS_BELOW).within
    # Exactly 5,000 kr net: "at most" lets it in, "below" (the seed's "under 5.000 kr") does not.
    assert judge_rent_ceiling(rent=5000, terms=NET_AT_MOST).within
    assert not judge_rent_ceiling(rent=5000, terms=NET_BELOW).within
    gross = judge_rent_ceiling(rent=4700, aconto=400, terms=GROSS_AT_MOST)
    assert not gross.within
    assert gross.params() == {
        "rent": 5100,
        "net": 4700,
        "aconto": 400,
        "ceiling": 5000,
        "basis": "gross",
        "comparison": "at_most",
    }
    with pytest.raises(ValueError):
        judge_rent_ceiling(rent=1, terms=CeilingTerms(basis="brutto"))


CIT = Citizen(id="c", priority=1.0, max_rent=9000)
DW = Dwelling(
    id="d",
    rent=4600,
    aconto=400,
    rooms=1,
    district="V",
    department_id="a",
    entrance_id="s",
    organisation_id="o",
)


@given(
    rent=st.integers(0, 8000),
    aconto=st.integers(0, 1500),
    ceiling=st.integers(1, 8000),
    basis=st.sampled_from(["net", "gross"]),
    comparison=st.sampled_from(["at_most", "below"]),
)
def test_the_turn_engine_and_the_gate_agree(
    rent: int, aconto: int, ceiling: int, basis: str, comparison: str
) -> None:
    turn = check_turn_eligibility(
        dwelling_type="family",
        rent=rent,
        covered_types={"family"},
        rent_ceiling=ceiling,
        aconto=aconto,
        ceiling_basis=basis,
        ceiling_comparison=comparison,
    )
    ctx = Context(
        as_of=date(2026, 1, 1),
        policy=Policy(rent_ceiling=ceiling, ceiling_basis=basis, ceiling_comparison=comparison),
    )
    gate = check_eligibility(CIT, replace(DW, rent=rent, aconto=aconto), ctx)
    over_in_gate = any(r.code == "rent_over_ceiling" for r in gate)
    assert over_in_gate == (not turn.eligible)
    assert turn.ceiling is not None and turn.ceiling.within == turn.eligible


@given(
    rents=st.lists(st.floats(0, 9000, allow_nan=False), min_size=1, max_size=40),
    acontos=st.lists(st.floats(0, 1500, allow_nan=False), min_size=40, max_size=40),
    ceiling=st.integers(1, 8000),
    basis=st.sampled_from(["net", "gross"]),
    comparison=st.sampled_from(["at_most", "below"]),
)
def test_the_simulators_whole_stock_judgement_is_the_same_as_one_by_one(
    rents: list[float], acontos: list[float], ceiling: int, basis: str, comparison: str
) -> None:
    terms = CeilingTerms(ceiling=ceiling, basis=basis, comparison=comparison)
    acontos = acontos[: len(rents)]
    # values on the boundary, where "at most" and "below" differ
    rents[0] = float(ceiling)
    at_once = within_ceiling(judged_rent(np.array(rents), np.array(acontos), terms), terms)
    one_by_one = [
        judge_rent_ceiling(rent=r, aconto=a, terms=terms).within
        for r, a in zip(rents, acontos, strict=True)
    ]
    assert at_once.tolist() == one_by_one


def test_unknown_terms_are_refused_on_arrays_too() -> None:
    with pytest.raises(ValueError):
        judged_rent(np.array([1.0]), np.array([0.0]), CeilingTerms(basis="brutto"))
    with pytest.raises(ValueError):
        within_ceiling(np.array([1.0]), CeilingTerms(comparison="højst"))
