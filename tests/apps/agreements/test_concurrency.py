"""A change of terms and a vacancy being judged at the same moment.

Needs real row locks, so it runs on PostgreSQL only; the judging runs in its own thread and
database connection."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import DatabaseError, connection, connections, transaction

from anvis.agreements import services
from anvis.agreements.models import AllocationAgreement
from anvis.agreements.services.common import first_change_day
from anvis.stock.models import Dwelling

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite has no row locks (select_for_update); run with DATABASE_URL=postgres://…",
    ),
]


def holds_agreement(agreement: AllocationAgreement, write: Callable[[], Any]) -> bool:
    """Whether `write`, with its transaction still open in another connection, holds the
    agreement's row against a lock for update."""
    done, probed = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def run() -> None:
        try:
            with transaction.atomic():
                write()
                done.set()
                probed.wait(timeout=60)
        except BaseException as exc:
            errors.append(exc)
            done.set()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    try:
        assert done.wait(timeout=60)
        try:
            with transaction.atomic():
                AllocationAgreement.objects.select_for_update(nowait=True).get(pk=agreement.pk)
            held = False
        except DatabaseError:
            held = True
    finally:
        probed.set()
        thread.join(timeout=60)
    assert errors == []
    return held


def test_a_vacancy_being_judged_holds_the_agreement_against_a_change_of_terms(
    agreement: Any, org_a: Any
) -> None:
    """While a vacancy is judged (its transaction open), the agreement cannot be locked for a
    change: a new version or step valid from the report day would otherwise pass the check of
    the days already judged (the record is not committed yet) and leave a vacancy of that day
    judged by the terms it replaced."""
    dwelling = Dwelling.objects.get(entrance__department__organisation=org_a, rent=3100)
    assert holds_agreement(
        agreement,
        lambda: services.turn_decide(dwelling=dwelling, report_date=dt.date(2024, 3, 1)),
    )
    # Once the judgement has committed the change of terms sees it and starts the day after.
    assert first_change_day(agreement) == dt.date(2024, 3, 2)


def test_a_corrected_version_holds_the_agreement(agreement: Any, users: dict[str, Any]) -> None:
    """Moving a version that is not yet in force to the report day is a change of terms like a
    new version: it waits for a vacancy being judged, and then sees its day as judged (its
    lock of the version row takes the agreement's row with it)."""
    lead = users["anvisningsleder"]
    later = services.agreement_version_create(
        actor=lead, agreement=agreement, valid_from=dt.date(2027, 6, 1)
    )
    assert holds_agreement(
        agreement,
        lambda: services.agreement_version_update(
            actor=lead, version=later, valid_from=dt.date(2027, 3, 1), today=dt.date(2027, 1, 4)
        ),
    )
