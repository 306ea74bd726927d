"""Demo matching: each demo organisation offers three more dwellings voluntarily, the
allocation lead accepts them (through the flow), and one batch run is stored over these open
vacancies and all waiting citizens, so the candidate pages, the run pages and "Genkør" have
something to show. The offers themselves are left to the user.

Skipped at national scale (the batch is the same engine as in the benchmarks; loading it into
the demo would only make the load slower).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError

from anvis.demo.context import DemoContext
from anvis.stock.models import Dwelling
from anvis.vacancies import services as flow

PER_ORGANISATION = 3


def _free_dwellings(organisation: Any, ctx: DemoContext) -> list[Dwelling]:
    rng = ctx.rng_for("matching")
    candidates = list(
        Dwelling.objects.filter(
            entrance__department__organisation=organisation, dwelling_type="family", rent__lte=4500
        )
        .exclude(vacancies__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)[:300]
    )
    chosen = rng.sample(candidates, min(PER_ORGANISATION, len(candidates)))
    return list(Dwelling.objects.filter(pk__in=chosen).order_by("pk"))


def load(ctx: DemoContext) -> None:
    if ctx.national:
        ctx.log("matching: skipped at national scale")
        return
    from anvis.matching import services  # imported here: not needed at national scale

    users: dict[str, Any] = ctx.data.get("users", {})
    if "anvisningsleder" not in users:
        ctx.log("matching: skipped (needs demo users)")
        return
    lead = users["anvisningsleder"]
    today = ctx.today
    for key in ("boligorg", "boligorg2"):
        user = users.get(key)
        organisation = user.organisations.order_by("pk").first() if user else None
        if organisation is None:
            continue
        for dwelling in _free_dwellings(organisation, ctx):
            vacancy = flow.vacancy_report(
                actor=user,
                dwelling=dwelling,
                notice_date=today - dt.timedelta(days=30),
                available_from=today - dt.timedelta(days=5),
                source="voluntary",
                report_date=today - dt.timedelta(days=2),
            )
            flow.vacancy_accept(actor=lead, vacancy=vacancy, today=today)
    try:
        run = services.run_create(actor=lead, today=today)
    except ValidationError:
        ctx.log("matching: no open vacancies or no waiting citizens; no demo run")
        return
    ctx.log(
        f"matching: run #{run.pk}, {run.vacancy_count} vacancies, {run.citizen_count} citizens, "
        f"{len(run.assignments)} proposals ({run.status})"
    )
