"""The production matching rules in the simulator: `ProductionPolicy`.

Production decides every placement with one gate (:mod:`anvis_core.matching.gate`), ranks a
vacancy's candidates with :func:`anvis_core.matching.ranking.rank_vacancy` (eligibility rules,
then the score: priority + bounded fit + void) and solves a batch with
:func:`anvis_core.matching.solve.solve` on the problem :func:`~anvis_core.matching.domain_form.
build_problem` builds (caps as constraints of the optimisation). This policy calls exactly those
functions; it only presents the simulator's waiting list as a
:class:`~anvis_core.matching.table.CitizenTable` and each vacancy as a
:class:`~anvis_core.matching.model.Dwelling` with its
:class:`~anvis_core.matching.model.Context` (the agreement's ceiling, the cap state of its
stairwell and department, the closed departments).

Simulated citizens carry a maximum rent (or, for a household whose income for the housing benefit
is known, what it can pay with the fields the benefit's estimate reads), a room need and their
accessibility needs, nothing else, so the rules are chosen by name (:data:`PRODUCTION_RULES`; a scenario may choose fewer with
`matching.rules`): the flow's own rules (waiting, an offer out, declined before), the agreement's
dwelling rules (closed department, cap reached, rent over the ceiling) and the suitability rules
the simulated citizens have fields for. Legal bars, pets, wishes, exclusions, age separation and
persons per room need fields the simulated citizens do not have and are not chosen.

The built-in :class:`~.matching.BuiltinPolicy` stays as the named baseline
(`matching.policy = "baseline"`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import numpy as np

from anvis_core.matching.domain_form import build_problem
from anvis_core.matching.eligibility import Rule, rules_named
from anvis_core.matching.gate import UNUSABLE_CODES, dwelling_findings, unusable_findings
from anvis_core.matching.model import Caps, CapState, Context, Dwelling, Policy
from anvis_core.matching.ranking import rank_vacancy
from anvis_core.matching.scoring import ScoreWeights
from anvis_core.matching.solve import solve
from anvis_core.matching.table import CitizenTable

from .matching import LATEST, Pool, PoolColumns, VacancyView, features_of
from .scenario import PRODUCTION_RULE_CODES, Scenario

PRODUCTION_RULES: tuple[Rule, ...] = rules_named(PRODUCTION_RULE_CODES)
"""The production rules whose fields the simulated citizens and dwellings carry."""

GIVE_BACK = {"entrance": "cap_stairwell", "department": "cap_department"}


class ProductionPolicy:
    """Admission, ranking and batch solving by the production functions (see the module)."""

    def __init__(
        self,
        scenario: Scenario,
        departments: Sequence[str],
        weights: ScoreWeights | None = None,
    ) -> None:
        regime, m = scenario.regime, scenario.matching
        agreement = regime.kind == "agreement"
        self.stairwell_cap = regime.stairwell_cap if agreement else None
        self.department_cap = regime.department_cap if agreement else None
        self.points_per_day = m.points_per_day
        self.weights = weights if weights is not None else (m.weights or ScoreWeights())
        self.day: date = scenario.as_of or LATEST
        """The day of the rules: only the housing benefit's estimate reads it (no pauses or
        bars are simulated)."""
        rules = rules_named(m.rules) if m.rules is not None else PRODUCTION_RULES
        self.dwelling_rules = tuple(r for r in rules if r.dwelling_only)
        self.unusable_rules = tuple(r for r in self.dwelling_rules if r.code in UNUSABLE_CODES)
        self.citizen_rules = tuple(r for r in rules if not r.dwelling_only)
        self.batch_rules = tuple(r for r in self.citizen_rules if r.code != "cap_reached")
        closed = set(regime.closed_departments)
        self.closed = frozenset(str(j) for j, name in enumerate(departments) if name in closed)
        self.policy = Policy(
            rent_ceiling=_whole(regime.rent_ceiling),
            ceiling_basis=regime.rent_ceiling_basis,
            ceiling_comparison=regime.rent_ceiling_comparison,
        )
        self._columns: _Columns | None = None
        self._unusable: dict[tuple[int, ...], bool] = {}

    # ------------------------------------------------------------------ the production form

    def dwelling(self, v: VacancyView) -> Dwelling:
        return Dwelling(
            id=str(v.vacancy),
            rent=_whole(v.rent),
            aconto=_whole(v.aconto),
            rooms=v.rooms,
            area_m2=v.area_m2,
            district="",
            department_id=str(v.department),
            entrance_id=str(v.entrance),
            organisation_id=str(v.organisation),
            features=features_of(v.feature_bits),
        )

    def context(self, views: Sequence[VacancyView], *, caps: bool = True) -> Context:
        """The agreement, the closed departments and (with `caps`) the cap state of the
        vacancies' stairwells and departments: placements in the rolling window plus offers
        out, as production counts them."""
        entrance: dict[str, CapState] = {}
        department: dict[str, CapState] = {}
        if caps:
            for v in views:
                if self.stairwell_cap is not None:
                    entrance[str(v.entrance)] = CapState(self.stairwell_cap, v.placed_entrance)
                if self.department_cap is not None:
                    department[str(v.department)] = CapState(
                        self.department_cap, v.placed_department
                    )
        return Context(
            as_of=self.day,
            policy=self.policy,
            caps=Caps(entrance=entrance, department=department),
            closed_departments=self.closed,
        )

    def table(self, pool: Pool, at: float, excluded: Mapping[str, Sequence[int]]) -> CitizenTable:
        if self._columns is None or self._columns.capacity < len(pool.citizen):
            self._columns = _Columns(len(pool.citizen))
        return self._columns.table(pool, at, self.points_per_day, excluded)

    # ------------------------------------------------------------------ the policy

    def admit(self, vacancy: VacancyView, *, caps: bool = True) -> str:
        """'' when the municipality can use the vacancy, else what gives it back (the count
        it adds to): the gate's dwelling findings. Without `caps` (a batch, whose solver
        keeps the caps) only closures and the ceiling are checked."""
        ctx = self.context([vacancy], caps=caps)
        findings = dwelling_findings(self.dwelling(vacancy), ctx, self.dwelling_rules)
        for f in findings:
            if f.code == "cap_reached":
                return GIVE_BACK.get(str(f.reason.params["level"]), "cap_department")
            if f.code == "department_closed":
                return "closed"
            if f.code in {r.code for r in self.dwelling_rules}:
                return "no_candidate"
        return ""

    def unusable(self, vacancy: VacancyView) -> bool:
        """Whether the municipality cannot use the vacancy on its report day (a closed
        department, a reached cap): the gate's `unusable_findings`, the question the vacancy
        report asks before the turn engine judges it blocked."""
        v = vacancy
        # the two rules read where the dwelling is and the cap counts there, nothing else of it
        key = (v.organisation, v.department, v.entrance, v.placed_entrance, v.placed_department)
        answer = self._unusable.get(key)
        if answer is None:
            ctx = self.context([vacancy])
            answer = bool(unusable_findings(self.dwelling(vacancy), ctx, self.unusable_rules))
            self._unusable[key] = answer
        return answer

    def choose(self, pool: Pool, vacancy: VacancyView, excluded: Sequence[int]) -> int:
        if pool.n == 0:
            return -1
        table = self.table(pool, vacancy.at, {str(vacancy.vacancy): excluded})
        ctx = self.context([vacancy], caps=False)
        ranking = rank_vacancy(self.dwelling(vacancy), table, ctx, self.weights, self.citizen_rules)
        return int(ranking.order[0]) if ranking.order.size else -1

    def assign(
        self,
        pool: Pool,
        vacancies: Sequence[VacancyView],
        excluded: Sequence[Sequence[int]],
    ) -> list[tuple[int, int]]:
        if not vacancies or pool.n == 0:
            return []
        declined = {str(v.vacancy): ex for v, ex in zip(vacancies, excluded, strict=True)}
        table = self.table(pool, vacancies[0].at, declined)
        dwellings = [self.dwelling(v) for v in vacancies]
        problem = build_problem(
            table, dwellings, self.context(vacancies), self.weights, self.batch_rules
        )
        result = solve(problem)
        rows = {d.id: j for j, d in enumerate(dwellings)}
        return sorted((rows[d], int(c)) for c, d in result.assignments)


def _whole(kroner: float) -> int:
    """The production form holds whole kroner; an unbounded amount stays unbounded in effect."""
    return int(min(kroner, 10**12))


class _Columns:
    """Reusable zero columns for the fields the simulated citizens do not have."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.ids = tuple(str(i) for i in range(capacity))
        self.zeros = np.zeros(capacity, dtype=np.int64)
        self.false = np.zeros(capacity, dtype=np.bool_)
        self.true = np.ones(capacity, dtype=np.bool_)
        self.ones = np.ones(capacity, dtype=np.int64)
        self.floors = np.zeros(capacity, dtype=np.uint64)

    def table(
        self, pool: Pool, at: float, points_per_day: float, excluded: Mapping[str, Sequence[int]]
    ) -> CitizenTable:
        n = pool.n
        z, f = self.zeros[:n], self.false[:n]
        columns = _household_columns(pool)
        declined = {k: np.asarray(v, dtype=np.int64) for k, v in excluded.items() if len(v)}
        empty: dict[str, Any] = {}
        return CitizenTable(
            citizens=(),
            ids=self.ids[:n],
            # ranks as production does: by the priority at the moment of the offer
            priority=pool.key[:n] + points_per_day * at,
            persons=self.ones[:n] if columns is None else columns.persons,
            min_rooms=pool.rooms_needed[:n],
            max_rent=pool.max_rent[:n],  # type: ignore[arg-type]  # float kroner
            # No maximum rent of its own (∞, as an unknown income is read from the database):
            # the ceiling that judges the dwelling, as production reads an unknown maximum rent.
            max_rent_unknown=np.isinf(pool.max_rent[:n]),
            needs=pool.needs[:n],
            pets=f,
            barred_until=z,
            young=f,
            waiting=self.true[:n],
            paused_until=z,
            active_offer=pool.busy[:n],
            housed=f,
            floors=self.floors[:n],
            excluded_districts=empty,
            excluded_departments=empty,
            wished_districts=empty,
            wished_departments=empty,
            declined_units=declined,
            position=empty,
            estimated=f if columns is None else columns.estimated,
            can_pay=z if columns is None else columns.can_pay,
            benefit_income=z if columns is None else columns.benefit_income,
            children=z if columns is None else columns.children,
            pensioner=f if columns is None else columns.pensioner,
            disability_pension=f if columns is None else columns.disability_pension,
        )


def _household_columns(pool: Pool) -> PoolColumns | None:
    """The household columns of the live pool (the baseline's own, so both policies read one
    form), or None when nobody is judged on a housing budget."""
    return None if pool.households is None else PoolColumns(pool)
