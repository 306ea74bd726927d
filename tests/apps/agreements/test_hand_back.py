"""A hand-back the agreement does not count as delivered is not the organisation's own letting:
the ledger and the vacancy page say it was handed back, with the figures of a turn not
delivered."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from anvis.agreements import selectors
from anvis.stock.models import Dwelling
from anvis.vacancies import services as flow
from anvis_core.quotas import Quarter

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 4)


def test_a_hand_back_not_counted_as_delivered_says_what_happened(
    agreement: Any, users: dict[str, Any], client_for: Any, org_a: Any
) -> None:
    agreement.versions.update(municipal_share_percent=Decimal("100"), hand_back_delivered=False)
    dwelling = Dwelling.objects.get(entrance__department__organisation=org_a, rent=3100)
    vacancy = flow.vacancy_report(
        actor=users["boligorganisation"],
        dwelling=dwelling,
        notice_date=DAY - dt.timedelta(days=30),
        available_from=DAY + dt.timedelta(days=10),
        report_date=DAY,
    )
    vacancy = flow.vacancy_accept(actor=users["anvisningsleder"], vacancy=vacancy, today=DAY)
    flow.vacancy_hand_back(
        actor=users["anvisningsleder"], vacancy=vacancy, reason="Ikke egnet", today=DAY
    )

    # The figures are those of a municipal turn not delivered.
    view = selectors.ledger(
        user=users["anvisningsleder"],
        agreement=agreement,
        quarter=Quarter(2026, 1),
        level="organisation",
        today=DAY,
    )
    line = next(r.line for r in view.rows if r.organisation_id == org_a.pk)
    c = line.cumulative
    assert (c.eligible, c.expected, c.delivered, c.pending) == (1, 1, 0, 0)
    assert (c.handed_back, c.withdrawn, c.ordinary) == (1, 0, 0)
    assert line.closing == -1

    client = client_for("anvisningsleder")
    page = client.get("/aftaler/regnskab/", {"aftale": agreement.pk, "kvartal": "2026-Q1"})
    html = page.content.decode()
    assert "1 leveret tilbage af kommunen, tæller ikke som leveret" in html
    assert "udlejet af organisationen" not in html
    assert "figure=handed_back" in html

    detail = client.get(f"/ledige-boliger/{vacancy.pk}/").content.decode()
    assert "<strong>Leveret tilbage.</strong>" in detail
    assert "Kommunen tog imod boligen og leverede den derefter tilbage" in detail
    assert "Aftalen tæller ikke en tilbageleveret bolig som leveret" in detail
    assert "Organisationen udlejede selv boligen" not in detail

    api = APIClient()
    api.force_authenticate(users["anvisningsleder"])
    body = api.get(f"/api/v1/vacancies/{vacancy.pk}/").json()
    assert body["whose_turn"]["kind"] == "handed_back"
    assert body["whose_turn"]["label"] == "Leveret tilbage"


def test_bulk_written_turn_records_are_not_handed_back(agreement: Any, org_a: Any) -> None:
    """The demo writes turn records in bulk naming its columns (COPY on PostgreSQL): the
    hand-back mark needs its database default."""
    from django.utils import timezone

    from anvis.agreements.models import TurnRecord
    from anvis.demo.agreements import TURN_COLUMNS
    from anvis.demo.bulk import write_rows

    dwelling = Dwelling.objects.get(entrance__department__organisation=org_a, rent=3100)
    row = (
        agreement.pk,
        agreement.versions.get().pk,
        org_a.pk,
        dwelling.entrance.department_id,
        dwelling.pk,
        DAY,
        True,
        False,
        Decimal("25"),
        "",
        "ordinary",
        "ordinary_turn",
        "{}",
        timezone.now(),
    )
    write_rows(TurnRecord, TURN_COLUMNS, [row])
    assert TurnRecord.objects.get().handed_back is False


def test_a_hand_back_reason_or_a_correction_holding_a_cpr_number_is_refused(
    agreement: Any, users: dict[str, Any], org_a: Any
) -> None:
    """Both reasons are sent to the housing organisation: a CPR number in them is refused,
    naming the field, as in a lease cancellation's reason."""
    from django.core.exceptions import ValidationError

    from anvis.vacancies.models import MonthlyStatement, StatementCorrection

    dwelling = Dwelling.objects.get(entrance__department__organisation=org_a, rent=3100)
    vacancy = flow.vacancy_report(
        actor=users["boligorganisation"],
        dwelling=dwelling,
        notice_date=DAY - dt.timedelta(days=30),
        available_from=DAY,
        report_date=DAY,
    )
    vacancy = flow.vacancy_accept(actor=users["anvisningsleder"], vacancy=vacancy, today=DAY)
    lead = users["anvisningsleder"]
    message = "Skriv ikke CPR-numre her: begrundelsen sendes til boligorganisationen."
    with pytest.raises(ValidationError) as exc:
        flow.vacancy_hand_back(actor=lead, vacancy=vacancy, reason="Borger 0101901234", today=DAY)
    assert exc.value.message_dict == {"reason": [message]}
    vacancy.refresh_from_db()
    assert vacancy.status == "accepted"
    flow.vacancy_hand_back(actor=lead, vacancy=vacancy, reason="Ikke egnet", today=DAY)
    statement = flow.statement_approve(
        actor=lead, organisation_id=org_a.pk, month=dt.date(2026, 3, 1), today=dt.date(2026, 4, 2)
    )
    with pytest.raises(ValidationError) as exc:
        flow.statement_correct(
            actor=lead, statement=statement, amount=Decimal("-5"), reason="010190-1234 flyttede"
        )
    assert exc.value.message_dict == {"reason": [message]}
    assert not StatementCorrection.objects.exists()
    assert MonthlyStatement.objects.count() == 1
