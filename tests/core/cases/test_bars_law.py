"""§ 59 stk. 6–7 bars read from the dated law table: the categories of the act, joining of
benefit periods, and the changeover of the benefit reform on 1 July 2025."""

from __future__ import annotations

import datetime as dt

import pytest

from anvis_core import law
from anvis_core.cases.bars import (
    AreaKind,
    BarEvent,
    BarKind,
    Benefit,
    bar_status,
    bar_statuses,
    benefit_spells,
    listed_benefits,
)

D = dt.date
V, P = AreaKind.VULNERABLE, AreaKind.PREVENTION


def benefit(start: dt.date, end: dt.date | None, b: Benefit, person: str = "") -> BarEvent:
    return BarEvent(BarKind.BENEFITS, start, end=end, benefit=b, person=person)


@pytest.mark.parametrize("kind", [BarKind.PRISON_RELEASE, BarKind.YOUTH_RELEASE])
@pytest.mark.parametrize("area", [V, P])
def test_abl_59_stk_6_nr_1_and_2_release_bars_through_the_last_day(
    kind: BarKind, area: AreaKind
) -> None:
    """§ 59 stk. 6 nr. 1 (Kriminalforsorgen) and nr. 2 (under 18, outside it), also in
    forebyggelsesområder (stk. 7): the bar's last day is the release day + 6 months."""
    events = [BarEvent(kind, D(2026, 1, 15))]
    last = bar_status(events, area, D(2026, 7, 15))
    assert last.barred and last.until == D(2026, 7, 15) and last.reasons == (kind,)
    assert not bar_status(events, area, D(2026, 7, 16)).barred


def test_abl_59_stk_6_nr_4_citizenship_bars_while_it_lasts() -> None:
    """§ 59 stk. 6 nr. 4: a period without an end bars open-ended; an ended one through its
    last day (e.g. citizenship acquired or enrolled as a student)."""
    ongoing = [BarEvent(BarKind.NON_EU_CITIZEN, D(2020, 1, 1))]
    assert bar_status(ongoing, V, D(2026, 1, 1)).open_ended
    assert bar_status(ongoing, P, D(2026, 1, 1)).open_ended
    ended = [BarEvent(BarKind.NON_EU_CITIZEN, D(2020, 1, 1), end=D(2026, 3, 31))]
    assert bar_status(ended, V, D(2026, 3, 31)).until == D(2026, 3, 31)
    assert not bar_status(ended, V, D(2026, 4, 1)).barred


def test_from_values_keeps_the_end_only_for_periods() -> None:
    release = BarEvent.from_values("prison_release", D(2026, 1, 1), D(2026, 2, 1), "")
    assert release.end is None and release.benefit is None
    citizen = BarEvent.from_values("non_eu_citizen", D(2026, 1, 1), D(2026, 2, 1), "")
    assert citizen.end == D(2026, 2, 1)
    paid = BarEvent.from_values("benefits", D(2026, 1, 1), None, "cash_benefit")
    assert paid.benefit is Benefit.CASH_BENEFIT


def test_abl_59_stk_6_nr_5_joins_back_to_back_periods_of_different_benefits() -> None:
    """Six consecutive months of one *or more* of the listed benefits: uddannelseshjælp for
    three months followed the next day by kontanthjælp is one spell, barred from month six."""
    events = [
        benefit(D(2025, 1, 1), D(2025, 3, 31), Benefit.EDUCATION_AID),
        benefit(D(2025, 4, 1), None, Benefit.CASH_BENEFIT),
    ]
    assert not bar_status(events, V, D(2025, 6, 30)).barred
    status = bar_status(events, V, D(2025, 7, 1))
    assert status.barred and status.open_ended and status.reasons == (BarKind.BENEFITS,)


def test_abl_59_a_free_day_breaks_the_six_consecutive_months() -> None:
    events = [
        benefit(D(2025, 1, 1), D(2025, 3, 31), Benefit.EDUCATION_AID),
        benefit(D(2025, 4, 2), None, Benefit.CASH_BENEFIT),  # 1 April without benefit
    ]
    assert not bar_status(events, V, D(2025, 10, 1)).barred
    assert bar_status(events, V, D(2025, 10, 2)).barred


def test_abl_59_periods_of_different_household_members_are_not_joined() -> None:
    events = [
        benefit(D(2025, 1, 1), D(2025, 3, 31), Benefit.CASH_BENEFIT, person="a"),
        benefit(D(2025, 4, 1), D(2025, 8, 31), Benefit.CASH_BENEFIT, person="b"),
    ]
    assert not bar_status(events, V, D(2025, 7, 15)).barred
    assert len(benefit_spells(events, frozenset({"cash_benefit"}))) == 2


def test_abl_59_stk_7_joins_across_the_reform_of_1_july_2025() -> None:
    """§ 59 stk. 7: selvforsørgelses- og hjemrejseydelse until 30 June 2025, then kontanthjælp
    at the minimum rate from 1 July 2025 (its successor) is one spell."""
    events = [
        benefit(D(2025, 3, 1), D(2025, 6, 30), Benefit.SELF_SUPPORT),
        benefit(D(2025, 7, 1), None, Benefit.CASH_BENEFIT_MINIMUM),
    ]
    assert not bar_status(events, P, D(2025, 8, 31)).barred
    assert bar_status(events, P, D(2025, 9, 1)).open_ended


def test_abl_59_stk_7_ordinary_kontanthjaelp_does_not_bar_a_prevention_area() -> None:
    events = [benefit(D(2025, 7, 1), None, Benefit.CASH_BENEFIT)]
    statuses = bar_statuses(events, D(2026, 2, 1))
    assert statuses[V].barred and not statuses[P].barred


def test_abl_59_stk_7_the_version_on_the_day_of_the_anvisning_decides() -> None:
    """The minimum rate is listed from 1 July 2025: the same periods, judged under the rules of
    30 June 2025 and of 1 July 2025, give different answers."""
    events = [benefit(D(2024, 12, 1), None, Benefit.CASH_BENEFIT_MINIMUM)]
    on = D(2026, 1, 1)
    before = law.bar_rules(D(2025, 6, 30))
    after = law.bar_rules(D(2025, 7, 1))
    assert not bar_status(events, P, on, rules=before).barred
    assert bar_status(events, P, on, rules=after).barred
    assert Benefit.CASH_BENEFIT_MINIMUM in listed_benefits(P, D(2025, 7, 1))
    assert Benefit.CASH_BENEFIT_MINIMUM not in listed_benefits(P, D(2025, 6, 30))


def test_abl_59_stk_7_six_months_reached_on_30_june_2025() -> None:
    """Boundary on the last day before the reform: a period from 30 December 2024 reaches six
    months on 30 June 2025 and bars from that day."""
    events = [benefit(D(2024, 12, 30), None, Benefit.SELF_SUPPORT)]
    assert not bar_status(events, P, D(2025, 6, 29)).barred
    assert bar_status(events, P, D(2025, 6, 30)).barred
    assert bar_status(events, P, D(2025, 7, 1)).barred


def test_joining_can_be_switched_off_by_an_override() -> None:
    table = law.table_from_json(
        [{"key": "bar.join_benefit_periods", "source": "test", "value": False}]
    )
    rules = law.bar_rules(D(2025, 7, 1), table)
    events = [
        benefit(D(2025, 1, 1), D(2025, 3, 31), Benefit.EDUCATION_AID),
        benefit(D(2025, 4, 1), None, Benefit.CASH_BENEFIT),
    ]
    assert not bar_status(events, V, D(2025, 7, 1), rules=rules).barred
    assert bar_status(events, V, D(2025, 10, 1), rules=rules).barred
