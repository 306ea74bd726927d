"""The production recipe, exercised: `deploy/serve-prod.sh` (what `make serve-prod` runs) starts
gunicorn with gunicorn.conf.py, the task worker and the scheduler in the production profile;
the site answers with Danish pages, hashed static files and no technical detail."""

from __future__ import annotations

import os
import re
import signal
import subprocess
from pathlib import Path
from typing import Any

import pytest
import requests
from django.db import connection

from .processes import ROOT, database_url, free_port, wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_serve_prod_runs_the_production_profile(tmp_path: Path, users: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the production profile runs on PostgreSQL; run with DATABASE_URL=postgres://…")
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST_", "DJANGO_SETTINGS", "DJANGO_ALLOW_ASYNC", "DEBUG"))
    }
    env.update(
        {
            "DATABASE_URL": database_url(),
            "PORT": str(port),
            "STATIC_ROOT": str(tmp_path / "static"),
            "WEB_CONCURRENCY": "1",
            "PYTHONUNBUFFERED": "1",
        }
    )
    log = (tmp_path / "serve-prod.log").open("wb")
    server = subprocess.Popen(
        ["bash", "deploy/serve-prod.sh"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(
            lambda: requests.get(f"{base}/health/", timeout=5).json()["database"] == "ok",
            seconds=240,
            what="serve-prod to answer",
        )
        login = requests.get(f"{base}/konto/login/", timeout=30)
        assert login.status_code == 200
        assert "Log ind" in login.text
        assert login.headers["X-Content-Type-Options"] == "nosniff"
        css = re.search(r'href="(/static/anvis/anvis\.[0-9a-f]{12}\.css)"', login.text)
        assert css, "static files must have hashed names in production"
        sheet = requests.get(f"{base}{css.group(1)}", timeout=30)
        assert sheet.status_code == 200 and "max-age=315360000" in sheet.headers["Cache-Control"]
        missing = requests.get(f"{base}/findes-ikke/", timeout=30)
        assert missing.status_code == 404
        assert "Siden blev ikke fundet" in missing.text and "Traceback" not in missing.text
        output = (tmp_path / "serve-prod.log").read_text(errors="replace")
        assert "Anvis (production profile) on http://127.0.0.1:" in output
        # The task worker runs beside the web server; it may log its start after the web answers.
        wait_until(
            lambda: "Starting worker" in (tmp_path / "serve-prod.log").read_text(errors="replace"),
            seconds=120,
            what="the task worker to start",
        )
        wait_until(
            lambda: "enqueued:" in (tmp_path / "serve-prod.log").read_text(errors="replace"),
            seconds=120,
            what="the scheduler to enqueue",
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
