"""The plain summary of one finished replication (one value per figure; results.py turns the
summaries of all replications into intervals)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from .scenario import DAYS_PER_YEAR

if TYPE_CHECKING:
    from .replication import Replication

FloatArray = NDArray[np.float64]


def overlap(start: FloatArray, end: FloatArray, lo: float, hi: float) -> FloatArray:
    out: FloatArray = np.clip(np.minimum(end, hi) - np.maximum(start, lo), 0.0, None)
    return out


def integral_at(entry: FloatArray, leave: FloatArray, edges: FloatArray) -> FloatArray:
    """∫_0^e (number on the list) for each edge e, from entry/leave times (entry ≤ leave)."""

    def sum_min(x: FloatArray) -> FloatArray:
        xs = np.sort(x)
        csum = np.concatenate([[0.0], np.cumsum(xs)])
        k = np.searchsorted(xs, edges, side="left")
        result: FloatArray = csum[k] + (len(xs) - k) * edges
        return result

    return sum_min(leave) - sum_min(entry)


def _group_waits(waits: FloatArray) -> dict[str, float]:
    if len(waits) == 0:
        return {"mean": math.nan, "median": math.nan, "p90": math.nan, "count": 0.0}
    return {
        "mean": float(waits.mean()),
        "median": float(np.median(waits)),
        "p90": float(np.quantile(waits, 0.9)),
        "count": float(len(waits)),
    }


def _queue(rep: Replication) -> dict[str, float]:
    cit, horizon, warmup = rep.cit, rep.horizon, rep.warmup
    span = horizon - warmup
    entry = np.maximum(cit.arrival, 0.0)
    leave = rep.leave_time
    left = leave <= horizon
    in_window = entry >= warmup
    on_list = overlap(entry, np.minimum(leave, horizon), warmup, horizon)
    mean_waiting = float(on_list.sum() / span)
    newcomers = cit.arrival[cit.n_initial :]
    arrivals_window = int(((newcomers >= warmup) & (newcomers < horizon)).sum())
    if warmup == 0:
        arrivals_window += cit.n_initial
    lam = arrivals_window / span
    time_on_list = (leave - entry)[in_window & left]
    mean_time_on_list = float(time_on_list.mean()) if len(time_on_list) else math.nan
    return {
        "mean_number_waiting": mean_waiting,
        "arrival_rate_per_day": lam,
        "mean_time_on_list_days": mean_time_on_list,
        "arrival_rate_times_time_on_list": lam * mean_time_on_list,
        "littles_law_gap": mean_waiting - lam * mean_time_on_list,
    }


def _waits(rep: Replication) -> dict[str, dict[str, float]]:
    cit, housed_time = rep.cit, rep.housed_time
    housed = np.isfinite(housed_time)
    in_window = np.maximum(cit.arrival, 0.0) >= rep.warmup
    waits_all = (housed_time - cit.arrival)[housed & in_window]
    groups: dict[str, dict[str, float]] = {"all": _group_waits(waits_all)}
    for gi, g in enumerate(rep.scenario.groups):
        sel = housed & in_window & (cit.group == gi)
        groups[g.name] = _group_waits((housed_time - cit.arrival)[sel])
    return groups


def _homeless_series(rep: Replication) -> tuple[FloatArray, FloatArray]:
    s, cit = rep.scenario, rep.cit
    homeless = rep.model.group_homeless[cit.group]
    edges = np.arange(0.0, rep.horizon, s.series_interval_days)
    edges = np.append(edges, rep.horizon)
    entry = np.maximum(cit.arrival, 0.0)
    leave_h = np.minimum(rep.leave_time, rep.horizon)
    integral = integral_at(entry[homeless], leave_h[homeless], edges)
    series: FloatArray = np.diff(integral) / np.diff(edges)
    return series, edges


def _costs(rep: Replication) -> dict[str, float]:
    s, cit, model = rep.scenario, rep.cit, rep.model
    horizon, warmup = rep.horizon, rep.warmup
    entry = np.maximum(cit.arrival, 0.0)
    on_list = overlap(entry, np.minimum(rep.leave_time, horizon), warmup, horizon)
    shelter_days = float((on_list * model.group_shelter[cit.group]).sum())
    housed_time = rep.housed_time
    housed = np.isfinite(housed_time)
    support_years = s.costs.support_years * DAYS_PER_YEAR
    support_days = overlap(housed_time, housed_time + support_years, warmup, horizon)
    support_days = np.where(housed, support_days, 0.0)
    support_cost = float((support_days * model.group_support_per_day[cit.group]).sum())
    return {
        "shelter_days": shelter_days,
        "shelter_cost": shelter_days * s.costs.shelter_place_per_year / DAYS_PER_YEAR,
        "support_cost": support_cost,
        "void_days": rep.void_days,
        "void_rent": rep.void_rent,
    }


def _initial(rep: Replication) -> dict[str, float]:
    cit, leave = rep.cit, rep.leave_time
    housed = np.isfinite(rep.housed_time)
    left = leave <= rep.horizon
    initial = np.arange(cit.n_initial)
    init_leave = np.sort(leave[initial])
    n_init = len(initial)

    def initial_quantile(q: float) -> float:
        if n_init == 0:
            return math.nan
        k = max(0, math.ceil(q * n_init) - 1)
        value = float(init_leave[k])
        return value if value <= rep.horizon else math.nan

    return {
        "count": float(n_init),
        "days_until_half_left": initial_quantile(0.5),
        "days_until_90pct_left": initial_quantile(0.9),
        "days_until_all_left": initial_quantile(1.0),
        "share_housed": float(housed[initial].mean()) if n_init else math.nan,
        "share_left_other_routes": float((left[initial] & ~housed[initial]).mean())
        if n_init
        else math.nan,
    }


def _organisations(rep: Replication) -> dict[str, Any]:
    model = rep.model
    expected = np.zeros(len(model.stock.organisations))
    for key, seq, k in zip(
        model.bucket_names, model.bucket_sequence, rep.bucket_count, strict=True
    ):
        # what the share promised during the run (a running counter's credit came before)
        expected[key.organisation_id] += float(seq.state(k).expected - seq.start_credit)
    ent = rep.ent_placements
    return {
        "org_eligible": rep.org_eligible.astype(float).tolist(),
        "org_municipal": rep.org_municipal.astype(float).tolist(),
        "org_blocked": rep.org_blocked.astype(float).tolist(),
        "org_expected": expected.tolist(),
        "org_placements": rep.org_placements.astype(float).tolist(),
        "dep_placements": rep.dep_placements.astype(float).tolist(),
        "entrance_summary": {
            "entrances_with_placements": float((ent > 0).sum()),
            "max_per_entrance": float(ent.max()) if len(ent) else 0.0,
            "mean_per_entrance_with_placements": float(ent[ent > 0].mean())
            if (ent > 0).any()
            else 0.0,
        },
    }


def summarise(rep: Replication) -> dict[str, Any]:
    """The replication's figures as plain numbers and lists."""
    cit, leave, horizon, warmup = rep.cit, rep.leave_time, rep.horizon, rep.warmup
    left = leave <= horizon
    housed_time = rep.housed_time
    housed = np.isfinite(housed_time)
    homeless = rep.model.group_homeless[cit.group]
    from .outcomes import budget, headlines, tenancies

    series, edges = _homeless_series(rep)
    return {
        "queue": _queue(rep),
        "waits": _waits(rep),
        "homeless_series": series.tolist(),
        "series_edges": edges.tolist(),
        "homeless_at_end": float((homeless & ~left).sum()),
        "still_waiting_at_end": float((~left).sum()),
        "housed": float(housed.sum()),
        "housed_in_window": float((housed & (housed_time >= warmup)).sum()),
        "exited_other_routes": float((left & ~housed & (leave >= warmup)).sum()),
        "placements_by_group": rep.placement_group.astype(float).tolist(),
        **_costs(rep),
        "counts": {k: float(v) for k, v in rep.counts.items()},
        **_organisations(rep),
        "initial": _initial(rep),
        "tenancy": tenancies(rep),
        "headlines": headlines(rep),
        "budget": budget(rep),
    }
