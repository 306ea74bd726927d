"""Malformed input everywhere: forms, file imports and search parameters.

Properties: never a server error; a rejected input is answered with the form again, a Danish
error and status 422, and nothing is half-written. test_bad_input_forms.py does the same for
every form of the application.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anvis.audit.models import AuditEvent
from anvis.cases.models import Case, Citizen
from anvis.stock.models import Department, Dwelling, Entrance, HousingOrganisation

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
STOCK_HEADER = (
    "cvr;organisation;afdelingsnr;afdeling;bydel;byggeaar;adresse;postnr;by;etage;doer;type;"
    "vaerelser;m2;husleje;aconto;depositum;trinfri;elevator;koerestol;husdyr"
)
GOOD_ROW = (
    "11111111;Alfa Boligselskab;101;Alfa;Aalborg Øst;1972;Alfavej 1;9220;Aalborg Øst;2;tv;"
    "familie;2;61;3.950;520;11850;ja;nej;nej;ja"
)
text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=40,
)
junk_values = st.one_of(
    text,
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.sampled_from(
        ["", " ", "-1", "0", "1e309", "NaN", "31-02-2026", "2026-13-45", "ø" * 300, "9" * 30]
    ),
)


def stock_counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (HousingOrganisation, Department, Entrance, Dwelling))


def page_has_error(response: Any) -> bool:
    body = response.content.decode()
    return 'class="error"' in body or "alert--error" in body or "field--error" in body


@FUZZ
@given(cpr=junk_values, since=junk_values, adults=junk_values, email=junk_values)
def test_case_create_rejects_junk(
    client_for: Any, cpr: str, since: str, adults: str, email: str
) -> None:
    client: Client = client_for("sagsbehandler")
    before = (Case.objects.count(), Citizen.objects.count(), AuditEvent.objects.count())
    response = client.post(
        "/sager/ny/",
        {
            "cpr": cpr,
            "first_name": "Test",
            "last_name": "Person",
            "email": email,
            "preferred_contact": "phone",
            "situation": "rough_sleeping",
            "situation_since": since,
            "adults": adults,
        },
    )
    assert response.status_code in (302, 422)
    if response.status_code != 302:
        assert page_has_error(response)
        after = (Case.objects.count(), Citizen.objects.count(), AuditEvent.objects.count())
        assert after == before


def test_case_create_errors_are_danish(client_for: Any) -> None:
    response = client_for("sagsbehandler").post(
        "/sager/ny/",
        {"cpr": "abc", "first_name": "", "situation_since": "x", "adults": "elleve"},
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert "Dette felt er påkrævet." in body
    assert "Indtast en gyldig dato." in body
    assert "Indtast et heltal." in body
    assert Case.objects.count() == 0


@FUZZ
@given(payload=st.binary(max_size=600))
def test_stock_import_rejects_random_bytes(client_for: Any, payload: bytes) -> None:
    client: Client = client_for("administrator")
    before = stock_counts()
    upload = SimpleUploadedFile("bestand.csv", payload, content_type="text/csv")
    response = client.post("/bestand/import/", {"file": upload})
    assert response.status_code in (302, 422)
    if response.status_code != 302:
        assert stock_counts() == before


ROOMS_COLUMN = STOCK_HEADER.split(";").index("vaerelser")


@FUZZ
@given(cells=st.lists(junk_values, min_size=21, max_size=21))
def test_stock_import_with_one_bad_row_writes_nothing(
    client_for: Any, org_a: Any, cells: list[str]
) -> None:
    """A good row followed by a row of junk whose room count is never a number: the whole file
    is refused with an error naming line 3, and nothing is written, the good row included."""
    client: Client = client_for("administrator")
    before = stock_counts()
    audit_before = AuditEvent.objects.count()
    cells = [
        c.replace(";", ",").replace('"', "'").replace("\n", " ").replace("\r", " ") for c in cells
    ]
    cells[ROOMS_COLUMN] = "elleve"
    content = f"{STOCK_HEADER}\n{GOOD_ROW}\n{';'.join(cells)}\n".encode()
    upload = SimpleUploadedFile("bestand.csv", content, content_type="text/csv")
    response = client.post("/bestand/import/", {"file": upload})
    assert response.status_code == 422
    assert page_has_error(response)
    assert "Linje 3" in response.content.decode()
    assert stock_counts() == before
    assert AuditEvent.objects.count() == audit_before


@FUZZ
@given(payload=st.binary(max_size=400), name=st.sampled_from(["x.csv", "x.xlsx", "x.txt", "x"]))
def test_monitoring_imports_reject_random_files(client_for: Any, payload: bytes, name: str) -> None:
    client: Client = client_for("anvisningsleder")
    for url in ("/overvaagning/import/indikatorer/", "/overvaagning/import/omraader/"):
        events = AuditEvent.objects.count()
        response = client.post(url, {"file": SimpleUploadedFile(name, payload)})
        assert response.status_code in (302, 422)
        if response.status_code != 302:
            assert AuditEvent.objects.count() == events


@FUZZ
@given(
    params=st.dictionaries(
        st.sampled_from(
            [
                "q",
                "status",
                "situation",
                "page",
                "organisation",
                "district",
                "date_from",
                "date_to",
                "actor",
                "object",
                "year",
                "quarter",
                "agreement",
            ]
        ),
        junk_values,
        max_size=4,
    )
)
def test_list_filters_never_fail(client_for: Any, params: dict[str, str]) -> None:
    admin = client_for("administrator")
    for url in (
        "/sager/",
        "/bestand/boliger/",
        "/bestand/afdelinger/",
        "/aftaler/regnskab/",
        "/overvaagning/afdelinger/",
        "/sikkerhed/revisionsspor/",
        "/sikkerhed/adgangslog/",
    ):
        assert admin.get(url, params).status_code < 500, (url, params)


def test_dates_far_outside_the_calendar(client_for: Any) -> None:
    client = client_for("sagsbehandler")
    for value in ("0001-01-01", "9999-12-31", "99999-01-01", str(dt.date.max)):
        response = client.post(
            "/sager/ny/",
            {
                "cpr": "010190-1235",
                "first_name": "A",
                "last_name": "B",
                "preferred_contact": "phone",
                "situation": "rough_sleeping",
                "situation_since": value,
                "adults": "1",
            },
        )
        assert response.status_code < 500, value


def test_line_break_in_an_unquoted_field_is_a_danish_file_error(client_for: Any) -> None:
    # A line break in a quoted cell is read; the quote opened on the last line is never closed.
    upload = SimpleUploadedFile("bestand.csv", b'a;b\n"x\rz";1\n\r"', content_type="text/csv")
    response = client_for("administrator").post("/bestand/import/", {"file": upload})
    assert response.status_code == 422
    assert "Linje 5: et anførselstegn" in response.content.decode()


def test_numbers_beyond_the_database_integers_in_list_filters(client_for: Any) -> None:
    """Regression: a number filter with a value beyond 64 bits failed the query on SQLite."""
    admin = client_for("administrator")
    for url, param in (
        ("/bestand/boliger/", "department"),
        ("/bestand/boliger/", "max_rent"),
        ("/bestand/opgange/", "department"),
        ("/sager/", "min_priority"),
    ):
        for value in ("9223372036854775808", "-" + "9" * 30):
            assert admin.get(url, {param: value}).status_code == 200, (url, param, value)
