"""The money side in a real browser: the allocation lead accepts a dwelling and hands it back;
the organisation sees the void rent that accrued and the month's statement, and downloads it as
PDF and XLSX. Every page visited passes axe."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from anvis.vacancies import selectors, services
from anvis.vacancies.models import Vacancy
from tests.e2e.test_flow import people, setting  # noqa: F401  (the fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_accept_hand_back_and_the_months_statement(
    people: dict[str, Any],  # noqa: F811
    setting: dict[str, Any],  # noqa: F811
    users: dict[str, Any],
    live_server: Any,
    axe_check: Any,
) -> None:
    base = live_server.url
    org, lead = people["boligorganisation"], people["anvisningsleder"]
    dwelling = setting["dwelling"]
    today = timezone.localdate()
    start = today - dt.timedelta(days=5)
    vacancy = services.vacancy_report(
        actor=users["boligorganisation"],
        dwelling=dwelling,
        notice_date=start - dt.timedelta(days=30),
        available_from=start,
        report_date=start,
    )
    detail = f"{base}/ledige-boliger/{vacancy.pk}/"

    # The lead accepts on the vacancy page: void rent runs from the report day.
    lead.goto(detail)
    lead.get_by_role("button", name="Tag imod boligen").click()
    lead.wait_for_load_state()
    assert "Tomgangsleje lige nu" in lead.inner_text("main")
    axe_check(lead)

    # The organisation sees it accrue: 6 days through today.
    org.goto(detail)
    assert "6 dage" in org.get_by_test_id("void-rent-now").inner_text()
    axe_check(org)

    # The lead hands the dwelling back with a reason.
    lead.get_by_role("link", name="Lever tilbage til almindelig udlejning").click()
    lead.wait_for_url(f"{detail}lever-tilbage/")
    axe_check(lead)
    lead.get_by_label("Begrundelse").fill("Ingen på listen kan bruge boligen lige nu.")
    lead.get_by_role("button", name="Gem").click()
    lead.wait_for_url(detail)
    assert "Boligen er leveret tilbage" in lead.inner_text("main")
    assert Vacancy.objects.get(pk=vacancy.pk).status == "handed_back"

    # The organisation: void rent stopped today (5 days), and the reason is shown.
    org.goto(detail)
    text = org.inner_text("main")
    assert "Leveret tilbage til almindelig udlejning" in text
    assert "Ingen på listen kan bruge boligen lige nu." in text
    assert "5 dage" in org.get_by_test_id("void-rent-now").inner_text()

    # The month's statement (the month of yesterday always has void-rent days).
    month = (today - dt.timedelta(days=1)).replace(day=1)
    expected = selectors.statement_compute(
        organisation_id=vacancy.organisation_id, month=month, as_of=today
    )
    first_day = max(start, month)
    assert [line.days for line in expected.lines] == [(today - first_day).days]
    org.goto(f"{base}/ledige-boliger/tomgangsleje/")
    org.get_by_role("link", name="Månedsopgørelser").click()
    org.locator("#id_month").fill(f"{month:%Y-%m}")
    org.get_by_role("button", name="Vis").click()
    org.wait_for_load_state()
    main = org.inner_text("main")
    assert str(dwelling) in main
    assert f"{expected.void_rent_total:.2f}".replace(".", ",") in main
    axe_check(org)
    with org.expect_download() as pdf:
        org.get_by_role("link", name="Hent PDF").click()
    assert pdf.value.suggested_filename.endswith(f"{month:%Y-%m}.pdf")
    with open(pdf.value.path(), "rb") as handle:
        assert handle.read(4) == b"%PDF"
    with org.expect_download() as xlsx:
        org.get_by_role("link", name="Hent XLSX").click()
    assert xlsx.value.suggested_filename.endswith(f"{month:%Y-%m}.xlsx")

    # The statements of every organisation for the month: the organisation sees its own only.
    org.goto(f"{base}/ledige-boliger/opgoerelser/?month={month:%Y-%m}")
    table = org.get_by_test_id("statement-overview").inner_text()
    assert vacancy.organisation.name in table
    assert f"{expected.void_rent_total:.2f}".replace(".", ",") in table
    assert len(org.get_by_test_id("statement-overview").locator("tbody tr").all()) == 1
    axe_check(org)
