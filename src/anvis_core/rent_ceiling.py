"""The agreement's rent ceiling: the one judgement of whether a dwelling's rent is within it.

Agreements differ in two terms (on the agreement version):

- the basis: ``net`` (the rent without a conto) or ``gross`` (rent + a conto for heating and
  water, what the tenant pays each month);
- the comparison: ``at_most`` (the rent may equal the ceiling, "højst 5.000 kr") or ``below``
  (the rent must be less, "under 5.000 kr").

The rent judged is the rent at letting the organisation reports for the vacancy, not only the
stock record. The turn engine (`anvis_core.quotas.turns.check_turn_eligibility`), the
placement gate's rule ``rent_over_ceiling`` (`anvis_core.matching.eligibility`) and the policy
simulator (which dwellings can reach the municipality, `anvis_core.simulation.stock`) all call
`judge_rent_ceiling` (the simulator, on arrays of rents, its two steps `judged_rent` and
`within_ceiling`). Production amounts are whole kroner; the simulator's synthetic rents are
fractional, so the amounts are typed as numbers (an int is a float to the type checker).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray


Rent = TypeVar("Rent", float, "NDArray[np.float64]")
"""One amount, or an array of them (the simulator judges its whole stock at once)."""


class CeilingBasis(StrEnum):
    NET = "net"
    GROSS = "gross"


class CeilingComparison(StrEnum):
    AT_MOST = "at_most"
    BELOW = "below"


BASES = frozenset(CeilingBasis)
COMPARISONS = frozenset(CeilingComparison)


@dataclass(frozen=True)
class CeilingTerms:
    ceiling: float = 5000
    basis: str = CeilingBasis.NET
    comparison: str = CeilingComparison.AT_MOST


@dataclass(frozen=True)
class CeilingJudgement:
    rent: float
    aconto: float
    judged: float
    terms: CeilingTerms
    within: bool

    def params(self) -> dict[str, Any]:
        """The figures of the judgement, for reasons and explanations (JSON-able)."""
        return {
            "rent": self.judged,
            "net": self.rent,
            "aconto": self.aconto,
            "ceiling": self.terms.ceiling,
            "basis": str(self.terms.basis),
            "comparison": str(self.terms.comparison),
        }


def judge_rent_ceiling(*, rent: float, aconto: float = 0, terms: CeilingTerms) -> CeilingJudgement:
    """Is the monthly rent within the agreement's ceiling, on the agreement's basis and
    comparison?"""
    judged = judged_rent(rent, aconto, terms)
    within = bool(within_ceiling(judged, terms))
    return CeilingJudgement(rent=rent, aconto=aconto, judged=judged, terms=terms, within=within)


def judged_rent(rent: Rent, aconto: Rent, terms: CeilingTerms) -> Rent:
    """The rent compared with the ceiling: the net rent, or with the a conto on a gross basis.
    Works on one amount or elementwise on arrays of them (the simulator's stock)."""
    _check(terms)
    return rent + aconto if terms.basis == CeilingBasis.GROSS else rent


def within_ceiling(judged: Rent, terms: CeilingTerms) -> Any:
    """Whether the judged rent (:func:`judged_rent`) is within the ceiling: ``bool`` for one
    amount, a boolean array for an array (the comparison is elementwise)."""
    _check(terms)
    if terms.comparison == CeilingComparison.BELOW:
        return judged < terms.ceiling
    return judged <= terms.ceiling


def _check(terms: CeilingTerms) -> None:
    if terms.basis not in BASES:
        raise ValueError(f"unknown ceiling basis {terms.basis!r}")
    if terms.comparison not in COMPARISONS:
        raise ValueError(f"unknown ceiling comparison {terms.comparison!r}")
