"""Adapters from the database to the matching engine's plain objects (`anvis_core.matching`):
what the one placement gate (`anvis.vacancies.gate`), the ranking and the batch runs judge.

* waiting cases → :class:`Citizen` (priority, household and room need, maximum rent, needs,
  pets, legal bars, areas to avoid, wished districts, age band), in a fixed order (waiting
  since, then case id) so ties in the ranking are broken the same way every time;
* accepted municipal vacancies → :class:`Dwelling` (rent at letting, rooms, floor, features,
  district, department, entrance, organisation, designated area, youth reservation, void-rent
  start and daily rent);
* the agreement version valid on the day → :class:`Policy` and the stairwell and department
  caps in :class:`Context`, counting the placements of the rolling 12 months (monitoring) plus
  the active offers; departments closed by composition monitoring (red) are closed.

Everything is loaded with a handful of queries (values rows, no model instances), so ten
thousand waiting citizens load in one pass. Ids given to the engine are pseudonymous: case
numbers for citizens, vacancy ids for dwellings, database ids for the units.
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

from anvis.agreements.models import AgreementVersion, AllocationAgreement
from anvis.cases.domain import max_rent_rule, priority_weights
from anvis.cases.models import (
    AvoidArea,
    Case,
    CaseStatus,
    HouseholdChild,
    IncomeType,
    LegalBarEvent,
)
from anvis.monitoring.selectors import StatusInfo, department_status_map, placement_counts
from anvis.stock.models import DwellingType
from anvis_core import __version__ as core_version
from anvis_core.cases import bars as core_bars
from anvis_core.cases.economy import default_max_rent, housing_budget
from anvis_core.cases.household import age_band, room_need
from anvis_core.cases.priority import PriorityInputs, priority_score
from anvis_core.cases.situation import Situation as CoreSituation
from anvis_core.cpr import age_on
from anvis_core.matching.model import (
    MAX_FLOOR,
    NEEDS,
    Caps,
    CapState,
    Citizen,
    Context,
    Dwelling,
    Policy,
)
from anvis_core.matching.table import CitizenTable
from anvis_core.workflow import daily_rent

from .models import Offer, OfferStatus, Vacancy, VacancyStatus

ENGINE_VERSION = f"anvis_core {core_version}"

OPEN_ENDED = dt.date.max
"""``barred_until`` for a bar without an end (a listed benefit still being paid)."""

EMPTY: frozenset[str] = frozenset()

VULNERABLE_KINDS = frozenset({"udsat", "parallelsamfund", "omdannelse"})
PREVENTION_KINDS = frozenset({"forebyggelse"})

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

DECLINED_STATUSES = (
    OfferStatus.DECLINED,
    OfferStatus.EXPIRED,
    OfferStatus.REJECTED_BY_ORGANISATION,
)
"""Offers that ended with the citizen not taking the dwelling: the same dwelling is not offered
to the same citizen again (a withdrawn offer has no such consequence)."""


def area_kind(designations: Iterable[str]) -> core_bars.AreaKind | None:
    """The kind of designated area a department lies in (§ 59 stk. 6 or 7), or None."""
    kinds = set(designations)
    if kinds & VULNERABLE_KINDS:
        return core_bars.AreaKind.VULNERABLE
    if kinds & PREVENTION_KINDS:
        return core_bars.AreaKind.PREVENTION
    return None


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
    """Case numbers whose maximum rent is not known (the agreement's ceiling is used)."""

    @property
    def size(self) -> int:
        return len(self.citizens)

    @cached_property
    def table(self) -> CitizenTable:
        """The engine's column table of the citizens, built once per pool."""
        return CitizenTable.build(self.citizens)


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
    """The five queries citizens are read from: the cases, their children per case, their
    areas to avoid, their legal-bar events and the dwellings they did not take."""
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
        Offer.objects.filter(case__in=ids, status__in=DECLINED_STATUSES)
        .values_list("case_id", "vacancy__dwelling_id")
        .order_by("case_id", "vacancy__dwelling_id")
        .distinct(),
    )


def _pool_fingerprint(queries: Sequence[QuerySet[Any]]) -> tuple[str, ...] | None:
    """An MD5 digest of every row the pool queries return, computed by PostgreSQL in one
    statement (a few milliseconds for 10,000 cases, against a few hundred to read and convert
    them). Any change to a field the pool is made of changes it. None on other databases."""
    if connection.vendor != "postgresql":
        return None
    parts, params = [], []
    for i, query in enumerate(queries):
        sql, query_params = query.query.sql_with_params()
        # Django's compiled SQL with its values as parameters, wrapped in a digest.
        digest = f"md5(coalesce(string_agg(t{i}::text, '|' ORDER BY t{i}::text), ''))"
        parts.append(f"(SELECT {digest} FROM ({sql}) t{i})")  # noqa: S608
        params.extend(query_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        return tuple(cursor.fetchone())


# Pools kept in this process's memory (not pickled into Django's cache: unpickling 10,000
# citizens costs as much as building them). A pool is shared by the requests that hit it and is
# read-only. It is reused only while its fingerprint is unchanged, and for five minutes at most.
POOL_CACHE_SECONDS = 300
POOL_CACHE_ENTRIES = 4
_POOLS: dict[str, tuple[float, CitizenPool]] = {}
_POOLS_LOCK = threading.Lock()


def load_citizens(
    *,
    today: dt.date,
    rent_ceiling: int,
    bar_kinds: Sequence[core_bars.AreaKind] = tuple(core_bars.AreaKind),
    numbers: Sequence[str] | None = None,
) -> CitizenPool:
    """Every waiting case as a :class:`Citizen` (four queries; on PostgreSQL one more for the
    fingerprint, and only that one when the pool is in the cache).

    ``bar_kinds``: the kinds of designated area the bar is read for (the vacancy's own kind when
    ranking one vacancy; both — the strictest — in a batch). A case without a known maximum rent
    gets ``rent_ceiling`` (and is listed in ``unknown_max_rent``).

    On PostgreSQL the pool is kept in the process cache under the fingerprint of the rows it is
    made of (`_pool_fingerprint`), the day, the rent ceiling, the bar kinds and the priority and
    maximum-rent settings, so it is rebuilt exactly when one of them changes.
    """
    queries = _pool_queries(today, numbers)
    fingerprint = _pool_fingerprint(queries)
    if fingerprint is None:
        return _build_pool(queries, today=today, rent_ceiling=rent_ceiling, bar_kinds=bar_kinds)
    key = (
        "anvis.citizen_pool:"
        + hashlib.sha256(
            repr(
                (
                    fingerprint,
                    today,
                    rent_ceiling,
                    tuple(bar_kinds),
                    priority_weights(),
                    max_rent_rule(),
                )
            ).encode()
        ).hexdigest()
    )
    now = time.monotonic()
    with _POOLS_LOCK:
        hit = _POOLS.get(key)
    if hit is not None and now - hit[0] < POOL_CACHE_SECONDS:
        return hit[1]
    pool = _build_pool(queries, today=today, rent_ceiling=rent_ceiling, bar_kinds=bar_kinds)
    with _POOLS_LOCK:
        _POOLS[key] = (now, pool)
        while len(_POOLS) > POOL_CACHE_ENTRIES:
            del _POOLS[next(iter(_POOLS))]  # the oldest entry
    return pool


def _build_pool(
    queries: Sequence[QuerySet[Any]],
    *,
    today: dt.date,
    rent_ceiling: int,
    bar_kinds: Sequence[core_bars.AreaKind],
) -> CitizenPool:
    case_rows, child_rows, avoid_rows, bar_rows, declined_rows = queries
    rows = list(case_rows)
    declined: dict[int, set[str]] = defaultdict(set)
    for case_id, dwelling_id in declined_rows:
        declined[case_id].add(str(dwelling_id))
    children: dict[int, int] = dict(child_rows)
    excl_districts: dict[int, set[str]] = defaultdict(set)
    excl_departments: dict[int, set[str]] = defaultdict(set)
    for case_id, district, department_id in avoid_rows:
        if district.strip():
            excl_districts[case_id].add(district.strip())
        if department_id is not None:
            excl_departments[case_id].add(str(department_id))
    bar_events: dict[int, list[core_bars.BarEvent]] = defaultdict(list)
    for case_id, kind, date, end, benefit, member in bar_rows:
        bar_events[case_id].append(core_bars.BarEvent.from_values(kind, date, end, benefit, member))

    weights = priority_weights()
    rule = max_rent_rule()
    # The priority is the waiting days times the points per day plus points that do not depend
    # on the date (anvis_core.cases.priority): the rest is computed once per combination.
    per_day = weights.points_per_waiting_day
    base_points: dict[tuple[Any, ...], int] = {}
    needs_of: dict[tuple[bool, ...], frozenset[str]] = {}
    rooms_of: dict[tuple[int, int, int | None], tuple[int, int]] = {}
    rents_of: dict[tuple[int | None, int | None], int | None] = {}
    wished_of: dict[str, frozenset[str]] = {}
    citizens: list[Citizen] = []
    case_ids: dict[str, int] = {}
    unknown: set[str] = set()
    for (
        pk,
        number,
        waiting_since,
        situation,
        adults,
        pets,
        extra_rooms,
        step_free,
        elevator,
        wheelchair,
        ground_floor,
        districts,
        income,
        benefit,
        override,
        discharge,
        urgent,
        urgency_reason,
        birth_date,
        status,
        parked_until,
        benefit_income,
        income_type,
    ) in rows:
        n_children = children.get(pk, 0)
        key = (situation, n_children > 0, discharge, urgent)
        base = base_points.get(key)
        if base is None:
            inputs = PriorityInputs(
                waiting_since=today,
                situation=CoreSituation(situation) if situation else None,
                has_children=n_children > 0,
                discharge_without_address=discharge,
                urgent=urgent,
                urgency_reason=urgency_reason,
            )
            base = base_points[key] = priority_score(inputs, weights, today).total
        priority = base + max(0, (today - waiting_since).days) * per_day
        room_key = (adults, n_children, extra_rooms)
        persons_rooms = rooms_of.get(room_key)
        if persons_rooms is None:
            need = room_need(adults, n_children, extra_rooms)
            persons_rooms = rooms_of[room_key] = (need.persons, need.min_rooms)
        if override is not None:
            max_rent = override
        else:
            rent_key = (income, benefit)
            if rent_key not in rents_of:
                rents_of[rent_key] = default_max_rent(income, benefit, rule)
            max_rent = rents_of[rent_key]
        if max_rent is None:
            unknown.add(number)
            max_rent = rent_ceiling
        # Affordability per dwelling (rent + a conto − the estimated housing benefit) when the
        # household income for the benefit is known and the caseworker did not set the maximum.
        can_pay = (
            housing_budget(income, rule)
            if override is None and benefit_income is not None
            else None
        )
        flags = (step_free, elevator, wheelchair, ground_floor)
        needs = needs_of.get(flags)
        if needs is None:
            needs = needs_of[flags] = frozenset(
                name for name, flag in zip(NEEDS, flags, strict=True) if flag
            )
        wished = wished_of.get(districts)
        if wished is None:
            wished = wished_of[districts] = frozenset(
                d.strip() for d in districts.split(",") if d.strip()
            )
        age = age_on(birth_date, today)
        events = bar_events.get(pk)
        citizens.append(
            Citizen(
                id=number,
                priority=float(priority),
                max_rent=max_rent,
                household_persons=persons_rooms[0],
                min_rooms=persons_rooms[1],
                needs=needs,
                pets=bool(pets.strip()),
                barred_until=_bar_until(events, bar_kinds, today) if events else None,
                excluded_districts=frozenset(excl_districts[pk]) if pk in excl_districts else EMPTY,
                excluded_departments=(
                    frozenset(excl_departments[pk]) if pk in excl_departments else EMPTY
                ),
                wished_districts=wished,
                age_band=age_band(age),
                waiting=status == CaseStatus.WAITING,
                paused_until=parked_until if parked_until and parked_until >= today else None,
                declined_units=frozenset(declined[pk]) if pk in declined else EMPTY,
                can_pay=can_pay,
                benefit_income=benefit_income,
                children=n_children,
                pensioner=income_type == IncomeType.OLD_AGE_PENSION,
                disability_pension=income_type == IncomeType.DISABILITY_PENSION,
            )
        )
        case_ids[number] = pk
    return CitizenPool(citizens=citizens, case_ids=case_ids, unknown_max_rent=unknown)


def load_citizen(
    *, case: Case, today: dt.date, rent_ceiling: int, bar_kinds: Sequence[core_bars.AreaKind]
) -> Citizen:
    """One case as a :class:`Citizen` for the offer gate, whatever its status: the same
    conversion as the waiting pool, plus whether the case has an active offer."""
    pool = _build_pool(
        _case_queries(Case.objects.filter(pk=case.pk)),
        today=today,
        rent_ceiling=rent_ceiling,
        bar_kinds=bar_kinds,
    )
    (citizen,) = pool.citizens
    if Offer.objects.active().filter(case_id=case.pk).exists():
        citizen = replace(citizen, has_active_offer=True)
    return citizen


def parse_floor(floor: str) -> int:
    """Danish floor labels: ``st`` (ground floor), ``kl`` (basement) → 0, ``3`` → 3."""
    text = floor.strip().lower().rstrip(".")
    if text.isdigit():
        return min(int(text), MAX_FLOOR)
    return 0


def open_vacancies(*, pks: Sequence[int] | None = None) -> QuerySet[Vacancy]:
    """Accepted municipal vacancies not yet offered, oldest accepted first."""
    qs = Vacancy.objects.filter(status=VacancyStatus.ACCEPTED)
    if pks is not None:
        qs = qs.filter(pk__in=list(pks))
    return qs.select_related("organisation", "dwelling__entrance__department").order_by(
        "answered_on", "pk"
    )


def void_start(vacancy: Vacancy) -> dt.date | None:
    return vacancy.void_rent_start or vacancy.answered_on or vacancy.available_from


def to_dwelling(vacancy: Vacancy, status: StatusInfo | None) -> Dwelling:
    d = vacancy.dwelling
    entrance = d.entrance
    department = entrance.department
    floor = parse_floor(d.floor)
    features = {
        name
        for name, flag in (
            ("step_free", d.step_free),
            ("elevator", d.elevator),
            ("wheelchair", d.wheelchair),
            ("ground_floor", floor == 0),
        )
        if flag
    }
    return Dwelling(
        id=str(vacancy.pk),
        unit=str(vacancy.dwelling_id),
        rent=vacancy.rent_at_letting,
        rooms=d.rooms,
        district=department.district or "",
        department_id=str(department.pk),
        entrance_id=str(entrance.pk),
        organisation_id=str(vacancy.organisation_id),
        floor=floor,
        features=frozenset(features),
        pets_allowed=d.pets_allowed,
        designated_area=bool(status and status.designations),
        age_group="young" if d.dwelling_type == DwellingType.YOUTH else None,
        available_since=void_start(vacancy),
        daily_rent=float(daily_rent(vacancy.rent_at_letting)),
        aconto=d.aconto,
        area_m2=d.area_m2,
    )


def agreement_version_on(day: dt.date, organisation_ids: Iterable[int]) -> AgreementVersion | None:
    """The version valid on ``day`` of the agreement in force that the organisations are party
    to (the first such agreement, newest first)."""
    orgs = set(organisation_ids)
    agreements = (
        AllocationAgreement.objects.filter(period_start__lte=day)
        .prefetch_related("parties")
        .order_by("-period_start", "pk")
    )
    for agreement in agreements:
        if not agreement.in_force_on(day):
            continue
        if orgs and not orgs & {p.pk for p in agreement.parties.all()}:
            continue
        version = agreement.version_for(day)
        if version is not None:
            return version
    return None


@dataclass
class Setting:
    """Everything besides the citizens: the engine's context and the dwellings."""

    context: Context
    dwellings: list[Dwelling]
    vacancies: dict[str, Vacancy]
    statuses: dict[int, StatusInfo]
    version: AgreementVersion | None

    @property
    def rent_ceiling(self) -> int:
        return self.context.policy.rent_ceiling


def active_offer_counts() -> tuple[dict[int, int], dict[int, int]]:
    """Active offers per department and per entrance: they will become placements."""
    by_department: dict[int, int] = defaultdict(int)
    by_entrance: dict[int, int] = defaultdict(int)
    for entrance_id, department_id in Offer.objects.active().values_list(
        "vacancy__dwelling__entrance_id", "vacancy__dwelling__entrance__department_id"
    ):
        by_department[department_id] += 1
        by_entrance[entrance_id] += 1
    return dict(by_department), dict(by_entrance)


def load_setting(*, today: dt.date, vacancies: Sequence[Vacancy]) -> Setting:
    """The dwellings of ``vacancies`` and the context they are judged in on ``today``."""
    statuses = department_status_map(
        today, sorted({v.dwelling.entrance.department_id for v in vacancies})
    )
    version = agreement_version_on(today, {v.organisation_id for v in vacancies})
    policy = (
        Policy(
            rent_ceiling=version.rent_ceiling,
            ceiling_basis=version.rent_ceiling_basis,
            ceiling_comparison=version.rent_ceiling_comparison,
        )
        if version
        else Policy()
    )
    dwellings = [to_dwelling(v, statuses.get(v.dwelling.entrance.department_id)) for v in vacancies]
    caps = Caps()
    if version is not None and (
        version.cap_per_entrance_12m is not None or version.cap_per_department_12m is not None
    ):
        placed_dept, placed_entrance = placement_counts(today, 12)
        offer_dept, offer_entrance = active_offer_counts()
        entrance_caps: dict[str, CapState] = {}
        department_caps: dict[str, CapState] = {}
        for d in dwellings:
            e, p = int(d.entrance_id), int(d.department_id)
            if version.cap_per_entrance_12m is not None:
                entrance_caps[d.entrance_id] = CapState(
                    max=version.cap_per_entrance_12m,
                    placed=placed_entrance.get(e, 0) + offer_entrance.get(e, 0),
                )
            if version.cap_per_department_12m is not None:
                department_caps[d.department_id] = CapState(
                    max=version.cap_per_department_12m,
                    placed=placed_dept.get(p, 0) + offer_dept.get(p, 0),
                )
        caps = Caps(entrance=entrance_caps, department=department_caps)
    closed = frozenset(str(dept) for dept, info in statuses.items() if info.closed)
    context = Context(as_of=today, policy=policy, caps=caps, closed_departments=closed)
    return Setting(
        context=context,
        dwellings=dwellings,
        vacancies={str(v.pk): v for v in vacancies},
        statuses=statuses,
        version=version,
    )
