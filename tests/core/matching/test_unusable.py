"""The gate's answer to "can the municipality use this reported vacancy at all?", which the
vacancy report (live) and the simulator both ask before the turn counter may move."""

from __future__ import annotations

from datetime import date

from anvis_core.matching.gate import unusable_findings
from anvis_core.matching.model import Caps, CapState, Context, Dwelling, Policy

DWELLING = Dwelling(
    id="v1",
    rent=6000,
    rooms=2,
    district="",
    department_id="d1",
    entrance_id="e1",
    organisation_id="o1",
)


def codes(context: Context) -> tuple[str, ...]:
    return tuple(f.code for f in unusable_findings(DWELLING, context))


def test_a_closed_department_or_a_reached_cap_makes_the_vacancy_unusable() -> None:
    """Rent over the ceiling fails the gate too, but makes the vacancy not eligible, not
    blocked: it is left out."""
    day, policy = date(2026, 1, 5), Policy(rent_ceiling=5000)
    assert codes(Context(as_of=day, policy=policy)) == ()
    assert codes(Context(as_of=day, policy=policy, closed_departments=frozenset({"d1"}))) == (
        "department_closed",
    )
    full = Caps(entrance={"e1": CapState(max=1, placed=1)})
    assert codes(Context(as_of=day, policy=policy, caps=full)) == ("cap_reached",)
    room = Caps(entrance={"e1": CapState(max=2, placed=1)})
    assert codes(Context(as_of=day, policy=policy, caps=room)) == ()
