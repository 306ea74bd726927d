"""The report's departments by monitoring status are those on the quarter's end, read by the
one reading every other page uses (`department_status_map`), whatever the stored snapshot's
date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

from anvis.monitoring.compute import recompute
from anvis.monitoring.models import AreaDesignation, DepartmentIndicators
from anvis.monitoring.selectors import department_status_map
from anvis.reports import selectors
from anvis_core.quotas import Quarter

TODAY = dt.date(2026, 7, 15)
RED = {
    "outside_work_education": D("45.0"),
    "basic_schooling_only": D("50.0"),
    "income_relative_region": D("52.0"),
    "convictions_relative_national": D("1.50"),
}


def _status(quarter: Quarter) -> dict[str, Any]:
    status: dict[str, Any] = selectors.report_snapshot_gather(quarter=quarter, today=TODAY)[
        "department_status"
    ]
    return status


def test_a_past_quarter_reads_the_status_on_its_end_not_todays_snapshot(
    org_a: Any, org_b: Any
) -> None:
    dept = org_a.departments.get()
    # Figures of 2025 only: usable from 1 January 2026; on 31 December 2025 there are none.
    DepartmentIndicators.objects.create(
        department=dept, year=2025, residents=400, households=200, **RED
    )
    recompute(on_date=TODAY)
    assert department_status_map(TODAY)[dept.pk].status == "red"

    q4 = _status(Quarter(2025, 4))
    on_end = department_status_map(dt.date(2025, 12, 31))
    assert q4["as_of"] == "2025-12-31"
    assert q4["counts"].get("red", 0) == 0
    assert q4["counts"] == {"unknown": sum(1 for i in on_end.values() if i.status == "unknown")}

    q1 = _status(Quarter(2026, 1))  # the Q4 → Q1 edge: the 2025 figures take effect
    assert q1["as_of"] == "2026-03-31"
    assert q1["counts"]["red"] == 1


def test_the_list_year_at_the_quarter_end_decides_a_designation(org_a: Any, org_b: Any) -> None:
    dept = org_b.departments.get()
    AreaDesignation.objects.create(department=dept, list_year=2025, kind="udsat")
    recompute(on_date=TODAY)
    # The 2025 list is in force from 1 December 2025: not on 30 September, but on 31 December.
    assert _status(Quarter(2025, 3))["counts"].get("red", 0) == 0
    assert _status(Quarter(2025, 4))["counts"]["red"] == 1


def test_the_running_quarter_reads_the_snapshot_of_today(org_a: Any, org_b: Any) -> None:
    dept = org_a.departments.get()
    DepartmentIndicators.objects.create(
        department=dept, year=2025, residents=400, households=200, **RED
    )
    recompute(on_date=TODAY)
    status = _status(Quarter(2026, 3))
    assert status["as_of"] == TODAY.isoformat()
    assert status["counts"]["red"] == 1
