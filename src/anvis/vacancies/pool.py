"""The waiting citizens as the matching engine's :class:`Citizen` objects (the citizen pool),
kept up to date one citizen at a time.

A pool is read from six queries (the cases, their children per case, their areas to avoid,
their legal-bar events, the dwellings they did not take and the tenancies through the agreement
they still hold) in a fixed order (waiting since,
then case id), so ties in the ranking are broken the same way every time.

Between requests each process keeps its pools in memory together with a *version* per waiting
case: a text that changes whenever any row the citizen is made of changes. On PostgreSQL the
version is read in one statement from the rows' system columns (``xmin``, the transaction that
wrote the row version, and ``ctid``, where it lies; an UPDATE always writes a new row version, so
the pair changes with every write, also twice in one transaction) plus the id of the declined
dwelling; on other databases it is the content of the rows themselves. A request compares the
versions with those of its cached pool and converts only the cases whose version differs (or
that are new); the rest of the citizens are reused as they are. The result is therefore always
the pool a full rebuild would give (`tests/apps/matching/test_pool_incremental.py`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from django.db import connection
from django.db.models import Count, QuerySet

from anvis.cases.adapters import max_rent_rule, priority_weights
from anvis.cases.models import (
    AvoidArea,
    Case,
    CaseStatus,
    HouseholdChild,
    IncomeType,
    LegalBarEvent,
)
from anvis_core.cases import bars as core_bars
from anvis_core.cases.economy import MaxRentRule, default_max_rent, household_can_pay
from anvis_core.cases.household import age_band, room_need
from anvis_core.cases.priority import PriorityInputs, PriorityWeights, priority_score
from anvis_core.cases.situation import Situation as CoreSituation
from anvis_core.cpr import age_on
from anvis_core.matching.model import NEEDS, Citizen
from anvis_core.matching.table import CitizenTable

from .models import Offer
from .pool_versions import DECLINED_STATUSES, Version, content_versions, pg_versions
from .selectors import running_leases

OPEN_ENDED = dt.date.max
"""``barred_until`` for a bar without an end (a listed benefit still being paid)."""

EMPTY: frozenset[str] = frozenset()

CASE_FIELDS = (
    "pk",
    "number",
    "waiting_since",
    "situation",
    "adults",
    "pets",
    "extra_rooms",
    "needs_step_free",
    "needs_elevator",
    "needs_wheelchair",
    "needs_ground_floor",
    "districts_wanted",
    "income_amount",
    "housing_benefit",
    "max_rent_override",
    "discharge_without_address",
    "urgent",
    "urgency_reason",
    "citizen__birth_date",
    "status",
    "parked_until",
    "benefit_income",
    "income_type",
)


def waiting_cases(*, today: dt.date, numbers: Sequence[str] | None = None) -> QuerySet[Case]:
    """Waiting cases available for an offer today: status waiting and not parked. A case with
    an active offer is no longer waiting (the flow moves it to offered)."""
    qs = Case.objects.filter(status=CaseStatus.WAITING).exclude(parked_until__gte=today)
    if numbers is not None:
        qs = qs.filter(number__in=list(numbers))
    return qs.order_by("waiting_since", "pk")


@dataclass
class CitizenPool:
    """The waiting citizens as engine objects, with what the pages need to show them."""

    citizens: list[Citizen]
    case_ids: dict[str, int]
    """Case number → case id."""
    unknown_max_rent: set[str] = field(default_factory=set)
    """Case numbers whose maximum rent is not known (their citizens' ``max_rent`` is ``None``;
    each dwelling's ceiling applies, `anvis_core.matching.eligibility.max_rent_for`)."""
    derived_from: tuple[CitizenTable, dict[int, Citizen]] | None = field(
        default=None, compare=False, repr=False
    )
    """The previous pool's table and the citizens that replace rows of it, when this pool is
    that pool with some citizens changed in place."""

    @property
    def size(self) -> int:
        return len(self.citizens)

    @cached_property
    def table(self) -> CitizenTable:
        """The engine's column table of the citizens, made once per pool: from the previous
        pool's table, row by row, where this pool only changed citizens in place."""
        if self.derived_from is not None:
            table, changed = self.derived_from
            self.derived_from = None  # the previous table is not kept alive by this pool
            return table.with_replaced(changed)
        return CitizenTable.build(self.citizens)

    def built_table(self) -> CitizenTable | None:
        """The table if it has been made already (:func:`functools.cached_property` keeps it in
        the instance), else ``None``."""
        table: CitizenTable | None = self.__dict__.get("table")
        return table


def _bar_until(
    events: list[core_bars.BarEvent], kinds: Sequence[core_bars.AreaKind], today: dt.date
) -> dt.date | None:
    """The first day the citizen may be placed in an area of the given kinds (``None``: no
    bar today). For several kinds the latest bar counts (the strictest reading)."""
    out: dt.date | None = None
    for kind in kinds:
        status = core_bars.bar_status(events, kind, today)
        if not status.barred:
            continue
        first_free = OPEN_ENDED if status.until is None else status.until + dt.timedelta(days=1)
        out = first_free if out is None else max(out, first_free)
    return out


def _pool_queries(today: dt.date, numbers: Sequence[str] | None) -> tuple[QuerySet[Any], ...]:
    """The queries the citizen pool is read from (:func:`_case_queries` of the waiting cases)."""
    return _case_queries(waiting_cases(today=today, numbers=numbers))


def _case_queries(qs: QuerySet[Case]) -> tuple[QuerySet[Any], ...]:
    """The six queries citizens are read from: the cases, their children per case, their
    areas to avoid, their legal-bar events, the dwellings their citizens did not take (in
    any of their cases) and the move-in days of the tenancies through the agreement they still
    hold (from any of their cases)."""
    ids = qs.values("pk")
    return (
        qs.values_list(*CASE_FIELDS),
        HouseholdChild.objects.filter(case__in=ids)
        .values_list("case_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("case_id", "n"),
        AvoidArea.objects.filter(case__in=ids).values_list("case_id", "district", "department_id"),
        LegalBarEvent.objects.filter(case__in=ids).values_list(
            "case_id", "kind", "date", "end", "benefit", "member"
        ),
        # Declined by the citizen in this case or an earlier one: a re-entry is a new case of
        # the same person, and the same dwelling is not offered to the same citizen again.
        Offer.objects.filter(case__citizen__cases__in=ids, status__in=DECLINED_STATUSES)
        .values_list("case__citizen__cases", "vacancy__dwelling_id")
        .order_by("case__citizen__cases", "vacancy__dwelling_id")
        .distinct(),
        running_leases()
        .filter(offer__case__citizen__cases__in=ids)
        .values_list("offer__case__citizen__cases", "move_in_on")
        .order_by("offer__case__citizen__cases", "move_in_on"),
    )


@dataclass
class _Related:
    """The rows of the five child queries, per case id."""

    children: dict[int, int]
    excl_districts: dict[int, set[str]]
    excl_departments: dict[int, set[str]]
    bar_events: dict[int, list[core_bars.BarEvent]]
    declined: dict[int, set[str]]
    housed_since: dict[int, dt.date]
    """The latest move-in of a tenancy through the agreement the citizen still holds."""

    @staticmethod
    def read(queries: Sequence[Iterable[Any]]) -> _Related:
        child_rows, avoid_rows, bar_rows, declined_rows, housed_rows = queries
        declined: dict[int, set[str]] = defaultdict(set)
        for case_id, dwelling_id in declined_rows:
            declined[case_id].add(str(dwelling_id))
        excl_districts: dict[int, set[str]] = defaultdict(set)
        excl_departments: dict[int, set[str]] = defaultdict(set)
        for case_id, district, department_id in avoid_rows:
            if district.strip():
                excl_districts[case_id].add(district.strip())
            if department_id is not None:
                excl_departments[case_id].add(str(department_id))
        bar_events: dict[int, list[core_bars.BarEvent]] = defaultdict(list)
        for case_id, kind, date, end, benefit, member in bar_rows:
            event = core_bars.BarEvent.from_values(kind, date, end, benefit, member)
            bar_events[case_id].append(event)
        housed_since: dict[int, dt.date] = {}
        for case_id, move_in in housed_rows:  # ordered by move-in: the latest stays
            housed_since[case_id] = move_in
        return _Related(
            dict(child_rows),
            excl_districts,
            excl_departments,
            bar_events,
            dict(declined),
            housed_since,
        )


@dataclass
class _Converter:
    """Turns case rows (:data:`CASE_FIELDS`) into citizens for one day and bar reading. What
    does not depend on the individual case is computed once per combination."""

    today: dt.date
    bar_kinds: Sequence[core_bars.AreaKind]
    weights: PriorityWeights
    rule: MaxRentRule
    _base_points: dict[tuple[Any, ...], int] = field(default_factory=dict)
    _needs: dict[tuple[bool, ...], frozenset[str]] = field(default_factory=dict)
    _rooms: dict[tuple[int, int, int | None], tuple[int, int]] = field(default_factory=dict)
    _rents: dict[tuple[int | None, int | None], int | None] = field(default_factory=dict)
    _wished: dict[str, frozenset[str]] = field(default_factory=dict)

    def priority(self, row: tuple[Any, ...], n_children: int) -> float:
        # The waiting days times the points per day plus points that do not depend on the date
        # (anvis_core.cases.priority).
        waiting_since, situation = row[2], row[3]
        discharge, urgent, urgency_reason = row[15], row[16], row[17]
        key = (situation, n_children > 0, discharge, urgent)
        base = self._base_points.get(key)
        if base is None:
            inputs = PriorityInputs(
                waiting_since=self.today,
                situation=CoreSituation(situation) if situation else None,
                has_children=n_children > 0,
                discharge_without_address=discharge,
                urgent=urgent,
                urgency_reason=urgency_reason,
            )
            base = self._base_points[key] = priority_score(inputs, self.weights, self.today).total
        days = max(0, (self.today - waiting_since).days)
        return float(base + days * self.weights.points_per_waiting_day)

    def rooms(self, adults: int, n_children: int, extra_rooms: int | None) -> tuple[int, int]:
        key = (adults, n_children, extra_rooms)
        persons_rooms = self._rooms.get(key)
        if persons_rooms is None:
            need = room_need(adults, n_children, extra_rooms)
            persons_rooms = self._rooms[key] = (need.persons, need.min_rooms)
        return persons_rooms

    def max_rent(self, income: int | None, benefit: int | None, override: int | None) -> int | None:
        if override is not None:
            return override
        key = (income, benefit)
        if key not in self._rents:
            self._rents[key] = default_max_rent(income, benefit, self.rule)
        return self._rents[key]

    def needs(self, flags: tuple[bool, ...]) -> frozenset[str]:
        needs = self._needs.get(flags)
        if needs is None:
            needs = self._needs[flags] = frozenset(
                name for name, flag in zip(NEEDS, flags, strict=True) if flag
            )
        return needs

    def wished(self, districts: str) -> frozenset[str]:
        wished = self._wished.get(districts)
        if wished is None:
            wished = self._wished[districts] = frozenset(
                d.strip() for d in districts.split(",") if d.strip()
            )
        return wished

    def citizen(self, row: tuple[Any, ...], rel: _Related) -> tuple[Citizen, bool]:
        """One case row as a citizen, and whether its maximum rent is unknown."""
        (pk, number, _since, _situation, adults, pets, extra_rooms) = row[:7]
        (income, benefit, override) = row[12:15]
        (birth_date, status, parked_until, benefit_income, income_type) = row[18:23]
        n_children = rel.children.get(pk, 0)
        persons, min_rooms = self.rooms(adults, n_children, extra_rooms)
        max_rent = self.max_rent(income, benefit, override)
        events = rel.bar_events.get(pk)
        citizen = Citizen(
            id=number,
            priority=self.priority(row, n_children),
            max_rent=max_rent,
            household_persons=persons,
            min_rooms=min_rooms,
            needs=self.needs(tuple(row[7:11])),
            pets=bool(pets.strip()),
            barred_until=_bar_until(events, self.bar_kinds, self.today) if events else None,
            excluded_districts=_frozen(rel.excl_districts, pk),
            excluded_departments=_frozen(rel.excl_departments, pk),
            wished_districts=self.wished(row[11]),
            age_band=age_band(age_on(birth_date, self.today)),
            waiting=status == CaseStatus.WAITING,
            paused_until=parked_until if parked_until and parked_until >= self.today else None,
            declined_units=_frozen(rel.declined, pk),
            housed_since=rel.housed_since.get(pk),
            # Affordability per dwelling (rent + a conto − the estimated housing benefit) when
            # the household income for the benefit is known and the caseworker did not set the
            # maximum.
            can_pay=household_can_pay(income, benefit_income, override, self.rule),
            benefit_income=benefit_income,
            children=n_children,
            pensioner=income_type == IncomeType.OLD_AGE_PENSION,
            disability_pension=income_type == IncomeType.DISABILITY_PENSION,
        )
        return citizen, max_rent is None


def _frozen(sets: dict[int, set[str]], pk: int) -> frozenset[str]:
    return frozenset(sets[pk]) if pk in sets else EMPTY


Converted = dict[int, tuple[str, Citizen, bool]]
"""Case id → (case number, citizen, maximum rent unknown)."""


def _convert(queries: Sequence[Iterable[Any]], converter: _Converter) -> Converted:
    case_rows, *related = queries
    rel = _Related.read(related)
    return {row[0]: (row[1], *converter.citizen(row, rel)) for row in case_rows}


def _pool_of(order: Sequence[int], converted: Converted) -> CitizenPool:
    citizens: list[Citizen] = []
    case_ids: dict[str, int] = {}
    unknown: set[str] = set()
    for pk in order:
        number, citizen, unknown_rent = converted[pk]
        citizens.append(citizen)
        case_ids[number] = pk
        if unknown_rent:
            unknown.add(number)
    return CitizenPool(citizens=citizens, case_ids=case_ids, unknown_max_rent=unknown)


def case_citizens(cases: QuerySet[Case], *, today: dt.date) -> dict[int, Citizen]:
    """The cases as the matching engine's citizens on ``today`` (case id → citizen), converted
    exactly as the citizen pool converts them, from the cases and their children alone (two
    queries): no legal bar, area to avoid, declined dwelling or running tenancy is read. For a
    reader, such as the policy simulator, that judges what a case needs and can pay, of cases
    the pool does not hold (an offered case is not waiting)."""
    converter = _Converter(today, (), priority_weights(), max_rent_rule())
    rows, children, *_ = _case_queries(cases)
    converted = _convert([rows, children, [], [], [], []], converter)
    return {pk: citizen for pk, (_n, citizen, _u) in converted.items()}


def _build_pool(
    queries: Sequence[QuerySet[Any]],
    *,
    today: dt.date,
    bar_kinds: Sequence[core_bars.AreaKind],
) -> CitizenPool:
    """The pool of the cases ``queries`` read, in their order, converted from scratch."""
    converter = _Converter(today, bar_kinds, priority_weights(), max_rent_rule())
    case_rows, *related = queries
    rows = list(case_rows)
    return _pool_of([row[0] for row in rows], _convert([rows, *related], converter))


@dataclass(frozen=True)
class _Entry:
    """A cached pool with the versions and conversions it was made of."""

    pool: CitizenPool
    versions: dict[int, Version]
    converted: Converted
    built: float
    used: float


# Pools kept in this process's memory (not pickled into Django's cache: unpickling 10,000
# citizens costs as much as building them). A pool is shared by the requests that hit it and is
# read-only. An entry not used for POOL_IDLE_SECONDS is dropped, and one older than
# POOL_MAX_AGE_SECONDS is rebuilt from scratch (a guard against anything outside the versions).
POOL_IDLE_SECONDS = 300
POOL_MAX_AGE_SECONDS = 3600
POOL_CACHE_ENTRIES = 4
_POOLS: dict[str, _Entry] = {}
_POOLS_LOCK = threading.Lock()


def _pool_key(*parts: Any) -> str:
    return "anvis.citizen_pool:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def _cached(key: str, now: float) -> _Entry | None:
    with _POOLS_LOCK:
        entry = _POOLS.get(key)
    if entry is None or now - entry.used > POOL_IDLE_SECONDS:
        return None
    if now - entry.built > POOL_MAX_AGE_SECONDS:
        return None
    return entry


def _store(key: str, entry: _Entry) -> None:
    with _POOLS_LOCK:
        _POOLS.pop(key, None)
        _POOLS[key] = entry
        while len(_POOLS) > POOL_CACHE_ENTRIES:
            del _POOLS[next(iter(_POOLS))]  # the least recently used entry


def load_citizens(
    *,
    today: dt.date,
    bar_kinds: Sequence[core_bars.AreaKind] = tuple(core_bars.AreaKind),
    numbers: Sequence[str] | None = None,
) -> CitizenPool:
    """Every waiting case as a :class:`Citizen`.

    ``bar_kinds``: the kinds of designated area the bar is read for (the vacancy's own kind when
    ranking one vacancy; both — the strictest — in a batch). A case without a known maximum rent
    keeps it unknown (``max_rent=None``, listed in ``unknown_max_rent``): the rules judge it by
    each dwelling's own ceiling, so one pool serves every vacancy whatever version judged it.

    The pool is kept in the process under the day, the bar kinds, the case numbers and the
    priority and maximum-rent settings; within it, each citizen is reused while its case's
    version is unchanged (module docstring). On PostgreSQL an unchanged pool costs one query,
    and a change to one case converts that one case (six small queries).
    """
    weights, rule = priority_weights(), max_rent_rule()
    key = _pool_key(today, tuple(bar_kinds), weights, rule, numbers)
    now = time.monotonic()
    entry = _cached(key, now)
    converter = _Converter(today, bar_kinds, weights, rule)
    queries: list[list[Any]] | None = None
    if connection.vendor == "postgresql":
        versions = pg_versions(waiting_cases(today=today, numbers=numbers))
    else:
        queries = [list(q) for q in _pool_queries(today, numbers)]
        versions = content_versions(queries)
    known = entry.converted if entry is not None else {}
    old = entry.versions if entry is not None else {}
    stale = [pk for pk, v in versions if old.get(pk) != v]
    if entry is not None and not stale and len(old) == len(versions):
        _store(key, replace(entry, used=now))
        return entry.pool
    fresh = _convert(_stale_queries(stale, queries, today, numbers, len(versions)), converter)
    converted = {
        pk: fresh.get(pk) or known[pk] for pk, _v in versions if pk in fresh or pk in known
    }
    order = [pk for pk, _v in versions if pk in converted]
    pool = _changed_in_place(entry, order, fresh) or _pool_of(order, converted)
    version_of = dict(versions)
    built = now if entry is None else entry.built
    _store(key, _Entry(pool, {pk: version_of[pk] for pk in order}, converted, built, now))
    return pool


def _changed_in_place(
    entry: _Entry | None, order: list[int], fresh: Converted
) -> CitizenPool | None:
    """The cached pool with the freshly converted citizens put in their places, when the
    waiting list kept its order (no case came, went or moved) and its case numbers. Its table is
    then derived from the cached one row by row instead of being built for every citizen."""
    if entry is None or list(entry.versions) != order:
        return None
    previous = entry.pool
    position = {pk: i for i, pk in enumerate(order)}
    citizens = list(previous.citizens)
    unknown = set(previous.unknown_max_rent)
    changed: dict[int, Citizen] = {}
    for pk, (number, citizen, unknown_rent) in fresh.items():
        i = position[pk]
        if citizens[i].id != number:
            return None
        citizens[i] = changed[i] = citizen
        if unknown_rent:
            unknown.add(number)
        else:
            unknown.discard(number)
    table = previous.built_table()
    return CitizenPool(
        citizens=citizens,
        case_ids=dict(previous.case_ids),
        unknown_max_rent=unknown,
        derived_from=None if table is None else (table, changed),
    )


def _stale_queries(
    stale: list[int],
    queries: list[list[Any]] | None,
    today: dt.date,
    numbers: Sequence[str] | None,
    size: int,
) -> Sequence[Iterable[Any]]:
    """The rows of the ``stale`` cases: filtered from ``queries`` when every row was read
    already, else read for those cases alone (or for the whole pool when most are stale)."""
    if queries is not None:
        wanted = set(stale)
        return [[row for row in rows if row[0] in wanted] for rows in queries]
    if not stale:
        return [[] for _ in range(6)]
    if len(stale) > max(100, size // 4):  # many changed: one pass over all is cheaper
        return _pool_queries(today, numbers)
    return _case_queries(Case.objects.filter(pk__in=stale))
