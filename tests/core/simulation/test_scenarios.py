"""Scenario files, validation errors, the command line, the API for the web layer, purity."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from anvis_core.cli import main
from anvis_core.simulation import (
    DwellingSpec,
    DwellingTypeSpec,
    ExplicitStockSpec,
    GroupSpec,
    InitialCitizen,
    RegimeSpec,
    Scenario,
    ScenarioError,
    SyntheticStockSpec,
    generate_stock,
    load_scenarios,
    run_scenario,
    scenario_from_dict,
)

Make = Callable[..., dict[str, Any]]
REPO = Path(__file__).resolve().parents[3]
SCENARIOS = REPO / "docs" / "scenarios"


@pytest.mark.parametrize(
    ("override", "parameter"),
    [
        ({"groups": [{"name": "g", "arrivals_per_year": -1}]}, "groups[0].arrivals_per_year"),
        ({"groups": [{"name": "g", "exits_per_year": -0.5}]}, "groups[0].exits_per_year"),
        ({"regime": {"share_percent": 120}}, "regime.share_percent"),
        ({"regime": {"share_percent": -5}}, "regime.share_percent"),
        (
            {"regime": {"steps": [{"name": "x", "share_percent": 101}]}},
            "regime.steps[0].share_percent",
        ),
        ({"matching": {"acceptance_probability": 1.5}}, "matching.acceptance_probability"),
        ({"regime": {"access_probability": -0.1}}, "regime.access_probability"),
        ({"groups": [{"name": "g", "shelter_fraction": 2}]}, "groups[0].shelter_fraction"),
        ({"regime": {"stairwell_cap": -1}}, "regime.stairwell_cap"),
        ({"regime": {"rent_ceiling_basis": "brutto"}}, "regime.rent_ceiling_basis"),
        ({"regime": {"rent_ceiling_comparison": "under"}}, "regime.rent_ceiling_comparison"),
        ({"regime": {"rent_ceilling": 5000}}, "regime.rent_ceilling"),
        ({"colour": "blue"}, "colour"),
        ({"groups": [{"name": "g", "max_rent": {"dist": "gamma"}}]}, "groups[0].max_rent.dist"),
        (
            {"stock": {"types": [{"name": "family", "turnover_per_year": -0.1}]}},
            "stock.types[0].turnover_per_year",
        ),
        ({"replications": 1}, "replications"),
        ({"matching": {"mode": "lottery"}}, "matching.mode"),
        ({"regime": {"share_percent": "lots"}}, "regime.share_percent"),
        # TOML's inf and numbers no machine number holds: named, not an OverflowError
        ({"regime": {"share_percent": math.inf}}, "regime.share_percent"),
        ({"groups": [{"name": "g", "arrivals_per_year": 10**400}]}, "groups[0].arrivals_per_year"),
        ({"matching": {"max_offers": 10**30}}, "matching.max_offers"),
        # A horizon no planning question has, which would run for days: named at once.
        ({"horizon_years": 1e9}, "horizon_years"),
        ({"horizon_years": 101}, "horizon_years"),
    ],
)
def test_bad_parameters_name_the_parameter(
    small: Make, override: dict[str, Any], parameter: str
) -> None:
    with pytest.raises(ScenarioError) as err:
        scenario_from_dict(small(**override))
    assert err.value.parameter == parameter
    assert parameter in str(err.value)


def test_a_dwelling_group_with_more_rooms_than_a_machine_number_is_named(small: Make) -> None:
    data = small()
    data["stock"]["departments"][0]["dwellings"][0]["rooms"] = 10**30
    with pytest.raises(ScenarioError) as err:
        scenario_from_dict(data)
    assert err.value.parameter == "stock.departments[0].dwellings[0].rooms"


def test_a_negative_stock_seed_is_named() -> None:
    """The synthetic stock's own seed is checked like the replications' seed."""
    with pytest.raises(ScenarioError) as err:
        scenario_from_dict({"groups": [{"name": "g"}], "stock": {"kind": "synthetic", "seed": -1}})
    assert err.value.parameter == "stock.seed"


def test_a_seed_may_be_any_whole_number(small: Make) -> None:
    """Seeds feed numpy's SeedSequence, which takes any non-negative whole number."""
    assert scenario_from_dict(small(seed=10**30)).seed == 10**30


def test_variants_are_validated_with_their_name(small: Make) -> None:
    from anvis_core.simulation import scenarios_from_dict

    data = small(variants={"ok": {}, "bad": {"regime": {"share_percent": 150}}})
    with pytest.raises(ScenarioError, match=r"variants\.bad: regime\.share_percent"):
        scenarios_from_dict(data)


def test_cli_refuses_an_output_it_cannot_write_before_it_simulates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A missing folder in --out is said at once (exit 2), not as a traceback after the run,
    which would lose its result."""
    out = tmp_path / "missing" / "r.json"
    mm1 = str(SCENARIOS / "mm1.toml")
    code = main(["simulate", mm1, "--out", str(out), "--replications", "2", "--quiet"])
    assert code == 2
    err = capsys.readouterr().err
    assert "--out" in err and "missing" in err
    assert not out.exists()


def test_cli_exits_2_with_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        (SCENARIOS / "mm1.toml").read_text().replace("share_percent = 100", "share_percent = 150")
    )
    assert main(["simulate", str(bad), "--out", str(tmp_path / "r.json")]) == 2
    err = capsys.readouterr().err
    assert "regime.share_percent" in err and "0–100 %" in err
    assert not (tmp_path / "r.json").exists()
    assert (
        main(["simulate", str(tmp_path / "missing.toml"), "--out", str(tmp_path / "r.json")]) == 2
    )


def test_cli_writes_the_mm1_fields(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    code = main(
        [
            "simulate",
            str(SCENARIOS / "mm1.toml"),
            "--out",
            str(out),
            "--replications",
            "4",
            "--horizon-years",
            "5",
            "--workers",
            "1",
            "--quiet",
        ]
    )
    assert code == 0
    res = json.loads(out.read_text())
    for key in ("mean_wait_days", "mean_number_waiting"):
        ci = res["queue"][key]
        assert ci["ci_low"] <= ci["mean"] <= ci["ci_high"] and ci["n"] == 4
    assert res["mm1_reference"]["mean_wait_days"] == pytest.approx(30.4375)
    assert res["schema"] == "anvis.simulation.result/1"


def test_cli_as_a_module(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "anvis_core.cli",
            "simulate",
            str(SCENARIOS / "mm1.toml"),
            "--out",
            str(out),
            "--replications",
            "2",
            "--horizon-years",
            "3",
            "--quiet",
        ],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(REPO / "src"), "PATH": ""},
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(out.read_text())["queue"]["mean_wait_days"]["n"] == 2


@pytest.mark.parametrize("name", ["mm1.toml", "aalborg.toml", "national.toml"])
def test_shipped_scenarios_load(name: str) -> None:
    scenarios = load_scenarios(SCENARIOS / name)
    assert scenarios


def test_aalborg_and_national_inputs() -> None:
    aalborg = load_scenarios(SCENARIOS / "aalborg.toml")
    assert set(aalborg) == {"agreement", "ad_hoc"}
    a = aalborg["agreement"]
    assert sum(g.initial for g in a.groups) == 291
    assert float(a.regime.share) == pytest.approx(0.27)
    assert a.regime.rent_ceiling == 5000
    assert aalborg["ad_hoc"].regime.kind == "ad_hoc"
    national = load_scenarios(SCENARIOS / "national.toml")
    assert {k: float(s.regime.share) for k, s in national.items()} == {
        "share_25": 0.25,
        "share_50": 0.5,
    }
    assert all(s.regime.rent_ceiling == 4000 for s in national.values())
    assert sum(g.initial for g in national["share_25"].groups) == 6000


def test_synthetic_stock_matches_its_calibration() -> None:
    spec = load_scenarios(SCENARIOS / "aalborg.toml")["agreement"].stock
    assert isinstance(spec, SyntheticStockSpec)
    stock = generate_stock(spec)
    regime = RegimeSpec(rent_ceiling=5000, covered_types=("family",))
    summary = stock.summary(eligible=stock.under_agreement(regime))
    assert (summary["organisations"], summary["departments"], summary["dwellings"]) == (
        20,
        250,
        30000,
    )
    assert summary["mean_rent_per_m2_year"] == pytest.approx(899)
    assert 0.06 <= summary["family_share_under_3500"] <= 0.10
    assert generate_stock(spec).rent.tolist() == stock.rent.tolist()  # deterministic


def test_web_layer_builds_a_scenario_from_plain_rows() -> None:
    """What the database adapter does: today's list and stock as plain objects."""
    dwellings = tuple(
        DwellingSpec(
            organisation="Org A" if i < 30 else "Org B",
            department=f"Dept {i // 15}",
            entrance=f"Entrance {i // 5}",
            rent=3000 + 50 * (i % 20),
            rooms=1 + i % 3,
            accessible=i % 10 == 0,
            id=f"dw-{i}",
        )
        for i in range(60)
    )
    citizens = tuple(
        InitialCitizen(group="shelter" if i % 2 else "street", waiting_days=10 * i, max_rent=4500)
        for i in range(12)
    )
    scenario = Scenario(
        name="from the database",
        groups=(
            GroupSpec(name="street", situation="street", arrivals_per_year=6, priority_points=30),
            GroupSpec(name="shelter", situation="shelter", arrivals_per_year=6, shelter_fraction=1),
        ),
        stock=ExplicitStockSpec(
            dwellings=dwellings,
            types=(DwellingTypeSpec("family", turnover_per_year=0.3),),
        ),
        regime=RegimeSpec(stairwell_cap=1),
        initial_citizens=citizens,
        replications=3,
        horizon_days=2 * 365.25,
    )
    seen: list[int] = []
    result = run_scenario(scenario, progress=lambda done, total: seen.append(done))
    json.dumps(result, allow_nan=False)
    assert seen[-1] == 3
    assert result["initial_waiting_list"]["count"]["mean"] == 12
    assert {o["name"] for o in result["organisations"]} == {"Org A", "Org B"}
    with pytest.raises(ScenarioError, match="initial_citizens"):
        scenario.with_changes(initial_citizens=(InitialCitizen(group="nobody"),))


def test_core_stays_pure() -> None:
    code = (
        "import sys, anvis_core.simulation, anvis_core.cli\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('django', 'anvis')]\n"
        "assert not bad, bad\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(REPO / "src"), "PATH": ""},
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    for path in (REPO / "src" / "anvis_core" / "simulation").glob("*.py"):
        for line in path.read_text().splitlines():
            stripped = line.strip()
            assert not stripped.startswith(
                ("import django", "from django", "import anvis.", "from anvis ")
            )
            assert not stripped.startswith("from anvis.")


@pytest.mark.parametrize("rooms", [10**30, 1e300])
def test_a_synthetic_type_with_more_rooms_than_a_machine_number_still_runs(rooms: float) -> None:
    """A dwelling type's rooms beyond any real dwelling is read as the largest one (the area
    table's last row already was); a number beyond 64 bits overflowed into an index error."""
    from anvis_core.simulation.runner import run_scenario

    data = {
        "name": "rooms",
        "horizon_years": 1,
        "replications": 2,
        "groups": [{"name": "g", "initial": 5, "arrivals_per_year": 10}],
        "stock": {
            "kind": "synthetic",
            "dwellings": 500,
            "types": [{"name": "family", "rooms": {"dist": "fixed", "value": rooms}}],
        },
    }
    result = run_scenario(scenario_from_dict(data), workers=1)
    assert result
