"""Department indicators (Landsbyggefonden's Beboerdata shape) and the suppression rule.

Landsbyggefonden only publishes socio-economic figures for departments with at least 100
residents and at least 50 households; smaller departments are suppressed (re-identification
risk). A suppressed year has no values: they are neither shown nor used in any calculation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

MIN_RESIDENTS = 100
MIN_HOUSEHOLDS = 50

INDICATOR_FIELDS: tuple[str, ...] = (
    "outside_work_education",
    "basic_schooling_only",
    "income_relative_region",
    "convictions_relative_national",
    "non_western",
    "move_out_rate",
    "public_support",
)

ETHNIC_INDICATORS: frozenset[str] = frozenset({"non_western"})
"""Indicators that describe residents' origin. Imported and stored as delivered with the
official data, but never shown in Anvis's own analyses nor used by any of its judgements
(C-417/23, 18 December 2025; see docs/indicators.md)."""

OWN_INDICATORS: tuple[str, ...] = tuple(f for f in INDICATOR_FIELDS if f not in ETHNIC_INDICATORS)
"""The indicators Anvis's own pages, comparisons and judgements may use."""


def is_suppressed(residents: int | None, households: int | None) -> bool:
    """True when a department is under 100 residents or under 50 households (or unknown)."""
    if residents is None or households is None:
        return True
    return residents < MIN_RESIDENTS or households < MIN_HOUSEHOLDS


@dataclass(frozen=True)
class IndicatorValues:
    """One department's indicators for one year.

    Shares are percentages (`Decimal("40.0")` is 40 %). `income_relative_region` is the mean gross
    income of 15–64-year-olds as a percentage of the regional mean; `convictions_relative_national`
    is a ratio to the national rate (`Decimal("3.0")` is three times the national average).
    A suppressed year carries no values.
    """

    year: int
    residents: int | None = None
    households: int | None = None
    outside_work_education: Decimal | None = None
    basic_schooling_only: Decimal | None = None
    income_relative_region: Decimal | None = None
    convictions_relative_national: Decimal | None = None
    non_western: Decimal | None = None
    move_out_rate: Decimal | None = None
    public_support: Decimal | None = None

    @property
    def suppressed(self) -> bool:
        return is_suppressed(self.residents, self.households)

    def value(self, name: str) -> Decimal | None:
        """The value of an indicator, or None when missing or suppressed."""
        if name not in INDICATOR_FIELDS:
            raise KeyError(name)
        if self.suppressed:
            return None
        result: Decimal | None = getattr(self, name)
        return result


def two_year_average(
    current: IndicatorValues, previous: IndicatorValues | None, name: str
) -> tuple[Decimal | None, int]:
    """The mean of this and the previous year's value, and how many years it rests on.

    The law (ABL § 61 a) uses two-year averages for the labour-market and conviction criteria.
    When the previous year is missing or suppressed the current year stands alone (1 year);
    when the current year is suppressed there is no value.
    """
    now = current.value(name)
    if now is None:
        return None, 0
    if previous is None or previous.year != current.year - 1:
        return now, 1
    before = previous.value(name)
    if before is None:
        return now, 1
    return (now + before) / 2, 2


def latest_usable_year(on_date: dt.date) -> int:
    """The latest indicator year usable on a date: register figures for a year are published
    during the following year, so on any date in year Y the latest is Y − 1."""
    return on_date.year - 1


def latest_list_year(on_date: dt.date) -> int:
    """The year of the latest official area list in force on a date. The lists (ABL § 61 a,
    § 61 b) are published on 1 December: from 1 December Y the list of year Y applies."""
    return on_date.year if on_date >= dt.date(on_date.year, 12, 1) else on_date.year - 1
