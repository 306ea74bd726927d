"""Scenario: every input of one simulation, as plain frozen dataclasses.

A scenario comes from a TOML or JSON file (`load_scenarios`), from a dict (`scenario_from_dict`)
or is built in code by the web layer from database rows (`Scenario(...)` with an explicit
`StockSpec` made by `stock_from_dwellings` and `InitialCitizen` rows). Units: rates are per year,
durations are in days, money is Danish kroner. All validation raises `ScenarioError` naming the
parameter.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import math
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from anvis_core.matching.model import NEEDS, Citizen
from anvis_core.matching.scoring import ScoreWeights
from anvis_core.quotas import share_from_percent
from anvis_core.rent_ceiling import BASES, COMPARISONS, CeilingBasis, CeilingComparison

from .errors import ScenarioError

DAYS_PER_YEAR = 365.25
MAX_HORIZON_YEARS = 100
"""The longest horizon a scenario may have: no planning question looks further, and a mistyped
horizon (a few zeros too many) would keep the run going for days."""
POLICIES = ("baseline", "production")
PRODUCTION_RULE_CODES: tuple[str, ...] = (
    "not_waiting",
    "active_offer",
    "declined_before",
    "department_closed",
    "cap_reached",
    "rent_over_ceiling",
    "rent_over_max",
    "unaffordable",
    "below_min_rooms",
    "accessibility",
)
"""The production eligibility rules (`anvis_core.matching.eligibility`) whose fields the
simulated citizens and dwellings carry; `matching.rules` may choose among them."""
DISTRIBUTION_KINDS = ("fixed", "uniform", "normal", "exponential", "choice")


@dataclass(frozen=True)
class Distribution:
    """A one-dimensional distribution for citizen attributes and durations.

    fixed(value) · uniform(low, high) · normal(mean, sd) · exponential(mean) ·
    choice(values, weights); any of them optionally clipped to [minimum, maximum].
    """

    kind: str = "fixed"
    a: float = 0.0
    b: float = 0.0
    values: tuple[float, ...] = ()
    weights: tuple[float, ...] = ()
    minimum: float | None = None
    maximum: float | None = None

    @classmethod
    def fixed(cls, value: float) -> Distribution:
        return cls("fixed", float(value))

    def sample(self, rng: np.random.Generator, n: int) -> NDArray[np.float64]:
        out: NDArray[np.float64]
        if self.kind == "fixed":
            out = np.full(n, self.a, dtype=np.float64)
        elif self.kind == "uniform":
            out = rng.uniform(self.a, self.b, n)
        elif self.kind == "normal":
            out = rng.normal(self.a, self.b, n)
        elif self.kind == "exponential":
            out = rng.exponential(self.a, n) if self.a > 0 else np.zeros(n)
        else:
            p = np.asarray(self.weights, dtype=np.float64)
            out = rng.choice(np.asarray(self.values, dtype=np.float64), size=n, p=p / p.sum())
        if self.minimum is not None or self.maximum is not None:
            out = np.clip(out, self.minimum, self.maximum)
        return out

    def sample_one(self, rng: np.random.Generator) -> float:
        if self.kind == "fixed":
            return self.a
        return float(self.sample(rng, 1)[0])

    @property
    def always_zero(self) -> bool:
        return self.kind == "fixed" and self.a == 0.0

    def to_dict(self) -> dict[str, Any]:
        if self.kind == "fixed" and self.minimum is None and self.maximum is None:
            return {"dist": "fixed", "value": self.a}
        d: dict[str, Any] = {"dist": self.kind}
        if self.kind == "fixed":
            d["value"] = self.a
        elif self.kind == "uniform":
            d.update(low=self.a, high=self.b)
        elif self.kind == "normal":
            d.update(mean=self.a, sd=self.b)
        elif self.kind == "exponential":
            d["mean"] = self.a
        else:
            d.update(values=list(self.values), weights=list(self.weights))
        if self.minimum is not None:
            d["min"] = self.minimum
        if self.maximum is not None:
            d["max"] = self.maximum
        return d


@dataclass(frozen=True)
class GroupSpec:
    """One group of citizens: a situation (street, shelter, sofa, …) and an age band."""

    name: str
    situation: str = ""
    age_band: str = ""
    arrivals_per_year: float = 0.0
    initial: int = 0
    initial_waiting_days: Distribution = field(default_factory=lambda: Distribution.fixed(0))
    exits_per_year: float = 0.0
    priority_points: float = 0.0
    homeless: bool = True
    shelter_fraction: float = 0.0
    max_rent: Distribution = field(default_factory=lambda: Distribution.fixed(math.inf))
    rooms_needed: Distribution = field(default_factory=lambda: Distribution.fixed(1))
    accessible_probability: float = 0.0
    support_per_year: float | None = None


@dataclass(frozen=True)
class HouseholdSpec:
    """What the production rule `unaffordable` reads of a household whose affordability is
    judged per dwelling (rent + a conto − the estimated housing benefit against what it can
    pay): `Citizen.can_pay`, `benefit_income`, persons, children and the pension flags of
    `anvis_core.matching.model.Citizen`. Amounts in whole kroner (can_pay a month, income a
    year)."""

    can_pay: int
    benefit_income: int
    persons: int = 1
    children: int = 0
    pensioner: bool = False
    disability_pension: bool = False


@dataclass(frozen=True)
class InitialCitizen:
    """A citizen already on the waiting list at the start (e.g. from the database).

    `needs_accessible` is the generic model's one accessibility need (read as step-free
    access, as `GroupSpec.accessible_probability` is); `needs` names the case's own needs
    (`anvis_core.matching.model.NEEDS`), each judged against the dwelling's features by the
    production rule `accessibility`. With a `household` the citizen's affordability is judged
    as production judges a case whose household income for the benefit is recorded (rule
    `unaffordable`) and `max_rent` is not read; without one, `max_rent` is (rule
    `rent_over_max`). `priority_points` replaces the group's points for this citizen (a case's
    own points, as the candidate page computes them)."""

    group: str
    waiting_days: float = 0.0
    max_rent: float = math.inf
    rooms_needed: int = 1
    needs_accessible: bool = False
    needs: tuple[str, ...] = ()
    household: HouseholdSpec | None = None
    priority_points: float | None = None


def initial_citizen(
    citizen: Citizen, *, group: str, waiting_days: float, points_per_day: float
) -> InitialCitizen:
    """A waiting citizen as the matching engine sees it (the `Citizen` the placement gate and
    the candidate page judge) as an initial citizen of `group`: its maximum rent (∞ when not
    known), room need, accessibility needs, its household when its affordability is judged on
    a housing budget (`Citizen.affordability_estimated`), and its priority without the waiting
    days (`points_per_day` × `waiting_days`), which the simulator adds itself."""
    household = None
    if citizen.affordability_estimated:
        household = HouseholdSpec(
            can_pay=citizen.can_pay or 0,
            benefit_income=citizen.benefit_income or 0,
            persons=citizen.household_persons,
            children=min(citizen.children, citizen.household_persons - 1),
            pensioner=citizen.pensioner,
            disability_pension=citizen.disability_pension,
        )
    return InitialCitizen(
        group=group,
        waiting_days=waiting_days,
        max_rent=math.inf if citizen.max_rent is None else float(citizen.max_rent),
        rooms_needed=citizen.min_rooms,
        needs=tuple(n for n in NEEDS if n in citizen.needs),
        household=household,
        priority_points=citizen.priority - points_per_day * waiting_days,
    )


@dataclass(frozen=True)
class DwellingTypeSpec:
    name: str
    turnover_per_year: float
    department_fraction: float = 0.0
    rooms: Distribution = field(default_factory=lambda: Distribution.fixed(2))


DEFAULT_TYPES = (
    DwellingTypeSpec(
        "family",
        turnover_per_year=0.104,
        department_fraction=0.88,
        rooms=Distribution("choice", values=(1, 2, 3, 4, 5), weights=(6, 26, 38, 23, 7)),
    ),
    DwellingTypeSpec(
        "youth",
        turnover_per_year=0.399,
        department_fraction=0.12,
        rooms=Distribution("choice", values=(1, 2), weights=(7, 3)),
    ),
)


@dataclass(frozen=True)
class SyntheticStockSpec:
    """Parameters of the generated stock (see `stock.generate_stock`)."""

    seed: int = 2022
    organisations: int = 20
    departments: int = 250
    dwellings: int = 30_000
    mean_rent_per_m2_year: float = 899.0
    area_by_rooms: tuple[float, ...] = (40.0, 60.0, 80.0, 95.0, 110.0)
    area_sd: float = 0.12
    build_years: tuple[int, int] = (1930, 2022)
    rent_factor_oldest: float = 0.85
    rent_factor_newest: float = 1.2
    department_rent_sd: float = 0.10
    dwelling_rent_sd: float = 0.06
    dwellings_per_entrance: int = 8
    accessible_fraction: float = 0.05
    turnover_sd: float = 0.2
    types: tuple[DwellingTypeSpec, ...] = field(default_factory=lambda: DEFAULT_TYPES)


@dataclass(frozen=True)
class DwellingSpec:
    """A dwelling given explicitly (from the database, or a small hand-made stock)."""

    organisation: str
    department: str
    entrance: str
    rent: float
    rooms: int = 1
    type: str = "family"
    accessible: bool = False
    turnover_per_year: float | None = None
    id: str = ""
    aconto: float = 0.0
    """A conto for heating and water a month (counts against a gross rent ceiling)."""
    features: tuple[str, ...] = ()
    """The dwelling's accessibility features (`anvis_core.matching.model.NEEDS`); empty with
    `accessible` set: step-free access, the generic model's one feature."""
    area_m2: float = 0.0
    """The area (the housing benefit counts a limited area per person); 0: unknown."""


@dataclass(frozen=True)
class ExplicitStockSpec:
    """A stock given dwelling by dwelling; `department_steps` maps department → step name."""

    dwellings: tuple[DwellingSpec, ...]
    types: tuple[DwellingTypeSpec, ...]
    department_steps: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class StepSpec:
    """A department step of the staircase model: its share and (synthetic stock) its weight."""

    name: str
    share: Fraction
    department_fraction: float = 0.0


@dataclass(frozen=True)
class BucketCredit:
    """The running agreement's turn counter of one bucket (an organisation's departments with
    one share): the credit towards its next municipal turn, from the ledger."""

    organisation: str
    share: Fraction
    credit: Fraction


@dataclass(frozen=True)
class RecentPlacement:
    """A placement made before the start, `days_ago` days ago: it counts against the caps of
    its stairwell and department until it leaves the rolling window."""

    dwelling: str
    days_ago: float


@dataclass(frozen=True)
class RegimeSpec:
    """'agreement': quota turns per organisation × step, ceiling and caps.

    'ad_hoc': no agreement; each relevant vacancy reaches the municipality with
    `access_probability` only, after a longer `response_days`.
    """

    kind: Literal["agreement", "ad_hoc"] = "agreement"
    share: Fraction = Fraction(27, 100)
    steps: tuple[StepSpec, ...] = ()
    rent_ceiling: float = 5000.0
    rent_ceiling_basis: str = CeilingBasis.NET.value
    """'net' (the rent) or 'gross' (rent + the dwelling's a conto): `anvis_core.rent_ceiling`."""
    rent_ceiling_comparison: str = CeilingComparison.AT_MOST.value
    """'at_most' (the rent may equal the ceiling) or 'below' (it must be less)."""
    covered_types: tuple[str, ...] = ("family",)
    response_days: Distribution = field(default_factory=lambda: Distribution.fixed(10))
    notice_lead_days: float = 0.0
    stairwell_cap: int | None = None
    department_cap: int | None = None
    """None: no cap; 0: no placements at all (as the agreement's cap of 0)."""
    cap_window_days: float = 365.0
    access_probability: float = 1.0
    other_needs_share: float = 0.0
    closed_departments: tuple[str, ...] = ()
    """Departments closed to new placements by composition monitoring (both policies)."""
    start_credit: tuple[BucketCredit, ...] = ()
    """Buckets that start from a running agreement's counter instead of zero credit."""


@dataclass(frozen=True)
class MatchingSpec:
    policy: Literal["baseline", "production"] = "baseline"
    rules: tuple[str, ...] | None = None
    """Production policy: the rules applied, by code (None: all of PRODUCTION_RULE_CODES)."""
    mode: Literal["online", "batch"] = "online"
    batch_days: float = 7.0
    acceptance_probability: float = 0.8
    offer_response_days: Distribution = field(default_factory=lambda: Distribution.fixed(5))
    max_offers: int = 5
    points_per_day: float = 1.0
    move_in_days: float = 0.0
    weights: ScoreWeights | None = None
    """Production policy: the score weights of the ranking (None: `ScoreWeights()`'s
    defaults; a scenario from the database takes the system's own)."""


@dataclass(frozen=True)
class CostSpec:
    """Prices of the municipal budget (kroner; sources in docs/simulation.md)."""

    shelter_place_per_year: float = 550_000.0
    support_per_year: float = 85_000.0
    support_years: float = 2.0
    shelter_variable_share: float = 1.0
    """Share of the shelter price that follows the number of shelter days (1: every day is
    priced in full; lower when places are paid for whether used or not)."""
    shelter_refund_share: float = 0.5
    """State refund of § 110 stays (SEL § 176 a: 50 %)."""
    shelter_refund_days_per_year: float = 90.0
    """Refunded days per person and running year (90 from 1 April 2026; 120 before)."""
    support_refund_share: float = 0.5
    """State refund of § 85 a support for up to `support_refund_years` (SEL § 176 a)."""
    support_refund_years: float = 2.0
    guarantee_per_breakdown: float = 15_000.0
    """Move-out repair and arrears paid under the guarantee for a tenancy that breaks down
    within `guarantee_years` (assumption)."""
    guarantee_years: float = 1.0
    housing_benefit_per_year: float = 0.0
    """Housing benefit of a housed citizen a year (0: not counted)."""
    housing_benefit_municipal_share: float = 0.0
    """The municipality's share of the housing benefit."""
    discount_rate: float = 0.035
    """Yearly rate the budget's years are discounted at (to the start of the horizon)."""


@dataclass(frozen=True)
class SupportMethodSpec:
    """A support method after housing (CTI, ICM, ACT, § 85, …): its share of placements, the
    share of its tenancies still running after 12 months, and its price."""

    name: str
    share: float = 1.0
    retained_12_months: float = 1.0
    support_per_year: float | None = None
    """None: the group's (or `costs.support_per_year`)."""
    support_years: float | None = None
    """None: `costs.support_years`."""


@dataclass(frozen=True)
class TenancySpec:
    """What happens after housing. A tenancy breaks down at a constant rate chosen so that
    `retained_12_months` of its method's tenancies still run after a year; a breakdown returns
    the citizen to the waiting list with probability `return_share` (otherwise they leave it)."""

    methods: tuple[SupportMethodSpec, ...] = (SupportMethodSpec("default"),)
    return_share: float = 0.5

    @property
    def breakdowns(self) -> bool:
        return any(m.retained_12_months < 1.0 for m in self.methods)


@dataclass(frozen=True)
class Scenario:
    name: str
    groups: tuple[GroupSpec, ...]
    stock: SyntheticStockSpec | ExplicitStockSpec
    regime: RegimeSpec = field(default_factory=RegimeSpec)
    matching: MatchingSpec = field(default_factory=MatchingSpec)
    costs: CostSpec = field(default_factory=CostSpec)
    tenancy: TenancySpec = field(default_factory=TenancySpec)
    description: str = ""
    seed: int = 1
    replications: int = 20
    horizon_days: float = 10 * DAYS_PER_YEAR
    warmup_days: float = 0.0
    series_interval_days: float = DAYS_PER_YEAR / 12
    initial_citizens: tuple[InitialCitizen, ...] | None = None
    open_vacancies: tuple[str, ...] = ()
    """Dwellings (explicit stock ids) the municipality holds at the start: offered at once."""
    recent_placements: tuple[RecentPlacement, ...] = ()
    as_of: dt.date | None = None
    """The day the rules are judged on (the housing benefit's rates in force); None: the
    latest rates known. A scenario from the database starts on its `today`."""

    def __post_init__(self) -> None:
        validate(self)

    def with_changes(self, **changes: Any) -> Scenario:
        """A copy with some top-level fields replaced (validated again)."""
        values = {k: getattr(self, k) for k in self.__dataclass_fields__}
        values.update(changes)
        return Scenario(**values)


# ---------------------------------------------------------------- validation of built objects


def _check(cond: bool, parameter: str, message: str) -> None:
    if not cond:
        raise ScenarioError(parameter, message)


def _nonneg(value: float, parameter: str) -> None:
    _check(
        isinstance(value, int | float) and math.isfinite(value) and value >= 0,
        parameter,
        f"must be a finite number ≥ 0, got {value!r}",
    )


def _probability(value: float, parameter: str) -> None:
    _check(
        isinstance(value, int | float) and 0.0 <= value <= 1.0,
        parameter,
        f"must be a probability within [0, 1], got {value!r}",
    )


def _check_distribution(d: Distribution, parameter: str, *, nonneg: bool = True) -> None:
    _check(d.kind in DISTRIBUTION_KINDS, f"{parameter}.dist", f"unknown distribution {d.kind!r}")
    if d.kind == "uniform":
        _check(d.a <= d.b, parameter, f"low ({d.a}) must not exceed high ({d.b})")
    if d.kind == "normal":
        _nonneg(d.b, f"{parameter}.sd")
    if d.kind == "exponential":
        _nonneg(d.a, f"{parameter}.mean")
    if d.kind == "choice":
        _check(len(d.values) > 0, f"{parameter}.values", "must not be empty")
        _check(
            len(d.values) == len(d.weights), f"{parameter}.weights", "must match values in length"
        )
        _check(
            all(w >= 0 for w in d.weights) and sum(d.weights) > 0,
            f"{parameter}.weights",
            "must be ≥ 0 with a positive sum",
        )
    if nonneg:
        low = d.minimum
        if low is None:
            low = {
                "fixed": d.a,
                "uniform": d.a,
                "exponential": 0.0,
                "choice": min(d.values) if d.values else 0.0,
            }.get(d.kind, -1.0)
        _check(low >= 0, parameter, "must not produce negative values (set min = 0)")


def _check_types(types: Sequence[DwellingTypeSpec], parameter: str) -> None:
    _check(len(types) > 0, parameter, "at least one dwelling type is required")
    names = [t.name for t in types]
    _check(len(set(names)) == len(names), parameter, "dwelling type names must be unique")
    for i, t in enumerate(types):
        _nonneg(t.turnover_per_year, f"{parameter}[{i}].turnover_per_year")
        _nonneg(t.department_fraction, f"{parameter}[{i}].department_fraction")
        _check_distribution(t.rooms, f"{parameter}[{i}].rooms")


def validate(s: Scenario) -> None:
    """Raise ScenarioError for the first invalid parameter of a built scenario."""
    _check(bool(s.name), "name", "must not be empty")
    _check(isinstance(s.seed, int) and s.seed >= 0, "seed", "must be an integer ≥ 0")
    _check(
        isinstance(s.replications, int) and s.replications >= 2,
        "replications",
        "must be an integer ≥ 2 (confidence intervals need two replications)",
    )
    _check(s.horizon_days > 0 and math.isfinite(s.horizon_days), "horizon_years", "must be > 0")
    _check(
        s.horizon_days <= MAX_HORIZON_YEARS * DAYS_PER_YEAR,
        "horizon_years",
        f"must be at most {MAX_HORIZON_YEARS}",
    )
    _nonneg(s.warmup_days, "warmup_years")
    _check(s.warmup_days < s.horizon_days, "warmup_years", "must be shorter than horizon_years")
    _check(s.series_interval_days > 0, "series_interval_days", "must be > 0")
    _check(len(s.groups) > 0, "groups", "at least one group is required")
    names = [g.name for g in s.groups]
    _check(len(set(names)) == len(names), "groups", "group names must be unique")
    for i, g in enumerate(s.groups):
        p = f"groups[{i}]"
        _check(bool(g.name), f"{p}.name", "must not be empty")
        _nonneg(g.arrivals_per_year, f"{p}.arrivals_per_year")
        _check(isinstance(g.initial, int) and g.initial >= 0, f"{p}.initial", "must be ≥ 0")
        _nonneg(g.exits_per_year, f"{p}.exits_per_year")
        _nonneg(g.priority_points, f"{p}.priority_points")
        _probability(g.shelter_fraction, f"{p}.shelter_fraction")
        _probability(g.accessible_probability, f"{p}.accessible_probability")
        _check_distribution(g.max_rent, f"{p}.max_rent")
        _check_distribution(g.rooms_needed, f"{p}.rooms_needed")
        _check_distribution(g.initial_waiting_days, f"{p}.initial_waiting_days")
        if g.support_per_year is not None:
            _nonneg(g.support_per_year, f"{p}.support_per_year")
    _validate_initial(s.initial_citizens or (), names)
    st = s.stock
    if isinstance(st, SyntheticStockSpec):
        _check(isinstance(st.seed, int) and st.seed >= 0, "stock.seed", "must be an integer ≥ 0")
        for key in ("organisations", "departments", "dwellings", "dwellings_per_entrance"):
            _check(getattr(st, key) >= 1, f"stock.{key}", "must be ≥ 1")
        _check(st.organisations <= st.departments, "stock.organisations", "must be ≤ departments")
        _check(st.departments <= st.dwellings, "stock.departments", "must be ≤ dwellings")
        _check(st.mean_rent_per_m2_year > 0, "stock.mean_rent_per_m2_year", "must be > 0")
        _check(
            len(st.area_by_rooms) > 0 and all(a > 0 for a in st.area_by_rooms),
            "stock.area_by_rooms",
            "must be a non-empty list of positive areas (m²) for 1, 2, … rooms",
        )
        for key in ("area_sd", "department_rent_sd", "dwelling_rent_sd", "turnover_sd"):
            _nonneg(getattr(st, key), f"stock.{key}")
        _check(st.rent_factor_oldest > 0, "stock.rent_factor_oldest", "must be > 0")
        _check(st.rent_factor_newest > 0, "stock.rent_factor_newest", "must be > 0")
        _check(st.build_years[0] <= st.build_years[1], "stock.build_years", "must be [first, last]")
        _probability(st.accessible_fraction, "stock.accessible_fraction")
        _check_types(st.types, "stock.types")
        _check(
            sum(t.department_fraction for t in st.types) > 0,
            "stock.types",
            "department_fraction must be positive for at least one type",
        )
    else:
        _check(len(st.dwellings) > 0, "stock.dwellings", "at least one dwelling is required")
        _check_types(st.types, "stock.types")
        type_names = {t.name for t in st.types}
        for i, d in enumerate(st.dwellings):
            _nonneg(d.rent, f"stock.dwellings[{i}].rent")
            _nonneg(d.aconto, f"stock.dwellings[{i}].aconto")
            _check(d.rooms >= 0, f"stock.dwellings[{i}].rooms", "must be ≥ 0")
            _check(d.type in type_names, f"stock.dwellings[{i}].type", f"unknown type {d.type!r}")
            _check_names(d.features, f"stock.dwellings[{i}].features")
            _nonneg(d.area_m2, f"stock.dwellings[{i}].area_m2")
            if d.turnover_per_year is not None:
                _nonneg(d.turnover_per_year, f"stock.dwellings[{i}].turnover_per_year")
    _validate_regime(s)
    _validate_matching(s)
    _validate_costs(s.costs)
    _validate_tenancy(s.tenancy)
    _validate_start(s)


def _validate_initial(citizens: Sequence[InitialCitizen], names: Sequence[str]) -> None:
    for i, c in enumerate(citizens):
        p = f"initial_citizens[{i}]"
        _check(c.group in names, f"{p}.group", f"unknown group {c.group!r}")
        _nonneg(c.waiting_days, f"{p}.waiting_days")
        _check(c.max_rent >= 0, f"{p}.max_rent", "must be ≥ 0")
        _check(c.rooms_needed >= 0, f"{p}.rooms_needed", "must be ≥ 0")
        _check_names(c.needs, f"{p}.needs")
        if c.household is not None:
            h = c.household
            _check(h.can_pay >= 0 and h.benefit_income >= 0, f"{p}.household", "amounts ≥ 0")
            _check(0 <= h.children < h.persons, f"{p}.household", "0 ≤ children < persons")


def _check_names(names: Sequence[str], parameter: str) -> None:
    for n in names:
        _check(n in NEEDS, parameter, f"unknown {n!r}; choose from {', '.join(NEEDS)}")


def _validate_start(s: Scenario) -> None:
    for i, b in enumerate(s.regime.start_credit):
        _check(0 <= b.credit < 1, f"regime.start_credit[{i}].credit", "must be within [0, 1)")
    if not s.open_vacancies and not s.recent_placements:
        return
    _check(
        isinstance(s.stock, ExplicitStockSpec),
        "open_vacancies",
        "open vacancies and recent placements need an explicit stock (dwelling ids)",
    )
    ids = {d.id for d in s.stock.dwellings} if isinstance(s.stock, ExplicitStockSpec) else set()
    for i, d in enumerate(s.open_vacancies):
        _check(d in ids, f"open_vacancies[{i}]", f"unknown dwelling {d!r}")
    for i, p in enumerate(s.recent_placements):
        _check(
            p.dwelling in ids,
            f"recent_placements[{i}].dwelling",
            f"unknown dwelling {p.dwelling!r}",
        )
        _nonneg(p.days_ago, f"recent_placements[{i}].days_ago")


def _validate_regime(s: Scenario) -> None:
    r, st = s.regime, s.stock
    _check(r.kind in ("agreement", "ad_hoc"), "regime.kind", "must be 'agreement' or 'ad_hoc'")
    _check(0 <= r.share <= 1, "regime.share_percent", "must be within 0–100 %")
    step_names = [x.name for x in r.steps]
    _check(len(set(step_names)) == len(step_names), "regime.steps", "step names must be unique")
    for i, x in enumerate(r.steps):
        _check(0 <= x.share <= 1, f"regime.steps[{i}].share_percent", "must be within 0–100 %")
        _nonneg(x.department_fraction, f"regime.steps[{i}].department_fraction")
    if isinstance(st, ExplicitStockSpec) and r.steps:
        for dep, step in st.department_steps.items():
            _check(step in step_names, "stock.department_steps", f"{dep}: unknown step {step!r}")
    _nonneg(r.rent_ceiling, "regime.rent_ceiling")
    _check(
        r.rent_ceiling_basis in BASES,
        "regime.rent_ceiling_basis",
        f"must be 'net' or 'gross', got {r.rent_ceiling_basis!r}",
    )
    _check(
        r.rent_ceiling_comparison in COMPARISONS,
        "regime.rent_ceiling_comparison",
        f"must be 'at_most' or 'below', got {r.rent_ceiling_comparison!r}",
    )
    _check_distribution(r.response_days, "regime.response_days")
    _nonneg(r.notice_lead_days, "regime.notice_lead_days")
    for key in ("stairwell_cap", "department_cap"):
        cap = getattr(r, key)
        _check(
            cap is None or cap >= 0,
            f"regime.{key}",
            "must be ≥ 0 (0: no placements; omit it for no cap)",
        )
    _check(r.cap_window_days > 0, "regime.cap_window_days", "must be > 0")
    _probability(r.access_probability, "regime.access_probability")
    _probability(r.other_needs_share, "regime.other_needs_share")


def _validate_matching(s: Scenario) -> None:
    m = s.matching
    _check(m.policy in POLICIES, "matching.policy", "must be 'baseline' or 'production'")
    for code in m.rules or ():
        _check(
            code in PRODUCTION_RULE_CODES,
            "matching.rules",
            f"unknown or unsupported rule {code!r}; choose from {', '.join(PRODUCTION_RULE_CODES)}",
        )
    _check(
        m.rules is None or m.policy == "production",
        "matching.rules",
        "rules are chosen for the production policy only",
    )
    _check(m.mode in ("online", "batch"), "matching.mode", "must be 'online' or 'batch'")
    _check(m.batch_days > 0, "matching.batch_days", "must be > 0")
    _probability(m.acceptance_probability, "matching.acceptance_probability")
    _check_distribution(m.offer_response_days, "matching.offer_response_days")
    _check(m.max_offers >= 1, "matching.max_offers", "must be ≥ 1")
    _nonneg(m.points_per_day, "matching.points_per_day")
    _nonneg(m.move_in_days, "matching.move_in_days")


COST_NUMBERS = (
    "shelter_place_per_year",
    "support_per_year",
    "support_years",
    "shelter_refund_days_per_year",
    "support_refund_years",
    "guarantee_per_breakdown",
    "guarantee_years",
    "housing_benefit_per_year",
    "discount_rate",
)
COST_SHARES = (
    "shelter_variable_share",
    "shelter_refund_share",
    "support_refund_share",
    "housing_benefit_municipal_share",
)


def _validate_costs(costs: CostSpec) -> None:
    for key in COST_NUMBERS:
        _nonneg(getattr(costs, key), f"costs.{key}")
    for key in COST_SHARES:
        _probability(getattr(costs, key), f"costs.{key}")


def _validate_tenancy(t: TenancySpec) -> None:
    _check(len(t.methods) > 0, "tenancy.methods", "at least one support method is required")
    names = [m.name for m in t.methods]
    _check(len(set(names)) == len(names), "tenancy.methods", "method names must be unique")
    _check(sum(m.share for m in t.methods) > 0, "tenancy.methods", "shares must sum to > 0")
    for i, m in enumerate(t.methods):
        p = f"tenancy.methods[{i}]"
        _check(bool(m.name), f"{p}.name", "must not be empty")
        _nonneg(m.share, f"{p}.share")
        _check(
            isinstance(m.retained_12_months, int | float) and 0 < m.retained_12_months <= 1,
            f"{p}.retained_12_months",
            f"must be a share within (0, 1], got {m.retained_12_months!r}",
        )
        if m.support_per_year is not None:
            _nonneg(m.support_per_year, f"{p}.support_per_year")
        if m.support_years is not None:
            _nonneg(m.support_years, f"{p}.support_years")
    _probability(t.return_share, "tenancy.return_share")


# ---------------------------------------------------------------- parsing from a dict / file


class _Table:
    """A dict being consumed key by key; leftovers are unknown parameters."""

    def __init__(self, data: Any, path: str) -> None:
        if not isinstance(data, Mapping):
            raise ScenarioError(path, f"must be a table, got {type(data).__name__}")
        self.data = dict(data)
        self.path = path

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def has(self, key: str) -> bool:
        return key in self.data

    def raw(self, key: str, default: Any = None) -> Any:
        return self.data.pop(key, default)

    def number(self, key: str, default: float) -> float:
        if key not in self.data:
            return default
        v = self.data.pop(key)
        if isinstance(v, bool) or not isinstance(v, int | float):
            raise ScenarioError(self.at(key), f"must be a number, got {v!r}")
        try:
            return float(v)
        except OverflowError as exc:
            raise ScenarioError(self.at(key), f"is too large, got {v!r}") from exc

    def integer(self, key: str, default: int, *, bounded: bool = True) -> int:
        """A whole number; `bounded`: one a 64-bit integer holds (the arrays count with them;
        a seed need not be)."""
        if key not in self.data:
            return default
        v = self.data.pop(key)
        if isinstance(v, bool) or not isinstance(v, int):
            raise ScenarioError(self.at(key), f"must be an integer, got {v!r}")
        if bounded and not -(2**63) <= v < 2**63:
            raise ScenarioError(self.at(key), f"is too large, got {v!r}")
        return v

    def optional_integer(self, key: str) -> int | None:
        if key not in self.data:
            return None
        return self.integer(key, 0)

    def string(self, key: str, default: str) -> str:
        if key not in self.data:
            return default
        v = self.data.pop(key)
        if not isinstance(v, str):
            raise ScenarioError(self.at(key), f"must be a string, got {v!r}")
        return v

    def boolean(self, key: str, default: bool) -> bool:
        if key not in self.data:
            return default
        v = self.data.pop(key)
        if not isinstance(v, bool):
            raise ScenarioError(self.at(key), f"must be true or false, got {v!r}")
        return v

    def percent(self, key: str, default: Fraction) -> Fraction:
        if key not in self.data:
            return default
        v = self.data.pop(key)
        if isinstance(v, bool) or not isinstance(v, int | float | str):
            raise ScenarioError(self.at(key), f"must be a percentage, got {v!r}")
        try:
            return share_from_percent(Decimal(str(v)))
        except (ValueError, InvalidOperation, OverflowError) as exc:
            raise ScenarioError(self.at(key), f"must be within 0–100 %, got {v!r}") from exc

    def distribution(self, key: str, default: Distribution) -> Distribution:
        if key not in self.data:
            return default
        return parse_distribution(self.data.pop(key), self.at(key))

    def tables(self, key: str) -> list[_Table]:
        v = self.data.pop(key, [])
        if not isinstance(v, list):
            raise ScenarioError(self.at(key), "must be a list of tables")
        return [_Table(item, f"{self.at(key)}[{i}]") for i, item in enumerate(v)]

    def finish(self) -> None:
        if self.data:
            unknown = ", ".join(sorted(self.at(k) for k in self.data))
            raise ScenarioError(self.at(sorted(self.data)[0]), f"unknown parameter(s): {unknown}")


def parse_distribution(value: Any, path: str) -> Distribution:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Distribution.fixed(float(value))
    t = _Table(value, path)
    kind = t.string("dist", "fixed")
    if kind not in DISTRIBUTION_KINDS:
        raise ScenarioError(
            t.at("dist"),
            f"unknown distribution {kind!r}; use one of {', '.join(DISTRIBUTION_KINDS)}",
        )
    a = b = 0.0
    values: tuple[float, ...] = ()
    weights: tuple[float, ...] = ()
    if kind == "fixed":
        a = t.number("value", 0.0)
    elif kind == "uniform":
        a, b = t.number("low", 0.0), t.number("high", 0.0)
    elif kind == "normal":
        a, b = t.number("mean", 0.0), t.number("sd", 0.0)
    elif kind == "exponential":
        a = t.number("mean", 0.0)
    else:
        raw_values = t.raw("values", [])
        raw_weights = t.raw("weights", None)
        if not isinstance(raw_values, list) or not all(
            isinstance(x, int | float) for x in raw_values
        ):
            raise ScenarioError(t.at("values"), "must be a list of numbers")
        if raw_weights is None:
            raw_weights = [1.0] * len(raw_values)
        if not isinstance(raw_weights, list) or not all(
            isinstance(x, int | float) for x in raw_weights
        ):
            raise ScenarioError(t.at("weights"), "must be a list of numbers")
        values = tuple(float(x) for x in raw_values)
        weights = tuple(float(x) for x in raw_weights)
    minimum = t.number("min", math.nan) if t.has("min") else None
    maximum = t.number("max", math.nan) if t.has("max") else None
    t.finish()
    d = Distribution(kind, a, b, values, weights, minimum, maximum)
    _check_distribution(d, path, nonneg=False)
    return d


def _parse_types(tables: list[_Table]) -> tuple[DwellingTypeSpec, ...]:
    out = []
    for t in tables:
        out.append(
            DwellingTypeSpec(
                name=t.string("name", ""),
                turnover_per_year=t.number("turnover_per_year", 0.104),
                department_fraction=t.number("department_fraction", 1.0),
                rooms=t.distribution("rooms", Distribution.fixed(2)),
            )
        )
        t.finish()
    return tuple(out)


def _parse_stock(t: _Table) -> SyntheticStockSpec | ExplicitStockSpec:
    kind = t.string("kind", "synthetic")
    if kind == "synthetic":
        return _parse_synthetic_stock(t)
    if kind == "departments":
        return _parse_explicit_stock(t)
    raise ScenarioError(
        t.at("kind"), f"unknown stock kind {kind!r}; use 'synthetic' or 'departments'"
    )


_SYNTHETIC_INTEGERS = (
    "seed",
    "organisations",
    "departments",
    "dwellings",
    "dwellings_per_entrance",
)
_SYNTHETIC_NUMBERS = (
    "mean_rent_per_m2_year",
    "area_sd",
    "rent_factor_oldest",
    "rent_factor_newest",
    "department_rent_sd",
    "dwelling_rent_sd",
    "accessible_fraction",
    "turnover_sd",
)


def _parse_synthetic_stock(t: _Table) -> SyntheticStockSpec:
    d = SyntheticStockSpec()
    area = t.raw("area_by_rooms", list(d.area_by_rooms))
    years = t.raw("build_years", list(d.build_years))
    if not isinstance(area, list) or not all(isinstance(a, int | float) for a in area):
        raise ScenarioError(t.at("area_by_rooms"), "must be a list of numbers")
    if not isinstance(years, list) or len(years) != 2 or not all(isinstance(y, int) for y in years):
        raise ScenarioError(t.at("build_years"), "must be [first_year, last_year]")
    types = _parse_types(t.tables("types")) or d.types
    values: dict[str, Any] = {
        k: t.integer(k, getattr(d, k), bounded=k != "seed") for k in _SYNTHETIC_INTEGERS
    }
    values.update({k: t.number(k, getattr(d, k)) for k in _SYNTHETIC_NUMBERS})
    spec = SyntheticStockSpec(
        area_by_rooms=tuple(float(a) for a in area),
        build_years=(int(years[0]), int(years[1])),
        types=types,
        **values,
    )
    t.finish()
    return spec


def _parse_explicit_stock(t: _Table) -> ExplicitStockSpec:
    """A stock given department by department, each with groups of equal dwellings."""
    types = _parse_types(t.tables("types"))
    dwellings: list[DwellingSpec] = []
    steps: dict[str, str] = {}
    for dep in t.tables("departments"):
        org = dep.string("organisation", "")
        name = dep.string("name", "")
        if not org or not name:
            raise ScenarioError(dep.path, "organisation and name are required")
        if dep.has("step"):
            steps[name] = dep.string("step", "")
        entrances = dep.integer("entrances", 1)
        if entrances < 1:
            raise ScenarioError(dep.at("entrances"), "must be ≥ 1")
        dwellings.extend(_department_dwellings(dep, types, org, name, entrances))
        dep.finish()
    t.finish()
    return ExplicitStockSpec(tuple(dwellings), types, steps)


def _department_dwellings(
    dep: _Table, types: Sequence[DwellingTypeSpec], org: str, name: str, entrances: int
) -> list[DwellingSpec]:
    """One department's dwellings, numbered and spread over its entrances in turn."""
    out: list[DwellingSpec] = []
    for grp in dep.tables("dwellings"):
        count = grp.integer("count", 1)
        if count < 0:
            raise ScenarioError(grp.at("count"), "must be ≥ 0")
        rent = grp.number("rent", 0.0)
        aconto = grp.number("aconto", 0.0)
        rooms = grp.integer("rooms", 1)
        dtype = grp.string("type", types[0].name if types else "family")
        accessible = grp.boolean("accessible", False)
        turnover = grp.number("turnover_per_year", -1.0)
        grp.finish()
        for _ in range(count):
            k = len(out)
            out.append(
                DwellingSpec(
                    organisation=org,
                    department=name,
                    entrance=f"{name}/{k % entrances + 1}",
                    rent=rent,
                    rooms=rooms,
                    type=dtype,
                    accessible=accessible,
                    turnover_per_year=None if turnover < 0 else turnover,
                    id=f"{name}/{k + 1}",
                    aconto=aconto,
                )
            )
    return out


def scenario_from_dict(data: Mapping[str, Any]) -> Scenario:
    """Build and validate one scenario from plain data (a parsed TOML/JSON document)."""
    t = _Table(data, "")
    if t.has("variants"):
        raise ScenarioError("variants", "use scenarios_from_dict for a file with variants")
    name = t.string("name", "scenario")
    description = t.string("description", "")
    seed = t.integer("seed", 1, bounded=False)
    replications = t.integer("replications", 20)
    horizon_years = t.number("horizon_years", 10.0)
    warmup_years = t.number("warmup_years", 0.0)
    series_interval_days = t.number("series_interval_days", DAYS_PER_YEAR / 12)

    groups = []
    for g in t.tables("groups"):
        d = GroupSpec(name="")
        support = g.number("support_per_year", 0.0) if g.has("support_per_year") else None
        groups.append(
            GroupSpec(
                name=g.string("name", ""),
                situation=g.string("situation", ""),
                age_band=g.string("age_band", ""),
                arrivals_per_year=g.number("arrivals_per_year", 0.0),
                initial=g.integer("initial", 0),
                initial_waiting_days=g.distribution("initial_waiting_days", d.initial_waiting_days),
                exits_per_year=g.number("exits_per_year", 0.0),
                priority_points=g.number("priority_points", 0.0),
                homeless=g.boolean("homeless", True),
                shelter_fraction=g.number("shelter_fraction", 0.0),
                max_rent=g.distribution("max_rent", d.max_rent),
                rooms_needed=g.distribution("rooms_needed", d.rooms_needed),
                accessible_probability=g.number("accessible_probability", 0.0),
                support_per_year=support,
            )
        )
        g.finish()

    stock_t = _Table(t.raw("stock", {}), "stock")
    stock = _parse_stock(stock_t)

    regime = _parse_regime(_Table(t.raw("regime", {}), "regime"))
    matching = _parse_matching(_Table(t.raw("matching", {}), "matching"))
    costs = _parse_costs(_Table(t.raw("costs", {}), "costs"))
    tenancy = _parse_tenancy(_Table(t.raw("tenancy", {}), "tenancy"))
    t.finish()
    return Scenario(
        name=name,
        description=description,
        seed=seed,
        replications=replications,
        horizon_days=horizon_years * DAYS_PER_YEAR,
        warmup_days=warmup_years * DAYS_PER_YEAR,
        series_interval_days=series_interval_days,
        groups=tuple(groups),
        stock=stock,
        regime=regime,
        matching=matching,
        costs=costs,
        tenancy=tenancy,
    )


def _parse_regime(rt: _Table) -> RegimeSpec:
    rd = RegimeSpec()
    kind = rt.string("kind", "agreement")
    if kind not in ("agreement", "ad_hoc"):
        raise ScenarioError("regime.kind", f"must be 'agreement' or 'ad_hoc', got {kind!r}")
    steps = []
    for st in rt.tables("steps"):
        steps.append(
            StepSpec(
                name=st.string("name", ""),
                share=st.percent("share_percent", Fraction(0)),
                department_fraction=st.number("department_fraction", 0.0),
            )
        )
        st.finish()
    covered = rt.raw("covered_types", list(rd.covered_types))
    if not isinstance(covered, list) or not all(isinstance(x, str) for x in covered):
        raise ScenarioError("regime.covered_types", "must be a list of dwelling type names")
    regime = RegimeSpec(
        kind="ad_hoc" if kind == "ad_hoc" else "agreement",
        share=rt.percent("share_percent", rd.share),
        steps=tuple(steps),
        rent_ceiling=rt.number("rent_ceiling", rd.rent_ceiling),
        rent_ceiling_basis=rt.string("rent_ceiling_basis", rd.rent_ceiling_basis),
        rent_ceiling_comparison=rt.string("rent_ceiling_comparison", rd.rent_ceiling_comparison),
        covered_types=tuple(covered),
        response_days=rt.distribution("response_days", rd.response_days),
        notice_lead_days=rt.number("notice_lead_days", rd.notice_lead_days),
        stairwell_cap=rt.optional_integer("stairwell_cap"),
        department_cap=rt.optional_integer("department_cap"),
        cap_window_days=rt.number("cap_window_days", rd.cap_window_days),
        access_probability=rt.number("access_probability", rd.access_probability),
        other_needs_share=rt.number("other_needs_share", rd.other_needs_share),
        closed_departments=_strings(rt, "closed_departments"),
    )
    rt.finish()
    return regime


def _parse_matching(mt: _Table) -> MatchingSpec:
    md = MatchingSpec()
    mode = mt.string("mode", md.mode)
    if mode not in ("online", "batch"):
        raise ScenarioError("matching.mode", f"must be 'online' or 'batch', got {mode!r}")
    policy = mt.string("policy", md.policy)
    if policy not in POLICIES:
        raise ScenarioError(
            "matching.policy", f"must be 'baseline' or 'production', got {policy!r}"
        )
    rules = _strings(mt, "rules") if mt.has("rules") else None
    matching = MatchingSpec(
        policy="production" if policy == "production" else "baseline",
        rules=rules,
        mode="batch" if mode == "batch" else "online",
        batch_days=mt.number("batch_days", md.batch_days),
        acceptance_probability=mt.number("acceptance_probability", md.acceptance_probability),
        offer_response_days=mt.distribution("offer_response_days", md.offer_response_days),
        max_offers=mt.integer("max_offers", md.max_offers),
        points_per_day=mt.number("points_per_day", md.points_per_day),
        move_in_days=mt.number("move_in_days", md.move_in_days),
    )
    mt.finish()
    return matching


def _parse_costs(ct: _Table) -> CostSpec:
    cd = CostSpec()
    values = {k: ct.number(k, getattr(cd, k)) for k in (*COST_NUMBERS, *COST_SHARES)}
    ct.finish()
    return CostSpec(**values)


def _parse_tenancy(tt: _Table) -> TenancySpec:
    td = TenancySpec()
    methods = []
    for mt in tt.tables("methods"):
        support = mt.number("support_per_year", 0.0) if mt.has("support_per_year") else None
        years = mt.number("support_years", 0.0) if mt.has("support_years") else None
        methods.append(
            SupportMethodSpec(
                name=mt.string("name", ""),
                share=mt.number("share", 1.0),
                retained_12_months=mt.number("retained_12_months", 1.0),
                support_per_year=support,
                support_years=years,
            )
        )
        mt.finish()
    spec = TenancySpec(
        methods=tuple(methods) or td.methods,
        return_share=tt.number("return_share", td.return_share),
    )
    tt.finish()
    return spec


def _strings(t: _Table, key: str) -> tuple[str, ...]:
    value = t.raw(key, [])
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise ScenarioError(t.at(key), "must be a list of names")
    return tuple(value)


def deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Tables merge key by key; any other value (lists included) replaces the base value."""
    out: dict[str, Any] = copy.deepcopy(dict(base))
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def scenarios_from_dict(data: Mapping[str, Any]) -> dict[str, Scenario]:
    """One scenario, or one per entry of `[variants.<name>]` (each merged over the base)."""
    if not isinstance(data, Mapping):
        raise ScenarioError("", "a scenario must be a table")
    variants = data.get("variants")
    if variants is None:
        s = scenario_from_dict(data)
        return {s.name: s}
    if not isinstance(variants, Mapping) or not variants:
        raise ScenarioError("variants", "must be a non-empty table of named variants")
    base = {k: v for k, v in data.items() if k != "variants"}
    out: dict[str, Scenario] = {}
    for vname, override in variants.items():
        if not isinstance(override, Mapping):
            raise ScenarioError(f"variants.{vname}", "must be a table")
        merged = deep_merge(base, override)
        merged.setdefault("name", vname)
        if "name" not in override:
            merged["name"] = f"{base.get('name', 'scenario')} — {vname}"
        try:
            out[vname] = scenario_from_dict(merged)
        except ScenarioError as exc:
            raise ScenarioError(f"variants.{vname}: {exc.parameter}", exc.message) from exc
    return out


def load_scenarios(path: str | Path) -> dict[str, Scenario]:
    """Read a .toml or .json scenario file; returns {variant name: scenario}."""
    p = Path(path)
    try:
        text = p.read_bytes()
    except OSError as exc:
        raise ScenarioError("", f"cannot read scenario file {p}: {exc.strerror}") from exc
    try:
        data = (
            json.loads(text) if p.suffix.lower() == ".json" else tomllib.loads(text.decode("utf-8"))
        )
    except (tomllib.TOMLDecodeError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ScenarioError("", f"cannot parse {p}: {exc}") from exc
    return scenarios_from_dict(data)
