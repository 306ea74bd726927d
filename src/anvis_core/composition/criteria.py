"""The area criteria (ABL § 61 a, § 61 b) and the agreement's early warning.

The thresholds are rows of the dated law table (:mod:`anvis_core.law`, ``area.*``), read for
the list year the figures feed: the figures of year *Y* are behind the list of 1 December
*Y* + 1.

All comparisons are exact on `Decimal`: "over 40 %" means strictly greater, so 40.0 % is not
over 40 %; "at least 3 times" includes 3.0; "under 55 %" is strictly less.

**Anvis's own judgement uses the socio-economic criteria only** (labour-market attachment,
education, income, convictions). The law's ethnic criterion — the share of immigrants and
descendants from non-Western countries in § 61 a stk. 2 (parallelsamfund) and § 61 b
(forebyggelse) — may be indirect ethnic discrimination since the EU Court of Justice's judgment
of 18 December 2025 in C-417/23, so no status, warning, proposal or match depends on it. The
official lists, which use it, are imported and shown as published (they are law); a department
on a list is red whatever its own figures say.

* udsat boligområde (§ 61 a stk. 1): at least two of (1) > 40 % of 18–64-year-olds outside work
  and education (two-year average), (2) convictions ≥ 3 × the national rate (two-year average),
  (3) > 60 % of 30–59-year-olds with only basic schooling, (4) mean gross income of 15–64-year-olds
  < 55 % of the regional mean.
* the socio-economic part of § 61 b ("prevention level"): at least two of (1) > 30 %,
  (2) ≥ 2 ×, (3) > 60 %, (4) < 65 %.

The law also requires a boligområde of at least 1,000 residents (§ 61 a stk. 3); Anvis applies
the criteria to every unsuppressed department as an early signal for the agreement, and reports
the official designations from the yearly 1 December lists separately.

Status: red when the department meets the udsat criteria in its own figures, or is on the latest
official list; yellow when it meets the prevention level, or would meet the udsat criteria with
every threshold moved towards it by the agreement's early-warning margin, or meets one udsat
criterion; green otherwise; unknown when the year is suppressed or missing, or holds no value
for any criterion, and the department is not designated. A year without any criterion value
(a partial delivery, say move-out rates only) is not judged at all: `judged_years` passes over it
to the latest year that has values, so missing figures never turn a department green.

:func:`official_list_kinds` reproduces the tests as the ministry applies them, ethnic criterion
included, for one purpose only: to make plausible official lists for demo data. It is never
called by a judgement of Anvis's own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from anvis_core import law

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


@dataclass(frozen=True)
class AreaRules:
    """The criteria of one list year, as `Criterion` objects."""

    list_year: int
    udsat: tuple[Criterion, ...]
    forebyggelse: tuple[Criterion, ...]
    needed: int
    source: law.AreaCriteria


def _criteria(rows: tuple[law.Crit, ...]) -> tuple[Criterion, ...]:
    return tuple(Criterion(c, i, Direction(d), t, two) for c, i, d, t, two in rows)


def area_rules(list_year: int, table: law.LawTable | None = None) -> AreaRules:
    """The § 61 a / § 61 b criteria in force on 1 December of `list_year`."""
    a = law.area_criteria(list_year, table)
    return AreaRules(list_year, _criteria(a.udsat), _criteria(a.forebyggelse), a.criteria_needed, a)


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
    prevention_level: bool = False  # the socio-economic part of § 61 b
    year: int | None = None


CRITERION_INDICATORS: tuple[str, ...] = (
    "outside_work_education",
    "convictions_relative_national",
    "basic_schooling_only",
    "income_relative_region",
)
"""The indicators the area criteria read (`area.udsat`, `area.forebyggelse` in the law table);
the fields of `WarningMargins`."""


def has_criterion_values(values: IndicatorValues) -> bool:
    """Whether a year can be judged: unsuppressed, with a value for at least one criterion."""
    return any(values.value(name) is not None for name in CRITERION_INDICATORS)


def judged_years(
    years: Mapping[int, IndicatorValues],
) -> tuple[IndicatorValues, IndicatorValues | None] | None:
    """The year a department is judged by and the year before it (for the two-year averages),
    from its usable years: the latest year that is suppressed or has a criterion value. A year
    that is neither (residents and move-out rate only) tells nothing about the criteria and is
    passed over, so the figures before it still stand; a suppressed latest year is judged (as
    "suppressed", status unknown). When no year has values, the latest (which `assess` finds
    without values: unknown). None for no years."""
    if not years:
        return None
    ordered = sorted(years, reverse=True)
    year = next(
        (y for y in ordered if years[y].suppressed or has_criterion_values(years[y])), ordered[0]
    )
    return years[year], years.get(year - 1)


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
    rules: AreaRules | None = None,
) -> Assessment:
    """Traffic-light status of one department from its latest year (and the year before).

    `designations` are the kinds on the latest official 1 December list (`udsat`,
    `parallelsamfund`, `omdannelse`, `forebyggelse`); any of them makes the department red.
    `rules` default to the criteria of the list that the figures feed (year + 1). Only the
    socio-economic indicators are read; the non-Western share is never looked at.
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

    rules = rules or area_rules(current.year + 1)
    needed = rules.needed
    values = _values(current, previous, (*rules.udsat, *rules.forebyggelse))
    if all(value is None for value, _years in values.values()):
        # Nothing to compare: "no data", never "below the thresholds".
        reasons.append(Reason("no_values", {"year": current.year}))
        status = Status.RED if kinds else Status.UNKNOWN
        return Assessment(status=status, reasons=tuple(reasons), year=current.year)

    udsat_met = _count(rules.udsat, values, None)
    udsat = len(udsat_met) >= needed
    prevention_met = _count(rules.forebyggelse, values, None)
    prevention = len(prevention_met) >= needed

    if udsat:
        reasons.append(Reason("udsat", {"met": len(udsat_met), "needed": needed}))
        reasons.extend(_reason("udsat", c, values) for c in udsat_met)
    if udsat or kinds:
        return Assessment(Status.RED, tuple(reasons), udsat, prevention, current.year)

    # Early warning: the socio-economic part of § 61 b is met, the udsat test passes with
    # thresholds moved by the margins, or one of the four udsat criteria is already met.
    warn: list[Reason] = []
    if prevention:
        warn.append(Reason("prevention_level", {"met": len(prevention_met), "needed": needed}))
        warn.extend(_reason("prevention_level", c, values) for c in prevention_met)
    near_udsat = _count(rules.udsat, values, margins)
    if len(near_udsat) >= needed:
        warn.extend(_reason("near_udsat", c, values) for c in near_udsat)
    if udsat_met and not warn:
        warn.extend(_reason("udsat", c, values) for c in udsat_met)
        warn.insert(0, Reason("one_udsat_criterion", {"met": len(udsat_met)}))
    if warn:
        return Assessment(
            Status.YELLOW, tuple(reasons + warn), prevention_level=prevention, year=current.year
        )
    return Assessment(Status.GREEN, (Reason("below_thresholds"),), year=current.year)


def official_list_kinds(
    current: IndicatorValues, previous: IndicatorValues | None, rules: AreaRules
) -> frozenset[str]:
    """The list kinds (`udsat`, `parallelsamfund`, `forebyggelse`) a department's figures give
    under §§ 61 a–61 b as the ministry applies them, the non-Western criterion included.

    For making plausible *official* lists in demo data and simulations only. Anvis's own
    judgements (status, warnings, proposals, matching) never call this.
    """
    if current.suppressed:
        return frozenset()
    values = _values(current, previous, (*rules.udsat, *rules.forebyggelse))
    non_western = current.value("non_western")
    udsat = len(_count(rules.udsat, values, None)) >= rules.needed
    kinds: set[str] = set()
    if udsat:
        kinds.add("udsat")
        if non_western is not None and non_western > rules.source.parallel_non_western:
            kinds.add("parallelsamfund")
    elif (
        non_western is not None
        and non_western > rules.source.forebyggelse_non_western
        and len(_count(rules.forebyggelse, values, None)) >= rules.needed
    ):
        kinds.add("forebyggelse")
    return frozenset(kinds)
