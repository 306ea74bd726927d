"""The readings of the environment: each refuses what it cannot read, naming the variable."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from anvis.common.env import env_bool, env_choice, env_int, env_int_map, env_list


def test_switches() -> None:
    assert env_bool("X", environ={}) is False
    assert env_bool("X", True, environ={"X": ""}) is True
    assert env_bool("X", environ={"X": " Yes "}) is True
    assert env_bool("X", True, environ={"X": "off"}) is False
    with pytest.raises(ImproperlyConfigured, match=r"^X must be one of"):
        env_bool("X", environ={"X": "ja"})


def test_numbers() -> None:
    assert env_int("N", 5, environ={}) == 5
    assert env_int("N", 5, environ={"N": " 7 "}) == 7
    for bad in ("7s", "-1", "1.5", "²", "0"):
        with pytest.raises(ImproperlyConfigured, match=r"^N must be a whole number of at least 1"):
            env_int("N", 5, minimum=1, environ={"N": bad})


def test_lists_and_choices() -> None:
    assert env_list("L", "a, b,,", environ={}) == ["a", "b"]
    assert env_list("L", "a", environ={"L": ""}) == []
    assert env_choice("C", "dev", ["dev", "prod"], environ={}) == "dev"
    with pytest.raises(ImproperlyConfigured, match=r"^C must be one of dev, prod"):
        env_choice("C", "dev", ["dev", "prod"], environ={"C": "Prod"})


def test_number_pairs() -> None:
    assert env_int_map("P", environ={}) == {}
    assert env_int_map("P", environ={"P": "demand=2, arrears = 5"}) == {"demand": 2, "arrears": 5}
    for bad in ("demand", "demand=", "=2", "demand=2d"):
        with pytest.raises(ImproperlyConfigured, match=r"^P must be key=number pairs"):
            env_int_map("P", environ={"P": bad})
