"""A proposed step share per department for the agreement's yearly reassessment.

The rule (all levels configurable, `ANVIS_MONITORING["step_shares"]`):

* red (meets the legal criteria or is on the official list) → `red` share, 0 % by default:
  the department is shielded from municipal placements;
* yellow (early warning) → `yellow` share, reduced (15 % by default);
* green → `green`, the agreement's standard share (25 %, every 4th vacancy);
* green with strong indicators (every one of the four criteria at a comfortable distance,
  see `StrongLimits`) → `strong`, a higher share (40 %, the demo agreement's Trin 2);
* unknown (no usable data, usually a small suppressed department) → the standard share: a
  small department is protected by the stairwell and department caps, not by indicators.

The parties approve or change each proposal; nothing here decides a step.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .criteria import Assessment, Reason, Status
from .indicators import IndicatorValues

D = Decimal


@dataclass(frozen=True)
class StepShares:
    """Municipal share in percent per level."""

    red: Decimal = Decimal("0")
    yellow: Decimal = Decimal("15")
    green: Decimal = Decimal("25")
    strong: Decimal = Decimal("40")

    def __post_init__(self) -> None:
        for name in ("red", "yellow", "green", "strong"):
            value = getattr(self, name)
            if not D(0) <= value <= D(100):
                raise ValueError(f"step share {name} must be within 0–100 %, got {value}")


@dataclass(frozen=True)
class StrongLimits:
    """A green department is 'strong' when all four indicators are inside these limits."""

    outside_work_education: Decimal = Decimal("20")  # at most
    convictions_relative_national: Decimal = Decimal("1")  # at most
    basic_schooling_only: Decimal = Decimal("40")  # at most
    income_relative_region: Decimal = Decimal("80")  # at least


@dataclass(frozen=True)
class StepProposal:
    level: str
    share: Decimal
    reason: Reason


def is_strong(values: IndicatorValues | None, limits: StrongLimits) -> bool:
    if values is None or values.suppressed:
        return False
    checks = (
        ("outside_work_education", limits.outside_work_education, False),
        ("convictions_relative_national", limits.convictions_relative_national, False),
        ("basic_schooling_only", limits.basic_schooling_only, False),
        ("income_relative_region", limits.income_relative_region, True),
    )
    for name, limit, at_least in checks:
        value = values.value(name)
        if value is None:
            return False
        if (value < limit) if at_least else (value > limit):
            return False
    return True


def propose_step(
    assessment: Assessment,
    values: IndicatorValues | None,
    shares: StepShares | None = None,
    limits: StrongLimits | None = None,
) -> StepProposal:
    """The proposed share for one department from its assessment and latest values."""
    shares = shares or StepShares()
    limits = limits or StrongLimits()
    if assessment.status is Status.RED:
        return StepProposal("red", shares.red, Reason("step.red", {"share": str(shares.red)}))
    if assessment.status is Status.YELLOW:
        return StepProposal(
            "yellow", shares.yellow, Reason("step.yellow", {"share": str(shares.yellow)})
        )
    if assessment.status is Status.UNKNOWN:
        return StepProposal(
            "green", shares.green, Reason("step.unknown", {"share": str(shares.green)})
        )
    if is_strong(values, limits):
        return StepProposal(
            "strong", shares.strong, Reason("step.strong", {"share": str(shares.strong)})
        )
    return StepProposal("green", shares.green, Reason("step.green", {"share": str(shares.green)}))
