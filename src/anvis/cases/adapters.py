"""Adapters from case rows to the pure rules in :mod:`anvis_core.cases` (and back to numbers).

Configuration (priority weights, the max-rent rule, the reimbursement warning threshold) is
read from settings when present (``ANVIS_PRIORITY_WEIGHTS``, ``ANVIS_MAX_RENT_RULE``,
``ANVIS_SHELTER_WARNING_DAYS``), otherwise the published defaults in anvis_core apply.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

from anvis_core.cases import bars as core_bars
from anvis_core.cases.economy import (
    DEFAULT_MAX_RENT_RULE,
    MaxRent,
    MaxRentRule,
    default_max_rent,
    effective_max_rent,
    household_can_pay,
)
from anvis_core.cases.household import RoomNeed, room_need
from anvis_core.cases.priority import (
    DEFAULT_WEIGHTS,
    PriorityBreakdown,
    PriorityInputs,
    PriorityWeights,
    priority_score,
)
from anvis_core.cases.reimbursement import (
    DEFAULT_WARNING_DAYS,
    ReimbursementStatus,
    reimbursement_status,
)
from anvis_core.cases.situation import Situation as CoreSituation
from anvis_core.cases.support import DecisionCheck, SupportMethod, check_85a_decision, cti_phase_on

from .models import Case, Citizen, ShelterStay, SupportPlan


def priority_weights() -> PriorityWeights:
    return getattr(settings, "ANVIS_PRIORITY_WEIGHTS", DEFAULT_WEIGHTS)


def max_rent_rule() -> MaxRentRule:
    return getattr(settings, "ANVIS_MAX_RENT_RULE", DEFAULT_MAX_RENT_RULE)


def shelter_warning_days() -> int:
    return int(getattr(settings, "ANVIS_SHELTER_WARNING_DAYS", DEFAULT_WARNING_DAYS))


def priority_inputs(case: Case, *, children: int | None = None) -> PriorityInputs:
    n_children = case.children.count() if children is None else children
    return PriorityInputs(
        waiting_since=case.waiting_since,
        situation=CoreSituation(case.situation) if case.situation else None,
        has_children=n_children > 0,
        discharge_without_address=case.discharge_without_address,
        urgent=case.urgent,
        urgency_reason=case.urgency_reason,
    )


def compute_priority(
    case: Case, today: dt.date, *, children: int | None = None
) -> PriorityBreakdown:
    return priority_score(priority_inputs(case, children=children), priority_weights(), today)


def case_room_need(case: Case) -> RoomNeed:
    return room_need(case.adults, case.children.count(), case.extra_rooms)


def case_max_rent(case: Case) -> MaxRent:
    default = default_max_rent(case.income_amount, case.housing_benefit, max_rent_rule())
    return effective_max_rent(default, case.max_rent_override, case.max_rent_override_reason)


def case_can_pay(case: Case) -> int | None:
    """What the household can pay a month when the matching judges each dwelling on rent + a
    conto − the estimated housing benefit; ``None`` when the maximum rent judges it."""
    return household_can_pay(
        case.income_amount, case.benefit_income, case.max_rent_override, max_rent_rule()
    )


def citizen_stays(citizen: Citizen) -> list[ShelterStay]:
    return list(ShelterStay.objects.filter(case__citizen=citizen).order_by("admitted_on", "pk"))


def citizen_reimbursement(citizen: Citizen, today: dt.date) -> ReimbursementStatus:
    return reimbursement_status(
        [s.to_core() for s in citizen_stays(citizen)], today, warning_days=shelter_warning_days()
    )


def case_bars(case: Case, today: dt.date) -> dict[core_bars.AreaKind, core_bars.BarStatus]:
    return core_bars.bar_statuses([e.to_core() for e in case.bar_events.all()], today)


@dataclass(frozen=True)
class PlanView:
    plan: SupportPlan
    check: DecisionCheck
    cti_phase: int | None


def support_plan_views(case: Case, today: dt.date) -> list[PlanView]:
    stays = [s.to_core() for s in citizen_stays(case.citizen)]
    out = []
    for plan in case.support_plans.all():
        method = SupportMethod(plan.method)
        phase = (
            cti_phase_on(plan.starts_on, today)
            if method is SupportMethod.CTI and plan.starts_on
            else None
        )
        out.append(PlanView(plan, check_85a_decision(method, plan.decided_on, stays), phase))
    return out
