"""Monitoring fixtures on top of the shared `org_a`/`org_b` stock."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

import pytest

TODAY = dt.date(2026, 6, 15)

RED_VALUES = {
    "outside_work_education": D("45.0"),
    "basic_schooling_only": D("50.0"),
    "income_relative_region": D("52.0"),
    "convictions_relative_national": D("1.50"),
    "non_western": D("20.0"),
    "move_out_rate": D("12.0"),
    "public_support": D("40.0"),
}
GREEN_VALUES = {
    "outside_work_education": D("15.0"),
    "basic_schooling_only": D("30.0"),
    "income_relative_region": D("90.0"),
    "convictions_relative_national": D("0.70"),
    "non_western": D("8.0"),
    "move_out_rate": D("10.0"),
    "public_support": D("20.0"),
}


def add_year(
    dept: Any, year: int, values: dict[str, D] | None, residents: int = 400, households: int = 200
) -> Any:
    from anvis.monitoring.models import DepartmentIndicators

    if values is None:
        return DepartmentIndicators.objects.create(
            department=dept, year=year, residents=residents, households=households, suppressed=True
        )
    return DepartmentIndicators.objects.create(
        department=dept, year=year, residents=residents, households=households, **values
    )


@pytest.fixture
def dept_a(org_a: Any) -> Any:
    return org_a.departments.get()


@pytest.fixture
def dept_b(org_b: Any) -> Any:
    return org_b.departments.get()


@pytest.fixture
def monitored(dept_a: Any, dept_b: Any, users: Any) -> dict[str, Any]:
    """dept_a red in 2025 (udsat: two criteria), dept_b green; snapshot computed on TODAY."""
    from anvis.monitoring.compute import recompute

    add_year(dept_a, 2024, RED_VALUES)
    add_year(dept_a, 2025, RED_VALUES)
    add_year(dept_b, 2024, GREEN_VALUES)
    add_year(dept_b, 2025, GREEN_VALUES)
    recompute(on_date=TODAY)
    return {"a": dept_a, "b": dept_b}
