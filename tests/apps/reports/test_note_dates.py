"""A table's note writes its date as the interface writes every date (`anvis.common.formats`),
not as the ISO string the stored snapshot keeps."""

from __future__ import annotations

from django.utils import translation

from anvis.reports.labels import note_text
from anvis_core.reports import Table
from anvis_core.reports.table import code, count


def test_the_monitoring_status_note_writes_a_danish_date() -> None:
    table = Table(
        "department_status",
        ("status", "departments"),
        ((code("status.green"), count(3)),),
        None,
        note="status_as_of",
        note_params={"as_of": "2026-12-08"},
    )
    with translation.override("da"):
        text = note_text(table)
    assert "08.12.2026" in text
    assert "2026-12-08" not in text


def test_no_date_no_note() -> None:
    table = Table(
        "department_status",
        ("status", "departments"),
        (),
        None,
        note="status_as_of",
        note_params={"as_of": ""},
    )
    with translation.override("da"):
        assert note_text(table) == ""
