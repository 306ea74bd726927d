"""A look at every page as each role: every page of the role's main menu, at desktop and phone
width, with a screenshot, axe-core (no serious or critical WCAG finding), and the Danish
interface checked against the translation catalogues (no English msgid on the page, no "1
værelser").

One browser for the session and one context per role (logged in once); the phone width is the
same page with a narrower viewport, so each page is loaded once. Screenshots go to
``ANVIS_SCREENSHOT_DIR`` when set (``docs/screenshots/`` holds the allocation lead's, made so:
see docs/screenshots/README.md), else to the test's temporary folder.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PASSWORD

from .language import VISIBLE_TEXTS_JS, untranslated, wrong_plurals

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = [
    "u_sagsbehandler",
    "u_anvisningsleder",
    "u_boligorganisation",
    "u_styregruppe",
    "u_administrator",
]
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _slug(href: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", href.lower()).strip("-") or "overblik"


def _axe(axe: Any, page: Any) -> list[str]:
    results = axe.run(page, options={"runOnly": AXE_TAGS})
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in {"serious", "critical"}
    ]


def _overflow(page: Any) -> int:
    """How far the page is wider than the viewport (a table may scroll inside its wrapper)."""
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = os.environ.get("ANVIS_SCREENSHOT_DIR")
    return Path(folder) if folder else tmp_path


@pytest.mark.parametrize("username", ROLES)
def test_every_menu_page_at_desktop_and_phone_width(
    browser: Any, live_server: Any, users: Any, username: str, shots: Path
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    context = browser.new_context(locale="da-DK", bypass_csp=True, viewport=WIDTHS["desktop"])
    context.set_default_timeout(60_000)  # a loaded CI machine
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/konto/login/")
        page.get_by_label("Brugernavn").fill(username)
        page.get_by_label("Adgangskode").fill(PASSWORD)
        page.get_by_role("button", name="Log ind").click()
        page.wait_for_url(f"{live_server.url}/")
        links = page.get_by_role("navigation", name="Hovedmenu").get_by_role("link")
        hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
        assert len(hrefs) >= 3, hrefs
        problems: list[str] = []
        role = username.removeprefix("u_")
        for href in hrefs:
            page.set_viewport_size(WIDTHS["desktop"])
            response = page.goto(f"{live_server.url}{href}")
            if response is None or response.status != 200:
                problems.append(f"{href}: HTTP {response.status if response else '?'}")
                continue
            texts = page.evaluate(VISIBLE_TEXTS_JS)
            problems += [f"{href}: English text {t!r}" for t in untranslated(texts)]
            problems += [f"{href}: plural form {t!r}" for t in wrong_plurals(texts)]
            for width, viewport in WIDTHS.items():
                page.set_viewport_size(viewport)
                page.screenshot(path=str(shots / f"{role}-{_slug(href)}-{width}.jpg"), quality=70)
                problems += [f"{href} ({width}): {v}" for v in _axe(axe, page)]
            if _overflow(page) > 1:
                problems.append(
                    f"{href} (phone): the page is {_overflow(page)} px wider than the screen"
                )
        assert not problems, "\n".join(problems)
    finally:
        context.close()
