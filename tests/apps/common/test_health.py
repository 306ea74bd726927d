"""`GET /health/` for the load balancer and monitoring (docs/operations.md)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


def test_health_answers_ok() -> None:
    response = Client().get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@override_settings(
    SECURE_SSL_REDIRECT=True, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")
)
def test_health_answers_a_plain_http_check_in_production() -> None:
    """A load balancer checks the app server directly, over plain HTTP and without the proxy's
    X-Forwarded-Proto: a redirect to https would mark every server as down. Pages still
    redirect."""
    client = Client()
    assert client.get("/health/").status_code == 200
    page = client.get("/konto/login/")
    assert page.status_code == 301 and page["Location"].startswith("https://")


def test_health_is_503_when_the_database_is_unreachable(monkeypatch: Any) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("database gone")

    monkeypatch.setattr(connection, "cursor", broken)
    response = Client().get("/health/")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}
