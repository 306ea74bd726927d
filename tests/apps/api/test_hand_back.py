"""Hand-back through the API: the municipality's system hands an accepted vacancy back to
ordinary letting with the same service as the vacancy page."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from anvis.audit.models import AuditEvent
from anvis.vacancies import services as flow
from anvis.vacancies.models import Vacancy

from .conftest import dwelling_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(users: dict[str, Any], agreement: Any, org_a: Any) -> Vacancy:
    day = timezone.localdate()
    vacancy = flow.vacancy_report(
        actor=users["boligorganisation"],
        dwelling=dwelling_of(org_a),
        notice_date=day,
        available_from=day,
        report_date=day,
    )
    return flow.vacancy_accept(actor=users["anvisningsleder"], vacancy=vacancy, today=day)


def test_the_municipality_hands_back(api: Any, accepted: Vacancy) -> None:
    response = api("municipal").post(
        f"/api/v1/vacancies/{accepted.pk}/hand-back/", {"reason": "Ingen kan bruge boligen."}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "handed_back"
    accepted.refresh_from_db()
    assert accepted.status == "handed_back"
    assert AuditEvent.objects.filter(object_id=str(accepted.pk), action__contains="hand").exists()


def test_a_reason_is_required_and_nothing_changes(api: Any, accepted: Vacancy) -> None:
    response = api("municipal").post(f"/api/v1/vacancies/{accepted.pk}/hand-back/", {})
    assert response.status_code == 400
    assert "reason" in response.json()["errors"]
    response = api("municipal").post(
        f"/api/v1/vacancies/{accepted.pk}/hand-back/", {"reason": "   "}
    )
    assert response.status_code == 400
    assert Vacancy.objects.get(pk=accepted.pk).status == "accepted"


def test_only_an_accepted_vacancy_can_be_handed_back(api: Any, accepted: Vacancy) -> None:
    client = api("municipal")
    assert (
        client.post(f"/api/v1/vacancies/{accepted.pk}/hand-back/", {"reason": "Første"}).status_code
        == 200
    )
    again = client.post(f"/api/v1/vacancies/{accepted.pk}/hand-back/", {"reason": "Anden"})
    assert again.status_code == 400
    assert "leveres tilbage" in again.json()["detail"]


def test_organisations_cannot_hand_back(api: Any, accepted: Vacancy) -> None:
    for key in ("org_a", "org_b"):
        response = api(key).post(
            f"/api/v1/vacancies/{accepted.pk}/hand-back/", {"reason": "Vi vil selv"}
        )
        assert response.status_code == 404
    assert Vacancy.objects.get(pk=accepted.pk).status == "accepted"
