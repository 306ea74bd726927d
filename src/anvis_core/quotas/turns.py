"""The municipal turn as a credit counter.

Every eligible vacancy adds the share (an exact fraction) to a credit; when the credit reaches
one whole vacancy the vacancy is the municipality's and one is taken off. With a constant share
s the municipal count after n eligible vacancies is exactly floor(s * n), so at every prefix
0 <= s * n - municipal < 1: never more than one vacancy away from the agreed share. At 25 %
every 4th vacancy is municipal; a share of 0 never gives a turn; a share of 1 gives every one.
When an agreement version changes the share, the credit carries over, so the fairness bound holds
against the sum of the shares in force for each vacancy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from ..rent_ceiling import (
    CeilingBasis,
    CeilingComparison,
    CeilingJudgement,
    CeilingTerms,
    judge_rent_ceiling,
)
from .ledger import Outcome


def share_from_percent(percent: Decimal | int | str | Fraction) -> Fraction:
    """`Decimal("27")` → Fraction(27, 100). Raises ValueError outside 0–100 %."""
    value = Fraction(Decimal(percent)) if not isinstance(percent, Fraction) else percent
    share = value / 100
    if share < 0 or share > 1:
        raise ValueError(f"a municipal share must be between 0 and 100 %, got {percent}")
    return share


@dataclass(frozen=True)
class TurnState:
    """The counter of one bucket (an organisation, or an organisation's department step)."""

    eligible: int = 0
    municipal: int = 0
    credit: Fraction = Fraction(0)

    @property
    def expected(self) -> Fraction:
        """What the share has promised so far (municipal + credit)."""
        return self.municipal + self.credit


@dataclass(frozen=True)
class TurnDecision:
    municipal: bool
    share: Fraction
    before: TurnState
    after: TurnState

    @property
    def reason_code(self) -> str:
        if self.share == 0:
            return "share_zero"
        return "municipal_turn" if self.municipal else "ordinary_turn"

    @property
    def params(self) -> dict[str, str | int]:
        return {
            "municipal": self.after.municipal,
            "eligible": self.after.eligible,
            "share_percent": _percent_text(self.share),
            "credit": _percent_text(self.after.credit),
        }

    def explain(self) -> str:
        """A plain-English explanation; the web layer translates via the reason code."""
        p = self.params
        if self.share == 0:
            return "Ordinary letting: this department step has a municipal share of 0 %."
        turn = "Municipal turn" if self.municipal else "Ordinary letting"
        return (
            f"{turn}: {p['municipal']} of the {p['eligible']} eligible vacancies in this "
            f"bucket have gone to the municipality, share {p['share_percent']} %."
        )


def _percent_text(value: Fraction) -> str:
    percent = value * 100
    if percent.denominator == 1:
        return str(percent.numerator)
    return f"{float(percent):.1f}".rstrip("0").rstrip(".")


def decide_turn(state: TurnState, share: Fraction) -> TurnDecision:
    """Decide whether the next eligible vacancy in this bucket is the municipality's."""
    if share < 0 or share > 1:
        raise ValueError(f"share must be within [0, 1], got {share}")
    credit = state.credit + share
    municipal = share > 0 and credit >= 1
    if municipal:
        credit -= 1
    after = TurnState(
        eligible=state.eligible + 1,
        municipal=state.municipal + (1 if municipal else 0),
        credit=credit,
    )
    return TurnDecision(municipal=municipal, share=share, before=state, after=after)


@dataclass(frozen=True)
class TurnJudgement:
    """What a reported vacancy is to the agreement: its ledger outcome on the report day and,
    when it took a turn, the counter's decision."""

    eligible: bool
    municipal: bool
    outcome: Outcome
    reason_code: str
    decision: TurnDecision | None = None
    """None when the counter did not move (not eligible, or blocked)."""


def judge_turn(
    *, eligible: bool, unusable: bool, take_turn: Callable[[], TurnDecision]
) -> TurnJudgement:
    """The one judgement of a reported vacancy, for the live turn service and the simulator.

    - not eligible (type not covered, rent over the ceiling): ordinary letting, outside the
      agreement's count;
    - eligible but ``unusable`` on the report day (its department closed by composition
      monitoring, its stairwell or department cap reached: the placement gate's
      :func:`anvis_core.matching.gate.unusable_findings`): ``blocked``, not a municipal turn,
      counted on its own in the ledger (neither owed nor delivered), and the turn counter does
      not move, so the next usable vacancy of the bucket takes the turn;
    - otherwise ``take_turn()`` advances the bucket's counter (:func:`decide_turn`) and its
      decision makes the vacancy a municipal turn (pending) or ordinary letting.

    ``take_turn`` is called only in the last case (the live service locks its counter row
    there)."""
    if not eligible:
        return TurnJudgement(False, False, Outcome.ORDINARY, "not_eligible")
    if unusable:
        return TurnJudgement(True, False, Outcome.BLOCKED, "unusable")
    decision = take_turn()
    return TurnJudgement(
        True,
        decision.municipal,
        Outcome.PENDING if decision.municipal else Outcome.ORDINARY,
        decision.reason_code,
        decision,
    )


@dataclass(frozen=True, order=True)
class BucketKey:
    """One turn counter: an organisation's vacancies in the department steps with one share.

    Departments of the same organisation on the same step share a counter, so a small department
    does not wait for its own fourth vacancy; a department on another step (another share) counts
    separately, so the 0 % and 40 % steps do not dilute each other.
    """

    organisation_id: int
    share: Fraction


@dataclass(frozen=True)
class IneligibleReason:
    code: str
    params: dict[str, str | int]

    def explain(self) -> str:
        p = self.params
        if self.code == "rent_over_ceiling":
            return f"Not eligible: rent {p['rent']} kr is over the ceiling {p['ceiling']} kr."
        if self.code == "type_not_covered":
            return f"Not eligible: dwelling type {p['dwelling_type']} is not covered."
        return f"Not eligible: {self.code}."


@dataclass(frozen=True)
class Eligibility:
    reasons: tuple[IneligibleReason, ...] = ()
    ceiling: CeilingJudgement | None = None

    @property
    def eligible(self) -> bool:
        return not self.reasons


def check_turn_eligibility(
    *,
    dwelling_type: str,
    rent: int,
    covered_types: frozenset[str] | set[str],
    rent_ceiling: int,
    aconto: int = 0,
    ceiling_basis: str = CeilingBasis.NET,
    ceiling_comparison: str = CeilingComparison.AT_MOST,
) -> Eligibility:
    """Is a reported vacancy counted by the agreement at all (before whose turn it is)?

    Eligible means: the dwelling type is covered by the agreement version and the monthly rent at
    letting is within the rent ceiling on the agreement's basis and comparison
    (`anvis_core.rent_ceiling.judge_rent_ceiling`, the one judgement). All failing rules are
    reported; `ceiling` holds the judgement either way, for the explanation.
    """
    reasons = []
    if dwelling_type not in covered_types:
        reasons.append(IneligibleReason("type_not_covered", {"dwelling_type": dwelling_type}))
    judgement = judge_rent_ceiling(
        rent=rent,
        aconto=aconto,
        terms=CeilingTerms(
            ceiling=rent_ceiling, basis=ceiling_basis, comparison=ceiling_comparison
        ),
    )
    if not judgement.within:
        reasons.append(IneligibleReason("rent_over_ceiling", judgement.params()))
    return Eligibility(tuple(reasons), ceiling=judgement)


class TurnBook:
    """Counters for many buckets, for replaying a sequence of vacancies (tests, simulation)."""

    def __init__(self, states: dict[BucketKey, TurnState] | None = None) -> None:
        self.states: dict[BucketKey, TurnState] = dict(states or {})

    def decide(self, key: BucketKey) -> TurnDecision:
        decision = decide_turn(self.states.get(key, TurnState()), key.share)
        self.states[key] = decision.after
        return decision


def turns_until_next(
    credit: Fraction, share: Fraction, tolerance: Fraction = Fraction(0)
) -> int | None:
    """How many eligible vacancies from now until the next municipal turn: the smallest k >= 1
    with ``credit + k * share >= 1`` (``None`` when the share is 0: no turn comes).
    ``tolerance`` absorbs rounding when credit and share come from rounded texts."""
    if share <= 0:
        return None
    needed = 1 - credit - tolerance
    if needed <= share:
        return 1
    k = needed / share
    return int(k) if k.denominator == 1 else int(k) + 1
