"""Pages and files with personal data are not kept in a browser's or a proxy's cache: a
municipal workstation is shared, and the insight document holds the full CPR number. Only the
insight PDF and the suggestion lists said `Cache-Control: no-store`; the insight page (the same
document in HTML, with the full CPR number), the case pages, the vacancy page with the nominee's
name and the files said nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from .conftest import CPR, FIRST_NAME

pytestmark = pytest.mark.django_db


def _no_store(response: Any) -> bool:
    return "no-store" in response.headers.get("Cache-Control", "")


def test_pages_with_personal_data_are_not_cached(client_for: Any, world: dict[str, Any]) -> None:
    worker = client_for("sagsbehandler")
    insight = worker.get(reverse("security:citizen_insight", args=[world["citizen"].pk]))
    assert CPR in insight.content.decode()
    case = worker.get(reverse("cases:case_overview", args=[world["case"].pk]))
    assert FIRST_NAME in case.content.decode()
    vacancy = worker.get(reverse("vacancies:vacancy_detail", args=[world["vacancy"].pk]))
    assert FIRST_NAME in vacancy.content.decode()
    export = worker.get(reverse("api:export_cases"))
    assert world["case"].number in export.content.decode("utf-8-sig")
    offers = worker.get(reverse("api:offer_list"))
    assert world["case"].number in offers.content.decode()
    for response in (insight, case, vacancy, export, offers):
        assert response.status_code == 200
        assert _no_store(response), response.headers.get("Cache-Control")


def test_the_organisations_lease_stage_contact_is_not_cached(
    client_for: Any, world: dict[str, Any]
) -> None:
    page = client_for("boligorganisation").get(
        reverse("vacancies:vacancy_detail", args=[world["let_vacancy"].pk])
    )
    assert "Lejemaalina" in page.content.decode()
    assert _no_store(page)


def test_a_header_the_view_sets_itself_is_kept(client_for: Any) -> None:
    """The suggestion lists set their own header; the default does not replace a view's."""
    response = client_for("sagsbehandler").post(reverse("cases:case_suggestions"), {"q": "x"})
    assert response.headers["Cache-Control"] == "no-store"
