from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from anvis_core.cli import main
from anvis_core.matching.jsonio import loads, parse_pair_form

from .helpers import problem_document, random_problem, to_columns

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "docs" / "examples"


def good() -> dict[str, Any]:
    return json.loads((EXAMPLES / "match-small.json").read_text())


def good_columns() -> dict[str, Any]:
    return json.loads((EXAMPLES / "match-small-columns.json").read_text())


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


def test_column_example_gives_the_same_result(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert to_columns(good()) == good_columns()
    code, err = run(tmp_path, good(), capsys)
    assert code == 0, err
    by_objects = json.loads((tmp_path / "r.json").read_text())
    code, err = run(tmp_path, good_columns(), capsys)
    assert code == 0, err
    by_columns = json.loads((tmp_path / "r.json").read_text())
    by_objects.pop("seconds")
    by_columns.pop("seconds")
    assert by_columns == by_objects
    assert by_columns["total_weight"] == 20.5


@pytest.mark.parametrize("seed", range(30))
def test_both_layouts_give_identical_results_on_random_instances(
    seed: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rng = random.Random(seed)
    problem = random_problem(
        rng,
        nc=rng.randint(0, 25),
        nd=rng.randint(0, 20),
        density=rng.choice([0.1, 0.3, 0.6]),
        crossing=rng.random() < 0.3,
        with_min=rng.random() < 0.5,
        citizen_groups=rng.random() < 0.3,
        weight_step=rng.choice([0.25, 0.1, 1.0]),
    )
    objects = problem_document(problem, rng.choice(["max_weight", "max_count_then_weight"]))
    columns = to_columns(objects)
    parsed = [parse_pair_form(loads(json.dumps(doc)))[0] for doc in (objects, columns)]
    for a in parsed:
        assert a.citizen_ids == problem.citizen_ids and a.dwelling_ids == problem.dwelling_ids
        np.testing.assert_array_equal(a.pair_citizen, problem.pair_citizen)
        np.testing.assert_array_equal(a.pair_dwelling, problem.pair_dwelling)
        np.testing.assert_array_equal(a.pair_weight, problem.pair_weight)
    results = []
    for doc in (objects, columns):
        code, err = run(tmp_path, doc, capsys)
        assert code == 0, err
        res = json.loads((tmp_path / "r.json").read_text())
        res.pop("seconds")
        results.append(res)
    assert results[0] == results[1]


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


def _columns(fn: Any) -> dict[str, Any]:
    p = good_columns()
    fn(p["pairs"])
    return p


def _set(column: str, i: int, value: Any) -> Any:
    return lambda c: c[column].__setitem__(i, value)


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
    "pairs neither array nor columns": (
        _mutate(lambda p: p.update(pairs="c1,d1,12.5")),
        "pairs: expected an array of pair objects or an object of the columns "
        "'citizen', 'dwelling' and 'weight'",
    ),
    # The column layout: the same rules, each offence named by column and position.
    "columns: unequal lengths": (
        _columns(lambda c: c["weight"].pop()),
        "pairs: the columns must have the same length (citizen 4, dwelling 4, weight 3)",
    ),
    "columns: missing column": (
        _columns(lambda c: c.pop("dwelling")),
        "pairs: missing field 'dwelling'",
    ),
    "columns: unknown column": (
        _columns(lambda c: c.update(note=["x", "y", "z", "w"])),
        "pairs: unknown field 'note'",
    ),
    "columns: column not an array": (
        _columns(lambda c: c.update(weight=12.5)),
        "pairs.weight: expected an array",
    ),
    "columns: unknown citizen": (
        _columns(_set("citizen", 1, "c9")),
        "pairs.citizen[1]: unknown citizen id 'c9'",
    ),
    "columns: the first offending position is named": (
        _columns(lambda c: (_set("citizen", 3, "c8")(c), _set("dwelling", 2, "dx")(c))),
        "pairs.dwelling[2]: unknown dwelling id 'dx'",
    ),
    "columns: citizen given as an index": (
        _columns(_set("citizen", 0, 0)),
        "pairs.citizen[0]: unknown citizen id 0",
    ),
    "columns: citizen not hashable": (
        _columns(_set("citizen", 2, ["c2"])),
        "pairs.citizen[2]: unknown citizen id ['c2']",
    ),
    "columns: unknown dwelling": (
        _columns(_set("dwelling", 3, "d7")),
        "pairs.dwelling[3]: unknown dwelling id 'd7'",
    ),
    "columns: duplicate pair": (
        _columns(
            lambda c: [
                c[k].append(v) for k, v in (("citizen", "c2"), ("dwelling", "d2"), ("weight", 1))
            ]
        ),
        "duplicate pair: citizen 'c2' and dwelling 'd2' are listed more than once (pairs 2 and 4)",
    ),
    "columns: weight a string": (
        _columns(_set("weight", 2, "9.25")),
        "pairs.weight[2]: expected a number, got '9.25'",
    ),
    "columns: weight boolean": (
        _columns(_set("weight", 1, False)),
        "pairs.weight[1]: expected a number, got False",
    ),
    "columns: weight null": (
        _columns(_set("weight", 3, None)),
        "pairs.weight[3]: expected a number, got None",
    ),
    "columns: weight NaN": (
        json.dumps(good_columns()).replace("9.25", "NaN"),
        "NaN is not a valid JSON number",
    ),
    "columns: weight too large for a double": (
        json.dumps(good_columns()).replace("9.25", "-1e999"),
        "pairs.weight[2]: expected a finite number, got one too large for a double",
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


def test_the_process_writes_its_whole_result_to_a_pipe_before_it_ends() -> None:
    """The command ends its process at once after the result (no teardown); what it wrote to
    standard output through a pipe must all be there, for a problem read from standard input.
    The output is buffered as in production (no ``PYTHONUNBUFFERED``)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    env.pop("PYTHONUNBUFFERED", None)
    proc = subprocess.run(
        [sys.executable, "-m", "anvis_core.cli", "match", "-"],
        input=(EXAMPLES / "match-small.json").read_text(),
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["total_weight"] == 20.5


def test_the_first_reading_step_needs_neither_numpy_nor_the_solver() -> None:
    """The command decodes the file with msgspec alone while numpy's and the solver's compiled
    libraries are linked on the other core; an import of either in that step would wait for the
    linking and undo the overlap."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    code = (
        "import sys; from anvis_core.matching import cli, pairfile; "
        "d = pairfile.read(open(sys.argv[1], 'rb').read()); "
        "assert d is not None and d.n_pairs > 0; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('numpy', 'ortools')))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(EXAMPLES / "match-small.json")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_the_libraries_linked_ahead_are_found_without_importing_them() -> None:
    from anvis_core.matching import cli

    paths = [cli._extension_path(where) for where in cli._LINKED_AHEAD]
    assert all(p is not None and Path(p).is_file() for p in paths), paths
    assert cli._extension_path(("no_such_package_here", "x")) is None


def test_linking_ahead_changes_nothing_in_the_result(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files from _LINK_AHEAD_FROM_BYTES up are decoded while the libraries are linked; with the
    threshold at zero the small example takes that path and gives the same result."""
    from anvis_core.matching import cli

    code, err = run(tmp_path, good_columns(), capsys)
    assert code == 0, err
    without = json.loads((tmp_path / "r.json").read_text())
    started: list[bool] = []
    monkeypatch.setattr(cli, "_LINK_AHEAD_FROM_BYTES", 0)
    real_start = cli._start_linking
    monkeypatch.setattr(cli, "_start_linking", lambda: started.append(True) or real_start())
    code, err = run(tmp_path, good_columns(), capsys)
    assert code == 0, err
    linked = json.loads((tmp_path / "r.json").read_text())
    assert started == [True]
    without.pop("seconds")
    linked.pop("seconds")
    assert linked == without
