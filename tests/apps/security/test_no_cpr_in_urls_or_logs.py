"""No CPR number in a URL or a log (issue #17, fault 2).

The case search and the insight lookup were GET forms: a CPR number typed into them travelled in
the URL (`/sager/?q=<cpr>`, `/sikkerhed/indsigt/?reference=<cpr>`) and was written unmasked to
the web server's access log. Now:

* the searches for a person are posted (the case search keeps its term in the session under a
  one-way token; the insight lookup redirects to the citizen's id), so no URL holds the term;
* every log the project configures masks CPR-shaped values: the application's log handlers, the
  development server's access log (runserver) and gunicorn's access and error logs
  (the project's `gunicorn.conf.py`, the production recipe).

The test submits a CPR number through every search and lookup form on every page of the access
matrix, as every role that may see the page, and then replays every URL that produced against a
real `manage.py runserver` and a real gunicorn, and greps all their output and log files.
"""

from __future__ import annotations

import io
import logging
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from django.test import Client

from anvis.common.logging import RedactCprFilter

from .access_matrix import ALLOW, MATRIX, ROLES
from .conftest import CPR, CPR_DIGITS
from .forms_found import _FormParser, page_url

ROOT = Path(__file__).resolve().parents[3]
CPR_FORMS = (CPR, CPR_DIGITS, CPR.replace("-", " "))
TEXT_KINDS = frozenset({"text", "search", "textarea", ""})
# The URLs of the issue, typed by hand, and a path that is logged by the application (404).
BY_HAND = [
    f"/sager/?q={CPR}",
    f"/sikkerhed/indsigt/?reference={CPR}",
    f"/sager/?q={CPR.replace('-', '+')}",
    f"/ikke-her/{CPR_DIGITS}/",
]


def _leaks(text: str) -> list[str]:
    return [
        value for value in (CPR, CPR_DIGITS, CPR.replace("-", " "), "010190+1235") if value in text
    ]


class _SearchFormParser(_FormParser):
    """forms_found's parser, also keeping the form's `role` attribute."""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        super().handle_starttag(tag, attrs)
        if tag == "form":
            self.forms[-1]["role"] = dict(attrs).get("role") or ""


@contextmanager
def configured_logs() -> Iterator[io.StringIO]:
    """Every stream handler the project's LOGGING configured (with its filters), writing into
    one buffer for the duration."""
    buffer = io.StringIO()
    handlers = {
        handler
        for logger in [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]
        if isinstance(logger, logging.Logger)
        for handler in logger.handlers
        if isinstance(handler, logging.StreamHandler)
    }
    assert any(any(isinstance(f, RedactCprFilter) for f in h.filters) for h in handlers), (
        "the project's LOGGING is not active"
    )
    old = {handler: handler.setStream(buffer) for handler in handlers}
    try:
        yield buffer
    finally:
        for handler, stream in old.items():
            handler.setStream(stream)


def submit_every_search_form(
    world: dict[str, Any], users: dict[str, Any]
) -> tuple[list[str], list[str], list[str]]:
    """(every URL requested or redirected to, the URLs of person searches, what was found)."""
    requested: list[str] = []
    person_urls: list[str] = []
    found_pages: list[str] = []
    seen: set[tuple[str, str, str]] = set()
    for role in ROLES:
        client = Client()
        client.force_login(users[role])
        for name, entry in sorted(MATRIX.items()):
            if entry.expect[role] != ALLOW or entry.method != "get":
                continue
            page = page_url(name, entry, world)
            response = client.get(page)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            parser = _SearchFormParser()
            parser.feed(response.content.decode())
            for form in parser.forms:
                searching = form["method"] == "get" or form.get("role") == "search"
                texts = [
                    n for n, f in form["fields"].items() if f.kind in TEXT_KINDS and not f.disabled
                ]
                if not searching or not texts:
                    continue
                target = urlsplit(form["action"] or page).path or urlsplit(page).path
                key = (role, target, form["method"])
                if key in seen:
                    continue
                seen.add(key)
                data = {
                    n: f.value
                    for n, f in form["fields"].items()
                    if n != "csrfmiddlewaretoken" and f.kind not in ("checkbox", "radio")
                }
                for cpr in CPR_FORMS:
                    data.update(dict.fromkeys(texts, cpr))
                    if form["method"] == "get":
                        url = f"{target}?{urlencode(data)}"
                        requested.append(url)
                        answer = client.get(url)
                    else:
                        requested.append(target)
                        answer = client.post(target, data)
                    assert answer.status_code < 500, (role, target)
                    hops = 0
                    while answer.status_code in (301, 302, 303) and hops < 3:
                        location = answer["Location"]
                        requested.append(location)
                        if form["method"] == "post":
                            person_urls.append(location)
                        answer = client.get(location)
                        hops += 1
                    if form["method"] == "post":
                        found_pages.append(answer.content.decode())
    return requested, person_urls, found_pages


@pytest.mark.django_db
def test_person_searches_never_put_the_cpr_in_a_url_and_no_log_holds_it(
    world: dict[str, Any], users: dict[str, Any], tmp_path: Path
) -> None:
    with configured_logs() as app_log:
        requested, person_urls, found = submit_every_search_form(world, users)
        logging.getLogger("anvis").warning("Opslag på %s", CPR)  # the mask itself, once more
    # The person searches were found and submitted: the case search and the insight lookup.
    targets = {urlsplit(u).path for u in person_urls}
    assert "/sager/" in targets and f"/sikkerhed/indsigt/{world['citizen'].pk}/" in targets
    assert any(world["case"].number in page for page in found), "the CPR search found nothing"
    leaked = [u for u in person_urls if _leaks(u)]
    assert not leaked, leaked
    log_text = app_log.getvalue()
    assert "XXXXXX-XXXX" in log_text
    assert not _leaks(log_text), log_text[-2000:]

    # Replay every URL (the GET filter forms' too, which may carry a CPR-shaped value) against
    # the development server and gunicorn: their logs mask it.
    urls = sorted(set(requested) | set(BY_HAND))
    assert any(_leaks(u) for u in urls), "no URL carried a CPR: the log check would prove nothing"
    outputs = replay_through_servers(urls, tmp_path)
    for name, text in outputs.items():
        assert "XXXXXX-XXXX" in text, f"{name} logged no masked request: {text[-1500:]}"
        assert not _leaks(text), f"{name}: {_leaks(text)} in {text[-1500:]}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(port: int, process: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{what} stopped with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{what} did not start")


def _get_all(port: int, urls: list[str]) -> None:
    opener = urllib.request.build_opener(_NoRedirect())
    for url in urls:
        with suppress(urllib.error.HTTPError):
            opener.open(f"http://127.0.0.1:{port}{url}", timeout=30).read()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def replay_through_servers(urls: list[str], tmp_path: Path) -> dict[str, str]:
    """Request each URL anonymously from `manage.py runserver` and from gunicorn with the
    production configuration; return every output and log file they wrote."""
    env = {
        **os.environ,
        "ANVIS_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'replay.sqlite3'}",
        "PYTHONPATH": str(ROOT / "src"),
        "DJANGO_SETTINGS_MODULE": "anvis.config.settings",
    }
    (tmp_path / "var").mkdir()
    outputs: dict[str, str] = {}

    port = _free_port()
    out, err = tmp_path / "runserver.out", tmp_path / "runserver.err"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "runserver", f"127.0.0.1:{port}",
             "--noreload", "--skip-checks"],
            cwd=ROOT, env=env, stdout=stdout, stderr=stderr,
        )  # fmt: skip
        try:
            _wait_for(port, process, "runserver")
            _get_all(port, urls)
            time.sleep(0.5)
        finally:
            process.terminate()
            process.wait(timeout=30)
    outputs["runserver (application log and access log)"] = err.read_text() + out.read_text()

    port = _free_port()
    access, error = tmp_path / "gunicorn-access.log", tmp_path / "gunicorn-error.log"
    with (tmp_path / "gunicorn.out").open("wb") as stdout:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"),
             "--bind", f"127.0.0.1:{port}", "--workers", "1", "--access-logfile", str(access),
             "--error-logfile", str(error), "anvis.config.wsgi"],
            cwd=ROOT, env=env, stdout=stdout, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            _wait_for(port, process, "gunicorn")
            _get_all(port, urls)
            time.sleep(0.5)
        finally:
            process.terminate()
            process.wait(timeout=30)
    outputs["gunicorn access log"] = access.read_text()
    outputs["gunicorn error log and output"] = (
        error.read_text() + (tmp_path / "gunicorn.out").read_text()
    )
    return outputs
