"""How the shared reader takes a file's shape, checked through the stock import (every import
reads its file through `anvis.common.importing.Columns`)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import translation
from openpyxl import Workbook

from anvis.stock.importing import import_stock
from anvis.stock.models import Dwelling

HEADER = "cvr;organisation;afdelingsnr;afdeling;adresse;postnr;by;etage;doer;vaerelser;m2;husleje"
ROW = "33333333;Gamma;1;Gamma afd. 1;Gammavej 1;9000;Aalborg;st;tv;2;60;4500"


@pytest.fixture(autouse=True)
def danish() -> Any:
    with translation.override("da"):
        yield


def _import(*lines: str) -> list[str]:
    result = import_stock(("\n".join(lines) + "\n").encode(), "bestand.csv", actor=None)
    return [str(e) for e in result.errors]


@pytest.mark.django_db
@pytest.mark.parametrize("separator", [";", ",", "\t"])
def test_the_header_decides_the_delimiter_also_with_a_short_row(separator: str) -> None:
    # A row without its last cells (a spreadsheet leaves them out) made the delimiter
    # guess fail, so a file with semicolons was read with commas and every column was "missing".
    short = ROW.rsplit(";", 3)[0].replace("tv", "th")
    lines = [HEADER, ROW, short]
    errors = _import(*(line.replace(";", separator) for line in lines))
    assert errors == [
        "Linje 3, kolonne 'husleje': skal udfyldes",
        "Linje 3, kolonne 'm2': skal udfyldes",
        "Linje 3, kolonne 'vaerelser': skal udfyldes",
    ]
    assert not Dwelling.objects.exists()


def commas(line: str) -> str:
    return line.replace(";", ",")


@pytest.mark.django_db
def test_a_decimal_comma_that_splits_a_cell_is_refused_not_cut_off() -> None:
    # In a file with commas between the columns, 4.500,50 without quotes is two cells: "4.500"
    # under husleje and "50" under no column. It was read as a rent of 4,500 kr.
    row = commas(ROW).replace(",4500", ",4.500,50")
    assert _import(commas(HEADER), row) == [
        "Linje 2: celle 13 ('50') har intet kolonnenavn i linje 1 (er et tal med decimalkomma "
        "delt i to celler? Sæt det i anførselstegn, eller brug semikolon mellem kolonnerne)"
    ]
    assert not Dwelling.objects.exists()


@pytest.mark.django_db
def test_a_value_under_a_column_without_a_name_is_refused() -> None:
    assert _import(HEADER + ";", ROW + ";3") == [
        "Linje 2: celle 13 ('3') har intet kolonnenavn i linje 1 (er et tal med decimalkomma "
        "delt i to celler? Sæt det i anførselstegn, eller brug semikolon mellem kolonnerne)"
    ]
    # An empty cell there is nothing (a spreadsheet's trailing separators).
    assert _import(HEADER + ";", ROW + ";") == []
    assert _import(HEADER, ROW.replace("tv", "th") + ";;") == []


@pytest.mark.django_db
def test_a_column_named_twice_is_refused() -> None:
    # The later of two husleje columns silently won.
    assert _import(HEADER + ";husleje", ROW + ";5000") == [
        "Linje 1, kolonne 'husleje': kolonnen står mere end én gang"
    ]
    # Also under another spelling of the same column.
    assert _import(HEADER + ";byggeaar;byggear", ROW + ";1972;1973") == [
        "Linje 1, kolonne 'byggeaar': kolonnen står mere end én gang"
    ]
    assert not Dwelling.objects.exists()


@pytest.mark.django_db
def test_a_quote_that_is_never_closed_is_refused_naming_its_line() -> None:
    # The opening quote took the rest of the file into one cell: the next dwelling was lost and
    # the first got a district of two lines, without a word.
    header = HEADER + ";bydel"
    first = ROW + ';"Øst'
    second = ROW.replace("tv", "th") + ";Øst"
    assert _import(header, first, second) == [
        'Linje 2: et anførselstegn (") i linjen lukkes ikke, eller der står tekst efter det '
        "afsluttende anførselstegn; sæt hele cellen i anførselstegn og skriv et anførselstegn "
        'i den som to ("")'
    ]
    assert not Dwelling.objects.exists()
    # A cell in quotes may hold the delimiter and a line break.
    quoted = ';"Øst; nord\nsyd"'
    assert _import(header, ROW + quoted, ROW.replace("tv", "th") + quoted) == []
    assert Dwelling.objects.count() == 2


@pytest.mark.django_db
def test_lines_ending_in_a_carriage_return_alone_are_read() -> None:
    # Refused as "not valid CSV" before.
    data = f"{HEADER}\r{ROW}\r".encode()
    assert import_stock(data, "mac.csv", actor=None).ok
    assert Dwelling.objects.count() == 1


@pytest.mark.django_db
def test_a_utf16_file_is_read_and_a_binary_one_refused() -> None:
    # Excel's "Unicode text" is UTF-16 with tabs; it was read as Windows-1252 and every column
    # name came out with NUL characters ("unknown column 'ÿþc\x00v\x00r…'").
    lines = [HEADER.replace(";", "\t"), ROW.replace(";", "\t").replace("Gammavej", "Ærøvej")]
    data = ("\n".join(lines) + "\n").encode("utf-16")
    assert import_stock(data, "unicode.csv", actor=None).ok
    assert Dwelling.objects.get().entrance.street == "Ærøvej 1"
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"
    binary = import_stock(png + HEADER.encode(), "data.csv", actor=None)
    assert [str(e) for e in binary.errors] == [
        "Linje 1: Filen kunne ikke læses som tekst (UTF-8 eller Windows-1252)."
    ]
    # UTF-16 without its byte order mark: every other byte NUL, not text.
    no_mark = import_stock(("\n".join(lines) + "\n").encode("utf-16-le"), "u.csv", actor=None)
    assert [str(e) for e in no_mark.errors] == [
        "Linje 1: Filen kunne ikke læses som tekst (UTF-8 eller Windows-1252)."
    ]


@pytest.mark.django_db
def test_a_stray_nul_character_in_a_text_file_is_refused_at_its_line() -> None:
    # Refused as "not text" with line 1, wherever it stood; many of them, and control
    # characters beside them, as a fuzzed row has.
    stray = ROW.replace("Gammavej", "Gam\x00mavej")
    data = f"{HEADER}\n{ROW}\n{stray}\n".encode()
    result = import_stock(data, "nul.csv", actor=None)
    assert [str(e) for e in result.errors] == [
        "Linje 3: Linjen indeholder et NUL-tegn (tegnkode 0), som ikke findes i tekst. Fjern "
        "det, eller gem filen igen som CSV (UTF-8) eller XLSX, og importér den igen."
    ]
    assert Dwelling.objects.count() == 0
    junk = f"{HEADER}\n{ROW}\n" + "\x00\x01" * 50 + "\n"
    assert [e.line for e in import_stock(junk.encode(), "nul.csv", actor=None).errors] == [3]


def _xlsx(*rows: list[Any], merge: str = "") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _with_sheet(data: bytes, change: Callable[[bytes], bytes]) -> bytes:
    """The workbook with its first sheet's XML changed, as another program writes it."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = change(content)
            target.writestr(item, content)
    return out.getvalue()


def _xlsx_errors(data: bytes) -> list[str]:
    return [str(e) for e in import_stock(data, "bestand.xlsx", actor=None).errors]


HEADER_CELLS = [*HEADER.split(";"), "aconto"]
ROW_CELLS = [*ROW.split(";"), "450"]


@pytest.mark.django_db
def test_a_formula_without_a_calculated_value_is_refused_not_read_as_empty() -> None:
    # A workbook written by a program that does not calculate (a report generator, a script)
    # holds the formula only; it was read as an empty cell, so every a conto was set to 0
    # without a word. A formula with its value (as a spreadsheet program saves it) is read.
    data = _xlsx(HEADER_CELLS, [*ROW_CELLS[:-1], "=400+50"])
    assert _xlsx_errors(data) == [
        "Linje 2, kolonne 'aconto': cellen indeholder en formel uden beregnet værdi; åbn filen "
        "i et regneark, gem den og importér den igen"
    ]
    # A row holding nothing but such a formula is not skipped as empty.
    only = ["", "", "", "", "", "", "", "", "", "", "", "=A2"]
    assert [e.split(":")[0] for e in _xlsx_errors(_xlsx(HEADER_CELLS, ROW_CELLS, only))] == [
        "Linje 3, kolonne 'husleje'"
    ]
    assert not Dwelling.objects.exists()
    # As a spreadsheet program saves it, with the value beside the formula.
    saved = _with_sheet(data, lambda xml: xml.replace(b"</f>", b"</f><v>450</v>"))
    assert _xlsx_errors(saved) == []
    assert Dwelling.objects.get().aconto == 450


@pytest.mark.django_db
def test_a_workbook_whose_sheet_is_cut_off_is_refused_not_a_server_error() -> None:
    # A download that stopped halfway: the sheet's XML ends in the middle (a server error).
    data = _with_sheet(_xlsx(HEADER_CELLS, ROW_CELLS), lambda xml: xml[: len(xml) // 2])
    assert _xlsx_errors(data) == ["Linje 1: Filen er ikke en gyldig XLSX-projektmappe."]
    assert not Dwelling.objects.exists()


@pytest.mark.django_db
def test_a_spreadsheet_error_is_refused_not_taken_as_text() -> None:
    # A lookup that failed (#N/A) was stored as the department's name or the dwelling's door.
    data = _xlsx(HEADER_CELLS, [*ROW_CELLS[:3], "#N/A", *ROW_CELLS[4:]])
    assert _xlsx_errors(data) == [
        "Linje 2, kolonne 'afdeling': cellen viser regnearksfejlen #N/A (en formel, der ikke "
        "kunne beregnes); ret den i regnearket og importér igen"
    ]
    assert not Dwelling.objects.exists()


@pytest.mark.django_db
def test_merged_cells_are_refused_naming_their_first_line() -> None:
    # Only the first of merged cells holds the value: floor and door merged into one cell
    # ("1 tv") imported a dwelling without a door, and a value merged over a department's
    # rows left the other rows empty.
    second = [*ROW_CELLS[:7], "1 tv", "", *ROW_CELLS[9:]]
    data = _xlsx(HEADER_CELLS, ROW_CELLS, second, merge="H3:I3")
    assert _xlsx_errors(data) == [
        "Linje 3, kolonne 'etage': cellen er flettet med andre (H3:I3), så kun den første "
        "har værdien; ophæv fletningen og udfyld hver celle"
    ]
    assert not Dwelling.objects.exists()
    # Merged cells with nothing in them are formatting only.
    assert _xlsx_errors(_xlsx(HEADER_CELLS, ROW_CELLS, merge="N5:O6")) == []
    assert Dwelling.objects.count() == 1


@pytest.mark.django_db
def test_a_cvr_or_postcode_in_other_digits_is_named_on_its_line() -> None:
    # Arabic digits passed the file's check of a CVR number (the database's own check then
    # refused the whole file as "in conflict with data already in Anvis", naming no line), and
    # a postcode in full-width digits was stored, so that no search for 9000 found the entrance.
    arabic = ROW.replace("33333333", "٣٣٣٣٣٣٣٣")
    wide = ROW.replace("9000", "９０００")
    assert _import(HEADER, arabic, wide.replace("tv", "th")) == [
        "Linje 2, kolonne 'cvr': skal være præcis 8 cifre (fik '٣٣٣٣٣٣٣٣')",
        "Linje 3, kolonne 'postnr': skal være 4 cifre (fik '９０００')",
    ]
    assert not Dwelling.objects.exists()


@pytest.mark.django_db
def test_a_first_line_naming_the_separator_is_read_as_excel_reads_it() -> None:
    # "sep=;" on the first line tells Excel the separator, and Excel does not show the line.
    # The file was refused: "sep=" was an unknown column and every column was missing.
    bad_rent = commas(ROW).replace(",4500", ",abc")
    assert _import("sep=,", commas(HEADER), bad_rent) == [
        "Linje 2, kolonne 'husleje': skal være et helt tal (fik 'abc')"
    ]
    assert _import("SEP=;\r", HEADER, ROW) == []
    assert Dwelling.objects.count() == 1


@pytest.mark.django_db
def test_a_column_name_with_other_spaces_is_the_same_column() -> None:
    # A name copied from a web page holds a no-break space, and one typed may hold two spaces:
    # "dar\u00a0bolig" was an unknown column that looked like the one the file may have.
    uuid = "0f3c6a52-7d1e-4c55-9d0b-2d6f3a1b9e10"
    assert _import(HEADER + ";DAR\u00a0bolig;dar  opgang ", ROW + f";{uuid};") == []
    assert str(Dwelling.objects.get().dar_id) == uuid


@pytest.mark.django_db
def test_the_first_sheet_the_user_sees_is_read_not_a_hidden_one() -> None:
    # A workbook whose first sheet is a hidden look-up list (as templates often have): the
    # sheet the spreadsheet program opens on is the first visible one, and that is read.
    workbook = Workbook()
    lookup = workbook.active
    lookup.title = "Opslag"
    lookup.append(["postnr", "by"])
    lookup.append(["9000", "Aalborg"])
    lookup.sheet_state = "hidden"
    data_sheet = workbook.create_sheet("Boliger")
    data_sheet.append(HEADER_CELLS)
    data_sheet.append(ROW_CELLS)
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert _xlsx_errors(buffer.getvalue()) == []
    assert Dwelling.objects.get().entrance.street == "Gammavej 1"
