"""The default maximum rent a citizen can pay, and the caseworker's override.

Default rule (documented in docs/cases.md): a share of the household's monthly disposable
income (after tax) plus the expected housing benefit (boligstøtte), rounded down to whole
kroner, and never above a ceiling. Defaults: 35 % and the Aalborg agreement's ceiling of
5,000 kr a month. For a single person on kontanthjælp this lands near VIVE's typical
rent-paying capacity of a homeless person (about 3,500 kr before boligstøtte).

A caseworker may override the result; an override needs a reason (enforced here and by a
database constraint).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal


@dataclass(frozen=True)
class MaxRentRule:
    income_share: Decimal = Decimal("0.35")
    ceiling: int = 5000

    def __post_init__(self) -> None:
        if not Decimal(0) <= self.income_share <= Decimal(1):
            raise ValueError("income share must be between 0 and 1")
        if self.ceiling < 0:
            raise ValueError("ceiling must not be negative")


DEFAULT_MAX_RENT_RULE = MaxRentRule()


def default_max_rent(
    disposable_income: int | None,
    housing_benefit: int | None,
    rule: MaxRentRule = DEFAULT_MAX_RENT_RULE,
) -> int | None:
    """None when the income is unknown (no default can be given)."""
    if disposable_income is None:
        return None
    if disposable_income < 0 or (housing_benefit or 0) < 0:
        raise ValueError("amounts must not be negative")
    share = (Decimal(disposable_income) * rule.income_share).to_integral_value(ROUND_FLOOR)
    return min(int(share) + (housing_benefit or 0), rule.ceiling)


def housing_budget(
    disposable_income: int | None, rule: MaxRentRule = DEFAULT_MAX_RENT_RULE
) -> int | None:
    """What the household can pay a month for housing (rent and a conto, after the housing
    benefit): the rule's share of the disposable income, rounded down; None when unknown. The
    housing benefit is not added here: it is estimated per dwelling
    (:mod:`anvis_core.housing_benefit`)."""
    if disposable_income is None:
        return None
    if disposable_income < 0:
        raise ValueError("amounts must not be negative")
    return int((Decimal(disposable_income) * rule.income_share).to_integral_value(ROUND_FLOOR))


def household_can_pay(
    disposable_income: int | None,
    benefit_income: int | None,
    override: int | None,
    rule: MaxRentRule = DEFAULT_MAX_RENT_RULE,
) -> int | None:
    """What the household can pay a month when each dwelling is judged on rent + a conto − the
    estimated housing benefit (:func:`housing_budget`): when the household income for the
    benefit is recorded and the caseworker has not set the maximum rent. ``None``: the maximum
    rent judges the rent instead (:func:`max_rent_amount`). The matching engine's citizen
    (``Citizen.can_pay``) and the case page read this one answer."""
    if override is not None or benefit_income is None:
        return None
    return housing_budget(disposable_income, rule)


@dataclass(frozen=True)
class MaxRent:
    amount: int | None
    default: int | None
    overridden: bool
    reason: str


def max_rent_amount(
    disposable_income: int | None,
    housing_benefit: int | None,
    override: int | None,
    rule: MaxRentRule = DEFAULT_MAX_RENT_RULE,
) -> int | None:
    """The maximum rent a case is judged by: the caseworker's override when one is recorded,
    otherwise the rule's default; None when neither is known. The case page's
    :func:`effective_max_rent` gives the same amount with the default and the reason beside it;
    readers of many cases at once (the report, the simulator) use this."""
    if override is not None:
        return override
    return default_max_rent(disposable_income, housing_benefit, rule)


def effective_max_rent(default: int | None, override: int | None, reason: str = "") -> MaxRent:
    if override is None:
        return MaxRent(amount=default, default=default, overridden=False, reason="")
    if override < 0:
        raise ValueError("override must not be negative")
    if not reason.strip():
        raise ValueError("an override of the maximum rent needs a reason")
    return MaxRent(amount=override, default=default, overridden=True, reason=reason.strip())
