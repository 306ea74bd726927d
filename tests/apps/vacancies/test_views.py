from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from anvis.audit.models import PersonalDataAccess
from anvis.cases.models import Case
from anvis.vacancies import services
from anvis.vacancies.models import Offer, Vacancy

ROLES = ["sagsbehandler", "anvisningsleder", "boligorganisation", "styregruppe", "administrator"]


@pytest.fixture
def vacancy(users: dict[str, Any], agreement: Any, cheap: Any) -> Vacancy:
    today = timezone.localdate()
    return services.vacancy_report(
        actor=users["boligorganisation"],
        dwelling=cheap,
        notice_date=today - dt.timedelta(days=20),
        available_from=today,
    )


@pytest.fixture
def offer(users: dict[str, Any], vacancy: Vacancy, case: Any) -> Offer:
    services.vacancy_accept(actor=users["anvisningsleder"], vacancy=vacancy)
    return services.offer_create(actor=users["sagsbehandler"], vacancy=vacancy, case=case)


def _status(client: Any, url: str, method: str = "get") -> int:
    return int(getattr(client, method)(url).status_code)


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("vacancies:vacancy_list", set(ROLES)),
        ("vacancies:void_rent", set(ROLES)),
        ("vacancies:vacancy_report", {"boligorganisation", "administrator"}),
        ("vacancies:inbox", {"anvisningsleder", "administrator"}),
    ],
)
def test_list_pages_access_for_every_role(
    client_for: Any, client: Any, name: str, allowed: set[str]
) -> None:
    url = reverse(name)
    for role in ROLES:
        assert _status(client_for(role), url) == (200 if role in allowed else 403), role
    assert client.get(url).status_code == 302


def test_vacancy_page_for_every_role_and_hidden_from_other_organisation(
    client_for: Any, vacancy: Vacancy
) -> None:
    url = reverse("vacancies:vacancy_detail", args=[vacancy.pk])
    for role in ROLES:
        assert _status(client_for(role), url) == 200, role
    assert _status(client_for("org_b"), url) == 404
    other_list = client_for("org_b").get(reverse("vacancies:vacancy_list")).content.decode()
    assert str(vacancy.dwelling) not in other_list


def test_actions_access(client_for: Any, offer: Offer) -> None:
    vacancy_pk = offer.vacancy_id
    cases = [
        ("vacancies:vacancy_decline", vacancy_pk, {"anvisningsleder", "administrator"}),
        (
            "vacancies:offer_create",
            vacancy_pk,
            {"sagsbehandler", "anvisningsleder", "administrator"},
        ),
        (
            "vacancies:offer_decline",
            offer.pk,
            {"sagsbehandler", "anvisningsleder", "administrator"},
        ),
        (
            "vacancies:offer_withdraw",
            offer.pk,
            {"sagsbehandler", "anvisningsleder", "administrator"},
        ),
        ("vacancies:offer_reject", offer.pk, {"boligorganisation", "administrator"}),
        (
            "vacancies:lease_create",
            offer.pk,
            {"boligorganisation", "anvisningsleder", "administrator"},
        ),
        ("vacancies:vacancy_let", vacancy_pk, {"boligorganisation", "administrator"}),
    ]
    for name, pk, allowed in cases:
        url = reverse(name, args=[pk])
        for role in ROLES:
            assert _status(client_for(role), url) == (200 if role in allowed else 404), (name, role)
        assert _status(client_for("org_b"), url) == 404, name
    for name in ("vacancies:vacancy_accept",):
        assert _status(client_for("sagsbehandler"), reverse(name, args=[vacancy_pk]), "post") == 404
    for name in ("vacancies:offer_accept",):
        assert (
            _status(client_for("boligorganisation"), reverse(name, args=[offer.pk]), "post") == 404
        )


def test_report_form_in_danish_with_danish_errors(
    client_for: Any, agreement: Any, cheap: Any
) -> None:
    c = client_for("boligorganisation")
    page = c.get(reverse("vacancies:vacancy_report")).content.decode()
    assert "Meld en ledig bolig" in page
    assert "Lejerens opsigelsesdato" in page
    other = c.post(
        reverse("vacancies:vacancy_report"),
        {
            "dwelling": cheap.pk,
            "source": "report",
            "notice_date": "2026-03-10",
            "available_from": "2026-03-01",
        },
    ).content.decode()
    assert "Boligen kan ikke være ledig før lejerens opsigelsesdato." in other
    handheld = c.post(
        reverse("vacancies:vacancy_report"),
        {
            "dwelling": cheap.pk,
            "source": "handheld",
            "notice_date": "2026-03-01",
            "available_from": "2026-03-10",
        },
    ).content.decode()
    assert "Vælg det håndholdte ønske, boligen er svar på." in handheld
    assert not Vacancy.objects.exists()


def test_organisation_cannot_report_another_organisations_dwelling(
    client_for: Any, agreement: Any, org_b: Any
) -> None:
    from anvis.stock.models import Dwelling

    theirs = Dwelling.objects.filter(entrance__department__organisation=org_b).first()
    response = client_for("boligorganisation").post(
        reverse("vacancies:vacancy_report"),
        {
            "dwelling": theirs.pk,
            "source": "report",
            "notice_date": "2026-03-01",
            "available_from": "2026-03-10",
        },
    )
    assert response.status_code == 422
    assert "Marker en gyldig valgmulighed" in response.content.decode()
    assert not Vacancy.objects.exists()


def test_inbox_sorted_by_deadline_with_time_left(
    client_for: Any, users: dict[str, Any], agreement: Any, cheap: Any, org_b: Any
) -> None:
    from anvis.stock.models import Dwelling

    today = timezone.localdate()
    late = services.vacancy_report(
        actor=users["boligorganisation"],
        dwelling=cheap,
        notice_date=today,
        available_from=today,
        report_date=today,
    )
    early = services.vacancy_report(
        actor=users["org_b"],
        dwelling=Dwelling.objects.get(entrance__department__organisation=org_b, rent=3100),
        notice_date=today - dt.timedelta(days=5),
        available_from=today,
        report_date=today - dt.timedelta(days=3),
    )
    page = client_for("anvisningsleder").get(reverse("vacancies:inbox")).content.decode()
    assert page.index(str(early.dwelling)) < page.index(str(late.dwelling))
    assert "hverdage" in page


def test_whole_flow_through_the_pages(
    client_for: Any, users: dict[str, Any], agreement: Any, cheap: Any, case: Any, case2: Any
) -> None:
    # The dwelling was available 10 days before the report; this agreement bills those days.
    agreement.versions.update(void_rent_before_report=True)
    today = timezone.localdate()
    org, lead, worker = (
        client_for("boligorganisation"),
        client_for("anvisningsleder"),
        client_for("sagsbehandler"),
    )
    response = org.post(
        reverse("vacancies:vacancy_report"),
        {
            "dwelling": cheap.pk,
            "source": "report",
            "notice_date": (today - dt.timedelta(days=30)).isoformat(),
            "available_from": (today - dt.timedelta(days=10)).isoformat(),
            "remarks": "Nyistandsat",
        },
    )
    vacancy = Vacancy.objects.get()
    assert response.status_code == 302
    detail = reverse("vacancies:vacancy_detail", args=[vacancy.pk])
    page = lead.get(detail).content.decode()
    assert "Kommunal tur, afventer svar" in page
    assert "Tag imod boligen" in page
    lead.post(reverse("vacancies:vacancy_accept", args=[vacancy.pk]))
    again = lead.post(reverse("vacancies:vacancy_accept", args=[vacancy.pk]), follow=True)
    assert "Ledigheden er allerede besvaret" in again.content.decode()

    form = worker.get(reverse("vacancies:offer_create", args=[vacancy.pk]) + f"?sag={case.pk}")
    assert "Fund for" in form.content.decode()
    # Step one checks the offer with the gate and shows what it will say; nothing is written.
    step_one = worker.post(
        reverse("vacancies:offer_create", args=[vacancy.pk]),
        {"case": case.pk, "response_working_days": 5, "viewing_at": "2026-12-08T10:00"},
    )
    confirm = step_one.content.decode()
    assert step_one.status_code == 200 and 'data-testid="confirm-offer"' in confirm
    assert "Bekræft og giv tilbuddet" in confirm and case.citizen.full_name in confirm
    assert not Offer.objects.filter(case=case).exists()
    worker.post(
        reverse("vacancies:offer_create", args=[vacancy.pk]),
        {"case": case.pk, "response_working_days": 5, "confirmed": "1"},
    )
    first = Offer.objects.get(case=case)
    decline_page = worker.get(reverse("vacancies:offer_decline", args=[first.pk])).content
    decline = decline_page.decode()
    assert case.citizen.full_name in decline and " checked" not in decline
    assert "borgeren sættes i bero i 30 dage" in decline  # not ready to move: 30 days
    assert "ingen pause; borgeren venter videre" in decline
    assert PersonalDataAccess.objects.filter(what="offer.decline").exists()
    worker.post(
        reverse("vacancies:offer_decline", args=[first.pk]),
        {"reason": "client_location", "note": ""},
    )
    worker.post(
        reverse("vacancies:offer_create", args=[vacancy.pk]),
        {"case": case2.pk, "response_working_days": 5, "confirmed": "1"},
    )
    second = Offer.objects.get(case=case2)
    worker.post(reverse("vacancies:offer_accept", args=[second.pk]))
    # Accepted offer on its own dwelling: the organisation gets the name and contact a lease
    # needs, without a consent gate (the allocation is the legal basis; issue #15).
    org_page = org.get(detail).content.decode()
    assert "Lise Testesen" in org_page
    assert case2.citizen.reference in org_page and case2.number not in org_page
    assert PersonalDataAccess.objects.filter(user=users["boligorganisation"]).exists()
    response = org.post(
        reverse("vacancies:lease_create", args=[second.pk]),
        {
            "signed_on": today.isoformat(),
            "starts_on": today.isoformat(),
            "move_in_on": today.isoformat(),
        },
        follow=True,
    )
    content = response.content.decode()
    assert "Lejekontrakten er registreret" in content
    # Social data: the organisation is not told whether a support plan exists (issue #15).
    assert "bostøtteplan" not in content
    vacancy.refresh_from_db()
    assert vacancy.status == "let"
    assert Case.objects.get(pk=case2.pk).status == "housed"
    assert vacancy.lease.void_rent_days == 10
    statement = org.get(reverse("vacancies:void_rent")).content.decode()
    assert "Alfa Boligselskab" in statement
    csv = org.get(reverse("vacancies:void_rent") + "?format=csv").content.decode("utf-8-sig")
    assert "Boligorganisation;Bolig" in csv
    assert str(vacancy.lease.void_rent_amount).replace(".", ",") in csv
    assert (
        "Alfa Boligselskab"
        not in client_for("org_b").get(reverse("vacancies:void_rent")).content.decode()
    )


def test_organisation_rejects_nominee_with_ground(client_for: Any, offer: Offer) -> None:
    response = client_for("boligorganisation").post(
        reverse("vacancies:offer_reject", args=[offer.pk]),
        {"ground": "overcrowding", "note": "5 personer i 1 værelse"},
    )
    # The household on the case is one person in one room: the ground does not apply.
    assert response.status_code == 422
    assert "så denne grund gælder ikke" in response.content.decode()
    response = client_for("boligorganisation").post(
        reverse("vacancies:offer_reject", args=[offer.pk]),
        {"ground": "debt_without_plan", "note": "Restance 12.000 kr. uden afdragsordning"},
    )
    assert response.status_code == 302
    offer.refresh_from_db()
    assert (offer.status, offer.rejection_ground) == (
        "rejected_by_organisation",
        "debt_without_plan",
    )
    missing = client_for("boligorganisation").post(
        reverse("vacancies:offer_reject", args=[offer.pk]), {"ground": "debt_without_plan"}
    )
    # The service's words, as the API gives them (tests/apps/api/test_parity.py).
    assert "Beskriv grundlaget, fx gældens størrelse" in missing.content.decode()


def test_overview_counts_the_vacancies_awaiting_an_answer_as_the_inbox_lists_them(
    client_for: Any, users: dict[str, Any], agreement: Any, cheap: Any, org_b: Any
) -> None:
    from anvis.stock.models import Dwelling

    today = timezone.localdate()
    lead = client_for("anvisningsleder")
    assert "0 ledige boliger venter på kommunens svar" in lead.get("/").content.decode()
    services.vacancy_report(
        actor=users["boligorganisation"],
        dwelling=cheap,
        notice_date=today,
        available_from=today,
        report_date=today,
    )
    page = lead.get("/").content.decode()
    assert "1 ledig bolig venter på kommunens svar" in page
    assert "over svarfristen" not in page
    # Reported a month ago: its answer deadline has passed.
    services.vacancy_report(
        actor=users["org_b"],
        dwelling=Dwelling.objects.get(entrance__department__organisation=org_b, rent=3100),
        notice_date=today - dt.timedelta(days=40),
        available_from=today,
        report_date=today - dt.timedelta(days=30),
    )
    page = lead.get("/").content.decode()
    inbox = lead.get(reverse("vacancies:inbox")).content.decode()
    assert "2 ledige boliger venter på kommunens svar" in page
    assert inbox.count("status--red") == 1
    assert "heraf 1 over svarfristen eller med frist i dag" in page
    # The caseworker may not open the inbox, so the overview does not count it for them.
    assert "venter på kommunens svar" not in client_for("sagsbehandler").get("/").content.decode()


def test_a_deadline_passed_on_a_friday_is_overdue_on_the_saturday_on_every_path(
    client_for: Any, users: dict[str, Any], agreement: Any, cheap: Any, monkeypatch: Any
) -> None:
    """The answer was due Friday 13 March; on Saturday 14 March no working day has passed since,
    but the answer is late all the same: accepting is refused and the expiry job expires the
    vacancy (`is_overdue`). The vacancy page and the inbox say "Overskredet" too, not "Sidste
    frist i dag", while the vacancy waits for the job."""
    from .conftest import DEADLINE, REPORT_DAY

    vacancy = services.vacancy_report(
        actor=users["boligorganisation"],
        dwelling=cheap,
        notice_date=REPORT_DAY,
        available_from=REPORT_DAY,
        report_date=REPORT_DAY,
    )
    assert vacancy.response_deadline == DEADLINE  # a Friday
    saturday = DEADLINE + dt.timedelta(days=1)
    real = timezone.localdate
    monkeypatch.setattr(
        timezone, "localdate", lambda value=None, *a: saturday if value is None else real(value, *a)
    )
    lead = client_for("anvisningsleder")
    for url in (reverse("vacancies:vacancy_detail", args=[vacancy.pk]), reverse("vacancies:inbox")):
        page = lead.get(url).content.decode()
        assert "Overskredet" in page, url
        assert "Sidste frist i dag" not in page, url
    # A click on a page loaded before the deadline is told the deadline passed, not to tick
    # "Accept anyway" (nobody waits for this dwelling either).
    stale = lead.post(reverse("vacancies:vacancy_accept", args=[vacancy.pk]), {}, follow=True)
    assert "Fristen for at svare udløb 13.03.2026." in stale.content.decode()
    assert "Ingen ventende borger kan få denne bolig" not in stale.content.decode()
    page = lead.post(
        reverse("vacancies:vacancy_accept", args=[vacancy.pk]), {"confirm_nobody": "1"}, follow=True
    )
    assert "Fristen for at svare udløb 13.03.2026." in page.content.decode()
    assert services.vacancies_expire(today=saturday).vacancies == [vacancy.pk]


def test_an_overdue_vacancy_offers_no_answer_but_says_why(
    client_for: Any, users: dict[str, Any], agreement: Any, cheap: Any, monkeypatch: Any
) -> None:
    """Past the answer deadline, before the expiry job has run, the vacancy page shows
    no accept or decline button (a click would be refused by the same rule, `is_overdue`) and
    says in one line why."""
    from .conftest import DEADLINE, REPORT_DAY

    vacancy = services.vacancy_report(
        actor=users["boligorganisation"],
        dwelling=cheap,
        notice_date=REPORT_DAY,
        available_from=REPORT_DAY,
        report_date=REPORT_DAY,
    )
    url = reverse("vacancies:vacancy_detail", args=[vacancy.pk])
    real = timezone.localdate
    lead = client_for("anvisningsleder")
    accept = reverse("vacancies:vacancy_accept", args=[vacancy.pk])
    decline = reverse("vacancies:vacancy_decline", args=[vacancy.pk])
    for day, in_time in ((DEADLINE, True), (DEADLINE + dt.timedelta(days=3), False)):
        monkeypatch.setattr(
            timezone,
            "localdate",
            lambda value=None, *a, d=day: d if value is None else real(value, *a),
        )
        page = lead.get(url).content.decode()
        assert (accept in page) is in_time, day
        assert (decline in page) is in_time, day
        assert ("Fristen for at svare udløb 13.03.2026" in page) is not in_time, day
    # The organisation is not the one to answer: it is told nothing about answering.
    page = client_for("boligorganisation").get(url).content.decode()
    assert "Fristen for at svare udløb" not in page


def test_the_citizens_yes_is_confirmed_on_a_page_of_its_own(client_for: Any, offer: Offer) -> None:
    """ "Borgeren siger ja" opens a confirmation naming the citizen and what follows (the
    organisation gets the name and contact details), instead of accepting on one click next
    to "Registrér afslag"; only the confirmation's POST accepts."""
    import html

    worker = client_for("sagsbehandler")
    url = reverse("vacancies:offer_accept", args=[offer.pk])
    detail = worker.get(reverse("vacancies:vacancy_detail", args=[offer.vacancy_id]))
    assert f'href="{url}"' in detail.content.decode()
    assert f'action="{url}"' not in detail.content.decode()
    page = worker.get(url)
    assert page.status_code == 200
    text = html.unescape(page.content.decode())
    assert offer.case.citizen.full_name in text and offer.case.number in text
    assert "navn og kontaktoplysninger" in text
    offer.refresh_from_db()
    assert offer.status == "pending"
    assert worker.post(url).status_code == 302
    offer.refresh_from_db()
    assert offer.status == "accepted"
