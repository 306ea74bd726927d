"""The baseline policy's choice among the pool's leaders (the rules in scalar form on the first
few) is the choice of the whole-pool scan by the production rules, whatever the pool went
through: ties in key, equal rents and maxima, busy citizens, exclusions, removals."""

from __future__ import annotations

import datetime as dt
import math
import random

import numpy as np
import pytest

from anvis_core.simulation import HouseholdSpec
from anvis_core.simulation.citizens import Households
from anvis_core.simulation.matching import (
    SIMULATED_RULES,
    BuiltinPolicy,
    Pool,
    VacancyView,
    rule_mask,
)

RENTS = [2500.0, 3000.0, 3500.0, 4000.0]
MAXIMA = [*RENTS, 2999.5, 4000.5, math.inf, math.nan]
HOUSEHOLDS = Households.of(
    [
        HouseholdSpec(can_pay=2500, benefit_income=120_000),
        HouseholdSpec(can_pay=3000, benefit_income=250_000, persons=3, children=2),
        HouseholdSpec(can_pay=2000, benefit_income=150_000, pensioner=True),
        HouseholdSpec(can_pay=3800, benefit_income=400_000, persons=2),
    ]
)
"""Households judged on rent + a conto − the estimated housing benefit (rule `unaffordable`)."""


def whole_pool_choice(pool: Pool, vacancy: VacancyView, excluded: list[int]) -> int:
    """The reference: every live free citizen through the production rules, best key first,
    ties to the lower position."""
    n = pool.n
    if n == 0:
        return -1
    keys = np.where(rule_mask(pool, vacancy) & ~pool.busy[:n], pool.key[:n], -np.inf)
    keys[[p for p in excluded if 0 <= p < n]] = -np.inf
    best = int(np.argmax(keys))
    return best if keys[best] > -np.inf else -1


def test_the_scalar_form_covers_exactly_the_simulated_rules() -> None:
    assert [r.code for r in SIMULATED_RULES] == [
        "rent_over_max",
        "unaffordable",
        "below_min_rooms",
        "accessibility",
    ]


@pytest.mark.parametrize("seed", range(12))
def test_choice_among_leaders_equals_the_whole_pool_scan(seed: int) -> None:
    rnd = random.Random(seed)
    size = rnd.choice([40, 300, 900, 2000])
    with_households = rnd.random() < 0.5
    pool = Pool(size * 2, HOUSEHOLDS if with_households else None, dt.date(2026, 1, 1))
    policy = BuiltinPolicy()
    citizen = 0
    distinct_keys = rnd.random() < 0.5
    for _ in range(size * 3):
        op = rnd.random()
        if op < 0.45 or pool.n == 0:
            key = rnd.uniform(-5000, 100) if distinct_keys else float(rnd.randint(-60, 40))
            # needs: none, step-free (also as True), elevator, wheelchair, several
            needs = rnd.choice([0, 0, 0, 0, True, 1, 2, 4, 6, 8, 13])
            household = rnd.choice([-1, -1, 0, 1, 2, 3]) if with_households else -1
            rent, rooms = rnd.choice(MAXIMA), rnd.choice([0, 1, 2, 3])
            pool.add(citizen, rent, rooms, needs, key, household)
            citizen += 1
        elif op < 0.6:
            pool.remove(rnd.randrange(pool.n))
        elif op < 0.7:
            i = rnd.randrange(pool.n)
            pool.set_busy(i, not pool.is_busy[i])
        else:
            vacancy = VacancyView(
                rnd.choice(RENTS),
                rnd.choice([1, 2, 3]),
                rnd.random() < 0.3,
                aconto=rnd.choice([0.0, 400.0]),
                features=rnd.choice([-1, -1, 0, 1, 3, 7, 15]),
                area_m2=rnd.choice([0, 45, 95]),
            )
            excluded = rnd.sample(range(pool.n), min(pool.n, rnd.choice([0, 0, 1, 3])))
            expected = whole_pool_choice(pool, vacancy, excluded)
            assert policy.choose(pool, vacancy, excluded) == expected
