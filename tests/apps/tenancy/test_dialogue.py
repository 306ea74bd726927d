"""The governance dialogue's organisation figures are the quarterly report's, for every party to
the agreement: the report shows the largest organisations by name and adds up the rest in one
row, but each organisation's pack and its line side by side carry its own row."""

from __future__ import annotations

from typing import Any

import pytest

from anvis.reports.labels import cell_text
from anvis.reports.selectors import report_build
from anvis.tenancy.dialogue import dialogue_pack, side_by_side
from anvis_core.reports import Table, suppress

from ..reports.conftest import QUARTER, dataset

pytestmark = pytest.mark.django_db
DAY = QUARTER.end  # the dialogue's quarter is the report's quarter of the data set
__all__ = ["dataset"]  # the reports' data set, used here as a fixture


def _texts(table: Table, label: str, *, suppressed: bool) -> list[str]:
    """The figures of the report's row `label` as a page writes them."""
    shown = suppress(table) if suppressed else table
    rows = [r for r in shown.rows if r[0].value == label]
    assert len(rows) == 1, (table.key, label)
    return [cell_text(c) for c in rows[0][1:]]


def _pack_texts(pack: Any, key: str) -> list[str]:
    tables = {t.key: t for t in pack.tables}
    assert key in tables, f"{key} missing from {pack.organisation.name}'s pack"
    (row,) = tables[key].rows
    assert row[0][0] == pack.organisation.name
    return [text for text, _numeric in row[1:]]


def _report_of_one(dataset: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The report showing one organisation by name: Alfa (8 eligible vacancies, most money);
    Beta (2 eligible) is the only one in "the other organisations", so that row is Beta's own."""
    monkeypatch.setattr("anvis_core.reports.figures.TOP_ROWS", 1)
    _raw, report = report_build(quarter=QUARTER, today=DAY)
    names = [dataset.org_a.name, "org.others", "total"]
    for key in ("ledger_organisations", "money_organisations"):
        assert [r[0].value for r in report.table(key).rows] == names
    return report


@pytest.mark.parametrize("suppressed", [False, True])
def test_an_organisation_outside_the_largest_keeps_its_rows_in_its_pack(
    dataset: Any, monkeypatch: pytest.MonkeyPatch, suppressed: bool
) -> None:
    report = _report_of_one(dataset, monkeypatch)
    a, b = dataset.org_a, dataset.org_b
    for org, label in ((a, a.name), (b, "org.others")):
        pack = dialogue_pack(organisation=org, today=DAY, suppressed=suppressed)
        for key in ("ledger_organisations", "money_organisations"):
            expected = _texts(report.table(key), label, suppressed=suppressed)
            assert _pack_texts(pack, key) == expected, (org.name, key)


@pytest.mark.parametrize("suppressed", [False, True])
def test_an_organisation_outside_the_largest_keeps_its_figures_side_by_side(
    dataset: Any, monkeypatch: pytest.MonkeyPatch, suppressed: bool
) -> None:
    report = _report_of_one(dataset, monkeypatch)
    a, b = dataset.org_a, dataset.org_b
    listing = side_by_side(organisations=[a, b], today=DAY, suppressed=suppressed)
    by_name = {row[0][0]: [text for text, _numeric in row[1:5]] for row in listing.rows}
    for org, label in ((a, a.name), (b, "org.others")):
        ledger = _texts(report.table("ledger_organisations"), label, suppressed=suppressed)
        money = _texts(report.table("money_organisations"), label, suppressed=suppressed)
        # expected, delivered; void rent paid, claims paid (the amount)
        assert by_name[org.name] == [ledger[1], ledger[3], money[2], money[4]], org.name


def test_the_packs_figures_are_the_reports_for_the_organisations_it_shows(dataset: Any) -> None:
    _raw, report = report_build(quarter=QUARTER, today=DAY)
    for org in (dataset.org_a, dataset.org_b):
        pack = dialogue_pack(organisation=org, today=DAY, suppressed=False)
        for key in ("ledger_organisations", "money_organisations"):
            assert _pack_texts(pack, key) == _texts(report.table(key), org.name, suppressed=False)


def test_the_retention_side_by_side_is_the_reports(let: dict[str, Any], org_a: Any) -> None:
    from django.utils import timezone

    from anvis_core.quotas import Quarter

    today = timezone.localdate()
    _raw, report = report_build(quarter=Quarter.of(today), today=today)
    (row,) = [r for r in report.table("retention_km_organisation").rows if r[0].value == org_a.name]
    listing = side_by_side(organisations=[org_a], today=today, suppressed=False)
    (line,) = listing.rows
    # tenancies, housed after 12 months
    assert [text for text, _numeric in line[5:]] == [cell_text(row[1]), cell_text(row[6])]
    assert line[5][0] == "1"
