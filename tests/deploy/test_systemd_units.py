"""The systemd units of `deploy/systemd/` run what the documentation says is run: every unit
names a management command that exists, and the retention worker, which docs/privacy.md and
docs/security.md say runs nightly, has a daily timer that docs/operations.md enables."""

from __future__ import annotations

import configparser
import re
from pathlib import Path

from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "deploy" / "systemd"


def _unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path)
    return parser


def test_every_unit_runs_an_existing_command() -> None:
    commands = get_commands()
    services = sorted(UNITS.glob("*.service"))
    assert services
    for path in services:
        exec_start = _unit(path)["Service"]["ExecStart"]
        if "gunicorn" in exec_start:
            continue
        found = re.search(r"manage\.py (\w+)", exec_start)
        assert found, path.name
        assert found.group(1) in commands, (path.name, found.group(1))


def test_the_retention_worker_runs_nightly_from_a_timer_the_operations_guide_enables() -> None:
    service = _unit(UNITS / "anvis-retention.service")["Service"]
    assert "anonymise_closed_cases" in service["ExecStart"]
    assert "--report" in service["ExecStart"]  # the operator keeps the reports
    assert service["Type"] == "oneshot"
    timer = _unit(UNITS / "anvis-retention.timer")["Timer"]
    assert re.fullmatch(r"(daily|\*-\*-\* \d\d:\d\d(:\d\d)?)", timer["OnCalendar"])
    assert timer["Persistent"] == "true"  # a night missed while the host was down is made up
    guide = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    assert "anvis-retention.timer" in guide
    assert re.search(r"systemctl enable --now [^\n]*anvis-retention\.timer", guide)
