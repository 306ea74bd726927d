"""Outcomes of one replication beyond the queue: tenancies, honest headlines, the budget.

* tenancies: placements, breakdowns and returns by support method, and "housed and still
  housed after 12 months" over the placements that can be followed for 12 months;
* headlines: time on the list for everyone who joined (housed, left by another route, still
  waiting at the horizon), the share of newcomers housed within 3, 6 and 12 months of joining
  (those who joined at least 12 months before the horizon), the number waiting each month;
* the municipal budget per year of the horizon: § 110 shelter days and their net cost after the
  state refund, void rent, guarantee payments, support by method (net of the state refund),
  the municipality's share of the housing benefit, and the total discounted to the start.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from .scenario import DAYS_PER_YEAR
from .summary import integral_at, overlap

if TYPE_CHECKING:
    from .replication import Replication

FloatArray = NDArray[np.float64]
YEAR = DAYS_PER_YEAR
MONTHS = (3, 6, 12)


def tenancies(rep: Replication) -> dict[str, Any]:
    with np.errstate(invalid="ignore"):
        return _tenancies(rep)


def _tenancies(rep: Replication) -> dict[str, Any]:
    housed_time, end = rep.housed_time, rep.tenancy_end
    housed = np.isfinite(housed_time) & (housed_time >= rep.warmup)
    followed = housed & (housed_time <= rep.horizon - YEAR)
    kept = followed & (end - housed_time >= YEAR)
    by_method = []
    for m in range(len(rep.scenario.tenancy.methods)):
        mine = rep.method == m
        by_method.append(
            {
                "placements": float((housed & mine).sum()),
                "breakdowns": float((housed & mine & np.isfinite(end)).sum()),
                "followed_12_months": float((followed & mine).sum()),
                "still_housed_12_months": float((kept & mine).sum()),
            }
        )
    n_followed = int(followed.sum())
    return {
        "placements": float(housed.sum()),
        "breakdowns": float((housed & np.isfinite(end)).sum()),
        "returns": float((rep.returned_from >= 0).sum()),
        "followed_12_months": float(n_followed),
        "still_housed_12_months": float(kept.sum()),
        "share_still_housed_12_months": float(kept.sum() / n_followed) if n_followed else np.nan,
        "by_method": by_method,
    }


def headlines(rep: Replication) -> dict[str, Any]:
    cit, horizon, warmup = rep.cit, rep.horizon, rep.warmup
    entry = np.maximum(cit.arrival, 0.0)
    leave = np.minimum(rep.leave_time, horizon)
    housed = np.isfinite(rep.housed_time)
    left = rep.leave_time <= horizon
    joined = (entry >= warmup) & (entry < horizon)
    days = leave - entry
    outcome = {
        "housed": joined & housed,
        "left": joined & left & ~housed,
        "waiting": joined & ~left,
    }
    cohort = (cit.arrival >= warmup) & (cit.arrival <= horizon - YEAR)
    waited = rep.housed_time - cit.arrival
    n_cohort = int(cohort.sum())
    edges = np.append(np.arange(0.0, horizon, rep.scenario.series_interval_days), horizon)
    series = np.diff(integral_at(entry, leave, edges)) / np.diff(edges)
    return {
        "joined": float(joined.sum()),
        "mean_days_on_list": _mean(days[joined]),
        "mean_days_on_list_by_outcome": {k: _mean(days[v]) for k, v in outcome.items()},
        "count_by_outcome": {k: float(v.sum()) for k, v in outcome.items()},
        "cohort_12_months": float(n_cohort),
        "share_housed_within": {
            str(mo): float((cohort & (waited <= mo * YEAR / 12)).sum() / n_cohort)
            if n_cohort
            else np.nan
            for mo in MONTHS
        },
        "waiting_series": series.tolist(),
    }


def _mean(x: FloatArray) -> float:
    return float(x.mean()) if len(x) else np.nan


def _year_overlap(start: FloatArray, end: FloatArray, n_years: int, horizon: float) -> FloatArray:
    """Days of each interval [start, end) within each year of the horizon: (years, n)."""
    out = np.empty((n_years, len(start)))
    for k in range(n_years):
        out[k] = overlap(start, end, k * YEAR, min((k + 1) * YEAR, horizon))
    return out


def budget(rep: Replication) -> dict[str, Any]:
    """The municipality's money per year of the horizon (kroner), and the present value."""
    s, cit, model = rep.scenario, rep.cit, rep.model
    costs, horizon = s.costs, rep.horizon
    n_years = len(rep.void_rent_by_year)
    entry = np.maximum(cit.arrival, 0.0)
    leave = np.minimum(rep.leave_time, horizon)
    frac = model.group_shelter[cit.group]
    shelter = _year_overlap(entry, leave, n_years, horizon) * frac[None, :]
    day_price = costs.shelter_place_per_year / YEAR * costs.shelter_variable_share
    refunded = np.minimum(shelter, costs.shelter_refund_days_per_year).sum(axis=1)
    shelter_gross = shelter.sum(axis=1) * day_price
    shelter_refund = refunded * day_price * costs.shelter_refund_share
    support, support_refund, by_method, committed = _support(rep, n_years)
    housed_time = rep.housed_time
    housed = np.isfinite(housed_time)
    tenancy_end = np.minimum(rep.tenancy_end, horizon)
    at_home = _year_overlap(
        np.where(housed, housed_time, horizon), tenancy_end, n_years, horizon
    ).sum(axis=1)
    benefit = (
        at_home * costs.housing_benefit_per_year / YEAR * costs.housing_benefit_municipal_share
    )
    ended = np.isfinite(rep.tenancy_end)
    early = ended & (
        np.where(ended, rep.tenancy_end - np.where(housed, housed_time, 0.0), np.inf)
        <= costs.guarantee_years * YEAR
    )
    year_of = np.minimum((rep.tenancy_end[early] // YEAR).astype(np.int64), n_years - 1)
    guarantees = np.bincount(year_of, minlength=n_years) * costs.guarantee_per_breakdown
    total = (
        shelter_gross
        - shelter_refund
        + rep.void_rent_by_year
        + guarantees
        + support
        - support_refund
        + benefit
    )
    discount = _discount_factors(costs.discount_rate, n_years)
    years = [
        {
            "year": k + 1,
            "shelter_days": float(shelter[k].sum()),
            "shelter_gross": float(shelter_gross[k]),
            "shelter_refund": float(shelter_refund[k]),
            "shelter_net": float(shelter_gross[k] - shelter_refund[k]),
            "void_rent": float(rep.void_rent_by_year[k]),
            "guarantees": float(guarantees[k]),
            "support_gross": float(support[k]),
            "support_refund": float(support_refund[k]),
            "support_net": float(support[k] - support_refund[k]),
            "support_by_method": [float(x[k]) for x in by_method],
            "housing_benefit": float(benefit[k]),
            "total": float(total[k]),
            "total_discounted": float(total[k] * discount[k]),
        }
        for k in range(n_years)
    ]
    return {
        "years": years,
        "shelter_days": float(shelter.sum()),
        "total": float(total.sum()),
        "present_value": float((total * discount).sum()),
        "support_committed_after_horizon": committed,
    }


def _discount_factors(rate: float, n_years: int) -> FloatArray:
    """Each year's factor to the start of the horizon, taken at the middle of the year:
    (1 + rate) ** -(k + 0.5). Made of square root, division and multiplication only, which
    IEEE 754 rounds exactly, so the figures are the same on every machine (a vectorised power
    may differ in the last digit between processors)."""
    step = 1.0 / (1.0 + rate)
    factors = np.empty(n_years)
    factor = math.sqrt(step)
    for k in range(n_years):
        factors[k] = factor
        factor *= step
    return factors


def _support(
    rep: Replication, n_years: int
) -> tuple[FloatArray, FloatArray, list[FloatArray], float]:
    """Support per year (gross and the state's refund), per method, and what the placements
    made before the horizon still commit after it."""
    s, cit, model, horizon = rep.scenario, rep.cit, rep.model, rep.horizon
    costs = s.costs
    housed_time = rep.housed_time
    housed = np.isfinite(housed_time)
    method = np.where(housed, rep.method, 0)
    methods = s.tenancy.methods
    years = np.array(
        [costs.support_years if m.support_years is None else m.support_years for m in methods]
    )
    per_year = np.array(
        [np.nan if m.support_per_year is None else m.support_per_year for m in methods]
    )
    price = per_year[method]
    price = np.where(np.isnan(price), model.group_support_per_day[cit.group] * YEAR, price) / YEAR
    start = np.where(housed, housed_time, horizon)
    stop = np.minimum(start + years[method] * YEAR, rep.tenancy_end)
    days = _year_overlap(start, np.minimum(stop, horizon), n_years, horizon)
    cost = days * price[None, :]
    sheltered = model.group_shelter[cit.group] > 0
    refund_stop = np.minimum(stop, start + costs.support_refund_years * YEAR)
    refund_days = _year_overlap(start, np.minimum(refund_stop, horizon), n_years, horizon)
    refund = (refund_days * (price * sheltered)[None, :]).sum(axis=1) * costs.support_refund_share
    by_method = [cost[:, housed & (rep.method == m)].sum(axis=1) for m in range(len(methods))]
    after = np.clip(stop - np.maximum(start, horizon), 0.0, None)
    committed = float((np.where(housed, after, 0.0) * price).sum())
    return cost.sum(axis=1), refund, by_method, committed
