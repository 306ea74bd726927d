from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from anvis.audit.models import AuditEvent
from anvis.common.importing import parse_whole_number
from anvis.stock.importing import import_stock
from anvis.stock.models import Department, Dwelling, Entrance, HousingOrganisation

EXAMPLES = Path(__file__).resolve().parents[3] / "docs" / "examples"
HEADER = "cvr;organisation;afdelingsnr;afdeling;adresse;postnr;by;etage;doer;vaerelser;m2;husleje\n"


def csv_bytes(*lines: str) -> bytes:
    return (HEADER + "\n".join(lines) + "\n").encode()


def counts() -> tuple[int, int, int, int]:
    return (
        HousingOrganisation.objects.count(),
        Department.objects.count(),
        Entrance.objects.count(),
        Dwelling.objects.count(),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["stock-import.csv", "stock-import.xlsx"])
def test_example_files_import(name: str) -> None:
    result = import_stock((EXAMPLES / name).read_bytes(), name, actor=None)
    assert result.ok, [str(e) for e in result.errors]
    assert counts() == (1, 2, 2, 4)
    dwelling = Dwelling.objects.get(entrance__street="Fjordparken 4", floor="st", door="tv")
    assert dwelling.rent == 3950
    assert dwelling.step_free and dwelling.pets_allowed and not dwelling.elevator
    assert Dwelling.objects.get(entrance__street="Kildevej 12", floor="2").dwelling_type == "senior"
    assert AuditEvent.objects.filter(action="stock.import").count() == 1


@pytest.mark.django_db
def test_a_file_without_an_optional_column_keeps_what_is_stored() -> None:
    assert import_stock((EXAMPLES / "stock-import.csv").read_bytes(), "a.csv", actor=None).ok
    before = {
        d.pk: (d.aconto, d.deposit, d.step_free, d.pets_allowed) for d in Dwelling.objects.all()
    }
    districts = dict(Department.objects.values_list("pk", "district"))
    target = Dwelling.objects.get(entrance__street="Fjordparken 4", floor="st")
    dept = target.entrance.department
    line = (
        f"{dept.organisation.cvr};;{dept.number};{dept.name};Fjordparken 4;"
        f"{target.entrance.postal_code};{target.entrance.city};st;{target.door};"
        f"{target.rooms};{target.area_m2};4.321"
    )
    result = import_stock(csv_bytes(line), "husleje.csv", actor=None)
    assert result.ok and result.updated["dwellings"] == 1, result.errors
    target.refresh_from_db()
    assert target.rent == 4321
    after = {
        d.pk: (d.aconto, d.deposit, d.step_free, d.pets_allowed) for d in Dwelling.objects.all()
    }
    assert after == before
    assert dict(Department.objects.values_list("pk", "district")) == districts
    assert any(districts.values()) and any(v[0] for v in before.values())


@pytest.mark.django_db
def test_reimport_updates_by_natural_key_and_changes_nothing_else() -> None:
    data = (EXAMPLES / "stock-import.csv").read_bytes()
    assert import_stock(data, "a.csv", actor=None).ok
    second = import_stock(data, "a.csv", actor=None)
    assert second.ok
    assert second.created == dict.fromkeys(second.created, 0)
    assert second.updated["dwellings"] == 0
    changed = data.decode().replace("3.950", "4.100").encode()
    third = import_stock(changed, "a.csv", actor=None)
    assert third.updated["dwellings"] == 1
    assert counts() == (1, 2, 2, 4)
    assert Dwelling.objects.get(entrance__street="Fjordparken 4", floor="st").rent == 4100


@pytest.mark.django_db
def test_a_bad_file_writes_nothing_and_reports_every_bad_row() -> None:
    data = csv_bytes(
        "12345678;Org;1;Afd;Vej 1;9000;Aalborg;st;tv;2;60;4000",
        "1234567;Org;1;Afd;Vej 1;9000;Aalborg;1;tv;0;60;abc",
        "12345678;Org;1;Afd;Vej 1;900;Aalborg;2;tv;2;60;-5",
    )
    result = import_stock(data, "bad.csv", actor=None)
    assert not result.ok
    messages = [str(e) for e in result.errors]
    assert "Linje 3, kolonne 'cvr': skal være præcis 8 cifre (fik '1234567')" in messages
    assert "Linje 3, kolonne 'vaerelser': skal være mindst 1 (fik 0)" in messages
    assert "Linje 3, kolonne 'husleje': skal være et helt tal (fik 'abc')" in messages
    assert "Linje 4, kolonne 'postnr': skal være 4 cifre (fik '900')" in messages
    assert "Linje 4, kolonne 'husleje': skal være mindst 0 (fik -5)" in messages
    assert counts() == (0, 0, 0, 0)
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_errors_follow_the_chosen_language() -> None:
    from django.utils import translation

    with translation.override("en"):
        result = import_stock(
            csv_bytes("12345678;Org;1;Afd;Vej 1;9000;Aalborg;st;tv;2;60;x"), "f.csv", actor=None
        )
        assert str(result.errors[0]) == "Line 2, column 'husleje': must be a whole number (got 'x')"


@pytest.mark.django_db
def test_missing_and_unknown_columns() -> None:
    data = b"cvr;afdelingsnr;farve\n12345678;1;rod\n"
    result = import_stock(data, "f.csv", actor=None)
    assert not result.ok
    messages = {str(e) for e in result.errors}
    assert "Linje 1, kolonne 'husleje': påkrævet kolonne mangler" in messages
    assert "Linje 1, kolonne 'farve': ukendt kolonne" in messages


@pytest.mark.django_db
def test_duplicate_dwelling_in_file_is_reported() -> None:
    row = "12345678;Org;1;Afd;Vej 1;9000;Aalborg;st;tv;2;60;4000"
    result = import_stock(csv_bytes(row, row), "f.csv", actor=None)
    assert not result.ok
    assert "Linje 3: samme bolig står også i linje 2" in [str(e) for e in result.errors]


@pytest.mark.django_db
def test_a_dar_id_used_twice_in_a_file_is_reported() -> None:
    dar = "0a3f50a0-1234-4bcd-9abc-0123456789ab"
    data = (
        HEADER.strip()
        + ";dar_bolig\n"
        + f"12345678;Org;1;Afd;Vej 1;9000;Aalborg;st;tv;2;60;4000;{dar}\n"
        + f"12345678;Org;1;Afd;Vej 1;9000;Aalborg;1;tv;2;60;4000;{dar}\n"
    ).encode()
    result = import_stock(data, "f.csv", actor=None)
    assert [str(e) for e in result.errors] == [
        "Linje 3, kolonne 'dar_bolig': bruges også i linje 2"
    ]


@pytest.mark.django_db
def test_new_organisation_needs_a_name() -> None:
    result = import_stock(
        csv_bytes("12345678;;1;Afd;Vej 1;9000;Aalborg;st;tv;2;60;4000"), "f.csv", actor=None
    )
    assert [str(e) for e in result.errors] == [
        "Linje 2, kolonne 'organisation': skal udfyldes for en ny organisation (CVR 12345678)"
    ]


@pytest.mark.django_db
def test_organisation_staff_may_only_import_their_own(users: dict[str, Any], org_a: Any) -> None:
    own = f"{org_a.cvr};;9;Ny afd;Nyvej 1;9000;Aalborg;st;tv;2;60;4000"
    foreign = "22222222;;9;Fremmed;Nyvej 2;9000;Aalborg;st;tv;2;60;4000"
    result = import_stock(csv_bytes(own, foreign), "f.csv", actor=users["boligorganisation"])
    assert not result.ok
    assert [str(e) for e in result.errors] == [
        "Linje 3, kolonne 'cvr': du må kun importere dine egne organisationers boliger (CVR 22222222)"
    ]
    assert import_stock(csv_bytes(own), "f.csv", actor=users["boligorganisation"]).ok


@pytest.mark.django_db
def test_xlsx_with_numbers_as_cells() -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER.strip().split(";"))
    ws.append([12345678, "Org", 5, "Afd", "Vej 1", 9000, "Aalborg", "st", "tv", 2, 60.0, 3999])
    buffer = io.BytesIO()
    wb.save(buffer)
    result = import_stock(buffer.getvalue(), "f.xlsx", actor=None)
    assert result.ok, [str(e) for e in result.errors]
    assert Dwelling.objects.get().rent == 3999


@pytest.mark.django_db
def test_unreadable_files() -> None:
    assert str(import_stock(b"not a zip", "f.xlsx", actor=None).errors[0]) == (
        "Linje 1: Filen er ikke en gyldig XLSX-projektmappe."
    )
    assert not import_stock(b"", "f.csv", actor=None).ok
    assert not import_stock(b"a,b", "f.pdf", actor=None).ok


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("3450", 3450),
        ("3.450", 3450),
        ("3 450", 3450),
        ("3450,00", 3450),
        ("0", 0),
        ("1.234.567", 1234567),
        ("3450.00", 3450),
        ("3.450,00", 3450),
    ],
)
def test_parse_whole_number(text: str, value: int) -> None:
    assert parse_whole_number(text) == value


# A point that is not between groups of three digits is a decimal point (a spreadsheet's number
# cell), and a fraction is refused: 4450.5 is not 44505 kr, 61.5 m² not 615 m².
@pytest.mark.parametrize(
    "text",
    ["3450,50", "abc", "3,4,5", "", "4450.5", "61.5", "8400.50", "3.45", "12.3456", "0.500"],
)
def test_parse_whole_number_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_whole_number(text)


@pytest.mark.django_db
def test_upload_page_reports_errors_and_imports(client_for: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for("administrator")
    bad = SimpleUploadedFile(
        "bad.csv", csv_bytes("12345678;Org;1;Afd;Vej 1;9000;Aalborg;st;tv;2;60;x")
    )
    response = client.post("/bestand/import/", {"file": bad})
    body = response.content.decode()
    assert "Intet blev importeret" in body
    assert "Linje 2, kolonne &#x27;husleje&#x27;" in body
    good = SimpleUploadedFile("good.csv", (EXAMPLES / "stock-import.csv").read_bytes())
    response = client.post("/bestand/import/", {"file": good}, follow=True)
    assert "Importerede 4 rækker" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"), [("sagsbehandler", 403), ("styregruppe", 403), ("boligorganisation", 200)]
)
def test_upload_page_access(client_for: Any, role: str, status: int) -> None:
    assert client_for(role).get("/bestand/import/").status_code == status


def _estimated_rows(table: str) -> float:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = to_regclass(%s)", [table])
        return float(cursor.fetchone()[0])


@pytest.mark.django_db
def test_an_import_refreshes_the_statistics_it_made_stale() -> None:
    """The planner's row estimates follow an import at once, by the same measure as after the
    demo load: 300 new dwellings are counted, a price change to one is not worth a new sample."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("planner statistics are PostgreSQL's")
    table = Dwelling._meta.db_table
    lines = [
        f"12345678;Org;1;Afd;Vej {i // 10 + 1};9000;Aalborg;{i % 10};tv;2;60;4000"
        for i in range(300)
    ]
    assert import_stock(csv_bytes(*lines), "big.csv", actor=None).ok
    assert _estimated_rows(table) == 300
    with connection.cursor() as cursor:  # make the estimate recognisably old
        cursor.execute(f"UPDATE pg_class SET reltuples = 299 WHERE oid = '{table}'::regclass")
    lines[0] = lines[0].replace(";4000", ";4100")
    result = import_stock(csv_bytes(*lines), "big.csv", actor=None)
    assert result.ok and result.updated["dwellings"] == 1
    assert _estimated_rows(table) == 299  # one row changed: left to autovacuum


@pytest.mark.django_db
def test_a_decimal_number_cell_is_refused_not_multiplied() -> None:
    """An XLSX number cell holds 4450.5: the import names the line and writes nothing."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEADER.strip().split(";"))
    ws.append(["12345678", "Org", "1", "Afd", "Vej 1", "9000", "Aalborg", "st", "tv", 2, 60, 4450])
    ws.append(["12345678", "Org", "1", "Afd", "Vej 1", "9000", "Aalborg", "1", "tv", 2, 60, 4450.5])
    buffer = io.BytesIO()
    wb.save(buffer)
    before = counts()
    result = import_stock(buffer.getvalue(), "bestand.xlsx", actor=None)
    assert [(e.line, e.column) for e in result.errors] == [(3, "husleje")]
    assert counts() == before


@pytest.mark.django_db
def test_a_file_mixing_two_character_sets_is_refused_naming_the_line() -> None:
    good = "12345678;Org;1;Afd;Søndervej 1;9000;Aalborg Ø;st;tv;2;60;3450\n"
    bad = "12345678;Org;1;Afd;Søndervej 1;9000;Aalborg Ø;1;tv;2;60;3450\n"
    data = HEADER.encode() + good.encode("utf-8") + bad.encode("cp1252")
    result = import_stock(data, "blandet.csv", actor=None)
    assert not result.ok
    assert "Linje 3: Linjen er i et andet tegnsæt" in " ".join(str(e) for e in result.errors)
    assert counts() == (0, 0, 0, 0)
    # A file in Windows-1252 throughout is read as such.
    whole = (HEADER + good + bad).encode("cp1252")
    assert import_stock(whole, "cp1252.csv", actor=None).ok
    assert Entrance.objects.get().city == "Aalborg Ø"


@pytest.mark.django_db
def test_organisation_staff_upload_at_most_5_mb(client_for: Any, org_a: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    line = f"{org_a.cvr};;101;{org_a.name} afd. 101;Alfavej 1;9220;Aalborg Øst;st;tv;2;60;3450\n"
    big = (HEADER + line * (5 * 1024 * 1024 // len(line) + 10)).encode()
    response = client_for("boligorganisation").post(
        "/bestand/import/", {"file": SimpleUploadedFile("stor.csv", big)}
    )
    assert response.status_code == 422
    assert "Filen må højst fylde 5 MB." in response.content.decode()
    assert Dwelling.objects.count() == 4


ENTRANCE_HEADER = "cvr;organisation;afdelingsnr;afdeling;adresse;postnr;by;etage;doer;vaerelser;m2;husleje;dar_opgang;dar_bolig\n"
DAR_1 = "11111111-1111-1111-1111-111111111111"
DAR_2 = "22222222-2222-2222-2222-222222222222"
GAMMA = f"33333333;Gamma;1;Gamma afd. 1;Gammavej 1;9000;Aalborg;st;tv;2;60;4500;{DAR_1};"


def _gamma(*lines: str) -> list[str]:
    data = (ENTRANCE_HEADER + "\n".join(lines) + "\n").encode()
    result = import_stock(data, "gamma.csv", actor=None)
    return [str(e) for e in result.errors]


@pytest.mark.django_db
def test_the_rows_of_one_entrance_agree_on_its_town_and_dar_id() -> None:
    # The second row's town and DAR id were dropped for a new entrance (the first row won) and
    # taken for a stored one (the last row won).
    first_floor = GAMMA.replace(";st;", ";1;")
    assert _gamma(GAMMA, first_floor.replace("Aalborg", "Aalborg C")) == [
        "Linje 3, kolonne 'by': afviger fra linje 2 for samme opgang"
    ]
    assert _gamma(GAMMA, first_floor.replace(DAR_1, DAR_2)) == [
        "Linje 3, kolonne 'dar_opgang': afviger fra linje 2 for samme opgang"
    ]
    assert not Entrance.objects.filter(street="Gammavej 1").exists()
    # A row without the DAR id keeps the entrance's.
    assert _gamma(GAMMA, first_floor.replace(DAR_1, "")) == []
    assert Entrance.objects.get(street="Gammavej 1").dar_id is not None


@pytest.mark.django_db
def test_a_dar_id_another_entrance_or_dwelling_has_is_named_on_its_line(org_a: Any) -> None:
    # These were refused as a whole ("Linje 1: … IntegrityError"), naming no line, and a clash
    # inside the file was told as a clash with data already in Anvis.
    assert _gamma(GAMMA, GAMMA.replace("Gammavej 1", "Gammavej 3")) == [
        "Linje 3, kolonne 'dar_opgang': bruges også i linje 2"
    ]
    stored = Dwelling.objects.filter(entrance__department__organisation=org_a).first()
    assert stored is not None
    stored.dar_id = DAR_2
    stored.save()
    Entrance.objects.filter(pk=stored.entrance_id).update(dar_id=DAR_1)
    assert _gamma(GAMMA.replace(f"{DAR_1};", f";{DAR_2}")) == [
        "Linje 2, kolonne 'dar_bolig': er allerede DAR-id for en anden bolig i Anvis"
    ]
    assert _gamma(GAMMA) == [
        "Linje 2, kolonne 'dar_opgang': er allerede DAR-id for en anden opgang i Anvis"
    ]
    assert not Entrance.objects.filter(street="Gammavej 1").exists()
    # The stored dwelling and entrance themselves keep their DAR ids in a file.
    entrance = stored.entrance
    dept = entrance.department
    own = (
        f"{org_a.cvr};;{dept.number};{dept.name};{entrance.street};{entrance.postal_code};"
        f"{entrance.city};{stored.floor};{stored.door};{stored.rooms};{stored.area_m2};"
        f"{stored.rent};{DAR_1};{DAR_2}"
    )
    assert _gamma(own) == []


@pytest.mark.django_db
def test_the_command_refuses_a_folder_and_reports_a_bad_file(tmp_path: Path) -> None:
    from django.core.management import CommandError, call_command

    # A folder passed the command's "does it exist" check and ended in a traceback.
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_stock", str(tmp_path))
    bad = tmp_path / "bestand.csv"
    bad.write_bytes(csv_bytes("12345678;Org;1;Afd;Vej 1;9000;Aalborg;st;tv;to;60;4500"))
    with pytest.raises(CommandError, match="1 error"):
        call_command("import_stock", str(bad), stderr=io.StringIO())
    assert counts() == (0, 0, 0, 0)


@pytest.mark.django_db
def test_spaces_inside_a_cell_are_one_space_so_a_reimport_finds_the_same_entrance() -> None:
    # A file built with =A2&" "&B2 from a cell with a trailing space, or one with a no-break
    # space, writes "Fjordparken  4": read as written it was a second entrance (opgang) of the
    # same address, splitting the stairwell's composition in two.
    assert import_stock((EXAMPLES / "stock-import.csv").read_bytes(), "a.csv", actor=None).ok
    before = counts()
    target = Dwelling.objects.get(entrance__street="Fjordparken 4", floor="st")
    dept = target.entrance.department
    for rent, street in enumerate(("Fjordparken  4", "Fjordparken\u00a04", "Fjordparken \t4")):
        line = (
            f"{dept.organisation.cvr};;{dept.number};{dept.name};{street};"
            f"{target.entrance.postal_code};{target.entrance.city};st;{target.door};"
            f"{target.rooms};{target.area_m2};{4321 + rent}"
        )
        result = import_stock(csv_bytes(line), "husleje.csv", actor=None)
        assert result.ok and result.updated["dwellings"] == 1, result.errors
    assert counts() == before
    target.refresh_from_db()
    assert target.rent == 4323
