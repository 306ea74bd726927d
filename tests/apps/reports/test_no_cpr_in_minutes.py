"""A meeting's minutes and a decision's texts are read by the steering group (its meeting log and
the quarter's report, frozen as the steering group's edition, which leaves the municipality), and
the steering group sees no citizen identifier: a CPR number typed into them is refused on the
field, as in a håndholdt request or a hand-back's reason (docs/privacy.md)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from anvis.reports import services
from anvis.reports.models import Decision, Meeting

from .conftest import QUARTER, TODAY

pytestmark = pytest.mark.django_db

CPR_TEXT = "Borgeren 010190-1235 venter stadig"
REFUSED = "Skriv ikke CPR-numre her"


@pytest.fixture(autouse=True)
def _today(monkeypatch: Any) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)


def test_minutes_with_a_cpr_number_are_refused(
    client_for: Any, dataset: Any, users: dict[str, Any]
) -> None:
    lead = client_for("anvisningsleder")
    response = lead.post(
        reverse("reports:meeting_create"),
        {"forum": dataset.forum.pk, "held_on": "2026-05-12", "minutes": CPR_TEXT},
    )
    assert response.status_code == 422
    assert REFUSED in response.content.decode()
    assert not Meeting.objects.exists()
    meeting = services.meeting_create(
        actor=users["anvisningsleder"],
        forum=dataset.forum,
        held_on=TODAY,
        minutes="Status",
    )
    response = lead.post(
        reverse("reports:meeting_edit", args=[meeting.pk]),
        {"forum": dataset.forum.pk, "held_on": "2026-05-12", "minutes": "CPR 0101901235"},
    )
    assert response.status_code == 422
    meeting.refresh_from_db()
    assert meeting.minutes == "Status"


@pytest.mark.parametrize("field", ["text", "follow_up", "responsible"])
def test_a_decision_with_a_cpr_number_is_refused(
    field: str, client_for: Any, dataset: Any, users: dict[str, Any]
) -> None:
    meeting = Meeting.objects.create(forum=dataset.forum, held_on=TODAY)
    data = {"text": "Følg op på loftet", "follow_up": "", "responsible": "", "status": "open"}
    data[field] = "0101901235"
    response = client_for("anvisningsleder").post(
        reverse("reports:decision_create", args=[meeting.pk]), data
    )
    assert response.status_code == 422
    assert REFUSED in response.content.decode()
    assert not Decision.objects.exists()
    # Nor through the service, whatever calls it.
    with pytest.raises(ValidationError):
        services.decision_create(
            actor=users["anvisningsleder"], meeting=meeting, **{**data, field: CPR_TEXT}
        )


def test_the_steering_group_never_reads_a_typed_cpr_number(client_for: Any, dataset: Any) -> None:
    lead = client_for("anvisningsleder")
    lead.post(
        reverse("reports:meeting_create"),
        {"forum": dataset.forum.pk, "held_on": "2026-05-12", "minutes": CPR_TEXT},
    )
    body = (
        client_for("styregruppe")
        .get(reverse("reports:dashboard") + f"?kvartal={QUARTER}")
        .content.decode()
    )
    assert "010190-1235" not in body
