from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

from django.utils import translation

from anvis.monitoring.compute import recompute
from anvis.monitoring.models import (
    AreaDesignation,
    DepartmentIndicators,
    DepartmentStatus,
    StepProposal,
)
from anvis.monitoring.placements import placement_counts
from anvis.monitoring.selectors import (
    department_overview,
    department_status_map,
    proposal_rows,
    status_memo,
    step_proposal_list,
    step_proposals,
)
from anvis.monitoring.services import placement_register
from anvis.stock.models import Dwelling

from .conftest import GREEN_VALUES, RED_VALUES, TODAY, add_year


def test_status_map_closes_red_departments(
    monitored: Any, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(2):
        statuses = department_status_map(TODAY)
    a, b = statuses[monitored["a"].pk], statuses[monitored["b"].pk]
    assert (a.status, a.closed) == ("red", True)
    assert (b.status, b.closed) == ("green", False)
    assert a.indicator_year == 2025
    assert {r["code"] for r in a.reasons} >= {
        "udsat",
        "udsat.outside_work_education",
        "udsat.income",
    }


def test_status_map_computes_on_read_for_another_date(
    monitored: Any, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(5):
        statuses = department_status_map(dt.date(2025, 6, 1))  # only 2024 figures usable
    assert statuses[monitored["a"].pk].indicator_year == 2024
    assert statuses[monitored["a"].pk].closed


def test_designation_closes_even_a_green_department(monitored: Any) -> None:
    AreaDesignation.objects.create(department=monitored["b"], list_year=2025, kind="forebyggelse")
    # The 2025 list is published on 1 December 2025: in force on TODAY, not on 30 Nov 2025.
    assert department_status_map(dt.date(2025, 11, 30))[monitored["b"].pk].status == "green"
    recompute(on_date=TODAY)
    info = department_status_map(TODAY)[monitored["b"].pk]
    assert info.closed and info.designations == ("forebyggelse",)


def test_placement_counts_by_department_and_entrance(
    org_a: Any, org_b: Any, django_assert_num_queries: Any
) -> None:
    a1, a2 = Dwelling.objects.filter(entrance__department__organisation=org_a)
    b1 = Dwelling.objects.filter(entrance__department__organisation=org_b).first()
    on = dt.date(2026, 6, 15)
    for dwelling, day in (
        (a1, dt.date(2025, 6, 15)),
        (a2, dt.date(2025, 6, 16)),
        (b1, on),
        (a1, dt.date(2026, 6, 16)),
    ):
        placement_register(actor=None, dwelling=dwelling, placed_on=day, case_ref="S")
    with django_assert_num_queries(1):
        by_dept, by_entrance = placement_counts(on, 12)
    assert by_dept == {a1.entrance.department_id: 1, b1.entrance.department_id: 1}
    assert by_entrance == {a2.entrance_id: 1, b1.entrance_id: 1}
    by_dept_24, _ = placement_counts(on, 24)
    assert by_dept_24[a1.entrance.department_id] == 2
    # Of the given departments only: the same counts for them, in one query.
    with django_assert_num_queries(1):
        only_b = placement_counts(on, 12, [b1.entrance.department_id])
    assert only_b == ({b1.entrance.department_id: 1}, {b1.entrance_id: 1})


def test_status_memo_computes_each_department_and_date_once(
    monitored: Any, django_assert_num_queries: Any
) -> None:
    day = dt.date(2025, 6, 1)  # computed on read: no snapshot for that date
    b = monitored["b"].pk
    plain = department_status_map(day)
    with status_memo():
        assert department_status_map(day) == plain
        with django_assert_num_queries(0):  # the whole map serves any departments of that date
            assert department_status_map(day) == plain
            assert department_status_map(day, [b]) == {b: plain[b]}
    with django_assert_num_queries(2):  # outside the block every call reads again
        department_status_map(TODAY)
    a = monitored["a"].pk
    with status_memo():
        assert department_status_map(day, [a]) == {a: plain[a]}
        with django_assert_num_queries(0):
            assert department_status_map(day, [a]) == {a: plain[a]}
        with django_assert_num_queries(3):  # read for the department not asked for before
            assert department_status_map(day, [b, a]) == {b: plain[b], a: plain[a]}
        with django_assert_num_queries(0):
            assert department_status_map(day, [b]) == {b: plain[b]}
        # The next day is judged by the same figures: its statuses are those of `day`, after
        # one look at whether a snapshot was stored for it.
        with django_assert_num_queries(1):
            assert department_status_map(day + dt.timedelta(days=1), [a, b]) == {
                a: plain[a],
                b: plain[b],
            }


def test_step_proposals_levels_and_reasons(monitored: Any, users: Any) -> None:
    with translation.override("da"):
        rows = {r.department_id: r for r in step_proposals(2026)}
    a, b = rows[monitored["a"].pk], rows[monitored["b"].pk]
    assert (a.level, a.share) == ("red", D("0"))
    assert (b.level, b.share) == ("strong", D("40"))
    assert "udsat boligområde" in a.reason
    own = step_proposals(2026, user=users["boligorganisation"])
    assert [r.department_id for r in own] == [monitored["a"].pk]


def test_overview_shares_and_retention(dept_b: Any, users: Any) -> None:
    add_year(dept_b, 2025, GREEN_VALUES)
    dwellings = list(Dwelling.objects.filter(entrance__department=dept_b))
    placement_register(
        actor=None, dwelling=dwellings[0], placed_on=dt.date(2026, 1, 10), case_ref="S"
    )
    recompute(on_date=TODAY)
    o = department_overview(dept_b, TODAY)
    row = o.entrances[0]
    assert row.counts == {12: 1, 24: 1, 36: 1}
    assert row.share_of_dwellings[12] == D("50.0")
    # lettings: 2 dwellings × 10 % a year = 0.2 per 12 months → 1 placement is 500 %
    assert row.share_of_lettings[12] == D("500.0")
    assert o.retention_12 == (0, 0)
    assert DepartmentStatus.objects.get(department=dept_b).placements_12 == 1


def test_recompute_stores_the_coming_years_proposals(monitored: Any, users: Any) -> None:
    year = TODAY.year + 1
    assert set(StepProposal.objects.values_list("year", flat=True)) == {year}
    computed = {r.department_id: r for r in step_proposals(year)}
    stored = step_proposal_list(year, users["anvisningsleder"])
    assert stored.stored
    rows = {r.department_id: r for r in proposal_rows(stored.rows)}
    assert rows == computed
    assert stored.levels == {"red": 1, "strong": 1}


def test_proposal_list_filters_the_same_stored_or_computed(monitored: Any, users: Any) -> None:
    year = TODAY.year + 1
    lead = users["anvisningsleder"]
    for level, search, expected in (
        ("red", "", [monitored["a"].pk]),
        ("strong", "", [monitored["b"].pk]),
        ("", monitored["b"].name[:4], [monitored["b"].pk]),
        ("", monitored["a"].number, [monitored["a"].pk]),
        ("yellow", "", []),
    ):
        stored = step_proposal_list(year, lead, level=level, search=search)
        assert stored.stored
        assert [r.department_id for r in proposal_rows(stored.rows)] == expected
    StepProposal.objects.all().delete()
    computed = step_proposal_list(year, lead, level="red")
    assert not computed.stored
    assert [r.department_id for r in proposal_rows(computed.rows)] == [monitored["a"].pk]
    assert computed.levels == {"red": 1, "strong": 1}


def test_stored_proposals_are_not_used_when_a_department_is_missing(
    monitored: Any, users: Any
) -> None:
    year = TODAY.year + 1
    StepProposal.objects.filter(department=monitored["b"]).delete()
    result = step_proposal_list(year, users["anvisningsleder"])
    assert not result.stored
    assert {r.department_id for r in result.rows} == {monitored["a"].pk, monitored["b"].pk}


def test_stored_proposals_follow_the_organisation_scope(monitored: Any, users: Any) -> None:
    own = step_proposal_list(TODAY.year + 1, users["boligorganisation"])
    assert own.stored
    assert [r.department_id for r in proposal_rows(own.rows)] == [monitored["a"].pk]


def test_retention_after_12_months_counts_a_leap_day_move_in(dept_b: Any) -> None:
    """29 February 2024 + 12 months is 28 February 2025: on that day the placement has been
    followed 12 months and is counted, as the report's anniversary table counts it."""
    dwelling = Dwelling.objects.filter(entrance__department=dept_b).first()
    placement_register(actor=None, dwelling=dwelling, placed_on=dt.date(2024, 2, 29), case_ref="S")
    o = department_overview(dept_b, dt.date(2025, 2, 28))
    assert o.retention_12 == (1, 1)


def test_placement_counts_add_up_a_stairwell_recorded_under_two_departments(
    org_a: Any, org_b: Any
) -> None:
    """A placement repeats its dwelling's department when it is written; a stairwell whose rows
    carry two department ids (its department was changed in the admin afterwards) is still one
    stairwell, and the cap counts all of its placements."""
    from anvis.monitoring.models import MunicipalPlacement

    a1 = Dwelling.objects.filter(entrance__department__organisation=org_a).first()
    other = Dwelling.objects.filter(entrance__department__organisation=org_b).first()
    on = dt.date(2026, 6, 15)
    for department in (a1.entrance.department, other.entrance.department):
        MunicipalPlacement.objects.create(
            dwelling=a1,
            entrance=a1.entrance,
            department=department,
            placed_on=on,
            case_ref="S",
        )
    _, by_entrance = placement_counts(on, 12)
    assert by_entrance[a1.entrance_id] == 2


def test_department_page_reads_the_status_the_gate_reads_on_the_day(
    dept_a: Any, dept_b: Any
) -> None:
    """1 December: the new area list is in force before the night's recompute. The department
    page says what the placement gate decides that day, not the snapshot of the day before."""
    add_year(dept_b, 2024, GREEN_VALUES)
    add_year(dept_a, 2025, RED_VALUES)
    recompute(on_date=dt.date(2025, 11, 30))
    AreaDesignation.objects.create(department=dept_b, list_year=2025, kind="udsat")
    day = dt.date(2025, 12, 1)
    gate = department_status_map(day, [dept_b.pk])[dept_b.pk]
    assert (gate.status, gate.closed, gate.designations) == ("red", True, ("udsat",))
    with translation.override("da"):
        o = department_overview(dept_b, day)
    assert o.status is not None
    assert (o.status.status, o.status.closed, o.status.indicator_year) == ("red", True, 2024)
    assert o.as_of == day
    assert len(o.reasons) == len(gate.reasons)
    # 1 January: the 2025 figures take effect, still before the night's recompute.
    day = dt.date(2026, 1, 1)
    o = department_overview(dept_a, day)
    assert o.status == department_status_map(day, [dept_a.pk])[dept_a.pk]
    assert (o.status.status, o.status.indicator_year) == ("red", 2025)


def test_the_oldest_year_in_reach_is_averaged_with_the_year_before_it(dept_a: Any) -> None:
    """The same judged year gives the same two-year averages on any date: when the latest
    year with criterion values is the oldest the look-back reaches, the year before it still
    counts for the averages."""
    add_year(dept_a, 2021, {**GREEN_VALUES, "outside_work_education": D("45.0")})
    add_year(
        dept_a,
        2022,
        {**GREEN_VALUES, "outside_work_education": D("38.0"), "income_relative_region": D("52.0")},
    )
    for year in (2023, 2024, 2025):  # later deliveries with move-out rates only
        DepartmentIndicators.objects.create(
            department=dept_a, year=year, residents=400, households=200, move_out_rate=D("9.0")
        )
    then = department_status_map(dt.date(2023, 6, 1), [dept_a.pk])[dept_a.pk]
    now = department_status_map(dt.date(2026, 6, 1), [dept_a.pk])[dept_a.pk]
    assert then.indicator_year == now.indicator_year == 2022
    assert then.status == "red"  # (45 + 38) / 2 = 41.5 % over 40 %, and income under 55 %
    assert (now.status, now.reasons) == (then.status, then.reasons)
