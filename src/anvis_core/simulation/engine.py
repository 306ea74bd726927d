"""The compiled model (a scenario turned into arrays once) and `run_replication`.

The replication itself, with its named steps, is :class:`.replication.Replication`; its summary
is built in :mod:`.summary`. See docs/simulation.md for the model.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from anvis_core.quotas import BucketKey, TurnDecision, TurnState, decide_turn

from .matching import MatchingPolicy
from .replication import Replication, replication_streams
from .scenario import DAYS_PER_YEAR, ExplicitStockSpec, Scenario, SyntheticStockSpec
from .stock import Stock, build_stock

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

__all__ = [
    "CompiledModel",
    "TurnSequence",
    "compile_model",
    "replication_streams",
    "run_replication",
]


class TurnSequence:
    """The quota engine's decisions for one share, from a counter with the given credit
    (zero: a fresh agreement; the ledger's credit: a running one), computed once.

    `decide_turn` is a pure function of (state, share), so the k-th eligible vacancy of any
    bucket with this share gets the same decision in every replication; the sequence is extended
    on demand by asking the quota engine again.
    """

    def __init__(self, share: Fraction, credit: Fraction = Fraction(0)) -> None:
        self.share = share
        self.start_credit = credit
        self.states: list[TurnState] = [TurnState(credit=credit)]
        self.municipal: list[bool] = [False]
        self.decisions: list[TurnDecision | None] = [None]

    def is_municipal(self, k: int) -> bool:
        """Whether the k-th (1-based) eligible vacancy is the municipality's."""
        while len(self.states) <= k:
            decision = decide_turn(self.states[-1], self.share)
            self.states.append(decision.after)
            self.municipal.append(decision.municipal)
            self.decisions.append(decision)
        return self.municipal[k]

    def state(self, k: int) -> TurnState:
        self.is_municipal(k)
        return self.states[k]

    def decision(self, k: int) -> TurnDecision:
        """The quota engine's decision for the k-th (1-based) eligible vacancy."""
        self.is_municipal(k)
        decision = self.decisions[k]
        assert decision is not None
        return decision


@dataclass(frozen=True, eq=False)
class CompiledModel:
    """A scenario turned into arrays once; shared (pickled once) by all replications."""

    scenario: Scenario
    stock: Stock
    step_names: tuple[str, ...]
    department_step: IntArray
    bucket_names: tuple[BucketKey, ...]
    """The turn counters: (organisation index, share), as the live `BucketKey`."""
    bucket_shares: tuple[Fraction, ...]
    bucket_sequence: tuple[TurnSequence, ...]
    rel: IntArray
    rel_cumrate: FloatArray
    rel_bucket: IntArray
    group_rate_per_day: FloatArray
    group_exit_per_day: FloatArray
    group_points: FloatArray
    group_shelter: FloatArray
    group_homeless: NDArray[np.bool_]
    group_support_per_day: FloatArray
    method_cumshare: FloatArray
    """Cumulative shares of the support methods (drawn per placement)."""
    method_breakdown_per_day: FloatArray
    """Constant breakdown hazard per method: −ln(retained after 12 months) / 365.25."""
    under_agreement: NDArray[np.bool_]
    """Per dwelling of the stock: a covered type within the ceiling (`Stock.under_agreement`)."""
    open_rel: IntArray = dataclasses.field(default_factory=lambda: np.zeros(0, np.int64))
    """Reportable dwellings (indices into `rel`) the municipality holds at the start."""
    recent_entrance: IntArray = dataclasses.field(default_factory=lambda: np.zeros(0, np.int64))
    recent_department: IntArray = dataclasses.field(default_factory=lambda: np.zeros(0, np.int64))
    recent_time: FloatArray = dataclasses.field(default_factory=lambda: np.zeros(0))
    """Placements before the start (time ≤ 0) by stairwell and department, for the caps."""

    def slim(self) -> CompiledModel:
        """A copy for worker processes: only the dwellings that can be reported, and no stock
        spec (the scenario's dwelling list may be large). Replications give the same result."""
        st, r = self.stock, self.rel
        stock = Stock(
            organisations=st.organisations,
            departments=st.departments,
            department_organisation=st.department_organisation,
            department_step=st.department_step,
            entrances=None,
            n_entrances=st.n_entrances,
            type_names=st.type_names,
            dwelling_department=st.dwelling_department[r],
            dwelling_entrance=st.dwelling_entrance[r],
            dwelling_type=st.dwelling_type[r],
            rooms=st.rooms[r],
            rent=st.rent[r],
            accessible=st.accessible[r],
            turnover_per_year=st.turnover_per_year[r],
            area=st.area[r],
            aconto=st.aconto[r],
            features=st.features[r],
        )
        # the start state is compiled into the model's arrays; its dwelling ids need the
        # explicit stock, which the copy leaves out
        scenario = dataclasses.replace(
            self.scenario, stock=SyntheticStockSpec(), open_vacancies=(), recent_placements=()
        )
        return dataclasses.replace(
            self,
            scenario=scenario,
            stock=stock,
            rel=np.arange(len(r), dtype=np.int64),
            under_agreement=self.under_agreement[r],
        )


def _department_steps(
    scenario: Scenario, stock: Stock
) -> tuple[tuple[str, ...], list[Fraction], IntArray]:
    """The step names, their shares and each department's step."""
    regime = scenario.regime
    n_dep = len(stock.departments)
    if regime.steps:
        step_names = tuple(s.name for s in regime.steps)
        if stock.department_step is not None:
            lookup = {name: i for i, name in enumerate(step_names)}
            dep_step = np.array(
                [lookup.get(name, -1) for name in stock.department_step], dtype=np.int64
            )
        else:
            # Synthetic stock: place departments on steps by the steps' department fractions,
            # deterministically (a stream of its own, independent of the replication seed).
            p = np.array([s.department_fraction for s in regime.steps], dtype=np.float64)
            if p.sum() <= 0:
                p = np.ones(len(p))
            rng = np.random.default_rng([getattr(scenario.stock, "seed", 0), 0x57E9])
            dep_step = rng.choice(len(p), n_dep, p=p / p.sum()).astype(np.int64)
        shares = [s.share for s in regime.steps]
        if (dep_step < 0).any():
            step_names = (*step_names, "default")
            shares.append(regime.share)
            dep_step = np.where(dep_step < 0, len(step_names) - 1, dep_step)
    else:
        step_names = ("all",)
        shares = [regime.share]
        dep_step = np.zeros(n_dep, dtype=np.int64)

    return step_names, shares, dep_step


def compile_model(scenario: Scenario, stock: Stock | None = None) -> CompiledModel:
    stock = stock if stock is not None else build_stock(scenario.stock)
    regime = scenario.regime
    step_names, shares, dep_step = _department_steps(scenario, stock)
    under_agreement = stock.under_agreement(regime)
    relevant = under_agreement & (stock.turnover_per_year > 0)
    rel = np.flatnonzero(relevant).astype(np.int64)
    rate = stock.turnover_per_year[rel] / DAYS_PER_YEAR
    dwelling_org = stock.dwelling_organisation[rel]
    dwelling_step = dep_step[stock.dwelling_department[rel]]
    # One counter per organisation and share, as live (`BucketKey`; the persisted counter is
    # unique per agreement, organisation and share): departments on steps of the same share,
    # or without a step under an agreement of that share, count together.
    bucket_of: dict[BucketKey, int] = {}
    rel_bucket = np.empty(len(rel), dtype=np.int64)
    for i, (org, step) in enumerate(
        zip(dwelling_org.tolist(), dwelling_step.tolist(), strict=True)
    ):
        rel_bucket[i] = bucket_of.setdefault(BucketKey(org, shares[step]), len(bucket_of))
    bucket_names = tuple(bucket_of)
    bucket_shares = tuple(key.share for key in bucket_names)
    credit = {(c.organisation, c.share): c.credit for c in regime.start_credit}
    bucket_credit = [
        credit.get((stock.organisations[key.organisation_id], key.share), Fraction(0))
        for key in bucket_names
    ]
    sequences: dict[tuple[Fraction, Fraction], TurnSequence] = {}
    for share, c in zip(bucket_shares, bucket_credit, strict=True):
        sequences.setdefault((share, c), TurnSequence(share, c))
    # warm the sequences to a little beyond the largest expected count per bucket
    bucket_rate = np.bincount(rel_bucket, weights=rate, minlength=len(bucket_names))
    for b, key in enumerate(zip(bucket_shares, bucket_credit, strict=True)):
        mean = float(bucket_rate[b]) * scenario.horizon_days
        sequences[key].is_municipal(int(mean + 6 * math.sqrt(mean) + 10))

    groups = scenario.groups
    default_support = scenario.costs.support_per_year
    methods = scenario.tenancy.methods
    method_shares = np.array([m.share for m in methods], dtype=np.float64)
    return CompiledModel(
        scenario=scenario,
        stock=stock,
        step_names=step_names,
        department_step=dep_step,
        bucket_names=bucket_names,
        bucket_shares=bucket_shares,
        bucket_sequence=tuple(
            sequences[key] for key in zip(bucket_shares, bucket_credit, strict=True)
        ),
        rel=rel,
        rel_cumrate=np.cumsum(rate),
        rel_bucket=rel_bucket,
        group_rate_per_day=np.array([g.arrivals_per_year / DAYS_PER_YEAR for g in groups]),
        group_exit_per_day=np.array([g.exits_per_year / DAYS_PER_YEAR for g in groups]),
        group_points=np.array([g.priority_points for g in groups], dtype=np.float64),
        group_shelter=np.array([g.shelter_fraction for g in groups], dtype=np.float64),
        group_homeless=np.array([g.homeless for g in groups], dtype=np.bool_),
        group_support_per_day=np.array(
            [
                (default_support if g.support_per_year is None else g.support_per_year)
                / DAYS_PER_YEAR
                for g in groups
            ]
        ),
        method_cumshare=np.cumsum(method_shares / method_shares.sum()),
        method_breakdown_per_day=np.array(
            [-math.log(m.retained_12_months) / DAYS_PER_YEAR for m in methods]
        ),
        under_agreement=under_agreement,
        **_start_state(scenario, stock, rel),
    )


def _start_state(scenario: Scenario, stock: Stock, rel: IntArray) -> dict[str, Any]:
    """Open vacancies and recent placements of a scenario built from today's data."""
    if not isinstance(scenario.stock, ExplicitStockSpec):
        return {}
    if not scenario.open_vacancies and not scenario.recent_placements:
        return {}
    index = {d.id: i for i, d in enumerate(scenario.stock.dwellings)}
    held = np.array([index[d] for d in scenario.open_vacancies], dtype=np.int64)
    pos = np.searchsorted(rel, held)
    ok = (pos < len(rel)) & (rel[np.minimum(pos, len(rel) - 1)] == held) if len(rel) else pos < 0
    placed = np.array([index[p.dwelling] for p in scenario.recent_placements], dtype=np.int64)
    ago = np.array([p.days_ago for p in scenario.recent_placements], dtype=np.float64)
    order = np.argsort(-ago, kind="stable")
    return {
        "open_rel": pos[ok].astype(np.int64),
        "recent_entrance": stock.dwelling_entrance[placed][order],
        "recent_department": stock.dwelling_department[placed][order],
        "recent_time": -ago[order],
    }


def run_replication(
    model: CompiledModel,
    index: int,
    policy: MatchingPolicy | None = None,
    *,
    record: bool = False,
) -> dict[str, Any]:
    """Simulate replication `index` and return its plain summary (see results.py).

    With `record`, the summary also holds `placement_log`: one dict per placement (time, the
    vacancy, dwelling, entrance, department and the citizen with the attributes that decided
    eligibility), for tests and for explaining a run.
    """
    return Replication(model, index, policy, record=record).run()
