"""The administrators' search of the audit trail and the access log: filters, paging, read-only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from anvis.audit.models import AuditEvent, PersonalDataAccess
from anvis.audit.services import audit_record, personal_data_access_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail(users: dict[str, Any]) -> None:
    for i in range(3):
        audit_record(
            actor=users["anvisningsleder"],
            action="agreements.version_create",
            object_type="agreements.AgreementVersion",
            object_id=100 + i,
            object_repr=f"Version {i}",
        )
    audit_record(
        actor=users["sagsbehandler"],
        action="cases.case_create",
        object_type="cases.Case",
        object_id=7,
        object_repr="S-2026-00007",
    )
    personal_data_access_record(
        user=users["sagsbehandler"], subject_id=7, subject_ref="S-2026-00007", what="case.view"
    )
    personal_data_access_record(
        user=users["anvisningsleder"], subject_id=8, subject_ref="S-2026-00008", what="case.view"
    )


def test_audit_search_filters(client_for: Any, trail: None) -> None:
    client = client_for("administrator")
    page = client.get("/sikkerhed/revisionsspor/").content.decode()
    assert "Revisionsspor" in page and "S-2026-00007" in page and "Version 2" in page
    page = client.get("/sikkerhed/revisionsspor/", {"actor": "sagsbeh"}).content.decode()
    assert "S-2026-00007" in page and "Version 2" not in page
    page = client.get("/sikkerhed/revisionsspor/", {"object": "101"}).content.decode()
    assert "Version 1" in page and "Version 2" not in page
    page = client.get("/sikkerhed/revisionsspor/", {"action": "version"}).content.decode()
    assert "Version 0" in page and "S-2026-00007" not in page
    today = timezone.localdate()
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    page = client.get("/sikkerhed/revisionsspor/", {"date_from": tomorrow}).content.decode()
    assert "Ingen hændelser matcher søgningen." in page
    page = client.get(
        "/sikkerhed/revisionsspor/", {"date_from": today.isoformat(), "date_to": today.isoformat()}
    ).content.decode()
    assert "S-2026-00007" in page


def test_bad_date_in_the_search_is_a_danish_form_error(client_for: Any, trail: None) -> None:
    response = client_for("administrator").get("/sikkerhed/revisionsspor/", {"date_from": "x"})
    assert response.status_code == 200
    assert "Indtast en gyldig dato." in response.content.decode()


def test_access_log_search(client_for: Any, trail: None) -> None:
    client = client_for("administrator")
    found = client.post("/sikkerhed/adgangslog/", {"subject": "S-2026-00008"})
    page = client.get(found.url).content.decode()
    assert "S-2026-00008" in page and "S-2026-00007" not in page
    found = client.post("/sikkerhed/adgangslog/", {"user": "anvisning"})
    page = client.get(found.url).content.decode()
    assert "S-2026-00008" in page and "S-2026-00007" not in page


def test_audit_pages_are_paginated(client_for: Any, users: dict[str, Any]) -> None:
    AuditEvent.objects.bulk_create(
        AuditEvent(actor_label="x", action="test.bulk", object_type="t", object_id=str(i))
        for i in range(120)
    )
    page = client_for("administrator").get("/sikkerhed/revisionsspor/").content.decode()
    assert "Side 1 af 3" in page


def test_access_log_search_by_cpr_keeps_the_number_out_of_the_url(
    client_for: Any, users: dict[str, Any]
) -> None:
    # "Who has looked at me?" comes with a CPR number: the search is posted and the number
    # kept in the session (as the case list's), never in the address, the server's access
    # log or the browser's history; a number typed into the address is not read.
    from anvis.cases.services import case_create

    case = case_create(
        actor=users["sagsbehandler"],
        cpr="010190-1235",
        first_name="Eskild",
        last_name="Qvist",
        situation="rough_sleeping",
        situation_since=dt.date(2026, 1, 5),
        today=dt.date(2026, 2, 1),
    )
    citizen = case.citizen
    personal_data_access_record(
        user=users["sagsbehandler"],
        subject_id=citizen.pk,
        subject_ref=citizen.reference,
        what="case.view",
    )
    personal_data_access_record(
        user=users["sagsbehandler"],
        subject_id=citizen.pk + 1000,
        subject_ref="B-OTHER",
        what="case.view",
    )
    client = client_for("administrator")
    response = client.post("/sikkerhed/adgangslog/", {"subject": "010190-1235"})
    assert response.status_code == 302
    assert "0101901235" not in response.url and "010190" not in response.url
    page = client.get(response.url).content.decode()
    assert citizen.reference in page and "B-OTHER" not in page
    typed = client.get("/sikkerhed/adgangslog/", {"subject": "010190-1235"}).content.decode()
    assert "B-OTHER" in typed  # the address's term is not read: the whole log


def test_pages_are_read_only(client_for: Any, trail: None) -> None:
    client = client_for("administrator")
    assert client.post("/sikkerhed/revisionsspor/", {"action": "x"}).status_code == 405
    for url in ("/sikkerhed/revisionsspor/", "/sikkerhed/adgangslog/"):
        assert client.delete(url).status_code == 405
    # The access log's search is posted (a CPR number stays out of the address); it writes
    # nothing.
    assert client.post("/sikkerhed/adgangslog/", {"what": "x"}).status_code == 302
    assert AuditEvent.objects.count() == 4
    assert PersonalDataAccess.objects.count() == 2


def test_audit_rows_cannot_be_changed_or_deleted_in_the_admin(client_for: Any, trail: None) -> None:
    client = client_for("administrator")
    event = AuditEvent.objects.first()
    assert event is not None
    response = client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"})
    assert response.status_code in {302, 403}
    assert AuditEvent.objects.filter(pk=event.pk).exists()
    response = client.post(f"/admin/audit/auditevent/{event.pk}/change/", {"action": "changed"})
    event.refresh_from_db()
    assert event.action != "changed"


@pytest.mark.parametrize("role", ["sagsbehandler", "anvisningsleder", "styregruppe"])
def test_only_administrators_search(client_for: Any, role: str) -> None:
    assert client_for(role).get("/sikkerhed/revisionsspor/").status_code == 403
    assert client_for(role).get("/sikkerhed/adgangslog/").status_code == 403


def test_menu_shows_the_audit_trail_to_administrators_only(client_for: Any) -> None:
    assert "/sikkerhed/revisionsspor/" in client_for("administrator").get("/").content.decode()
    assert "/sikkerhed/revisionsspor/" not in client_for("sagsbehandler").get("/").content.decode()


def test_access_records_for_a_list_page_in_one_query(
    users: dict[str, Any], django_assert_num_queries: Any
) -> None:
    from anvis.audit.services import Purpose, Subject, personal_data_read

    with django_assert_num_queries(1):
        rows = personal_data_read(
            user=users["sagsbehandler"],
            subjects=[Subject(id=i, ref=f"B-{i:05d}") for i in range(30)],
            what="case.list",
            purpose=Purpose.CASEWORK,
        )
    assert len(rows) == 30
    assert (
        PersonalDataAccess.objects.filter(what="case.list", user_label="u_sagsbehandler").count()
        == 30
    )


def test_access_log_search_by_case_number_finds_the_citizens_reads(
    client_for: Any, world: dict[str, Any], users: dict[str, Any]
) -> None:
    """The field is "Citizen or case": reads are recorded by the citizen's reference (B-…), so
    a case number (S-…) must find the reads of its citizen, not an empty list that says no one
    looked."""
    from anvis.audit.services import Purpose, citizen_subject, personal_data_read

    case = world["case"]
    personal_data_read(
        user=users["sagsbehandler"],
        subjects=[citizen_subject(case.citizen)],
        what="case.view.overview",
        purpose=Purpose.CASEWORK,
    )
    client = client_for("administrator")
    for term in (case.number, case.number.lower(), case.citizen.reference):
        page = client.get("/sikkerhed/adgangslog/", {"subject": term}).content.decode()
        assert case.citizen.reference in page and "case.view.overview" in page, term
