"""The published priority score: an additive sum of points with a breakdown per criterion.

``total = waiting days × points per day + situation points + need points + urgency points``

* **Waiting days** grow without a cap, so nobody eligible waits forever. Because every waiting
  citizen gains the same points per day, the passing of time never changes the order between
  two cases; it only raises every total.
* **Situation**: sleeping rough > night shelter = § 110 shelter > women's shelter > release
  without an address > staying with friends or family > short-term housing.
* **Documented needs**: children in the household; a documented discharge (hospital, treatment,
  prison) with no address.
* **Urgency**: a caseworker's judgement, which must carry a written reason.

There is deliberately no questionnaire index, no count of service use and no trained risk
score (see docs/cases.md): every point can be read, explained and argued with.

The matching engine takes :attr:`PriorityBreakdown.total` as an input number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from .situation import Situation

DEFAULT_SITUATION_POINTS: Mapping[Situation, int] = MappingProxyType(
    {
        Situation.ROUGH_SLEEPING: 300,
        Situation.NIGHT_SHELTER: 200,
        Situation.SHELTER_110: 200,
        Situation.WOMENS_SHELTER: 180,
        Situation.RELEASE_NO_ADDRESS: 150,
        Situation.FRIENDS_FAMILY: 100,
        Situation.TEMPORARY_HOUSING: 60,
    }
)


class Criterion(StrEnum):
    WAITING_DAYS = "waiting_days"
    SITUATION = "situation"
    CHILDREN = "children"
    DISCHARGE_WITHOUT_ADDRESS = "discharge_without_address"
    URGENCY = "urgency"


@dataclass(frozen=True)
class PriorityWeights:
    """The published weights. One waiting day is the unit: 100 points = 100 days of waiting."""

    points_per_waiting_day: int = 1
    situation: Mapping[Situation, int] = field(default_factory=lambda: DEFAULT_SITUATION_POINTS)
    children: int = 100
    discharge_without_address: int = 100
    urgency: int = 200

    def __post_init__(self) -> None:
        values = [
            self.points_per_waiting_day,
            self.children,
            self.discharge_without_address,
            self.urgency,
            *self.situation.values(),
        ]
        if any(v < 0 for v in values):
            raise ValueError("weights must not be negative")


DEFAULT_WEIGHTS = PriorityWeights()


@dataclass(frozen=True)
class PriorityInputs:
    waiting_since: dt.date
    situation: Situation | None = None
    has_children: bool = False
    discharge_without_address: bool = False
    urgent: bool = False
    urgency_reason: str = ""

    def __post_init__(self) -> None:
        if self.urgent and not self.urgency_reason.strip():
            raise ValueError("urgency needs a written reason")


@dataclass(frozen=True)
class PriorityItem:
    criterion: Criterion
    quantity: int  # days for waiting; 1 or 0 for the others
    points: int
    detail: str = ""  # the situation code, or the urgency reason


@dataclass(frozen=True)
class PriorityBreakdown:
    total: int
    items: tuple[PriorityItem, ...]

    def points_for(self, criterion: Criterion) -> int:
        return sum(item.points for item in self.items if item.criterion is criterion)


def priority_score(
    inputs: PriorityInputs, weights: PriorityWeights = DEFAULT_WEIGHTS, today: dt.date | None = None
) -> PriorityBreakdown:
    """The total and its breakdown. Every criterion appears in the breakdown, also with 0."""
    if today is None:
        raise ValueError("today is required")
    days = max(0, (today - inputs.waiting_since).days)
    items = [
        PriorityItem(Criterion.WAITING_DAYS, days, days * weights.points_per_waiting_day),
        PriorityItem(
            Criterion.SITUATION,
            1 if inputs.situation else 0,
            weights.situation.get(inputs.situation, 0) if inputs.situation else 0,
            str(inputs.situation or ""),
        ),
        PriorityItem(
            Criterion.CHILDREN,
            int(inputs.has_children),
            weights.children if inputs.has_children else 0,
        ),
        PriorityItem(
            Criterion.DISCHARGE_WITHOUT_ADDRESS,
            int(inputs.discharge_without_address),
            weights.discharge_without_address if inputs.discharge_without_address else 0,
        ),
        PriorityItem(
            Criterion.URGENCY,
            int(inputs.urgent),
            weights.urgency if inputs.urgent else 0,
            inputs.urgency_reason.strip() if inputs.urgent else "",
        ),
    ]
    return PriorityBreakdown(total=sum(i.points for i in items), items=tuple(items))
