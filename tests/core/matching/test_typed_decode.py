"""The typed decoder of pair-form files builds exactly the reference reader's problem, and
leaves every file the reference reader refuses (or has to convert) to it."""

from __future__ import annotations

import json
import random
from typing import Any

import numpy as np
import pytest

from anvis_core.matching import pairfile
from anvis_core.matching.jsonio import loads, parse_pair_form
from anvis_core.matching.problem import PairProblem, ProblemError
from anvis_core.matching.typed import decode_pair_form

from .helpers import problem_document, random_problem, to_columns
from .test_cli import INVALID, good, good_columns


@pytest.fixture(autouse=True, params=["ids typed", "ids as strings"])
def id_typing(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test runs with the pairs' ids typed as the literal ids read and as plain strings
    (the decoder chooses by the number of pairs an id)."""
    threshold = 0 if request.param == "ids typed" else 10**12
    monkeypatch.setattr(pairfile, "_PAIR_BYTES_PER_ID", threshold)


def assert_same(a: PairProblem, b: PairProblem) -> None:
    assert a.citizen_ids == b.citizen_ids
    assert a.dwelling_ids == b.dwelling_ids
    for name in ("pair_citizen", "pair_dwelling", "pair_weight"):
        x, y = getattr(a, name), getattr(b, name)
        assert x.dtype == y.dtype and np.array_equal(x, y), name
    for name in ("ids", "max", "min", "placed", "dwelling_member", "dwelling_group"):
        assert np.array_equal(getattr(a.groups, name), getattr(b.groups, name)), name
    assert np.array_equal(a.groups.citizen_member, b.groups.citizen_member)
    assert np.array_equal(a.groups.citizen_group, b.groups.citizen_group)


def check(text: str) -> bool:
    """The typed result equals the reference's; returns whether the typed path took it."""
    typed = decode_pair_form(text.encode())
    try:
        reference = parse_pair_form(loads(text))
    except ProblemError:
        assert typed is None, "the typed decoder accepted a file the reference refuses"
        return False
    if typed is None:
        return False
    assert typed[1] == reference[1]
    assert_same(typed[0], reference[0])
    return True


@pytest.mark.parametrize("seed", range(12))
def test_both_layouts_decode_to_the_reference_problem(seed: int) -> None:
    rng = random.Random(seed)
    problem = random_problem(
        rng, nc=rng.randint(1, 9), nd=rng.randint(1, 7), density=0.6, citizen_groups=seed % 3 == 0
    )
    doc = problem_document(problem, "max_weight" if seed % 2 else "max_count_then_weight")
    assert check(json.dumps(doc))
    assert check(json.dumps(to_columns(doc)))


def test_the_examples_take_the_typed_path() -> None:
    assert check(json.dumps(good()))
    assert check(json.dumps(good_columns()))


@pytest.mark.parametrize("case", sorted(INVALID))
def test_every_invalid_file_is_left_to_the_reference_reader(case: str) -> None:
    text = INVALID[case][0]
    text = text if isinstance(text, str) else json.dumps(text)
    assert decode_pair_form(text.encode()) is None


@pytest.mark.parametrize(
    "change",
    [
        # Accepted by the reference reader after converting: the typed path leaves them to it.
        lambda p: p["groups"][0].update(max=2.0),
        lambda p: p["pairs"][0].update(weight=12),
        lambda p: p.update(form="pairs"),
        lambda p: p["dwellings"][0].pop("groups", None),
        lambda p: p["citizens"].append({"id": "c-extra", "groups": []}),
        lambda p: p["pairs"].clear(),
    ],
)
def test_unusual_but_valid_files_give_the_reference_problem(change: Any) -> None:
    doc = good()
    change(doc)
    text = json.dumps(doc)
    check(text)
    reference = parse_pair_form(loads(text))
    typed = decode_pair_form(text.encode())
    assert typed is None or typed[0].n_pairs == reference[0].n_pairs


def test_a_domain_form_file_is_left_to_the_reference_reader() -> None:
    assert decode_pair_form(json.dumps({"form": "domain", "objective": "max_weight"})) is None
