"""The steering group opens its dashboard, changes the quarter and sees suppressed figures."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_steering_group_dashboard_changes_quarter(
    login: Any, live_server: Any, users: Any, axe_check: Any
) -> None:
    from django.utils import timezone

    from anvis.reports.selectors import report_quarters

    quarters = report_quarters(timezone.localdate())
    page = login("u_styregruppe")
    nav = page.get_by_role("navigation", name="Hovedmenu")
    nav.get_by_role("link", name="Styregruppe", exact=True).click()
    page.wait_for_url("**/styregruppe/")
    assert page.get_by_role("heading", level=1).inner_text() == "Styregruppens overblik"
    assert "Styregruppeudgave" in page.inner_text("main")
    # The steering group has no choice of edition, only the quarter.
    assert page.locator("#id_udgave").count() == 0
    axe_check(page)

    previous = str(quarters[1])
    page.get_by_label("Kvartal", exact=True).select_option(previous)
    page.get_by_role("button", name="Vis").click()
    page.wait_for_url(f"**/styregruppe/?kvartal={previous}")
    assert page.get_by_label("Kvartal", exact=True).input_value() == previous
    assert page.locator("img.report-chart").count() >= 5
    first_alt = page.locator("img.report-chart").first.get_attribute("alt") or ""
    assert first_alt.startswith("Diagram: ")
    axe_check(page)
