"""The monthly statement: hand-computed months, over a month boundary, both conventions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from anvis_core.workflow import compute_void_rent
from anvis_core.workflow.statement import (
    GuaranteePayment,
    VacancyMoney,
    as_record,
    content_hash,
    month_statement,
)

D = dt.date

# Let from 10.02: void rent 20.01–09.02 (21 days), over the month boundary.
LET = VacancyMoney(
    ref=1,
    label="Alfavej 1, st tv",
    monthly_rent=3000,
    monthly_aconto=0,
    start=D(2026, 1, 20),
    end=D(2026, 2, 10),
)
# Handed back 01.03, the agreement covers 300 kr a conto: January and February whole.
BACK = VacancyMoney(
    ref=2,
    label="Alfavej 1, 1 th",
    monthly_rent=3650,
    monthly_aconto=300,
    start=D(2026, 1, 1),
    end=D(2026, 3, 1),
    convention="month30",
)
CLAIM = GuaranteePayment(
    ref=7, label="Alfavej 1, st tv", kind="Istandsættelse", decided_on=D(2026, 2, 5), amount=5000
)


def test_a_vacancy_over_a_month_boundary_daily_rate() -> None:
    jan = month_statement(month=D(2026, 1, 1), as_of=D(2026, 3, 1), vacancies=[LET])
    feb = month_statement(month=D(2026, 2, 1), as_of=D(2026, 3, 1), vacancies=[LET])
    # January: 12 days × 3000 × 12 / 365 = 1183.56; February: 9 days = 887.67.
    assert [(x.start, x.days, x.void_rent) for x in jan.lines] == [
        (D(2026, 1, 20), 12, Decimal("1183.56"))
    ]
    assert [(x.start, x.end, x.days, x.void_rent) for x in feb.lines] == [
        (D(2026, 2, 1), D(2026, 2, 10), 9, Decimal("887.67"))
    ]
    # The two months add up to the whole run the lease settles (21 days, 2071.23 kr).
    assert jan.void_rent_total + feb.void_rent_total == Decimal("2071.23")
    assert jan.complete and feb.complete
    assert month_statement(month=D(2026, 3, 1), as_of=D(2026, 4, 1), vacancies=[LET]).lines == ()


def test_the_same_vacancy_in_whole_and_30_day_months() -> None:
    month30 = VacancyMoney(**{**LET.__dict__, "convention": "month30"})
    jan = month_statement(month=D(2026, 1, 1), as_of=D(2026, 3, 1), vacancies=[month30])
    feb = month_statement(month=D(2026, 2, 1), as_of=D(2026, 3, 1), vacancies=[month30])
    assert jan.lines[0].void_rent == Decimal("1200.00")  # 12/30 × 3000
    assert feb.lines[0].void_rent == Decimal("900.00")  # 9/30 × 3000


def test_hand_back_whole_months_a_conto_and_guarantees() -> None:
    feb = month_statement(
        month=D(2026, 2, 1), as_of=D(2026, 3, 2), vacancies=[LET, BACK], guarantees=[CLAIM]
    )
    assert [(x.ref, x.days, x.whole_month, x.void_rent, x.aconto) for x in feb.lines] == [
        (2, 28, True, Decimal("3650.00"), Decimal("300.00")),
        (1, 9, False, Decimal("887.67"), Decimal("0.00")),
    ]
    assert feb.guarantees == (CLAIM,)
    assert feb.void_rent_days == 37
    assert feb.total == Decimal("3650.00") + Decimal("300.00") + Decimal("887.67") + 5000
    # Void rent stopped on the hand-back day: nothing in March.
    march = month_statement(month=D(2026, 3, 1), as_of=D(2026, 4, 1), vacancies=[BACK])
    assert march.lines == () and march.total == 0


def test_the_current_month_is_provisional_through_today() -> None:
    running = VacancyMoney(
        ref=3, label="x", monthly_rent=3650, monthly_aconto=0, start=D(2026, 2, 20), end=None
    )
    now = month_statement(month=D(2026, 2, 1), as_of=D(2026, 2, 25), vacancies=[running])
    assert not now.complete
    assert now.lines[0].days == 6 and now.lines[0].void_rent == Decimal("720.00")
    # On the last day every day is counted, but the day still runs: a claim decided or a
    # hand-back made that day changes the month, so it is complete from the next day on.
    last = month_statement(month=D(2026, 2, 1), as_of=D(2026, 2, 28), vacancies=[running])
    assert not last.complete and last.lines[0].days == 9
    ended = month_statement(month=D(2026, 2, 1), as_of=D(2026, 3, 1), vacancies=[running])
    assert ended.complete and ended.lines[0].days == 9


def test_the_record_and_its_hash_are_stable() -> None:
    feb = month_statement(
        month=D(2026, 2, 1), as_of=D(2026, 3, 2), vacancies=[BACK, LET], guarantees=[CLAIM]
    )
    record = as_record(feb)
    assert record["total"] == "9837.67"
    again = as_record(
        month_statement(
            month=D(2026, 2, 1), as_of=D(2026, 4, 2), vacancies=[LET, BACK], guarantees=[CLAIM]
        )
    )
    assert content_hash(record) == content_hash(again)
    assert len(content_hash(record)) == 64
    changed = {**record, "total": "9837.68"}
    assert content_hash(changed) != content_hash(record)


def test_the_statements_of_a_run_pay_exactly_what_the_lease_settles() -> None:
    """3998 kr from 15.01 to 10.05 under the daily convention: rounding the run once gives
    15115.73 kr, its five months' statements 15115.72 kr. The settled amount (the lease, the
    void-rent page, the steering group's report) is the sum of the months the statements pay."""
    money = VacancyMoney(
        ref=3,
        label="Alfavej 1, 2 tv",
        monthly_rent=3998,
        monthly_aconto=0,
        start=D(2026, 1, 15),
        end=D(2026, 5, 10),
    )
    paid = sum(
        (
            month_statement(
                month=D(2026, m, 1), as_of=D(2026, 6, 1), vacancies=[money]
            ).void_rent_total
            for m in range(1, 6)
        ),
        Decimal(0),
    )
    run = compute_void_rent(monthly_rent=3998, start=money.start, lease_start=money.end)
    assert paid == run.amount == Decimal("15115.72")
