"""An estimate of the individual housing benefit (individuel boligstøtte) for one dwelling and one
household, from the published rules of lov om individuel boligstøtte.

Two kinds, chosen by the household:

* **boligydelse** (a household with a folkepensionist, or a førtidspensionist under the rules
  before 2003): 75 % of the yearly housing cost plus a fixed addition (tillæg), minus 22.5 % of
  the household income over the income threshold; the household always pays at least 11 % of its
  income, and at least the minimum own payment (egenbetaling);
* **boligsikring** (everyone else): 60 % of the yearly housing cost minus 18 % of the household
  income over the income threshold; the household always pays at least the minimum own payment;
  without children under 18 the benefit is at most 15 % of the housing cost (not for a
  førtidspensionist).

Both: the threshold rises per child beyond the first, up to four children; a tenant who pays
for heating beside the rent (a conto or to the heating company) has a standard amount per m²
added to the housing cost (varmetillæg, § 10 stk. 5); the housing cost counted is at most the
yearly rent maximum; the benefit is at most the maximum benefit, raised by 25 % for a household
with many children; it is a whole number of kroner divisible by 12 (the nearest, as Udbetaling
Danmark's calculator shows it); an amount below the kind's cut-off (bagatelgrænse) is not paid.
Boligsikring counts at most 65 m² for the first person and 20 m² for each further person: a
larger dwelling's rent is reduced in proportion.

The figures are dated rows (:data:`RATES`) with their source, read for the day that matters
(:func:`rates_on`). It is an **estimate** (skønnet boligstøtte): Udbetaling Danmark decides the
real amount from the household's registered income and wealth; wealth (formuetillæg), children's
own income, the special rules for dwellings allocated by the municipality (boligstøtteloven § 14,
stk. 6), for strongly mobility-impaired members and for shared housing are not modelled.

Pure: integers and dates, and a numpy version (:func:`estimate_annual_many`) that gives the same
amounts for many households at once (the ranked list checks one dwelling against every waiting
citizen).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "RATES",
    "BenefitKind",
    "Estimate",
    "Household",
    "KindRates",
    "Rates",
    "estimate",
    "estimate_annual_many",
    "rates_on",
]


class BenefitKind(StrEnum):
    BOLIGYDELSE = "boligydelse"
    BOLIGSIKRING = "boligsikring"


@dataclass(frozen=True)
class KindRates:
    """The figures of one kind of benefit for one year, in kroner a year (shares as Decimals)."""

    cost_share: Decimal
    """Share of the housing cost (60 % boligsikring, 75 % boligydelse)."""
    cost_addition: int
    """Added to the housing cost before the share (boligydelse's tillæg; 0 for boligsikring)."""
    income_share: Decimal
    """Share of the income over the threshold that is deducted."""
    income_threshold: int
    threshold_per_child: int
    """Added to the threshold for each child beyond the first, up to four children."""
    own_payment_min: int
    """The household pays at least this much of the housing cost (egenbetaling)."""
    own_payment_income_share: Decimal
    """…and at least this share of its income (boligydelse 11 %; 0 for boligsikring)."""
    max_benefit: int
    many_children: int
    """The maximum benefit rises by :attr:`many_children_raise` from this many children."""
    many_children_raise: Decimal
    rent_max: int
    """The most housing cost a year that counts."""
    childless_cap: Decimal | None
    """Without children the benefit is at most this share of the housing cost (boligsikring)."""
    area_first: int | None
    """m² that count for the first person (None: no area limit)."""
    area_per_person: int
    heating_addition_m2: Decimal
    """Added to the yearly housing cost per m² when heating is paid beside the rent (§ 10 stk. 5)."""
    cutoff: int
    """A benefit below this (kroner a year) is not paid (§§ 33–34)."""


@dataclass(frozen=True)
class Rates:
    """One dated version of the figures of both kinds."""

    valid_from: dt.date
    valid_to: dt.date
    source: str
    notes: str
    boligydelse: KindRates
    boligsikring: KindRates

    def of(self, kind: BenefitKind) -> KindRates:
        return self.boligydelse if kind is BenefitKind.BOLIGYDELSE else self.boligsikring


D = Decimal

SRC_2026 = (
    "Lov om individuel boligstøtte, LBK nr. 995 af 1. juli 2025 (earlier LBK nr. 229 af 12. "
    "februar 2021): boligydelse § 21 (share, tillæg, income threshold, 11 % own payment), § 23 "
    "(maximum); boligsikring § 22 stk. 1 (60 %/18 %, threshold per child), stk. 2 "
    "(egenbetaling), stk. 3 (15 % without children); § 10 stk. 5 (varmetillæg per m²), § 14 stk. "
    "1 (rent maximum), §§ 33–34 (cut-off); § 72 (the base amounts that are regulated yearly). "
    "Figures for 2026: Vejledning om regulering pr. 1. januar 2026 af satser, VEJ nr. 9336 af "
    "24. marts 2026 (retsinformation.dk/eli/retsinfo/2026/9336), table 1 (boligydelse) and the "
    "corrected table 2 (boligsikring; the first edition, VEJ nr. 10077, had other boligsikring "
    "figures), as quoted in public code that cites it; the boligydelse figures also as published "
    "by Ældre Sagen, 'Beregning af boligstøtte' (edited 14.01.2026)."
)

RATES: tuple[Rates, ...] = (
    Rates(
        valid_from=dt.date(2026, 1, 1),
        valid_to=dt.date(2026, 12, 31),
        source=SRC_2026,
        notes=(
            "The text of VEJ nr. 9336 itself was not retrieved; every 2026 figure of a kind is "
            "the base amount of § 72 (LBK nr. 229/2021) times one regulation factor for that "
            "kind, checked in tests/core/test_housing_benefit.py. The boligsikring raise of the "
            "threshold per child (44,900 kr) was not found published: it is derived the same way "
            "(29,400 × 170,300 / 111,600, to the nearest 100), which reproduces every published "
            "raise per child found (2020, 2021, 2026). Ældre Sagen's page of 14.01.2026 gives "
            "other boligsikring figures (171,500 / 45,200 / 28,900 / 50,760), which the recorded "
            "answers of Udbetaling Danmark's calculator do not fit."
        ),
        boligydelse=KindRates(
            cost_share=D("0.75"),
            cost_addition=8_500,
            income_share=D("0.225"),
            income_threshold=201_400,
            threshold_per_child=53_100,
            own_payment_min=21_300,
            own_payment_income_share=D("0.11"),
            max_benefit=59_628,
            many_children=4,
            many_children_raise=D("0.25"),
            rent_max=113_000,
            childless_cap=None,
            area_first=None,
            area_per_person=0,
            heating_addition_m2=D("41.50"),
            cutoff=4_380,
        ),
        boligsikring=KindRates(
            cost_share=D("0.60"),
            cost_addition=0,
            income_share=D("0.18"),
            income_threshold=170_300,
            threshold_per_child=44_900,
            own_payment_min=28_700,
            own_payment_income_share=D(0),
            max_benefit=50_412,
            many_children=5,
            many_children_raise=D("0.25"),
            rent_max=95_500,
            childless_cap=D("0.15"),
            area_first=65,
            area_per_person=20,
            heating_addition_m2=D("35.00"),
            cutoff=3_696,
        ),
    ),
)


def rates_on(day: dt.date, table: tuple[Rates, ...] = RATES) -> Rates:
    """The figures in force on ``day``; a day after the last row uses the last row (the latest
    figures known), a day before the first row the first."""
    for row in table:
        if row.valid_from <= day <= row.valid_to:
            return row
    return table[-1] if day > table[-1].valid_to else table[0]


@dataclass(frozen=True)
class Household:
    """What the estimate needs to know of the household.

    ``income``: the household income a year as boligstøtte counts it (personal income of the
    adults before tax, after labour-market contribution). ``persons`` counts every member,
    ``children`` those under 18. ``pensioner``: a folkepensionist (or a førtidspensionist from
    before 2003) lives in the household, so the benefit is boligydelse. ``disability_pension``: a
    member receives førtidspension (boligsikring's 15 % cap without children does not apply).
    """

    income: int
    persons: int = 1
    children: int = 0
    pensioner: bool = False
    disability_pension: bool = False

    def __post_init__(self) -> None:
        if self.income < 0:
            raise ValueError("the household income must not be negative")
        if self.persons < 1 or not 0 <= self.children < self.persons:
            raise ValueError("a household has at least one adult; children are fewer than persons")

    @property
    def kind(self) -> BenefitKind:
        return BenefitKind.BOLIGYDELSE if self.pensioner else BenefitKind.BOLIGSIKRING


@dataclass(frozen=True)
class Estimate:
    """The estimated benefit and how it was reached (kroner a year unless named monthly)."""

    kind: BenefitKind
    housing_cost: int
    """Yearly housing cost counted (after the area limit and the rent maximum)."""
    threshold: int
    computed: int
    """The share of the housing cost minus the share of the income, before the limits."""
    annual: int
    limited_by: tuple[str, ...]
    """Which limits lowered it: ``area``, ``rent_max``, ``own_payment``, ``childless_cap``,
    ``max_benefit``, ``cutoff``."""
    rates: Rates

    @property
    def monthly(self) -> int:
        return self.annual // 12


def _milli(share: Decimal) -> int:
    """A share in thousandths (every share in the rules has at most three decimals)."""
    m = share * 1000
    if m != m.to_integral_value():
        raise ValueError(f"share {share} has more than three decimals")
    return int(m)


def _twelves(milli: int) -> int:
    """Thousandths of a krone to whole kroner, then to the nearest number divisible by 12 (both
    half up), as Udbetaling Danmark's calculator shows the amounts."""
    return max(0, ((milli + 500) // 1000 + 6) // 12 * 12)


def estimate(
    *,
    rent: int,
    area_m2: int,
    household: Household,
    on: dt.date,
    heating_separate: bool = False,
) -> Estimate:
    """The estimated benefit for a dwelling of ``rent`` kroner a month (net rent: without a conto
    for heating and water, which boligstøtte does not count) and ``area_m2``.
    ``heating_separate``: the tenant pays for heating beside the rent, so the standard addition
    per m² counts (§ 10 stk. 5).

    Amounts are held in thousandths of a krone (integers), rounded down where a division
    leaves a remainder and to the nearest number of kroner divisible by 12 at the end, exactly as
    :func:`estimate_annual_many` does."""
    if rent < 0 or area_m2 < 0:
        raise ValueError("rent and area must not be negative")
    rates = rates_on(on)
    kind = household.kind
    r = rates.of(kind)
    limited: list[str] = []
    cost = 12 * rent * 1000
    if heating_separate:
        cost += _milli(r.heating_addition_m2) * area_m2
    if r.area_first is not None and area_m2 > 0:
        allowed = r.area_first + r.area_per_person * (household.persons - 1)
        if area_m2 > allowed:
            cost = cost * allowed // area_m2
            limited.append("area")
    if cost > r.rent_max * 1000:
        cost = r.rent_max * 1000
        limited.append("rent_max")
    children_counted = min(household.children, 4)
    threshold = r.income_threshold + r.threshold_per_child * max(0, children_counted - 1)
    over = max(0, household.income - threshold)
    computed = (
        _milli(r.cost_share) * (cost + r.cost_addition * 1000) // 1000
        - _milli(r.income_share) * over
    )
    benefit = computed
    own = max(r.own_payment_min * 1000, _milli(r.own_payment_income_share) * household.income)
    if benefit > cost - own:
        benefit = cost - own
        limited.append("own_payment")
    if r.childless_cap is not None and household.children == 0 and not household.disability_pension:
        cap = _milli(r.childless_cap) * cost // 1000
        if benefit > cap:
            benefit = cap
            limited.append("childless_cap")
    maximum = r.max_benefit * 1000
    if household.children >= r.many_children:
        maximum = r.max_benefit * (1000 + _milli(r.many_children_raise))
    if benefit > maximum:
        benefit = maximum
        limited.append("max_benefit")
    annual = _twelves(benefit)
    if 0 < annual < r.cutoff:
        annual = 0
        limited.append("cutoff")
    return Estimate(
        kind=kind,
        housing_cost=cost // 1000,
        threshold=threshold,
        computed=computed // 1000,
        annual=annual,
        limited_by=tuple(limited),
        rates=rates,
    )


IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


def estimate_annual_many(
    *,
    rent: int,
    area_m2: int,
    income: IntArray,
    persons: IntArray,
    children: IntArray,
    pensioner: BoolArray,
    disability_pension: BoolArray,
    on: dt.date,
    heating_separate: bool = False,
) -> IntArray:
    """:func:`estimate`'s ``annual`` for many households and one dwelling, column-wise.

    The same integer steps in thousandths of a krone as :func:`estimate`, so the amounts are the
    same (tested on a grid)."""
    rates = rates_on(on)
    out = np.zeros(income.shape[0], dtype=np.int64)
    for kind, mask in (
        (BenefitKind.BOLIGYDELSE, pensioner),
        (BenefitKind.BOLIGSIKRING, ~pensioner),
    ):
        if not mask.any():
            continue
        r = rates.of(kind)
        inc = income[mask].astype(np.int64)
        pers = persons[mask].astype(np.int64)
        kids = children[mask].astype(np.int64)
        disabled = disability_pension[mask]
        # Costs in thousandths of a krone (exact for the shares used).
        base = np.full(inc.shape[0], 12 * rent * 1000, dtype=np.int64)
        if heating_separate:
            base += _milli(r.heating_addition_m2) * area_m2
        if r.area_first is not None and area_m2 > 0:
            allowed = r.area_first + r.area_per_person * (pers - 1)
            base = np.where(area_m2 > allowed, base * allowed // area_m2, base)
        cost = np.minimum(base, r.rent_max * 1000)
        threshold = r.income_threshold + r.threshold_per_child * np.maximum(
            0, np.minimum(kids, 4) - 1
        )
        over = np.maximum(0, inc - threshold)
        computed = (_milli(r.cost_share) * (cost + r.cost_addition * 1000)) // 1000 - _milli(
            r.income_share
        ) * over
        own = np.maximum(r.own_payment_min * 1000, _milli(r.own_payment_income_share) * inc)
        benefit = np.minimum(computed, cost - own)
        if r.childless_cap is not None:
            cap = (_milli(r.childless_cap) * cost) // 1000
            capped = (kids == 0) & ~disabled
            benefit = np.where(capped, np.minimum(benefit, cap), benefit)
        maximum = np.where(
            kids >= r.many_children,
            r.max_benefit * (1000 + _milli(r.many_children_raise)),
            r.max_benefit * 1000,
        )
        benefit = np.minimum(benefit, maximum)
        annual = np.maximum(0, ((benefit + 500) // 1000 + 6) // 12 * 12)
        annual = np.where((annual > 0) & (annual < r.cutoff), 0, annual)
        out[mask] = annual
    return out
