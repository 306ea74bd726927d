import datetime as dt

import pytest

from anvis_core.quotas import periods_overlap

D = dt.date


@pytest.mark.parametrize(
    ("a", "b", "overlap"),
    [
        # Open-ended (until terminated) against a later start: overlaps.
        ((D(2023, 1, 1), None), (D(2027, 1, 1), None), True),
        ((D(2023, 1, 1), None), (D(2027, 1, 1), D(2027, 12, 31)), True),
        # Ends are inclusive: sharing the last day is an overlap, the next day is not.
        ((D(2023, 1, 1), D(2026, 12, 31)), (D(2026, 12, 31), None), True),
        ((D(2023, 1, 1), D(2026, 12, 31)), (D(2027, 1, 1), None), False),
        # An earlier closed period does not reach an open-ended later one.
        ((D(2020, 1, 1), D(2022, 12, 31)), (D(2023, 1, 1), None), False),
        # One inside the other.
        ((D(2023, 1, 1), D(2030, 1, 1)), (D(2024, 1, 1), D(2024, 6, 30)), True),
    ],
)
def test_periods_overlap_either_way(
    a: tuple[dt.date, dt.date | None], b: tuple[dt.date, dt.date | None], overlap: bool
) -> None:
    assert periods_overlap(*a, *b) is overlap
    assert periods_overlap(*b, *a) is overlap
