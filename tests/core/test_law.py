"""The dated table of legal rules (anvis_core.law): consistency, lookup by day, overrides."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from anvis_core import law

D = dt.date


def test_every_rule_cites_a_paragraph_and_a_source_and_covers_every_day_from_its_start() -> None:
    table = law.DEFAULT_TABLE
    for key in table.rule_keys():
        versions = table.versions(key)
        assert versions[-1].valid_to == law.OPEN, key
        for row in versions:
            assert row.paragraph.startswith(("ABL §", "SEL §")), key
            assert row.source, key
        # contiguous: the table refuses gaps and overlaps, so a lookup on any day from the
        # first version on finds exactly one row
        assert table.rule(key, versions[0].valid_from) is versions[0]


def test_table_refuses_overlapping_versions() -> None:
    row = law.DEFAULT_TABLE.rule("bar.event_months", D(2026, 1, 1))
    clash = dataclasses.replace(row, valid_from=D(2026, 1, 1))
    with pytest.raises(law.LawError, match="overlap"):
        law.LawTable((*law.RULES, clash))


def test_table_refuses_a_gap_between_versions() -> None:
    first = law.DEFAULT_TABLE.versions("shelter.cap_days")[0]
    later = law.DEFAULT_TABLE.versions("shelter.cap_days")[1]
    gap = dataclasses.replace(later, valid_from=later.valid_from + dt.timedelta(days=1))
    with pytest.raises(law.LawError, match="gap"):
        law.DEFAULT_TABLE.with_overrides([first, gap])


def test_no_version_before_the_first_is_an_error() -> None:
    with pytest.raises(law.LawError, match="no version"):
        law.DEFAULT_TABLE.rule("shelter.cap_days", D(2023, 9, 30))


@pytest.mark.parametrize(
    ("day", "cap"),
    [(D(2023, 10, 1), 120), (D(2026, 3, 31), 120), (D(2026, 4, 1), 90), (D(2030, 1, 1), 90)],
)
def test_sel_110_cap_is_120_days_until_31_march_2026_and_90_from_1_april_2026(
    day: dt.date, cap: int
) -> None:
    """Serviceloven § 110 refusion (L 64 2022/23): 120 days per running year, 90 after
    1 April 2026; the scheme starts 1 October 2023."""
    assert law.DEFAULT_TABLE.value("shelter.cap_days", day) == cap
    assert law.shelter_caps(law.DEFAULT_TABLE) == ((D(2023, 10, 1), 120), (D(2026, 4, 1), 90))


@pytest.mark.parametrize(
    ("day", "has_minimum_rate"),
    [(D(2025, 6, 30), False), (D(2025, 7, 1), True)],
)
def test_abl_59_benefit_lists_change_with_the_reform_of_1_july_2025(
    day: dt.date, has_minimum_rate: bool
) -> None:
    """ABL § 59 stk. 6 nr. 5 and stk. 7 from 1 July 2025 (lov nr. 1655 af 30.12.2024): the
    minimum rate of kontanthjælp succeeds selvforsørgelses- og hjemrejseydelse and
    overgangsydelse; the former benefits still count for periods paid before the reform."""
    rules = law.bar_rules(day, law.DEFAULT_TABLE)
    for area in ("vulnerable", "prevention"):
        assert (law.CASH_MINIMUM in rules.benefits[area]) is has_minimum_rate
        assert {law.SELF_SUPPORT, law.TRANSITION} <= rules.benefits[area]
    assert law.CASH not in rules.benefits["prevention"]
    assert law.CASH in rules.benefits["vulnerable"]


def test_abl_59_stk_7_covers_the_events_of_stk_6_nr_1_to_4() -> None:
    rules = law.bar_rules(D(2026, 1, 1), law.DEFAULT_TABLE)
    assert rules.events["prevention"] == rules.events["vulnerable"]
    assert rules.events["vulnerable"] == {
        "prison_release",
        "youth_release",
        "gross_breach_termination",
        "non_eu_citizen",
    }
    assert (rules.event_months, rules.benefit_months, rules.join_benefit_periods) == (6, 6, True)


def test_abl_61_a_and_61_b_criteria_for_a_list_year() -> None:
    criteria = law.area_criteria(2026, law.DEFAULT_TABLE)
    assert criteria.min_residents == 1000 and criteria.criteria_needed == 2
    assert [c[3] for c in criteria.udsat] == [40, 3, 60, 55]
    assert [c[3] for c in criteria.forebyggelse] == [30, 2, 60, 65]
    assert law.list_date(2026) == D(2026, 12, 1)


def test_override_from_json_replaces_only_the_named_rule() -> None:
    table = law.table_from_json(
        [
            {
                "key": "bar.benefits.prevention",
                "valid_from": "2025-07-01",
                "source": "LBK nr. 1 af 1. januar 2026",
                "value": ["cash_benefit"],
            },
            {
                "key": "bar.benefits.prevention",
                "valid_to": "2025-06-30",
                "source": "L 23 2021/22",
                "value": ["self_support", "transition"],
            },
        ]
    )
    rules = law.bar_rules(D(2026, 1, 1), table)
    assert rules.benefits["prevention"] == {"cash_benefit"}
    assert law.bar_rules(D(2025, 6, 30), table).benefits["prevention"] == {
        "self_support",
        "transition",
    }
    row = table.rule("bar.benefits.prevention", D(2026, 1, 1))
    assert row.source == "LBK nr. 1 af 1. januar 2026" and not row.confirmed
    assert rules.benefits["vulnerable"] == law.bar_rules(D(2026, 1, 1)).benefits["vulnerable"]


def test_override_of_an_unknown_rule_is_refused() -> None:
    with pytest.raises(law.LawError, match="unknown rule"):
        law.table_from_json([{"key": "bar.nonsense", "value": 1, "source": "x"}])


def test_override_criteria_and_numbers_are_typed() -> None:
    table = law.table_from_json(
        [
            {
                "key": "area.udsat",
                "source": "test",
                "value": [["income", "income_relative_region", "under", "50", False]],
            },
            {"key": "bar.event_months", "source": "test", "value": "3"},
        ]
    )
    assert law.area_criteria(2026, table).udsat == (
        ("income", "income_relative_region", "under", law.D("50"), False),
    )
    assert law.bar_rules(D(2026, 1, 1), table).event_months == 3


def test_installed_table_is_what_readers_use_by_default() -> None:
    table = law.table_from_json([{"key": "bar.event_months", "source": "test", "value": 3}])
    law.install_table(table)
    try:
        assert law.bar_rules(D(2026, 1, 1)).event_months == 3
    finally:
        law.install_table(law.DEFAULT_TABLE)
    assert law.bar_rules(D(2026, 1, 1)).event_months == 6
