"""The batch commands' switch for the cyclic garbage collector."""

from __future__ import annotations

import gc

import pytest

from anvis_core.memory import without_cycle_collection


def test_the_collector_is_off_within_and_restored_after() -> None:
    assert gc.isenabled()
    with without_cycle_collection():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_it_is_restored_when_the_batch_fails() -> None:
    with pytest.raises(ZeroDivisionError), without_cycle_collection():
        1 / 0  # noqa: B018
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_caller_stays_off() -> None:
    gc.disable()
    try:
        with without_cycle_collection():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
