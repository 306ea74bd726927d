"""Single sign-on in the browser: a municipal user and a housing organisation's user log in
through their organisations' OpenID Connect providers (real providers on 127.0.0.1,
tests/oidc_provider.py) and land in Anvis with the role the claims rules give."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _through(page: Any, live_server: Any, button: str, username: str) -> None:
    page.goto(f"{live_server.url}/konto/login/")
    page.get_by_role("link", name=button).click()
    page.wait_for_url("http://127.0.0.1:*/authorize?*")
    assert page.get_by_role("heading", level=1).inner_text() == "Test-IdP"
    page.get_by_label("Bruger").fill(username)
    page.get_by_role("button", name="Godkend").click()
    page.wait_for_url(f"{live_server.url}/")


def test_municipal_and_organisation_users_sign_in(
    page: Any, live_server: Any, idps: Any, org_a: Any, settings: Any
) -> None:
    settings.ANVIS_REQUIRE_2FA = True  # the municipal provider vouches for the second factor
    _through(page, live_server, "Log ind med Aalborg Kommune", "jens")
    header = page.locator("header").inner_text()
    assert "Jens Kommunesen" in header and "Anvisningsleder" in header
    nav = page.get_by_role("navigation", name="Hovedmenu")
    assert nav.get_by_role("link", name="Simulator").count() == 1
    page.get_by_role("button", name="Log ud").click()
    page.wait_for_url("**/konto/login/")

    _through(page, live_server, "Log ind med Alfa Boligselskab", "mette")
    header = page.locator("header").inner_text()
    assert "Mette Udlejer" in header and "Boligorganisation" in header
    assert (
        page.get_by_role("navigation", name="Hovedmenu")
        .get_by_role("link", name="Simulator")
        .count()
        == 0
    )
