"""Homelessness situations (ETHOS Light categories as used in the Danish VIVE counts)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum


class Situation(StrEnum):
    ROUGH_SLEEPING = "rough_sleeping"  # gadesovende (ETHOS Light 1)
    NIGHT_SHELTER = "night_shelter"  # natvarme/natcafé (ETHOS Light 2)
    SHELTER_110 = "shelter_110"  # herberg/forsorgshjem, serviceloven § 110 (ETHOS Light 3)
    WOMENS_SHELTER = "womens_shelter"  # kvindekrisecenter, § 109 (ETHOS Light 3)
    RELEASE_NO_ADDRESS = "release_no_address"  # udslusning uden bolig (ETHOS Light 5)
    FRIENDS_FAMILY = "friends_family"  # sofasurfer hos venner/familie (ETHOS Light 6)
    TEMPORARY_HOUSING = "temporary_housing"  # kortvarigt/midlertidigt ophold (ETHOS Light 4/6)


class ReleaseFrom(StrEnum):
    """Where a release without an address comes from."""

    PRISON = "prison"
    HOSPITAL = "hospital"
    TREATMENT = "treatment"


#: A release counts as the situation "release without an address" when it is at most this many
#: days ahead (VIVE's count uses "within a month").
RELEASE_WINDOW_DAYS = 30


class ReleaseProblem(StrEnum):
    """Why a recorded release does not make the situation "release without an address"."""

    NO_DATE = "release_date_missing"
    TOO_FAR = "release_too_far"


def release_problem(
    situation: str, release_date: dt.date | None, on: dt.date
) -> ReleaseProblem | None:
    """Does a situation recorded on `on` hold as the priority reads it? A release without an
    address needs its date, at most :data:`RELEASE_WINDOW_DAYS` after `on` (the published
    "within 30 days"); any other situation, and a release already passed, hold."""
    if situation != Situation.RELEASE_NO_ADDRESS:
        return None
    if release_date is None:
        return ReleaseProblem.NO_DATE
    if release_date > on + dt.timedelta(days=RELEASE_WINDOW_DAYS):
        return ReleaseProblem.TOO_FAR
    return None
