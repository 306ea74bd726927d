"""The municipality's overview says how many offers await the citizen's answer (the caseworker
gets the answer before the offer's deadline, or the offer expires), and how many of them are due
today or past their deadline; the card opens the vacancy list of exactly those."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from anvis.stock.models import Dwelling
from anvis.vacancies import services
from anvis.vacancies.models import Offer

from .test_org_waiting import _cards


def _offer(users: dict[str, Any], dwelling: Any, case: Any) -> Offer:
    today = timezone.localdate()
    vacancy = services.vacancy_report(
        actor=users["boligorganisation"],
        dwelling=dwelling,
        notice_date=today - dt.timedelta(days=20),
        available_from=today,
    )
    services.vacancy_accept(actor=users["anvisningsleder"], vacancy=vacancy)
    return services.offer_create(actor=users["sagsbehandler"], vacancy=vacancy, case=case)


def test_offers_awaiting_the_citizens_answer_on_the_municipal_overview(
    client_for: Any,
    users: dict[str, Any],
    agreement: Any,
    cheap: Any,
    dear: Any,
    case: Any,
    case2: Any,
) -> None:
    other = Dwelling.objects.create(
        entrance=cheap.entrance,
        floor=cheap.floor,
        door="mf",
        rooms=cheap.rooms,
        area_m2=cheap.area_m2,
        rent=cheap.rent,
    )
    waiting = _offer(users, cheap, case)
    answered = _offer(users, other, case2)
    services.offer_accept(actor=users["sagsbehandler"], offer=answered)  # a lease to register
    Offer.objects.filter(pk=waiting.pk).update(response_deadline=timezone.localdate())
    answer_due = reverse("vacancies:vacancy_list") + "?status=answer_due"
    for role in ("sagsbehandler", "anvisningsleder"):
        cards = _cards(client_for(role).get("/").content.decode())
        assert "1 tilbud afventer borgerens svar" in cards[answer_due], role
        assert "heraf 1 over svarfristen eller med frist i dag" in cards[answer_due], role
    listed = client_for("sagsbehandler").get(answer_due).content.decode()
    assert reverse("vacancies:vacancy_detail", args=[waiting.vacancy_id]) in listed
    assert reverse("vacancies:vacancy_detail", args=[answered.vacancy_id]) not in listed
    # The organisations and the steering group have no such card.
    for role in ("boligorganisation", "styregruppe"):
        assert "afventer borgerens svar" not in client_for(role).get("/").content.decode()
