"""Exact batch allocation as a min-cost flow, for cap groups that nest.

Network (node numbers in brackets)::

    source [0] -> citizen-side group tree -> citizen -> dwelling -> dwelling-side group tree
               -> sink [1]
    source -> sink (bypass, cost 0): citizens may stay unassigned

* citizen -> dwelling: one arc per listed pair, capacity 1, cost ``-scaled weight`` (or
  ``-(B + scaled weight)`` for ``max_count_then_weight``). These are the first arcs, so arc
  ``p`` is pair ``p``.
* a citizen is entered from its smallest citizen-side group (or the source), capacity 1; a
  dwelling leaves to its smallest dwelling-side group (or the sink), capacity 1.
* dwelling-side group ``g`` -> its parent group (or the sink) with capacity ``max - placed``
  and lower bound ``min - placed``; citizen-side groups mirror this from parent to child.

Lower bounds ``l`` on an arc ``u -> v`` are removed in the usual way: the capacity becomes
``cap - l``, ``u`` gets ``l`` less supply and ``v`` ``l`` more. If the resulting supplies cannot
be met the problem is infeasible. The network is acyclic, so negative costs are harmless.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from anvis_core.matching.laminar import Forest
from anvis_core.matching.problem import IntArray, Objective, PairProblem
from anvis_core.matching.scaling import Scaled, cost_limit, scale_weights

SOURCE = 0
SINK = 1


@dataclass(frozen=True, eq=False)
class Network:
    n_nodes: int
    tails: np.ndarray[tuple[int], np.dtype[np.int32]]
    heads: np.ndarray[tuple[int], np.dtype[np.int32]]
    capacities: IntArray
    costs: IntArray
    supplies: IntArray
    n_pair_arcs: int
    scaled: Scaled
    count_bonus: int
    """The constant ``B`` added to every pair's scaled weight (0 for ``max_weight``)."""


def max_assignments(problem: PairProblem) -> int:
    """An upper bound on the number of assignments in any solution."""
    if problem.n_pairs == 0:
        return 0
    # Distinct citizens and dwellings in the pairs; bincount is linear in the index range.
    nc = int(np.count_nonzero(np.bincount(problem.pair_citizen)))
    nd = int(np.count_nonzero(np.bincount(problem.pair_dwelling)))
    return min(nc, nd)


def build_network(
    problem: PairProblem, objective: Objective, dwelling_side: Forest, citizen_side: Forest
) -> Network:
    grp = problem.groups
    ng, nc, nd, npairs = grp.size, problem.n_citizens, problem.n_dwellings, problem.n_pairs
    g0 = 2
    c0 = g0 + ng
    d0 = c0 + nc
    n_nodes = d0 + nd
    k = max_assignments(problem)

    limit = cost_limit(n_nodes)
    if objective == "max_count_then_weight":
        # Costs are -(B + w) with B = 2*k*M + 1 and |w| <= M; need B + M <= limit.
        m_allowed = (limit - 1) // (2 * k + 1) if k else limit
        scaled = scale_weights(problem.pair_weight, m_allowed, k)
        m = int(np.max(np.abs(scaled.costs))) if scaled.costs.size else 0
        bonus = 2 * k * m + 1
    else:
        scaled = scale_weights(problem.pair_weight, limit, k)
        bonus = 0

    lower = grp.min_remaining
    upper = grp.max_remaining

    # Arc blocks: pairs, citizen entries, dwelling exits, dwelling-side groups,
    # citizen-side groups, bypass.
    d_used = np.flatnonzero(dwelling_side.used)
    c_used = np.flatnonzero(citizen_side.used)
    cit_leaf = citizen_side.leaf
    dw_leaf = dwelling_side.leaf

    tails = np.concatenate(
        (
            c0 + problem.pair_citizen,
            np.where(cit_leaf >= 0, g0 + cit_leaf, SOURCE),
            d0 + np.arange(nd, dtype=np.int64),
            g0 + d_used,
            np.where(citizen_side.parent[c_used] >= 0, g0 + citizen_side.parent[c_used], SOURCE),
            np.asarray([SOURCE], dtype=np.int64),
        )
    ).astype(np.int32)
    heads = np.concatenate(
        (
            d0 + problem.pair_dwelling,
            c0 + np.arange(nc, dtype=np.int64),
            np.where(dw_leaf >= 0, g0 + dw_leaf, SINK),
            np.where(dwelling_side.parent[d_used] >= 0, g0 + dwelling_side.parent[d_used], SINK),
            g0 + c_used,
            np.asarray([SINK], dtype=np.int64),
        )
    ).astype(np.int32)
    group_lower = np.concatenate((lower[d_used], lower[c_used]))
    group_upper = np.concatenate((upper[d_used], upper[c_used]))
    capacities = np.concatenate(
        (
            np.ones(npairs + nc + nd, dtype=np.int64),
            group_upper - group_lower,
            np.asarray([nc], dtype=np.int64),
        )
    )
    costs = np.concatenate(
        (
            -(scaled.costs + bonus),
            np.zeros(nc + nd + d_used.size + c_used.size + 1, dtype=np.int64),
        )
    )
    supplies = np.zeros(n_nodes, dtype=np.int64)
    supplies[SOURCE] = nc
    supplies[SINK] = -nc
    start = npairs + nc + nd
    g_tails = tails[start : start + group_lower.size].astype(np.int64)
    g_heads = heads[start : start + group_lower.size].astype(np.int64)
    np.subtract.at(supplies, g_tails, group_lower)
    np.add.at(supplies, g_heads, group_lower)
    return Network(n_nodes, tails, heads, capacities, costs, supplies, npairs, scaled, bonus)


@dataclass(frozen=True, eq=False)
class FlowOutcome:
    feasible: bool
    pairs: IntArray
    abs_error_bound: float


def solve_network(network: Network) -> FlowOutcome:
    from ortools.graph.python import min_cost_flow

    smcf = min_cost_flow.SimpleMinCostFlow()
    smcf.add_arcs_with_capacity_and_unit_cost(
        network.tails, network.heads, network.capacities, network.costs
    )
    smcf.set_nodes_supplies(np.arange(network.n_nodes, dtype=np.int32), network.supplies)
    status = smcf.solve()
    if status == smcf.INFEASIBLE:
        return FlowOutcome(False, np.zeros(0, dtype=np.int64), 0.0)
    if status != smcf.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed with status {status}")
    flows = smcf.flows(np.arange(network.n_pair_arcs, dtype=np.int32))
    pairs = np.flatnonzero(flows > 0).astype(np.int64)
    return FlowOutcome(True, pairs, network.scaled.abs_error_bound)
