"""The vacancy list's one filterset on the page and in the API: the same query, the same rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from anvis.common.exports import Column, csv_bytes, table
from anvis.vacancies.choices import VacancyStatus
from anvis.vacancies.models import Vacancy

pytestmark = pytest.mark.django_db


def _vacancy(dwelling: Any, day: dt.date, status: str) -> Vacancy:
    return Vacancy.objects.create(
        organisation_id=dwelling.entrance.department.organisation_id,
        dwelling=dwelling,
        notice_date=day,
        available_from=day,
        report_date=day,
        rent_at_letting=dwelling.rent,
        status=status,
    )


def test_page_and_api_filter_by_department_number_and_quarter(
    users: dict[str, Any], client_for: Any, org_a: Any, org_b: Any
) -> None:
    a = org_a.departments.get().entrances.get().dwellings.order_by("pk")
    b = org_b.departments.get().entrances.get().dwellings.first()
    one = _vacancy(a[0], dt.date(2026, 2, 3), VacancyStatus.LET)
    _vacancy(a[1], dt.date(2026, 5, 3), VacancyStatus.LET)
    _vacancy(b, dt.date(2026, 2, 4), VacancyStatus.LET)
    query = {"status": "all", "department_number": "101", "quarter": "2026-Q1"}
    page = client_for("anvisningsleder").get(reverse("vacancies:vacancy_list"), query)
    assert page.status_code == 200
    assert [v.pk for v in page.context["page"]] == [one.pk]
    api = APIClient()
    api.force_authenticate(users["anvisningsleder"])
    body = api.get("/api/v1/vacancies/", query).json()
    assert [row["id"] for row in body["results"]] == [one.pk]
    # Open only, unless the query names a status: none of these is open.
    assert (
        list(client_for("anvisningsleder").get(reverse("vacancies:vacancy_list")).context["page"])
        == []
    )
    # The quarter as the pages write it is read too.
    for written in ("1. kvartal 2026", "1. KVARTAL 2026", "Q1 2026"):
        danish = client_for("anvisningsleder").get(
            reverse("vacancies:vacancy_list"), {**query, "quarter": written}
        )
        assert [v.pk for v in danish.context["page"]] == [one.pk], written
    bad = client_for("anvisningsleder").get(
        reverse("vacancies:vacancy_list"), {"quarter": "2026-Q9"}
    )
    assert bad.status_code == 400
    assert "Skriv kvartalet som ÅÅÅÅ-Qn" in bad.content.decode()


def test_the_file_writer_guards_formulas_and_writes_danish_numbers_and_dates() -> None:
    from decimal import Decimal

    columns = [
        Column("Navn", lambda r: r[0]),
        Column("Beløb", lambda r: r[1]),
        Column("Dato", lambda r: r[2]),
    ]
    headers, rows = table(columns, [("=SUM(A1)", Decimal("12.50"), dt.date(2026, 3, 4))])
    text = csv_bytes(headers, rows).decode("utf-8-sig")
    assert text.splitlines()[1] == "'=SUM(A1);12,50;04.03.2026"
