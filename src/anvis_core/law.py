"""The legal rules Anvis applies, as one table of dated rule versions.

Every parameter that comes from the law lives here, in :data:`RULES`: the § 59 stk. 6–7 bars on
allocation to designated areas (almenboligloven), the § 61 a / § 61 b area criteria and the
§ 110 reimbursement cap (serviceloven). Each row is one version of one rule: its key, the
paragraph, the first and last day it is in force, the law or consolidation it comes from,
whether its wording was confirmed against that source, and the value. ``docs/law.md`` lists
every row with its source.

Readers ask for the version in force on the day that matters:

* the bars: the day of the anvisning (the offer), :func:`bar_rules`;
* the area criteria: 1 December of the list year, :func:`area_criteria`;
* the § 110 cap: each stay day, :func:`shelter_caps`.

A row that could not be confirmed can be replaced by configuration without a code change:
:meth:`LawTable.with_overrides` takes rows in the JSON shape of :func:`row_from_json` (the Django
project reads them from the file named by ``ANVIS_LAW_OVERRIDES``). The table refuses
overlapping or gapped versions of a rule, so a wrong override fails at start-up, not at an
offer.

The module is plain data and pure functions: benefit, bar and area kinds are the string values
of the enums in :mod:`anvis_core.cases.bars`, criteria are plain tuples, so the readers import
this module and not the other way round.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from itertools import pairwise
from typing import Any

OPEN = dt.date.max
"""``valid_to`` of a version still in force."""

BEGINNING = dt.date.min
"""``valid_from`` of a version in force before any day Anvis handles (the rule is older than
the system and unchanged since, as far as the source says)."""

REFORM_2025 = dt.date(2025, 7, 1)
"""The benefit reform in force from 1 July 2025 (lov nr. 1655 af 30. december 2024, L 13
2024/25): uddannelseshjælp, kontanthjælp, selvforsørgelses- og hjemrejseydelse and
overgangsydelse became one kontanthjælp with rates."""

SHELTER_REFORM_2023 = dt.date(2023, 10, 1)
SHELTER_CAP_CHANGE_2026 = dt.date(2026, 4, 1)

# Sources, cited by the rows (docs/law.md has the addresses).
SRC_2010 = (
    "Lov om ændring af lov om almene boliger m.v. (Stop for anvisning til ghettoområder af "
    "visse persongrupper og identifikation af ghettoområder), 2010 (retsinformation R0710 "
    "id=135224), § 1 nr. 1"
)
SRC_L38_2018 = "L 38 2018/19 (nye kriterier for udsatte boligområder, parallelsamfundspakken)"
SRC_ABL_61A = (
    "ABL § 61 a stk. 1–5 and § 61 b as consolidated (danskelove.dk/almenboligloven/61a; "
    "sbst.dk, Områdeafgrænsninger)"
)
SRC_L23_2021 = "L 23 2021/22 (forebyggelsesområder, ny terminologi), § 1 nr. 4 og 5"
SRC_L13_2024 = "L 13 2024/25, lov nr. 1655 af 30. december 2024 (reform af kontanthjælpssystemet)"
SRC_L64_2023 = (
    "L 64 2022/23 (omlægning af indsatsen mod hjemløshed), i kraft 1. oktober 2023; "
    "Social- og Boligstyrelsen, Omstilling af hjemløshedsområdet"
)


@dataclass(frozen=True)
class RuleVersion:
    """One version of one rule, in force from `valid_from` through `valid_to` (inclusive)."""

    key: str
    paragraph: str
    valid_from: dt.date
    valid_to: dt.date
    source: str
    confirmed: bool
    value: Any
    note: str = ""

    def __post_init__(self) -> None:
        if self.valid_to < self.valid_from:
            raise ValueError(f"{self.key}: valid_to {self.valid_to} before {self.valid_from}")

    def in_force(self, day: dt.date) -> bool:
        return self.valid_from <= day <= self.valid_to


# Benefit codes (the values of anvis_core.cases.bars.Benefit).
CASH = "cash_benefit"  # kontanthjælp; from 1 July 2025 the one kontanthjælp, every rate
CASH_MINIMUM = "cash_benefit_minimum"  # kontanthjælp at the minimum rate (mindstesats), 2025-
EDUCATION_AID = "education_aid"  # uddannelseshjælp (until 30 June 2025)
SELF_SUPPORT = "self_support"  # selvforsørgelses- og hjemrejseydelse (until 30 June 2025)
TRANSITION = "transition"  # overgangsydelse (until 30 June 2025)
RESOURCE = "resource_programme"  # ressourceforløbsydelse
DISABILITY = "disability_pension"  # førtidspension
UNEMPLOYMENT = "unemployment"  # arbejdsløshedsdagpenge
SICKNESS = "sickness"  # sygedagpenge

_UDSAT_BENEFITS_2018 = frozenset(
    {SELF_SUPPORT, TRANSITION, EDUCATION_AID, CASH, RESOURCE, DISABILITY, UNEMPLOYMENT, SICKNESS}
)

# Criteria rows: (code, indicator, direction, threshold, two-year average).
Crit = tuple[str, str, str, Decimal, bool]
D = Decimal

RULES: tuple[RuleVersion, ...] = (
    # --- § 59 stk. 6–7: the bars -------------------------------------------------------------
    RuleVersion(
        key="bar.event_months",
        paragraph="ABL § 59 stk. 6 nr. 1–3",
        valid_from=BEGINNING,
        valid_to=OPEN,
        source=SRC_2010,
        confirmed=True,
        value=6,
        note="»inden for de seneste 6 måneder« (release; termination for gross breach).",
    ),
    RuleVersion(
        key="bar.benefit_months",
        paragraph="ABL § 59 stk. 6 nr. 5, stk. 7",
        valid_from=BEGINNING,
        valid_to=OPEN,
        source=SRC_L23_2021,
        confirmed=True,
        value=6,
        note="»i 6 sammenhængende kalendermåneder«.",
    ),
    RuleVersion(
        key="bar.events.vulnerable",
        paragraph="ABL § 59 stk. 6 nr. 1–4",
        valid_from=BEGINNING,
        valid_to=OPEN,
        source=SRC_2010,
        confirmed=False,
        value=frozenset(
            {"prison_release", "youth_release", "gross_breach_termination", "non_eu_citizen"}
        ),
        note=(
            "Wording of nr. 1–4 confirmed in the 2010 text; that nr. 1–4 still stand is read "
            "from L 23 (2021), which refers to »stk. 6, nr. 1-4«."
        ),
    ),
    RuleVersion(
        key="bar.events.prevention",
        paragraph="ABL § 59 stk. 7 (stk. 6 nr. 1–4)",
        valid_from=BEGINNING,
        valid_to=OPEN,
        source=SRC_L23_2021,
        confirmed=False,
        value=frozenset(
            {"prison_release", "youth_release", "gross_breach_termination", "non_eu_citizen"}
        ),
        note=(
            "»opfylder ét af kriterierne i stk. 6, nr. 1-4« is confirmed; the content of nr. 1–4 "
            "is as in the row above."
        ),
    ),
    RuleVersion(
        key="bar.benefits.vulnerable",
        paragraph="ABL § 59 stk. 6 nr. 5",
        valid_from=BEGINNING,
        valid_to=REFORM_2025 - dt.timedelta(days=1),
        source=f"{SRC_L38_2018}; {SRC_L23_2021}",
        confirmed=False,
        value=_UDSAT_BENEFITS_2018,
        note=(
            "L 23 amended »integrationsydelse« alike in § 51 b stk. 1 1. pkt. and § 59 stk. 6 "
            "nr. 5, so nr. 5 names at least the cash benefits (selvforsørgelses- og "
            "hjemrejseydelse, overgangsydelse, uddannelseshjælp, kontanthjælp). That it also "
            "names ressourceforløbsydelse, førtidspension, dagpenge and sygedagpenge follows "
            "the 2018 reports (DR) and is not confirmed: Anvis keeps the stricter list."
        ),
    ),
    RuleVersion(
        key="bar.benefits.vulnerable",
        paragraph="ABL § 59 stk. 6 nr. 5",
        valid_from=REFORM_2025,
        valid_to=OPEN,
        source=SRC_L13_2024,
        confirmed=False,
        value=_UDSAT_BENEFITS_2018 | {CASH_MINIMUM},
        note=(
            "From 1 July 2025 every listed form of cash help is kontanthjælp (every rate); the "
            "former benefits still count for periods paid before the reform. The amended "
            "wording of nr. 5 is not confirmed."
        ),
    ),
    RuleVersion(
        key="bar.benefits.prevention",
        paragraph="ABL § 59 stk. 7",
        valid_from=BEGINNING,
        valid_to=REFORM_2025 - dt.timedelta(days=1),
        source=SRC_L23_2021,
        confirmed=True,
        value=frozenset({SELF_SUPPORT, TRANSITION}),
        note="»selvforsørgelses- og hjemrejseydelse eller overgangsydelse«.",
    ),
    RuleVersion(
        key="bar.benefits.prevention",
        paragraph="ABL § 59 stk. 7",
        valid_from=REFORM_2025,
        valid_to=OPEN,
        source=SRC_L13_2024,
        confirmed=False,
        value=frozenset({SELF_SUPPORT, TRANSITION, CASH_MINIMUM}),
        note=(
            "The two benefits were replaced by kontanthjælp at the minimum rate (mindstesats) "
            "for persons who do not meet the residence and employment requirement; read as "
            "their successor. The amended wording of stk. 7 is not confirmed."
        ),
    ),
    RuleVersion(
        key="bar.join_benefit_periods",
        paragraph="ABL § 59 stk. 6 nr. 5, stk. 7",
        valid_from=BEGINNING,
        valid_to=OPEN,
        source=SRC_L23_2021,
        confirmed=True,
        value=True,
        note=(
            "»i 6 sammenhængende kalendermåneder har modtaget [A] eller [B]«: six consecutive "
            "months of one or more of the listed benefits, so back-to-back periods of "
            "different listed benefits are joined (per household member)."
        ),
    ),
    # --- § 61 a / § 61 b: the area criteria ----------------------------------------------------
    RuleVersion(
        key="area.min_residents",
        paragraph="ABL § 61 a stk. 3",
        valid_from=BEGINNING,
        valid_to=OPEN,
        source=SRC_ABL_61A,
        confirmed=True,
        value=1000,
    ),
    RuleVersion(
        key="area.criteria_needed",
        paragraph="ABL § 61 a stk. 1, § 61 b",
        valid_from=BEGINNING,
        valid_to=OPEN,
        source=SRC_ABL_61A,
        confirmed=True,
        value=2,
    ),
    RuleVersion(
        key="area.udsat",
        paragraph="ABL § 61 a stk. 1 nr. 1–4",
        valid_from=BEGINNING,
        valid_to=OPEN,
        source=SRC_ABL_61A,
        confirmed=True,
        value=(
            ("outside_work_education", "outside_work_education", "over", D("40"), True),
            ("convictions", "convictions_relative_national", "at_least", D("3"), True),
            ("basic_schooling", "basic_schooling_only", "over", D("60"), False),
            ("income", "income_relative_region", "under", D("55"), False),
        ),
    ),
    RuleVersion(
        key="area.forebyggelse",
        paragraph="ABL § 61 b nr. 1–4",
        valid_from=BEGINNING,
        valid_to=OPEN,
        source=SRC_L23_2021,
        confirmed=True,
        value=(
            ("outside_work_education", "outside_work_education", "over", D("30"), True),
            ("convictions", "convictions_relative_national", "at_least", D("2"), True),
            ("basic_schooling", "basic_schooling_only", "over", D("60"), False),
            ("income", "income_relative_region", "under", D("65"), False),
        ),
    ),
    RuleVersion(
        key="area.parallelsamfund.non_western",
        paragraph="ABL § 61 a stk. 2",
        valid_from=BEGINNING,
        valid_to=OPEN,
        source=SRC_ABL_61A,
        confirmed=True,
        value=D("50"),
        note=(
            "Used only to reproduce official lists (demo data). Never in Anvis's own "
            "judgements (C-417/23, 18 December 2025)."
        ),
    ),
    RuleVersion(
        key="area.forebyggelse.non_western",
        paragraph="ABL § 61 b",
        valid_from=BEGINNING,
        valid_to=OPEN,
        source=SRC_L23_2021,
        confirmed=True,
        value=D("30"),
        note="As above: official lists only.",
    ),
    RuleVersion(
        key="area.omdannelse_years",
        paragraph="ABL § 61 a stk. 4",
        valid_from=BEGINNING,
        valid_to=OPEN,
        source=SRC_ABL_61A,
        confirmed=True,
        value=5,
        note="A parallelsamfund for the last five years is an omdannelsesområde.",
    ),
    # --- serviceloven § 110: the reimbursement cap --------------------------------------------
    RuleVersion(
        key="shelter.cap_days",
        paragraph="SEL § 110 (refusion, 50 %)",
        valid_from=SHELTER_REFORM_2023,
        valid_to=SHELTER_CAP_CHANGE_2026 - dt.timedelta(days=1),
        source=SRC_L64_2023,
        confirmed=True,
        value=120,
        note="120 days per running year from the first admission; the year resets after one year.",
    ),
    RuleVersion(
        key="shelter.cap_days",
        paragraph="SEL § 110 (refusion, 50 %)",
        valid_from=SHELTER_CAP_CHANGE_2026,
        valid_to=OPEN,
        source=SRC_L64_2023,
        confirmed=True,
        value=90,
        note="»90 dage efter d. 1. april 2026«; each day takes the cap in force on it.",
    ),
)


class LawError(ValueError):
    """The table is inconsistent or has no version of a rule for a day."""


@dataclass(frozen=True)
class LawTable:
    """The rows, checked: the versions of one rule neither overlap nor leave a gap."""

    rows: tuple[RuleVersion, ...] = RULES
    _by_key: dict[str, tuple[RuleVersion, ...]] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        grouped: dict[str, list[RuleVersion]] = {}
        for row in self.rows:
            grouped.setdefault(row.key, []).append(row)
        for key, versions in grouped.items():
            versions.sort(key=lambda r: r.valid_from)
            for before, after in pairwise(versions):
                if after.valid_from <= before.valid_to:
                    raise LawError(f"{key}: versions from {after.valid_from} overlap")
                if after.valid_from - before.valid_to != dt.timedelta(days=1):
                    raise LawError(f"{key}: gap after {before.valid_to}")
            self._by_key[key] = tuple(versions)

    def rule_keys(self) -> tuple[str, ...]:
        return tuple(self._by_key)

    def versions(self, key: str) -> tuple[RuleVersion, ...]:
        try:
            return self._by_key[key]
        except KeyError:
            raise LawError(f"unknown rule {key!r}") from None

    def rule(self, key: str, on: dt.date) -> RuleVersion:
        """The version of `key` in force on `on`."""
        for row in self.versions(key):
            if row.in_force(on):
                return row
        raise LawError(f"no version of {key!r} in force on {on.isoformat()}")

    def value(self, key: str, on: dt.date) -> Any:
        return self.rule(key, on).value

    def with_overrides(self, overrides: Iterable[RuleVersion]) -> LawTable:
        """A table where every key named in `overrides` has exactly the given versions."""
        new = list(overrides)
        replaced = {r.key for r in new}
        unknown = replaced - set(self._by_key)
        if unknown:
            raise LawError(f"unknown rule(s) {', '.join(sorted(unknown))}")
        return LawTable((*(r for r in self.rows if r.key not in replaced), *new))


DEFAULT_TABLE = LawTable()
_installed: list[LawTable] = [DEFAULT_TABLE]


def install_table(table: LawTable) -> None:
    """Make `table` the one every reader uses by default (the Django project installs the
    table with the installation's overrides at start-up)."""
    _installed[0] = table


def installed_table() -> LawTable:
    return _installed[0]


def row_from_json(data: Mapping[str, Any], base: LawTable = DEFAULT_TABLE) -> RuleVersion:
    """One override row from JSON: ``{"key", "valid_from", "valid_to"?, "value", "source",
    "paragraph"?, "note"?}``; dates ISO, open end when ``valid_to`` is missing. Benefit and
    event lists are lists of codes, criteria lists of [code, indicator, direction, threshold,
    two_year], numbers as numbers or strings."""
    try:
        key = str(data["key"])
        template = base.versions(key)[-1]
        start = data.get("valid_from")
        end = data.get("valid_to")
        raw = data["value"]
        source = str(data["source"])
    except KeyError as exc:
        raise LawError(f"missing field {exc.args[0]!r}") from None
    value: Any
    if isinstance(template.value, frozenset):
        value = frozenset(str(v) for v in raw)
    elif isinstance(template.value, bool):
        value = bool(raw)
    elif isinstance(template.value, int):
        value = int(raw)
    elif isinstance(template.value, Decimal):
        value = Decimal(str(raw))
    else:
        value = tuple(
            (str(c), str(i), str(d), Decimal(str(t)), bool(two)) for c, i, d, t, two in raw
        )
    return replace(
        template,
        valid_from=dt.date.fromisoformat(start) if start else BEGINNING,
        valid_to=dt.date.fromisoformat(end) if end else OPEN,
        source=source,
        paragraph=str(data.get("paragraph", template.paragraph)),
        note=str(data.get("note", "Installation override.")),
        confirmed=bool(data.get("confirmed", False)),
        value=value,
    )


def table_from_json(rows: Sequence[Mapping[str, Any]], base: LawTable = DEFAULT_TABLE) -> LawTable:
    return base.with_overrides(row_from_json(r, base) for r in rows)


# --- typed readers ------------------------------------------------------------------------


@dataclass(frozen=True)
class BarRules:
    """The § 59 stk. 6–7 bars in force on one day (the day of the anvisning)."""

    on: dt.date
    event_months: int
    benefit_months: int
    events: Mapping[str, frozenset[str]]  # area kind → bar kinds (other than benefits)
    benefits: Mapping[str, frozenset[str]]  # area kind → benefit codes
    join_benefit_periods: bool
    sources: tuple[RuleVersion, ...]


def bar_rules(on: dt.date, table: LawTable | None = None) -> BarRules:
    table = table or installed_table()
    keys = (
        "bar.event_months",
        "bar.benefit_months",
        "bar.events.vulnerable",
        "bar.events.prevention",
        "bar.benefits.vulnerable",
        "bar.benefits.prevention",
        "bar.join_benefit_periods",
    )
    rows = {k: table.rule(k, on) for k in keys}
    return BarRules(
        on=on,
        event_months=rows["bar.event_months"].value,
        benefit_months=rows["bar.benefit_months"].value,
        events={
            "vulnerable": rows["bar.events.vulnerable"].value,
            "prevention": rows["bar.events.prevention"].value,
        },
        benefits={
            "vulnerable": rows["bar.benefits.vulnerable"].value,
            "prevention": rows["bar.benefits.prevention"].value,
        },
        join_benefit_periods=rows["bar.join_benefit_periods"].value,
        sources=tuple(rows.values()),
    )


@dataclass(frozen=True)
class AreaCriteria:
    """The § 61 a / § 61 b criteria in force on 1 December of a list year."""

    list_year: int
    min_residents: int
    criteria_needed: int
    udsat: tuple[Crit, ...]
    forebyggelse: tuple[Crit, ...]
    parallel_non_western: Decimal  # official lists only
    forebyggelse_non_western: Decimal  # official lists only
    omdannelse_years: int


def list_date(list_year: int) -> dt.date:
    """The official lists are published on 1 December of their year (ABL § 61 a, § 61 b)."""
    return dt.date(list_year, 12, 1)


def area_criteria(list_year: int, table: LawTable | None = None) -> AreaCriteria:
    table = table or installed_table()
    on = list_date(list_year)
    return AreaCriteria(
        list_year=list_year,
        min_residents=table.value("area.min_residents", on),
        criteria_needed=table.value("area.criteria_needed", on),
        udsat=table.value("area.udsat", on),
        forebyggelse=table.value("area.forebyggelse", on),
        parallel_non_western=table.value("area.parallelsamfund.non_western", on),
        forebyggelse_non_western=table.value("area.forebyggelse.non_western", on),
        omdannelse_years=table.value("area.omdannelse_years", on),
    )


def shelter_caps(table: LawTable | None = None) -> tuple[tuple[dt.date, int], ...]:
    """The § 110 cap schedule: (first day, days per running year), in date order. Days before
    the first row lie before the 2023 scheme and are not counted."""
    table = table or installed_table()
    return tuple((r.valid_from, int(r.value)) for r in table.versions("shelter.cap_days"))
