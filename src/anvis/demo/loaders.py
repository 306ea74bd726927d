"""The demo loaders in the order they run: each may use what the ones before it made."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.db import transaction
from django.test.utils import override_settings

from anvis.common.db import (
    constraints_left_to_database,
    refresh_table_statistics,
    tracking_writes,
    without_savepoints,
)
from anvis.demo import (
    accounts,
    agreements,
    cases,
    matching,
    monitoring,
    reports,
    simulation,
    stock,
    tenancy,
    vacancies,
)
from anvis.demo.context import DemoContext
from anvis.monitoring.selectors import status_memo

#: (name shown in the log, loader)
LOADERS: list[tuple[str, Callable[[DemoContext], None]]] = [
    ("anvis.stock", stock.load),
    ("anvis.accounts", accounts.load),
    ("anvis.agreements", agreements.load),
    ("anvis.monitoring", monitoring.load),
    ("anvis.cases", cases.load),
    ("anvis.vacancies", vacancies.load),
    ("anvis.tenancy", tenancy.load),
    ("anvis.matching", matching.load),
    ("anvis.reports", reports.load),
    ("anvis.simulation", simulation.load),
]


def load_all(ctx: DemoContext, loaded: Callable[[str, float], None]) -> None:
    """Run every loader in one transaction; `loaded(name, seconds)` after each."""
    # Demo notifications are kept in memory, not printed or sent as e-mail, and the background
    # tasks the loaders' events would queue (e-mails; the demo's simulator runs are run here)
    # are dropped: the demo starts with an empty queue and outbox.
    with (
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}},
        ),
        transaction.atomic(),
        # The load is one transaction that stops at the first error: the services' own atomic
        # blocks need no savepoints here (two round trips fewer each, about 10,000 in all).
        without_savepoints(),
        # The check, unique and foreign key constraints are the database's to check on each
        # write (one query fewer per constraint and key per saved model, a quarter of the
        # services' time).
        constraints_left_to_database(),
    ):
        for name, load in LOADERS:
            started = time.perf_counter()
            # Department statuses are computed once per set of figures within a loader: no
            # loader changes the indicators, designations or snapshot they come from after
            # writing them.
            with tracking_writes() as written, status_memo():
                load(ctx)
            # The next loaders (and the first requests) query what this one wrote (the national
            # stock is 590,000 dwellings): without fresh statistics PostgreSQL plans those
            # queries as if the tables were empty, and one such plan took minutes per call at
            # national scale. Only the tables whose statistics this loader's writes made stale (by
            # autovacuum's own measure) are analysed.
            refresh_table_statistics(written)
            loaded(name, time.perf_counter() - started)
