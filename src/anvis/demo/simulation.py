"""Demo: two finished simulator runs from the demo municipality's own data (agreement vs ad hoc,
10 replications × 5 years, one process), so the compare page has something to show.

Skipped at national scale: the national stock makes a run from the database take minutes; queue
runs from the page instead (the task worker runs them).
"""

from __future__ import annotations

from anvis.demo.context import DemoContext
from anvis.simulation.models import RunStatus

BASE = {
    "source": "database",
    "use_steps": True,
    "matching_mode": "online",
    "batch_days": 7,
    "years": 5,
    "replications": 10,
    "seed": 1,
}


def load(ctx: DemoContext) -> None:
    if ctx.national:
        ctx.log("simulation: skipped at national scale (run the worker for queued runs)")
        return
    # Imported here: the simulator's modules take half a second to import, for nothing at
    # national scale.
    from anvis.simulation.services import (
        simulation_run_claim_next,
        simulation_run_create,
        simulation_run_execute,
    )

    lead = ctx.data.get("users", {}).get("anvisningsleder")
    runs = [
        simulation_run_create(
            actor=lead,
            name="Demo: udlejningsaftalen i dag",
            parameters={**BASE, "regime": "agreement"},
        ),
        simulation_run_create(
            actor=lead,
            name="Demo: ad hoc uden aftale",
            parameters={**BASE, "regime": "ad_hoc"},
        ),
    ]
    done = 0
    for _ in runs:
        run = simulation_run_claim_next()
        if run is None:
            break
        done += simulation_run_execute(run=run, workers=1, today=ctx.today).status == (
            RunStatus.DONE
        )
    ctx.log(f"simulation: {done} of {len(runs)} demo runs done")
