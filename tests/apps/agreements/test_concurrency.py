"""A change of terms and a vacancy being judged at the same moment.

Needs real row locks, so it runs on PostgreSQL only; the judging runs in its own thread and
database connection."""

from __future__ import annotations

import datetime as dt
import threading
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


def test_a_vacancy_being_judged_holds_the_agreement_against_a_change_of_terms(
    agreement: Any, org_a: Any
) -> None:
    """While a vacancy is judged (its transaction open), the agreement cannot be locked for a
    change: a new version or step valid from the report day would otherwise pass the check of
    the days already judged (the record is not committed yet) and leave a vacancy of that day
    judged by the terms it replaced."""
    dwelling = Dwelling.objects.get(entrance__department__organisation=org_a, rent=3100)
    judged, probed = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def judge() -> None:
        try:
            with transaction.atomic():
                services.turn_decide(dwelling=dwelling, report_date=dt.date(2024, 3, 1))
                judged.set()
                probed.wait(timeout=60)
        except BaseException as exc:
            errors.append(exc)
            judged.set()
        finally:
            connections.close_all()

    thread = threading.Thread(target=judge)
    thread.start()
    try:
        assert judged.wait(timeout=60)
        with pytest.raises(DatabaseError), transaction.atomic():
            AllocationAgreement.objects.select_for_update(nowait=True).get(pk=agreement.pk)
    finally:
        probed.set()
        thread.join(timeout=60)
    assert errors == []
    # Once the judgement has committed the change of terms sees it and starts the day after.
    assert first_change_day(agreement) == dt.date(2024, 3, 2)
