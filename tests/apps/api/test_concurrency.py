"""Two identical requests with one Idempotency-Key at the same moment: one vacancy, and both
callers get the same answer. Needs real concurrency: PostgreSQL only."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection, connections
from django.utils import timezone

from anvis.vacancies.models import Vacancy

from .conftest import ApiClient, dwelling_of

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs concurrent transactions; run with DATABASE_URL=postgres://…",
    ),
]


def test_simultaneous_retries_create_one_vacancy(tokens: dict[str, Any], org_a: Any) -> None:
    today = timezone.localdate()
    body = {
        "dwelling": dwelling_of(org_a).pk,
        "notice_date": today.isoformat(),
        "available_from": (today + dt.timedelta(days=10)).isoformat(),
    }
    barrier = threading.Barrier(2)
    responses: list[Any] = []
    lock = threading.Lock()

    def post() -> None:
        try:
            client = ApiClient(tokens["org_a"].raw)
            barrier.wait()
            response = client.post("/api/v1/vacancies/", body, {"Idempotency-Key": "race"})
            with lock:
                responses.append(response)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert [r.status_code for r in responses] == [201, 201]
    assert responses[0].json() == responses[1].json()
    assert Vacancy.objects.count() == 1
