"""The domain form: citizens and dwellings with attributes; pairs and weights come from the
eligibility rules and the score, caps become groups ``entrance:<id>``, ``department:<id>`` and
``organisation:<id>``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import numpy as np

from anvis_core.matching.eligibility import BATCH_RULES, Rule, eligible_mask
from anvis_core.matching.jsonio import (
    arr,
    fail,
    integer,
    number,
    obj,
    objective_of,
    only_keys,
    required,
    string,
)
from anvis_core.matching.model import (
    AGE_BANDS,
    CAP_LEVELS,
    NEEDS,
    Caps,
    CapState,
    Citizen,
    Context,
    Dwelling,
    Policy,
)
from anvis_core.matching.problem import GroupSpec, Objective, PairProblem, make_problem
from anvis_core.matching.scoring import ScoreWeights, score_arrays
from anvis_core.matching.table import CitizenTable
from anvis_core.rent_ceiling import CeilingBasis, CeilingComparison, CeilingTerms

BASES = tuple(b.value for b in CeilingBasis)
COMPARISONS = tuple(c.value for c in CeilingComparison)


def build_problem(
    citizens: Sequence[Citizen] | CitizenTable,
    dwellings: Sequence[Dwelling],
    context: Context,
    weights: ScoreWeights | None = None,
    rules: Sequence[Rule] = BATCH_RULES,
) -> PairProblem:
    """The pair-form problem for a batch: every eligible pair with its weight, and the caps of
    ``context`` as groups (the remaining room of each cap is enforced by the solver)."""
    w = weights if weights is not None else ScoreWeights()
    table = citizens if isinstance(citizens, CitizenTable) else CitizenTable.build(citizens)
    pcs: list[np.ndarray[Any, Any]] = []
    pds: list[np.ndarray[Any, Any]] = []
    pws: list[np.ndarray[Any, Any]] = []
    for j, d in enumerate(dwellings):
        rows = np.flatnonzero(eligible_mask(table, d, context, rules))
        if rows.size == 0:
            continue
        pcs.append(rows)
        pds.append(np.full(rows.size, j, dtype=np.int64))
        pws.append(score_arrays(table, d, context, w, rows).total)
    specs: list[GroupSpec] = []
    gindex: dict[tuple[str, str], int] = {}
    dgroups: list[list[int]] = []
    for d in dwellings:
        lst: list[int] = []
        for level, unit, cap in context.caps.for_dwelling(d):
            key = (level, unit)
            if key not in gindex:
                gindex[key] = len(specs)
                specs.append(GroupSpec(f"{level}:{unit}", cap.max, cap.min, cap.placed))
            lst.append(gindex[key])
        dgroups.append(lst)

    def cat(parts: list[np.ndarray[Any, Any]], dtype: type) -> np.ndarray[Any, Any]:
        return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)

    pc = cat(pcs, np.int64)
    pd = cat(pds, np.int64)
    # Pairs ordered citizen by citizen, so that the input order does not depend on how the
    # dwellings were scanned.
    order = np.lexsort((pd, pc))
    return make_problem(
        citizen_ids=table.ids,
        dwelling_ids=[d.id for d in dwellings],
        pair_citizen=pc[order],
        pair_dwelling=pd[order],
        pair_weight=cat(pws, np.float64)[order],
        groups=specs,
        dwelling_groups=dgroups,
    )


# --- JSON ------------------------------------------------------------------------------------

DOMAIN_KEYS = frozenset(
    {
        "form",
        "objective",
        "as_of",
        "policy",
        "weights",
        "citizens",
        "dwellings",
        "caps",
        "closed_departments",
    }
)
CITIZEN_KEYS = frozenset(
    {
        "id",
        "priority",
        "max_rent",
        "household_persons",
        "min_rooms",
        "needs",
        "pets",
        "barred_until",
        "excluded_districts",
        "excluded_departments",
        "wished_districts",
        "wished_departments",
        "preferred_floors",
        "age_band",
        "declined_units",
        "housed_since",
        "can_pay",
        "benefit_income",
        "children",
        "pensioner",
        "disability_pension",
    }
)
DWELLING_KEYS = frozenset(
    {
        "id",
        "rent",
        "rooms",
        "district",
        "department",
        "entrance",
        "organisation",
        "floor",
        "features",
        "pets_allowed",
        "designated_area",
        "age_group",
        "available_since",
        "daily_rent",
        "unit",
        "aconto",
        "area_m2",
        "ceiling",
        "agreement_in_force",
    }
)
POLICY_KEYS = frozenset(
    {
        "rent_ceiling",
        "persons_per_room",
        "ceiling_basis",
        "ceiling_comparison",
        "agreement_in_force",
    }
)
NOT_IN_BATCH = frozenset({"waiting", "paused_until", "has_active_offer"})
"""Citizen fields a batch does not carry: every citizen of a batch is waiting, not paused and
without an active offer (the pool holds only such cases)."""


def _optional_date(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def citizen_json(c: Citizen) -> dict[str, Any]:
    """A citizen in the domain form (the reverse of the reader below: every field the batch's
    rules read; :data:`NOT_IN_BATCH` aside). An unknown maximum rent is written as ``null``,
    never as a ceiling: the batch judges it by each dwelling's own ceiling terms, written with
    the dwelling (:func:`dwelling_json`)."""
    return {
        "id": c.id,
        "priority": c.priority,
        "max_rent": c.max_rent,
        "household_persons": c.household_persons,
        "min_rooms": c.min_rooms,
        "needs": sorted(c.needs),
        "pets": c.pets,
        "barred_until": _optional_date(c.barred_until),
        "excluded_districts": sorted(c.excluded_districts),
        "excluded_departments": sorted(c.excluded_departments),
        "wished_districts": sorted(c.wished_districts),
        "wished_departments": sorted(c.wished_departments),
        "preferred_floors": sorted(c.preferred_floors),
        "age_band": c.age_band,
        "declined_units": sorted(c.declined_units),
        "housed_since": _optional_date(c.housed_since),
        "can_pay": c.can_pay,
        "benefit_income": c.benefit_income,
        "children": c.children,
        "pensioner": c.pensioner,
        "disability_pension": c.disability_pension,
    }


def dwelling_json(d: Dwelling) -> dict[str, Any]:
    """A dwelling in the domain form, with the ceiling terms that judge it and whether an
    agreement is in force for its organisation (``null``: the policy's answer)."""
    return {
        "id": d.id,
        "rent": d.rent,
        "rooms": d.rooms,
        "floor": d.floor,
        "features": sorted(d.features),
        "district": d.district,
        "department": d.department_id,
        "entrance": d.entrance_id,
        "organisation": d.organisation_id,
        "pets_allowed": d.pets_allowed,
        "designated_area": d.designated_area,
        "age_group": d.age_group,
        "available_since": _optional_date(d.available_since),
        "daily_rent": d.daily_rent,
        "unit": d.unit,
        "aconto": d.aconto,
        "area_m2": d.area_m2,
        "ceiling": None
        if d.ceiling is None
        else {
            "ceiling": d.ceiling.ceiling,
            "basis": str(d.ceiling.basis),
            "comparison": str(d.ceiling.comparison),
        },
        "agreement_in_force": d.agreement_in_force,
    }


def policy_json(p: Policy) -> dict[str, Any]:
    return {
        "rent_ceiling": p.rent_ceiling,
        "persons_per_room": p.persons_per_room,
        "ceiling_basis": str(p.ceiling_basis),
        "ceiling_comparison": str(p.ceiling_comparison),
        "agreement_in_force": p.agreement_in_force,
    }


def _date(value: Any, where: str) -> date:
    if not isinstance(value, str):
        fail(f"{where}: expected a date YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{where}: {value!r} is not a date YYYY-MM-DD")


def _non_negative(value: Any, where: str) -> float:
    x = number(value, where)
    if x < 0:
        fail(f"{where}: must not be negative (got {x})")
    return x


def _bool(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        fail(f"{where}: expected true or false")
    return value


def _strings(value: Any, where: str, allowed: Sequence[str] | None = None) -> frozenset[str]:
    out: set[str] = set()
    for k, v in enumerate(arr(value, where)):
        s = string(v, f"{where}[{k}]")
        if allowed is not None and s not in allowed:
            fail(f"{where}[{k}]: {s!r} is not one of {', '.join(allowed)}")
        out.add(s)
    return frozenset(out)


def _citizen(c: Any, where: str) -> Citizen:
    c = obj(c, where)
    only_keys(c, CITIZEN_KEYS, where)
    cid = string(required(c, "id", where), f"{where}.id")
    floors = frozenset(
        integer(f, f"{where}.preferred_floors[{k}]")
        for k, f in enumerate(arr(c.get("preferred_floors", []), f"{where}.preferred_floors"))
    )
    band = c.get("age_band", "older")
    if band not in AGE_BANDS:
        fail(f"{where}.age_band: expected one of {', '.join(AGE_BANDS)}, got {band!r}")
    barred = c.get("barred_until")
    housed = c.get("housed_since")
    try:
        return Citizen(
            id=cid,
            priority=number(required(c, "priority", where), f"{where}.priority"),
            # null: not known; each dwelling's ceiling applies (eligibility.max_rent_for)
            max_rent=_optional_int(required(c, "max_rent", where), f"{where}.max_rent"),
            household_persons=integer(
                c.get("household_persons", 1), f"{where}.household_persons", minimum=1
            ),
            min_rooms=integer(c.get("min_rooms", 1), f"{where}.min_rooms"),
            needs=_strings(c.get("needs", []), f"{where}.needs", NEEDS),
            pets=_bool(c.get("pets", False), f"{where}.pets"),
            barred_until=None if barred is None else _date(barred, f"{where}.barred_until"),
            excluded_districts=_strings(
                c.get("excluded_districts", []), f"{where}.excluded_districts"
            ),
            excluded_departments=_strings(
                c.get("excluded_departments", []), f"{where}.excluded_departments"
            ),
            wished_districts=_strings(c.get("wished_districts", []), f"{where}.wished_districts"),
            wished_departments=_strings(
                c.get("wished_departments", []), f"{where}.wished_departments"
            ),
            preferred_floors=floors,
            age_band=band,
            declined_units=_strings(c.get("declined_units", []), f"{where}.declined_units"),
            housed_since=None if housed is None else _date(housed, f"{where}.housed_since"),
            can_pay=_optional_int(c.get("can_pay"), f"{where}.can_pay"),
            benefit_income=_optional_int(c.get("benefit_income"), f"{where}.benefit_income"),
            children=integer(c.get("children", 0), f"{where}.children"),
            pensioner=_bool(c.get("pensioner", False), f"{where}.pensioner"),
            disability_pension=_bool(
                c.get("disability_pension", False), f"{where}.disability_pension"
            ),
        )
    except ValueError as exc:
        fail(f"{where}: {exc}")


def _dwelling(d: Any, where: str) -> Dwelling:
    d = obj(d, where)
    only_keys(d, DWELLING_KEYS, where)
    age = d.get("age_group")
    if age is not None and age not in AGE_BANDS:
        fail(f"{where}.age_group: expected one of {', '.join(AGE_BANDS)} or null, got {age!r}")
    since = d.get("available_since")
    try:
        return Dwelling(
            id=string(required(d, "id", where), f"{where}.id"),
            rent=integer(required(d, "rent", where), f"{where}.rent"),
            rooms=integer(required(d, "rooms", where), f"{where}.rooms"),
            district=string(required(d, "district", where), f"{where}.district"),
            department_id=string(required(d, "department", where), f"{where}.department"),
            entrance_id=string(required(d, "entrance", where), f"{where}.entrance"),
            organisation_id=string(required(d, "organisation", where), f"{where}.organisation"),
            floor=integer(d.get("floor", 0), f"{where}.floor"),
            features=_strings(d.get("features", []), f"{where}.features", NEEDS),
            pets_allowed=_bool(d.get("pets_allowed", False), f"{where}.pets_allowed"),
            designated_area=_bool(d.get("designated_area", False), f"{where}.designated_area"),
            age_group=age,
            available_since=None if since is None else _date(since, f"{where}.available_since"),
            daily_rent=_non_negative(d.get("daily_rent", 0.0), f"{where}.daily_rent"),
            unit=string(d.get("unit", ""), f"{where}.unit") if d.get("unit") else "",
            aconto=integer(d.get("aconto", 0), f"{where}.aconto"),
            area_m2=integer(d.get("area_m2", 0), f"{where}.area_m2"),
            ceiling=_ceiling(d.get("ceiling"), f"{where}.ceiling"),
            agreement_in_force=_optional_bool(
                d.get("agreement_in_force"), f"{where}.agreement_in_force"
            ),
        )
    except ValueError as exc:
        fail(f"{where}: {exc}")


def _optional_bool(value: Any, where: str) -> bool | None:
    return None if value is None else _bool(value, where)


def _optional_int(value: Any, where: str) -> int | None:
    return None if value is None else integer(value, where)


def _choice(value: Any, allowed: Sequence[str], where: str) -> str:
    if value not in allowed:
        fail(f"{where}: expected one of {', '.join(allowed)}, got {value!r}")
    return str(value)


def _ceiling(value: Any, where: str) -> CeilingTerms | None:
    if value is None:
        return None
    value = obj(value, where)
    only_keys(value, frozenset({"ceiling", "basis", "comparison"}), where)
    return CeilingTerms(
        ceiling=integer(required(value, "ceiling", where), f"{where}.ceiling", minimum=1),
        basis=_choice(value.get("basis", "net"), BASES, f"{where}.basis"),
        comparison=_choice(value.get("comparison", "at_most"), COMPARISONS, f"{where}.comparison"),
    )


def _caps(value: Any) -> Caps:
    value = obj(value, "caps")
    only_keys(value, frozenset(CAP_LEVELS), "caps")
    levels: dict[str, dict[str, CapState]] = {}
    for level in CAP_LEVELS:
        units: dict[str, CapState] = {}
        for unit, spec in obj(value.get(level, {}), f"caps.{level}").items():
            where = f"caps.{level}.{unit}"
            spec = obj(spec, where)
            only_keys(spec, frozenset({"max", "min", "placed"}), where)
            mx = integer(required(spec, "max", where), f"{where}.max")
            mn = integer(spec.get("min", 0), f"{where}.min")
            if mn > mx:
                fail(f"{where}: min {mn} is greater than max {mx}")
            units[unit] = CapState(max=mx, min=mn, placed=integer(spec.get("placed", 0), where))
        levels[level] = units
    return Caps(**levels)


def _weights(value: Any) -> ScoreWeights:
    value = obj(value, "weights")
    fields = ScoreWeights.__dataclass_fields__
    only_keys(value, frozenset(fields), "weights")
    kw: dict[str, Any] = {}
    for k, v in value.items():
        if k in ("void_grace_days", "decimals"):
            kw[k] = integer(v, f"weights.{k}")
        else:
            kw[k] = number(v, f"weights.{k}")
    try:
        return ScoreWeights(**kw)
    except ValueError as exc:
        fail(f"weights: {exc}")


def _policy(value: Any) -> Policy:
    value = obj(value, "policy")
    only_keys(value, POLICY_KEYS, "policy")
    p = Policy()
    return Policy(
        rent_ceiling=integer(value.get("rent_ceiling", p.rent_ceiling), "policy.rent_ceiling"),
        persons_per_room=integer(
            value.get("persons_per_room", p.persons_per_room), "policy.persons_per_room", minimum=1
        ),
        ceiling_basis=_choice(
            value.get("ceiling_basis", p.ceiling_basis), BASES, "policy.ceiling_basis"
        ),
        ceiling_comparison=_choice(
            value.get("ceiling_comparison", p.ceiling_comparison),
            COMPARISONS,
            "policy.ceiling_comparison",
        ),
        agreement_in_force=_bool(
            value.get("agreement_in_force", p.agreement_in_force), "policy.agreement_in_force"
        ),
    )


def parse_domain_input(
    data: Any,
) -> tuple[list[Citizen], list[Dwelling], Context, ScoreWeights, Objective]:
    data = obj(data, "problem")
    only_keys(data, DOMAIN_KEYS, "problem")
    objective = objective_of(data)
    as_of = _date(required(data, "as_of", "problem"), "as_of")
    citizens = [
        _citizen(c, f"citizens[{i}]")
        for i, c in enumerate(arr(required(data, "citizens", "problem"), "citizens"))
    ]
    dwellings = [
        _dwelling(d, f"dwellings[{i}]")
        for i, d in enumerate(arr(required(data, "dwellings", "problem"), "dwellings"))
    ]
    for name, ids in (
        ("citizens", [c.id for c in citizens]),
        ("dwellings", [d.id for d in dwellings]),
    ):
        seen: set[str] = set()
        for i, x in enumerate(ids):
            if x in seen:
                fail(f"{name}[{i}]: duplicate id {x!r}")
            seen.add(x)
    ctx = Context(
        as_of=as_of,
        policy=_policy(data.get("policy", {})),
        caps=_caps(data.get("caps", {})),
        closed_departments=_strings(data.get("closed_departments", []), "closed_departments"),
    )
    return citizens, dwellings, ctx, _weights(data.get("weights", {})), objective


def parse_domain_form(data: Any) -> tuple[PairProblem, Objective]:
    citizens, dwellings, ctx, weights, objective = parse_domain_input(data)
    return build_problem(citizens, dwellings, ctx, weights), objective


def caps_from_mapping(m: Mapping[str, Mapping[str, CapState]]) -> Caps:
    return Caps(**{k: dict(v) for k, v in m.items()})
