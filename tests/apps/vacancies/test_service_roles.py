"""The municipality's side of the flow is guarded in its services, by the same named predicates
the pages show their buttons by (`anvis.permissions`), as the organisation's side is: a path
that forgets the page's check (a batch job, a new endpoint) cannot let an organisation or the
steering group accept a vacancy or answer an offer for the municipality."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from anvis.vacancies import services
from anvis.vacancies.choices import OfferStatus, VacancyStatus
from anvis.vacancies.models import Offer, Vacancy

from .conftest import REPORT_DAY
from .test_services import accepted, offered, report

pytestmark = pytest.mark.django_db

OUTSIDERS = ["boligorganisation", "styregruppe"]

VACANCY_ANSWERS: dict[str, Callable[[Any, Vacancy], Any]] = {
    "accept": lambda actor, v: services.vacancy_accept_result(
        actor=actor, vacancy=v, today=REPORT_DAY
    ),
    "decline": lambda actor, v: services.vacancy_decline(actor=actor, vacancy=v, today=REPORT_DAY),
}

OFFER_ANSWERS: dict[str, Callable[[Any, Offer], Any]] = {
    "accept": lambda actor, o: services.offer_accept(actor=actor, offer=o, today=REPORT_DAY),
    "decline": lambda actor, o: services.offer_decline(
        actor=actor, offer=o, reason="client_location", today=REPORT_DAY
    ),
    "withdraw": lambda actor, o: services.offer_withdraw(actor=actor, offer=o, today=REPORT_DAY),
}


@pytest.mark.parametrize("answer", sorted(VACANCY_ANSWERS))
@pytest.mark.parametrize("role", [*OUTSIDERS, "sagsbehandler"])
def test_only_the_allocation_lead_answers_a_vacancy(
    users: Any, agreement: Any, cheap: Any, answer: str, role: str
) -> None:
    vacancy = report(users, cheap)
    with pytest.raises(PermissionDenied):
        VACANCY_ANSWERS[answer](users[role], vacancy)
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.MUNICIPAL and vacancy.answered_on is None


@pytest.mark.parametrize("role", OUTSIDERS)
def test_only_the_municipality_offers(
    users: Any, agreement: Any, cheap: Any, case: Any, role: str
) -> None:
    vacancy = accepted(users, cheap)
    with pytest.raises(PermissionDenied):
        services.offer_create(actor=users[role], vacancy=vacancy, case=case, today=REPORT_DAY)
    assert not Offer.objects.exists()


@pytest.mark.parametrize("answer", sorted(OFFER_ANSWERS))
@pytest.mark.parametrize("role", OUTSIDERS)
def test_only_the_municipality_answers_an_offer(
    users: Any, agreement: Any, cheap: Any, case: Any, answer: str, role: str
) -> None:
    offer = offered(users, cheap, case)
    with pytest.raises(PermissionDenied):
        OFFER_ANSWERS[answer](users[role], offer)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PENDING and offer.answered_on is None
