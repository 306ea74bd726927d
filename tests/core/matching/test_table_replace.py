"""A table with some rows replaced is the table built from the changed citizens."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from anvis_core.matching.model import NEEDS, Citizen
from anvis_core.matching.table import CitizenTable

from .helpers import assert_same_table

KEYS = ["Vestbyen", "Øst", "Hasseris", "12", "13"]

citizen = st.builds(
    Citizen,
    id=st.sampled_from([f"c{i}" for i in range(8)]),
    priority=st.floats(min_value=0, max_value=500, allow_nan=False),
    max_rent=st.one_of(st.none(), st.integers(min_value=2000, max_value=7000)),
    household_persons=st.integers(min_value=1, max_value=5),
    min_rooms=st.integers(min_value=1, max_value=4),
    needs=st.frozensets(st.sampled_from(NEEDS)),
    pets=st.booleans(),
    barred_until=st.one_of(st.none(), st.dates(dt.date(2026, 1, 1), dt.date(2028, 1, 1))),
    excluded_districts=st.frozensets(st.sampled_from(KEYS)),
    excluded_departments=st.frozensets(st.sampled_from(KEYS)),
    wished_districts=st.frozensets(st.sampled_from(KEYS)),
    wished_departments=st.frozensets(st.sampled_from(KEYS)),
    declined_units=st.frozensets(st.sampled_from(KEYS)),
    paused_until=st.one_of(st.none(), st.dates(dt.date(2026, 1, 1), dt.date(2028, 1, 1))),
    has_active_offer=st.booleans(),
    age_band=st.sampled_from(["young", "older"]),
    benefit_income=st.one_of(st.none(), st.integers(min_value=0, max_value=400000)),
    disability_pension=st.booleans(),
    preferred_floors=st.frozensets(st.integers(min_value=0, max_value=6)),
    waiting=st.booleans(),
    can_pay=st.one_of(st.none(), st.integers(min_value=0, max_value=9000)),
    children=st.integers(min_value=0, max_value=4),
    pensioner=st.booleans(),
)


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(citizen, min_size=1, max_size=8),
    edits=st.lists(st.tuples(st.integers(min_value=0, max_value=7), citizen), max_size=5),
)
def test_replaced_rows_give_the_built_table(rows: list[Citizen], edits: list[tuple[int, Citizen]]):
    rows = [replace(c, id=f"c{i}") for i, c in enumerate(rows)]
    changed = {i % len(rows): replace(c, id=f"c{i % len(rows)}") for i, c in edits}
    after = list(rows)
    for i, c in changed.items():
        after[i] = c
    assert_same_table(CitizenTable.build(rows).with_replaced(changed), CitizenTable.build(after))


def test_a_renamed_row_moves_the_position_and_a_duplicate_is_refused():
    rows = [Citizen(id=f"c{i}", priority=1.0, max_rent=4000) for i in range(3)]
    table = CitizenTable.build(rows)
    renamed = table.with_replaced({1: Citizen(id="x", priority=2.0, max_rent=4000)})
    assert renamed.position == {"c0": 0, "x": 1, "c2": 2}
    try:
        table.with_replaced({1: Citizen(id="c2", priority=2.0, max_rent=4000)})
    except ValueError as exc:
        assert "duplicate citizen id 'c2'" in str(exc)
    else:
        raise AssertionError("a duplicate id was accepted")
