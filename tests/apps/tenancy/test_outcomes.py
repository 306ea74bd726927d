"""A move-out counts the same way in every retention figure: the anniversary table, the
Kaplan–Meier tables and the governance dialogue's department table (`is_loss`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from .conftest import make_let

pytestmark = pytest.mark.django_db


def test_a_death_is_neither_kept_nor_lost_in_any_retention_figure(
    users: dict[str, Any], org_a: Any
) -> None:
    from anvis.monitoring.models import MunicipalPlacement
    from anvis.monitoring.selectors import department_overview
    from anvis.reports.selectors import report_build
    from anvis.tenancy.dialogue import _department_table, _risk_by_department
    from anvis.tenancy.services import EventInput, tenancy_event_report
    from anvis_core.composition import add_months
    from anvis_core.quotas import Quarter
    from anvis_core.reports import format_cell

    today = timezone.localdate()
    let = make_let(users, org_a, months_ago=14)
    placement = MunicipalPlacement.objects.get(case_ref=let["case"].number)
    # A neighbour placed the same day who still lives there.
    MunicipalPlacement.objects.create(
        dwelling=placement.dwelling,
        entrance=placement.entrance,
        department=placement.department,
        placed_on=placement.placed_on,
        case_ref="ANDEN-1",
    )
    died_on = add_months(let["move_in"], 3)
    tenancy_event_report(
        actor=users["boligorganisation"],
        lease=let["lease"],
        data=EventInput(kind="move_out", event_date=died_on, move_out_reason="death"),
    )
    placement.refresh_from_db()
    assert placement.outcome == "died" and placement.moved_out_on == died_on

    _raw, report = report_build(quarter=Quarter.of(today), today=today)
    anniversary = add_months(let["move_in"], 6)
    row = next(
        r for r in report.table("retention").rows if r[0].value == str(Quarter.of(anniversary))
    )
    assert format_cell(row[1]) == "100,0 %" and row[1].bases == (1, 1, 0)  # with the rest
    outcomes = report.table("tenancy_outcomes")
    cohort = next(r for r in outcomes.rows if r[0].value == str(Quarter.of(let["move_in"])))
    assert [cohort[3].value, cohort[4].value] == [1, 0]  # moved out, lost the home

    department = _department_table(org_a, today, _risk_by_department(org_a.pk))
    assert [c.value for c in department.rows[0][2:5]] == [0, 1, 0]  # running, ended, lost

    overview = department_overview(placement.department, today)
    assert overview.retention_12 == (1, 1)
    assert ("Died", 1) in overview.outcomes or ("Død", 1) in overview.outcomes


def test_an_eviction_is_a_lost_home_in_every_retention_figure(
    users: dict[str, Any], org_a: Any
) -> None:
    from anvis.monitoring.models import MunicipalPlacement
    from anvis.monitoring.selectors import department_overview
    from anvis.reports.selectors import report_build
    from anvis.tenancy.dialogue import _department_table, _risk_by_department
    from anvis.tenancy.services import EventInput, tenancy_event_report
    from anvis_core.composition import add_months
    from anvis_core.quotas import Quarter
    from anvis_core.reports import format_cell

    today = timezone.localdate()
    let = make_let(users, org_a, months_ago=14)
    tenancy_event_report(
        actor=users["boligorganisation"],
        lease=let["lease"],
        data=EventInput(
            kind="move_out",
            event_date=add_months(let["move_in"], 3) - dt.timedelta(days=1),
            move_out_reason="eviction",
        ),
    )
    _raw, report = report_build(quarter=Quarter.of(today), today=today)
    anniversary = add_months(let["move_in"], 6)
    row = next(
        r for r in report.table("retention").rows if r[0].value == str(Quarter.of(anniversary))
    )
    assert format_cell(row[1]) == "0,0 %"
    department = _department_table(org_a, today, _risk_by_department(org_a.pk))
    assert department.rows[0][4].value == 1
    placement = MunicipalPlacement.objects.get(case_ref=let["case"].number)
    assert department_overview(placement.department, today).retention_12 == (0, 1)
