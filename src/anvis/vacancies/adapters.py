"""Adapters from the database to the matching engine's plain objects (`anvis_core.matching`):
what the one placement gate (`anvis.vacancies.gate`), the ranking and the batch runs judge.

* waiting cases → :class:`Citizen` (priority, household and room need, maximum rent, needs,
  pets, legal bars, areas to avoid, wished districts, age band): the citizen pool, kept up to
  date one citizen at a time (`anvis.vacancies.pool`); one case for the offer gate
  (:func:`load_citizen`);
* accepted municipal vacancies → :class:`Dwelling` (rent at letting, rooms, floor, features,
  district, department, entrance, organisation, designated area, youth reservation, void-rent
  start and daily rent);
* the agreement version valid on the day → :class:`Policy` and the stairwell and department
  caps in :class:`Context` (each dwelling's caps those of its own organisation's agreement),
  counting the placements of the rolling 12 months (monitoring) plus the active offers;
  departments closed by composition monitoring (red) are closed.

Everything is loaded with a handful of queries (values rows, no model instances), so ten
thousand waiting citizens load in one pass. Ids given to the engine are pseudonymous: case
numbers for citizens, vacancy ids for dwellings, database ids for the units.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from django.db.models import QuerySet

from anvis.agreements.models import AgreementVersion
from anvis.agreements.selectors import agreement_terms_on
from anvis.cases.models import Case
from anvis.common.numbers import digits
from anvis.monitoring.placements import placement_counts
from anvis.monitoring.selectors import StatusInfo, department_status_map
from anvis.stock.models import DwellingType
from anvis_core import __version__ as core_version
from anvis_core.cases import bars as core_bars
from anvis_core.matching.model import (
    MAX_FLOOR,
    Caps,
    CapState,
    Citizen,
    Context,
    Dwelling,
    Policy,
)
from anvis_core.rent_ceiling import CeilingTerms
from anvis_core.workflow import daily_rent

from .choices import VacancyStatus
from .models import Offer, Vacancy

# OPEN_ENDED, _pool_queries and load_citizens are also read from here (the pool lives in .pool).
from .pool import OPEN_ENDED, _build_pool, _case_queries, _pool_queries, load_citizens  # noqa: F401

ENGINE_VERSION = f"anvis_core {core_version}"

VULNERABLE_KINDS = frozenset({"udsat", "parallelsamfund", "omdannelse"})
PREVENTION_KINDS = frozenset({"forebyggelse"})


def area_kind(designations: Iterable[str]) -> core_bars.AreaKind | None:
    """The kind of designated area a department lies in (§ 59 stk. 6 or 7), or None."""
    kinds = set(designations)
    if kinds & VULNERABLE_KINDS:
        return core_bars.AreaKind.VULNERABLE
    if kinds & PREVENTION_KINDS:
        return core_bars.AreaKind.PREVENTION
    return None


def load_citizen(*, case: Case, today: dt.date, bar_kinds: Sequence[core_bars.AreaKind]) -> Citizen:
    """One case as a :class:`Citizen` for the offer gate, whatever its status: the same
    conversion as the waiting pool, plus whether the case has an active offer."""
    pool = _build_pool(
        _case_queries(Case.objects.filter(pk=case.pk)),
        today=today,
        bar_kinds=bar_kinds,
    )
    (citizen,) = pool.citizens
    # By citizen, not by case: an offer made in an earlier case of the same person counts. An
    # accepted offer with a lease has been settled: the tenancy it began is the rule ``housed``
    # until its move-out is recorded (selectors.running_leases).
    active = Offer.objects.active().filter(case__citizen_id=case.citizen_id, lease__isnull=True)
    if active.exists():
        citizen = replace(citizen, has_active_offer=True)
    return citizen


def parse_floor(floor: str) -> int:
    """Danish floor labels: ``st`` (ground floor), ``kl`` (basement) → 0, ``3`` → 3."""
    number = digits(floor.strip().lower().rstrip("."))
    return 0 if number is None else min(number, MAX_FLOOR)


def open_vacancies(*, pks: Sequence[int] | None = None) -> QuerySet[Vacancy]:
    """Accepted municipal vacancies not yet offered, oldest accepted first."""
    qs = Vacancy.objects.filter(status=VacancyStatus.ACCEPTED)
    if pks is not None:
        qs = qs.filter(pk__in=list(pks))
    return qs.select_related(
        "organisation", "dwelling__entrance__department", "turn_record__version"
    ).order_by("answered_on", "pk")


def void_start(vacancy: Vacancy) -> dt.date | None:
    return vacancy.void_rent_start or vacancy.answered_on or vacancy.available_from


def dwelling_features(
    *, step_free: bool, elevator: bool, wheelchair: bool, floor: str
) -> frozenset[str]:
    """A dwelling's accessibility features as the rule ``accessibility`` reads them (names in
    ``anvis_core.matching.model.NEEDS``): the gate's dwellings and the simulator's stock."""
    return frozenset(
        name
        for name, flag in (
            ("step_free", step_free),
            ("elevator", elevator),
            ("wheelchair", wheelchair),
            ("ground_floor", parse_floor(floor) == 0),
        )
        if flag
    )


def to_dwelling(vacancy: Vacancy, status: StatusInfo | None) -> Dwelling:
    d = vacancy.dwelling
    entrance = d.entrance
    department = entrance.department
    floor = parse_floor(d.floor)
    features = dwelling_features(
        step_free=d.step_free, elevator=d.elevator, wheelchair=d.wheelchair, floor=d.floor
    )
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
        aconto=vacancy.aconto_at_letting,
        area_m2=d.area_m2,
        ceiling=_judged_ceiling(vacancy),
    )


def _judged_ceiling(vacancy: Vacancy) -> CeilingTerms | None:
    """The ceiling terms of the version that judged the vacancy (its turn record), if any."""
    version = vacancy.judged_by
    if version is None:
        return None
    return CeilingTerms(
        ceiling=version.rent_ceiling,
        basis=version.rent_ceiling_basis,
        comparison=version.rent_ceiling_comparison,
    )


def agreement_version_on(day: dt.date, organisation_ids: Iterable[int]) -> AgreementVersion | None:
    """The version valid on ``day`` of the agreement that governs the organisations then
    (:func:`anvis.agreements.selectors.agreement_terms_on`, which the turn engine reads too)."""
    terms = agreement_terms_on(day, organisation_ids)
    return terms[1] if terms else None


def _policy(version: AgreementVersion | None) -> Policy:
    """The engine's policy of an agreement version (``None``: no agreement in force)."""
    if version is None:
        return Policy(agreement_in_force=False)
    return Policy(
        rent_ceiling=version.rent_ceiling,
        ceiling_basis=version.rent_ceiling_basis,
        ceiling_comparison=version.rent_ceiling_comparison,
    )


def _judged_by_own_terms(dwelling: Dwelling, own: Policy) -> Dwelling:
    """The dwelling with its organisation's answers where the batch's one policy could differ:
    whether an agreement is in force, and the ceiling of a vacancy no version judged."""
    ceiling = dwelling.ceiling or CeilingTerms(
        ceiling=own.rent_ceiling, basis=own.ceiling_basis, comparison=own.ceiling_comparison
    )
    return replace(dwelling, ceiling=ceiling, agreement_in_force=own.agreement_in_force)


@dataclass
class Setting:
    """Everything besides the citizens: the engine's context and the dwellings."""

    context: Context
    dwellings: list[Dwelling]
    vacancies: dict[str, Vacancy]
    statuses: dict[int, StatusInfo]
    version: AgreementVersion | None


def active_offer_counts(today: dt.date) -> tuple[dict[int, int], dict[int, int]]:
    """Active offers per department and per entrance that will become placements but are not
    counted as placements on ``today`` yet. An accepted offer stays accepted after its lease;
    from the move-in day its placement is in the monitoring register (and leaves the cap's
    window after twelve months), so it is not counted again here."""
    by_department: dict[int, int] = defaultdict(int)
    by_entrance: dict[int, int] = defaultdict(int)
    pending = Offer.objects.active().exclude(lease__move_in_on__lte=today)
    for entrance_id, department_id in pending.values_list(
        "vacancy__dwelling__entrance_id", "vacancy__dwelling__entrance__department_id"
    ):
        by_department[department_id] += 1
        by_entrance[entrance_id] += 1
    return dict(by_department), dict(by_entrance)


def load_setting(*, today: dt.date, vacancies: Sequence[Vacancy]) -> Setting:
    """The dwellings of ``vacancies`` and the context they are judged in on ``today``."""
    departments = sorted({v.dwelling.entrance.department_id for v in vacancies})
    statuses = department_status_map(today, departments)
    organisations = sorted({v.organisation_id for v in vacancies})
    version = agreement_version_on(today, organisations)
    # Each dwelling's caps are those of its own organisation's agreement, as the gate reads them
    # for that vacancy alone: a batch may hold vacancies of organisations under other agreements.
    versions = (
        {organisations[0]: version}
        if len(organisations) == 1
        else {org: agreement_version_on(today, {org}) for org in organisations}
    )
    policy = _policy(version)
    # Each dwelling is judged by its own organisation's terms, as the gate judges that vacancy
    # alone: whether an agreement is in force for it, and (when no version judged the vacancy)
    # that agreement's ceiling; the batch's one policy is only the first agreement's.
    own = {org: _policy(terms) for org, terms in versions.items()}
    dwellings = [
        _judged_by_own_terms(
            to_dwelling(v, statuses.get(v.dwelling.entrance.department_id)),
            own[v.organisation_id],
        )
        for v in vacancies
    ]
    caps = Caps()
    if any(
        v is not None
        and (v.cap_per_entrance_12m is not None or v.cap_per_department_12m is not None)
        for v in versions.values()
    ):
        # Only the vacancies' departments (and so their stairwells) are looked up.
        placed_dept, placed_entrance = placement_counts(today, 12, departments)
        offer_dept, offer_entrance = active_offer_counts(today)
        entrance_caps: dict[str, CapState] = {}
        department_caps: dict[str, CapState] = {}
        for d in dwellings:
            terms = versions[int(d.organisation_id)]
            if terms is None:
                continue
            e, p = int(d.entrance_id), int(d.department_id)
            if terms.cap_per_entrance_12m is not None:
                entrance_caps[d.entrance_id] = CapState(
                    max=terms.cap_per_entrance_12m,
                    placed=placed_entrance.get(e, 0) + offer_entrance.get(e, 0),
                )
            if terms.cap_per_department_12m is not None:
                department_caps[d.department_id] = CapState(
                    max=terms.cap_per_department_12m,
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
