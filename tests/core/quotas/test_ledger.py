import datetime as dt
from dataclasses import replace
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anvis_core.quotas import (
    BucketKey,
    LedgerFigures,
    LedgerRecord,
    LedgerStatus,
    Outcome,
    Quarter,
    TurnBook,
    can_set_outcome,
    check_turn_eligibility,
    compute_ledger,
    ledger_status,
)
from anvis_core.quotas.ledger import ledger_total, quarters_between

Q = Fraction(1, 4)


def rec(
    day: dt.date,
    outcome: Outcome,
    *,
    municipal: bool = True,
    eligible: bool = True,
    share: Fraction = Q,
    org: int = 1,
    dept: int = 10,
) -> LedgerRecord:
    return LedgerRecord(org, dept, day, eligible, municipal, share, outcome)


def test_quarter_arithmetic() -> None:
    q = Quarter.of(dt.date(2025, 5, 17))
    assert q == Quarter(2025, 2)
    assert q.start == dt.date(2025, 4, 1)
    assert q.end == dt.date(2025, 6, 30)
    assert Quarter(2025, 4).next() == Quarter(2026, 1)
    assert Quarter(2025, 1).previous() == Quarter(2024, 4)
    assert Quarter(2024, 1).end == dt.date(2024, 3, 31)
    assert Quarter.parse("2025-Q3") == Quarter(2025, 3)
    assert str(Quarter(2025, 3)) == "2025-Q3"
    with pytest.raises(ValueError):
        Quarter(2025, 5)
    assert len(quarters_between(Quarter(2023, 1), Quarter(2025, 4))) == 12


def test_counting_rules() -> None:
    day = dt.date(2025, 2, 1)
    records = [
        rec(day, Outcome.ACCEPTED),
        rec(day, Outcome.DECLINED),
        rec(day, Outcome.EXPIRED),
        rec(day, Outcome.PENDING),
        rec(day, Outcome.ORDINARY, municipal=False),
        rec(day, Outcome.ACCEPTED, municipal=False),  # an extra vacancy
        rec(day, Outcome.ORDINARY),  # a municipal turn the organisation let itself
        rec(day, Outcome.ORDINARY, municipal=False, eligible=False),  # ignored entirely
    ]
    line = compute_ledger(records, key=lambda r: r.organisation_id, quarter=Quarter(2025, 1))[1]
    f = line.quarter
    assert f.eligible == 7
    assert f.expected == Fraction(7, 4)
    assert (f.accepted, f.declined, f.expired, f.pending, f.ordinary, f.extra) == (2, 1, 1, 1, 1, 1)
    assert f.withdrawn == 1
    assert f.delivered == 4
    assert f.offered == 5
    assert f.balance == Fraction(13, 4)


def test_balance_carried_between_quarters() -> None:
    records = [rec(dt.date(2025, 1, 10 + i), Outcome.ORDINARY, municipal=False) for i in range(8)]
    records.append(rec(dt.date(2025, 4, 2), Outcome.ACCEPTED))
    q1 = compute_ledger(records, key=lambda r: r.organisation_id, quarter=Quarter(2025, 1))[1]
    assert q1.opening == 0
    assert q1.closing == -2
    q2 = compute_ledger(records, key=lambda r: r.organisation_id, quarter=Quarter(2025, 2))[1]
    assert q2.opening == -2
    assert q2.quarter.balance == Fraction(3, 4)
    assert q2.closing == Fraction(-5, 4)
    # A later quarter without vacancies still carries the balance.
    q3 = compute_ledger(records, key=lambda r: r.organisation_id, quarter=Quarter(2025, 3))[1]
    assert q3.quarter.eligible == 0
    assert q3.opening == q3.closing == Fraction(-5, 4)
    # Records after the selected quarter are not counted.
    assert compute_ledger(records, key=lambda r: 1, quarter=Quarter(2024, 4)) == {}


@pytest.mark.parametrize(
    ("expected", "offered", "shares", "status"),
    [
        (Fraction(0), 0, {Fraction(0)}, LedgerStatus.GREY),
        (Fraction(3), 3, {Q}, LedgerStatus.GREEN),
        (Fraction(3), 2, {Q}, LedgerStatus.GREEN),  # exactly one behind: still on share
        (Fraction(3), 9, {Q}, LedgerStatus.GREEN),  # ahead
        (Fraction(5), 3, {Q}, LedgerStatus.YELLOW),  # two behind, tolerance 1, margin 2
        (Fraction(6), 3, {Q}, LedgerStatus.YELLOW),  # three behind = 1 + 2, not beyond
        (Fraction(13, 2), 3, {Q}, LedgerStatus.RED),  # 3.5 behind
        (Fraction(5), 3, {Q, Fraction(2, 5)}, LedgerStatus.GREEN),  # two buckets: tolerance 2
        (Fraction(100), 90, {Q}, LedgerStatus.YELLOW),  # 10 behind; limit 1 + 10 % of 100 = 11
        (Fraction(100), 88, {Q}, LedgerStatus.RED),  # 12 behind
    ],
)
def test_status(expected: Fraction, offered: int, shares: set[Fraction], status: str) -> None:
    figures = LedgerFigures(
        eligible=10, expected=expected, accepted=offered, shares=frozenset(shares)
    )
    assert ledger_status(figures) == status


def test_outcome_transitions() -> None:
    assert can_set_outcome(Outcome.PENDING, Outcome.ACCEPTED)
    assert can_set_outcome(Outcome.PENDING, Outcome.DECLINED)
    assert can_set_outcome(Outcome.PENDING, Outcome.EXPIRED)
    assert can_set_outcome(Outcome.ORDINARY, Outcome.ACCEPTED)
    assert can_set_outcome(Outcome.PENDING, Outcome.ORDINARY)
    assert not can_set_outcome(Outcome.ORDINARY, Outcome.DECLINED)
    assert not can_set_outcome(Outcome.ACCEPTED, Outcome.DECLINED)
    # A hand-back the agreement does not count as delivered.
    assert can_set_outcome(Outcome.ACCEPTED, Outcome.ORDINARY)
    assert not can_set_outcome(Outcome.EXPIRED, Outcome.PENDING)


def test_eligibility_reports_every_failing_rule() -> None:
    ok = check_turn_eligibility(
        dwelling_type="family", rent=5000, covered_types={"family"}, rent_ceiling=5000
    )
    assert ok.eligible
    bad = check_turn_eligibility(
        dwelling_type="youth", rent=5600, covered_types={"family"}, rent_ceiling=5000
    )
    assert not bad.eligible
    assert [r.code for r in bad.reasons] == ["type_not_covered", "rent_over_ceiling"]
    assert bad.reasons[1].explain() == "Not eligible: rent 5600 kr is over the ceiling 5000 kr."


def test_buckets_count_separately() -> None:
    book = TurnBook()
    a, b = BucketKey(1, Q), BucketKey(1, Fraction(2, 5))
    turns_a = [book.decide(a).municipal for _ in range(4)]
    turns_b = [book.decide(b).municipal for _ in range(5)]
    assert turns_a == [False, False, False, True]
    assert sum(turns_b) == 2
    assert book.states[a].eligible == 4
    zero = BucketKey(2, Fraction(0))
    assert not any(book.decide(zero).municipal for _ in range(50))


# --- properties -------------------------------------------------------------------------------

SHARES = [Fraction(0), Fraction(1, 4), Fraction(27, 100), Fraction(2, 5)]
vacancy = st.tuples(
    st.integers(min_value=1, max_value=3),  # organisation
    st.integers(min_value=0, max_value=3),  # department within organisation
    st.integers(min_value=0, max_value=729),  # day offset within two years
    st.booleans(),  # eligible
    st.sampled_from([Outcome.ACCEPTED, Outcome.DECLINED, Outcome.EXPIRED, Outcome.PENDING]),
)
START = dt.date(2024, 1, 1)


def replay(vacancies: list[tuple[int, int, int, bool, Outcome]]) -> list[LedgerRecord]:
    book = TurnBook()
    records = []
    for org, dept, offset, eligible, settle in sorted(vacancies, key=lambda v: v[2]):
        share = SHARES[dept]
        municipal = False
        if eligible:
            municipal = book.decide(BucketKey(org, share)).municipal
        outcome = settle if municipal else Outcome.ORDINARY
        records.append(
            LedgerRecord(
                org,
                org * 10 + dept,
                START + dt.timedelta(days=offset),
                eligible,
                municipal,
                share,
                outcome,
            )
        )
    return records


@settings(max_examples=120, deadline=None)
@given(vacancies=st.lists(vacancy, max_size=200), q=st.integers(min_value=0, max_value=7))
def test_engine_keeps_every_organisation_on_share(
    vacancies: list[tuple[int, int, int, bool, Outcome]], q: int
) -> None:
    records = replay(vacancies)
    quarter = quarters_between(Quarter(2024, 1), Quarter(2025, 4))[q]
    lines = compute_ledger(records, key=lambda r: r.organisation_id, quarter=quarter)
    for line in lines.values():
        c = line.cumulative
        assert -c.tolerance < c.balance <= 0
        assert line.status in {LedgerStatus.GREEN, LedgerStatus.GREY}
        assert line.closing == line.opening + line.quarter.balance


@settings(max_examples=80, deadline=None)
@given(vacancies=st.lists(vacancy, max_size=150))
def test_quarters_add_up_and_departments_add_up(
    vacancies: list[tuple[int, int, int, bool, Outcome]],
) -> None:
    records = replay(vacancies)
    quarters = quarters_between(Quarter(2024, 1), Quarter(2025, 4))
    by_org = {
        q: compute_ledger(records, key=lambda r: r.organisation_id, quarter=q) for q in quarters
    }
    by_dept = compute_ledger(
        records, key=lambda r: (r.organisation_id, r.department_id), quarter=quarters[-1]
    )
    for org, final in by_org[quarters[-1]].items():
        summed = LedgerFigures()
        for q in quarters:
            if org in by_org[q]:
                summed = summed + by_org[q][org].quarter
        assert summed.eligible == final.cumulative.eligible
        assert summed.expected == final.cumulative.expected
        assert summed.delivered == final.cumulative.delivered
        depts = [line for (o, _d), line in by_dept.items() if o == org]
        _q, dept_total = ledger_total(depts)
        assert dept_total.balance == final.cumulative.balance
        assert dept_total.eligible == final.cumulative.eligible
    assert sum(line.cumulative.eligible for line in by_org[quarters[-1]].values()) == sum(
        1 for r in records if r.eligible
    )


def group_records(records: list[LedgerRecord], quarter: Quarter) -> list[LedgerRecord]:
    """What a database reader does: one record per identical group on each side of the quarter's
    start, carrying the group's size and the earliest report date of the group."""
    groups: dict[tuple[object, ...], list[LedgerRecord]] = {}
    for r in records:
        side = r.report_date >= quarter.start
        key = (r.organisation_id, r.department_id, r.eligible, r.municipal, r.share, r.outcome)
        groups.setdefault((*key, side), []).append(r)
    return [
        LedgerRecord(
            first.organisation_id,
            first.department_id,
            min(m.report_date for m in members),
            first.eligible,
            first.municipal,
            first.share,
            first.outcome,
            len(members),
        )
        for members in groups.values()
        for first in members[:1]
    ]


@settings(max_examples=80, deadline=None)
@given(
    vacancies=st.lists(vacancy, max_size=150),
    settle=st.lists(st.sampled_from(list(Outcome)), min_size=150, max_size=150),
    q=st.integers(min_value=0, max_value=7),
)
def test_grouped_records_give_the_same_ledger(
    vacancies: list[tuple[int, int, int, bool, Outcome]], settle: list[Outcome], q: int
) -> None:
    # Any outcome mix (also withdrawn and extra turns), then records grouped with a count.
    records = [
        LedgerRecord(
            r.organisation_id,
            r.department_id,
            r.report_date,
            r.eligible,
            r.municipal,
            r.share,
            settle[i],
        )
        for i, r in enumerate(replay(vacancies))
    ]
    quarter = quarters_between(Quarter(2024, 1), Quarter(2025, 4))[q]
    grouped = group_records([r for r in records if r.report_date <= quarter.end], quarter)
    for key in (lambda r: r.organisation_id, lambda r: r.department_id):
        one_by_one = compute_ledger(records, key=key, quarter=quarter)
        assert compute_ledger(grouped, key=key, quarter=quarter) == one_by_one


def test_a_counted_record_counts_as_that_many_vacancies() -> None:
    day = dt.date(2025, 2, 1)
    many = LedgerRecord(1, 10, day, True, True, Q, Outcome.ACCEPTED, count=3)
    figures = LedgerFigures.of(many)
    assert (figures.eligible, figures.accepted, figures.expected) == (3, 3, Fraction(3, 4))
    assert LedgerFigures.of(LedgerRecord(1, 10, day, False, False, Q, Outcome.ORDINARY, 5)) == (
        LedgerFigures()
    )


def test_a_hand_back_not_delivered_is_counted_on_its_own() -> None:
    """Handed back uncounted: not delivered, the same balance as a municipal turn the
    organisation let itself, but not counted as one."""
    day = dt.date(2025, 2, 1)
    let_itself = rec(day, Outcome.ORDINARY)
    handed_back = replace(let_itself, handed_back=True)
    quarter = Quarter(2025, 1)
    own = compute_ledger([let_itself], key=lambda r: r.organisation_id, quarter=quarter)[1]
    back = compute_ledger([handed_back], key=lambda r: r.organisation_id, quarter=quarter)[1]
    assert (own.quarter.withdrawn, own.quarter.handed_back) == (1, 0)
    assert (back.quarter.withdrawn, back.quarter.handed_back) == (0, 1)
    for name in ("eligible", "expected", "delivered", "offered", "balance", "ordinary"):
        assert getattr(back.quarter, name) == getattr(own.quarter, name), name
    assert back.status == own.status
