"""Eligibility: a list of named rules, each deciding pass or fail with a reason.

Every rule has a stable ``code`` (the key the user interface translates), an English
``template``, a ``params`` method giving the values the template refers to, and a
:class:`Severity` saying what a failure means for an offer (see :mod:`anvis_core.matching.gate`,
the one decision every placement path calls). Rules are
evaluated column-wise over a :class:`CitizenTable` (``fails``), so one vacancy is checked
against ten thousand citizens in well under a millisecond per rule; the reason for one citizen
is built only when asked for. Rules that concern the dwelling alone return a single bool.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any, ClassVar

import numpy as np

from anvis_core.housing_benefit import Estimate, Household, estimate, estimate_annual_many
from anvis_core.matching.model import NEEDS, Citizen, Context, Dwelling
from anvis_core.matching.table import BoolArray, CitizenTable, needs_mask
from anvis_core.rent_ceiling import CeilingJudgement, CeilingTerms, judge_rent_ceiling


@dataclass(frozen=True)
class Reason:
    """Why a rule failed: ``code`` for translation, ``params`` for the values in the text."""

    code: str
    text: str
    params: MappingProxyType[str, Any]


class Severity(StrEnum):
    """What a failed rule means for an offer."""

    BLOCK = "block"
    """Never overridable: a legal bar (almenboligloven § 59 stk. 6–7), or the case's state in
    the flow (not waiting, paused, an active offer, the same dwelling declined before)."""
    AGREEMENT = "agreement"
    """A term of the agreement or of composition monitoring (caps, closed departments, the rent
    ceiling, age separation, persons per room): only the allocation lead may override it, with
    a written reason that is recorded."""
    SOFT = "soft"
    """Suitability (affordability, size, accessibility, pets, the citizen's wishes): the person
    making the offer confirms having considered it."""


class Rule(ABC):
    code: ClassVar[str]
    template: ClassVar[str]
    severity: ClassVar[Severity] = Severity.SOFT
    dwelling_only: ClassVar[bool] = False
    """True if the outcome does not depend on the citizen."""

    @abstractmethod
    def fails(self, t: CitizenTable, d: Dwelling, ctx: Context) -> BoolArray | bool:
        """Which citizens of the table fail this rule for the dwelling (or all, or none)."""

    @abstractmethod
    def params(self, c: Citizen, d: Dwelling, ctx: Context) -> dict[str, Any]:
        """The values named in the reason text for one citizen."""

    def reason(self, c: Citizen, d: Dwelling, ctx: Context) -> Reason:
        p = self.params(c, d, ctx)
        return Reason(self.code, self.template.format(**p), MappingProxyType(p))


class NotWaiting(Rule):
    code = "not_waiting"
    template = "The citizen's case is not waiting for a dwelling."
    severity = Severity.BLOCK

    def fails(self, t: CitizenTable, d: Dwelling, ctx: Context) -> BoolArray:
        return ~t.waiting

    def params(self, c: Citizen, d: Dwelling, ctx: Context) -> dict[str, Any]:
        return {}


class Paused(Rule):
    code = "paused"
    template = "The citizen's case is paused until {paused_until}."
    severity = Severity.BLOCK

    def fails(self, t: CitizenTable, d: Dwelling, ctx: Context) -> BoolArray:
        return t.paused_until >= ctx.as_of.toordinal()

    def params(self, c: Citizen, d: Dwelling, ctx: Context) -> dict[str, Any]:
        return {"paused_until": c.paused_until.isoformat() if c.paused_until else ""}


class ActiveOffer(Rule):
    code = "active_offer"
    template = "The citizen already has an active offer."
    severity = Severity.BLOCK

    def fails(self, t: CitizenTable, d: Dwelling, ctx: Context) -> BoolArray:
        return t.active_offer

    def params(self, c: Citizen, d: Dwelling, ctx: Context) -> dict[str, Any]:
        return {}


class DeclinedBefore(Rule):
    code = "declined_before"
    template = "The citizen has already been offered this dwelling and did not take it."
    severity = Severity.BLOCK

    def fails(self, t: CitizenTable, d: Dwelling, ctx: Context) -> BoolArray:
        return t.member_mask(t.declined_units, d.unit_id)

    def params(self, c: Citizen, d: Dwelling, ctx: Context) -> dict[str, Any]:
        return {}


class Housed(Rule):
    code = "housed"
    template = (
        "The citizen already has a tenancy through the agreement (moved in on {move_in}) that "
        "is not recorded as ended."
    )
    severity = Severity.AGREEMENT

    def fails(self, t: CitizenTable, d: Dwelling, ctx: Context) -> BoolArray:
        return t.housed

    def params(self, c: Citizen, d: Dwelling, ctx: Context) -> dict[str, Any]:
        return {"move_in": c.housed_since.isoformat() if c.housed_since else ""}


def ceiling_terms(d: Dwelling, ctx: Context) -> CeilingTerms:
    """The rent-ceiling terms that judge the dwelling: those of the version that judged the
    vacancy when it has them (:attr:`Dwelling.ceiling`), else the context's policy."""
    policy = ctx.policy
    return d.ceiling or CeilingTerms(
        ceiling=policy.rent_ceiling,
        basis=policy.ceiling_basis,
        comparison=policy.ceiling_comparison,
    )


def ceiling_judgement(d: Dwelling, ctx: Context) -> CeilingJudgement:
    """The agreement's rent-ceiling judgement of the dwelling (the one rule, shared with the
    turn engine), by :func:`ceiling_terms`."""
    return judge_rent_ceiling(rent=d.rent, aconto=d.aconto, terms=ceiling_terms(d, ctx))


def unknown_max_rent(d: Dwelling, ctx: Context) -> int:
    """The maximum rent a citizen with no known maximum rent may get for this dwelling: the
    ceiling of the terms that judge the dwelling (:func:`ceiling_terms`), so a vacancy accepted
    under an earlier version keeps its own ceiling for such a citizen in a ranking, at the offer
    gate and in a batch that also holds vacancies of a newer version. Compared with the rent as
    any maximum rent is (:class:`RentOverMax`); the ceiling's basis and comparison are the rule
    ``rent_over_ceiling``'s."""
    return int(ceiling_terms(d, ctx).ceiling)


def max_rent_for(c: Citizen, d: Dwelling, ctx: Context) -> int:
    """The most rent the citizen may get for the dwelling: the citizen's own maximum rent, or
    :func:`unknown_max_rent` when it is not known."""
    return unknown_max_rent(d, ctx) if c.max_rent is None else c.max_rent


class RentOverCeiling(Rule):
    code = "rent_over_ceiling"
    template = "The rent of {rent} kr exceeds the agreement's ceiling of {ceiling} kr."
    dwelling_only = True
    severity = Severity.AGREEMENT

    def fails(self, t: CitizenTable, d: Dwelling, ctx: Context) -> bool:
        return not ceiling_judgement(d, ctx).within

    def params(self, c: Citizen, d: Dwelling, ctx: Context) -> dict[str, Any]:
        return ceiling_judgement(d, ctx).params()


class RentOverMax(Rule):
    """The case's maximum rent against the rent: for a case whose maximum rent the caseworker
    set by hand, or whose household income for the housing benefit is not recorded (the others
    are judged by :class:`Unaffordable`); an unknown maximum rent by :func:`max_rent_for`."""

    code = "rent_over_max"
    template = "The rent of {rent} kr exceeds the citizen's maximum of {max_rent} kr."

    def fails(self, t: CitizenTable, d: Dwelling, ctx: Context) -> BoolArray:
        over = t.max_rent < d.rent
        if unknown_max_rent(d, ctx) < d.rent:
            over |= t.max_rent_unknown
        else:
            over &= ~t.max_rent_unknown
        out: BoolArray = ~t.estimated & over
        return out

    def params(self, c: Citizen, d: Dwelling, ctx: Context) -> dict[str, Any]:
        return {"rent": d.rent, "max_rent": max_rent_for(c, d, ctx)}


def benefit_estimate(c: Citizen, d: Dwelling, ctx: Context) -> Estimate:
    """The estimated housing benefit (skønnet boligstøtte) of one citizen's household in the
    dwelling, on the day of the check. A dwelling with an a conto is taken to have its heating
    paid beside the rent (boligstøtteloven § 10 stk. 5)."""
    return estimate(
        rent=d.rent,
        area_m2=d.area_m2,
        heating_separate=d.aconto > 0,
        household=Household(
            income=c.benefit_income or 0,
            persons=c.household_persons,
            children=min(c.children, c.household_persons - 1),
            pensioner=c.pensioner,
            disability_pension=c.disability_pension,
        ),
        on=ctx.as_of,
    )


def affordability(c: Citizen, d: Dwelling, ctx: Context) -> dict[str, Any] | None:
    """What the household would pay for the dwelling after the estimated housing benefit, and
    what it can pay; ``None`` for a citizen judged on the maximum rent (:class:`RentOverMax`).
    The values of :class:`Unaffordable`'s reason, shown also when the rule passes."""
    if not c.affordability_estimated:
        return None
    e = benefit_estimate(c, d, ctx)
    return {
        "rent": d.rent,
        "aconto": d.aconto,
        "benefit": e.monthly,
        "benefit_kind": e.kind.value,
        "net": d.rent + d.aconto - e.monthly,
        "can_pay": c.can_pay or 0,
        "estimate": True,
    }


class Unaffordable(Rule):
    """What the household would pay (rent + a conto − the estimated housing benefit for this
    dwelling and household) against what it can pay (:attr:`Citizen.can_pay`)."""

    code = "unaffordable"
    template = (
        "Rent {rent} kr + a conto {aconto} kr − estimated housing benefit {benefit} kr = {net} kr "
        "a month, more than the {can_pay} kr the household can pay."
    )

    def fails(self, t: CitizenTable, d: Dwelling, ctx: Context) -> BoolArray:
        out = np.zeros(t.size, dtype=np.bool_)
        idx = np.flatnonzero(t.estimated)
        if idx.size == 0:
            return out
        annual = estimate_annual_many(
            rent=d.rent,
            area_m2=d.area_m2,
            income=t.benefit_income[idx],
            persons=t.persons[idx],
            children=np.minimum(t.children[idx], t.persons[idx] - 1),
            pensioner=t.pensioner[idx],
            disability_pension=t.disability_pension[idx],
            on=ctx.as_of,
            heating_separate=d.aconto > 0,
        )
        out[idx] = d.rent + d.aconto - annual // 12 > t.can_pay[idx]
        return out

    def params(self, c: Citizen, d: Dwelling, ctx: Context) -> dict[str, Any]:
        return affordability(c, d, ctx) or {}


class Overcrowded(Rule):
    code = "overcrowded"
    template = (
        "A household of {persons} needs at least {rooms_needed} rooms "
        "(at most {per_room} persons per room); the dwelling has {rooms}."
    )
    severity = Severity.AGREEMENT

    def fails(self, t: CitizenTable, d: Dwelling, ctx: Context) -> BoolArray:
        return t.persons > ctx.policy.persons_per_room * d.rooms

    def params(self, c: Citizen, d: Dwelling, ctx: Context) -> dict[str, Any]:
        per = ctx.policy.persons_per_room
        return {
            "persons": c.household_persons,
            "rooms_needed": -(-c.household_persons // per),
            "per_room": per,
            "rooms": d.rooms,
        }


class BelowMinRooms(Rule):
    code = "below_min_rooms"
    template = "The dwelling has {rooms} rooms; the citizen needs at least {min_rooms}."

    def fails(self, t: CitizenTable, d: Dwelling, ctx: Context) -> BoolArray:
        return t.min_rooms > d.rooms

    def params(self, c: Citizen, d: Dwelling, ctx: Context) -> dict[str, Any]:
        return {"rooms": d.rooms, "min_rooms": c.min_rooms}


class Accessibility(Rule):
    code = "accessibility"
    template = "The dwelling lacks what the citizen needs: {missing}."

    def fails(self, t: CitizenTable, d: Dwelling, ctx: Context) -> BoolArray:
        out: BoolArray = (t.needs & ~needs_mask(d.features)) != 0
        return out

    def params(self, c: Citizen, d: Dwelling, ctx: Context) -> dict[str, Any]:
        missing = [n for n in NEEDS if n in c.needs and n not in d.features]
        return {"missing": ", ".join(missing).replace("_", " "), "missing_codes": missing}


class Pets(Rule):
    code = "pets"
    template = "The citizen has pets and the dwelling does not allow them."

    def fails(self, t: CitizenTable, d: Dwelling, ctx: Context) -> BoolArray | bool:
        return False if d.pets_allowed else t.pets

    def params(self, c: Citizen, d: Dwelling, ctx: Context) -> dict[str, Any]:
        return {}


class AreaBar(Rule):
    code = "area_bar"
    template = (
        "The dwelling lies in a designated area and the citizen may not be placed in one "
        "until {barred_until}."
    )
    severity = Severity.BLOCK

    def fails(self, t: CitizenTable, d: Dwelling, ctx: Context) -> BoolArray | bool:
        if not d.designated_area:
            return False
        return t.barred_until > ctx.as_of.toordinal()

    def params(self, c: Citizen, d: Dwelling, ctx: Context) -> dict[str, Any]:
        until = c.barred_until.isoformat() if c.barred_until else ""
        return {"barred_until": until}


class ExcludedDistrict(Rule):
    code = "excluded_district"
    template = "The citizen has asked not to live in the district {district}."

    def fails(self, t: CitizenTable, d: Dwelling, ctx: Context) -> BoolArray:
        return t.member_mask(t.excluded_districts, d.district)

    def params(self, c: Citizen, d: Dwelling, ctx: Context) -> dict[str, Any]:
        return {"district": d.district}


class ExcludedDepartment(Rule):
    code = "excluded_department"
    template = "The citizen has asked not to live in the department {department}."

    def fails(self, t: CitizenTable, d: Dwelling, ctx: Context) -> BoolArray:
        return t.member_mask(t.excluded_departments, d.department_id)

    def params(self, c: Citizen, d: Dwelling, ctx: Context) -> dict[str, Any]:
        return {"department": d.department_id}


class AgeSeparation(Rule):
    code = "age_separation"
    template = "The dwelling is reserved for {required} citizens; the citizen is {age_band}."
    severity = Severity.AGREEMENT

    def fails(self, t: CitizenTable, d: Dwelling, ctx: Context) -> BoolArray | bool:
        if d.age_group is None:
            return False
        return ~t.young if d.age_group == "young" else t.young

    def params(self, c: Citizen, d: Dwelling, ctx: Context) -> dict[str, Any]:
        return {"required": d.age_group, "age_band": c.age_band}


def agreement_in_force(d: Dwelling, ctx: Context) -> bool:
    """Whether an allocation agreement is in force for the dwelling's organisation: the
    dwelling's own answer when it carries one (a batch of several organisations), else the
    context's policy."""
    return ctx.policy.agreement_in_force if d.agreement_in_force is None else d.agreement_in_force


class NoAgreement(Rule):
    code = "no_agreement"
    template = (
        "No allocation agreement is in force for the dwelling's organisation on {date}: the "
        "caps and the rent ceiling are not the parties' terms."
    )
    dwelling_only = True
    severity = Severity.AGREEMENT

    def fails(self, t: CitizenTable, d: Dwelling, ctx: Context) -> bool:
        return not agreement_in_force(d, ctx)

    def params(self, c: Citizen, d: Dwelling, ctx: Context) -> dict[str, Any]:
        return {"date": ctx.as_of.isoformat()}


class DepartmentClosed(Rule):
    code = "department_closed"
    template = "The department {department} is closed to new placements by composition monitoring."
    dwelling_only = True
    severity = Severity.AGREEMENT

    def fails(self, t: CitizenTable, d: Dwelling, ctx: Context) -> bool:
        return d.department_id in ctx.closed_departments

    def params(self, c: Citizen, d: Dwelling, ctx: Context) -> dict[str, Any]:
        return {"department": d.department_id}


class CapReached(Rule):
    code = "cap_reached"
    template = "The {level} {unit} has reached its cap: {placed} of {max} placements made."
    dwelling_only = True
    severity = Severity.AGREEMENT

    def fails(self, t: CitizenTable, d: Dwelling, ctx: Context) -> bool:
        return any(cap.reached for _, _, cap in ctx.caps.for_dwelling(d))

    def params(self, c: Citizen, d: Dwelling, ctx: Context) -> dict[str, Any]:
        return self._params(d, ctx) or {"level": "", "unit": "", "placed": 0, "max": 0}

    @staticmethod
    def _params(d: Dwelling, ctx: Context) -> dict[str, Any] | None:
        for level, unit, cap in ctx.caps.for_dwelling(d):
            if cap.reached:
                return {"level": level, "unit": unit, "placed": cap.placed, "max": cap.max}
        return None

    def binding(self, d: Dwelling, ctx: Context) -> Reason | None:
        """The first cap (entrance, then department, then organisation) that is reached."""
        p = self._params(d, ctx)
        if p is None:
            return None
        return Reason(self.code, self.template.format(**p), MappingProxyType(p))


RULES: tuple[Rule, ...] = (
    NotWaiting(),
    Paused(),
    ActiveOffer(),
    DeclinedBefore(),
    AreaBar(),
    Housed(),
    NoAgreement(),
    DepartmentClosed(),
    CapReached(),
    RentOverCeiling(),
    RentOverMax(),
    Unaffordable(),
    Overcrowded(),
    BelowMinRooms(),
    Accessibility(),
    Pets(),
    ExcludedDistrict(),
    ExcludedDepartment(),
    AgeSeparation(),
)
"""The default rules, in the order reasons are listed (what blocks first, suitability last)."""

RULES_BY_CODE: dict[str, Rule] = {r.code: r for r in RULES}


def rules_named(codes: Sequence[str]) -> tuple[Rule, ...]:
    """A subset of the rules by code, in the order of :data:`RULES` (for a caller, such as the
    simulator, whose citizens lack the fields some rules read)."""
    wanted = set(codes)
    unknown = wanted - RULES_BY_CODE.keys()
    if unknown:
        raise ValueError(f"unknown rule {sorted(unknown)[0]!r}")
    return tuple(r for r in RULES if r.code in wanted)


BATCH_RULES: tuple[Rule, ...] = tuple(r for r in RULES if r.code != "cap_reached")
"""In batch allocation the caps are constraints of the optimisation, not a per-pair rule."""


def fail_matrix(
    t: CitizenTable, d: Dwelling, ctx: Context, rules: Sequence[Rule] = RULES
) -> BoolArray:
    """``out[r, i]`` is True when rule ``r`` fails for citizen ``i``."""
    out = np.zeros((len(rules), t.size), dtype=np.bool_)
    for r, rule in enumerate(rules):
        out[r] = rule.fails(t, d, ctx)
    return out


def eligible_mask(
    t: CitizenTable, d: Dwelling, ctx: Context, rules: Sequence[Rule] = RULES
) -> BoolArray:
    ok = np.ones(t.size, dtype=np.bool_)
    for rule in rules:
        f = rule.fails(t, d, ctx)
        if f is True:
            return np.zeros(t.size, dtype=np.bool_)
        if f is not False:
            ok &= ~f
    return ok


def check_eligibility(
    citizen: Citizen, dwelling: Dwelling, ctx: Context, rules: Sequence[Rule] = RULES
) -> list[Reason]:
    """The reasons the citizen may not be offered the dwelling (empty list: eligible)."""
    t = CitizenTable.build([citizen])
    failed = fail_matrix(t, dwelling, ctx, rules)[:, 0]
    return [rules[r].reason(citizen, dwelling, ctx) for r in np.flatnonzero(failed).tolist()]
