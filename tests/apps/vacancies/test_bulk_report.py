"""Bulk report of vacancies by file: all or nothing, every bad row with its line, in Danish."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from anvis.common.importing import parse_date
from anvis.notifications.models import Notification
from anvis.stock.models import Dwelling, Entrance
from anvis.vacancies.importing import report_vacancies
from anvis.vacancies.models import Vacancy

pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "examples" / "vacancies-report.csv"
DAY = dt.date(2026, 3, 4)
HEADER = "cvr;afdelingsnr;adresse;etage;doer;opsigelsesdato;ledig_fra;husleje;bemaerkninger\n"


def _csv(*lines: str) -> bytes:
    return (HEADER + "\n".join(lines) + "\n").encode()


def _errors(result: Any) -> list[str]:
    return [str(e) for e in result.errors]


def test_example_file_reports_every_row(
    users: dict[str, Any], agreement: Any, org_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    entrance = Entrance.objects.get(department__organisation=org_a)
    Dwelling.objects.create(
        entrance=entrance,
        floor="2",
        door="tv",
        rooms=2,
        area_m2=60,
        rent=4250,
        dar_id=uuid.UUID("0f3c6a52-7d1e-4c55-9d0b-2d6f3a1b9e10"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = report_vacancies(
            EXAMPLE.read_bytes(), EXAMPLE.name, actor=users["boligorganisation"], report_date=DAY
        )
    assert result.ok, _errors(result)
    assert result.rows == 3
    first, second, third = sorted(result.vacancies, key=lambda v: v.pk)
    assert (first.notice_date, first.available_from, first.rent_at_letting) == (
        dt.date(2026, 3, 2),
        dt.date(2026, 4, 1),
        3100,
    )
    assert first.remarks == "Nyistandsat køkken"
    assert first.status == "municipal" and first.report_date == DAY
    assert second.rent_at_letting == 5600  # empty: the dwelling's rent
    assert second.status == "ordinary"  # over the agreement's rent ceiling
    assert third.available_from == dt.date(2026, 5, 1)
    assert Notification.objects.filter(kind="vacancy_municipal").count() == 2


def test_all_or_nothing_with_every_bad_row_in_danish(
    users: dict[str, Any], agreement: Any, org_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    data = _csv(
        "11111111;101;Alfavej 1;st;tv;02-03-2026;01-04-2026;3100;",
        "11111111;101;Alfavej 9;;;02-03-2026;01-04-2026;;",
        "11111111;101;Alfavej 1;1;th;02-03-2026;31-02-2026;tre;",
        "11111111;101;Alfavej 1;st;tv;02-03-2026;01-04-2026;;",
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = report_vacancies(data, "ledige.csv", actor=users["boligorganisation"])
    assert not result.ok
    assert _errors(result) == [
        "Linje 3: ingen bolig hos jer med CVR 11111111, afdeling 101, Alfavej 9, etage '', dør ''",
        "Linje 4, kolonne 'husleje': skal være et helt tal (fik 'tre')",
        "Linje 4, kolonne 'ledig_fra': skal være en dato som 04-03-2026 (fik '31-02-2026')",
        "Linje 5: samme bolig står også i linje 2",
    ]
    assert not Vacancy.objects.exists()
    assert not Notification.objects.exists()


def test_service_errors_roll_back_the_rows_already_reported(
    users: dict[str, Any], agreement: Any, org_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    data = _csv(
        "11111111;101;Alfavej 1;st;tv;02-03-2026;01-04-2026;;",
        "11111111;101;Alfavej 1;1;th;02-03-2026;01-02-2026;;",
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = report_vacancies(data, "ledige.csv", actor=users["boligorganisation"])
    assert _errors(result) == [
        "Linje 3, kolonne 'ledig_fra': Boligen kan ikke være ledig før lejerens opsigelsesdato."
    ]
    assert not Vacancy.objects.exists()
    assert not Notification.objects.exists()  # the first row's notification was not sent


def test_open_vacancy_and_other_organisation_refused(
    users: dict[str, Any], agreement: Any, org_a: Any, org_b: Any
) -> None:
    ok = report_vacancies(
        _csv("11111111;101;Alfavej 1;st;tv;02-03-2026;01-04-2026;;"),
        "a.csv",
        actor=users["boligorganisation"],
    )
    assert ok.ok
    again = report_vacancies(
        _csv(
            "11111111;101;Alfavej 1;st;tv;02-03-2026;01-04-2026;;",
            "22222222;202;Betavej 2;st;tv;02-03-2026;01-04-2026;;",
        ),
        "a.csv",
        actor=users["boligorganisation"],
    )
    assert _errors(again) == [
        "Linje 3: ingen bolig hos jer med CVR 22222222, afdeling 202, Betavej 2, etage 'st', dør 'tv'",
    ]
    only_open = report_vacancies(
        _csv("11111111;101;Alfavej 1;st;tv;02-03-2026;01-04-2026;;"),
        "a.csv",
        actor=users["boligorganisation"],
    )
    reported = Vacancy.objects.get().report_date.strftime("%d.%m.%Y")
    assert _errors(only_open) == [
        f"Linje 2: Boligen har allerede en åben ledighed, indberettet {reported} (Kommunal tur, "
        "afventer svar); den kan ikke indberettes som ledig igen, før den ledighed er afsluttet."
    ]
    assert Vacancy.objects.count() == 1


def test_missing_and_unknown_columns(users: dict[str, Any]) -> None:
    result = report_vacancies(
        "adresse;ledig_fra;farve\nAlfavej 1;01-04-2026;rød\n".encode(),
        "x.csv",
        actor=users["boligorganisation"],
    )
    assert _errors(result) == [
        "Linje 1, kolonne 'opsigelsesdato': påkrævet kolonne mangler",
        "Linje 1: filen skal have kolonnen dar_bolig eller cvr, afdelingsnr og adresse",
        "Linje 1, kolonne 'farve': ukendt kolonne",
    ]
    assert _errors(report_vacancies(b"x", "x.pdf", actor=users["boligorganisation"]))[0].startswith(
        "Linje 1: Ukendt filtype"
    )


def test_xlsx_with_real_dates(users: dict[str, Any], agreement: Any, org_a: Any) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["CVR", "Afdelingsnr", "Adresse", "Etage", "Dør", "Opsigelsesdato", "Ledig fra"])
    sheet.append(
        ["11111111", "101", "Alfavej 1", "st", "tv", dt.date(2026, 3, 2), dt.date(2026, 4, 1)]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    result = report_vacancies(buffer.getvalue(), "ledige.xlsx", actor=users["boligorganisation"])
    assert result.ok, _errors(result)
    assert result.vacancies[0].available_from == dt.date(2026, 4, 1)


def test_parse_date_formats() -> None:
    for text in ("4-3-2026", "04.03.2026", "4/3/2026", "2026-03-04", "2026-03-04 00:00:00"):
        assert parse_date(text) == DAY
    for text in ("2026-03-04 12:30:00", "31-02-2026", "marts", ""):
        with pytest.raises(ValueError):
            parse_date(text)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("boligorganisation", 200),
        ("administrator", 200),
        ("sagsbehandler", 403),
        ("anvisningsleder", 403),
        ("styregruppe", 403),
    ],
)
def test_page_access(client_for: Any, role: str, status: int) -> None:
    assert client_for(role).get(reverse("vacancies:bulk_report")).status_code == status


def test_page_upload_and_errors(client_for: Any, agreement: Any, org_a: Any) -> None:
    client = client_for("boligorganisation")
    page = client.get(reverse("vacancies:bulk_report")).content.decode()
    assert "Meld ledige boliger fra en fil" in page
    response = client.post(
        reverse("vacancies:bulk_report"),
        {"file": SimpleUploadedFile("l.csv", _csv("11111111;101;Alfavej 7;;;x;y;;"))},
    )
    assert response.status_code == 422  # an import with line errors is refused
    bad = response.content.decode()
    assert "Filen har 3 fejl. Intet er meldt." in bad
    assert "Linje 2, kolonne &#x27;opsigelsesdato&#x27;" in bad
    response = client.post(
        reverse("vacancies:bulk_report"), {"file": SimpleUploadedFile("l.pdf", b"x")}
    )
    assert response.status_code == 422
    assert "Brug en .csv- eller .xlsx-fil." in response.content.decode()
    good = client.post(
        reverse("vacancies:bulk_report"),
        {
            "file": SimpleUploadedFile(
                "l.csv", _csv("11111111;101;Alfavej 1;st;tv;02-03-2026;01-04-2026;;")
            )
        },
        follow=True,
    ).content.decode()
    assert "Meldt 1 ledig bolig: 1 til kommunen og 0 til jeres egen venteliste." in good
    assert Vacancy.objects.count() == 1
