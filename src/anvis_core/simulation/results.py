"""From replication summaries to one JSON-serialisable result with 95 % confidence intervals.

Every interval is t-based over the replications' own values (one value per replication, e.g.
that replication's mean wait), so replications are the independent observations.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .engine import CompiledModel
from .intervals import CONFIDENCE, clean, interval
from .outcomes_results import aggregate_outcomes
from .scenario import DAYS_PER_YEAR, Scenario

SCHEMA = "anvis.simulation.result/1"


def mm1_reference(model: CompiledModel) -> dict[str, float] | None:
    """Queueing-theory values when the scenario is the M/M/1 special case, else None.

    The case: one group with no other exits, every citizen eligible for every vacancy, every
    vacancy the municipality's, no delays, immediate acceptance, online matching, no caps.
    Vacancies are the "service" events (rate μ), citizens the arrivals (rate λ). A waiting
    citizen is "in the system" from joining the list until housed, so the mean wait is the
    M/M/1 sojourn time W = 1/(μ − λ) and the mean number waiting is L = ρ/(1 − ρ), ρ = λ/μ;
    L = λW (Little). The queue-only values Wq, Lq would leave out the citizen at the head of the
    list, who is waiting too.
    """
    s = model.scenario
    r, m = s.regime, s.matching
    if len(s.groups) != 1 or len(model.rel) == 0:
        return None
    g = s.groups[0]
    stock = model.stock
    rel = model.rel
    universal = (
        g.exits_per_year == 0
        and g.accessible_probability == 0
        and g.max_rent.kind == "fixed"
        and g.max_rent.a >= float(stock.rent[rel].max())
        and g.rooms_needed.kind == "fixed"
        and g.rooms_needed.a <= float(stock.rooms[rel].min())
    )
    regime_ok = (
        r.kind == "agreement"
        and all(share == 1 for share in model.bucket_shares)
        and r.stairwell_cap is None
        and r.department_cap is None
        and r.other_needs_share == 0
        and r.response_days.always_zero
        and r.notice_lead_days == 0
    )
    matching_ok = (
        m.mode == "online"
        and m.acceptance_probability == 1
        and m.offer_response_days.always_zero
        and m.move_in_days == 0
    )
    if not (universal and regime_ok and matching_ok):
        return None
    lam = float(model.group_rate_per_day[0])
    mu = float(model.rel_cumrate[-1])
    if lam >= mu:
        return None
    rho = lam / mu
    return {
        "arrival_rate_per_day": lam,
        "vacancy_rate_per_day": mu,
        "utilisation_rho": rho,
        "mean_wait_days": 1.0 / (mu - lam),
        "mean_number_waiting": rho / (1.0 - rho),
        "queue_only_mean_wait_days_Wq": rho / (mu - lam),
        "queue_only_mean_number_Lq": rho * rho / (1.0 - rho),
    }


def _scenario_echo(s: Scenario) -> dict[str, Any]:
    r, m = s.regime, s.matching
    return {
        "name": s.name,
        "description": s.description,
        "seed": s.seed,
        "replications": s.replications,
        "horizon_years": s.horizon_days / DAYS_PER_YEAR,
        "warmup_years": s.warmup_days / DAYS_PER_YEAR,
        "regime": r.kind,
        "share_percent": float(r.share * 100),
        "steps": [{"name": x.name, "share_percent": float(x.share * 100)} for x in r.steps],
        "rent_ceiling": r.rent_ceiling,
        "covered_types": list(r.covered_types),
        "stairwell_cap": r.stairwell_cap,
        "department_cap": r.department_cap,
        "access_probability": r.access_probability if r.kind == "ad_hoc" else None,
        "matching_policy": m.policy,
        "matching_mode": m.mode,
        "acceptance_probability": m.acceptance_probability,
        "groups": [g.name for g in s.groups],
    }


def _organisations(names: Sequence[str], reps: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    org_el = np.asarray([rep["org_eligible"] for rep in reps])
    org_mu = np.asarray([rep["org_municipal"] for rep in reps])
    org_ex = np.asarray([rep["org_expected"] for rep in reps])
    org_pl = np.asarray([rep["org_placements"] for rep in reps])
    org_bl = np.asarray([rep["org_blocked"] for rep in reps])
    el_tot = org_el.sum(axis=1, keepdims=True)
    pl_tot = org_pl.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        el_share = np.where(el_tot > 0, org_el / el_tot, np.nan)
        pl_share = np.where(pl_tot > 0, org_pl / pl_tot, np.nan)
        realised = np.where(org_el > 0, org_mu / org_el, np.nan)
    organisations = []
    for o, name in enumerate(names):
        organisations.append(
            {
                "name": name,
                "eligible_vacancies": interval(org_el[:, o].tolist()),
                "municipal_vacancies": interval(org_mu[:, o].tolist()),
                "municipal_vacancies_by_share": interval(org_ex[:, o].tolist()),
                "blocked_vacancies": interval(org_bl[:, o].tolist()),
                "realised_share": interval(realised[:, o].tolist()),
                "placements": interval(org_pl[:, o].tolist()),
                "share_of_eligible_vacancies": interval(el_share[:, o].tolist()),
                "share_of_placements": interval(pl_share[:, o].tolist()),
            }
        )
    return organisations


Column = Callable[[Sequence[str | int]], list[float]]


def _columns(reps: Sequence[dict[str, Any]]) -> Column:
    """`col(path)`: the value at `path` in every replication summary, as floats."""

    def col(path: Sequence[str | int]) -> list[float]:
        out = []
        for rep in reps:
            x: Any = rep
            for p in path:
                x = x[p]
            out.append(float(x))
        return out

    return col


def _waits(s: Scenario, col: Column) -> dict[str, Any]:
    waits: dict[str, Any] = {}
    for name in ["all", *[g.name for g in s.groups]]:
        g = next((x for x in s.groups if x.name == name), None)
        waits[name] = {
            "situation": g.situation if g else None,
            "age_band": g.age_band if g else None,
            "mean_days": interval(col(["waits", name, "mean"])),
            "median_days": interval(col(["waits", name, "median"])),
            "p90_days": interval(col(["waits", name, "p90"])),
            "housed": interval(col(["waits", name, "count"])),
        }
    return waits


def _queue(mean_wait: dict[str, Any], col: Column) -> dict[str, Any]:
    return {
        "mean_wait_days": mean_wait,
        "mean_number_waiting": interval(col(["queue", "mean_number_waiting"])),
        "arrival_rate_per_day": interval(col(["queue", "arrival_rate_per_day"])),
        "mean_time_on_list_days": interval(col(["queue", "mean_time_on_list_days"])),
        "littles_law": {
            "L_mean_number_waiting": interval(col(["queue", "mean_number_waiting"])),
            "lambda_times_W": interval(col(["queue", "arrival_rate_times_time_on_list"])),
            "gap_L_minus_lambda_W": interval(col(["queue", "littles_law_gap"])),
        },
    }


def _homeless_over_time(s: Scenario, reps: Sequence[dict[str, Any]]) -> dict[str, Any]:
    series = np.asarray([rep["homeless_series"] for rep in reps], dtype=float)
    edges = reps[0]["series_edges"]
    bands = [interval(series[:, k].tolist()) for k in range(series.shape[1])]
    return {
        "interval_days": s.series_interval_days,
        "t_days": [(a + b) / 2 for a, b in itertools.pairwise(edges)],
        "mean": [b["mean"] for b in bands],
        "ci_low": [b["ci_low"] for b in bands],
        "ci_high": [b["ci_high"] for b in bands],
    }


def _costs(reps: Sequence[dict[str, Any]], col: Column) -> dict[str, Any]:
    totals = [rep["shelter_cost"] + rep["support_cost"] + rep["void_rent"] for rep in reps]
    return {
        "shelter_days": interval(col(["shelter_days"])),
        "shelter": interval(col(["shelter_cost"])),
        "support": interval(col(["support_cost"])),
        "void_days": interval(col(["void_days"])),
        "void_rent": interval(col(["void_rent"])),
        "total": interval(totals),
    }


DEPARTMENTS_LISTED = 300


def _departments(model: CompiledModel, reps: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Placements by department: counts over all of them, the busiest listed."""
    stock = model.stock
    dep = np.asarray([rep["dep_placements"] for rep in reps])
    order = np.argsort(-dep.mean(axis=0), kind="stable")
    listed = [
        {
            "name": stock.departments[j],
            "organisation": stock.organisations[int(stock.department_organisation[j])],
            "step": model.step_names[int(model.department_step[j])],
            "placements": interval(dep[:, j].tolist()),
        }
        for j in order[:DEPARTMENTS_LISTED]
    ]
    return {
        "count": len(stock.departments),
        "with_placements": interval((dep > 0).sum(axis=1).astype(float).tolist()),
        "max_placements": interval(dep.max(axis=1).astype(float).tolist()),
        "listed": listed,
        "listed_limit": DEPARTMENTS_LISTED,
    }


def _stairwells(count: int, col: Column) -> dict[str, Any]:
    return {
        "count": count,
        "with_placements": interval(col(["entrance_summary", "entrances_with_placements"])),
        "max_placements": interval(col(["entrance_summary", "max_per_entrance"])),
        "mean_placements_where_any": interval(
            col(["entrance_summary", "mean_per_entrance_with_placements"])
        ),
    }


def _initial_list(col: Column) -> dict[str, Any]:
    cleared = [x for x in col(["initial", "days_until_all_left"]) if not math.isnan(x)]
    return {
        "count": interval(col(["initial", "count"])),
        "days_until_half_left": interval(col(["initial", "days_until_half_left"])),
        "days_until_90pct_left": interval(col(["initial", "days_until_90pct_left"])),
        "days_until_all_left": interval(cleared),
        "replications_all_left": len(cleared),
        "share_housed": interval(col(["initial", "share_housed"])),
        "share_left_other_routes": interval(col(["initial", "share_left_other_routes"])),
    }


def aggregate(model: CompiledModel, reps: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Combine replication summaries (in replication order) into the result document."""
    s, stock = model.scenario, model.stock
    col = _columns(reps)
    waits = _waits(s, col)
    counts = {k: interval(col(["counts", k])) for k in reps[0]["counts"]}
    result: dict[str, Any] = {
        "schema": SCHEMA,
        "confidence_level": CONFIDENCE,
        "scenario": _scenario_echo(s),
        "stock": stock.summary(eligible=model.under_agreement),
        "queue": _queue(waits["all"]["mean_days"], col),
        "mm1_reference": mm1_reference(model),
        "waiting_time_by_group": waits,
        "homeless_over_time": _homeless_over_time(s, reps),
        "homeless_at_end": interval(col(["homeless_at_end"])),
        "still_waiting_at_end": interval(col(["still_waiting_at_end"])),
        "housed": interval(col(["housed_in_window"])),
        "exited_other_routes": interval(col(["exited_other_routes"])),
        "placements_by_group": {
            g.name: interval(col(["placements_by_group", i])) for i, g in enumerate(s.groups)
        },
        "costs_kr": _costs(reps, col),
        "vacancies": counts,
        "cap_binding_events": {
            "stairwell": counts["cap_stairwell"],
            "department": counts["cap_department"],
        },
        "organisations": _organisations(stock.organisations, reps),
        "departments": _departments(model, reps),
        "stairwells": _stairwells(stock.n_entrances, col),
        "initial_waiting_list": _initial_list(col),
    }
    result.update(aggregate_outcomes(s, reps))
    cleaned: dict[str, Any] = clean(result)
    return cleaned
