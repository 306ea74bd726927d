"""The overview of a housing organisation's staff says what waits for their own organisation:
leases to register, vacancies to let through their own waiting list and open håndholdte
requests, each counted as the list the card opens lists it. Another organisation's work is
never counted."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

from django.urls import reverse
from django.utils import timezone

from anvis.stock.models import Dwelling
from anvis.vacancies import services
from anvis.vacancies.choices import VacancyStatus
from anvis.vacancies.models import Vacancy


def _cards(page: str) -> dict[str, str]:
    """The overview's work-list cards: link -> the card's text."""
    match = re.search(r'<ul class="card-list work-list">(.*?)</ul>', page, re.S)
    cards = re.findall(
        r'<li class="card"><a href="([^"]*)">(.*?)</li>', match.group(1) if match else "", re.S
    )
    return {html.unescape(href): re.sub(r"<[^>]+>|\s+", " ", text) for href, text in cards}


def _ordinary(dwelling: Dwelling) -> Vacancy:
    day = timezone.localdate()
    return Vacancy.objects.create(
        organisation_id=dwelling.entrance.department.organisation_id,
        dwelling=dwelling,
        notice_date=day,
        available_from=day,
        report_date=day,
        rent_at_letting=dwelling.rent,
        status=VacancyStatus.ORDINARY,
    )


def test_each_organisation_sees_its_own_work_counted_as_its_lists_count_it(
    client_for: Any,
    users: dict[str, Any],
    agreement: Any,
    cheap: Any,
    dear: Any,
    case: Any,
    org_a: Any,
    org_b: Any,
) -> None:
    from anvis.agreements import services as agreement_services

    today = timezone.localdate()
    # Organisation A: the citizen said yes to its cheap dwelling (a lease to register), and its
    # dear dwelling is its own turn (ordinary letting).
    vacancy = services.vacancy_report(
        actor=users["boligorganisation"],
        dwelling=cheap,
        notice_date=today - dt.timedelta(days=20),
        available_from=today,
    )
    services.vacancy_accept(actor=users["anvisningsleder"], vacancy=vacancy)
    offer = services.offer_create(actor=users["sagsbehandler"], vacancy=vacancy, case=case)
    services.offer_accept(actor=users["sagsbehandler"], offer=offer)
    _ordinary(dear)
    # Organisation B: both its dwellings are its own turn, and a request is addressed to it.
    for dwelling in Dwelling.objects.filter(entrance__department__organisation=org_b):
        _ordinary(dwelling)
    agreement_services.handheld_request_create(
        actor=users["sagsbehandler"],
        agreement=agreement,
        organisation=org_b,
        case_reference="HF-1",
        rooms=2,
        max_rent=4000,
        need="Ung med CTI",
        requested_on=today,
    )

    lease_due = reverse("vacancies:vacancy_list") + "?status=lease_due"
    ordinary = reverse("vacancies:vacancy_list") + "?status=ordinary"
    requests = reverse("agreements:handheld_list") + "?status=open"
    a = client_for("boligorganisation")
    cards = _cards(a.get("/").content.decode())
    assert "1 bolig: borgeren har sagt ja; registrér lejekontrakten" in cards[lease_due]
    assert "1 ledig bolig at udleje via jeres egen venteliste" in cards[ordinary]
    assert "0 åbne håndholdte ønsker" in cards[requests]
    b_cards = _cards(client_for("org_b").get("/").content.decode())
    assert "0 boliger: borgeren har sagt ja" in b_cards[lease_due]
    assert "2 ledige boliger at udleje via jeres egen venteliste" in b_cards[ordinary]
    assert "1 åbent håndholdt ønske" in b_cards[requests]
    # The card opens the list it counted: the same rows, the organisation's own only.
    listed = a.get(lease_due).content.decode()
    assert listed.count(reverse("vacancies:vacancy_detail", args=[vacancy.pk])) == 1
    a_listed = a.get(ordinary).content.decode()
    b_listed = client_for("org_b").get(ordinary).content.decode()
    for row in Vacancy.objects.filter(status=VacancyStatus.ORDINARY):
        link = reverse("vacancies:vacancy_detail", args=[row.pk])
        assert (link in a_listed) is (row.organisation_id == org_a.pk)
        assert (link in b_listed) is (row.organisation_id == org_b.pk)

    # Neither the municipality's overview nor the steering group's has the organisations' cards.
    for role in ("anvisningsleder", "styregruppe"):
        page = client_for(role).get("/").content.decode()
        assert "jeres egen venteliste" not in page and "registrér lejekontrakten" not in page
