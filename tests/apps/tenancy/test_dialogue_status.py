"""The governance dialogue's department table says the monitoring status the placement gate
reads on its day, also before the night's recompute when a new area list is in force."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def test_department_table_reads_the_status_on_its_day(org_a: Any) -> None:
    from anvis.monitoring.compute import recompute
    from anvis.monitoring.models import AreaDesignation, MunicipalPlacement
    from anvis.monitoring.selectors import department_status_map
    from anvis.stock.models import Dwelling
    from anvis.tenancy.dialogue import _department_table

    dwelling = Dwelling.objects.filter(entrance__department__organisation=org_a).first()
    assert dwelling is not None
    dept = dwelling.entrance.department
    MunicipalPlacement.objects.create(
        dwelling=dwelling,
        entrance=dwelling.entrance,
        department=dept,
        placed_on=dt.date(2025, 6, 1),
        case_ref="REF-1",
    )
    recompute(on_date=dt.date(2025, 11, 30))
    AreaDesignation.objects.create(department=dept, list_year=2025, kind="udsat")
    day = dt.date(2025, 12, 1)
    assert department_status_map(day, [dept.pk])[dept.pk].status == "red"
    table = _department_table(org_a, day, Counter())
    status = table.columns.index("monitoring_status")
    assert table.rows[0][status].value == "status.red"
