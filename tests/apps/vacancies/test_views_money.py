"""The vacancy page shows void rent as it accrues; the allocation lead hands a dwelling back."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from anvis.common import formats
from anvis.vacancies import services
from anvis.vacancies.models import Vacancy


def _accepted(users: dict[str, Any], dwelling: Any, days_ago: int) -> Vacancy:
    today = timezone.localdate()
    start = today - dt.timedelta(days=days_ago)
    vacancy = services.vacancy_report(
        actor=users["boligorganisation"],
        dwelling=dwelling,
        notice_date=start - dt.timedelta(days=20),
        available_from=start,
        report_date=start,
    )
    return services.vacancy_accept(actor=users["anvisningsleder"], vacancy=vacancy, today=start)


def test_the_vacancy_page_shows_void_rent_right_now(
    client_for: Any, users: dict[str, Any], agreement: Any, cheap: Any
) -> None:
    vacancy = _accepted(users, cheap, days_ago=9)
    account = vacancy.void_rent_on(timezone.localdate())
    assert account is not None and account.rent.days == 10
    for role in ("anvisningsleder", "boligorganisation"):
        page = client_for(role).get(reverse("vacancies:vacancy_detail", args=[vacancy.pk]))
        text = page.content.decode()
        assert "Tomgangsleje lige nu" in text
        with translation.override("da"):
            amount = formats.number(account.rent.amount, 2)  # as every page writes amounts
        assert f"10 dage, {amount} kr" in text
        assert "løber, til og med" in text
    lead_page = client_for("anvisningsleder").get(
        reverse("vacancies:vacancy_detail", args=[vacancy.pk])
    )
    assert "Lever tilbage til almindelig udlejning" in lead_page.content.decode()
    org_page = client_for("boligorganisation").get(
        reverse("vacancies:vacancy_detail", args=[vacancy.pk])
    )
    assert "Lever tilbage til almindelig udlejning" not in org_page.content.decode()


def test_hand_back_form_refuses_an_empty_reason_then_hands_back(
    client_for: Any, users: dict[str, Any], agreement: Any, cheap: Any
) -> None:
    vacancy = _accepted(users, cheap, days_ago=3)
    url = reverse("vacancies:vacancy_hand_back", args=[vacancy.pk])
    lead = client_for("anvisningsleder")
    refused = lead.post(url, {"reason": "   "})
    assert refused.status_code == 422
    assert "Angiv hvorfor boligen leveres tilbage." in refused.content.decode()
    assert Vacancy.objects.get(pk=vacancy.pk).status == "accepted"
    done = lead.post(url, {"reason": "Boligen passer ikke til nogen på listen."})
    assert done.status_code == 302
    vacancy.refresh_from_db()
    assert vacancy.status == "handed_back"
    assert vacancy.handed_back_on == timezone.localdate()
    page = (
        client_for("boligorganisation")
        .get(reverse("vacancies:vacancy_detail", args=[vacancy.pk]))
        .content.decode()
    )
    assert "Leveret tilbage" in page and "Boligen passer ikke til nogen på listen." in page
    assert "3 dage" in page and "sluttede" in page
    # Once handed back, the form refuses with the reason in Danish and writes nothing.
    again = lead.post(url, {"reason": "igen"})
    assert again.status_code == 422
    assert "kan leveres tilbage" in again.content.decode()


def test_void_rent_right_now_on_the_overview_and_the_organisations_page(
    client_for: Any, users: dict[str, Any], agreement: Any, cheap: Any, org_a: Any
) -> None:
    vacancy = _accepted(users, cheap, days_ago=4)
    account = vacancy.void_rent_on(timezone.localdate())
    assert account is not None and account.rent.days == 5
    amount = f"{account.rent.amount}".replace(".", ",")
    overview = reverse("vacancies:void_rent")
    org_page = reverse("stock:organisation_detail", args=[org_a.pk])
    for role, url in (
        ("anvisningsleder", overview),
        ("styregruppe", overview),
        ("boligorganisation", overview),
        ("boligorganisation", org_page),
        ("anvisningsleder", org_page),
    ):
        text = client_for(role).get(url).content.decode()
        section = text[text.index('data-testid="void-rent-running"') :]
        assert "Tomgangsleje lige nu" in section, (role, url)
        assert str(cheap) in section and '<td class="num">5</td>' in section, (role, url)
        assert amount in section, (role, url)
    # Another organisation's staff do not see org A's running void rent.
    other = client_for("org_b").get(overview).content.decode()
    assert "Der løber ingen tomgangsleje." in other and str(cheap) not in other
    # Handed back: it no longer runs.
    services.vacancy_hand_back(actor=users["anvisningsleder"], vacancy=vacancy, reason="Fejl")
    after = client_for("anvisningsleder").get(overview).content.decode()
    assert "Der løber ingen tomgangsleje." in after


@pytest.mark.parametrize("name", ["vacancies:void_rent", "vacancies:claim_list"])
def test_the_quarter_chooser_shows_the_quarter_asked_for(
    client_for: Any, agreement: Any, name: str
) -> None:
    # A quarter older than the eight offered (a link from an earlier report) was shown in the
    # heading while the chooser said the newest quarter; a year the calendar does not hold
    # was a server error.
    client = client_for("anvisningsleder")
    page = client.get(reverse(name), {"kvartal": "2023-Q2"}).content.decode()
    chooser = page[page.index('<select name="kvartal"') :]
    chooser = chooser[: chooser.index("</select>")]
    assert '<option value="2023-Q2" selected>' in chooser
    assert chooser.count(" selected>") == 1
    assert client.get(reverse(name), {"kvartal": "99999-Q1"}).status_code == 200
