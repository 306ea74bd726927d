"""One replication of the discrete-event model.

Everything that does not depend on the policy's decisions (citizen arrivals and their attributes,
exits by other routes, vacancy reports, batch times) is drawn up front, vectorised, from streams
of its own; decisions during the run (offer response times, acceptance) use a third stream. The
event loop merges the pre-drawn stream with a heap of dynamic events (municipal decisions, offer
answers). See docs/simulation.md for the model.
"""

from __future__ import annotations

import dataclasses
import heapq
import math
from collections import deque
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from anvis_core.quotas import TurnState, decide_turn

from .matching import BuiltinPolicy, MatchingPolicy, Pool, VacancyView
from .scenario import DAYS_PER_YEAR, Scenario, SyntheticStockSpec
from .stock import Stock, build_stock

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

# pre-drawn event kinds, in tie-break order at equal times
_ARRIVAL, _REPORT, _EXIT, _BATCH = 0, 1, 2, 3
# dynamic event kinds
_DECIDE, _ANSWER = 0, 1


class TurnSequence:
    """The quota engine's decisions for one share, from a fresh counter, computed once.

    `decide_turn` is a pure function of (state, share), so the k-th eligible vacancy of any
    bucket with this share gets the same decision in every replication; the sequence is extended
    on demand by asking the quota engine again.
    """

    def __init__(self, share: Fraction) -> None:
        self.share = share
        self.states: list[TurnState] = [TurnState()]
        self.municipal: list[bool] = [False]

    def is_municipal(self, k: int) -> bool:
        """Whether the k-th (1-based) eligible vacancy is the municipality's."""
        while len(self.states) <= k:
            decision = decide_turn(self.states[-1], self.share)
            self.states.append(decision.after)
            self.municipal.append(decision.municipal)
        return self.municipal[k]

    def state(self, k: int) -> TurnState:
        self.is_municipal(k)
        return self.states[k]


@dataclass(frozen=True, eq=False)
class CompiledModel:
    """A scenario turned into arrays once; shared (pickled once) by all replications."""

    scenario: Scenario
    stock: Stock
    step_names: tuple[str, ...]
    department_step: IntArray
    bucket_names: tuple[tuple[int, int], ...]
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
        )
        scenario = dataclasses.replace(self.scenario, stock=SyntheticStockSpec())
        return dataclasses.replace(
            self, scenario=scenario, stock=stock, rel=np.arange(len(r), dtype=np.int64)
        )


def compile_model(scenario: Scenario, stock: Stock | None = None) -> CompiledModel:
    stock = stock if stock is not None else build_stock(scenario.stock)
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

    covered_idx = [stock.type_names.index(t) for t in regime.covered_types if t in stock.type_names]
    relevant = np.isin(stock.dwelling_type, covered_idx) & (stock.rent <= regime.rent_ceiling)
    relevant &= stock.turnover_per_year > 0
    rel = np.flatnonzero(relevant).astype(np.int64)
    rate = stock.turnover_per_year[rel] / DAYS_PER_YEAR
    dwelling_org = stock.dwelling_organisation[rel]
    dwelling_step = dep_step[stock.dwelling_department[rel]]
    bucket_of: dict[tuple[int, int], int] = {}
    rel_bucket = np.empty(len(rel), dtype=np.int64)
    for i, key in enumerate(zip(dwelling_org.tolist(), dwelling_step.tolist(), strict=True)):
        rel_bucket[i] = bucket_of.setdefault(key, len(bucket_of))
    bucket_names = tuple(bucket_of)
    bucket_shares = tuple(shares[step] for _, step in bucket_names)
    sequences: dict[Fraction, TurnSequence] = {}
    for share in bucket_shares:
        sequences.setdefault(share, TurnSequence(share))
    # warm the sequences to a little beyond the largest expected count per bucket
    bucket_rate = np.bincount(rel_bucket, weights=rate, minlength=len(bucket_names))
    for b, share in enumerate(bucket_shares):
        mean = float(bucket_rate[b]) * scenario.horizon_days
        sequences[share].is_municipal(int(mean + 6 * math.sqrt(mean) + 10))

    groups = scenario.groups
    default_support = scenario.costs.support_per_year
    return CompiledModel(
        scenario=scenario,
        stock=stock,
        step_names=step_names,
        department_step=dep_step,
        bucket_names=bucket_names,
        bucket_shares=bucket_shares,
        bucket_sequence=tuple(sequences[share] for share in bucket_shares),
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
    )


def replication_streams(seed: int, index: int) -> list[np.random.Generator]:
    """Citizens, vacancies and decisions streams of replication `index` (independent of R)."""
    seq = np.random.SeedSequence(entropy=seed, spawn_key=(index,))
    return [np.random.default_rng(s) for s in seq.spawn(3)]


@dataclass
class _Citizens:
    group: IntArray
    arrival: FloatArray
    max_rent: FloatArray
    rooms: IntArray
    accessible: NDArray[np.bool_]
    exit_time: FloatArray
    n_initial: int


def _draw_citizens(model: CompiledModel, rng: np.random.Generator) -> _Citizens:
    s = model.scenario
    horizon = s.horizon_days
    groups, arrival, max_rent, rooms, acc = [], [], [], [], []
    gindex = {g.name: i for i, g in enumerate(s.groups)}
    if s.initial_citizens is not None:
        for c in s.initial_citizens:
            groups.append(np.array([gindex[c.group]]))
            arrival.append(np.array([-c.waiting_days]))
            max_rent.append(np.array([c.max_rent]))
            rooms.append(np.array([c.rooms_needed]))
            acc.append(np.array([c.needs_accessible]))
    else:
        for gi, g in enumerate(s.groups):
            if g.initial == 0:
                continue
            groups.append(np.full(g.initial, gi))
            arrival.append(-g.initial_waiting_days.sample(rng, g.initial))
            max_rent.append(g.max_rent.sample(rng, g.initial))
            rooms.append(g.rooms_needed.sample(rng, g.initial))
            acc.append(rng.random(g.initial) < g.accessible_probability)
    n_initial = int(sum(len(a) for a in arrival))
    for gi, g in enumerate(s.groups):
        count = int(rng.poisson(model.group_rate_per_day[gi] * horizon))
        groups.append(np.full(count, gi))
        arrival.append(np.sort(rng.uniform(0.0, horizon, count)))
        max_rent.append(g.max_rent.sample(rng, count))
        rooms.append(g.rooms_needed.sample(rng, count))
        acc.append(rng.random(count) < g.accessible_probability)
    group = np.concatenate(groups).astype(np.int64) if groups else np.zeros(0, np.int64)
    arr = np.concatenate(arrival).astype(np.float64)
    exit_rate = model.group_exit_per_day[group]
    delay = np.full(len(group), np.inf)
    positive = exit_rate > 0
    delay[positive] = rng.exponential(1.0 / exit_rate[positive])
    return _Citizens(
        group=group,
        arrival=arr,
        max_rent=np.concatenate(max_rent).astype(np.float64),
        rooms=np.maximum(0, np.rint(np.concatenate(rooms))).astype(np.int64),
        accessible=np.concatenate(acc).astype(np.bool_),
        exit_time=np.maximum(arr, 0.0) + delay,
        n_initial=n_initial,
    )


def _overlap(start: FloatArray, end: FloatArray, lo: float, hi: float) -> FloatArray:
    out: FloatArray = np.clip(np.minimum(end, hi) - np.maximum(start, lo), 0.0, None)
    return out


def _integral_at(entry: FloatArray, leave: FloatArray, edges: FloatArray) -> FloatArray:
    """∫_0^e (number on the list) for each edge e, from entry/leave times (entry ≤ leave)."""

    def sum_min(x: FloatArray) -> FloatArray:
        xs = np.sort(x)
        csum = np.concatenate([[0.0], np.cumsum(xs)])
        k = np.searchsorted(xs, edges, side="left")
        result: FloatArray = csum[k] + (len(xs) - k) * edges
        return result

    return sum_min(leave) - sum_min(entry)


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
    policy = policy if policy is not None else BuiltinPolicy()
    s = model.scenario
    regime, matching = s.regime, s.matching
    stock = model.stock
    horizon, warmup = s.horizon_days, s.warmup_days
    rng_cit, rng_vac, rng_dec = replication_streams(s.seed, index)

    cit = _draw_citizens(model, rng_cit)
    n_cit = len(cit.group)
    key = model.group_points[cit.group] - (matching.points_per_day + 1e-9) * cit.arrival

    # vacancy reports in covered dwellings within the ceiling (the others are never offered)
    total_rate = float(model.rel_cumrate[-1]) if len(model.rel) else 0.0
    n_vac = int(rng_vac.poisson(total_rate * horizon)) if total_rate > 0 else 0
    vac_time = np.sort(rng_vac.uniform(0.0, horizon, n_vac))
    vac_rel = np.minimum(
        np.searchsorted(model.rel_cumrate, rng_vac.uniform(0.0, total_rate, n_vac), side="right"),
        len(model.rel) - 1,
    ).astype(np.int64)
    vac_delay = regime.response_days.sample(rng_vac, n_vac)
    vac_coin = rng_vac.random(n_vac)
    vac_other = rng_vac.random(n_vac)

    # the pre-drawn event stream
    new = np.arange(cit.n_initial, n_cit)
    leaves = np.flatnonzero(cit.exit_time < horizon)
    batch_times = (
        np.arange(matching.batch_days, horizon, matching.batch_days)
        if matching.mode == "batch"
        else np.zeros(0)
    )
    times = np.concatenate([cit.arrival[new], vac_time, cit.exit_time[leaves], batch_times])
    kinds = np.concatenate(
        [
            np.full(len(new), _ARRIVAL),
            np.full(n_vac, _REPORT),
            np.full(len(leaves), _EXIT),
            np.full(len(batch_times), _BATCH),
        ]
    )
    refs = np.concatenate([new, np.arange(n_vac), leaves, np.arange(len(batch_times))])
    order = np.lexsort((kinds, times))
    ev_time: list[float] = times[order].tolist()
    ev_kind: list[int] = kinds[order].tolist()
    ev_ref: list[int] = refs[order].tolist()

    # state
    pool = Pool(max(1, n_cit))
    pos = np.full(n_cit, -1, dtype=np.int64)
    leave_time = np.full(n_cit, np.inf)
    exit_pending = np.zeros(n_cit, dtype=np.bool_)
    housed_time = np.full(n_cit, np.inf)
    c_rent, c_rooms, c_acc = cit.max_rent.tolist(), cit.rooms.tolist(), cit.accessible.tolist()
    c_key = key.tolist()
    n_org, n_dep = len(stock.organisations), len(stock.departments)
    org_eligible = np.zeros(n_org, dtype=np.int64)
    org_municipal = np.zeros(n_org, dtype=np.int64)
    org_placements = np.zeros(n_org, dtype=np.int64)
    dep_placements = np.zeros(n_dep, dtype=np.int64)
    ent_placements = np.zeros(stock.n_entrances, dtype=np.int64)
    placement_group = np.zeros(len(s.groups), dtype=np.int64)
    counts = dict.fromkeys(
        (
            "reported",
            "municipal",
            "other_needs",
            "no_candidate",
            "cap_stairwell",
            "cap_department",
            "offers",
            "declined",
            "placements",
            "exhausted",
            "open_at_end",
        ),
        0,
    )
    void_days = 0.0
    void_rent = 0.0
    bucket_count = [0] * len(model.bucket_names)
    bucket_sequence = model.bucket_sequence
    rel_dwelling = model.rel
    d_rent = stock.rent[rel_dwelling].tolist()
    d_rooms = stock.rooms[rel_dwelling].tolist()
    d_acc = stock.accessible[rel_dwelling].tolist()
    d_dep = stock.dwelling_department[rel_dwelling].tolist()
    d_ent = stock.dwelling_entrance[rel_dwelling].tolist()
    d_org = stock.dwelling_organisation[rel_dwelling].tolist()
    d_bucket = model.rel_bucket.tolist()
    v_rel = vac_rel.tolist()
    v_time = vac_time.tolist()
    v_delay = vac_delay.tolist()
    v_coin = vac_coin.tolist()
    v_other = vac_other.tolist()
    lead = regime.notice_lead_days
    agreement = regime.kind == "agreement"
    access_p = regime.access_probability
    other_p = regime.other_needs_share
    st_cap = regime.stairwell_cap if agreement else None
    dep_cap = regime.department_cap if agreement else None
    window = regime.cap_window_days
    st_hist: dict[int, deque[float]] = {}
    dep_hist: dict[int, deque[float]] = {}
    st_res: dict[int, int] = {}
    dep_res: dict[int, int] = {}
    offers_made: dict[int, int] = {}
    declined_by: dict[int, list[int]] = {}
    pending: list[int] = []
    accept_p = matching.acceptance_probability
    resp = matching.offer_response_days
    move_in = matching.move_in_days
    heap: list[tuple[float, int, int, int, int, int]] = []
    seq = 0
    log: list[dict[str, Any]] = []

    def add_void(v: int, end: float) -> None:
        nonlocal void_days, void_rent
        start = max(v_time[v] + lead, warmup)
        days = min(end, horizon) - start
        if days > 0:
            void_days += days
            void_rent += days * d_rent[v_rel[v]] * 12.0 / DAYS_PER_YEAR

    def cap_level(v: int, t: float, extra_st: int = 0, extra_dep: int = 0) -> int:
        r = v_rel[v]
        if st_cap is not None:
            e = d_ent[r]
            h = st_hist.get(e)
            n = 0
            if h is not None:
                while h and h[0] <= t - window:
                    h.popleft()
                n = len(h)
            if n + st_res.get(e, 0) + extra_st >= st_cap:
                return 1
        if dep_cap is not None:
            d = d_dep[r]
            h = dep_hist.get(d)
            n = 0
            if h is not None:
                while h and h[0] <= t - window:
                    h.popleft()
                n = len(h)
            if n + dep_res.get(d, 0) + extra_dep >= dep_cap:
                return 2
        return 0

    def reserve(v: int, delta: int) -> None:
        r = v_rel[v]
        if st_cap is not None:
            st_res[d_ent[r]] = st_res.get(d_ent[r], 0) + delta
        if dep_cap is not None:
            dep_res[d_dep[r]] = dep_res.get(d_dep[r], 0) + delta

    def view(v: int) -> VacancyView:
        r = v_rel[v]
        return VacancyView(d_rent[r], d_rooms[r], d_acc[r])

    def excluded(v: int) -> list[int]:
        return [int(pos[c]) for c in declined_by.get(v, ()) if pos[c] >= 0]

    def give_back(v: int, t: float, reason: str) -> None:
        counts[reason] += 1
        add_void(v, t)

    def offer(v: int, p: int, t: float) -> None:
        nonlocal seq
        c = int(pool.citizen[p])
        pool.set_busy(p, True)
        reserve(v, 1)
        counts["offers"] += 1
        offers_made[v] = offers_made.get(v, 0) + 1
        wait = resp.sample_one(rng_dec) if not resp.always_zero else 0.0
        accepted = 1 if (accept_p >= 1.0 or rng_dec.random() < accept_p) else 0
        seq += 1
        heapq.heappush(heap, (t + wait, seq, _ANSWER, v, c, accepted))

    def offer_online(v: int, t: float) -> None:
        level = cap_level(v, t)
        if level:
            give_back(v, t, "cap_stairwell" if level == 1 else "cap_department")
            return
        p = policy.choose(pool, view(v), excluded(v))
        if p < 0:
            give_back(v, t, "no_candidate")
            return
        offer(v, p, t)

    def remove_citizen(c: int, t: float) -> None:
        p = int(pos[c])
        moved = pool.remove(p)
        if moved >= 0:
            pos[moved] = p
        pos[c] = -1
        if not exit_pending[c]:
            leave_time[c] = t

    def run_batch(t: float) -> None:
        nonlocal pending
        todo, pending = sorted(pending), []
        keep: list[int] = []
        extra_st: dict[int, int] = {}
        extra_dep: dict[int, int] = {}
        for v in todo:
            r = v_rel[v]
            level = cap_level(v, t, extra_st.get(d_ent[r], 0), extra_dep.get(d_dep[r], 0))
            if level:
                give_back(v, t, "cap_stairwell" if level == 1 else "cap_department")
                continue
            extra_st[d_ent[r]] = extra_st.get(d_ent[r], 0) + 1
            extra_dep[d_dep[r]] = extra_dep.get(d_dep[r], 0) + 1
            keep.append(v)
        pairs = policy.assign(pool, [view(v) for v in keep], [excluded(v) for v in keep])
        matched = set()
        for row, p in pairs:
            matched.add(row)
            offer(keep[row], p, t)
        for row, v in enumerate(keep):
            if row not in matched:
                give_back(v, t, "no_candidate")

    # the initial waiting list
    for c in range(cit.n_initial):
        pos[c] = pool.add(c, c_rent[c], c_rooms[c], c_acc[c], c_key[c])

    n_ev = len(ev_time)
    i = 0
    batch_mode = matching.mode == "batch"
    while True:
        ts = ev_time[i] if i < n_ev else math.inf
        td = heap[0][0] if heap else math.inf
        if ts <= td:
            if ts > horizon:
                break
            t, kind, ref = ts, ev_kind[i], ev_ref[i]
            i += 1
            if kind == _ARRIVAL:
                pos[ref] = pool.add(ref, c_rent[ref], c_rooms[ref], c_acc[ref], c_key[ref])
            elif kind == _REPORT:
                v = ref
                r = v_rel[v]
                counts["reported"] += 1
                org_eligible[d_org[r]] += 1
                if agreement:
                    b = d_bucket[r]
                    bucket_count[b] += 1
                    municipal = bucket_sequence[b].is_municipal(bucket_count[b])
                else:
                    municipal = v_coin[v] < access_p
                if not municipal:
                    continue
                counts["municipal"] += 1
                org_municipal[d_org[r]] += 1
                if other_p > 0 and v_other[v] < other_p:
                    counts["other_needs"] += 1
                    continue
                seq += 1
                heapq.heappush(heap, (t + v_delay[v], seq, _DECIDE, v, 0, 0))
            elif kind == _EXIT:
                if pos[ref] >= 0 and not pool.busy[pos[ref]]:
                    remove_citizen(ref, t)
                elif pos[ref] >= 0:
                    # left by another route while an offer was out: off the list from now,
                    # removed from the pool when the offer is answered
                    leave_time[ref] = t
                    exit_pending[ref] = True
            else:
                if pending:
                    run_batch(t)
        else:
            if td > horizon:
                break
            t, _, kind, v, c, accepted = heapq.heappop(heap)
            if kind == _DECIDE:
                if batch_mode:
                    pending.append(v)
                else:
                    offer_online(v, t)
                continue
            reserve(v, -1)
            p = int(pos[c])
            pool.set_busy(p, False)
            gone = bool(exit_pending[c])
            if accepted and not gone:
                r = v_rel[v]
                remove_citizen(c, t)
                housed_time[c] = t
                counts["placements"] += 1
                org_placements[d_org[r]] += 1
                dep_placements[d_dep[r]] += 1
                ent_placements[d_ent[r]] += 1
                placement_group[cit.group[c]] += 1
                if st_cap is not None:
                    st_hist.setdefault(d_ent[r], deque()).append(t)
                if dep_cap is not None:
                    dep_hist.setdefault(d_dep[r], deque()).append(t)
                add_void(v, max(t + move_in, v_time[v] + lead))
                if record:
                    log.append(
                        {
                            "time": t,
                            "vacancy": v,
                            "reported": v_time[v],
                            "dwelling": int(rel_dwelling[r]),
                            "entrance": d_ent[r],
                            "department": d_dep[r],
                            "organisation": d_org[r],
                            "rent": d_rent[r],
                            "rooms": d_rooms[r],
                            "accessible": d_acc[r],
                            "citizen": c,
                            "group": int(cit.group[c]),
                            "arrival": float(cit.arrival[c]),
                            "max_rent": c_rent[c],
                            "rooms_needed": c_rooms[c],
                            "needs_accessible": c_acc[c],
                        }
                    )
                continue
            if gone:
                remove_citizen(c, t)
            else:
                counts["declined"] += 1
                declined_by.setdefault(v, []).append(c)
            if offers_made[v] >= matching.max_offers:
                give_back(v, t, "exhausted")
            elif batch_mode:
                pending.append(v)
            else:
                offer_online(v, t)

    # vacancies still held by the municipality at the horizon accrue void rent until then
    for entry in heap:
        add_void(entry[3], horizon)
    counts["open_at_end"] = len(heap) + len(pending)
    for v in pending:
        add_void(v, horizon)

    summary = _summarise(
        model,
        cit,
        leave_time,
        housed_time,
        counts,
        org_eligible,
        org_municipal,
        org_placements,
        dep_placements,
        ent_placements,
        placement_group,
        [seq.state(k) for seq, k in zip(bucket_sequence, bucket_count, strict=True)],
        void_days,
        void_rent,
    )
    if record:
        summary["placement_log"] = log
    return summary


def _group_waits(waits: FloatArray) -> dict[str, float]:
    if len(waits) == 0:
        return {"mean": math.nan, "median": math.nan, "p90": math.nan, "count": 0.0}
    return {
        "mean": float(waits.mean()),
        "median": float(np.median(waits)),
        "p90": float(np.quantile(waits, 0.9)),
        "count": float(len(waits)),
    }


def _summarise(
    model: CompiledModel,
    cit: _Citizens,
    leave_time: FloatArray,
    housed_time: FloatArray,
    counts: dict[str, int],
    org_eligible: IntArray,
    org_municipal: IntArray,
    org_placements: IntArray,
    dep_placements: IntArray,
    ent_placements: IntArray,
    placement_group: IntArray,
    turn_states: list[TurnState],
    void_days: float,
    void_rent: float,
) -> dict[str, Any]:
    s = model.scenario
    horizon, warmup = s.horizon_days, s.warmup_days
    span = horizon - warmup
    leave = leave_time
    entry = np.maximum(cit.arrival, 0.0)
    left = leave <= horizon
    housed = np.isfinite(housed_time)
    in_window = entry >= warmup
    leave_h = np.minimum(leave, horizon)

    on_list = _overlap(entry, leave_h, warmup, horizon)
    mean_waiting = float(on_list.sum() / span)
    newcomers = cit.arrival[cit.n_initial :]
    arrivals_window = int(((newcomers >= warmup) & (newcomers < horizon)).sum())
    if warmup == 0:
        arrivals_window += cit.n_initial
    lam = arrivals_window / span
    time_on_list = (leave - entry)[in_window & left]
    mean_time_on_list = float(time_on_list.mean()) if len(time_on_list) else math.nan

    waits_all = (housed_time - cit.arrival)[housed & in_window]
    groups: dict[str, dict[str, float]] = {"all": _group_waits(waits_all)}
    for gi, g in enumerate(s.groups):
        sel = housed & in_window & (cit.group == gi)
        groups[g.name] = _group_waits((housed_time - cit.arrival)[sel])

    homeless = model.group_homeless[cit.group]
    edges = np.arange(0.0, horizon, s.series_interval_days)
    edges = np.append(edges, horizon)
    integral = _integral_at(entry[homeless], leave_h[homeless], edges)
    series = np.diff(integral) / np.diff(edges)

    shelter_days = float((on_list * model.group_shelter[cit.group]).sum())
    support_years = s.costs.support_years * DAYS_PER_YEAR
    support_days = _overlap(housed_time, housed_time + support_years, warmup, horizon)
    support_days = np.where(housed, support_days, 0.0)
    support_cost = float((support_days * model.group_support_per_day[cit.group]).sum())

    initial = np.arange(cit.n_initial)
    init_leave = np.sort(leave[initial])
    n_init = len(initial)

    def initial_quantile(q: float) -> float:
        if n_init == 0:
            return math.nan
        k = max(0, math.ceil(q * n_init) - 1)
        value = float(init_leave[k])
        return value if value <= horizon else math.nan

    expected = np.zeros(len(model.stock.organisations))
    for (org, _), state in zip(model.bucket_names, turn_states, strict=True):
        expected[org] += float(state.expected)

    homeless_end = int((homeless & ~left).sum())
    return {
        "queue": {
            "mean_number_waiting": mean_waiting,
            "arrival_rate_per_day": lam,
            "mean_time_on_list_days": mean_time_on_list,
            "arrival_rate_times_time_on_list": lam * mean_time_on_list,
            "littles_law_gap": mean_waiting - lam * mean_time_on_list,
        },
        "waits": groups,
        "homeless_series": series.tolist(),
        "series_edges": edges.tolist(),
        "homeless_at_end": float(homeless_end),
        "still_waiting_at_end": float((~left).sum()),
        "housed": float(housed.sum()),
        "housed_in_window": float((housed & (housed_time >= warmup)).sum()),
        "exited_other_routes": float((left & ~housed & (leave >= warmup)).sum()),
        "placements_by_group": placement_group.astype(float).tolist(),
        "shelter_days": shelter_days,
        "shelter_cost": shelter_days * s.costs.shelter_place_per_year / DAYS_PER_YEAR,
        "support_cost": support_cost,
        "void_days": void_days,
        "void_rent": void_rent,
        "counts": {k: float(v) for k, v in counts.items()},
        "org_eligible": org_eligible.astype(float).tolist(),
        "org_municipal": org_municipal.astype(float).tolist(),
        "org_expected": expected.tolist(),
        "org_placements": org_placements.astype(float).tolist(),
        "dep_placements": dep_placements.astype(float).tolist(),
        "entrance_summary": {
            "entrances_with_placements": float((ent_placements > 0).sum()),
            "max_per_entrance": float(ent_placements.max()) if len(ent_placements) else 0.0,
            "mean_per_entrance_with_placements": float(ent_placements[ent_placements > 0].mean())
            if (ent_placements > 0).any()
            else 0.0,
        },
        "initial": {
            "count": float(n_init),
            "days_until_half_left": initial_quantile(0.5),
            "days_until_90pct_left": initial_quantile(0.9),
            "days_until_all_left": initial_quantile(1.0),
            "share_housed": float(housed[initial].mean()) if n_init else math.nan,
            "share_left_other_routes": float((left[initial] & ~housed[initial]).mean())
            if n_init
            else math.nan,
        },
    }
