"""One reading of "void rent paid": the void-rent page, its download and the steering group's
report count the same runs, those the municipality pays that ended in the period by a lease or a
hand-back, up to today. A lease that starts later is still running void rent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from anvis.reports.selectors import report_snapshot_gather
from anvis.stock.models import Dwelling
from anvis.vacancies import services as flow
from anvis_core.quotas import Quarter

from .conftest import make_case

pytestmark = pytest.mark.django_db


def _accepted(users: dict[str, Any], dwelling: Dwelling, day: dt.date) -> Any:
    org = (
        users["boligorganisation"]
        if dwelling.rent == 3100 and "Alfa" in str(dwelling.entrance.department.organisation)
        else users["org_b"]
    )
    vacancy = flow.vacancy_report(
        actor=org, dwelling=dwelling, notice_date=day, available_from=day, report_date=day
    )
    return flow.vacancy_accept(actor=users["anvisningsleder"], vacancy=vacancy, today=day)


def test_the_page_the_download_and_the_report_count_the_same_void_rent(
    users: dict[str, Any], agreement: Any, cheap: Dwelling, client_for: Any
) -> None:
    today = timezone.localdate()
    quarter = Quarter.of(today)
    start = max(quarter.start, today - dt.timedelta(days=20))
    handed = _accepted(users, cheap, start)
    handed = flow.vacancy_hand_back(
        actor=users["anvisningsleder"], vacancy=handed, reason="Ikke egnet", today=today
    )
    account = handed.void_rent_on(today)
    assert account is not None and account.rent.days > 0

    # A lease signed today that starts in five days: its void rent still runs.
    other = Dwelling.objects.get(entrance__street="Betavej 2", rent=3100)
    later = _accepted(users, other, start)
    offer = flow.offer_create(
        actor=users["sagsbehandler"],
        vacancy=later,
        case=make_case(users, "120385-1235"),
        today=start,
    )
    flow.offer_accept(actor=users["sagsbehandler"], offer=offer, today=start)
    starts = today + dt.timedelta(days=5)
    flow.lease_register(
        actor=users["org_b"], offer=offer, signed_on=today, starts_on=starts, move_in_on=starts
    )

    client = client_for("anvisningsleder")
    url = reverse("vacancies:void_rent") + f"?kvartal={quarter}"
    statement = client.get(url).context["statement"]
    assert [(line.vacancy.pk, line.handed_back) for line in statement.lines] == [(handed.pk, True)]
    assert statement.total_amount == account.rent.amount
    page = client.get(url).content.decode()
    assert "<td>Tilbagelevering</td>" in page
    csv = client.get(url + "&format=csv").content.decode("utf-8-sig")
    assert "Tilbagelevering" in csv and other.entrance.street not in csv

    raw = report_snapshot_gather(quarter=quarter, today=today)["leases"]
    in_quarter = [row for row in raw if quarter.start.isoformat() <= row[1]]
    assert sum((Decimal(row[3]) for row in in_quarter), Decimal(0)) == statement.total_amount
    assert [row[2] for row in in_quarter] == [account.rent.days]


def test_void_rent_the_organisation_bears_is_no_payment(
    users: dict[str, Any], agreement: Any, cheap: Dwelling, client_for: Any
) -> None:
    agreement.versions.update(void_rent_payer="organisation")
    today = timezone.localdate()
    quarter = Quarter.of(today)
    vacancy = _accepted(users, cheap, max(quarter.start, today - dt.timedelta(days=20)))
    flow.vacancy_hand_back(
        actor=users["anvisningsleder"], vacancy=vacancy, reason="Ikke egnet", today=today
    )
    running = _accepted(
        users,
        Dwelling.objects.get(entrance__street="Betavej 2", rent=3100),
        today - dt.timedelta(days=3),
    )
    assert running.void_rent_payer == "organisation"
    context = client_for("anvisningsleder").get(reverse("vacancies:void_rent")).context
    statement = context["statement"]
    assert statement.lines == [] and statement.total_amount == 0
    assert context["now"].rows == []  # nor is it void rent the municipality pays right now


def test_the_page_names_the_figure_as_the_report_does_and_its_convention(
    users: dict[str, Any], agreement: Any, cheap: Dwelling, client_for: Any
) -> None:
    """The void rent of runs ended is one figure with one name (docs/glossary.md: "tomgangsleje
    for afsluttede forløb"), on the page and in the steering group's report, and the page does
    not explain its amounts by the daily formula when the agreement reckons in whole months."""
    from django.utils import translation

    from anvis.reports.labels import COLUMNS

    agreement.versions.update(void_rent_convention="month30")
    today = timezone.localdate()
    quarter = Quarter.of(today)
    vacancy = _accepted(users, cheap, max(quarter.start, today - dt.timedelta(days=20)))
    flow.vacancy_hand_back(
        actor=users["anvisningsleder"], vacancy=vacancy, reason="Ikke egnet", today=today
    )
    page = client_for("anvisningsleder").get(reverse("vacancies:void_rent")).content.decode()
    with translation.override("da"):
        name = str(COLUMNS["void_rent_paid"])
    assert name == "Tomgangsleje for afsluttede forløb"
    assert f"<h2>{name}</h2>" in page
    assert "12 / 365" not in page
    # Its download is that figure, not a monthly statement ("månedsopgørelse").
    assert "Hent tomgangsleje for afsluttede forløb (CSV)" in page and "Hent opgørelse" not in page
