"""The report's tenancy figures on hand-made snapshots: Kaplan–Meier retention with censoring
by group, small cells suppressed as "<5", endings, returns and shelter days around move-in."""

from __future__ import annotations

from typing import Any

from anvis_core.reports import build_report, format_cell, suppressed_report

from .test_figures import snap


def tenancy(
    citizen: int,
    move_in: str,
    ended: str | None = None,
    reason: str = "",
    org: str = "Alfa",
    method: str = "cti",
    band: str = "30–39",
    opened: str = "2024-01-01",
) -> list[Any]:
    return [citizen, opened, move_in, ended, reason, org, method, band]


def row(report: Any, key: str, label: str) -> list[str]:
    for r in report.table(key).rows:
        if str(r[0].value) == label:
            return [format_cell(c) for c in r]
    raise KeyError(label)


# Ten tenancies of Alfa moved in on 1 January 2025, followed to 30 June 2026 (545 days):
# one lost the home after 100 days (eviction), one after 200 days (unknown ending), one moved
# on to another dwelling after 150 days (censored), the rest still live there.
TEN = [
    tenancy(1, "2025-01-01", "2025-04-11", "eviction"),
    tenancy(2, "2025-01-01", "2025-07-20", "unknown"),
    tenancy(3, "2025-01-01", "2025-05-31", "transfer"),
    *[tenancy(i, "2025-01-01") for i in range(4, 11)],
]


def test_retention_is_kaplan_meier_with_censoring() -> None:
    report = build_report(snap(tenancies=TEN))
    alfa = row(report, "retention_km_organisation", "Alfa")
    assert alfa[1] == "10"
    # 3 months (91 days): no event yet. 6 months (183 days): 1 event of 10 at risk → 90 %.
    assert alfa[2] == "100,0 %"
    assert alfa[4] == "90,0 %"
    # 12 months: the transfer is censored at 150 days, so the second loss at 200 days is one
    # of 8 at risk: 0.9 × 7/8 = 78.75 %.
    assert alfa[6] == "78,8 %"
    # 24 months: nobody is followed that long.
    assert alfa[8] == "–"
    # The band is the log-log band around 78.75 %.
    assert alfa[7].endswith(" %") and alfa[7].startswith("3")


def test_small_groups_are_shown_as_under_five_for_the_steering_group() -> None:
    four = [tenancy(20 + i, "2025-01-01", org="Beta", method="act") for i in range(4)]
    report = build_report(snap(tenancies=TEN + four))
    assert row(report, "retention_km_organisation", "Beta")[4] == "100,0 %"
    shown = suppressed_report(report)
    beta = row(shown, "retention_km_organisation", "Beta")
    assert beta[1:] == ["<5"] * 9
    alfa = row(shown, "retention_km_organisation", "Alfa")
    # Alfa's ten were all followed past 6 months, so "90,0 %" of 10 would tell that exactly one
    # lost the home (as a share tells its numerator): an estimate resting on fewer than 5
    # homes lost is suppressed, as is one resting on fewer than 5 still followed.
    assert alfa[1] == "10"
    assert alfa[2:] == ["<5"] * 8


def test_an_estimate_resting_on_five_or_more_of_everything_is_shown_to_the_steering_group() -> None:
    # Twenty tenancies of Gamma: five lost the home within 100 days, the rest still live there.
    lost = [tenancy(40 + i, "2025-01-01", "2025-03-01", "eviction", org="Gamma") for i in range(5)]
    kept = [tenancy(50 + i, "2025-01-01", org="Gamma") for i in range(15)]
    shown = suppressed_report(build_report(snap(tenancies=lost + kept)))
    gamma = row(shown, "retention_km_organisation", "Gamma")
    assert gamma[1] == "20"
    assert gamma[2] == gamma[4] == gamma[6] == "75,0 %"


def test_endings_returns_and_shelter_days_around_move_in() -> None:
    cases = [
        [
            1,
            "2024-01-01",
            "2024-01-01",
            "2025-04-11",
            "2025-01-01",
            "shelter_110",
            "30–39",
            "male",
            None,
        ],
        [1, "2025-05-01", "2025-05-01", None, None, "shelter_110", "30–39", "male", None],
    ]
    stays = [[1, "2024-10-01", "2024-12-31"], [1, "2025-04-20", None]]
    report = build_report(snap(tenancies=TEN, cases=cases, stays=stays))
    q1 = row(report, "tenancy_outcomes", "2025-Q1")
    # moved in, median days case → move-in, moved out, lost, evictions, returns, followed a
    # year, shelter days in the year before (1 Oct–31 Dec 2024) and after (20 Apr 2025 on)
    assert q1[1:] == ["10", "366", "3", "2", "1", "1", "10", "91", "256"]
