from decimal import Decimal as D

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from anvis_core.composition import StructuralFeatures, deviation_from_twins, find_twins, standardise


def dept(
    i: int,
    dwellings: int,
    year: int | None = 1970,
    rent: float = 800.0,
    small: float = 0.3,
    large: float = 0.2,
    family: float = 1.0,
) -> StructuralFeatures:
    return StructuralFeatures(i, dwellings, year, rent, small, large, family)


def test_nearest_by_size_and_never_itself() -> None:
    depts = [dept(1, 100), dept(2, 110), dept(3, 300), dept(4, 105), dept(5, 1000)]
    twins = find_twins(depts, k=2)
    assert [t.department_id for t in twins[1]] == [4, 2]
    assert all(t.department_id != 5 for t in twins[5]) is True
    assert [t.department_id for t in twins[5]] == [3, 2]


def test_ties_are_broken_by_lower_id() -> None:
    depts = [dept(9, 100), dept(3, 100), dept(7, 100), dept(1, 50)]
    twins = find_twins(depts, k=2)
    assert [t.department_id for t in twins[9]] == [3, 7]
    assert [t.distance for t in twins[9]] == [0.0, 0.0]


def test_missing_build_year_is_neutral_and_constant_feature_ignored() -> None:
    z = standardise(np.array([[1.0, np.nan, 5.0], [3.0, 2.0, 5.0]]))
    assert z[0, 1] == 0.0
    assert list(z[:, 2]) == [0.0, 0.0]
    assert list(z[:, 0]) == [-1.0, 1.0]


def test_fewer_departments_than_k() -> None:
    twins = find_twins([dept(1, 10), dept(2, 20)], k=5)
    assert [t.department_id for t in twins[1]] == [2]
    assert find_twins([dept(1, 10)], k=3) == {1: []}


def test_deviation_uses_median_of_known_values() -> None:
    own = {"income_relative_region": D("60")}
    twins = [
        {"income_relative_region": D("70")},
        {"income_relative_region": None},
        {"income_relative_region": D("80")},
        {"income_relative_region": D("90")},
    ]
    (dev,) = deviation_from_twins(own, twins, ["income_relative_region"])
    assert dev.twins_median == D("80")
    assert dev.twins_used == 3
    assert dev.difference == D("-20")
    (withheld,) = deviation_from_twins(own, twins, ["income_relative_region"], min_values=4)
    assert withheld.twins_median is None and withheld.difference is None


@settings(deadline=None)  # no wall-clock limit: the machine is shared
@given(st.lists(st.integers(min_value=1, max_value=500), min_size=2, max_size=40))
def test_twins_are_deterministic_and_order_independent(sizes: list[int]) -> None:
    depts = [dept(i + 1, s, 1950 + s % 60) for i, s in enumerate(sizes)]
    a = find_twins(depts, k=3)
    b = find_twins(list(reversed(depts)), k=3)
    assert {k: [t.department_id for t in v] for k, v in a.items()} == {
        k: [t.department_id for t in v] for k, v in b.items()
    }
    for key, twins in a.items():
        assert key not in {t.department_id for t in twins}
        assert [t.distance for t in twins] == sorted(t.distance for t in twins)


def test_ties_across_the_kth_place_take_the_lowest_ids() -> None:
    depts = [dept(i, 100) for i in (8, 5, 2, 9, 4)] + [dept(1, 900)]
    twins = find_twins(depts, k=2)
    assert [t.department_id for t in twins[9]] == [2, 4]
    assert [t.department_id for t in twins[2]] == [4, 5]
    assert [t.department_id for t in twins[1]] == [2, 4]


@settings(deadline=None)  # no wall-clock limit: the machine is shared
@given(st.lists(st.integers(min_value=1, max_value=6), min_size=2, max_size=40))
def test_kd_tree_agrees_with_exhaustive_search_under_many_ties(sizes: list[int]) -> None:
    """Few distinct sizes give many equal distances; compare with a brute-force ranking."""
    depts = [dept(i + 1, s) for i, s in enumerate(sizes)]
    twins = find_twins(depts, k=3)
    z = standardise(np.array([d.vector() for d in depts], dtype=np.float64))
    for i, d in enumerate(depts):
        brute = sorted(
            (round(float(np.sqrt(((z[i] - z[j]) ** 2).sum())), 9), depts[j].department_id)
            for j in range(len(depts))
            if j != i
        )[:3]
        assert [t.department_id for t in twins[d.department_id]] == [b[1] for b in brute]
