"""Each demo role logs in through the browser and sees what it may reach; pages pass axe."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLE_PAGES = {
    "u_sagsbehandler": {"nav": ["Overblik", "Boligmasse"], "not_nav": ["Importér boliger"]},
    "u_anvisningsleder": {"nav": ["Overblik", "Boligmasse"], "not_nav": ["Importér boliger"]},
    "u_boligorganisation": {"nav": ["Overblik", "Boligmasse", "Importér boliger"], "not_nav": []},
    "u_styregruppe": {"nav": ["Overblik", "Boligmasse"], "not_nav": ["Importér boliger"]},
    "u_administrator": {"nav": ["Overblik", "Boligmasse", "Importér boliger"], "not_nav": []},
}


@pytest.mark.parametrize("username", list(ROLE_PAGES))
def test_role_logs_in_and_sees_its_navigation(
    login: Any, live_server: Any, users: Any, username: str, axe_check: Any
) -> None:
    page = login(username)
    nav = page.get_by_role("navigation", name="Hovedmenu")
    for label in ROLE_PAGES[username]["nav"]:
        assert nav.get_by_role("link", name=label).count() == 1, label
    for label in ROLE_PAGES[username]["not_nav"]:
        assert nav.get_by_role("link", name=label).count() == 0, label
    axe_check(page)
    nav.get_by_role("link", name="Boligmasse").click()
    page.wait_for_url("**/bestand/afdelinger/")
    assert page.get_by_role("heading", level=1).inner_text() == "Boligmasse"
    axe_check(page)


def test_login_page_is_danish_and_accessible(page: Any, live_server: Any, axe_check: Any) -> None:
    page.goto(f"{live_server.url}/")
    page.wait_for_url("**/konto/login/?next=/")
    assert page.get_by_role("heading", level=1).inner_text() == "Log ind i Anvis"
    assert page.locator("html").get_attribute("lang") == "da"
    axe_check(page)


def test_keyboard_only_login(page: Any, live_server: Any, users: Any) -> None:
    from tests.conftest import PASSWORD

    page.goto(f"{live_server.url}/konto/login/")
    # The user name field has focus on arrival; the rest is done with the keyboard alone.
    assert page.evaluate("document.activeElement.name") == "username"
    page.keyboard.type("u_anvisningsleder")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")
    assert "Anvisningsleder" in page.inner_text("body")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Gå til indhold"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_wrong_password_message(page: Any, live_server: Any, users: Any) -> None:
    page.goto(f"{live_server.url}/konto/login/")
    page.get_by_label("Brugernavn").fill("u_sagsbehandler")
    page.get_by_label("Adgangskode").fill("forkert-kode")
    page.get_by_role("button", name="Log ind").click()
    assert page.get_by_role("alert").count() == 1
    assert "korrekt brugernavn og adgangskode" in page.inner_text("body")


def test_stock_pages_are_accessible(
    login: Any, live_server: Any, users: Any, axe_check: Any
) -> None:
    page = login("u_administrator")
    for path in [
        "/bestand/organisationer/",
        "/bestand/opgange/",
        "/bestand/boliger/",
        "/bestand/import/",
        "/konto/password/",
    ]:
        page.goto(f"{live_server.url}{path}")
        axe_check(page)
    page.goto(f"{live_server.url}/bestand/afdelinger/")
    page.get_by_role("link", name="Alfa Boligselskab afd. 101").click()
    assert "Afdeling 101" in page.get_by_role("heading", level=1).inner_text()
    axe_check(page)
    page.get_by_role("link", name="Alfavej 1, 9220 Aalborg Øst").click()
    axe_check(page)


def test_organisation_user_cannot_open_other_organisations_department(
    login: Any, live_server: Any, users: Any, org_b: Any
) -> None:
    page = login("u_boligorganisation")
    response = page.goto(f"{live_server.url}/bestand/afdelinger/{org_b.departments.get().pk}/")
    assert response.status == 404


def test_import_upload_in_browser(login: Any, live_server: Any, users: Any, tmp_path: Any) -> None:
    page = login("u_boligorganisation")
    page.goto(f"{live_server.url}/bestand/import/")
    bad = tmp_path / "fejl.csv"
    bad.write_text(
        "cvr;afdelingsnr;afdeling;adresse;postnr;by;vaerelser;m2;husleje\n"
        "11111111;101;Afd;Alfavej 1;9220;Aalborg Øst;0;40;abc\n",
        encoding="utf-8",
    )
    page.get_by_label("Fil (CSV eller XLSX)").set_input_files(str(bad))
    page.get_by_role("button", name="Importér").click()
    alert = page.get_by_role("alert")
    assert "Intet blev importeret" in alert.inner_text()
    assert "Linje 2, kolonne 'vaerelser'" in alert.inner_text()
