import datetime as dt
from decimal import Decimal

import pytest

from anvis_core.cases.economy import (
    MaxRentRule,
    default_max_rent,
    effective_max_rent,
    max_rent_amount,
)
from anvis_core.cases.household import room_need
from anvis_core.cases.reimbursement import Stay
from anvis_core.cases.support import (
    DecisionTiming,
    SupportMethod,
    check_85a_decision,
    cti_end,
    cti_phase_on,
    cti_phases,
)

D = dt.date


def test_cti_three_phases_of_three_months() -> None:
    phases = cti_phases(D(2025, 11, 30))
    assert [(p.start, p.end) for p in phases] == [
        (D(2025, 11, 30), D(2026, 2, 27)),
        (D(2026, 2, 28), D(2026, 5, 29)),
        (D(2026, 5, 30), D(2026, 8, 29)),
    ]
    assert cti_end(D(2025, 11, 30)) == D(2026, 8, 29)
    assert cti_phase_on(D(2026, 1, 1), D(2025, 12, 31)) is None
    assert cti_phase_on(D(2026, 1, 1), D(2026, 1, 1)) == 1
    assert cti_phase_on(D(2026, 1, 1), D(2026, 4, 1)) == 2
    assert cti_phase_on(D(2026, 1, 1), D(2026, 9, 30)) == 3
    assert cti_phase_on(D(2026, 1, 1), D(2026, 10, 1)) is None


STAY = Stay(D(2026, 1, 10), D(2026, 3, 1))


@pytest.mark.parametrize(
    ("method", "decided", "stays", "timing", "until"),
    [
        (
            SupportMethod.CTI,
            D(2026, 2, 28),
            [STAY],
            DecisionTiming.BEFORE_DISCHARGE,
            D(2028, 2, 29),
        ),
        (SupportMethod.SECTION_85A, D(2026, 3, 1), [STAY], DecisionTiming.AFTER_DISCHARGE, None),
        (
            SupportMethod.ICM,
            D(2026, 1, 10),
            [STAY],
            DecisionTiming.BEFORE_DISCHARGE,
            D(2028, 2, 29),
        ),
        (SupportMethod.ACT, D(2026, 1, 9), [STAY], DecisionTiming.NOT_APPLICABLE, None),
        (SupportMethod.SECTION_85, D(2026, 3, 5), [STAY], DecisionTiming.NOT_APPLICABLE, None),
        (
            SupportMethod.CTI,
            D(2026, 5, 1),
            [Stay(D(2026, 4, 1))],
            DecisionTiming.BEFORE_DISCHARGE,
            None,
        ),
        (SupportMethod.CTI, D(2026, 5, 1), [], DecisionTiming.NOT_APPLICABLE, None),
    ],
)
def test_85a_decision_timing(
    method: SupportMethod,
    decided: dt.date,
    stays: list[Stay],
    timing: DecisionTiming,
    until: dt.date | None,
) -> None:
    check = check_85a_decision(method, decided, stays)
    assert check.timing is timing
    assert check.reimbursable_until == until
    assert check.warning is (timing is DecisionTiming.AFTER_DISCHARGE)


@pytest.mark.parametrize(
    ("adults", "children", "extra", "expected"),
    [
        (1, 0, None, (1, 2, False)),
        (2, 0, None, (1, 2, False)),
        (1, 1, None, (1, 2, False)),
        (1, 2, None, (2, 3, False)),
        (2, 3, None, (3, 4, False)),
        (1, 0, 0, (1, 1, False)),
        (1, 0, 3, (1, 4, True)),
    ],
)
def test_room_need(
    adults: int, children: int, extra: int | None, expected: tuple[int, int, bool]
) -> None:
    need = room_need(adults, children, extra)
    assert (need.min_rooms, need.max_rooms, need.widened) == expected
    assert need.fits(need.min_rooms) and not need.fits(need.min_rooms - 1)


def test_room_need_rejects_impossible_input() -> None:
    for args in [(0, 0, None), (1, -1, None), (1, 0, -1), (1, 0, 9)]:
        with pytest.raises(ValueError):
            room_need(*args)


@pytest.mark.parametrize(
    ("income", "benefit", "expected"),
    [
        (10_000, 1_000, 4_500),
        (10_001, 0, 3_500),  # 3,500.35 rounds down
        (20_000, 2_000, 5_000),  # ceiling
        (0, 0, 0),
        (None, 1_000, None),
    ],
)
def test_default_max_rent(income: int | None, benefit: int | None, expected: int | None) -> None:
    assert default_max_rent(income, benefit) == expected


def test_max_rent_rule_is_configurable() -> None:
    rule = MaxRentRule(income_share=Decimal("0.30"), ceiling=4000)
    assert default_max_rent(10_000, 500, rule) == 3_500
    with pytest.raises(ValueError):
        MaxRentRule(income_share=Decimal("1.5"))


def test_override_needs_a_reason() -> None:
    assert effective_max_rent(4_000, None).amount == 4_000
    result = effective_max_rent(4_000, 4_800, "Forældre betaler en del")
    assert result.amount == 4_800 and result.overridden and result.default == 4_000
    with pytest.raises(ValueError):
        effective_max_rent(4_000, 4_800, "  ")


def test_max_rent_amount_is_the_override_or_the_rules_default() -> None:
    rule = MaxRentRule(income_share=Decimal("0.30"), ceiling=4000)
    assert max_rent_amount(10_000, 500, None, rule) == 3_500
    assert max_rent_amount(10_000, 500, 4_800, rule) == 4_800
    assert max_rent_amount(None, None, None, rule) is None
    assert max_rent_amount(None, None, 0, rule) == 0  # an override of 0 is an amount
    # The same amount the case page's reading gives.
    page = effective_max_rent(default_max_rent(10_000, 500, rule), 4_800, "Aftalt")
    assert page.amount == max_rent_amount(10_000, 500, 4_800, rule)
