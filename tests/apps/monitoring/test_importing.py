from __future__ import annotations

import io
from decimal import Decimal as D
from typing import Any

import pytest
from django.utils import timezone, translation

from anvis.audit.models import AuditEvent
from anvis.monitoring.importing import import_designations, import_indicators
from anvis.monitoring.models import AreaDesignation, DepartmentIndicators, DepartmentStatus

from .conftest import TODAY

HEADER = (
    "cvr;afdelingsnr;aar;beboere;husstande;uden_for_arbejde_uddannelse;kun_grundskole;"
    "indkomst_pct_region;doemte_x_landsgennemsnit;ikke_vestlige;fraflytning;"
    "offentlig_forsoergelse\n"
)


def csv(*lines: str) -> bytes:
    return (HEADER + "\n".join(lines) + "\n").encode()


@pytest.fixture(autouse=True)
def danish() -> Any:
    with translation.override("da"):
        yield


def test_import_creates_rows_and_recomputes(users: Any, org_a: Any, org_b: Any) -> None:
    data = csv(
        "11111111;101;2024;400;200;45,0;50;52,0;1,5;20;12;40",
        "11111111;101;2025;410;205;44,5;50;54,9;1,5;20;12;40",
        "22222222;202;2025;300;150;15;30;90;0,7;8;10;20",
    )
    result = import_indicators(data, "beboerdata.csv", actor=users["anvisningsleder"])
    assert result.ok, result.errors
    assert (result.created, result.updated) == (3, 0)
    row = DepartmentIndicators.objects.get(department__number="101", year=2025)
    assert row.income_relative_region == D("54.9")
    assert row.convictions_relative_national == D("1.50")
    assert DepartmentStatus.objects.get(department__number="101").status == "red"
    assert AuditEvent.objects.filter(action="monitoring.indicators_import").count() == 1

    again = import_indicators(
        csv("11111111;101;2025;410;205;30;50;80;1,5;20;12;40"), "b.csv", actor=None
    )
    assert again.ok and again.updated == 1
    assert DepartmentIndicators.objects.get(
        department__number="101", year=2025
    ).income_relative_region == D("80")


def test_small_department_is_stored_suppressed_without_values(users: Any, org_a: Any) -> None:
    data = csv("11111111;101;2025;99;60;45;50;52;1,5;20;12;40")
    result = import_indicators(data, "x.csv", actor=None)
    assert result.ok and result.suppressed == 1
    row = DepartmentIndicators.objects.get()
    assert row.suppressed
    assert row.outside_work_education is None and row.income_relative_region is None
    assert DepartmentStatus.objects.get(department=row.department).status == "unknown"


def test_every_bad_row_reported_in_danish_and_nothing_written(org_a: Any) -> None:
    data = csv(
        "11111111;101;2025;400;200;45,0;50;52,0;1,5;20;12;40",
        "11111111;999;2025;400;200;45;50;52;1,5;20;12;40",
        "11111111;101;2024;400;200;140;50;52;1,5;20;12;40",
        "11111111;101;2025;400;200;10;abc;52;1,5;20;12;40",
        "11111111;101;2023;;;10;50;52;1,5;20;12;40",
    )
    result = import_indicators(data, "bad.csv", actor=None)
    assert not result.ok
    texts = [str(e) for e in result.errors]
    assert any(t.startswith("Linje 3") and "ingen afdeling 999" in t for t in texts), texts
    assert "Linje 4, kolonne 'uden_for_arbejde_uddannelse': må højst være 100 (fik 140)" in texts, (
        texts
    )
    assert any(t.startswith("Linje 5") and "skal være et tal" in t for t in texts), texts
    assert "Linje 5: samme afdeling og år står også på linje 2" in texts, texts
    assert any(t.startswith("Linje 6") and "beboere og husstande" in t for t in texts), texts
    assert DepartmentIndicators.objects.count() == 0


def test_a_count_beyond_any_department_is_refused_not_a_server_error(org_a: Any) -> None:
    data = csv("11111111;101;2025;4000000000000000000000000;200;45;50;52;1,5;20;12;40")
    result = import_indicators(data, "stor.csv", actor=None)
    assert not result.ok
    assert "Linje 2, kolonne 'beboere': må højst være 1000000 (fik 4000000000000000000000000)" in [
        str(e) for e in result.errors
    ]
    assert DepartmentIndicators.objects.count() == 0


def test_missing_and_unknown_columns(org_a: Any) -> None:
    result = import_indicators(b"cvr;aar;farve\n11111111;2025;blaa\n", "x.csv", actor=None)
    texts = [str(e) for e in result.errors]
    assert "Linje 1, kolonne 'afdelingsnr': påkrævet kolonne mangler" in texts[0] or any(
        "afdelingsnr" in t for t in texts
    )
    assert any("farve" in t for t in texts)


def test_xlsx_import(org_a: Any) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(HEADER.strip().split(";"))
    ws.append(["11111111", "101", 2025, 400, 200, 41.5, 50, 60, 1.2, 10, 12, 30])
    buffer = io.BytesIO()
    wb.save(buffer)
    result = import_indicators(buffer.getvalue(), "data.xlsx", actor=None)
    assert result.ok, result.errors
    assert DepartmentIndicators.objects.get().outside_work_education == D("41.5")


def test_designations_replace_the_list_of_a_year(org_a: Any, org_b: Any) -> None:
    first = (
        "cvr;afdelingsnr;aar;type\n11111111;101;2024;forebyggelsesområde\n22222222;202;2024;udsat\n"
    ).encode()
    assert import_designations(first, "l.csv", actor=None).ok
    assert AreaDesignation.objects.count() == 2
    second = b"cvr;afdelingsnr;aar;type\n22222222;202;2024;parallelsamfund\n"
    assert import_designations(second, "l.csv", actor=None).ok
    assert list(AreaDesignation.objects.values_list("department__number", "kind")) == [
        ("202", "parallelsamfund")
    ]


def test_designation_errors(org_a: Any) -> None:
    bad = b"cvr;afdelingsnr;aar;type\n11111111;101;2024;ghetto\n11111111;101;1999;udsat\n"
    result = import_designations(bad, "l.csv", actor=None)
    texts = [str(e) for e in result.errors]
    assert (
        "Linje 2, kolonne 'type': skal være en af forebyggelse, forebyggelsesomraade, omdannelse, "
        "omdannelsesomraade, parallelsamfund, udsat, udsat_boligomraade (fik 'ghetto')" in texts
    ), texts
    assert "Linje 3, kolonne 'aar': skal være mindst 2010 (fik 1999)" in texts, texts
    assert AreaDesignation.objects.count() == 0


def test_a_designation_twice_is_refused_naming_the_first_line(org_a: Any) -> None:
    data = b"cvr;afdelingsnr;aar;type\n11111111;101;2024;udsat\n11111111;101;2024;Udsat\n"
    result = import_designations(data, "l.csv", actor=None)
    assert not result.ok
    assert [str(e) for e in result.errors] == ["Linje 3: samme udpegning står også på linje 2"]
    assert AreaDesignation.objects.count() == 0


def test_cells_are_read_by_the_shared_reader(org_a: Any) -> None:
    """Year, counts and values are read by `Cells`: its messages name the line and the column."""
    data = csv(
        "11111111;101;to tusind;400;200;45;50;52;1,5;20;12;40",
        "11111111;101;2099;-3;200;45;50;52;1,5;20;12;40",
        "11111111;101;2024;400;200;45,25;50;52;1,555;20;12;40",
        "11111111;101;2023;*;diskr;45;50;52;1,5;20;12;40",
    )
    result = import_indicators(data, "x.csv", actor=None)
    assert not result.ok
    texts = [str(e) for e in result.errors]
    assert "Linje 2, kolonne 'aar': skal være et helt tal (fik 'to tusind')" in texts
    this_year = timezone.localdate().year
    assert f"Linje 3, kolonne 'aar': må højst være {this_year} (fik 2099)" in texts
    assert "Linje 3, kolonne 'beboere': skal være mindst 0 (fik -3)" in texts
    assert (
        "Linje 4, kolonne 'uden_for_arbejde_uddannelse': må højst have 1 decimal (fik '45,25')"
        in texts
    )
    assert (
        "Linje 4, kolonne 'doemte_x_landsgennemsnit': må højst have 2 decimaler (fik '1,555')"
        in texts
    )
    # Suppressed counts are no error of their own; the row's values need them.
    assert [t for t in texts if t.startswith("Linje 5")] == [
        "Linje 5, kolonne 'beboere': beboere og husstande skal udfyldes, når rækken har værdier"
    ]
    assert DepartmentIndicators.objects.count() == 0


def test_a_missing_cvr_and_department_number_are_both_named(org_a: Any) -> None:
    result = import_indicators(csv(";;2025;400;200;45;50;52;1,5;20;12;40"), "x.csv", actor=None)
    assert [str(e) for e in result.errors] == [
        "Linje 2, kolonne 'afdelingsnr': skal udfyldes",
        "Linje 2, kolonne 'cvr': skal udfyldes",
    ]


def test_a_partial_file_keeps_the_columns_it_does_not_have(monitored: Any) -> None:
    """The review's file: only move-out rates for a red department. The other indicators stay,
    and so does the status (it must not turn green and open the department)."""
    data = b"cvr;afdelingsnr;aar;beboere;husstande;fraflytning\n11111111;101;2025;169;93;9,5\n"
    result = import_indicators(data, "fraflytning.csv", actor=None, on_date=TODAY)
    assert result.ok, result.errors
    assert (result.rows, result.updated) == (1, 1)
    row = DepartmentIndicators.objects.get(department=monitored["a"], year=2025)
    assert row.move_out_rate == D("9.5") and (row.residents, row.households) == (169, 93)
    assert row.outside_work_education == D("45.0")
    assert row.basic_schooling_only == D("50.0")
    assert row.income_relative_region == D("52.0")
    assert row.public_support == D("40.0")
    assert DepartmentStatus.objects.get(department=monitored["a"]).status == "red"


def test_an_empty_cell_in_a_column_the_file_has_clears_the_value(monitored: Any) -> None:
    data = b"cvr;afdelingsnr;aar;beboere;husstande;kun_grundskole\n11111111;101;2025;400;200;\n"
    assert import_indicators(data, "x.csv", actor=None, on_date=TODAY).ok
    row = DepartmentIndicators.objects.get(department=monitored["a"], year=2025)
    assert row.basic_schooling_only is None and row.income_relative_region == D("52.0")


def test_a_partial_file_can_still_suppress_a_stored_row(monitored: Any) -> None:
    data = b"cvr;afdelingsnr;aar;beboere\n11111111;101;2025;60\n"
    assert import_indicators(data, "x.csv", actor=None, on_date=TODAY).ok
    row = DepartmentIndicators.objects.get(department=monitored["a"], year=2025)
    assert row.suppressed and row.households == 200 and row.income_relative_region is None


def test_a_new_year_with_move_out_rates_only_leaves_the_judgement_on_the_last_figures(
    monitored: Any,
) -> None:
    """A year without any criterion value says nothing about the criteria: the department is
    judged by the year before it, and does not turn green."""
    DepartmentIndicators.objects.filter(year=2025).delete()
    data = b"cvr;afdelingsnr;aar;beboere;husstande;fraflytning\n11111111;101;2025;169;93;9,5\n"
    assert import_indicators(data, "x.csv", actor=None, on_date=TODAY).ok
    status = DepartmentStatus.objects.get(department=monitored["a"])
    assert (status.status, status.indicator_year) == ("red", 2024)


def test_a_value_with_trailing_zeros_beyond_its_places_is_read(org_a: Any) -> None:
    """A spreadsheet column formatted with two decimals saves 45,00 and 1,500: the same values
    as 45 and 1,5. The whole file was refused ("may have at most 1 decimal"); a decimal that is
    not zero still is."""
    data = csv("11111111;101;2024;400;200;45,00;50,0;52,10;1,500;20;12;40,00")
    result = import_indicators(data, "x.csv", actor=None)
    assert result.ok, [str(e) for e in result.errors]
    row = DepartmentIndicators.objects.get(year=2024)
    assert (row.outside_work_education, row.income_relative_region) == (D("45.0"), D("52.1"))
    assert row.convictions_relative_national == D("1.50") and row.public_support == D("40.0")
    refused = import_indicators(
        csv("11111111;101;2023;400;200;45,01;50;52;1,5;20;12;40"), "x.csv", actor=None
    )
    assert [str(e) for e in refused.errors] == [
        "Linje 2, kolonne 'uden_for_arbejde_uddannelse': må højst have 1 decimal (fik '45,01')"
    ]
