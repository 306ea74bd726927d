from __future__ import annotations

import logging
from typing import Any

import pytest
from django.urls import reverse

from anvis.audit.models import AuditEvent, PersonalDataAccess
from anvis.cases.models import Case, Citizen

from .conftest import CPR_DIGITS, SERIAL

pytestmark = pytest.mark.django_db

MUNICIPAL_ROLES = ["sagsbehandler", "anvisningsleder", "administrator"]
OTHER_ROLES = ["boligorganisation", "styregruppe", "org_b"]


def case_urls(case: Any) -> list[tuple[str, str]]:
    """Every case URL with the method that reaches it."""
    pk = case.pk
    stay = case.shelter_stays.create(shelter="Herberget", admitted_on="2026-01-05")
    plan = case.support_plans.create(method="cti", provider="CTI-teamet", decided_on="2026-01-20")
    bar = case.bar_events.create(kind="prison_release", date="2025-12-01")
    area = case.avoid_areas.create(district="Aalborg Øst", reason="Tidligere netværk")
    consent = case.consents.create(scope="offer_organisation", given_on="2026-01-20")
    get = [
        reverse("cases:case_list"),
        reverse("cases:case_create"),
        reverse("cases:case_overview", args=[pk]),
        reverse("cases:case_household", args=[pk]),
        reverse("cases:case_economy", args=[pk]),
        reverse("cases:case_shelter", args=[pk]),
        reverse("cases:case_timeline", args=[pk]),
        *(
            reverse("cases:case_edit", args=[pk, s])
            for s in ["kontakt", "husstand", "behov", "oekonomi", "situation"]
        ),
        reverse("cases:case_status", args=[pk]),
        reverse("cases:case_urgency", args=[pk]),
        reverse("cases:case_park", args=[pk]),
        reverse("cases:case_note", args=[pk]),
        reverse("cases:stay_add", args=[pk]),
        reverse("cases:stay_discharge", args=[pk, stay.pk]),
        reverse("cases:plan_add", args=[pk]),
        reverse("cases:plan_status", args=[pk, plan.pk]),
        reverse("cases:bar_add", args=[pk]),
        reverse("cases:avoid_add", args=[pk]),
        reverse("cases:consent_add", args=[pk]),
    ]
    post = [
        reverse("cases:case_cpr_reveal", args=[pk]),
        reverse("cases:case_unpark", args=[pk]),
        reverse("cases:bar_remove", args=[pk, bar.pk]),
        reverse("cases:avoid_remove", args=[pk, area.pk]),
        reverse("cases:consent_withdraw", args=[pk, consent.pk]),
    ]
    return [("get", u) for u in get] + [("post", u) for u in post]


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_non_municipal_roles_get_404_everywhere_and_never_see_cpr(
    client_for: Any, case: Any, role: str
) -> None:
    client = client_for(role)
    for method, url in case_urls(case):
        response = getattr(client, method)(url)
        assert response.status_code == 404, (role, url)
        body = response.content.decode()
        assert CPR_DIGITS[:6] not in body and "Testesen" not in body, url
    assert not PersonalDataAccess.objects.exists()
    # the menu does not offer cases either
    home = client.get("/").content.decode()
    assert reverse("cases:case_list") not in home


@pytest.mark.parametrize("role", MUNICIPAL_ROLES)
def test_municipal_roles_reach_every_page(client_for: Any, case: Any, role: str) -> None:
    client = client_for(role)
    for method, url in case_urls(case):
        if method == "get":
            response = client.get(url)
            assert response.status_code == 200, url
    response = client.get(reverse("cases:case_list"))
    assert case.number in response.content.decode()


def test_anonymous_is_sent_to_login(client: Any, case: Any) -> None:
    response = client.get(reverse("cases:case_overview", args=[case.pk]))
    assert response.status_code == 302 and "/konto/login/" in response["Location"]


def test_cpr_masked_by_default_and_reveal_is_logged_separately(client_for: Any, case: Any) -> None:
    client = client_for("sagsbehandler")
    body = client.get(reverse("cases:case_overview", args=[case.pk])).content.decode()
    assert "120385-XXXX" in body
    assert SERIAL not in body
    view = PersonalDataAccess.objects.get(what="case.view.overview")
    assert view.subject_id == str(case.citizen_id) and view.subject_ref == case.citizen.reference
    assert view.user_label == "u_sagsbehandler" and view.path == reverse(
        "cases:case_overview", args=[case.pk]
    )
    assert client.get(reverse("cases:case_cpr_reveal", args=[case.pk])).status_code == 405
    body = client.post(reverse("cases:case_cpr_reveal", args=[case.pk])).content.decode()
    assert "120385-1235" in body
    assert (
        PersonalDataAccess.objects.filter(
            what="case.cpr_reveal", subject_ref=case.citizen.reference
        ).count()
        == 1
    )


def test_each_tab_and_list_writes_access_records(client_for: Any, case: Any) -> None:
    client = client_for("anvisningsleder")
    for name in ["case_household", "case_economy", "case_shelter", "case_timeline"]:
        client.get(reverse(f"cases:{name}", args=[case.pk]))
    client.get(reverse("cases:case_list"))
    whats = set(PersonalDataAccess.objects.values_list("what", flat=True))
    assert {
        "case.view.household",
        "case.view.economy",
        "case.view.shelter",
        "case.view.timeline",
        "case.list",
    } <= whats


def test_cpr_is_encrypted_at_rest_and_absent_from_audit_and_logs(
    client_for: Any, users: Any, caplog: Any
) -> None:
    from django.db import connection

    caplog.set_level(logging.DEBUG)
    client = client_for("sagsbehandler")
    response = client.post(
        reverse("cases:case_create"),
        {
            "cpr": "010203-4568",
            "first_name": "Ida",
            "last_name": "Prøve",
            "preferred_contact": "phone",
            "situation": "rough_sleeping",
            "situation_since": "2026-01-01",
            "adults": "1",
        },
    )
    assert response.status_code == 302
    citizen = Citizen.objects.get(last_name="Prøve")
    assert citizen.cpr == "0102034568"
    with connection.cursor() as cursor:
        cursor.execute("SELECT cpr, cpr_hash FROM cases_citizen WHERE id = %s", [citizen.pk])
        raw_cpr, raw_hash = cursor.fetchone()
    assert "0102034568" not in raw_cpr and "4568" not in raw_cpr
    assert "0102034568" not in raw_hash
    for event in AuditEvent.objects.all():
        dumped = f"{event.before} {event.after} {event.note} {event.object_repr}"
        assert "4568" not in dumped and "010203" not in dumped
    assert all("4568" not in record.getMessage() for record in caplog.records)
    assert AuditEvent.objects.filter(action="cases.citizen_create").get().after["cpr"] == "***"


def test_create_form_gives_danish_messages(client_for: Any, users: Any) -> None:
    client = client_for("sagsbehandler")
    data = {
        "cpr": "320185-1234",
        "first_name": "",
        "last_name": "X",
        "preferred_contact": "phone",
        "situation": "release_no_address",
        "situation_since": "2026-01-01",
        "adults": "1",
    }
    body = client.post(reverse("cases:case_create"), data).content.decode()
    assert "skal være en gyldig dato" in body
    assert "Dette felt er påkrævet" in body
    assert "Vælg, hvor borgeren løslades eller udskrives fra" in body
    data.update(cpr="12345", first_name="A")
    body = client.post(reverse("cases:case_create"), data).content.decode()
    assert "DDMMÅÅ-XXXX" in body
    assert not Case.objects.exists()


def test_reentry_links_to_the_known_citizen(client_for: Any, case: Any) -> None:
    from anvis.cases.services import case_transition

    client = client_for("sagsbehandler")
    data = {
        "cpr": "1203851235",
        "first_name": "Karl",
        "last_name": "Testesen",
        "preferred_contact": "sms",
        "situation": "friends_family",
        "situation_since": "2026-01-01",
        "adults": "1",
    }
    body = client.post(reverse("cases:case_create"), data).content.decode()
    assert "allerede en åben sag" in body
    case_transition(actor=case.caseworker, case=case, status="closed")
    response = client.post(reverse("cases:case_create"), data)
    assert response.status_code == 302
    assert Citizen.objects.count() == 1
    assert case.citizen.cases.count() == 2


def test_economy_override_needs_a_reason(client_for: Any, case: Any) -> None:
    client = client_for("sagsbehandler")
    url = reverse("cases:case_edit", args=[case.pk, "oekonomi"])
    body = client.post(
        url, {"income_type": "cash_benefit", "income_amount": "10000", "max_rent_override": "4800"}
    ).content.decode()
    assert "Angiv en begrundelse" in body
    response = client.post(
        url,
        {
            "income_type": "cash_benefit",
            "income_amount": "10000",
            "housing_benefit": "1000",
            "max_rent_override": "4800",
            "max_rent_override_reason": "Familie hjælper",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.max_rent_override == 4800
    body = client.get(reverse("cases:case_economy", args=[case.pk])).content.decode()
    assert "4.500 kr." in body and "Familie hjælper" in body


def test_amounts_are_read_as_danes_type_them(client_for: Any, case: Any) -> None:
    """A typed "12.000" is twelve thousand kroner, not twelve (Django's own number field drops a
    trailing ".000"); a fraction of a krone is refused, not rounded away."""
    client = client_for("sagsbehandler")
    url = reverse("cases:case_edit", args=[case.pk, "oekonomi"])
    data = {"income_type": "cash_benefit", "housing_benefit": "1.250,00"}
    response = client.post(url, {**data, "income_amount": "12.345,5"})
    assert response.status_code == 422
    assert "Indtast et heltal." in response.content.decode()
    response = client.post(url, {**data, "income_amount": "12.000"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.income_amount, case.housing_benefit) == (12_000, 1_250)
    page = client.get(url).content.decode()
    assert 'value="12000"' in page and 'inputmode="numeric"' in page
    client.post(url, {**data, "income_amount": "12.000", "benefit_income": "180.000"})
    shown = client.get(reverse("cases:case_economy", args=[case.pk])).content.decode()
    assert "180.000 kr. om året" in shown


def test_notes_are_encrypted_and_shown_on_the_timeline(client_for: Any, case: Any) -> None:
    from django.db import connection

    client = client_for("sagsbehandler")
    client.post(reverse("cases:case_note", args=[case.pk]), {"text": "Hemmelig samtale om misbrug"})
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM cases_caseevent WHERE kind = 'note'")
        (raw,) = cursor.fetchone()
    assert "misbrug" not in raw
    body = client.get(reverse("cases:case_timeline", args=[case.pk])).content.decode()
    assert "Hemmelig samtale om misbrug" in body
    assert "misbrug" not in str(list(AuditEvent.objects.values_list("before", "after", "note")))


def test_list_filters_and_priority_order(client_for: Any, case: Any, users: Any) -> None:
    import datetime as dt

    from anvis.cases.services import case_create

    other = case_create(
        actor=users["sagsbehandler"],
        cpr="010100-4000",
        first_name="Ung",
        last_name="Person",
        situation="rough_sleeping",
        situation_since=dt.date(2026, 1, 1),
        today=dt.date(2026, 2, 1),
    )
    client = client_for("sagsbehandler")
    body = client.get(reverse("cases:case_list")).content.decode()
    assert body.index(other.number) < body.index(case.number)  # sleeping rough outranks § 110
    body = client.get(reverse("cases:case_list"), {"situation": "shelter_110"}).content.decode()
    assert case.number in body and other.number not in body
    body = client.get(reverse("cases:case_list"), {"age_band": "18-24"}).content.decode()
    assert other.number not in body and case.number not in body
    body = client.get(reverse("cases:case_list"), {"age_band": "40-49"}).content.decode()
    assert case.number in body


def test_a_huge_search_is_an_error_on_the_page_not_a_failed_query(
    client_for: Any, case: Any
) -> None:
    """SQLite refuses a LIKE pattern over 50,000 bytes; every list's text filter is limited."""
    response = client_for("sagsbehandler").post(reverse("cases:case_list"), {"q": "x" * 100_000})
    assert response.status_code == 422
    assert "højst have 200 tegn" in response.content.decode()


def test_closing_a_case_asks_for_a_confirmation_first(client_for: Any, case: Any) -> None:
    """A closed case cannot be reopened (the citizen gets a new case on re-entry), so the status
    form closes it only with the box ticked; without it the page says so and nothing changes."""
    import html

    client = client_for("sagsbehandler")
    page = client.get(reverse("cases:case_overview", args=[case.pk])).content.decode()
    assert 'name="confirm_close"' in page
    url = reverse("cases:case_status", args=[case.pk])
    refused = client.post(url, {"status": "closed"})
    assert refused.status_code == 422
    assert "kan ikke genåbnes" in html.unescape(refused.content.decode())
    case.refresh_from_db()
    assert case.status == "waiting"
    assert client.post(url, {"status": "closed", "confirm_close": "on"}).status_code == 302
    case.refresh_from_db()
    assert case.status == "closed"


def test_childrens_birth_dates_are_read_as_the_pages_write_dates(
    client_for: Any, case: Any
) -> None:
    """The household form takes a child's birth date as every page writes a date (04.03.2015),
    and as the other spellings Danes use, and shows the saved dates back the same way."""
    import html

    client = client_for("sagsbehandler")
    url = reverse("cases:case_edit", args=[case.pk, "husstand"])
    posted = client.post(
        url, {"adults": "1", "children_birth_dates": "03.04.2015\n7-1-2019\n2021-02-28"}
    )
    assert posted.status_code == 302
    assert sorted(c.birth_date.isoformat() for c in case.children.all()) == [
        "2015-04-03",
        "2019-01-07",
        "2021-02-28",
    ]
    form = html.unescape(client.get(url).content.decode())
    assert "03.04.2015" in form and "07.01.2019" in form
    wrong = client.post(url, {"adults": "1", "children_birth_dates": "31.02.2016"})
    assert wrong.status_code == 422
    assert "“31.02.2016” er ikke en dato" in html.unescape(wrong.content.decode())


def test_a_priority_over_a_thousand_is_written_with_a_thousands_separator(
    client_for: Any, case: Any
) -> None:
    Case.objects.filter(pk=case.pk).update(priority_total=1190)
    client = client_for("sagsbehandler")
    listed = client.get(reverse("cases:case_list")).content.decode()
    assert ">1.190</td>" in listed and ">1190</td>" not in listed


def test_each_remove_button_says_what_it_removes(client_for: Any, case: Any) -> None:
    """A screen reader lists the buttons by name: each "Fjern"/"Tilbagekald" on the case page
    names its row, not only the verb."""
    import re

    case.bar_events.create(kind="prison_release", date="2025-12-01")
    case.consents.create(scope="offer_organisation", given_on="2026-01-20")
    case.avoid_areas.create(district="Aalborg Øst", reason="Tidligere netværk")
    client = client_for("sagsbehandler")
    page = client.get(reverse("cases:case_shelter", args=[case.pk])).content.decode()
    page += client.get(reverse("cases:case_household", args=[case.pk])).content.decode()
    main = "".join(re.findall(r"<main.*?</main>", page, re.S))
    buttons = re.findall(r'<button type="submit" class="link-button">(.*?)</button>', main)
    assert len(buttons) == 3
    assert all('class="visually-hidden"' in b for b in buttons), buttons
    assert any("Aalborg Øst" in b for b in buttons)
