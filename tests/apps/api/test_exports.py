from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from anvis.audit.models import PersonalDataAccess

from .conftest import dwelling_of, make_case

pytestmark = pytest.mark.django_db


def _report(api: Any, org: Any, key: str) -> None:
    today = timezone.localdate()
    api(key).post(
        "/api/v1/vacancies/",
        {"dwelling": dwelling_of(org).pk, "notice_date": today.isoformat(),
         "available_from": (today + dt.timedelta(days=9)).isoformat()},
    )  # fmt: skip


def _csv(response: Any) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return [line.split(";") for line in text[1:].strip().split("\r\n")]


def test_dwelling_export_csv_scoped_and_filtered(api: Any, org_a: Any, org_b: Any) -> None:
    response = api("org_a").get("/api/v1/exports/dwellings/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="anvis-bestand.csv"' in response["Content-Disposition"]
    rows = _csv(response)
    assert rows[0][:3] == ["Boligorganisation", "CVR", "Afdelingsnr."]
    assert rows[0][-3:] == ["Trinfri", "Elevator", "Kørestol"]
    assert all(len(row) == 16 for row in rows)
    assert {r[1] for r in rows[1:]} == {"11111111"}
    assert len(rows) == 3
    filtered = _csv(api("org_a").get("/api/v1/exports/dwellings/", step_free="true"))
    assert len(filtered) == 2
    assert len(_csv(api("municipal").get("/api/v1/exports/dwellings/"))) == 5


def test_vacancy_export_xlsx(api: Any, org_a: Any, org_b: Any) -> None:
    _report(api, org_a, "org_a")
    _report(api, org_b, "org_b")
    response = api("org_a").get("/api/v1/exports/vacancies/", filetype="xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Id", "Boligorganisation", "Bolig")
    assert [r[1] for r in rows[1:]] == ["Alfa Boligselskab"]
    municipal = load_workbook(
        io.BytesIO(api("municipal").get("/api/v1/exports/vacancies/", filetype="xlsx").content)
    ).active
    assert municipal.max_row == 3


def test_unknown_filetype_is_a_problem(api: Any) -> None:
    response = api("org_a").get("/api/v1/exports/vacancies/", filetype="pdf")
    assert response.status_code == 400
    assert response.json()["errors"]["filetype"] == ["Vælg csv eller xlsx."]


def test_case_export_for_municipal_roles_records_personal_data_access(
    api: Any, users: dict[str, Any]
) -> None:
    case = make_case(users)
    response = api("municipal").get("/api/v1/exports/cases/")
    assert response.status_code == 200
    rows = _csv(response)
    assert rows[0][0] == "Sagsnummer"
    assert rows[1][0] == case.number
    assert rows[1][1] == case.citizen.reference and len(rows[0]) == len(rows[1]) == 8
    assert "Testesen" not in response.content.decode()
    access = PersonalDataAccess.objects.get()
    assert access.user == users["anvisningsleder"]
    assert access.subject_id == str(case.citizen_id)
    assert access.what == "case.export" and access.purpose == "export"
    xlsx = api("municipal").get("/api/v1/exports/cases/", filetype="xlsx")
    assert xlsx.status_code == 200
    assert PersonalDataAccess.objects.count() == 2


def test_ledger_api_and_export(api: Any, agreement: Any, org_a: Any) -> None:
    _report(api, org_a, "org_a")
    quarter = f"{timezone.localdate().year}-Q{(timezone.localdate().month - 1) // 3 + 1}"
    response = api("municipal").get("/api/v1/ledger/", agreement=agreement.pk, quarter=quarter)
    assert response.status_code == 200, response.content
    body = response.json()
    alfa = next(r for r in body["rows"] if r["label"] == "Alfa Boligselskab")
    assert alfa["quarter"]["eligible"] == 1
    assert alfa["quarter"]["pending"] == 1
    assert body["total_quarter"]["expected"] == "1.00"
    bad = api("municipal").get("/api/v1/ledger/", agreement=agreement.pk, quarter="2026-Q9")
    assert bad.status_code == 400
    assert bad.json()["errors"]["quarter"] == ["Skriv kvartalet som ÅÅÅÅ-Qn, fx 2026-Q1."]
    assert api("municipal").get("/api/v1/ledger/", agreement=999999).status_code == 404
    export = api("municipal").get(
        "/api/v1/exports/ledger/", agreement=agreement.pk, quarter=quarter
    )
    rows = _csv(export)
    # The page's column spec (anvis.agreements.tables): one header, one meaning.
    assert rows[0][:3] == ["Boligorganisation", "Kvartal", "Egnede"]
    assert any(r[0] == "Alfa Boligselskab" and r[2] == "1" for r in rows[1:])


def test_downloads_page_links_what_the_role_may_download(client_for: Any, agreement: Any) -> None:
    page = client_for("boligorganisation").get("/api/udtraek/").content.decode()
    assert "Udtræk" in page
    assert "/api/v1/exports/vacancies/?filetype=xlsx" in page
    assert "/api/v1/exports/cases/" not in page
    assert "/api/v1/exports/ledger/" not in page
    page = client_for("anvisningsleder").get("/api/udtraek/").content.decode()
    assert "/api/v1/exports/cases/?filetype=csv" in page
    assert f"/api/v1/exports/ledger/?agreement={agreement.pk}" in page
    # The files behind the links download with the session.
    response = client_for("anvisningsleder").get("/api/v1/exports/vacancies/?filetype=csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"


def test_control_characters_in_stock_data_do_not_break_the_workbook(api: Any, org_a: Any) -> None:
    """Regression: the API and the imports accept control characters in text, which an XLSX
    cell cannot hold; the export was a server error."""
    dwelling = dwelling_of(org_a)
    dwelling.door = "t\x01v"
    dwelling.save()
    response = api("org_a").get("/api/v1/exports/dwellings/", filetype="xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert "tv" in {row[8] for row in rows[1:]}
