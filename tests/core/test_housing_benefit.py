"""The housing-benefit estimate (anvis_core.housing_benefit).

No worked examples with 2026 figures were found in official guidance (the ministry's
vejledning, VEJ nr. 103 af 23/10/2002, predates the present figures and its examples could not be
retrieved). The households below are therefore computed BY HAND from the published rules and the
2026 figures (Ældre Sagen, "Beregning af boligstøtte", edited 14.01.2026; rent maxima from
"Satser 2025"), each step written out; they are not official examples.
"""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import pytest

from anvis_core.housing_benefit import (
    BenefitKind,
    Household,
    estimate,
    estimate_annual_many,
    rates_on,
)

ON = dt.date(2026, 12, 4)


def test_single_without_children_is_capped_at_15_percent_of_the_rent() -> None:
    # Boligsikring. Rent 4,500 kr/month → 54,000 a year; 60 m² (limit 65).
    # 60 % × 54,000 = 32,400; income 180,000 − threshold 171,500 = 8,500; 18 % = 1,530;
    # 32,400 − 1,530 = 30,870; own payment leaves 54,000 − 28,900 = 25,100;
    # without children at most 15 % × 54,000 = 8,100 → 8,100 a year (675 a month).
    e = estimate(rent=4500, area_m2=60, household=Household(income=180_000), on=ON)
    assert e.kind is BenefitKind.BOLIGSIKRING
    assert (e.computed, e.annual, e.monthly) == (30_870, 8_100, 675)
    assert e.limited_by == ("own_payment", "childless_cap")


def test_couple_in_a_dwelling_over_the_area_limit() -> None:
    # Boligsikring, 2 persons: 65 + 20 = 85 m² count of 90. Rent 6,000 → 72,000 × 85/90 = 68,000.
    # 60 % = 40,800; income 250,000 − 171,500 = 78,500; 18 % = 14,130; 40,800 − 14,130 = 26,670;
    # 15 % × 68,000 = 10,200 → 10,200 a year (850 a month).
    e = estimate(rent=6000, area_m2=90, household=Household(income=250_000, persons=2), on=ON)
    assert (e.housing_cost, e.computed, e.annual, e.monthly) == (68_000, 26_670, 10_200, 850)
    assert e.limited_by == ("area", "childless_cap")


def test_single_parent_with_two_children() -> None:
    # Boligsikring, 3 persons (limit 105 m²), 95 m². Rent 7,000 → 84,000.
    # Threshold 171,500 + 45,200 (the second child) = 216,700; income 220,000 → 3,300 over;
    # 18 % = 594; 60 % × 84,000 = 50,400; 50,400 − 594 = 49,806 (own payment leaves 55,100,
    # maximum 50,760); divisible by 12: 49,800 a year (4,150 a month).
    h = Household(income=220_000, persons=3, children=2)
    e = estimate(rent=7000, area_m2=95, household=h, on=ON)
    assert (e.threshold, e.computed, e.annual, e.monthly) == (216_700, 49_806, 49_800, 4_150)
    assert e.limited_by == ()


def test_couple_with_five_children_hits_the_rent_maximum() -> None:
    # Boligsikring, 7 persons (limit 185 m²), 140 m². Rent 9,000 → 108,000, counted 94,200.
    # Threshold 171,500 + 3 × 45,200 (children 2–4) = 307,100; income 400,000 → 92,900 over;
    # 18 % = 16,722; 60 % × 94,200 = 56,520; 56,520 − 16,722 = 39,798 (maximum 50,760 × 1.25);
    # divisible by 12: 39,792 a year (3,316 a month).
    h = Household(income=400_000, persons=7, children=5)
    e = estimate(rent=9000, area_m2=140, household=h, on=ON)
    assert (e.housing_cost, e.threshold, e.computed) == (94_200, 307_100, 39_798)
    assert (e.annual, e.monthly, e.limited_by) == (39_792, 3_316, ("rent_max",))


def test_single_pensioner_boligydelse_own_payment() -> None:
    # Boligydelse. Rent 5,500 → 66,000 (no area limit); 75 % × (66,000 + 8,500) = 55,875;
    # income 190,000 under the threshold 201,400; own payment max(11 % × 190,000, 21,300) =
    # 21,300 leaves 44,700 → 44,700 a year (3,725 a month).
    h = Household(income=190_000, pensioner=True)
    e = estimate(rent=5500, area_m2=70, household=h, on=ON)
    assert e.kind is BenefitKind.BOLIGYDELSE
    assert (e.computed, e.annual, e.monthly, e.limited_by) == (
        55_875,
        44_700,
        3_725,
        ("own_payment",),
    )


def test_pensioner_couple_boligydelse_income_over_the_threshold() -> None:
    # Boligydelse, 2 persons. Rent 7,000 → 84,000; 75 % × 92,500 = 69,375;
    # income 320,000 − 201,400 = 118,600; 22.5 % = 26,685; 69,375 − 26,685 = 42,690;
    # own payment 11 % × 320,000 = 35,200 leaves 48,800; divisible by 12: 42,684 (3,557 a month).
    h = Household(income=320_000, persons=2, pensioner=True)
    e = estimate(rent=7000, area_m2=80, household=h, on=ON)
    assert (e.computed, e.annual, e.monthly, e.limited_by) == (42_690, 42_684, 3_557, ())


def test_small_amounts_are_not_paid() -> None:
    # Boligsikring, rent 4,000 → 48,000; 60 % = 28,800; income 320,000 − 171,500 = 148,500;
    # 18 % = 26,730; 2,070 → 2,064 a year, under the cut-off of 12 × 365 = 4,380: nothing.
    e = estimate(rent=4000, area_m2=50, household=Household(income=320_000), on=ON)
    assert (e.computed, e.annual, e.limited_by) == (2_070, 0, ("cutoff",))


def test_disability_pension_lifts_the_cap_without_children() -> None:
    # As the first single, but a førtidspensionist: no 15 % cap; own payment leaves 25,100;
    # divisible by 12: 25,092 a year (2,091 a month).
    h = Household(income=180_000, disability_pension=True)
    e = estimate(rent=4500, area_m2=60, household=h, on=ON)
    assert (e.annual, e.monthly, e.limited_by) == (25_092, 2_091, ("own_payment",))


def test_the_rates_are_dated_and_name_their_source() -> None:
    r = rates_on(ON)
    assert r.valid_from == dt.date(2026, 1, 1)
    assert "boligstøtte" in r.source and "2026" in r.source
    assert r.boligsikring.income_threshold == 171_500
    assert rates_on(dt.date(2030, 1, 1)) is r  # the latest figures known


def test_bad_household() -> None:
    with pytest.raises(ValueError):
        Household(income=-1)
    with pytest.raises(ValueError):
        Household(income=0, persons=2, children=2)


def test_columnwise_matches_one_by_one() -> None:
    grid = list(
        itertools.product(
            (0, 150_000, 175_000, 230_000, 320_000, 500_000),  # income
            (1, 2, 3, 5, 7),  # persons
            (0, 1, 2, 4, 5),  # children
            (False, True),  # pensioner
            (False, True),  # disability pension
        )
    )
    grid = [g for g in grid if g[2] < g[1]]
    for rent, area in ((2900, 40), (5123, 77), (6999, 133), (12_000, 60)):
        many = estimate_annual_many(
            rent=rent,
            area_m2=area,
            income=np.array([g[0] for g in grid], dtype=np.int64),
            persons=np.array([g[1] for g in grid], dtype=np.int64),
            children=np.array([g[2] for g in grid], dtype=np.int64),
            pensioner=np.array([g[3] for g in grid], dtype=np.bool_),
            disability_pension=np.array([g[4] for g in grid], dtype=np.bool_),
            on=ON,
        )
        one = [
            estimate(
                rent=rent,
                area_m2=area,
                household=Household(
                    income=g[0],
                    persons=g[1],
                    children=g[2],
                    pensioner=g[3],
                    disability_pension=g[4],
                ),
                on=ON,
            ).annual
            for g in grid
        ]
        assert many.tolist() == one
