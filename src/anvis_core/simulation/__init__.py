"""Discrete-event policy simulator: how long until everyone is housed, and at what cost.

Pure Python (numpy, scipy); never imports Django or the anvis project. See docs/simulation.md.

Typical use from the web layer::

    scenario = Scenario(name=..., groups=..., stock=ExplicitStockSpec(...), ...)
    result = run_scenario(scenario, workers=2, progress=lambda done, total: ...)
    json.dumps(result)  # plain dicts, lists, numbers, strings and None
"""

from .engine import CompiledModel, compile_model, run_replication
from .errors import ScenarioError
from .intervals import interval
from .matching import BuiltinPolicy, MatchingPolicy, Pool, VacancyView, check_eligibility
from .results import SCHEMA, aggregate, mm1_reference
from .runner import ProgressCallback, compare, run_replications, run_scenario, run_scenarios
from .scenario import (
    CostSpec,
    Distribution,
    DwellingSpec,
    DwellingTypeSpec,
    ExplicitStockSpec,
    GroupSpec,
    HouseholdSpec,
    InitialCitizen,
    MatchingSpec,
    RegimeSpec,
    Scenario,
    StepSpec,
    SyntheticStockSpec,
    initial_citizen,
    load_scenarios,
    scenario_from_dict,
    scenarios_from_dict,
)
from .stock import Stock, build_stock, generate_stock, stock_from_dwellings

__all__ = [
    "SCHEMA",
    "BuiltinPolicy",
    "CompiledModel",
    "CostSpec",
    "Distribution",
    "DwellingSpec",
    "DwellingTypeSpec",
    "ExplicitStockSpec",
    "GroupSpec",
    "HouseholdSpec",
    "InitialCitizen",
    "MatchingPolicy",
    "MatchingSpec",
    "Pool",
    "ProgressCallback",
    "RegimeSpec",
    "Scenario",
    "ScenarioError",
    "StepSpec",
    "Stock",
    "SyntheticStockSpec",
    "VacancyView",
    "aggregate",
    "build_stock",
    "check_eligibility",
    "compare",
    "compile_model",
    "generate_stock",
    "initial_citizen",
    "interval",
    "load_scenarios",
    "mm1_reference",
    "run_replication",
    "run_replications",
    "run_scenario",
    "run_scenarios",
    "scenario_from_dict",
    "scenarios_from_dict",
    "stock_from_dwellings",
]
