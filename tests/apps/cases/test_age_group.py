"""The case page names the age group the matching reads (anvis_core.cases.household.age_band):
18–24 young, 25 and above older; a citizen under 18 is named as a minor, not as young."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse

from anvis.cases import services

pytestmark = pytest.mark.django_db


def _case_of(users: Any, cpr: str) -> Any:
    return services.case_create(
        actor=users["sagsbehandler"],
        cpr=cpr,
        first_name="Ida",
        last_name="Hansen",
        situation="rough_sleeping",
        situation_since=dt.date(2026, 1, 5),
        today=dt.date(2026, 2, 1),
    )


def _facts(client: Any, case: Any, tab: str) -> str:
    body = client.get(reverse(f"cases:{tab}", args=[case.pk])).content.decode()
    return re.sub(r"\s+", " ", body)


@pytest.mark.parametrize(
    ("cpr", "group"),
    [
        ("010115-4002", "Under 18 år"),  # 2015: a minor
        ("010105-4002", "Ung (18–24)"),  # 2005
        ("010190-1002", "Ældre (25+)"),  # 1990
    ],
)
def test_the_age_group_on_the_case_page(users: Any, client_for: Any, cpr: str, group: str) -> None:
    case = _case_of(users, cpr)
    client = client_for("sagsbehandler")
    household = _facts(client, case, "case_household")
    assert f"<dt>Aldersgruppe</dt><dd>{group}</dd>" in household
    overview = _facts(client, case, "case_overview")
    # The overview's age row gives the age alone; the group is named once, by the same rule.
    assert "ung, 18–24" not in overview
