from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from anvis.agreements import services
from anvis.agreements.models import (
    AgreementVersion,
    AllocationAgreement,
    DepartmentStep,
    HandheldRequest,
)

pytestmark = pytest.mark.django_db

ROLES = ["sagsbehandler", "anvisningsleder", "boligorganisation", "styregruppe", "administrator"]


@pytest.mark.parametrize("role", ROLES)
def test_viewing_pages_for_every_role(client_for: Any, agreement: Any, role: str) -> None:
    client = client_for(role)
    for url in [
        "/aftaler/",
        f"/aftaler/{agreement.pk}/",
        f"/aftaler/{agreement.pk}/trin/",
        "/aftaler/regnskab/",
    ]:
        assert client.get(url).status_code == 200, url
    # A håndholdt request is about one citizen: the parties read them, the steering group not.
    handheld = client.get("/aftaler/haandholdt/").status_code
    assert handheld == (403 if role == "styregruppe" else 200)
    edit = client.get(f"/aftaler/{agreement.pk}/versioner/ny/").status_code
    assert edit == (200 if role in {"anvisningsleder", "administrator"} else 404)
    create = client.get("/aftaler/ny/").status_code
    assert create == (200 if role in {"anvisningsleder", "administrator"} else 403)
    reassess = client.get(f"/aftaler/{agreement.pk}/revurdering/").status_code
    assert reassess == (404 if role == "boligorganisation" else 200)


def test_organisation_staff_see_only_their_own(
    client_for: Any, agreement: Any, users: dict[str, Any], org_a: Any, org_b: Any
) -> None:
    for org in (org_a, org_b):
        services.department_step_set(
            actor=users["anvisningsleder"],
            agreement=agreement,
            department=org.departments.get(),
            label="Trin 1",
            share_percent=Decimal("25"),
            valid_from=dt.date(2024, 1, 1),
            reason=f"Standard {org.name}",
        )
    page = client_for("boligorganisation").get(f"/aftaler/{agreement.pk}/trin/").content.decode()
    assert f"Standard {org_a.name}" in page
    assert f"Standard {org_b.name}" not in page
    ledger = client_for("boligorganisation").get("/aftaler/regnskab/").content.decode()
    assert org_a.name in ledger and org_b.name not in ledger
    assert org_b.name in client_for("styregruppe").get("/aftaler/regnskab/").content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_parties_link_only_to_pages_the_user_may_open(
    client_for: Any, agreement: Any, org_a: Any, org_b: Any, role: str
) -> None:
    client = client_for(role)
    page = client.get(f"/aftaler/{agreement.pk}/").content.decode()
    for org in (org_a, org_b):
        assert org.name in page
        link = f'href="/bestand/organisationer/{org.pk}/"'
        opens = client.get(f"/bestand/organisationer/{org.pk}/").status_code == 200
        # A party's name links to its page exactly when the user may open that page; an
        # organisation's staff open only their own.
        assert (link in page) == opens, (org.name, opens)
    if role == "boligorganisation":
        assert f'href="/bestand/organisationer/{org_b.pk}/"' not in page


def test_agreement_not_party_is_hidden(client_for: Any, users: dict[str, Any], org_b: Any) -> None:
    other = services.agreement_create(
        actor=users["anvisningsleder"],
        municipality="X",
        title="Kun B",
        period_start=dt.date(2024, 1, 1),
        parties=[org_b],
    )
    assert client_for("boligorganisation").get(f"/aftaler/{other.pk}/").status_code == 404
    assert client_for("org_b").get(f"/aftaler/{other.pk}/").status_code == 200


def test_create_agreement_with_danish_validation(client_for: Any, org_a: Any) -> None:
    client = client_for("anvisningsleder")
    response = client.post(
        "/aftaler/ny/",
        {
            "municipality": "Aalborg Kommune",
            "title": "Ny",
            "parties": [org_a.pk],
            "period_start": "2025-01-01",
            "period_end": "2024-12-31",
        },
    )
    assert response.status_code == 422
    assert "Slutdatoen skal ligge efter startdatoen." in response.content.decode()
    response = client.post(
        "/aftaler/ny/",
        {
            "municipality": "Aalborg Kommune",
            "title": "Ny",
            "parties": [org_a.pk],
            "period_start": "2025-01-01",
        },
    )
    assert response.status_code == 302
    assert AgreementVersion.objects.filter(
        agreement__title="Ny", valid_from=dt.date(2025, 1, 1)
    ).exists()


def _version_data(**changes: Any) -> dict[str, Any]:
    """A new version's form as the page posts it."""
    data: dict[str, Any] = dict.fromkeys(AgreementVersion.TERM_FIELDS, "")
    data.update(
        {
            "valid_from": "2026-12-08",
            "rent_ceiling": "5000",
            "rent_ceiling_basis": "net",
            "rent_ceiling_comparison": "at_most",
            "rent_target": "3500",
            "municipal_share_percent": "25",
            "covered_dwelling_types": ["family"],
            "response_deadline_working_days": "7",
            "offer_response_working_days": "5",
            "void_rent_payer": "municipality",
            "void_rent_from": "acceptance",
            "void_rent_convention": "daily",
            "guarantee_period_months": "12",
        }
    )
    data.update(changes)
    return data


def test_a_rent_ceiling_of_0_kr_is_refused_and_the_target_still_compared(
    client_for: Any, agreement: Any
) -> None:
    client = client_for("anvisningsleder")
    url = f"/aftaler/{agreement.pk}/versioner/ny/"
    response = client.post(url, _version_data(rent_ceiling="0"))
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert errors["rent_ceiling"] == ["Huslejeloftet skal være mindst 1 kr. om måneden."]
    # A negative ceiling gets the same message, not Django's generic "at least 0".
    response = client.post(url, _version_data(rent_ceiling="-5"))
    assert response.context["form"].errors["rent_ceiling"] == [
        "Huslejeloftet skal være mindst 1 kr. om måneden."
    ]
    assert agreement.versions.count() == 1
    # The target (3,500 kr) is compared with any ceiling that is valid.
    response = client.post(url, _version_data(rent_ceiling="3000"))
    assert response.context["form"].errors["rent_target"] == [
        "Huslejemålet kan ikke ligge over huslejeloftet."
    ]
    assert client.post(url, _version_data(rent_ceiling="1", rent_target="1")).status_code == 302


def test_new_version_prefilled_and_validated(client_for: Any, agreement: Any) -> None:
    client = client_for("anvisningsleder")
    page = client.get(f"/aftaler/{agreement.pk}/versioner/ny/").content.decode()
    assert 'value="5000"' in page
    data = dict.fromkeys(AgreementVersion.TERM_FIELDS, "")
    data.update(
        {
            "valid_from": "2026-01-01",
            "rent_ceiling": "4800",
            "rent_ceiling_basis": "net",
            "rent_ceiling_comparison": "at_most",
            "rent_target": "3500",
            "municipal_share_percent": "130",
            "covered_dwelling_types": ["family"],
            "response_deadline_working_days": "7",
            "offer_response_working_days": "5",
            "void_rent_payer": "municipality",
            "void_rent_from": "acceptance",
            "void_rent_convention": "daily",
            "guarantee_period_months": "12",
        }
    )
    response = client.post(f"/aftaler/{agreement.pk}/versioner/ny/", data)
    assert "Den kommunale andel skal være mellem 0 og 100 %." in response.content.decode()
    data["municipal_share_percent"] = "30"
    assert client.post(f"/aftaler/{agreement.pk}/versioner/ny/", data).status_code == 302
    detail = client.get(f"/aftaler/{agreement.pk}/").content.decode()
    assert "<del>25 %</del>" in detail and "<strong>30 %</strong>" in detail


def test_set_step_and_handheld_via_ui(client_for: Any, agreement: Any, org_a: Any) -> None:
    lead = client_for("anvisningsleder")
    dept = org_a.departments.get()
    response = lead.post(
        f"/aftaler/{agreement.pk}/trin/ny/",
        {
            "department": dept.pk,
            "label": "Trin 2",
            "share_percent": "40",
            "valid_from": "2024-02-01",
            "reason": "Kan tage flere",
        },
    )
    assert response.status_code == 302
    assert DepartmentStep.objects.get(department=dept).approved_by.username == "u_anvisningsleder"
    response = client_for("sagsbehandler").post(
        "/aftaler/haandholdt/ny/",
        {
            "case_reference": "HF-7",
            "rooms": "2",
            "max_rent": "4000",
            "need": "CPR 0101901234",
            "requested_on": "2025-01-01",
        },
    )
    assert "Skriv ikke CPR-numre her" in response.content.decode()
    assert not HandheldRequest.objects.exists()
    assert client_for("boligorganisation").post("/aftaler/haandholdt/ny/", {}).status_code == 403


def test_ledger_csv(client_for: Any, agreement: Any) -> None:
    response = client_for("styregruppe").get(f"/aftaler/regnskab/?aftale={agreement.pk}&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "Boligorganisation" in response.content.decode()


def test_ledger_status_filter_keeps_the_totals_of_every_line(
    client_for: Any, agreement: Any, org_a: Any, org_b: Any
) -> None:
    # No vacancies yet: every party's line is grey ("no figures"), none is red.
    c = client_for("styregruppe")
    grey = c.get("/aftaler/regnskab/", {"aftale": agreement.pk, "status": "grey"}).content.decode()
    assert org_a.name in grey and org_b.name in grey
    red = c.get("/aftaler/regnskab/", {"aftale": agreement.pk, "status": "red"}).content.decode()
    assert org_a.name not in red and org_b.name not in red
    assert "Total, alle linjer" in red


def test_ledger_spreadsheet(client_for: Any, agreement: Any, org_a: Any) -> None:
    import io

    from openpyxl import load_workbook

    response = client_for("styregruppe").get(
        "/aftaler/regnskab/", {"aftale": agreement.pk, "format": "xlsx"}
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Boligorganisation"
    assert org_a.name in [r[0] for r in rows[1:]]
    eligible = rows[0].index("Egnede")
    assert all(isinstance(r[eligible], int) for r in rows[1:])  # numbers, not text


def test_a_party_cannot_be_in_two_agreements_in_force_at_once(
    client_for: Any, agreement: Any, org_a: Any, org_b: Any
) -> None:
    """The fixture's agreement (A and B, 01.01.2024 – 31.12.2027) is in force for A; a second
    agreement with A from 01.01.2027 would make the turn engine, the ledger and the report judge
    A's vacancies by the newer one. Refused on the parties field, naming the other agreement."""
    client = client_for("anvisningsleder")
    new = {"municipality": "Aalborg Kommune", "title": "Ny aftale", "parties": [org_a.pk]}
    response = client.post("/aftaler/ny/", {**new, "period_start": "2027-01-01"})
    assert response.status_code == 422
    message = (
        f"{org_a.name} er allerede part i aftalen “Udlejningsaftale” (01.01.2024 – 31.12.2027), "
        "hvis periode overlapper denne."
    )
    assert any(message in e for e in response.context["form"].errors["parties"])
    assert message in response.content.decode()
    assert not AllocationAgreement.objects.filter(title="Ny aftale").exists()
    # From the day after the other agreement ends, A may join the new one.
    response = client.post("/aftaler/ny/", {**new, "period_start": "2028-01-01"})
    assert response.status_code == 302
    later = AllocationAgreement.objects.get(title="Ny aftale")
    # Editing either agreement into an overlap is refused the same way.
    response = client.post(f"/aftaler/{later.pk}/rediger/", {**new, "period_start": "2027-06-01"})
    assert response.status_code == 422
    assert message in response.content.decode()
    response = client.post(
        f"/aftaler/{agreement.pk}/rediger/",
        {
            "municipality": "Aalborg Kommune",
            "title": "Udlejningsaftale",
            "parties": [org_a.pk, org_b.pk],
            "period_start": "2024-01-01",
            "signed_on": "2023-12-01",
        },
    )
    assert response.status_code == 422
    assert "aftalen “Ny aftale” (fra 01.01.2028, indtil den opsiges)" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.period_end == dt.date(2027, 12, 31)


def test_a_version_in_force_says_so_and_offers_no_edit(client_for: Any, agreement: Any) -> None:
    """The first version (from 01.01.2024) is in force and has judged nothing: the history says
    it is in force, has no edit link, and the edit page sends the lead back with the reason."""
    client = client_for("anvisningsleder")
    version = agreement.versions.get()
    assert not version.turn_records.exists()
    detail = client.get(f"/aftaler/{agreement.pk}/").content.decode()
    assert "Gældende, ingen ledige boliger afgjort endnu" in detail
    assert f"/aftaler/versioner/{version.pk}/rediger/" not in detail
    response = client.post(
        f"/aftaler/versioner/{version.pk}/rediger/", {"rent_ceiling": "9000"}, follow=True
    )
    assert "Denne version har været gældende siden 01.01.2024" in response.content.decode()
    version.refresh_from_db()
    assert version.rent_ceiling == 5000


def test_the_period_cannot_end_before_a_later_version_starts(
    client_for: Any, agreement: Any, users: dict[str, Any], org_a: Any, org_b: Any
) -> None:
    services.agreement_version_create(
        actor=users["anvisningsleder"],
        agreement=agreement,
        valid_from=dt.date(2027, 3, 1),
        rent_ceiling=5200,
    )
    client = client_for("anvisningsleder")
    data = {
        "municipality": "Aalborg Kommune",
        "title": "Udlejningsaftale",
        "parties": [org_a.pk, org_b.pk],
        "signed_on": "2023-12-01",
        "period_start": "2024-01-01",
        "period_end": "2027-01-31",
    }
    response = client.post(f"/aftaler/{agreement.pk}/rediger/", data)
    assert response.status_code == 422
    assert response.context["form"].errors["period_end"] == [
        "Aftalen kan ikke slutte, før dens version gældende fra 01.03.2027 begynder. "
        "Lad den slutte på den dato eller senere."
    ]
    agreement.refresh_from_db()
    assert agreement.period_end == dt.date(2027, 12, 31)
    # Ending on the version's first day leaves it one day in force: allowed.
    data["period_end"] = "2027-03-01"
    assert client.post(f"/aftaler/{agreement.pk}/rediger/", data).status_code == 302
    detail = client.get(f"/aftaler/{agreement.pk}/").content.decode()
    assert "01.03.2027 – 01.03.2027" in detail


def test_new_version_starts_on_the_first_day_a_change_is_allowed(
    client_for: Any, agreement: Any, users: dict[str, Any], org_a: Any
) -> None:
    """A vacancy reported and judged today: a version from today would be refused, so the form
    starts on tomorrow, which is accepted."""
    from django.utils import timezone

    from anvis.stock.models import Dwelling

    today = timezone.localdate()
    services.agreement_update(actor=users["anvisningsleder"], agreement=agreement, period_end=None)
    client = client_for("anvisningsleder")
    url = f"/aftaler/{agreement.pk}/versioner/ny/"
    assert f'name="valid_from" value="{today.isoformat()}"' in client.get(url).content.decode()
    dwelling = Dwelling.objects.get(entrance__department__organisation=org_a, rent=3100)
    services.turn_decide(dwelling=dwelling, report_date=today)
    tomorrow = today + dt.timedelta(days=1)
    page = client.get(url).content.decode()
    assert f'name="valid_from" value="{tomorrow.isoformat()}"' in page
    refused = client.post(url, _version_data(valid_from=today.isoformat()))
    assert refused.status_code == 422
    response = client.post(url, _version_data(valid_from=tomorrow.isoformat()))
    assert response.status_code == 302
    assert agreement.versions.filter(valid_from=tomorrow).exists()


def test_shares_take_a_decimal_comma(
    client_for: Any, agreement: Any, users: dict[str, Any], org_a: Any
) -> None:
    client = client_for("anvisningsleder")
    url = f"/aftaler/{agreement.pk}/versioner/ny/"
    assert 'name="municipal_share_percent" value="25,00"' in client.get(url).content.decode()
    response = client.post(url, _version_data(municipal_share_percent="27,5"))
    assert response.status_code == 302
    assert agreement.versions.get(valid_from=dt.date(2026, 12, 8)).municipal_share_percent == (
        Decimal("27.5")
    )
    dept = org_a.departments.get()
    response = client.post(
        f"/aftaler/{agreement.pk}/trin/ny/",
        {
            "department": dept.pk,
            "label": "Trin 2",
            "share_percent": "40,5",
            "valid_from": "2024-02-01",
            "reason": "Kan tage flere",
        },
    )
    assert response.status_code == 302
    assert DepartmentStep.objects.get(department=dept).share_percent == Decimal("40.5")
    reassessment = services.step_proposals_submit(
        actor=users["anvisningsleder"], year=2026, proposals=[], agreement=agreement
    )
    response = client.post(
        f"/aftaler/revurdering/{reassessment.pk}/",
        {"department": dept.pk, "share_percent": "12,5", "reason": "Færre"},
    )
    assert response.status_code == 302
    assert reassessment.proposals.get().share_percent == Decimal("12.5")


def test_the_version_form_speaks_of_hverdage_and_says_each_error_once(
    client_for: Any, agreement: Any
) -> None:
    client = client_for("anvisningsleder")
    url = f"/aftaler/{agreement.pk}/versioner/ny/"
    response = client.post(
        url, _version_data(response_deadline_working_days="61", covered_dwelling_types=[])
    )
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert errors["response_deadline_working_days"] == ["Fristen kan højst være 60 hverdage."]
    assert errors["covered_dwelling_types"] == ["Vælg mindst én boligtype."]
    html = response.content.decode()
    assert "arbejdsdage" not in html
    assert "kommunens svarfrist (hverdage)" in html.lower()
    assert html.count("Vælg mindst én boligtype.") == 1


def test_money_terms_are_written_as_money(
    client_for: Any, agreement: Any, users: dict[str, Any]
) -> None:
    services.agreement_version_create(
        actor=users["anvisningsleder"],
        agreement=agreement,
        valid_from=dt.date(2024, 6, 1),
        rent_ceiling=4000,
        guarantee_max_repairs=25000,
    )
    detail = client_for("anvisningsleder").get(f"/aftaler/{agreement.pk}/").content.decode()
    assert "<del>5.000 kr.</del> → <strong>4.000 kr.</strong>" in detail
    assert "<del>–</del> → <strong>25.000 kr.</strong>" in detail
    assert "<dd>4.000 kr.</dd>" in detail  # the terms in force
    assert ">5000<" not in detail and ">4000<" not in detail


def test_a_refused_reassessment_approval_names_the_department(
    client_for: Any, agreement: Any, users: dict[str, Any], org_a: Any
) -> None:
    from anvis.stock.models import Dwelling

    dept = org_a.departments.get()
    reassessment = services.step_proposals_submit(
        actor=users["anvisningsleder"],
        year=2024,
        proposals=[(dept, Decimal("40"), "Kan tage flere")],
        agreement=agreement,
    )
    dwelling = Dwelling.objects.get(entrance__department=dept, rent=3100)
    services.turn_decide(dwelling=dwelling, report_date=dt.date(2025, 1, 6))
    response = client_for("anvisningsleder").post(
        f"/aftaler/revurdering/{reassessment.pk}/godkend/",
        {"effective_from": "2025-01-01"},
    )
    assert response.status_code == 422
    assert (
        f"Ledige boliger i afdeling {dept.number} {dept.name} meldt til og med 06.01.2025 er "
        "allerede afgjort; afdelingens nye trin skal gælde fra 07.01.2025 eller senere."
    ) in response.content.decode()


def test_opening_a_reassessment_year_is_audited(client_for: Any, agreement: Any) -> None:
    from anvis.audit.models import AuditEvent

    client = client_for("anvisningsleder")
    url = f"/aftaler/{agreement.pk}/revurdering/"
    response = client.post(url, {"year": 2026})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="agreements.reassessment_open")
    assert event.object_type == "agreements.StepReassessment"
    # Opening the same year again shows it and writes nothing more.
    assert client.post(url, {"year": 2026}).status_code == 302
    assert AuditEvent.objects.filter(action="agreements.reassessment_open").count() == 1
