"""Room need and age band: the one definition of "two persons per room" and of "young".

Room need: at most two persons per room (the limit a housing organisation may refuse over).

The minimum is ``ceil(persons / 2)``, at least one room. By default a household may also take
one room more than it needs (:data:`DEFAULT_EXTRA_ROOMS`) — a single person fits a one- or
two-room dwelling — and the caseworker can widen the range further. A range narrower than the
minimum is impossible by construction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

PERSONS_PER_ROOM = 2
"""At most two persons per room: above it a housing organisation may refuse the nominee."""
DEFAULT_EXTRA_ROOMS = 1
MAX_EXTRA_ROOMS = 4


@dataclass(frozen=True)
class RoomNeed:
    persons: int
    min_rooms: int
    max_rooms: int
    widened: bool

    def fits(self, rooms: int) -> bool:
        return self.min_rooms <= rooms <= self.max_rooms


def room_need(adults: int, children: int, extra_rooms: int | None = None) -> RoomNeed:
    """`extra_rooms` is the caseworker's widening (rooms beyond the minimum); None = default."""
    if adults < 1 or children < 0:
        raise ValueError("a household has at least one adult and no negative children")
    if extra_rooms is not None and not 0 <= extra_rooms <= MAX_EXTRA_ROOMS:
        raise ValueError(f"extra rooms must be between 0 and {MAX_EXTRA_ROOMS}")
    persons = adults + children
    minimum = max(1, -(-persons // PERSONS_PER_ROOM))
    extra = DEFAULT_EXTRA_ROOMS if extra_rooms is None else extra_rooms
    return RoomNeed(
        persons=persons,
        min_rooms=minimum,
        max_rooms=minimum + extra,
        widened=extra_rooms is not None and extra_rooms > DEFAULT_EXTRA_ROOMS,
    )


def is_overcrowded(persons: int, rooms: int, per_room: int = PERSONS_PER_ROOM) -> bool:
    """More than ``per_room`` persons per room (by default two): a legal ground for the
    organisation to reject the nominee."""
    return persons > per_room * rooms


AgeBand = Literal["young", "older"]
"""``young`` is 18–24 years (:data:`YOUNG_AGES`), ``older`` is 25 and above."""

AGE_BANDS: tuple[AgeBand, ...] = ("young", "older")
YOUNG_AGES = (18, 24)
"""The ages (inclusive) of young homeless citizens, whom the agreement keeps apart from older
ones (separation in youth dwellings and stairwells)."""


def age_band(age: int) -> AgeBand:
    """The age band of a citizen of ``age`` years."""
    low, high = YOUNG_AGES
    return "young" if low <= age <= high else "older"
