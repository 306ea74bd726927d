"""One reading of "void rent the municipality pays": the void-rent page (settled runs and void
rent right now), its download, the steering group's report and the monthly statements count the
same vacancies. A vacancy no agreement version judged (a voluntary offer with no agreement in
force) has no agreed payer: it is on no statement, so it is paid on no page either."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from anvis.stock.models import Dwelling
from anvis.vacancies import selectors
from anvis.vacancies import services as flow

pytestmark = pytest.mark.django_db

REPORTED = dt.date(2026, 3, 4)
HANDED_BACK = dt.date(2026, 3, 20)


def _voluntary_accepted(users: dict[str, Any], dwelling: Dwelling, day: dt.date) -> Any:
    vacancy = flow.vacancy_report(
        actor=users["boligorganisation"],
        dwelling=dwelling,
        notice_date=day,
        available_from=day,
        report_date=day,
        source="voluntary",
    )
    return flow.vacancy_accept(actor=users["anvisningsleder"], vacancy=vacancy, today=day)


def test_a_vacancy_without_an_agreed_payer_is_paid_nowhere(
    users: dict[str, Any], org_a: Any
) -> None:
    dwelling = Dwelling.objects.get(entrance__department__organisation=org_a, rent=3100)
    vacancy = _voluntary_accepted(users, dwelling, REPORTED)
    assert vacancy.judged_by is None and vacancy.void_rent_start == REPORTED
    lead = users["anvisningsleder"]

    # Running: the statement of the running month and "void rent right now" agree.
    running = dt.date(2026, 3, 10)
    month = selectors.statement_compute(organisation_id=org_a.pk, month=running, as_of=running)
    now = selectors.void_rent_now(user=lead, day=running)
    assert [line.ref for line in month.lines] == [r.vacancy.pk for r in now.rows]

    # Ended by a hand-back: the month's statement and the settled void rent agree.
    flow.vacancy_hand_back(actor=lead, vacancy=vacancy, reason="Ikke egnet", today=HANDED_BACK)
    month = selectors.statement_compute(
        organisation_id=org_a.pk, month=HANDED_BACK, as_of=dt.date(2026, 4, 30)
    )
    settled = selectors.settled_void_rent(start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31))
    assert [line.ref for line in month.lines] == [line.vacancy.pk for line in settled]
