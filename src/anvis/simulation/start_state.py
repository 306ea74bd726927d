"""Today's running state for a scenario built from the database (see `adapters`).

- each bucket's credit from the agreement's turn counters (`TurnCounter.state`, the persisted
  `TurnState` the quota engine continues from), so the first municipal turns come when the
  running agreement says, not after a fresh counter's k-th vacancy;
- the vacancies the municipality holds today (a municipal turn awaiting its answer, accepted or
  offered): offered at the start;
- the placements of the last 365 days by dwelling: they count against the stairwell and
  department caps until they leave the window;
- the support methods after housing with the share of their tenancies still running after 12
  months, by the Kaplan–Meier estimate the tenancy figures use
  (`anvis_core.tenancy.survival`); a method with fewer than `MIN_TENANCIES` tenancies followed
  12 months gets the stated default `DEFAULT_RETAINED_12_MONTHS` (the 90 % benchmark).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from fractions import Fraction

from anvis.agreements.models import AllocationAgreement, TurnCounter
from anvis.tenancy.selectors import tenancy_report_rows
from anvis.vacancies.choices import VacancyStatus
from anvis.vacancies.models import Lease, Vacancy
from anvis_core.reports.tenancy import TenancyRow
from anvis_core.simulation.scenario import BucketCredit, RecentPlacement, SupportMethodSpec
from anvis_core.tenancy.survival import horizon_days, kaplan_meier

DEFAULT_RETAINED_12_MONTHS = 0.9
MIN_TENANCIES = 20
HELD_STATUSES = (VacancyStatus.MUNICIPAL, VacancyStatus.ACCEPTED, VacancyStatus.OFFERED)
CAP_WINDOW_DAYS = 365


def organisation_key(name: str, cvr: str) -> str:
    """How the scenario names an organisation (see `adapters._stock`)."""
    return f"{name} ({cvr})"


def bucket_credits(agreement: AllocationAgreement | None) -> tuple[BucketCredit, ...]:
    if agreement is None:
        return ()
    out = []
    for counter in TurnCounter.objects.filter(agreement=agreement).select_related("organisation"):
        org = counter.organisation
        share = Fraction(counter.share_percent) / 100
        out.append(BucketCredit(organisation_key(org.name, org.cvr), share, counter.state.credit))
    return tuple(out)


def held_vacancies(dwelling_ids: set[str]) -> tuple[str, ...]:
    rows = Vacancy.objects.filter(status__in=HELD_STATUSES).values_list("dwelling_id", flat=True)
    return tuple(sorted({str(pk) for pk in rows} & dwelling_ids, key=int))


def recent_placements(today: dt.date, dwelling_ids: set[str]) -> tuple[RecentPlacement, ...]:
    rows = (
        Lease.objects.standing()
        .filter(move_in_on__gt=today - dt.timedelta(days=CAP_WINDOW_DAYS), move_in_on__lte=today)
        .values_list("vacancy__dwelling_id", "move_in_on")
    )
    return tuple(
        RecentPlacement(str(pk), float((today - moved).days))
        for pk, moved in rows.order_by("move_in_on", "pk")
        if str(pk) in dwelling_ids
    )


def support_methods(today: dt.date) -> tuple[SupportMethodSpec, ...]:
    """One method per support method of the tenancies moved in so far, by its share of them."""
    rows = [
        TenancyRow(0, r.opened_on, r.move_in, r.ended_on, r.reason, r.organisation, r.method, "")
        for r in tenancy_report_rows(today)
    ]
    if not rows:
        return (SupportMethodSpec("default", 1.0, DEFAULT_RETAINED_12_MONTHS),)
    counts = Counter(r.method or "none" for r in rows)
    methods = []
    for method, n in sorted(counts.items()):
        mine = [r.observation(today) for r in rows if (r.method or "none") == method]
        estimate = kaplan_meier(mine).at(horizon_days(12))
        followed = estimate is not None and estimate.at_risk >= MIN_TENANCIES
        retained = estimate.survival if estimate is not None and followed else None
        methods.append(
            SupportMethodSpec(
                method,
                float(n),
                # a loss for everyone followed cannot be a rate; keep it within (0, 1]
                max(0.01, retained) if retained is not None else DEFAULT_RETAINED_12_MONTHS,
            )
        )
    return tuple(methods)
