"""The incremental citizen pool is the pool a full rebuild gives, after any sequence of changes.

Each example applies a random sequence of writes to the waiting cases and the rows their
citizens are made of (fields written with and without ``save()``, children, areas to avoid,
legal bars, declined offers, leases through the agreement and the end of their tenancies, the
person's birth date, cases leaving and joining the waiting list, no-op writes), asking for the
pool after some of them. Every pool must equal a full rebuild from the same rows: the same
citizens in the same order, the same ranking of a vacancy.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anvis.cases.models import AvoidArea, Case, Citizen, HouseholdChild, LegalBarEvent
from anvis.tenancy.models import Tenancy
from anvis.vacancies import adapters, pool
from anvis.vacancies.choices import DeclineReasonChoice, VacancyStatus
from anvis.vacancies.gate import score_weights
from anvis.vacancies.models import Lease, Offer, Vacancy
from anvis_core.matching.eligibility import RULES
from anvis_core.matching.ranking import rank_vacancy
from tests.core.matching.helpers import assert_same_table

from .conftest import make_case, open_vacancy

pytestmark = pytest.mark.django_db

CPRS = ["010180-1111", "020275-2222", "030390-3333", "040485-4444", "050560-5555"]

change = st.one_of(
    st.tuples(st.just("rent"), st.sampled_from([None, 3000, 4200, 6000])),
    st.tuples(st.just("rent_saved"), st.sampled_from([None, 3500, 4900])),
    # No income and no override: the maximum rent is unknown (None on the citizen).
    st.tuples(st.just("income"), st.sampled_from([None, 4000, 12000])),
    st.tuples(st.just("waiting_since"), st.integers(min_value=0, max_value=900)),
    st.tuples(st.just("status"), st.sampled_from(["waiting", "closed", "parked"])),
    st.tuples(st.just("child"), st.booleans()),
    st.tuples(st.just("avoid"), st.sampled_from(["Vestbyen", "Nørresundby", ""])),
    st.tuples(st.just("unavoid"), st.just(None)),
    st.tuples(st.just("bar"), st.integers(min_value=-400, max_value=10)),
    st.tuples(st.just("decline"), st.sampled_from(["declined", "expired", "withdrawn"])),
    st.tuples(st.just("birth"), st.integers(min_value=18, max_value=70)),
    st.tuples(st.just("lease"), st.integers(min_value=-30, max_value=30)),
    st.tuples(st.just("tenancy"), st.sampled_from([None, "eviction", "own_wish"])),
    st.tuples(st.just("noop"), st.just(None)),
)
step = st.tuples(st.integers(min_value=0, max_value=len(CPRS) - 1), change, st.booleans())


def apply(kind: str, value: Any, case: Case, ctx: dict[str, Any]) -> None:
    today = ctx["today"]
    cases = Case.objects.filter(pk=case.pk)
    if kind == "rent":
        cases.update(max_rent_override=value, max_rent_override_reason="Aftalt" if value else "")
    elif kind == "rent_saved":
        case.refresh_from_db()
        case.max_rent_override = value
        case.max_rent_override_reason = "Aftalt" if value else ""
        case.save()
    elif kind == "income":
        cases.update(income_amount=value)
    elif kind == "waiting_since":
        cases.update(waiting_since=today - dt.timedelta(days=value))
    elif kind == "status":
        parked = today + dt.timedelta(days=30) if value == "parked" else None
        cases.update(
            status="closed" if value == "closed" else "waiting",
            parked_until=parked,
            park_reason="Indlagt" if parked else "",
            closed_on=today if value == "closed" else None,
        )
    elif kind == "child":
        if value:
            HouseholdChild.objects.create(case=case, birth_date=today - dt.timedelta(days=900))
        else:
            first = HouseholdChild.objects.filter(case=case).order_by("pk").first()
            if first is not None:
                first.delete()
    elif kind == "avoid":
        AvoidArea.objects.create(
            case=case, district=value, department=None if value else ctx["department"], reason="x"
        )
    elif kind == "unavoid":
        AvoidArea.objects.filter(case=case).delete()
    elif kind == "bar":
        LegalBarEvent.objects.create(
            case=case, kind="prison_release", date=today + dt.timedelta(days=value)
        )
    elif kind == "decline":
        Offer.objects.create(
            vacancy=ctx["vacancy"],
            case=case,
            status=value,
            decline_reason=DeclineReasonChoice.CLIENT_LOCATION if value == "declined" else "",
            offered_on=today,
            response_deadline=today,
        )
    elif kind == "lease":
        move_in = today + dt.timedelta(days=value)
        held = Lease.objects.filter(offer__case=case, offer__status="accepted")
        if held.exists():  # one accepted offer per case: move its move-in instead
            held.update(starts_on=move_in, move_in_on=move_in)
            return
        vacancy = Vacancy.objects.get(pk=ctx["vacancy"].pk)
        vacancy.pk, vacancy.turn_record, vacancy.status = None, None, VacancyStatus.LET
        vacancy.save()
        offer = Offer.objects.create(
            vacancy=vacancy,
            case=case,
            status="accepted",
            offered_on=today,
            response_deadline=today,
        )
        Lease.objects.create(
            vacancy=vacancy, offer=offer, signed_on=today, starts_on=move_in, move_in_on=move_in
        )
    elif kind == "tenancy":
        lease = Lease.objects.filter(offer__case__citizen_id=case.citizen_id).order_by("pk").last()
        if lease is not None:
            Tenancy.objects.update_or_create(
                lease=lease,
                defaults={
                    "case": case,
                    "ended_on": today if value else None,
                    "end_reason": value or "",
                },
            )
    elif kind == "birth":
        Citizen.objects.filter(pk=case.citizen_id).update(
            birth_date=today.replace(year=today.year - value, day=1)
        )
    else:
        cases.update(urgent=Case.objects.get(pk=case.pk).urgent)


def assert_same_as_rebuild(ctx: dict[str, Any]) -> None:
    today = ctx["today"]
    incremental = pool.load_citizens(today=today)
    full = adapters._build_pool(
        adapters._pool_queries(today, None),
        today=today,
        bar_kinds=tuple(pool.core_bars.AreaKind),
    )
    assert incremental.citizens == full.citizens
    assert incremental.case_ids == full.case_ids
    assert incremental.unknown_max_rent == full.unknown_max_rent
    assert_same_table(incremental.table, full.table)
    setting = ctx["setting"]
    ranked = [
        rank_vacancy(setting.dwellings[0], p.table, setting.context, score_weights(), RULES)
        for p in (incremental, full)
    ]
    assert ranked[0].candidates() == ranked[1].candidates()
    assert ranked[0].rejections() == ranked[1].rejections()


@pytest.fixture
def world(users: dict[str, Any], agreement: Any, cheap: Any, today: dt.date) -> dict[str, Any]:
    cases = [make_case(users, cpr, waiting_days=50 + 10 * i) for i, cpr in enumerate(CPRS)]
    vacancy = open_vacancy(users, cheap, today)
    return {
        "today": today,
        "cases": cases,
        "vacancy": vacancy,
        "department": cheap.entrance.department,
        "setting": adapters.load_setting(today=today, vacancies=[vacancy]),
    }


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(step, min_size=1, max_size=12))
def test_incremental_pool_equals_a_full_rebuild(world: dict[str, Any], steps: list[Any]) -> None:
    assert_same_as_rebuild(world)
    for index, (kind, value), look in steps:
        apply(kind, value, world["cases"][index], world)
        if look:
            assert_same_as_rebuild(world)
    assert_same_as_rebuild(world)
