"""Two workers polling at the same moment: each queued run is claimed by one of them only.

Needs real row locks (SKIP LOCKED), so it runs on PostgreSQL only."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections, transaction

from anvis.simulation import services
from anvis.simulation.models import RunStatus, SimulationRun

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite has no SKIP LOCKED; run with DATABASE_URL=postgres://…",
    ),
]

PARAMS = {"source": "aalborg", "years": 1, "replications": 2}


def test_a_locked_run_is_skipped_not_waited_for(users: Any) -> None:
    first = services.simulation_run_create(
        actor=users["anvisningsleder"], name="A", parameters=PARAMS
    )
    second = services.simulation_run_create(
        actor=users["anvisningsleder"], name="B", parameters=PARAMS
    )
    locked = threading.Event()
    release = threading.Event()

    def hold_first() -> None:
        try:
            with transaction.atomic():
                SimulationRun.objects.select_for_update().get(pk=first.pk)
                locked.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_first)
    holder.start()
    try:
        assert locked.wait(timeout=30)
        claimed = services.simulation_run_claim_next()  # must not block on the locked row
    finally:
        release.set()
        holder.join(timeout=30)
    assert claimed is not None and claimed.pk == second.pk
    first.refresh_from_db()
    assert first.status == RunStatus.QUEUED


def test_two_workers_claim_different_runs(users: Any) -> None:
    for name in ("A", "B"):
        services.simulation_run_create(actor=users["anvisningsleder"], name=name, parameters=PARAMS)
    barrier = threading.Barrier(2)
    claimed: list[int | None] = []
    guard = threading.Lock()

    def work() -> None:
        try:
            barrier.wait()
            run = services.simulation_run_claim_next()
            with guard:
                claimed.append(run.pk if run else None)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(claimed) == 2 and None not in claimed and len(set(claimed)) == 2
    assert SimulationRun.objects.filter(status=RunStatus.RUNNING).count() == 2
