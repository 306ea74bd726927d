from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import pytest

import anvis
from anvis.common.logging import RedactCprFilter, redact


@pytest.mark.django_db
def test_login_page_is_danish(client: Any) -> None:
    response = client.get("/konto/login/")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="da">' in body
    assert "Log ind" in body


@pytest.mark.django_db
def test_danish_even_when_the_browser_asks_for_english(client: Any) -> None:
    response = client.get("/konto/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Log ind i Anvis" in response.content.decode()


@pytest.mark.django_db
def test_english_can_be_chosen(client: Any) -> None:
    response = client.post("/konto/language/", {"language": "en", "next": "/konto/login/"})
    assert response.status_code == 302
    assert "Log in to Anvis" in client.get("/konto/login/").content.decode()
    client.post("/konto/language/", {"language": "da", "next": "/konto/login/"})
    assert "Log ind i Anvis" in client.get("/konto/login/").content.decode()


@pytest.mark.django_db
def test_stylesheet_is_served(client: Any) -> None:
    response = client.get("/static/anvis/anvis.css")
    assert response.status_code == 200
    assert (
        b"--brand" in b"".join(response.streaming_content)
        if response.streaming
        else response.content
    )


@pytest.mark.django_db
def test_login_with_password(client: Any, users: Any) -> None:
    from tests.conftest import PASSWORD

    response = client.post("/konto/login/", {"username": "u_sagsbehandler", "password": PASSWORD})
    assert response.status_code == 302
    home = client.get("/")
    assert "Sagsbehandler" in home.content.decode()


@pytest.mark.django_db
def test_wrong_password_gives_danish_error(client: Any, users: Any) -> None:
    response = client.post("/konto/login/", {"username": "u_sagsbehandler", "password": "forkert"})
    assert response.status_code == 422
    assert "korrekt brugernavn og adgangskode" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "sees_stock", "sees_import"),
    [
        ("sagsbehandler", True, False),
        ("anvisningsleder", True, False),
        ("boligorganisation", True, True),
        ("styregruppe", True, False),
        ("administrator", True, True),
    ],
)
def test_navigation_follows_role(
    client_for: Any, role: str, sees_stock: bool, sees_import: bool
) -> None:
    body = client_for(role).get("/").content.decode()
    assert ('href="/bestand/afdelinger/"' in body) is sees_stock
    assert ('href="/bestand/import/"' in body) is sees_import


@pytest.mark.django_db
def test_security_headers(client: Any) -> None:
    response = client.get("/konto/login/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


# Templates rendered only into PDF documents (WeasyPrint, never served as a page) keep their
# own stylesheet; every other template is served under the Content-Security-Policy above.
PDF_TEMPLATES = {
    "citizen_insight_document.html",
    "dialogue_pdf.html",
    "report_pdf.html",
    "statement_pdf.html",
}
INLINE = re.compile(r"<style|\sstyle=|\son[a-z]+=|<script(?![^>]*\ssrc=)", re.IGNORECASE)


def test_pages_use_no_inline_style_or_script() -> None:
    """The policy allows styles and scripts from the site's own files only ('self'), so an
    inline style or script in a page is blocked by the browser and the page renders wrong."""
    root = Path(anvis.__file__).parent
    found = [
        f"{path.relative_to(root)}:{number}"
        for path in sorted(root.rglob("templates/**/*.html"))
        if path.name not in PDF_TEMPLATES
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if INLINE.search(line)
    ]
    assert found == []
    assert all(any(root.rglob(f"templates/**/{name}")) for name in PDF_TEMPLATES)


@pytest.mark.django_db
def test_health(client: Any) -> None:
    assert client.get("/health/").json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_every_page_names_the_site_icon(client: Any) -> None:
    """The icon is declared on every page (browsers otherwise ask for /favicon.ico and log a
    404), and /favicon.ico itself leads to it for clients that ask anyway."""
    login = client.get("/konto/login/").content.decode()
    icon = re.search(r'<link rel="icon" href="([^"]+)"', login)
    assert icon is not None and icon.group(1).endswith(".svg")
    assert client.get("/favicon.ico")["Location"] == icon.group(1)
    assert b"<svg" in b"".join(client.get(icon.group(1)).streaming_content)


def test_cpr_is_redacted_from_logs(caplog: Any) -> None:
    assert redact("borger 010190-1234 og 0101901234") == "borger XXXXXX-XXXX og XXXXXX-XXXX"
    logger = logging.getLogger("anvis.test")
    logger.addFilter(RedactCprFilter())
    with caplog.at_level(logging.INFO):
        logger.info("opslag på %s", "311299-9999")
    assert "311299-9999" not in caplog.text
    assert "XXXXXX-XXXX" in caplog.text
