"""Instance generators, a brute-force reference solver and a table comparison for the matching
tests."""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from anvis_core.matching.check import violations
from anvis_core.matching.problem import GroupSpec, PairProblem, make_problem
from anvis_core.matching.table import CitizenTable


@dataclass
class Best:
    feasible: bool
    count: int
    weight: float


def random_problem(
    rng: random.Random,
    *,
    nc: int,
    nd: int,
    density: float,
    nested: bool = True,
    crossing: bool = False,
    with_min: bool = False,
    citizen_groups: bool = False,
    weight_step: float = 0.25,
) -> PairProblem:
    """Dwellings sit in entrances inside departments inside organisations (nested); with
    ``crossing`` a district family cuts across them."""
    pcs, pds, pws = [], [], []
    for c in range(nc):
        for d in range(nd):
            if rng.random() < density:
                pcs.append(c)
                pds.append(d)
                pws.append(rng.randint(-4, 40) * weight_step)
    specs: list[GroupSpec] = []
    dgroups: list[list[int]] = [[] for _ in range(nd)]
    if nested:
        n_org = max(1, nd // 6)
        n_dep = max(1, nd // 3)
        n_ent = max(1, nd // 2)
        base = len(specs)
        for o in range(n_org):
            mn = rng.randint(0, 1) if with_min else 0
            specs.append(GroupSpec(f"o{o}", rng.randint(max(mn, 1), 4), mn, rng.randint(0, 1)))
        dep0 = len(specs)
        for a in range(n_dep):
            specs.append(GroupSpec(f"a{a}", rng.randint(0, 3), 0, rng.randint(0, 1)))
        ent0 = len(specs)
        for s in range(n_ent):
            specs.append(GroupSpec(f"s{s}", rng.randint(0, 2)))
        for d in range(nd):
            ent = d * n_ent // nd
            dep = ent * n_dep // n_ent
            org = dep * n_org // n_dep
            dgroups[d] = [base + org, dep0 + dep, ent0 + ent]
    if crossing:
        n_dis = 2
        dis0 = len(specs)
        for k in range(n_dis):
            specs.append(GroupSpec(f"x{k}", rng.randint(1, 3)))
        for d in range(nd):
            dgroups[d].append(dis0 + (d % n_dis))
    cgroups = None
    if citizen_groups:
        g0 = len(specs)
        specs.append(GroupSpec("shelter", rng.randint(0, 3)))
        specs.append(GroupSpec("shelter_wing", rng.randint(0, 2)))
        cgroups = []
        for _ in range(nc):
            r = rng.random()
            cgroups.append([g0, g0 + 1] if r < 0.3 else [g0] if r < 0.6 else [])
    return make_problem(
        citizen_ids=[f"c{i}" for i in range(nc)],
        dwelling_ids=[f"d{i}" for i in range(nd)],
        pair_citizen=pcs,
        pair_dwelling=pds,
        pair_weight=pws,
        groups=specs,
        dwelling_groups=dgroups,
        citizen_groups=cgroups,
    )


def brute_force(problem: PairProblem, objective: str) -> Best:
    """Try every set of pairs (tiny instances only)."""
    n = problem.n_pairs
    assert n <= 14, "brute force is for tiny instances"
    best: Best = Best(False, -1, -math.inf)
    for r in range(n + 1):
        for combo in itertools.combinations(range(n), r):
            pairs = np.asarray(combo, dtype=np.int64)
            if violations(problem, pairs):
                continue
            w = math.fsum(problem.pair_weight[pairs].tolist())
            better = (
                w > best.weight + 1e-9
                if objective == "max_weight"
                else r > best.count or (r == best.count and w > best.weight + 1e-9)
            )
            if not best.feasible or better:
                best = Best(True, r, w)
    return best


def problem_document(problem: PairProblem, objective: str) -> dict[str, Any]:
    """The problem as a pair-form file (pairs as an array of objects)."""
    grp = problem.groups

    def member_groups(
        n: int, member: np.ndarray[Any, Any], group: np.ndarray[Any, Any]
    ) -> list[list[str]]:
        out: list[list[str]] = [[] for _ in range(n)]
        for m, g in zip(member.tolist(), group.tolist(), strict=True):
            out[m].append(grp.ids[g])
        return out

    cgroups = member_groups(problem.n_citizens, grp.citizen_member, grp.citizen_group)
    dgroups = member_groups(problem.n_dwellings, grp.dwelling_member, grp.dwelling_group)
    return {
        "objective": objective,
        "citizens": [
            {"id": c, "groups": g} if g else {"id": c}
            for c, g in zip(problem.citizen_ids, cgroups, strict=True)
        ],
        "dwellings": [
            {"id": d, "groups": g} for d, g in zip(problem.dwelling_ids, dgroups, strict=True)
        ],
        "groups": [
            {"id": gid, "max": mx, "min": mn, "placed": pl}
            for gid, mx, mn, pl in zip(
                grp.ids, grp.max.tolist(), grp.min.tolist(), grp.placed.tolist(), strict=True
            )
        ],
        "pairs": [
            {"citizen": problem.citizen_ids[c], "dwelling": problem.dwelling_ids[d], "weight": w}
            for c, d, w in zip(
                problem.pair_citizen.tolist(),
                problem.pair_dwelling.tolist(),
                problem.pair_weight.tolist(),
                strict=True,
            )
        ],
    }


def to_columns(document: dict[str, Any]) -> dict[str, Any]:
    """The same file with its pairs in the column layout."""
    pairs = document["pairs"]
    columns = {k: [p[k] for p in pairs] for k in ("citizen", "dwelling", "weight")}
    return {**document, "pairs": columns}


def assert_same_table(a: CitizenTable, b: CitizenTable) -> None:
    """Every column and inverted index of the two tables is the same."""
    for f in fields(CitizenTable):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, np.ndarray):
            assert x.dtype == y.dtype and np.array_equal(x, y), f.name
        elif isinstance(x, dict):
            assert x.keys() == y.keys(), f.name
            for k in x:
                assert np.array_equal(x[k], y[k]), (f.name, k)
        else:
            assert x == y, f.name
