"""The allocation lead sets up a tiny simulator run in the browser, the worker runs it, and the
page shows the result; the pages pass axe."""

from __future__ import annotations

from typing import Any

import pytest

from anvis.background.queue import run_pending

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_lead_runs_a_tiny_simulation(
    login: Any, live_server: Any, users: Any, axe_check: Any, settings: Any
) -> None:
    from tests.apps.simulation.conftest import make_case

    make_case(users, "120385-1235", "shelter_110")
    make_case(users, "010605-4234", "rough_sleeping")

    page = login("u_anvisningsleder")
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Simulator").click()
    page.wait_for_url("**/simulator/")
    assert page.get_by_role("heading", level=1).inner_text() == "Aftalesimulator"
    axe_check(page)

    # A bad share first: the form answers in Danish and nothing is queued.
    page.get_by_label("Kommunal andel (%)").fill("120")
    page.get_by_role("button", name="Start kørslen").click()
    assert page.get_by_text("Andelen skal være mellem 0 og 100 %.").count() == 1
    axe_check(page)

    page.get_by_label("Kørslens navn").fill("Lille prøve")
    page.get_by_label("Tag udgangspunkt i").select_option("database")
    page.get_by_label("Kommunal andel (%)").fill("50")
    page.get_by_label("Sandsynlighed for at et tilbud accepteres (0–1)").fill("0.9")
    page.locator("#id_years").fill("1")
    page.locator("#id_replications").fill("2")
    page.get_by_role("button", name="Start kørslen").click()
    page.wait_for_url("**/simulator/koersler/*/")
    assert page.get_by_role("heading", level=1).inner_text() == "Lille prøve"
    assert page.locator("progress").count() == 1
    assert "I kø" in page.inner_text("main")
    assert "0 af 2 gentagelser" in page.inner_text("main")
    axe_check(page)

    # The page queued a background task; a worker (here in the test's process) runs it.
    settings.ANVIS_SIMULATION_WORKERS = 1
    run_pending()

    # static/simulation/progress.js notices that the run is done and shows the result.
    page.get_by_role("heading", name="Nøgletal").wait_for()
    assert "Færdig" in page.inner_text("main")
    assert page.locator("progress").count() == 0
    assert page.get_by_role("heading", name="Nøgletal").count() == 1
    assert page.get_by_role("img", name="Kurve over antallet af hjemløse").count() == 1
    axe_check(page)

    # Back on the list, the finished run can be chosen for a comparison.
    page.get_by_role("link", name="Alle kørsler").click()
    page.wait_for_url("**/simulator/")
    assert page.get_by_label("Sammenlign Lille prøve").count() == 1
