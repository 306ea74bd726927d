from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

ROOT = Path(__file__).resolve().parents[3]
SCHEMA = json.loads((ROOT / "docs" / "matching-problem.schema.json").read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def test_schema_is_valid_draft_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("path", sorted((ROOT / "docs" / "examples").glob("match-*.json")))
def test_examples_validate(path: Path) -> None:
    VALIDATOR.validate(json.loads(path.read_text()))


def test_issue_example_validates_and_bad_inputs_do_not() -> None:
    issue = {
        "objective": "max_weight",
        "citizens": [{"id": "c1"}],
        "dwellings": [{"id": "d1", "groups": ["s1", "a1", "o1"]}],
        "groups": [
            {"id": "s1", "max": 1},
            {"id": "a1", "max": 3},
            {"id": "o1", "max": 10, "min": 0},
        ],
        "pairs": [{"citizen": "c1", "dwelling": "d1", "weight": 12.5}],
    }
    VALIDATOR.validate(issue)
    for bad in (
        {**issue, "objective": "fastest"},
        {**issue, "groups": [{"id": "s1", "max": -1}]},
        {**issue, "pairs": [{"citizen": "c1", "dwelling": "d1", "weight": "12"}]},
        {**issue, "pairs": [{"citizen": "c1", "dwelling": "d1"}]},
        {k: v for k, v in issue.items() if k != "pairs"},
    ):
        assert not VALIDATOR.is_valid(bad)


def test_column_pairs_validate_and_bad_columns_do_not() -> None:
    issue = {
        "objective": "max_weight",
        "citizens": [{"id": "c1"}, {"id": "c2"}],
        "dwellings": [{"id": "d1"}],
        "pairs": {"citizen": ["c1", "c2"], "dwelling": ["d1", "d1"], "weight": [12.5, 3]},
    }
    VALIDATOR.validate(issue)
    VALIDATOR.validate({**issue, "pairs": {"citizen": [], "dwelling": [], "weight": []}})
    cols = issue["pairs"]
    assert isinstance(cols, dict)
    for bad in (
        {**cols, "weight": [12.5, "3"]},
        {**cols, "citizen": [0, 1]},
        {**cols, "dwelling": ["d1", ""]},
        {**cols, "weight": 12.5},
        {**cols, "note": ["x", "y"]},
        {k: v for k, v in cols.items() if k != "weight"},
    ):
        assert not VALIDATOR.is_valid({**issue, "pairs": bad}), bad
    # neither layout
    assert not VALIDATOR.is_valid({**issue, "pairs": "c1,d1,12.5"})
    assert not VALIDATOR.is_valid({**issue, "pairs": [cols]})
