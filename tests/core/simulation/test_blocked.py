"""A reported vacancy the municipality cannot use (its department closed, a cap reached) is
judged as the live turn engine judges it (`anvis_core.quotas.judge_turn`): blocked, no turn, the
bucket's counter does not move, counted on its own (the ledger's "lukket/loft nået"), and never
a hand-back with void rent."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

import pytest

from anvis_core.quotas import Outcome
from anvis_core.simulation import compile_model, scenario_from_dict
from anvis_core.simulation.replication import Replication
from anvis_core.simulation.scenario import RecentPlacement

Make = Callable[..., dict[str, Any]]
POLICIES = ["baseline", "production"]


def played(scenario: Any, index: int = 0) -> tuple[Replication, dict[str, Any]]:
    rep = Replication(compile_model(scenario), index)
    return rep, rep.run()


def reported(rep: Replication) -> list[tuple[int, float, Outcome | None]]:
    """(department, report time, outcome) of every drawn vacancy."""
    n = rep.n_drawn_vacancies
    return [
        (rep.d_dep[rep.vac.rel[v]], rep.vac.time[v], rep.outcome[v] if rep.outcome else None)
        for v in range(n)
    ]


@pytest.mark.parametrize("policy", POLICIES)
def test_a_vacancy_in_a_closed_department_is_blocked_and_takes_no_turn(
    small: Make, policy: str
) -> None:
    s = scenario_from_dict(
        small(regime={"closed_departments": ["A2"]}, matching={"policy": policy})
    )
    rep, summary = played(s)
    a2 = rep.model.stock.departments.index("A2")
    rows = reported(rep)
    in_a2 = [r for r in rows if r[0] == a2]
    assert in_a2, "the scenario must report vacancies in the closed department"
    assert all(o is Outcome.BLOCKED for _, _, o in in_a2)
    assert all(o is not Outcome.BLOCKED for d, _, o in rows if d != a2)
    counts = summary["counts"]
    assert counts["blocked"] == len(in_a2)
    assert counts["closed"] == 0  # not taken and handed back
    # the ledger's counting: blocked is neither eligible nor owed, and at 50 % (one bucket per
    # organisation) the municipal turns are half of the usable vacancies, not of all reported
    assert summary["org_blocked"] == [len(in_a2), 0]
    assert sum(summary["org_eligible"]) + counts["blocked"] == counts["reported"]
    for eligible, municipal, expected in zip(
        summary["org_eligible"], summary["org_municipal"], summary["org_expected"], strict=True
    ):
        assert municipal == math.floor(eligible / 2)
        assert expected == eligible / 2


@pytest.mark.parametrize("policy", POLICIES)
def test_a_vacancy_reported_while_its_stairwell_cap_is_reached_is_blocked(
    small: Make, policy: str
) -> None:
    """A placement 100 days before the start fills the stairwell of A1/4 (cap 1) until day
    265: every vacancy reported there before then is blocked on its report day."""
    s = scenario_from_dict(
        small(
            horizon_years=1,
            regime={"stairwell_cap": 1},
            matching={"policy": policy},
        )
    ).with_changes(recent_placements=(RecentPlacement("A1/4", 100),))
    full = [d.id for d in s.stock.dwellings].index("A1/4")
    seen = 0
    for index in range(4):
        rep, summary = played(s, index)
        entrance = int(rep.model.stock.dwelling_entrance[full])
        for v in range(rep.n_drawn_vacancies):
            r = rep.vac.rel[v]
            if rep.d_ent[r] == entrance and rep.vac.time[v] < 265:
                seen += 1
                assert rep.outcome[v] is Outcome.BLOCKED
        blocked = [o for o in rep.outcome if o is Outcome.BLOCKED]
        assert summary["counts"]["blocked"] == len(blocked)
        assert sum(summary["org_blocked"]) == len(blocked)
        assert summary["counts"]["municipal"] == sum(
            math.floor(e / 2) for e in summary["org_eligible"]
        )
    assert seen > 0


class _AlwaysJudged(Replication):
    def _init_rules(self) -> None:
        super()._init_rules()
        self.judged = True


@pytest.mark.parametrize("mode", ["online", "batch"])
def test_judging_each_report_gives_the_turns_up_front_when_nothing_can_be_blocked(
    small: Make, mode: str
) -> None:
    """Without caps or closures nothing is blocked, and the judgement of each report on its day
    gives exactly the turns the quota sequences give up front (the faster path)."""
    s = scenario_from_dict(small(regime={"other_needs_share": 0.3}, matching={"mode": mode}))
    model = compile_model(s)
    for index in range(2):
        up_front = Replication(model, index).run()
        judged = _AlwaysJudged(model, index).run()
        assert json.dumps(judged, sort_keys=True) == json.dumps(up_front, sort_keys=True)
