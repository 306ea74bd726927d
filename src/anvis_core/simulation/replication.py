"""One replication of the discrete-event model, as a class with named steps.

Everything that does not depend on the policy's decisions (citizen arrivals and their attributes,
exits by other routes, vacancy reports, batch times) is drawn up front, vectorised, from streams
of its own (:meth:`Replication.draw_vacancies`, :func:`.citizens.draw_citizens`); decisions during
the run (offer response times, acceptance) use a third stream. The event loop
(:meth:`Replication.play`) merges the pre-drawn stream with a heap of dynamic events (municipal
decisions, offer answers) and hands each event to its step: :meth:`~Replication.arrive`,
:meth:`~Replication.report`, :meth:`~Replication.exit`, :meth:`~Replication.batch`,
:meth:`~Replication.decide`, :meth:`~Replication.answer`. See docs/simulation.md for the model.
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from anvis_core.quotas import Outcome, TurnDecision, judge_turn

from .citizens import Citizens, draw_citizens, padded
from .matching import LATEST, BuiltinPolicy, MatchingPolicy, Pool, VacancyView
from .scenario import DAYS_PER_YEAR

if TYPE_CHECKING:
    from .engine import CompiledModel

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

# pre-drawn event kinds, in tie-break order at equal times
ARRIVAL, REPORT, EXIT, BATCH = 0, 1, 2, 3
# dynamic event kinds
DECIDE, ANSWER, LEAVE, BREAKDOWN = 0, 1, 2, 3

COUNTS = (
    "reported",
    "municipal",
    "other_needs",
    "no_candidate",
    "cap_stairwell",
    "cap_department",
    "closed",
    "blocked",
    "offers",
    "declined",
    "placements",
    "exhausted",
    "open_at_end",
    "breakdowns",
    "returns",
)


def policy_for(model: CompiledModel) -> MatchingPolicy:
    """The scenario's matching policy: the production rules, or the built-in baseline."""
    if model.scenario.matching.policy == "production":
        from .production import ProductionPolicy

        return ProductionPolicy(model.scenario, model.stock.departments)
    return BuiltinPolicy()


def replication_streams(seed: int, index: int) -> list[np.random.Generator]:
    """Citizens, vacancies and decisions streams of replication `index` (independent of R)."""
    seq = np.random.SeedSequence(entropy=seed, spawn_key=(index,))
    return [np.random.default_rng(s) for s in seq.spawn(3)]


def tenancy_stream(seed: int, index: int) -> np.random.Generator:
    """The fourth stream of replication `index`: support methods, breakdowns, returns. A stream
    of its own, so a scenario without breakdowns draws exactly what it drew before."""
    return np.random.default_rng(np.random.SeedSequence(entropy=seed, spawn_key=(index, 3)))


@dataclass
class Vacancies:
    """The pre-drawn vacancy reports: time, reportable dwelling (index into `model.rel`), the
    municipality's response delay and two coins (ad hoc access, other needs)."""

    time: list[float]
    rel: list[int]
    delay: list[float]
    coin: list[float]
    other: list[float]


class Replication:
    """The state of one replication and the steps that change it.

    Build it, call :meth:`run` once; the result is the plain summary of `summary.summarise`.
    """

    def __init__(
        self,
        model: CompiledModel,
        index: int,
        policy: MatchingPolicy | None = None,
        *,
        record: bool = False,
    ) -> None:
        self.model = model
        self.policy = policy if policy is not None else policy_for(model)
        self.gated = hasattr(self.policy, "admit")
        self.record = record
        s = self.scenario = model.scenario
        self.horizon, self.warmup = s.horizon_days, s.warmup_days
        self.rng_cit, self.rng_vac, self.rng_dec = replication_streams(s.seed, index)
        self.rng_ten = tenancy_stream(s.seed, index)
        self.cit = draw_citizens(model, self.rng_cit)
        self.vac = self.draw_vacancies()
        self.n_spells = len(self.cit.group)
        self.n_drawn_vacancies = len(self.vac.time)
        self._add_open_vacancies()
        if s.tenancy.breakdowns:
            # a return to the list is a new spell; there are at most as many as placements
            self.cit = padded(self.cit, len(self.vac.time))
        self._init_citizen_state()
        self._init_dwelling_state()
        self._init_rules()
        self.decide_turns()

    # ------------------------------------------------------------------ set-up

    def draw_vacancies(self) -> Vacancies:
        """Vacancy reports in covered dwellings within the ceiling (the others are never
        offered): a thinned Poisson process over the reportable dwellings."""
        model, rng = self.model, self.rng_vac
        total_rate = float(model.rel_cumrate[-1]) if len(model.rel) else 0.0
        n_vac = int(rng.poisson(total_rate * self.horizon)) if total_rate > 0 else 0
        vac_time = np.sort(rng.uniform(0.0, self.horizon, n_vac))
        vac_rel = np.minimum(
            np.searchsorted(model.rel_cumrate, rng.uniform(0.0, total_rate, n_vac), side="right"),
            len(model.rel) - 1,
        ).astype(np.int64)
        delay = self.scenario.regime.response_days.sample(rng, n_vac)
        coin = rng.random(n_vac)
        other = rng.random(n_vac)
        return Vacancies(
            vac_time.tolist(), vac_rel.tolist(), delay.tolist(), coin.tolist(), other.tolist()
        )

    def _add_open_vacancies(self) -> None:
        """The vacancies the municipality holds at the start join the list of vacancies after
        the drawn ones (they were reported before the start and have had their turn)."""
        for r in self.model.open_rel.tolist():
            self.vac.time.append(0.0)
            self.vac.rel.append(int(r))
            self.vac.delay.append(0.0)
            self.vac.coin.append(0.0)
            self.vac.other.append(1.0)

    def _seed_caps(self) -> None:
        """Placements before the start count against the caps while in the rolling window."""
        m = self.model
        for e, d, t in zip(
            m.recent_entrance.tolist(),
            m.recent_department.tolist(),
            m.recent_time.tolist(),
            strict=True,
        ):
            if self.st_cap is not None:
                self.st_hist.setdefault(e, deque()).append(t)
            if self.dep_cap is not None:
                self.dep_hist.setdefault(d, deque()).append(t)

    def event_stream(self) -> tuple[list[float], list[int], list[int]]:
        """The pre-drawn events (arrivals, reports, exits, batch times) in time order."""
        cit, m, horizon = self.cit, self.scenario.matching, self.horizon
        decided = self.decided
        new = np.arange(cit.n_initial, self.n_spells)
        leaves = np.flatnonzero(cit.exit_time[: self.n_spells] < horizon)
        batch_times = (
            np.arange(m.batch_days, horizon, m.batch_days) if m.mode == "batch" else np.zeros(0)
        )
        times = np.concatenate(
            [
                cit.arrival[new],
                np.asarray(self.vac.time)[decided],
                cit.exit_time[leaves],
                batch_times,
            ]
        )
        kinds = np.concatenate(
            [
                np.full(len(new), ARRIVAL),
                np.full(len(decided), REPORT),
                np.full(len(leaves), EXIT),
                np.full(len(batch_times), BATCH),
            ]
        )
        refs = np.concatenate([new, decided, leaves, np.arange(len(batch_times))])
        order = np.lexsort((kinds, times))
        return times[order].tolist(), kinds[order].tolist(), refs[order].tolist()

    def _init_citizen_state(self) -> None:
        cit, m = self.cit, self.scenario.matching
        n_cit = len(cit.group)
        points = np.where(np.isnan(cit.points), self.model.group_points[cit.group], cit.points)
        key = points - (m.points_per_day + 1e-9) * cit.arrival
        as_of = self.scenario.as_of
        self.pool = Pool(max(1, n_cit), cit.households, LATEST if as_of is None else as_of)
        # per citizen (spell), as lists while the run lasts (:meth:`finish` makes the arrays)
        self.pos = [-1] * n_cit
        self.left = [math.inf] * n_cit
        self.leaving = [False] * n_cit
        self.housed = [math.inf] * n_cit
        self.method_of = [-1] * n_cit
        self.ended = [math.inf] * n_cit
        self.came_from = [-1] * n_cit
        self.c_group = cit.group.tolist()
        self.c_rent = cit.max_rent.tolist()
        self.c_rooms = cit.rooms.tolist()
        self.c_needs = cit.needs.tolist()
        self.c_household = cit.household.tolist()
        self.c_key = key.tolist()
        self.by_group = [0] * len(self.scenario.groups)

    def _init_dwelling_state(self) -> None:
        model, stock = self.model, self.model.stock
        n_org, n_dep = len(stock.organisations), len(stock.departments)
        self.org_el = [0] * n_org
        self.org_mun = [0] * n_org
        self.org_bl = [0] * n_org
        self.org_pl = [0] * n_org
        self.dep_pl = [0] * n_dep
        self.ent_pl = [0] * stock.n_entrances
        self.counts = dict.fromkeys(COUNTS, 0)
        self.void_days = 0.0
        self.void_rent = 0.0
        self.void_rent_by_year = np.zeros(max(1, math.ceil(self.horizon / DAYS_PER_YEAR)))
        self.bucket_count = [0] * len(model.bucket_names)
        rel = model.rel
        self.d_rent = stock.rent[rel].tolist()
        self.d_aconto = stock.aconto[rel].tolist()
        self.d_rooms = stock.rooms[rel].tolist()
        self.d_acc = stock.accessible[rel].tolist()
        self.d_features = stock.features[rel].tolist()
        area = stock.area[rel]
        self.d_area = np.where(np.isfinite(area), np.rint(area), 0).astype(np.int64).tolist()
        self.d_dep = stock.dwelling_department[rel].tolist()
        self.d_ent = stock.dwelling_entrance[rel].tolist()
        self.d_org = stock.dwelling_organisation[rel].tolist()
        self.d_bucket = model.rel_bucket.tolist()

    def _init_rules(self) -> None:
        regime, m = self.scenario.regime, self.scenario.matching
        self.lead = regime.notice_lead_days
        self.agreement = regime.kind == "agreement"
        self.st_cap = regime.stairwell_cap if self.agreement else None
        self.dep_cap = regime.department_cap if self.agreement else None
        self.window = regime.cap_window_days
        self.capped = self.st_cap is not None or self.dep_cap is not None
        # departments closed by composition monitoring: nobody is placed there by either
        # policy (the production policy's gate finds them itself)
        closed = set(regime.closed_departments)
        self.closed = frozenset(
            j for j, name in enumerate(self.model.stock.departments) if name in closed
        )
        # whether a reported vacancy can be blocked (a closed department, a reached cap): then
        # each report is judged when it comes (`report_judged`), else all turns up front
        self.judged = self.agreement and (self.capped or bool(self.closed))
        self.judge_unusable = getattr(self.policy, "unusable", None)
        self.outcome: list[Outcome | None] = []
        self.st_hist: dict[int, deque[float]] = {}
        self.dep_hist: dict[int, deque[float]] = {}
        self.st_res: dict[int, int] = {}
        self.dep_res: dict[int, int] = {}
        self.offers_made: dict[int, int] = {}
        self.declined_by: dict[int, list[int]] = {}
        self.pending: list[int] = []
        self.accept_p = m.acceptance_probability
        self.resp = m.offer_response_days
        # the wait for an answer when it is not drawn (a fixed response time), else None
        self.resp_fixed: float | None = (
            0.0 if self.resp.always_zero else self.resp.a if self.resp.kind == "fixed" else None
        )
        self.views: dict[int, VacancyView] = {}
        self.method_rate: list[float] = self.model.method_breakdown_per_day.tolist()
        self.batch_mode = m.mode == "batch"
        self.heap: list[tuple[float, int, int, int, int, int]] = []
        self.seq = 0
        self.log: list[dict[str, Any]] = []

    def decide_turns(self) -> None:
        """Whose turn each drawn vacancy is, for all of them at once: the quota engine's turns
        depend only on the order in which a bucket's vacancies are reported, never on the
        matching (ad hoc: chance, from each vacancy's own coin); a municipal turn may go to
        another social need. Leaves the report counts and `decided`, the vacancies the
        municipality will decide on, in report order. When a report can be blocked
        (:attr:`judged`) every drawn vacancy is judged on its report day instead."""
        n = self.n_drawn_vacancies
        if self.judged:
            self.counts["reported"] = n
            self.outcome = [None] * n
            self.decided = np.arange(n, dtype=np.int64)
            return
        rel = np.asarray(self.vac.rel[:n], dtype=np.int64)
        regime = self.scenario.regime
        by_chance = np.asarray(self.vac.coin[:n]) < regime.access_probability
        municipal = self._quota_turns(rel) if self.agreement else by_chance
        other = np.zeros(n, dtype=np.bool_)
        if regime.other_needs_share > 0:
            other = municipal & (np.asarray(self.vac.other[:n]) < regime.other_needs_share)
        org = np.asarray(self.d_org, dtype=np.int64)[rel]
        n_org = len(self.org_el)
        self.org_el = np.bincount(org, minlength=n_org).tolist()
        self.org_mun = np.bincount(org[municipal], minlength=n_org).tolist()
        self.counts["reported"] = n
        self.counts["municipal"] = int(municipal.sum())
        self.counts["other_needs"] = int(other.sum())
        self.decided = np.flatnonzero(municipal & ~other)

    def _quota_turns(self, rel: IntArray) -> NDArray[np.bool_]:
        """The k-th reported vacancy of a bucket gets its sequence's k-th decision."""
        model = self.model
        bucket = model.rel_bucket[rel]
        order = np.argsort(bucket, kind="stable")
        in_order = bucket[order]
        ordinal = np.empty(len(bucket), dtype=np.int64)
        ordinal[order] = np.arange(len(bucket)) - np.searchsorted(in_order, in_order) + 1
        count = np.bincount(bucket, minlength=len(model.bucket_names))
        self.bucket_count = count.tolist()
        sequences = model.bucket_sequence
        which: dict[int, int] = {}
        seq_of_bucket = np.array([which.setdefault(id(q), len(which)) for q in sequences])
        for b in np.flatnonzero(count).tolist():
            sequences[b].is_municipal(int(count[b]))
        municipal = np.zeros(len(bucket), dtype=np.bool_)
        for q in {id(q): q for q in sequences}.values():
            mine = seq_of_bucket[bucket] == which[id(q)]
            municipal[mine] = np.asarray(q.municipal, dtype=np.bool_)[ordinal[mine]]
        return municipal

    # ------------------------------------------------------------------ the loop

    def run(self) -> dict[str, Any]:
        """Play the replication to the horizon and return its summary."""
        from .summary import summarise

        ev_time, ev_kind, ev_ref = self.event_stream()
        self._seed_caps()
        for v in range(self.n_drawn_vacancies, len(self.vac.time)):
            self.push(0.0, DECIDE, v, 0, 0)
        for c in range(self.cit.n_initial):
            self.pos[c] = self.pool.add(
                c,
                self.c_rent[c],
                self.c_rooms[c],
                self.c_needs[c],
                self.c_key[c],
                self.c_household[c],
            )
        self.play(ev_time, ev_kind, ev_ref)
        self.close_open_vacancies()
        self.finish()
        summary = summarise(self)
        if self.record:
            summary["placement_log"] = self.log
        return summary

    def play(self, ev_time: list[float], ev_kind: list[int], ev_ref: list[int]) -> None:
        """Merge the pre-drawn events (in time order) with the heap of dynamic ones, a pre-drawn
        event first at equal times, and hand each to its step until the horizon."""
        heap, horizon, inf = self.heap, self.horizon, math.inf
        steps = (
            self.arrive,
            self.report_judged if self.judged else self.report,
            self.exit,
            self.batch,
        )
        # arrivals, the most frequent event, are added to the pool here without a call
        add, pos = self.pool.add, self.pos
        rent, rooms, acc, key = self.c_rent, self.c_rooms, self.c_needs, self.c_key
        household = self.c_household
        ev_time = [*ev_time, inf]  # the end, after every pre-drawn event
        i = 0
        while True:
            td = heap[0][0] if heap else inf
            ts = ev_time[i]
            if ts <= td:
                if ts > horizon:
                    break
                # pre-drawn events up to the next dynamic one (only reports and batches push
                # dynamic events, so only they make the next one earlier)
                while True:
                    kind, c = ev_kind[i], ev_ref[i]
                    if kind == ARRIVAL:
                        pos[c] = add(c, rent[c], rooms[c], acc[c], key[c], household[c])
                    else:
                        steps[kind](c, ts)
                        if kind != EXIT:
                            td = heap[0][0] if heap else inf
                    i += 1
                    ts = ev_time[i]
                    if ts > td or ts > horizon:
                        break
                continue
            if td > horizon:
                break
            t, _, kind, v, c, accepted = heapq.heappop(heap)
            if kind == DECIDE:
                self.decide(v, t)
            elif kind == ANSWER:
                self.answer(v, c, accepted, t)
            elif kind == LEAVE:
                self.exit(c, t)
            else:
                self.breakdown(c, t)

    # ------------------------------------------------------------------ pre-drawn events

    def arrive(self, c: int, t: float) -> None:
        self.pos[c] = self.pool.add(
            c, self.c_rent[c], self.c_rooms[c], self.c_needs[c], self.c_key[c], self.c_household[c]
        )

    def report(self, v: int, t: float) -> None:
        """A vacancy the municipality will decide on is reported (:meth:`decide_turns`
        chose them): it decides after its response time."""
        self.push(t + self.vac.delay[v], DECIDE, v, 0, 0)

    def report_judged(self, v: int, t: float) -> None:
        """A vacancy is reported where a department may be closed or a cap reached: judged on
        its report day by the turn engine's own judgement (`judge_turn`), as the vacancy report
        does live. Blocked, it takes no turn (the bucket's counter does not move) and is counted
        on its own; otherwise the bucket's next decision makes it a municipal turn, which the
        municipality decides on after its response time (or uses for another need)."""
        r = self.vac.rel[v]
        org = self.d_org[r]
        judgement = judge_turn(
            eligible=True, unusable=self.unusable(v, t), take_turn=lambda: self.take_turn(r)
        )
        self.outcome[v] = judgement.outcome
        if judgement.outcome is Outcome.BLOCKED:
            self.counts["blocked"] += 1
            self.org_bl[org] += 1
            return
        self.org_el[org] += 1
        if not judgement.municipal:
            return
        self.counts["municipal"] += 1
        self.org_mun[org] += 1
        if self.vac.other[v] < self.scenario.regime.other_needs_share:
            self.counts["other_needs"] += 1
            return
        self.push(t + self.vac.delay[v], DECIDE, v, 0, 0)

    def take_turn(self, r: int) -> TurnDecision:
        """The next decision of the reportable dwelling `r`'s bucket (its counter moves)."""
        b: int = self.d_bucket[r]
        k = self.bucket_count[b] = self.bucket_count[b] + 1
        decision: TurnDecision = self.model.bucket_sequence[b].decision(k)
        return decision

    def unusable(self, v: int, t: float) -> bool:
        """Whether the municipality cannot use the vacancy at `t` at all: the production
        policy asks the gate (`unusable_findings`, as the vacancy report does); the baseline
        checks the closed departments and the caps in its scalar form."""
        judge = self.judge_unusable
        if judge is not None:
            return bool(judge(self.full_view(v, t)))
        if self.d_dep[self.vac.rel[v]] in self.closed:
            return True
        return self.capped and self.cap_level(v, t) > 0

    def exit(self, c: int, t: float) -> None:
        """The citizen leaves homelessness by another route."""
        p = self.pos[c]
        if p >= 0 and not self.pool.is_busy[p]:
            self.remove_citizen(c, t)
        elif p >= 0:
            # left by another route while an offer was out: off the list from now,
            # removed from the pool when the offer is answered
            self.left[c] = t
            self.leaving[c] = True

    def batch(self, ref: int, t: float) -> None:
        if self.pending:
            self.run_batch(t)

    # ------------------------------------------------------------------ dynamic events

    def push(self, t: float, kind: int, v: int, c: int, accepted: int) -> None:
        self.seq += 1
        heapq.heappush(self.heap, (t, self.seq, kind, v, c, accepted))

    def decide(self, v: int, t: float) -> None:
        """The municipality has decided to use the vacancy: offer it now or in the next batch."""
        if self.batch_mode:
            self.pending.append(v)
        else:
            self.offer_online(v, t)

    def answer(self, v: int, c: int, accepted: int, t: float) -> None:
        """The citizen answers an offer: a placement, or the vacancy goes on (or lapses)."""
        self.reserve(v, -1)
        p = self.pos[c]
        self.pool.set_busy(p, False)
        gone = self.leaving[c]
        if accepted and not gone:
            self.place(v, c, t)
            return
        if gone:
            self.remove_citizen(c, t)
        else:
            self.counts["declined"] += 1
            self.declined_by.setdefault(v, []).append(c)
        if self.offers_made[v] >= self.scenario.matching.max_offers:
            self.give_back(v, t, "exhausted")
        elif self.batch_mode:
            self.pending.append(v)
        else:
            self.offer_online(v, t)

    def place(self, v: int, c: int, t: float) -> None:
        r = self.vac.rel[v]
        self.remove_citizen(c, t)
        self.housed[c] = t
        self.counts["placements"] += 1
        self.org_pl[self.d_org[r]] += 1
        self.dep_pl[self.d_dep[r]] += 1
        self.ent_pl[self.d_ent[r]] += 1
        self.by_group[self.c_group[c]] += 1
        if self.st_cap is not None:
            self.st_hist.setdefault(self.d_ent[r], deque()).append(t)
        if self.dep_cap is not None:
            self.dep_hist.setdefault(self.d_dep[r], deque()).append(t)
        self.add_void(v, max(t + self.scenario.matching.move_in_days, self.vac.time[v] + self.lead))
        self.start_tenancy(c, t)
        if self.record:
            self.log.append(self.placement_record(v, c, t))

    def placement_record(self, v: int, c: int, t: float) -> dict[str, Any]:
        r = self.vac.rel[v]
        return {
            "time": t,
            "vacancy": v,
            "reported": self.vac.time[v],
            "dwelling": int(self.model.rel[r]),
            "entrance": self.d_ent[r],
            "department": self.d_dep[r],
            "organisation": self.d_org[r],
            "rent": self.d_rent[r],
            "rooms": self.d_rooms[r],
            "accessible": self.d_acc[r],
            "citizen": c,
            "group": int(self.cit.group[c]),
            "arrival": float(self.cit.arrival[c]),
            "max_rent": self.c_rent[c],
            "rooms_needed": self.c_rooms[c],
            "needs_accessible": bool(self.c_needs[c]),
        }

    def start_tenancy(self, c: int, t: float) -> None:
        """Draw the support method and, if the method's tenancies break down, when."""
        model, rng = self.model, self.rng_ten
        cum = model.method_cumshare
        m = (
            0
            if len(cum) == 1
            else min(int(np.searchsorted(cum, rng.random(), side="right")), len(cum) - 1)
        )
        self.method_of[c] = m
        rate = self.method_rate[m]
        if rate > 0:
            end = t + float(rng.exponential(1.0 / rate))
            if end <= self.horizon:
                self.push(end, BREAKDOWN, -1, c, 0)

    def breakdown(self, c: int, t: float) -> None:
        """The tenancy ends in a loss; the citizen may come back to the waiting list (a new
        spell, from today, with the same needs and group)."""
        self.ended[c] = t
        self.counts["breakdowns"] += 1
        rng = self.rng_ten
        if rng.random() >= self.scenario.tenancy.return_share:
            return
        cit, s = self.cit, self.n_spells
        self.n_spells = s + 1
        self.counts["returns"] += 1
        g = self.c_group[c]
        self.c_group[s] = g
        cit.group[s], cit.arrival[s] = g, t
        cit.max_rent[s], cit.rooms[s], cit.needs[s] = cit.max_rent[c], cit.rooms[c], cit.needs[c]
        cit.household[s], cit.points[s] = cit.household[c], cit.points[c]
        self.c_household[s] = self.c_household[c]
        self.came_from[s] = c
        own = float(cit.points[c])
        points = float(self.model.group_points[g]) if math.isnan(own) else own
        key = points - (self.scenario.matching.points_per_day + 1e-9) * t
        self.c_rent[s], self.c_rooms[s], self.c_needs[s], self.c_key[s] = (
            self.c_rent[c],
            self.c_rooms[c],
            self.c_needs[c],
            key,
        )
        self.arrive(s, t)
        rate = float(self.model.group_exit_per_day[g])
        if rate > 0:
            cit.exit_time[s] = t + float(rng.exponential(1.0 / rate))
            if cit.exit_time[s] < self.horizon:
                self.push(float(cit.exit_time[s]), LEAVE, -1, s, 0)

    def finish(self) -> None:
        """The run's lists as the arrays the summary reads, without the unused room for spells
        that never started."""
        n = self.n_spells
        c = self.cit
        if n != len(c.group):
            self.cit = Citizens(
                c.group[:n],
                c.arrival[:n],
                c.max_rent[:n],
                c.rooms[:n],
                c.needs[:n],
                c.exit_time[:n],
                c.n_initial,
                c.household[:n],
                c.points[:n],
                c.households,
            )
        self.leave_time = np.array(self.left[:n], dtype=np.float64)
        self.exit_pending = np.array(self.leaving[:n], dtype=np.bool_)
        self.housed_time = np.array(self.housed[:n], dtype=np.float64)
        self.method = np.array(self.method_of[:n], dtype=np.int64)
        self.tenancy_end = np.array(self.ended[:n], dtype=np.float64)
        self.returned_from = np.array(self.came_from[:n], dtype=np.int64)
        self.placement_group = np.array(self.by_group, dtype=np.int64)
        self.org_eligible = np.array(self.org_el, dtype=np.int64)
        self.org_municipal = np.array(self.org_mun, dtype=np.int64)
        self.org_blocked = np.array(self.org_bl, dtype=np.int64)
        self.org_placements = np.array(self.org_pl, dtype=np.int64)
        self.dep_placements = np.array(self.dep_pl, dtype=np.int64)
        self.ent_placements = np.array(self.ent_pl, dtype=np.int64)

    def close_open_vacancies(self) -> None:
        """Vacancies still held by the municipality at the horizon accrue void rent until
        then."""
        for entry in self.heap:
            self.add_void(entry[3], self.horizon)
        self.counts["open_at_end"] = len(self.heap) + len(self.pending)
        for v in self.pending:
            self.add_void(v, self.horizon)

    # ------------------------------------------------------------------ helpers of the steps

    def add_void(self, v: int, end: float) -> None:
        start = max(self.vac.time[v] + self.lead, self.warmup)
        days = min(end, self.horizon) - start
        if days > 0:
            per_day = self.d_rent[self.vac.rel[v]] * 12.0 / DAYS_PER_YEAR
            self.void_days += days
            self.void_rent += days * per_day
            end = start + days
            while start < end:
                k = min(int(start // DAYS_PER_YEAR), len(self.void_rent_by_year) - 1)
                stop = (
                    min(end, (k + 1) * DAYS_PER_YEAR)
                    if k < len(self.void_rent_by_year) - 1
                    else end
                )
                self.void_rent_by_year[k] += (stop - start) * per_day
                start = stop

    def _window_count(self, hist: dict[int, deque[float]], unit: int, t: float) -> int:
        h = hist.get(unit)
        if h is None:
            return 0
        while h and h[0] <= t - self.window:
            h.popleft()
        return len(h)

    def cap_level(self, v: int, t: float, extra_st: int = 0, extra_dep: int = 0) -> int:
        """0 when no cap binds, 1 for the stairwell's cap, 2 for the department's."""
        r = self.vac.rel[v]
        if self.st_cap is not None:
            e = self.d_ent[r]
            n = self._window_count(self.st_hist, e, t)
            if n + self.st_res.get(e, 0) + extra_st >= self.st_cap:
                return 1
        if self.dep_cap is not None:
            d = self.d_dep[r]
            n = self._window_count(self.dep_hist, d, t)
            if n + self.dep_res.get(d, 0) + extra_dep >= self.dep_cap:
                return 2
        return 0

    def reserve(self, v: int, delta: int) -> None:
        r = self.vac.rel[v]
        if self.st_cap is not None:
            e = self.d_ent[r]
            self.st_res[e] = self.st_res.get(e, 0) + delta
        if self.dep_cap is not None:
            d = self.d_dep[r]
            self.dep_res[d] = self.dep_res.get(d, 0) + delta

    def view(self, v: int) -> VacancyView:
        """The dwelling as the baseline sees it (the same for every vacancy in it: kept)."""
        r = self.vac.rel[v]
        view = self.views.get(r)
        if view is None:
            view = self.views[r] = VacancyView(
                self.d_rent[r],
                self.d_rooms[r],
                self.d_acc[r],
                aconto=self.d_aconto[r],
                features=self.d_features[r],
                area_m2=self.d_area[r],
            )
        return view

    def full_view(self, v: int, t: float) -> VacancyView:
        """The vacancy with where it is and its cap counts, for a gated policy."""
        r = self.vac.rel[v]
        e, d = self.d_ent[r], self.d_dep[r]
        st = self._window_count(self.st_hist, e, t) + self.st_res.get(e, 0)
        dep = self._window_count(self.dep_hist, d, t) + self.dep_res.get(d, 0)
        return VacancyView(
            self.d_rent[r],
            self.d_rooms[r],
            self.d_acc[r],
            v,
            self.d_org[r],
            d,
            e,
            st,
            dep,
            t,
            self.d_aconto[r],
            self.d_features[r],
            self.d_area[r],
        )

    def excluded(self, v: int) -> list[int]:
        declined = self.declined_by.get(v)
        if declined is None:
            return []
        pos = self.pos
        return [pos[c] for c in declined if pos[c] >= 0]

    def give_back(self, v: int, t: float, reason: str) -> None:
        self.counts[reason] += 1
        self.add_void(v, t)

    def offer(self, v: int, p: int, t: float) -> None:
        c = self.pool.citizen[p]
        self.pool.set_busy(p, True)
        self.reserve(v, 1)
        self.counts["offers"] += 1
        self.offers_made[v] = self.offers_made.get(v, 0) + 1
        wait = self.resp_fixed
        if wait is None:
            wait = self.resp.sample_one(self.rng_dec)
        accepted = 1 if (self.accept_p >= 1.0 or self.rng_dec.random() < self.accept_p) else 0
        self.push(t + wait, ANSWER, v, c, accepted)

    def offer_online(self, v: int, t: float) -> None:
        if self.gated:
            self.offer_gated(v, t)
            return
        if self.closed and self.d_dep[self.vac.rel[v]] in self.closed:
            self.give_back(v, t, "closed")
            return
        level = self.cap_level(v, t) if self.capped else 0
        if level:
            self.give_back(v, t, "cap_stairwell" if level == 1 else "cap_department")
            return
        p = self.policy.choose(self.pool, self.view(v), self.excluded(v))
        if p < 0:
            self.give_back(v, t, "no_candidate")
            return
        self.offer(v, p, t)

    def offer_gated(self, v: int, t: float) -> None:
        """Online, by a policy that admits the vacancy itself (the production gate)."""
        policy: Any = self.policy
        view = self.full_view(v, t)
        reason = policy.admit(view)
        if reason:
            self.give_back(v, t, reason)
            return
        p = policy.choose(self.pool, view, self.excluded(v))
        if p < 0:
            self.give_back(v, t, "no_candidate")
            return
        self.offer(v, p, t)

    def remove_citizen(self, c: int, t: float) -> None:
        pos = self.pos
        p = pos[c]
        moved = self.pool.remove(p)
        if moved >= 0:
            pos[moved] = p
        pos[c] = -1
        if not self.leaving[c]:
            self.left[c] = t

    def run_batch(self, t: float) -> None:
        """Solve the pending vacancies together; caps are applied in report order first (a
        gated policy's solver takes them as constraints instead)."""
        todo, self.pending = sorted(self.pending), []
        if self.gated:
            self.batch_gated(todo, t)
            return
        keep: list[int] = []
        extra_st: dict[int, int] = {}
        extra_dep: dict[int, int] = {}
        for v in todo:
            r = self.vac.rel[v]
            e, d = self.d_ent[r], self.d_dep[r]
            if d in self.closed:
                self.give_back(v, t, "closed")
                continue
            level = self.cap_level(v, t, extra_st.get(e, 0), extra_dep.get(d, 0))
            if level:
                self.give_back(v, t, "cap_stairwell" if level == 1 else "cap_department")
                continue
            extra_st[e] = extra_st.get(e, 0) + 1
            extra_dep[d] = extra_dep.get(d, 0) + 1
            keep.append(v)
        pairs = self.policy.assign(
            self.pool, [self.view(v) for v in keep], [self.excluded(v) for v in keep]
        )
        self.offer_pairs(keep, pairs, t, lambda v: "no_candidate")

    def batch_gated(self, todo: list[int], t: float) -> None:
        policy: Any = self.policy
        keep: list[int] = []
        views: list[VacancyView] = []
        for v in todo:
            view = self.full_view(v, t)
            reason = policy.admit(view, caps=False)
            if reason:
                self.give_back(v, t, reason)
                continue
            keep.append(v)
            views.append(view)
        pairs = policy.assign(self.pool, views, [self.excluded(v) for v in keep])
        # the solver kept the caps: a vacancy left out because its cap is now full counts as a
        # cap-binding event
        self.offer_pairs(
            keep, pairs, t, lambda v: policy.admit(self.full_view(v, t)) or "no_candidate"
        )

    def offer_pairs(
        self,
        keep: list[int],
        pairs: Sequence[tuple[int, int]],
        t: float,
        reason: Callable[[int], str],
    ) -> None:
        """A batch's answer: each pair's vacancy (its row in ``keep``) is offered to its
        citizen's pool position; every vacancy without a pair is given back for ``reason``."""
        matched = set()
        for row, p in pairs:
            matched.add(row)
            self.offer(keep[row], p, t)
        for row, v in enumerate(keep):
            if row not in matched:
                self.give_back(v, t, reason(v))
