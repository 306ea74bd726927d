"""Matching benchmarks (a script, not a test): figures for docs/benchmarks.md.

    python bench/matching_bench.py             # print the figures
    python bench/matching_bench.py --write     # also replace the "## Matching" section
    python bench/matching_bench.py --citizens 400 --dwellings 200 --pairs-per-citizen 10 \
        --ranking-vacancies 20 --repeats 1 --lp-repeats 1   # a quick check that it runs

Measures, in one run on this machine:

1. nested caps, 10,000 citizens x 5,000 dwellings, ~50 pairs per citizen: the raw OR-Tools
   SimpleMinCostFlow build + solve of the network, the engine's ``solve`` from in-memory arrays
   (groups check, network build, solve, extraction, feasibility check), and the whole
   ``anvis match`` process reading and writing JSON, once with the pairs as an array of objects
   and once as three column arrays (the same instance; both must give the same result);
2. the same with one crossing cap family (districts across organisations): the HiGHS LP
   relaxation and the engine's HiGHS path with its proven gap;
3. ranking one vacancy against 10,000 waiting citizens (domain form, in memory).

The sizes are options; the figures in docs/benchmarks.md are for the defaults, and ``--write``
refuses other sizes.

Each measurement is repeated and the median reported, because other work may share the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from anvis_core.matching.flow import build_network  # noqa: E402
from anvis_core.matching.laminar import laminar_forest  # noqa: E402
from anvis_core.matching.model import NEEDS, Caps, CapState, Citizen, Context, Dwelling  # noqa: E402
from anvis_core.matching.problem import GroupSpec, PairProblem, make_problem  # noqa: E402
from anvis_core.matching.ranking import rank_vacancy  # noqa: E402
from anvis_core.matching.solve import solve  # noqa: E402
from anvis_core.matching.table import CitizenTable  # noqa: E402


def instance(
    nc: int, nd: int, per_citizen: int, seed: int, crossing: bool
) -> tuple[PairProblem, dict[str, Any]]:
    rng = np.random.default_rng(seed)
    per_entrance, per_department, n_org = 6, 5, 20
    n_ent = -(-nd // per_entrance)
    n_dep = -(-n_ent // per_department)
    ent = np.arange(nd) // per_entrance
    dep = ent // per_department
    org = dep * n_org // n_dep
    specs: list[GroupSpec] = []
    specs += [GroupSpec(f"s{i}", int(rng.integers(1, 3))) for i in range(n_ent)]
    specs += [
        GroupSpec(f"a{i}", int(rng.integers(4, 10)), 0, int(rng.integers(0, 3)))
        for i in range(n_dep)
    ]
    org_size = np.bincount(org, minlength=n_org)
    specs += [
        GroupSpec(f"o{i}", int(org_size[i] * 0.15), int(org_size[i] * 0.05)) for i in range(n_org)
    ]
    groups = np.stack((ent, n_ent + dep, n_ent + n_dep + org), axis=1)
    if crossing:
        n_dis = 12
        dis = (dep * 7 + ent) % n_dis  # cuts across departments and organisations
        dis_size = np.bincount(dis, minlength=n_dis)
        share = (0.05, 0.2)
        specs += [GroupSpec(f"x{i}", int(dis_size[i] * share[i % 2])) for i in range(n_dis)]
        groups = np.concatenate((groups, (len(specs) - n_dis + dis)[:, None]), axis=1)
    # ~per_citizen distinct dwellings per citizen
    cand = rng.integers(0, nd, size=(nc, per_citizen + 3))
    pc = np.repeat(np.arange(nc), per_citizen + 3)
    key = np.unique(pc * nd + cand.ravel())
    pc, pd = key // nd, key % nd
    priority = np.round(rng.uniform(0, 100, nc), 2)
    fit = rng.integers(0, 5, key.size) * 0.5
    weight = priority[pc] + fit
    problem = make_problem(
        citizen_ids=[f"c{i}" for i in range(nc)],
        dwelling_ids=[f"d{i}" for i in range(nd)],
        pair_citizen=pc,
        pair_dwelling=pd,
        pair_weight=weight,
        groups=specs,
        dwelling_groups=groups.tolist(),
    )
    doc = {
        "objective": "max_weight",
        "citizens": [{"id": c} for c in problem.citizen_ids],
        "dwellings": [
            {"id": problem.dwelling_ids[j], "groups": [specs[g].id for g in groups[j]]}
            for j in range(nd)
        ],
        "groups": [{"id": g.id, "max": g.max, "min": g.min, "placed": g.placed} for g in specs],
        "pairs": [
            {"citizen": f"c{c}", "dwelling": f"d{d}", "weight": w}
            for c, d, w in zip(pc.tolist(), pd.tolist(), weight.tolist(), strict=True)
        ],
    }
    return problem, doc


def columns(doc: dict[str, Any]) -> dict[str, Any]:
    """The same problem file with its pairs as three column arrays."""
    pairs = doc["pairs"]
    cols = {k: [p[k] for p in pairs] for k in ("citizen", "dwelling", "weight")}
    return {**doc, "pairs": cols}


def raw_network(problem: PairProblem) -> Any:
    """The engine's network for the problem, built once outside the timings."""
    grp = problem.groups
    dw = laminar_forest(problem.n_dwellings, grp.size, grp.dwelling_member, grp.dwelling_group)
    ct = laminar_forest(problem.n_citizens, grp.size, grp.citizen_member, grp.citizen_group)
    assert dw is not None and ct is not None
    return build_network(problem, "max_weight", dw, ct)


def raw_ortools_once(net: Any) -> tuple[float, float, int]:
    """Raw OR-Tools: create the solver, add the arcs (vectorised), set supplies, solve."""
    from ortools.graph.python import min_cost_flow

    nodes = np.arange(net.n_nodes, dtype=np.int32)
    t0 = time.perf_counter()
    smcf = min_cost_flow.SimpleMinCostFlow()
    smcf.add_arcs_with_capacity_and_unit_cost(net.tails, net.heads, net.capacities, net.costs)
    smcf.set_nodes_supplies(nodes, net.supplies)
    t1 = time.perf_counter()
    status = smcf.solve()
    t2 = time.perf_counter()
    assert status == smcf.OPTIMAL, status
    return t1 - t0, t2 - t1, int(smcf.optimal_cost())


def highs_lp(problem: PairProblem) -> tuple[float, float]:
    from anvis_core.matching.mip import _run, build_model

    t0 = time.perf_counter()
    model = build_model(problem)
    st, _, value, _ = _run(
        model,
        np.arange(problem.n_pairs, dtype=np.int64),
        problem.pair_weight,
        model.row_lower,
        model.row_upper,
        integer=False,
        mip_gap=0.0,
        time_limit=3600.0,
    )
    assert st == "optimal"
    return time.perf_counter() - t0, value


# The whole command with the typed decoder switched off: every file read by the reference reader
# (orjson into dicts and lists, then arrays), as before the typed decoding; for before/after
# figures in the same rounds.
REFERENCE_ONLY = (
    "import sys, anvis_core.matching.pairfile as p; p.read = lambda raw: None; "
    "from anvis_core.cli import main; sys.exit(main())"
)


def compile_sources() -> None:
    """Write the bytecode of the package first, as an installed package has it; otherwise a
    machine with PYTHONDONTWRITEBYTECODE set compiles every module on every run."""
    import compileall

    compileall.compile_dir(str(ROOT / "src" / "anvis_core"), quiet=1)


def process_run(path: Path, out: Path, *, reference: bool = False) -> float:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    command = ["-c", REFERENCE_ONLY] if reference else ["-m", "anvis_core.cli"]
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, *command, "match", str(path), "--out", str(out)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    return elapsed


def ranking_bench(n: int, repeats: int) -> dict[str, float]:
    rng = random.Random(7)
    districts = [f"district{i}" for i in range(12)]
    citizens = [
        Citizen(
            id=f"c{i}",
            priority=round(rng.uniform(0, 100), 2),
            max_rent=rng.randint(3000, 6000),
            household_persons=rng.choice([1, 1, 1, 2, 3]),
            min_rooms=rng.choice([1, 1, 2]),
            needs=frozenset(rng.sample(NEEDS, rng.choice([0, 0, 0, 1]))),
            pets=rng.random() < 0.15,
            barred_until=date(2026, 1, 1) if rng.random() < 0.05 else None,
            excluded_districts=frozenset(rng.sample(districts, rng.choice([0, 0, 1, 2]))),
            excluded_departments=frozenset(
                f"a{rng.randrange(150)}" for _ in range(rng.choice([0, 0, 1]))
            ),
            wished_districts=frozenset(rng.sample(districts, rng.choice([0, 1, 2, 3]))),
            wished_departments=frozenset(
                f"a{rng.randrange(150)}" for _ in range(rng.choice([0, 1, 2]))
            ),
            preferred_floors=frozenset(rng.sample(range(6), rng.choice([0, 2, 3]))),
            age_band=rng.choice(["young", "older", "older"]),
        )
        for i in range(n)
    ]
    t0 = time.perf_counter()
    table = CitizenTable.build(citizens)
    build = time.perf_counter() - t0
    dwellings = [
        Dwelling(
            id=f"d{j}",
            rent=rng.randint(3000, 5200),
            rooms=rng.randint(1, 3),
            district=rng.choice(districts),
            department_id=f"a{j % 150}",
            entrance_id=f"s{j % 600}",
            organisation_id=f"o{j % 20}",
            floor=rng.randint(0, 5),
            features=frozenset(rng.sample(NEEDS, rng.randint(0, 3))),
            pets_allowed=rng.random() < 0.5,
            designated_area=rng.random() < 0.1,
            age_group=rng.choice([None, None, None, "young"]),
            available_since=date(2025, 1, rng.randint(1, 28)),
            daily_rent=rng.uniform(100, 170),
        )
        for j in range(repeats)
    ]
    caps = Caps(
        entrance={f"s{k}": CapState(max=2, placed=rng.randint(0, 2)) for k in range(600)},
        department={f"a{k}": CapState(max=8, placed=rng.randint(0, 6)) for k in range(150)},
    )
    ctx = Context(as_of=date(2025, 3, 1), caps=caps)
    times: list[float] = []
    full: list[float] = []
    eligible: list[int] = []
    for d in dwellings:
        t0 = time.perf_counter()
        r = rank_vacancy(d, table, ctx)
        t1 = time.perf_counter()
        r.candidates()
        r.rejections()
        t2 = time.perf_counter()
        times.append(t1 - t0)
        full.append(t2 - t0)
        eligible.append(r.eligible_count)
    return {
        "table_build": build,
        "rank_median": statistics.median(times),
        "rank_p95": sorted(times)[int(0.95 * len(times))],
        "all_explanations_median": statistics.median(full),
        "eligible_median": statistics.median(eligible),
    }


SIZES = {"citizens": 10_000, "dwellings": 5_000, "pairs_per_citizen": 50, "ranking_vacancies": 200}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--lp-repeats", type=int, default=3)
    ap.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    ap.add_argument("--skip-crossing", action="store_true")
    for name, default in SIZES.items():
        ap.add_argument(f"--{name.replace('_', '-')}", type=int, default=default)
    args = ap.parse_args()
    if args.write and any(getattr(args, name) != default for name, default in SIZES.items()):
        ap.error("--write records the figures of the default sizes only")
    nc, nd, per = args.citizens, args.dwellings, args.pairs_per_citizen
    compile_sources()
    lines: list[str] = []

    def say(s: str = "") -> None:
        print(s, flush=True)
        lines.append(s)

    load = os.getloadavg()
    say(
        f"Measured {date.today().isoformat()} on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load average at start "
        f"{load[0]:.2f}/{load[1]:.2f}/{load[2]:.2f}; medians of {args.repeats} runs "
        f"({args.lp_repeats} for the HiGHS rows). Run: `python bench/matching_bench.py`."
    )
    say()

    problem, doc = instance(nc, nd, per, seed=1, crossing=False)
    say(
        f"### Nested caps: {nc:,} citizens x {nd:,} dwellings, {problem.n_pairs:,} pairs, "
        f"{problem.groups.size:,} groups (entrance < department < organisation)"
    )
    say()
    net = raw_network(problem)
    builds: list[float] = []
    raws: list[float] = []
    engines: list[float] = []
    procs: list[float] = []
    col_procs: list[float] = []
    ref_procs: list[float] = []
    ref_col_procs: list[float] = []
    res = None
    optimal_cost = 0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "problem.json"
        path.write_text(json.dumps(doc))
        size_mb = path.stat().st_size / 1e6
        col_path = Path(tmp) / "problem-columns.json"
        col_path.write_text(json.dumps(columns(doc)))
        col_size_mb = col_path.stat().st_size / 1e6
        out = Path(tmp) / "result.json"
        col_out = Path(tmp) / "result-columns.json"
        # One round = raw, engine, both processes back to back, so each ratio compares runs
        # made under the same load.
        for _ in range(args.repeats):
            b, sv, optimal_cost = raw_ortools_once(net)
            builds.append(b)
            raws.append(b + sv)
            t0 = time.perf_counter()
            res = solve(problem)
            engines.append(time.perf_counter() - t0)
            procs.append(process_run(path, out))
            col_procs.append(process_run(col_path, col_out))
            ref_procs.append(process_run(path, out, reference=True))
            ref_col_procs.append(process_run(col_path, col_out, reference=True))
        proc_res = json.loads(out.read_text())
        col_res = json.loads(col_out.read_text())
    assert res is not None and res.status == "optimal" and res.method == "min_cost_flow"
    # The engine's integer optimum equals the raw network's optimum.
    assert round(res.total_weight * net.scaled.scale) == -optimal_cost
    assert proc_res["total_weight"] == res.total_weight
    # Both layouts of the file give the same result.
    assert {k: v for k, v in col_res.items() if k != "seconds"} == {
        k: v for k, v in proc_res.items() if k != "seconds"
    }
    med = statistics.median
    raw_total = med(raws)
    eng_ratio = med([e / r for e, r in zip(engines, raws, strict=True)])
    proc_ratio = med([p / r for p, r in zip(procs, raws, strict=True)])
    col_ratio = med([p / r for p, r in zip(col_procs, raws, strict=True)])
    ref_ratio = med([p / r for p, r in zip(ref_procs, raws, strict=True)])
    ref_col_ratio = med([p / r for p, r in zip(ref_col_procs, raws, strict=True)])
    say("| measurement | median | ratio |")
    say("|---|---|---|")
    say(
        f"| raw OR-Tools SimpleMinCostFlow build + solve ({net.n_nodes:,} nodes, "
        f"{net.tails.size:,} arcs) | {raw_total:.3f} s (build {med(builds):.3f} s) | 1.00 |"
    )
    say(
        f"| engine `solve` from in-memory arrays (groups check, build, solve, extract, "
        f"verify) | {med(engines):.3f} s | {eng_ratio:.2f} x (target <= 1.5) |"
    )
    say(
        f"| whole `anvis match` process, pairs as objects, {size_mb:.1f} MB JSON in, result "
        f"out | {med(procs):.3f} s | {proc_ratio:.2f} x (target <= 2.5) |"
    )
    say(
        f"| whole `anvis match` process, pairs as columns, {col_size_mb:.1f} MB JSON in, result "
        f"out | {med(col_procs):.3f} s | {col_ratio:.2f} x (target <= 2) |"
    )
    say(
        f"| the same, objects, reference reader only (before the typed decoding) | "
        f"{med(ref_procs):.3f} s | {ref_ratio:.2f} x |"
    )
    say(
        f"| the same, columns, reference reader only (before the typed decoding) | "
        f"{med(ref_col_procs):.3f} s | {ref_col_ratio:.2f} x |"
    )
    say()
    say(
        f"Ratios are medians of the per-round ratios. Result (the same for both layouts): "
        f"{res.count:,} assignments, total weight {res.total_weight:,.2f}, status "
        f"{res.status}. Raw runs: {_fmt(raws)} s; engine runs: {_fmt(engines)} s; process "
        f"runs: {_fmt(procs)} s (objects), {_fmt(col_procs)} s (columns); reference reader "
        f"{_fmt(ref_procs)} s (objects), {_fmt(ref_col_procs)} s (columns)."
    )
    say()

    if not args.skip_crossing:
        cproblem, _ = instance(nc, nd, per, seed=1, crossing=True)
        say(
            f"### One crossing cap family: the same instance plus 12 district caps across "
            f"organisations ({cproblem.groups.size:,} groups)"
        )
        say()
        lp_runs: list[float] = []
        eng_runs: list[float] = []
        lp_value = 0.0
        cres = None
        for _ in range(args.lp_repeats):
            t, lp_value = highs_lp(cproblem)
            lp_runs.append(t)
            t0 = time.perf_counter()
            cres = solve(cproblem, gap=1e-4)
            eng_runs.append(time.perf_counter() - t0)
        assert cres is not None and not cres.laminar
        lp_med = statistics.median(lp_runs)
        eng_c = statistics.median(eng_runs)
        c_ratio = statistics.median([e / r for e, r in zip(eng_runs, lp_runs, strict=True)])
        say("| measurement | median | ratio |")
        say("|---|---|---|")
        say(f"| HiGHS LP relaxation (build + solve) | {lp_med:.2f} s | 1.00 |")
        say(f"| engine `solve` ({cres.method}) | {eng_c:.2f} s | {c_ratio:.2f} x (target <= 1.5) |")
        say()
        say(
            f"Result: {cres.count:,} assignments, total weight {cres.total_weight:,.2f}, "
            f"LP bound {lp_value:,.2f}, proven gap {100 * (cres.gap or 0):.5f} % "
            f"(target <= 0.1 %), status {cres.status}. LP runs: "
            f"{', '.join(f'{t:.2f}' for t in lp_runs)} s; engine runs: "
            f"{', '.join(f'{t:.2f}' for t in eng_runs)} s."
        )
        say()

    nv = args.ranking_vacancies
    rk = ranking_bench(nc, nv)
    say(f"### Ranking one vacancy against {nc:,} waiting citizens (domain form, in memory)")
    say()
    say("| measurement | figure |")
    say("|---|---|")
    say(
        f"| `rank_vacancy` (all rules, scores, order, binding cap), median over {nv:,} vacancies "
        f"| {1000 * rk['rank_median']:.2f} ms (95th percentile "
        f"{1000 * rk['rank_p95']:.2f} ms; target < 5 ms) |"
    )
    say(
        f"| the same plus building every explanation object (all candidates and all "
        f"rejections) | {1000 * rk['all_explanations_median']:.1f} ms |"
    )
    say(
        f"| building the citizen table once ({nc:,} citizens) | {1000 * rk['table_build']:.1f} ms |"
    )
    say(f"| eligible citizens per vacancy (median) | {rk['eligible_median']:.0f} |")

    if args.write:
        write_section("\n".join(lines))
    return 0


def _fmt(xs: list[float]) -> str:
    return ", ".join(f"{x:.3f}" for x in xs)


def write_section(body: str) -> None:
    path = ROOT / "docs" / "benchmarks.md"
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    section = "## Matching\n\n" + body.rstrip() + "\n"
    start = text.find("## Matching\n")
    if start == -1:
        text = text.rstrip() + "\n\n" + section
    else:
        nxt = text.find("\n## ", start + 1)
        text = text[:start] + section + ("" if nxt == -1 else text[nxt:])
    path.write_text(text)


if __name__ == "__main__":
    sys.exit(main())
