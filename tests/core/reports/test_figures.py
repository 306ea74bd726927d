"""The report's figures on hand-made snapshots (no database)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anvis_core.quotas import LedgerRecord, Outcome, Quarter, compute_ledger
from anvis_core.reports import (
    build_report,
    format_cell,
    organisation_figures,
    snapshot_hash,
    suppressed_report,
)
from anvis_core.reports.figures import ledger_cells, ledger_series, retained
from anvis_core.reports.snapshot import SNAPSHOT_FORMAT, quarters_for


def snap(**parts: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "format": SNAPSHOT_FORMAT,
        "quarter": "2026-Q2",
        "as_of": "2026-06-30",
        "agreement": "Aftale",
        "organisations": {"1": "Alfa", "2": "Beta"},
        "caps": {"department": 3, "entrance": 2},
    }
    base.update(parts)
    return base


def cell(report: Any, key: str, row: int, col: int) -> str:
    return format_cell(report.table(key).rows[row][col])


def test_quarters_for_runs_back_over_the_year_boundary() -> None:
    assert [str(q) for q in quarters_for(Quarter(2026, 2))] == [
        "2025-Q3",
        "2025-Q4",
        "2026-Q1",
        "2026-Q2",
    ]


def test_hash_is_canonical() -> None:
    a = snap(cases=[])
    b = dict(reversed(list(a.items())))
    assert snapshot_hash(a) == snapshot_hash(b)
    assert snapshot_hash(a) != snapshot_hash(snap(quarter="2026-Q1"))


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError):
        build_report(snap(format=99))


def test_an_empty_snapshot_gives_a_report_of_zeros() -> None:
    report = build_report(snap())
    assert cell(report, "turns_by_quarter", 3, 1) == "0"
    assert [s.key for s in report.sections] == [
        "agreement",
        "allocation",
        "waiting",
        "money",
        "outcomes",
        "declines",
        "fairness",
    ]


def case(
    citizen: int,
    opened: str,
    *,
    housed: str | None = None,
    closed: str | None = None,
    waiting: str | None = None,
    situation: str = "rough_sleeping",
    band: str = "30–39",
    sex: str = "male",
    rent: int | None = 3200,
) -> list[Any]:
    return [citizen, opened, waiting or opened, closed, housed, situation, band, sex, rent]


def test_waiting_list_on_the_quarter_end() -> None:
    cases = [
        case(1, "2026-01-01"),  # waiting 180 days on 30 June
        case(2, "2026-06-20"),  # waiting 10 days
        case(3, "2026-03-01", housed="2026-06-30"),  # housed on the day: not waiting
        case(4, "2026-03-01", closed="2026-05-01"),  # closed: not waiting
        case(5, "2026-07-01"),  # not yet registered
        case(6, "2026-02-01", housed="2026-05-02"),  # housed in Q2 after 90 days
    ]
    report = build_report(snap(cases=cases))
    t = report.table("waiting_by_quarter")
    row = t.rows[-1]
    assert format_cell(row[1]) == "2"
    assert format_cell(row[2]) == "95"  # median of 10 and 180
    assert format_cell(row[3]) == "180"
    assert format_cell(row[5]) == "2"  # housed in Q2: cases 3 and 6
    assert format_cell(row[6]) == "105,5"  # median of 121 (case 3) and 90 (case 6)
    # one quarter earlier (31 March): cases 1, 3, 4 and 6 were waiting
    assert format_cell(t.rows[-2][1]) == "4"


def test_returns_to_homelessness_need_an_earlier_housed_case() -> None:
    cases = [
        case(1, "2025-01-01", housed="2025-03-01", closed="2025-10-01"),
        case(1, "2026-05-01"),  # returned after being housed
        case(2, "2025-01-01", closed="2025-06-01"),
        case(2, "2026-05-02"),  # earlier case never housed: not a return
    ]
    report = build_report(snap(cases=cases))
    row = report.table("returns").rows[-1]
    assert [format_cell(c) for c in row[1:3]] == ["2", "1"]


def test_retention_counts_the_cohort_whose_anniversary_falls_in_the_quarter() -> None:
    placements = [
        ["2025-10-15", None, "living", 6],
        ["2025-11-01", "2026-01-10", "terminated", 1],  # out before 6 months
        ["2025-12-01", "2026-02-01", "moved_on", 1],  # planned move on: retained
        ["2025-12-31", "2026-06-30", "abandoned", 1],  # left on the anniversary: retained
        ["2025-11-15", "2026-03-01", "died", 2],  # neither kept nor lost: left out
        ["2026-01-01", None, "living", 3],  # 6 months on 1 July: next quarter
    ]
    report = build_report(snap(placements=placements))
    row = report.table("retention").rows[-1]
    assert row[1].bases == (8, 9, 1)
    assert format_cell(row[1]) == "88,9 %"
    suppressed = suppressed_report(report)
    # 88,9 % of 9 tells that exactly one was not retained: suppressed with that count
    assert format_cell(suppressed.table("retention").rows[-1][1]) == "<5"
    assert format_cell(suppressed.table("retention").rows[-1][2]) == "<5"  # no 12-month cohort


@pytest.mark.parametrize(
    ("moved_out", "outcome", "kept"),
    [
        (None, "living", True),
        ("2026-06-30", "terminated", False),
        ("2026-07-01", "terminated", True),
        ("2026-03-01", "moved_on", True),
        ("2026-03-01", "other", False),
        ("2026-03-01", "died", None),
        ("2026-07-01", "died", True),
    ],
)
def test_retained_at_the_anniversary(
    moved_out: str | None, outcome: str, kept: bool | None
) -> None:
    out = dt.date.fromisoformat(moved_out) if moved_out else None
    assert retained(dt.date(2026, 1, 1), out, outcome, 6) is kept


def test_supply_gap_counts_waiting_by_max_rent_and_accepted_dwellings_by_rent() -> None:
    cases = [case(i, "2026-01-01", rent=r) for i, r in enumerate([2500, 3400, 3450, 3600, None], 1)]
    vacancies = [
        ["Alfa", "2026-04-01", "2026-04-05", None, None, None, 3480],
        ["Alfa", "2026-04-01", "2026-04-06", None, None, None, 5200],
        ["Alfa", "2026-04-01", None, None, None, None, 3100],  # not accepted
    ]
    report = build_report(snap(cases=cases, vacancies=vacancies))
    rows = {format_cell(r[0]): (r[1].value, r[2].value) for r in report.table("supply_gap").rows}
    assert rows["< 3.000"] == (1, 0)
    assert rows["3.000–3.499"] == (2, 1)
    assert rows["3.500–3.999"] == (1, 0)
    assert rows["≥ 5.000"] == (0, 1)
    assert rows["rent.unknown"] == (1, 0)


def test_supply_gap_counts_households_judged_on_a_housing_budget_on_their_own_row() -> None:
    """Such a household has no maximum rent (the gate judges each dwelling with its estimated
    housing benefit): its income rule's amount is not put in a rent band."""
    cases = [
        case(1, "2026-01-01", rent=2800),
        [*case(2, "2026-01-01", rent=2800), True],
        [*case(3, "2026-01-01", rent=3600), False],
    ]
    report = build_report(snap(cases=cases))
    rows = {format_cell(r[0]): r[1].value for r in report.table("supply_gap").rows}
    assert rows["< 3.000"] == 1
    assert rows["3.500–3.999"] == 1
    assert rows["rent.budget"] == 1


def test_a_report_frozen_before_the_budget_flag_keeps_its_supply_gap_rows() -> None:
    """A frozen report is rebuilt from its stored snapshot, so the rows a meeting saw are shown
    again: a snapshot whose case rows carry no budget flag (made before it was recorded) told no
    budget households apart, so its supply gap gets no budget row claiming there were none."""
    old = build_report(snap(cases=[case(1, "2026-01-01", rent=2800)]))
    assert "rent.budget" not in {format_cell(r[0]) for r in old.table("supply_gap").rows}
    new = build_report(snap(cases=[[*case(1, "2026-01-01", rent=2800), False]]))
    rows = {format_cell(r[0]): r[1].value for r in new.table("supply_gap").rows}
    assert rows["rent.budget"] == 0 and rows["< 3.000"] == 1


def test_flow_days_are_medians_from_the_report_date() -> None:
    vacancies = [
        ["Alfa", "2026-04-01", "2026-04-03", "2026-04-10", "2026-05-01", "2026-05-15", 3000],
        ["Alfa", "2026-04-01", "2026-04-05", "2026-04-12", None, None, 3000],
    ]
    report = build_report(snap(vacancies=vacancies))
    row = report.table("flow_days").rows[-1]
    assert [c.value for c in row[1:]] == [Decimal(3), Decimal(10), Decimal(30), Decimal(44)]
    assert row[1].bases == (2,)


def test_shelter_days_and_85a_timing() -> None:
    stays = [[1, "2026-03-20", "2026-04-11"], [2, "2026-06-25", None]]
    decisions = [[1, "2026-04-05", "s85a"], [1, "2026-05-01", "cti"], [3, "2026-05-01", "act"]]
    cases = [case(1, "2026-01-01"), case(2, "2026-01-01"), case(3, "2026-01-01")]
    report = build_report(snap(stays=stays, decisions_85a=decisions, cases=cases))
    shelter = report.table("shelter").rows[-1]
    # citizen 1: 1–10 April (10 nights); citizen 2: 25–30 June (6 days through the quarter end)
    assert shelter[1].value == 16
    assert shelter[2].value == 2
    support = report.table("support_85a").rows[-1]
    assert [c.value for c in support[1:4]] == [3, 1, 1]  # one before, one after, one n/a
    assert support[4].bases == (1, 2, 1)


def records_strategy() -> Any:
    day = st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2026, 12, 31))
    outcome = st.sampled_from(list(Outcome))
    return st.lists(
        st.tuples(
            st.integers(1, 3),
            day,
            st.booleans(),
            st.booleans(),
            st.sampled_from([0, 25, 50]),
            outcome,
        ),
        max_size=40,
    )


@given(records_strategy())
def test_grouped_ledger_equals_compute_ledger(rows: list[Any]) -> None:
    records = []
    for org, day, eligible, municipal, share, outcome in rows:
        municipal = municipal and eligible
        if outcome is Outcome.PENDING:
            municipal = eligible = True
        records.append(
            LedgerRecord(org, 0, day, eligible, municipal, Fraction(share, 100), outcome)
        )
    groups: dict[tuple[Any, ...], int] = {}
    for r in records:
        key = (
            r.organisation_id,
            Quarter.of(r.report_date).start,
            r.eligible,
            r.municipal,
            r.share,
            r.outcome,
        )
        groups[key] = groups.get(key, 0) + 1
    grouped = [
        (LedgerRecord(o, 0, day, e, m, s, x), n) for (o, day, e, m, s, x), n in groups.items()
    ]
    quarters = quarters_for(Quarter(2026, 2), 6)
    series = ledger_series(ledger_cells(grouped), quarters)
    for quarter in quarters:
        expected = compute_ledger(records, key=lambda r: r.organisation_id, quarter=quarter)
        got = series[quarter]
        assert set(got) == set(expected)
        for k, line in expected.items():
            assert got[k].quarter == line.quarter
            assert got[k].cumulative == line.cumulative
            assert got[k].municipal == sum(
                1
                for r in records
                if r.organisation_id == k
                and r.municipal
                and r.eligible
                and Quarter.of(r.report_date) == quarter
            )


def test_the_cap_tables_tell_the_steering_group_nothing_about_suppressed_counts() -> None:
    """With a stairwell cap of 1, listing a stairwell or counting it "at the cap, none over"
    tells that exactly one citizen was placed there. The steering group's edition lists and
    counts only the units whose count it shows; the exact edition is as before."""
    windows = [[f"Vej {i}", "Afd. 1", 1, 0] for i in range(30)] + [["Vej 99", "Afd. 2", 6, 5]]
    report = build_report(snap(caps={"department": 10, "entrance": 1}, entrance_windows=windows))
    exact = report.table("entrance_caps")
    assert len(exact.rows) == 25
    assert exact.note_params == {
        "shown": 25,
        "total": 31,
        "at_cap": 31,
        "over_cap": 1,
        "over_cap_overridden": 1,
    }
    steering = suppressed_report(report).table("entrance_caps")
    assert [r[0].value for r in steering.rows] == ["Vej 99"]
    assert format_cell(steering.rows[0][2]) == "6"
    assert steering.note == "top_rows_suppressed"
    p = steering.note_params
    assert (p["shown"], format_cell(p["total"]), p["threshold"]) == (1, "31", 5)
    # of the one unit with 5 or more: at and over the cap, but 1 is itself under 5
    assert [format_cell(p[k]) for k in ("at_cap", "over_cap", "over_cap_overridden")] == [
        "<5",
        "<5",
        "<5",
    ]


def test_organisation_tables_show_the_largest_25_then_the_others_then_the_total() -> None:
    """The ledger's and the money's tables of organisations share one rule: the 25 largest on a
    row each, the rest together on one row with a note of how many are shown, then the total."""
    names = {str(i): f"Org {i:02d}" for i in range(1, 28)}
    leases = [(names[str(i)], "2026-05-01", i, str(i * 100)) for i in range(1, 28)]
    report = build_report(snap(organisations=names, leases=leases, claims=[]))

    money = report.table("money_organisations")
    labels = [row[0].value for row in money.rows]
    assert labels[:3] == ["Org 27", "Org 26", "Org 25"] and labels[24] == "Org 03"
    assert labels[25:] == ["org.others", "total"]
    others, total = money.rows[25], money.rows[26]
    assert (others[1].value, others[2].value, others[3].value) == (2, 3, Decimal(300))
    assert (total[1].value, total[3].value) == (27, Decimal(sum(range(1, 28)) * 100))
    assert money.note == "top_organisations"
    assert money.note_params == {"shown": 25, "total": 27}

    ledger = report.table("ledger_organisations")
    assert [row[0].value for row in ledger.rows][24:] == ["Org 25", "org.others", "total"]
    assert ledger.note == "top_organisations"
    assert ledger.note_params == {"shown": 25, "total": 27}

    few = build_report(snap(leases=leases[:2], claims=[])).table("money_organisations")
    assert [row[0].value for row in few.rows] == ["Org 02", "Org 01", "total"]
    assert few.note == ""


def test_every_organisation_has_its_own_row_made_as_the_reports_rows_are() -> None:
    """`organisation_figures` (the governance dialogue's) gives each organisation's own row:
    the report's row for the 25 it shows by name, and for the rest rows that add up to its
    "other organisations" row."""
    names = {str(i): f"Org {i:02d}" for i in range(1, 28)}
    leases = [(names[str(i)], "2026-05-01", i, str(i * 100)) for i in range(1, 28)]
    claims = [(names[str(i)], "2026-06-01", 50) for i in (1, 27)]
    # Org i reported i eligible vacancies in the quarter, all municipal turns, i // 2 accepted.
    turns = [
        [i, "2026-04-01", True, True, "1/4", outcome, n]
        for i in range(1, 28)
        for outcome, n in (("accepted", i // 2), ("pending", i - i // 2))
        if n
    ]
    tenancies = [
        [i, "2025-01-01", "2025-02-01", None, "", names[str(i % 3 + 1)], "", "30–39"]
        for i in range(1, 12)
    ]
    raw = snap(organisations=names, leases=leases, claims=claims, turns=turns, tenancies=tenancies)
    report = build_report(raw)
    figures = organisation_figures(raw)
    assert figures.as_of == report.as_of

    for table, rows, key in (
        (report.table("ledger_organisations"), figures.ledger, lambda i: i),
        (report.table("money_organisations"), figures.money, lambda i: names[str(i)]),
    ):
        by_label = {r[0].value: r for r in table.rows}
        shown = [i for i in range(1, 28) if names[str(i)] in by_label]
        assert len(shown) == 25 and "org.others" in by_label
        for i in shown:
            assert rows.row(key(i)) == by_label[names[str(i)]]
        rest = [rows.row(key(i)) for i in range(1, 28) if i not in shown]
        assert [r[0].value for r in rest if r] == ["Org 01", "Org 02"]
        others = by_label["org.others"]
        for column in (1, 4, 5):  # counts (and the money's claims paid) add up
            assert sum(r[column].value for r in rest if r) == others[column].value
        assert rows.table(key(1)) is not None and rows.table(key(1)).columns == table.columns

    retention = {r[0].value: r for r in report.table("retention_km_organisation").rows}
    for name in ("Org 01", "Org 02", "Org 03"):
        assert figures.retention.row(name) == retention[name]
    assert figures.retention.row("Org 04") is None
    assert figures.money.row("Org 99") is None and figures.ledger.row(99) is None
    assert [t.key for t in figures.tables(1, "Org 01")] == [
        "ledger_organisations",
        "money_organisations",
        "retention_km_organisation",
    ]
    assert [t.key for t in figures.tables(4, "Org 04")] == [
        "ledger_organisations",
        "money_organisations",
    ]


def test_the_ledger_shows_the_turns_the_municipality_handed_back() -> None:
    """A dwelling the municipality accepted and handed back under a version that does not count
    a hand-back as delivered is not delivered and not the organisation's own letting: the
    report's ledger counts it on its own, as the ledger page, its downloads and the API do, so
    the municipal turns add up (delivered + pending + let by the organisation + handed back)."""
    turns = [
        [1, "2026-04-01", True, True, "1/4", "accepted", 2, False],
        [1, "2026-04-01", True, True, "1/4", "pending", 1, False],
        [1, "2026-04-01", True, True, "1/4", "ordinary", 1, False],
        [1, "2026-04-01", True, True, "1/4", "ordinary", 3, True],
        [1, "2026-04-01", True, False, "1/4", "ordinary", 5, False],
    ]
    table = build_report(snap(turns=turns)).table("ledger_organisations")
    assert "handed_back" in table.columns
    row = {r[0].value: r for r in table.rows}["Alfa"]
    value = dict(zip(table.columns, (c.value for c in row), strict=True))
    assert (value["municipal_turns"], value["handed_back"], value["withdrawn"]) == (7, 3, 1)
    parts = ("delivered", "pending", "withdrawn", "handed_back")
    assert sum(value[k] for k in parts) == value["municipal_turns"]
