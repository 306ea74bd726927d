from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from anvis_core.cli import main

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "docs" / "examples"


def good() -> dict[str, Any]:
    return json.loads((EXAMPLES / "match-small.json").read_text())


def run(tmp_path: Path, problem: Any, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    src = tmp_path / "p.json"
    src.write_text(problem if isinstance(problem, str) else json.dumps(problem))
    out = tmp_path / "r.json"
    code = main(["match", str(src), "--out", str(out)])
    return code, capsys.readouterr().err


def test_solves_the_example(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run(tmp_path, good(), capsys)
    assert code == 0, err
    res = json.loads((tmp_path / "r.json").read_text())
    assert res["status"] == "optimal"
    assert res["assignments"] == [
        {"citizen": "c1", "dwelling": "d1"},
        {"citizen": "c3", "dwelling": "d3"},
    ]
    assert res["total_weight"] == 20.5
    assert res["gap"] == 0.0
    assert set(res) >= {"status", "assignments", "total_weight", "gap", "seconds"}


def test_domain_example(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run(tmp_path, json.loads((EXAMPLES / "match-domain.json").read_text()), capsys)
    assert code == 0, err
    res = json.loads((tmp_path / "r.json").read_text())
    assert res["status"] == "optimal"
    assert {(a["citizen"], a["dwelling"]) for a in res["assignments"]} == {
        ("c1", "d1"),
        ("c2", "d2"),
    }


def _mutate(fn: Any) -> dict[str, Any]:
    p = good()
    fn(p)
    return p


INVALID = {
    "malformed": ('{"objective": "max_weight", "citizens": [', "malformed JSON"),
    "not an object": ("[1, 2]", "expected an object"),
    "unknown citizen": (
        _mutate(lambda p: p["pairs"][1].update(citizen="c9")),
        "pairs[1]: unknown citizen id 'c9'",
    ),
    "unknown dwelling": (
        _mutate(lambda p: p["pairs"][2].update(dwelling="dx")),
        "pairs[2]: unknown dwelling id 'dx'",
    ),
    "unknown group": (
        _mutate(lambda p: p["dwellings"][0]["groups"].append("zz")),
        "unknown group id 'zz'",
    ),
    "duplicate citizen": (
        _mutate(lambda p: p["citizens"].append({"id": "c2"})),
        "citizens[3]: duplicate id 'c2'",
    ),
    "duplicate dwelling": (
        _mutate(lambda p: p["dwellings"].append({"id": "d1"})),
        "dwellings[3]: duplicate id 'd1'",
    ),
    "duplicate group": (
        _mutate(lambda p: p["groups"].append({"id": "s1", "max": 2})),
        "duplicate group id 's1'",
    ),
    "duplicate pair": (
        _mutate(lambda p: p["pairs"].append(dict(p["pairs"][0]))),
        "duplicate pair: citizen 'c1' and dwelling 'd1' are listed more than once (pairs 0 and 4)",
    ),
    "negative cap": (
        _mutate(lambda p: p["groups"][0].update(max=-1)),
        "groups[0].max (group 's1'): must not be below 0",
    ),
    "min above max": (
        _mutate(lambda p: p["groups"][3].update(min=11)),
        "group 'o1': min 11 is greater than max 10",
    ),
    "weight not a number": (
        _mutate(lambda p: p["pairs"][0].update(weight="12")),
        "pairs[0].weight: expected a number",
    ),
    "weight boolean": (
        _mutate(lambda p: p["pairs"][0].update(weight=True)),
        "pairs[0].weight: expected a number",
    ),
    "weight NaN": (
        json.dumps(good()).replace("12.5", "NaN"),
        "NaN is not a valid JSON number",
    ),
    "missing weight": (
        _mutate(lambda p: p["pairs"][3].pop("weight")),
        "pairs[3]: missing field 'weight'",
    ),
    "missing pairs": (_mutate(lambda p: p.pop("pairs")), "missing field 'pairs'"),
    "missing objective": (_mutate(lambda p: p.pop("objective")), "missing field 'objective'"),
    "bad objective": (
        _mutate(lambda p: p.update(objective="fastest")),
        "objective: expected one of",
    ),
    "unknown field": (
        _mutate(lambda p: p["pairs"][0].update(note="x")),
        "pairs[0]: unknown field 'note'",
    ),
    "fractional cap": (
        _mutate(lambda p: p["groups"][1].update(max=1.5)),
        "expected a whole number",
    ),
    "weight too large for a double": (
        json.dumps(good()).replace("12.5", "1e999"),
        "pairs[0].weight: expected a finite number, got one too large for a double",
    ),
    "weight integer too large for a double": (
        json.dumps(good()).replace("12.5", "1" + "0" * 400),
        "pairs[0].weight: expected a finite number, got one too large for a double",
    ),
}


@pytest.mark.parametrize("case", sorted(INVALID))
def test_invalid_input_exits_2_naming_the_problem(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    problem, expected = INVALID[case]
    code, err = run(tmp_path, problem, capsys)
    assert code == 2
    assert expected in err
    assert not (tmp_path / "r.json").exists()


def test_invalid_domain_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = json.loads((EXAMPLES / "match-domain.json").read_text())
    p["citizens"][1]["needs"] = ["jetpack"]
    code, err = run(tmp_path, p, capsys)
    assert code == 2
    assert "citizens[1].needs[0]: 'jetpack' is not one of" in err


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["match", str(tmp_path / "nope.json")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_console_entry_point_as_a_process(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "anvis_core.cli",
            "match",
            str(EXAMPLES / "match-small.json"),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert json.loads(out.read_text())["total_weight"] == 20.5
    bad = subprocess.run(
        [sys.executable, "-m", "anvis_core.cli", "match", "-"],
        input="{not json",
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert bad.returncode == 2
    assert "malformed JSON" in bad.stderr
