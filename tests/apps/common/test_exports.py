from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from anvis.common.exports import csv_bytes, two_decimals
from anvis.common.tabular import xlsx_text


def test_exact_figures_become_two_decimals() -> None:
    assert two_decimals(Fraction(1, 3)) == Decimal("0.33")
    assert two_decimals(Fraction(-5, 4)) == Decimal("-1.25")
    assert two_decimals(3) == Decimal("3.00")


def test_csv_writes_decimals_with_a_comma_and_keeps_text() -> None:
    text = csv_bytes(["a", "b", "c"], [[Decimal("-1.25"), "1.5 m", "=SUM(A1)"]]).decode("utf-8")
    assert text == "\ufeffa;b;c\r\n-1,25;1.5 m;'=SUM(A1)\r\n"


def test_xlsx_text_leaves_out_what_a_cell_cannot_hold() -> None:
    assert xlsx_text("a\x00b\x1fc\td\ne") == "abc\td\ne"
    assert xlsx_text(5) == 5


def test_xlsx_text_keeps_a_formula_as_text() -> None:
    """openpyxl stores a text that starts with ``=`` as a formula; every workbook's cells go
    through xlsx_text, so a name typed as a formula stays text."""
    assert xlsx_text('=HYPERLINK("http://x.example","A")') == '\'=HYPERLINK("http://x.example","A")'
    assert xlsx_text("-5 kr") == "-5 kr"


def test_a_percentage_cell_is_read_as_the_percentage_the_sheet_shows() -> None:
    import io

    from openpyxl import Workbook

    from anvis.common.tabular import read_rows

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["andel", "decimal", "antal"])
    ws.append([0.5, 0.382, 7])
    ws["A2"].number_format = "0%"
    ws["B2"].number_format = "0.0%"
    buffer = io.BytesIO()
    wb.save(buffer)
    _headers, rows = read_rows(buffer.getvalue(), "andele.xlsx")
    assert rows[0].values == {"andel": "50", "decimal": "38.2", "antal": "7"}


def test_files_round_a_figure_as_the_pages_and_the_report_do() -> None:
    """One vacancy at a 12.5 % share owes 0.125 of a vacancy: the ledger's files and API write
    it as the interface rounds (half up, `anvis.common.formats.number`; the report's figures
    too), not half to even (0.12)."""
    from django.utils import translation

    from anvis.common import formats

    with translation.override("da"):
        for value in (Fraction(1, 8), Fraction(-1, 8), Fraction(3, 8), Fraction(1125, 100)):
            shown = formats.number(value, 2).replace(".", "").replace(",", ".")
            assert two_decimals(value) == Decimal(shown)
    assert two_decimals(Fraction(1, 8)) == Decimal("0.13")
