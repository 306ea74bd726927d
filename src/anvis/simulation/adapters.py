"""Scenario from the database: today's waiting list, stock and agreement as a simulator scenario.

`scenario_from_database(today=...)` reads, in a handful of queries (values lists, no model
instances, so it stays fast at Aalborg scale of 30,000 dwellings):

- the waiting list: open cases with status *waiting* or *offered* (both are still homeless);
  each is read as the placement gate reads it, as the matching engine's `Citizen`
  (`anvis.vacancies.pool.case_citizens`), and becomes an `InitialCitizen`
  (`anvis_core.simulation.initial_citizen`) with its days waited (since `waiting_since`), its
  priority points (the system's priority weights), its room need, each of its accessibility
  needs, and its affordability as the gate judges it: on a housing budget (rent + a conto − the
  estimated housing benefit against what the household can pay, rule `unaffordable`) when the
  household income for the benefit is recorded and no maximum rent was set by hand, else on
  the maximum rent (unknown income: no limit of its own, the agreement's ceiling still
  applies). Its group is situation × age band (18–24, 25–49, 50+ on `today`);
- the stock: every dwelling of the agreement's parties on `today` (a party that has left is not
  simulated; all organisations when no agreement is
  in force) with organisation, department, entrance, rent, a conto, area, rooms, type and its
  accessibility features as the gate reads them (`vacancies.adapters.dwelling_features`);
- the agreement version in force `today` (share, rent ceiling with its basis and comparison,
  covered types, caps per entrance and department, a cap of 0 meaning no placements as in the
  gate, the municipality's response deadline and the citizen's offer deadline in working days,
  converted to calendar days × 7/5) and the department steps in force;
- the departments closed today by composition monitoring: the monitoring app's
  `department_status_map`, which the placement gate reads too (`vacancies.adapters.load_setting`);
- arrival rates: the cases registered (`opened_on`) in the last 12 months, per situation × age
  band, are the yearly rates. When fewer than `MIN_REGISTRATIONS` were registered, the data are
  too thin and the Aalborg defaults apply instead: Aalborg's 440 new homeless a year for its
  30,000 social dwellings, scaled by the number of dwellings here, split over situations and
  age bands as in `docs/scenarios/aalborg.toml`.

The ranking uses the system's score weights (`vacancies.gate.score_weights`, as the candidate
page and the batch) and priority weights (`cases.adapters.priority_weights`): a group's points
for newcomers are its situation's points (no children, discharge or urgency counted).

Group parameters that the database does not hold (share of waiting time in a shelter, exits by
other routes, and the distributions of maximum rent and rooms for new citizens when a group has
fewer than `MIN_SAMPLE` cases to draw from) come from the Aalborg scenario's group of the same
situation class and age band. New citizens are drawn from the groups' distributions (a maximum
rent by the cases app's rule, one generic accessibility need), not as households.
"""

from __future__ import annotations

import datetime as dt
import math
import tomllib
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Count

from anvis.agreements.models import AgreementVersion, AllocationAgreement, DepartmentStep
from anvis.cases.adapters import max_rent_rule, priority_weights
from anvis.cases.models import Case, CaseStatus
from anvis.cases.models import Situation as CaseSituation
from anvis.common import formats as fmt
from anvis.monitoring.selectors import department_status_map
from anvis.simulation.start_state import (
    bucket_credits,
    held_vacancies,
    recent_placements,
    support_methods,
)
from anvis.stock.models import Dwelling, DwellingType
from anvis.vacancies.adapters import dwelling_features
from anvis.vacancies.gate import score_weights
from anvis.vacancies.pool import case_citizens
from anvis_core.cases.economy import max_rent_amount
from anvis_core.cases.household import room_need
from anvis_core.cases.priority import PriorityInputs, priority_score
from anvis_core.cases.situation import Situation as CoreSituation
from anvis_core.cpr import age_on
from anvis_core.simulation import (
    Distribution,
    DwellingSpec,
    DwellingTypeSpec,
    ExplicitStockSpec,
    GroupSpec,
    InitialCitizen,
    RegimeSpec,
    Scenario,
    ScenarioError,
    StepSpec,
    initial_citizen,
    scenario_from_dict,
)

MIN_REGISTRATIONS = 12
MIN_SAMPLE = 5
AALBORG_DWELLINGS = 30_000
CALENDAR_PER_WORKING_DAY = 7 / 5

# Turnover a year per dwelling type. Family and youth: LBF temastatistik 2020:7. The other
# types have no published rate; they use the family rate (assumption).
TURNOVER_PER_YEAR = {DwellingType.FAMILY: 0.104, DwellingType.YOUTH: 0.399}
DEFAULT_TURNOVER = 0.104

# The database's situations in the Aalborg scenario's three situation classes.
SITUATION_CLASS = {
    CaseSituation.ROUGH_SLEEPING: "street",
    CaseSituation.NIGHT_SHELTER: "street",
    CaseSituation.SHELTER_110: "shelter",
    CaseSituation.WOMENS_SHELTER: "shelter",
    CaseSituation.RELEASE_NO_ADDRESS: "sofa_or_other",
    CaseSituation.FRIENDS_FAMILY: "sofa_or_other",
    CaseSituation.TEMPORARY_HOUSING: "sofa_or_other",
}
AGE_BANDS = ("18-24", "25-49", "50+")


def scenarios_dir() -> Path:
    return Path(getattr(settings, "ANVIS_SCENARIOS_DIR", settings.BASE_DIR / "docs" / "scenarios"))


def shipped_scenario_data(name: str) -> dict[str, Any]:
    """The base table of a shipped scenario file (without its variants)."""
    with (scenarios_dir() / f"{name}.toml").open("rb") as fh:
        data = tomllib.load(fh)
    data.pop("variants", None)
    return data


def aalborg_groups() -> dict[str, GroupSpec]:
    """The Aalborg scenario's groups by name ("street 18-24", …)."""
    base = shipped_scenario_data("aalborg")
    return {g.name: g for g in scenario_from_dict(base).groups}


def age_band(age: int) -> str:
    if age < 25:
        return "18-24"
    if age < 50:
        return "25-49"
    return "50+"


@dataclass(frozen=True)
class _CaseRow:
    pk: int
    situation: str
    band: str
    waiting_days: float
    max_rent: float
    rooms: int
    accessible: bool


def _case_rows(qs: Any, today: dt.date, age_day_field: str) -> list[_CaseRow]:
    rows = []
    rule = max_rent_rule()
    for r in qs.annotate(n_children=Count("children")).values(
        "pk",
        "situation",
        "waiting_since",
        "opened_on",
        "citizen__birth_date",
        "adults",
        "extra_rooms",
        "income_amount",
        "housing_benefit",
        "max_rent_override",
        "needs_step_free",
        "needs_elevator",
        "needs_wheelchair",
        "n_children",
    ):
        age_day = today if age_day_field == "today" else r["opened_on"]
        band = age_band(age_on(r["citizen__birth_date"], age_day))
        try:
            amount = max_rent_amount(
                r["income_amount"], r["housing_benefit"], r["max_rent_override"], rule
            )
        except ValueError:
            amount = None
        try:
            rooms = room_need(max(1, r["adults"]), r["n_children"], r["extra_rooms"]).min_rooms
        except ValueError:
            rooms = 1
        rows.append(
            _CaseRow(
                pk=r["pk"],
                situation=r["situation"],
                band=band,
                waiting_days=float(max(0, (today - r["waiting_since"]).days)),
                max_rent=math.inf if amount is None else float(amount),
                rooms=rooms,
                accessible=bool(
                    r["needs_step_free"] or r["needs_elevator"] or r["needs_wheelchair"]
                ),
            )
        )
    return rows


def _empirical(values: list[float], fallback: Distribution) -> Distribution:
    finite = [v for v in values if math.isfinite(v)]
    if len(finite) < MIN_SAMPLE:
        return fallback
    counts = Counter(finite)
    keys = sorted(counts)
    return Distribution("choice", values=tuple(keys), weights=tuple(float(counts[k]) for k in keys))


def agreement_in_force(
    today: dt.date,
) -> tuple[AllocationAgreement | None, AgreementVersion | None]:
    for agreement in AllocationAgreement.objects.order_by("-period_start", "pk"):
        if agreement.in_force_on(today):
            version = agreement.version_for(today)
            if version is not None:
                return agreement, version
    return None, None


def _regime(
    agreement: AllocationAgreement | None,
    version: AgreementVersion | None,
    today: dt.date,
    department_key: dict[int, str],
) -> tuple[RegimeSpec, dict[str, str], float]:
    """The regime, department → step name, and the offer response time in calendar days."""
    # closed by composition monitoring, as the placement gate reads it (load_setting)
    statuses = department_status_map(today, list(department_key))
    closed = tuple(sorted(department_key[dept] for dept, info in statuses.items() if info.closed))
    if version is None or agreement is None:
        return RegimeSpec(closed_departments=closed), {}, 5.0
    steps: dict[str, StepSpec] = {}
    department_steps: dict[str, str] = {}
    seen: set[int] = set()
    for step in DepartmentStep.objects.filter(
        agreement=agreement, valid_from__lte=today, department_id__in=list(department_key)
    ).order_by("department_id", "-valid_from", "-pk"):
        if step.department_id in seen:
            continue
        seen.add(step.department_id)
        name = f"{step.label} ({fmt.percent(step.share_percent, None)})"
        steps.setdefault(name, StepSpec(name=name, share=step.share))
        department_steps[department_key[step.department_id]] = name
    regime = RegimeSpec(
        kind="agreement",
        share=version.share,
        steps=tuple(steps.values()),
        rent_ceiling=float(version.rent_ceiling),
        rent_ceiling_basis=version.rent_ceiling_basis,
        rent_ceiling_comparison=version.rent_ceiling_comparison,
        covered_types=tuple(version.covered_dwelling_types or (DwellingType.FAMILY,)),
        response_days=Distribution.fixed(
            version.response_deadline_working_days * CALENDAR_PER_WORKING_DAY
        ),
        # None: no cap; 0: no placements (the gate's CapState(max=0))
        stairwell_cap=version.cap_per_entrance_12m,
        department_cap=version.cap_per_department_12m,
        closed_departments=closed,
    )
    return regime, department_steps, version.offer_response_working_days * CALENDAR_PER_WORKING_DAY


def _stock(
    agreement: AllocationAgreement | None, today: dt.date
) -> tuple[list[DwellingSpec], dict[int, str], set[str]]:
    qs = Dwelling.objects.all()
    if agreement is not None:
        qs = qs.filter(entrance__department__organisation__in=agreement.parties_on(today))
    dwellings = []
    department_key: dict[int, str] = {}
    types: set[str] = set()
    for (
        pk,
        entrance_id,
        department_id,
        number,
        org_name,
        org_cvr,
        rent,
        aconto,
        rooms,
        dtype,
        step_free,
        elevator,
        wheelchair,
        floor,
        area,
    ) in qs.order_by("pk").values_list(
        "pk",
        "entrance_id",
        "entrance__department_id",
        "entrance__department__number",
        "entrance__department__organisation__name",
        "entrance__department__organisation__cvr",
        "rent",
        "aconto",
        "rooms",
        "dwelling_type",
        "step_free",
        "elevator",
        "wheelchair",
        "floor",
        "area_m2",
    ):
        organisation = f"{org_name} ({org_cvr})"
        department = department_key.setdefault(department_id, f"{org_name}, afd. {number}")
        types.add(dtype)
        dwellings.append(
            DwellingSpec(
                organisation=organisation,
                department=department,
                entrance=f"{department} / {entrance_id}",
                rent=float(rent),
                aconto=float(aconto),
                rooms=int(rooms),
                type=dtype,
                accessible=bool(step_free or elevator or wheelchair),
                features=tuple(
                    sorted(
                        dwelling_features(
                            step_free=step_free,
                            elevator=elevator,
                            wheelchair=wheelchair,
                            floor=floor,
                        )
                    )
                ),
                area_m2=float(area),
                id=str(pk),
            )
        )
    return dwellings, department_key, types


def _arrival_rates(
    registered: list[_CaseRow], thin: bool, n_dwellings: int, defaults: dict[str, GroupSpec]
) -> dict[tuple[str, str], float]:
    """New cases a year per situation × age band (or the scaled Aalborg defaults when thin)."""
    arrivals: dict[tuple[str, str], float] = defaultdict(float)
    if thin:
        scale = n_dwellings / AALBORG_DWELLINGS
        members: dict[str, list[str]] = defaultdict(list)
        for situation, klass in SITUATION_CLASS.items():
            members[klass].append(situation.value)
        for klass, situations in members.items():
            for band in AGE_BANDS:
                rate = defaults[f"{klass} {band}"].arrivals_per_year * scale
                for situation in situations:
                    arrivals[(situation, band)] += rate / len(situations)
    else:
        for row in registered:
            arrivals[(row.situation, row.band)] += 1.0
    return arrivals


def _groups(
    keys: list[tuple[str, str]],
    arrivals: dict[tuple[str, str], float],
    by_group: dict[tuple[str, str], list[_CaseRow]],
    defaults: dict[str, GroupSpec],
) -> list[GroupSpec]:
    groups = []
    weights = priority_weights()
    for situation, band in keys:
        base = defaults[f"{SITUATION_CLASS[CaseSituation(situation)]} {band}"]
        # a newcomer's points: its situation's, as the system's priority weights give them
        inputs = PriorityInputs(waiting_since=dt.date.min, situation=CoreSituation(situation))
        points = priority_score(inputs, weights, dt.date.min).total
        sample = by_group[(situation, band)]
        groups.append(
            replace(
                base,
                name=f"{situation} {band}",
                situation=situation,
                age_band=band,
                initial=0,
                priority_points=float(points),
                arrivals_per_year=round(arrivals.get((situation, band), 0.0), 4),
                max_rent=_empirical([r.max_rent for r in sample], base.max_rent),
                rooms_needed=_empirical([float(r.rooms) for r in sample], base.rooms_needed),
                accessible_probability=(
                    sum(r.accessible for r in sample) / len(sample)
                    if len(sample) >= MIN_SAMPLE
                    else base.accessible_probability
                ),
            )
        )
    return groups


def waiting_citizens(
    qs: Any, waiting: list[_CaseRow], today: dt.date
) -> tuple[InitialCitizen, ...]:
    """The cases of `qs` (read as the rows `waiting`) as initial citizens on `today`, each
    judged as the gate judges its case."""
    citizens = case_citizens(qs, today=today)
    per_day = float(priority_weights().points_per_waiting_day)
    return tuple(
        initial_citizen(
            citizens[r.pk],
            group=f"{r.situation} {r.band}",
            waiting_days=r.waiting_days,
            points_per_day=per_day,
        )
        for r in waiting
    )


def scenario_from_database(*, today: dt.date, name: str = "Kommunens egne data") -> Scenario:
    """Today's waiting list, stock and agreement as a scenario (see the module docstring).

    Raises `ScenarioError` when the data do not make a scenario (e.g. no dwellings).
    """
    defaults = aalborg_groups()
    agreement, version = agreement_in_force(today)
    dwellings, department_key, type_names = _stock(agreement, today)
    if not dwellings:
        raise ScenarioError("stock.dwellings", "the database holds no dwellings to simulate")
    regime, department_steps, offer_days = _regime(agreement, version, today, department_key)
    for covered in regime.covered_types:
        type_names.add(covered)
    types = tuple(
        DwellingTypeSpec(name=t, turnover_per_year=TURNOVER_PER_YEAR.get(t, DEFAULT_TURNOVER))
        for t in sorted(type_names or {DwellingType.FAMILY})
    )

    waiting_qs = Case.objects.filter(status__in=[CaseStatus.WAITING, CaseStatus.OFFERED])
    waiting = _case_rows(waiting_qs, today, "today")
    registered = _case_rows(
        Case.objects.filter(
            opened_on__gt=today - dt.timedelta(days=365), opened_on__lte=today
        ).exclude(situation=""),
        today,
        "opened_on",
    )

    thin = len(registered) < MIN_REGISTRATIONS
    arrivals = _arrival_rates(registered, thin, len(dwellings), defaults)

    by_group: dict[tuple[str, str], list[_CaseRow]] = defaultdict(list)
    for row in waiting + registered:
        by_group[(row.situation, row.band)].append(row)
    keys = sorted(
        {(r.situation, r.band) for r in waiting} | {k for k, v in arrivals.items() if v > 0},
        key=lambda k: (list(CaseSituation.values).index(k[0]), AGE_BANDS.index(k[1])),
    )

    groups = _groups(keys, arrivals, by_group, defaults)
    initial = waiting_citizens(waiting_qs, waiting, today)
    base_scenario = scenario_from_dict(shipped_scenario_data("aalborg"))
    description = (
        f"{len(waiting)} på ventelisten, {len(dwellings)} boliger, "
        f"{len(registered)} nye sager de sidste 12 måneder"
        + (" (for få: Aalborg-standardtilgang)" if thin else "")
        + (f"; aftale: {agreement.title}" if agreement else "; ingen aftale i kraft")
    )
    ids = {d.id for d in dwellings}
    return Scenario(
        name=name,
        description=description,
        groups=tuple(groups),
        stock=ExplicitStockSpec(
            dwellings=tuple(dwellings), types=types, department_steps=department_steps
        ),
        initial_citizens=initial,
        open_vacancies=held_vacancies(ids),
        recent_placements=recent_placements(today, ids),
        tenancy=replace(base_scenario.tenancy, methods=support_methods(today)),
        regime=replace(regime, start_credit=bucket_credits(agreement)),
        matching=replace(
            base_scenario.matching,
            offer_response_days=Distribution.fixed(offer_days),
            points_per_day=float(priority_weights().points_per_waiting_day),
            weights=score_weights(),
        ),
        costs=base_scenario.costs,
        seed=1,
        replications=20,
        as_of=today,
    )
