"""The report's snapshot marks the cases the gate judges on a housing budget, as the case page
does (`household_can_pay`): the supply gap does not call their income rule's amount a maximum
rent."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from anvis.cases.models import Case
from anvis.cases.services import case_create
from anvis.reports.selectors import _cases

pytestmark = pytest.mark.django_db


def test_a_case_with_benefit_income_and_no_override_is_marked(users: dict[str, Any]) -> None:
    def make(cpr: str, **values: Any) -> None:
        case = case_create(
            actor=users["sagsbehandler"],
            cpr=cpr,
            first_name="Karl",
            last_name="Testesen",
            situation="shelter_110",
            situation_since=dt.date(2026, 1, 5),
            waiting_since=dt.date(2026, 2, 1),
            today=dt.date(2026, 2, 1),
        )
        Case.objects.filter(pk=case.pk).update(**values)

    make("120385-1235", income_amount=8000, benefit_income=120_000)
    make("010605-4234", income_amount=8000)
    make(
        "020202-2222",
        income_amount=8000,
        benefit_income=120_000,
        max_rent_override=3000,
        max_rent_override_reason="Aftalt",
    )
    rows, _keys = _cases(dt.date(2026, 3, 31))
    assert sorted((r[8], r[9]) for r in rows) == [(2800, False), (2800, True), (3000, False)]
