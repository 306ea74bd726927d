"""The ledger as a door: every figure links to the vacancy list filtered to the vacancies it
counts, and that list holds exactly as many vacancies as the figure says."""

from __future__ import annotations

import datetime as dt
import random
import re
from html import unescape
from typing import Any

import pytest
from django.http import QueryDict
from django.urls import reverse

from anvis.agreements import selectors, services
from anvis.agreements.templatetags.agreements import ledger_vacancies_url
from anvis.stock.models import Dwelling
from anvis.vacancies.choices import VacancyStatus
from anvis.vacancies.filters import VacancyFilter
from anvis.vacancies.models import Vacancy
from anvis_core.quotas import Quarter

pytestmark = pytest.mark.django_db

FIGURES = (
    "eligible",
    "delivered",
    "accepted",
    "extra",
    "declined",
    "expired",
    "pending",
    "withdrawn",
    "handed_back",
    "ordinary",
    "blocked",
)
QUARTER = Quarter(2024, 3)
TODAY = dt.date(2025, 1, 15)


def year_of_vacancies(users: dict[str, Any]) -> None:
    """Turn records with every outcome (also hand-backs not counted as delivered), each behind a
    (closed) vacancy as the flow makes it."""
    worker = users["sagsbehandler"]
    rng = random.Random(11)
    dwellings = list(Dwelling.objects.select_related("entrance__department"))
    for n in range(70):
        day = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(300))
        dwelling = rng.choice(dwellings)
        unusable = [{"code": "closed", "params": {}}] if n % 13 == 0 else []
        result = services.turn_decide(dwelling=dwelling, report_date=day, unusable=unusable)
        record = result.record
        if result.municipal and record.outcome == "pending":
            outcome = rng.choice(
                ["accepted", "declined_by_municipality", "expired", "pending", "ordinary"]
            )
            if outcome != "pending":
                record = services.turn_outcome_set(record=record, outcome=outcome, actor=worker)
        elif record.outcome == "ordinary" and result.eligible and n % 5 == 0:
            record = services.turn_outcome_set(record=record, outcome="accepted", actor=worker)
        if record.outcome == "accepted" and n % 3 == 0:
            # Handed back under terms that do not count a hand-back as delivered.
            record = services.turn_outcome_set(record=record, outcome="ordinary", actor=worker)
        Vacancy.objects.create(
            organisation_id=dwelling.entrance.department.organisation_id,
            dwelling=dwelling,
            notice_date=day,
            available_from=day,
            report_date=day,
            rent_at_letting=dwelling.rent,
            status=VacancyStatus.LET,
            turn_record=record,
        )


@pytest.mark.parametrize("level", ["organisation", "department"])
def test_every_figure_opens_the_vacancies_it_counts(
    agreement: Any, users: dict[str, Any], client_for: Any, level: str
) -> None:
    year_of_vacancies(users)
    user = users["anvisningsleder"]
    view = selectors.ledger(
        user=user, agreement=agreement, quarter=QUARTER, level=level, today=TODAY
    )
    checked = 0
    for row in [*view.rows, None]:
        for span in ("quarter", "cumulative"):
            figures = (
                (view.total_quarter if span == "quarter" else view.total_cumulative)
                if row is None
                else (row.line.quarter if span == "quarter" else row.line.cumulative)
            )
            for figure in FIGURES:
                url = ledger_vacancies_url(view, row, figure, span)
                query = url.split("?", 1)[1]
                filterset = VacancyFilter(
                    QueryDict(query), queryset=Vacancy.objects.all(), user=user
                )
                assert filterset.is_valid(), filterset.errors
                assert filterset.qs.count() == getattr(figures, figure), (row, span, figure)
                checked += getattr(figures, figure) > 0
    assert checked > 10  # the data has something behind most figures
    assert view.total_cumulative.handed_back and view.total_cumulative.withdrawn


def test_the_ledger_page_links_its_figures(
    agreement: Any, users: dict[str, Any], client_for: Any
) -> None:
    year_of_vacancies(users)
    client = client_for("anvisningsleder")
    page = client.get(
        reverse("agreements:ledger"), {"aftale": agreement.pk, "kvartal": str(QUARTER)}
    ).content.decode()
    links = [unescape(h) for h in re.findall(r'href="(/[^"]*figure=[^"]*)"', page)]
    assert links, "the ledger shows no figure links"
    view = selectors.ledger(
        user=users["anvisningsleder"],
        agreement=agreement,
        quarter=QUARTER,
        level="organisation",
        today=TODAY,
    )
    total = view.total_cumulative.eligible
    url = ledger_vacancies_url(view, None, "eligible", "cumulative")
    assert unescape(url) in links
    listed = client.get(url)
    assert listed.status_code == 200
    rows = re.findall(r'href="/ledige-boliger/\d+/"', listed.content.decode())
    assert len(rows) == min(total, 50)
