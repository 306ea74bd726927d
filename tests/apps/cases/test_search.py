"""Choosing a citizen by typing a name or case number: municipal roles only, POST only (the
name never in a URL), never by CPR number, and every suggestion logged as a personal-data read."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from anvis.audit.models import PersonalDataAccess

pytestmark = pytest.mark.django_db


@pytest.fixture
def karl(users: dict[str, Any]) -> Any:
    import datetime as dt

    from anvis.cases.services import case_create

    return case_create(
        actor=users["sagsbehandler"],
        cpr="120385-1235",
        first_name="Karl",
        last_name="Testesen",
        phone="12345678",
        situation="shelter_110",
        situation_since=dt.date(2026, 1, 5),
        today=dt.date(2026, 2, 1),
    )


def test_a_caseworker_finds_the_citizen_by_name_and_the_read_is_logged(
    client_for: Any, karl: Any
) -> None:
    client = client_for("sagsbehandler")
    before = PersonalDataAccess.objects.count()
    results = client.post(reverse("cases:case_suggestions"), {"q": "ka test"}).json()["results"]
    assert [r["value"] for r in results] == [karl.pk]
    assert "Karl Testesen" in results[0]["label"] and karl.number in results[0]["label"]
    assert PersonalDataAccess.objects.count() == before + 1
    by_number = client.post(reverse("cases:case_suggestions"), {"q": karl.number}).json()
    assert [r["value"] for r in by_number["results"]] == [karl.pk]


def test_never_by_cpr_never_by_get_never_for_other_roles(client_for: Any, karl: Any) -> None:
    client = client_for("sagsbehandler")
    for cpr in ("120385", "1203851235", "120385-1235"):
        assert client.post(reverse("cases:case_suggestions"), {"q": cpr}).json()["results"] == []
    assert client.get(reverse("cases:case_suggestions"), {"q": "karl"}).status_code == 405
    for role in ("boligorganisation", "styregruppe"):
        response = client_for(role).post(reverse("cases:case_suggestions"), {"q": "karl"})
        assert response.status_code == 404


@pytest.fixture
def soeren(users: dict[str, Any]) -> Any:
    import datetime as dt

    from anvis.cases.services import case_create

    return case_create(
        actor=users["sagsbehandler"],
        cpr="150390-1236",
        first_name="Søren",
        last_name="Kjærsgaard",
        situation="shelter_110",
        situation_since=dt.date(2026, 1, 5),
        today=dt.date(2026, 2, 1),
    )


@pytest.mark.parametrize(
    "typed",
    ["Søren Kjærsgaard", "Kjærsgaard, Søren", "KJÆRSGAARD", "søren kjær", "sø kj"],
)
def test_the_case_list_finds_a_citizen_as_the_suggestions_do(
    client_for: Any, karl: Any, soeren: Any, typed: str
) -> None:
    """The case list's search box and the citizen suggestions answer a typed name by the same
    rule: every word starts the first or last name (in any case, also æ, ø, å), so the full
    name, "last, first" and capitals find the citizen, and the other citizen is not listed."""
    client = client_for("sagsbehandler")
    suggested = client.post(reverse("cases:case_suggestions"), {"q": typed}).json()["results"]
    assert [r["value"] for r in suggested] == [soeren.pk]
    page = client.post(reverse("cases:case_list"), {"q": typed}, follow=True)
    listed = list(page.context["page"].object_list)
    assert [c.pk for c in listed] == [soeren.pk]


def test_a_suggestions_priority_is_written_as_pages_write_numbers(
    client_for: Any, karl: Any
) -> None:
    from anvis.cases.models import Case

    Case.objects.filter(pk=karl.pk).update(priority_total=1190)
    client = client_for("sagsbehandler")
    (result,) = client.post(reverse("cases:case_suggestions"), {"q": "karl"}).json()["results"]
    assert result["detail"].endswith("prioritet 1.190")
