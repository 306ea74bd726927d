"""From the page's parameters (a plain JSON-safe dict) to a validated simulator `Scenario`.

The parameters name a source (the database or a shipped scenario file) and the overrides the
user set; an empty override keeps the source's value. `build_scenario` raises `ScenarioError`
(from `anvis_core.simulation`) naming the bad parameter; `PARAMETER_FIELDS` maps that name to
the form field.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from typing import Any

from anvis_core.quotas import share_from_percent
from anvis_core.simulation import Distribution, Scenario, scenario_from_dict
from anvis_core.simulation.scenario import DAYS_PER_YEAR

from .adapters import scenario_from_database, shipped_scenario_data
from .models import ScenarioSource

# The shipped ad hoc assumptions (docs/scenarios/aalborg.toml, variant "ad_hoc"), used when the
# user picks the ad hoc regime without giving an access probability or response time.
AD_HOC_ACCESS_PROBABILITY = Decimal("0.08")
AD_HOC_RESPONSE_DAYS = 30

PARAMETER_FIELDS = {
    "regime.kind": "regime",
    "regime.share_percent": "share_percent",
    "regime.rent_ceiling": "rent_ceiling",
    "regime.stairwell_cap": "stairwell_cap",
    "regime.department_cap": "department_cap",
    "regime.access_probability": "access_probability",
    "regime.response_days": "response_days",
    "matching.mode": "matching_mode",
    "matching.policy": "matching_policy",
    "matching.batch_days": "batch_days",
    "matching.acceptance_probability": "acceptance_probability",
    "replications": "replications",
    "horizon_years": "years",
    "seed": "seed",
}


def field_for_parameter(parameter: str) -> str | None:
    """The form field of a `ScenarioError.parameter` ("groups[3].arrivals_per_year" included)."""
    if parameter in PARAMETER_FIELDS:
        return PARAMETER_FIELDS[parameter]
    if parameter.startswith("groups[") and parameter.endswith(".arrivals_per_year"):
        return "arrivals_per_year"
    return None


def source_scenario(source: str, *, today: dt.date) -> Scenario:
    if source == ScenarioSource.DATABASE:
        return scenario_from_database(today=today)
    if source in (ScenarioSource.AALBORG, ScenarioSource.NATIONAL):
        return scenario_from_dict(shipped_scenario_data(source))
    if source == ScenarioSource.BACKTEST:
        from .calibration import backtest_scenario

        return backtest_scenario(today=today)
    raise ValueError(f"unknown scenario source {source!r}")


def _dec(value: Any) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def build_scenario(parameters: dict[str, Any], *, today: dt.date) -> Scenario:
    p = parameters
    base = source_scenario(p["source"], today=today)
    regime = base.regime
    kind = p.get("regime") or regime.kind
    changes: dict[str, Any] = {"kind": kind}
    share = _dec(p.get("share_percent"))
    if share is not None:
        changes["share"] = share_from_percent(share)
    if p.get("rent_ceiling") not in (None, ""):
        changes["rent_ceiling"] = float(p["rent_ceiling"])
    if not p.get("use_steps", True):
        changes["steps"] = ()
    for key in ("stairwell_cap", "department_cap"):
        if p.get(key) not in (None, ""):
            changes[key] = int(p[key]) or None  # 0 means no cap
    access = _dec(p.get("access_probability"))
    response = p.get("response_days")
    if kind == "ad_hoc":
        if access is None and regime.kind != "ad_hoc":
            access = AD_HOC_ACCESS_PROBABILITY
        if response in (None, "") and regime.kind != "ad_hoc":
            response = AD_HOC_RESPONSE_DAYS
    if access is not None:
        changes["access_probability"] = float(access)
    if response not in (None, ""):
        changes["response_days"] = Distribution.fixed(float(response))
    regime = replace(regime, **changes)

    matching = base.matching
    mchanges: dict[str, Any] = {}
    if p.get("matching_mode"):
        mchanges["mode"] = p["matching_mode"]
    if p.get("matching_policy"):
        mchanges["policy"] = p["matching_policy"]
    if p.get("batch_days") not in (None, ""):
        mchanges["batch_days"] = float(p["batch_days"])
    acceptance = _dec(p.get("acceptance_probability"))
    if acceptance is not None:
        mchanges["acceptance_probability"] = float(acceptance)
    matching = replace(matching, **mchanges)

    groups = base.groups
    arrivals = _dec(p.get("arrivals_per_year"))
    if arrivals is not None:
        total = sum(g.arrivals_per_year for g in groups)
        target = float(arrivals)
        groups = tuple(
            replace(
                g,
                arrivals_per_year=(
                    g.arrivals_per_year * target / total if total > 0 else target / len(groups)
                ),
            )
            for g in groups
        )

    top: dict[str, Any] = {"regime": regime, "matching": matching, "groups": groups}
    if p.get("name"):
        top["name"] = str(p["name"])
    for key, field in (("replications", "replications"), ("seed", "seed")):
        if p.get(key) not in (None, ""):
            top[field] = int(p[key])
    if p.get("years") not in (None, "") and p["source"] != ScenarioSource.BACKTEST:
        # a backtest is always the past year
        horizon = float(p["years"]) * DAYS_PER_YEAR
        top["horizon_days"] = horizon
        if base.warmup_days >= horizon:
            top["warmup_days"] = 0.0
    return base.with_changes(**top)
