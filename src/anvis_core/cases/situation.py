"""Homelessness situations (ETHOS Light categories as used in the Danish VIVE counts)."""

from __future__ import annotations

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
