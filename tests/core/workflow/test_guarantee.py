from __future__ import annotations

import datetime as dt

import pytest

from anvis_core.workflow.guarantee import (
    ClaimProblem,
    GuaranteeKind,
    GuaranteeTerms,
    check_guarantee_claim,
    guarantee_period_end,
)

TERMS = GuaranteeTerms(
    move_out_repairs=True,
    first_year_arrears=False,
    period_months=12,
    max_repairs=20_000,
    max_arrears=None,
    repairs_period_months=12,
)
START = dt.date(2025, 1, 31)


def check(**kw: object) -> list[ClaimProblem]:
    args: dict[str, object] = {
        "terms": TERMS,
        "kind": GuaranteeKind.MOVE_OUT_REPAIRS,
        "lease_start": START,
        "event_date": dt.date(2025, 6, 1),
        "amount": 5_000,
        "already_claimed": 0,
    }
    args.update(kw)
    return check_guarantee_claim(**args)  # type: ignore[arg-type]


def test_admissible() -> None:
    assert check() == []


def test_period_boundaries() -> None:
    end = guarantee_period_end(START, 12)
    assert end == dt.date(2026, 1, 31)
    assert check(event_date=START) == []
    assert check(event_date=end - dt.timedelta(days=1)) == []
    assert check(event_date=end) == [ClaimProblem.AFTER_PERIOD]
    assert check(event_date=START - dt.timedelta(days=1)) == [ClaimProblem.BEFORE_LEASE]


def test_month_end_lease_start() -> None:
    # 31 August + 6 months is the last day of February.
    assert guarantee_period_end(dt.date(2025, 8, 31), 6) == dt.date(2026, 2, 28)


@pytest.mark.parametrize(
    ("already", "amount", "ok"), [(15_000, 5_000, True), (15_000, 5_001, False), (0, 20_001, False)]
)
def test_maximum_counts_earlier_claims(already: int, amount: int, ok: bool) -> None:
    problems = check(already_claimed=already, amount=amount)
    assert (ClaimProblem.OVER_MAXIMUM not in problems) is ok


def test_not_covered_and_not_positive_reported_together() -> None:
    assert check(kind=GuaranteeKind.FIRST_YEAR_ARREARS, amount=0) == [
        ClaimProblem.NOT_COVERED,
        ClaimProblem.NOT_POSITIVE,
    ]


def test_separate_periods_for_arrears_and_repairs_or_none() -> None:
    from dataclasses import replace

    terms = replace(TERMS, first_year_arrears=True, period_months=6, repairs_period_months=None)
    late = dt.date(2027, 6, 1)  # more than two years after the lease start
    # Move-out repairs have no time limit under these terms.
    assert check(terms=terms, event_date=late) == []
    # Arrears (rent loss) are limited to 6 months: 31.07.2025 is the first day not covered.
    arrears = {"terms": terms, "kind": GuaranteeKind.FIRST_YEAR_ARREARS}
    assert check(**arrears, event_date=dt.date(2025, 7, 30)) == []
    assert check(**arrears, event_date=dt.date(2025, 7, 31)) == [ClaimProblem.AFTER_PERIOD]
    assert terms.period(GuaranteeKind.FIRST_YEAR_ARREARS) == 6
    assert terms.period(GuaranteeKind.MOVE_OUT_REPAIRS) is None
    no_limit = replace(terms, period_months=None)
    assert check(terms=no_limit, kind=GuaranteeKind.FIRST_YEAR_ARREARS, event_date=late) == []


def test_a_claim_is_for_what_has_happened() -> None:
    day = dt.date(2025, 6, 1)
    assert check(event_date=day, today=day) == []
    assert check(event_date=day + dt.timedelta(days=1), today=day) == [ClaimProblem.IN_THE_FUTURE]
