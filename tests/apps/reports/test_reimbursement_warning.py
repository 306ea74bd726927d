"""One reading of "near the § 110 reimbursement cap": the case page's warning and the steering
group's report count the same citizens, with the municipality's own warning margin
(``ANVIS_SHELTER_WARNING_DAYS``), not only the published default."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from anvis.cases.adapters import citizen_reimbursement
from anvis.cases.models import ShelterStay
from anvis.cases.services import case_create
from anvis.reports.selectors import report_build
from anvis_core.quotas import Quarter

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 10)


def test_the_case_page_and_the_report_warn_with_the_same_margin(
    users: dict[str, Any], settings: Any
) -> None:
    settings.ANVIS_SHELTER_WARNING_DAYS = 30
    case = case_create(
        actor=users["sagsbehandler"],
        cpr="120385-1235",
        first_name="Karl",
        last_name="Testesen",
        phone="12345678",
        situation="shelter_110",
        situation_since=dt.date(2026, 4, 1),
        today=dt.date(2026, 4, 1),
    )
    # In a shelter since 1 April: 71 days used on 10 June of a 90-day cap, 19 left.
    ShelterStay.objects.create(case=case, shelter="Herberget", admitted_on=dt.date(2026, 4, 1))
    status = citizen_reimbursement(case.citizen, TODAY)
    assert status.days_left == 19 and status.warning and not status.exceeded

    _snapshot, report = report_build(quarter=Quarter.of(TODAY), today=TODAY)
    row = report.table("shelter").rows[-1]
    near_cap = report.table("shelter").columns.index("near_cap")
    assert row[near_cap].value == 1
