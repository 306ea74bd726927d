"""Estimate the simulator's rates from the database's history, and backtest the past year.

python manage.py simulation_calibrate [--today YYYY-MM-DD] [--backtest] [--replications N]
                                      [--json]
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from anvis.simulation.calibration import backtest, calibrate
from anvis_core.simulation import ScenarioError


def _line(label: str, e: dict[str, Any], digits: int = 3) -> str:
    if e["value"] is None:
        return f"{label}: no data"
    return (
        f"{label}: {e['value']:.{digits}f} "
        f"(95 % interval {e['low']:.{digits}f}–{e['high']:.{digits}f}, n = {e['n']})"
    )


class Command(BaseCommand):
    help = "Estimate the simulator's rates from the history, with intervals; optionally backtest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="the last day of the year measured (default: today)")
        parser.add_argument("--backtest", action="store_true", help="simulate the past year")
        parser.add_argument("--replications", type=int, default=20)
        parser.add_argument("--json", action="store_true", help="print the figures as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = (
                dt.date.fromisoformat(options["today"])
                if options["today"]
                else timezone.localdate()
            )
        except ValueError as exc:
            raise CommandError(f"--today: not a date: {options['today']!r}") from exc
        report: dict[str, Any] = {"calibration": calibrate(today=today)}
        if options["backtest"]:
            try:
                report["backtest"] = backtest(today=today, replications=options["replications"])
            except ScenarioError as exc:
                # the simulator's refusal, naming the option where the option is the cause
                name = "--replications" if exc.parameter == "replications" else exc.parameter
                raise CommandError(f"{name}: {exc.message}") from exc
        if options["json"]:
            self.stdout.write(json.dumps(report, indent=2))
            return
        c = report["calibration"]
        self.stdout.write(f"Calibration {c['period']['from']} – {c['period']['to']}")
        self.stdout.write(_line("arrivals a year", c["arrivals_per_year"], 1))
        self.stdout.write(
            _line("exits by other routes per person-year", c["exits_per_person_year"])
        )
        for kind, e in c["turnover_per_dwelling_year"].items():
            self.stdout.write(_line(f"turnover a year, {kind}", e))
        self.stdout.write(_line("municipality's response (days)", c["response_days"], 1))
        self.stdout.write(_line("citizen's answer to an offer (days)", c["offer_answer_days"], 1))
        self.stdout.write(_line("offers accepted (share)", c["acceptance"]))
        if "backtest" in report:
            b = report["backtest"]
            self.stdout.write(f"Backtest {b['period']['from']} – {b['period']['to']}")
            for key in ("placements", "still_waiting_at_end"):
                sim = b[key]["simulated"]
                band = (
                    f" ({sim['ci_low']:.1f}–{sim['ci_high']:.1f})"
                    if sim["ci_low"] is not None
                    else ""
                )
                self.stdout.write(
                    f"{key}: simulated {sim['mean']:.1f}{band}, observed {b[key]['observed']}"
                )
