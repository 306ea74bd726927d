"""The legal area criteria (ABL § 61 a and § 61 b) and the agreement's early-warning margins.

All comparisons are exact on `Decimal`: "over 40 %" means strictly greater, so 40.0 % is not
over 40 %; "at least 3 times" includes 3.0; "under 55 %" is strictly less.

* udsat boligområde (§ 61 a stk. 2): at least two of (1) > 40 % of 18–64-year-olds outside work
  and education (two-year average), (2) convictions ≥ 3 × the national rate (two-year average),
  (3) > 60 % of 30–59-year-olds with only basic schooling, (4) mean gross income of 15–64-year-olds
  < 55 % of the regional mean.
* parallelsamfund (§ 61 a stk. 1): udsat and > 50 % from non-Western countries.
* forebyggelsesområde (§ 61 b): > 30 % from non-Western countries and at least two of
  (1) > 30 %, (2) ≥ 2 ×, (3) > 60 %, (4) < 65 %.

The law also requires a boligområde of at least 1,000 residents; Anvis applies the criteria to
every unsuppressed department as an early signal for the agreement, and reports the official
designations from the yearly 1 December lists separately.

Status: red when the department meets the udsat or forebyggelse criteria, or is on the latest
official list; yellow when it would meet them with every threshold moved towards it by the
agreement's early-warning margin, or when one udsat criterion is met; green otherwise; unknown
when the year is suppressed or missing and the department is not designated.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from .indicators import IndicatorValues, two_year_average


class Status(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    UNKNOWN = "unknown"


class Direction(StrEnum):
    OVER = "over"  # value > threshold
    AT_LEAST = "at_least"  # value >= threshold
    UNDER = "under"  # value < threshold


@dataclass(frozen=True)
class Criterion:
    code: str
    indicator: str
    direction: Direction
    threshold: Decimal
    two_year: bool = False

    def met(self, value: Decimal, margin: Decimal = Decimal(0)) -> bool:
        """Whether the value meets the criterion with the threshold moved by `margin` towards it."""
        if self.direction is Direction.OVER:
            return value > self.threshold - margin
        if self.direction is Direction.AT_LEAST:
            return value >= self.threshold - margin
        return value < self.threshold + margin


D = Decimal
UDSAT_CRITERIA: tuple[Criterion, ...] = (
    Criterion("outside_work_education", "outside_work_education", Direction.OVER, D("40"), True),
    Criterion("convictions", "convictions_relative_national", Direction.AT_LEAST, D("3"), True),
    Criterion("basic_schooling", "basic_schooling_only", Direction.OVER, D("60")),
    Criterion("income", "income_relative_region", Direction.UNDER, D("55")),
)
FOREBYGGELSE_CRITERIA: tuple[Criterion, ...] = (
    Criterion("outside_work_education", "outside_work_education", Direction.OVER, D("30"), True),
    Criterion("convictions", "convictions_relative_national", Direction.AT_LEAST, D("2"), True),
    Criterion("basic_schooling", "basic_schooling_only", Direction.OVER, D("60")),
    Criterion("income", "income_relative_region", Direction.UNDER, D("65")),
)
PARALLEL_NON_WESTERN = Criterion("non_western", "non_western", Direction.OVER, D("50"))
FOREBYGGELSE_NON_WESTERN = Criterion("non_western", "non_western", Direction.OVER, D("30"))
CRITERIA_NEEDED = 2


@dataclass(frozen=True)
class WarningMargins:
    """How far below (or above, for income) a legal threshold the agreement starts to warn.

    Percentage points for shares and income, a ratio for convictions. Configurable per
    installation (`ANVIS_MONITORING["warning_margins"]`).
    """

    outside_work_education: Decimal = Decimal("5")
    convictions_relative_national: Decimal = Decimal("0.5")
    basic_schooling_only: Decimal = Decimal("5")
    income_relative_region: Decimal = Decimal("5")
    non_western: Decimal = Decimal("5")

    def for_indicator(self, indicator: str) -> Decimal:
        result: Decimal = getattr(self, indicator)
        return result


@dataclass(frozen=True)
class Reason:
    """A machine-readable reason; the web layer renders it in Danish from code and params."""

    code: str
    params: dict[str, str | int] = field(default_factory=dict)


@dataclass(frozen=True)
class Assessment:
    status: Status
    reasons: tuple[Reason, ...]
    udsat: bool = False
    parallelsamfund: bool = False
    forebyggelse: bool = False
    year: int | None = None


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _values(
    current: IndicatorValues, previous: IndicatorValues | None, criteria: Iterable[Criterion]
) -> dict[str, tuple[Decimal | None, int]]:
    out: dict[str, tuple[Decimal | None, int]] = {}
    for c in criteria:
        if c.indicator in out:
            continue
        if c.two_year:
            out[c.indicator] = two_year_average(current, previous, c.indicator)
        else:
            value = current.value(c.indicator)
            out[c.indicator] = (value, 0 if value is None else 1)
    return out


def _count(
    criteria: Iterable[Criterion],
    values: dict[str, tuple[Decimal | None, int]],
    margins: WarningMargins | None,
) -> list[Criterion]:
    met = []
    for c in criteria:
        value = values[c.indicator][0]
        if value is None:
            continue
        margin = margins.for_indicator(c.indicator) if margins is not None else D(0)
        if c.met(value, margin):
            met.append(c)
    return met


def _reason(prefix: str, c: Criterion, values: dict[str, tuple[Decimal | None, int]]) -> Reason:
    value, years = values[c.indicator]
    assert value is not None
    return Reason(
        f"{prefix}.{c.code}",
        {"value": _fmt(value), "threshold": _fmt(c.threshold), "years": years},
    )


def assess(
    current: IndicatorValues | None,
    previous: IndicatorValues | None = None,
    *,
    designations: Iterable[str] = (),
    designation_year: int | None = None,
    margins: WarningMargins | None = None,
) -> Assessment:
    """Traffic-light status of one department from its latest year (and the year before).

    `designations` are the kinds on the latest official 1 December list (`udsat`,
    `parallelsamfund`, `omdannelse`, `forebyggelse`); any of them makes the department red.
    """
    margins = margins or WarningMargins()
    reasons: list[Reason] = []
    kinds = sorted(set(designations))
    for kind in kinds:
        reasons.append(Reason("designated", {"kind": kind, "year": designation_year or 0}))

    if current is None or current.suppressed:
        code = "no_data" if current is None else "suppressed"
        params: dict[str, str | int] = {} if current is None else {"year": current.year}
        reasons.append(Reason(code, params))
        status = Status.RED if kinds else Status.UNKNOWN
        year = None if current is None else current.year
        return Assessment(status=status, reasons=tuple(reasons), year=year)

    all_criteria = (*UDSAT_CRITERIA, *FOREBYGGELSE_CRITERIA, PARALLEL_NON_WESTERN)
    values = _values(current, previous, all_criteria)
    non_western = values["non_western"][0]

    udsat_met = _count(UDSAT_CRITERIA, values, None)
    udsat = len(udsat_met) >= CRITERIA_NEEDED
    parallel = udsat and non_western is not None and PARALLEL_NON_WESTERN.met(non_western)
    fore_met = _count(FOREBYGGELSE_CRITERIA, values, None)
    fore_nw = non_western is not None and FOREBYGGELSE_NON_WESTERN.met(non_western)
    forebyggelse = fore_nw and len(fore_met) >= CRITERIA_NEEDED

    if udsat:
        reasons.append(Reason("udsat", {"met": len(udsat_met), "needed": CRITERIA_NEEDED}))
        reasons.extend(_reason("udsat", c, values) for c in udsat_met)
        if parallel:
            reasons.append(_reason("parallelsamfund", PARALLEL_NON_WESTERN, values))
    if forebyggelse:
        reasons.append(Reason("forebyggelse", {"met": len(fore_met), "needed": CRITERIA_NEEDED}))
        reasons.append(_reason("forebyggelse", FOREBYGGELSE_NON_WESTERN, values))
        reasons.extend(_reason("forebyggelse", c, values) for c in fore_met)
    if udsat or forebyggelse or kinds:
        return Assessment(Status.RED, tuple(reasons), udsat, parallel, forebyggelse, current.year)

    # Early warning: the udsat or forebyggelse test passes with thresholds moved by the margins,
    # or one of the four udsat criteria is already met.
    warn: list[Reason] = []
    near_udsat = _count(UDSAT_CRITERIA, values, margins)
    if len(near_udsat) >= CRITERIA_NEEDED:
        warn.extend(_reason("near_udsat", c, values) for c in near_udsat)
    near_fore = _count(FOREBYGGELSE_CRITERIA, values, margins)
    near_nw = non_western is not None and FOREBYGGELSE_NON_WESTERN.met(
        non_western, margins.non_western
    )
    if near_nw and len(near_fore) >= CRITERIA_NEEDED:
        warn.append(_reason("near_forebyggelse", FOREBYGGELSE_NON_WESTERN, values))
        warn.extend(_reason("near_forebyggelse", c, values) for c in near_fore)
    if udsat_met and not warn:
        warn.extend(_reason("udsat", c, values) for c in udsat_met)
        warn.insert(0, Reason("one_udsat_criterion", {"met": len(udsat_met)}))
    if warn:
        return Assessment(Status.YELLOW, tuple(reasons + warn), year=current.year)
    return Assessment(Status.GREEN, (Reason("below_thresholds"),), year=current.year)
