"""After move-in, in a real browser: the organisation reports rent arrears, the caseworker gets
the notification and a follow-up task and records contact, the organisation sees the
acknowledgement and reports it resolved; then a cancellation and a move-out, and the housing
retention on the steering group's dashboard changes accordingly."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _open_as(browser: Any, live_server: Any, username: str) -> Any:
    from tests.conftest import PASSWORD

    context = browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/konto/login/")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{live_server.url}/")
    return page


def _report(
    page: Any, live_server: Any, lease_pk: int, kind: str, day: dt.date, **extra: str
) -> None:
    page.goto(f"{live_server.url}/boligforloeb/lejemaal/{lease_pk}/")
    page.get_by_role("link", name="Indberet en hændelse").click()
    page.wait_for_url(f"**/boligforloeb/lejemaal/{lease_pk}/haendelse/")
    page.locator("#id_kind").select_option(label=kind)
    page.locator("#id_event_date").fill(day.isoformat())
    for name, value in extra.items():
        field = page.locator(f"#id_{name}")
        if name == "move_out_reason":
            field.select_option(label=value)
        else:
            field.fill(value)
    if kind == "Fraflyttet":  # a move-out is confirmed: it ends the tenancy for good
        page.get_by_label("Lejeren er fraflyttet").check()
    page.get_by_role("button", name="Gem").click()
    page.wait_for_url(f"**/boligforloeb/lejemaal/{lease_pk}/")
    assert "Hændelsen er indberettet." in page.inner_text("main")


def _retention_3_months(page: Any, live_server: Any) -> str:
    page.goto(f"{live_server.url}/styregruppe/")
    table = page.locator("table[aria-labelledby='retention_km-h']")
    header = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    column = header.index("I boligen efter 3 måneder")
    row = table.locator("tbody tr", has=page.locator("th", has_text="Alle lejemål"))
    return row.locator("th, td").nth(column).inner_text().strip()


def test_arrears_contact_resolved_then_move_out_changes_retention(
    browser: Any, live_server: Any, users: dict[str, Any], org_a: Any, axe_check: Any
) -> None:
    from tests.apps.tenancy.conftest import make_let

    let = make_let(users, org_a, months_ago=5)
    lease, case, move_in = let["lease"], let["case"], let["move_in"]

    lead = _open_as(browser, live_server, "u_anvisningsleder")
    assert _retention_3_months(lead, live_server) == "100,0 %"

    org = _open_as(browser, live_server, "u_boligorganisation")
    _report(
        org,
        live_server,
        lease.pk,
        "Huslejerestance",
        move_in + dt.timedelta(days=20),
        amount="8400",
        months="2",
        note="Mangler husleje",
    )
    assert "Endnu ikke" in org.locator("#tasks").inner_text()
    axe_check(org)

    worker = _open_as(browser, live_server, "u_sagsbehandler")
    worker.goto(f"{live_server.url}/indbakke/")
    assert f"Bolig i risiko: Huslejerestance, sag {case.number}" in worker.inner_text("main")
    worker.get_by_role("link", name="Boliger i risiko").first.click()
    worker.get_by_role("link", name=case.number).click()
    worker.get_by_role("link", name="Registrér kontakt").click()
    worker.locator("#id_note").fill("Afdragsordning aftalt med lejer")
    worker.get_by_role("button", name="Gem").click()
    worker.wait_for_url(f"**/boligforloeb/lejemaal/{lease.pk}/")
    assert "Kontakt registreret" in worker.locator("#tasks").inner_text()
    axe_check(worker)

    org.goto(f"{live_server.url}/boligforloeb/lejemaal/{lease.pk}/")
    tasks = org.locator("#tasks").inner_text()
    assert "Kvitteret af kommunen" in tasks
    # The organisation sees the acknowledgement, not what the municipality agreed.
    assert "Afdragsordning" not in org.inner_text("main")
    _report(org, live_server, lease.pk, "Løst", move_in + dt.timedelta(days=35))
    _report(
        org, live_server, lease.pk, "Opsigelse eller ophævelse", move_in + dt.timedelta(days=50)
    )
    _report(
        org,
        live_server,
        lease.pk,
        "Fraflyttet",
        move_in + dt.timedelta(days=80),
        move_out_reason="Udsættelse",
    )
    assert "Fraflyttet" in org.locator("dl.facts").inner_text()
    assert org.get_by_role("link", name="Indberet en hændelse").count() == 0

    # Lost the home after 80 days: nobody of the one tenancy is housed after 3 months.
    assert _retention_3_months(lead, live_server) == "0,0 %"
