"""An agreement followed by another: a quarter's row of the report's turns by quarter is the
same whichever later quarter's report shows it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from anvis.agreements import services
from anvis.reports import selectors
from anvis.stock.models import Dwelling
from anvis_core.quotas import Quarter

pytestmark = pytest.mark.django_db
D = dt.date


def _eligible_by_quarter(quarter: Quarter, today: dt.date) -> dict[str, Any]:
    _raw, report = selectors.report_build(quarter=quarter, today=today)
    table = report.table("turns_by_quarter")
    return {str(row[0].value): row[1].value for row in table.rows}


def test_a_quarter_under_the_earlier_agreement_keeps_its_turns_in_a_later_report(
    users: dict[str, Any], org_a: Any
) -> None:
    lead = users["anvisningsleder"]
    services.agreement_create(
        actor=lead,
        municipality="Aalborg Kommune",
        title="Første aftale",
        period_start=D(2024, 1, 1),
        period_end=D(2024, 6, 30),
        parties=[org_a],
    )
    services.agreement_create(
        actor=lead,
        municipality="Aalborg Kommune",
        title="Anden aftale",
        period_start=D(2024, 7, 1),
        parties=[org_a],
    )
    dwelling = Dwelling.objects.get(entrance__department__organisation=org_a, rent=3100)
    for day in (D(2024, 4, 2), D(2024, 5, 2), D(2024, 8, 1)):
        services.turn_decide(dwelling=dwelling, report_date=day)
    own = _eligible_by_quarter(Quarter(2024, 2), D(2024, 7, 1))
    later = _eligible_by_quarter(Quarter(2024, 3), D(2024, 10, 1))
    assert own["2024-Q2"] == 2
    assert later["2024-Q2"] == 2
    assert later["2024-Q3"] == 1
