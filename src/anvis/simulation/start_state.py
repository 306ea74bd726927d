"""Today's running state for a scenario built from the database (see `adapters`).

- each bucket's credit from the agreement's turn counters (`TurnCounter.state`, the persisted
  `TurnState` the quota engine continues from), so the first municipal turns come when the
  running agreement says, not after a fresh counter's k-th vacancy;
- the vacancies the municipality holds today (a municipal turn awaiting its answer, accepted or
  offered): offered at the start;
- the placements the placement gate counts against the stairwell and department caps today
  (the monitoring register's in the rolling 12 months, and leases whose tenant moves in later),
  by dwelling: they count until they leave the window;
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
from anvis.monitoring.placements import placements_in_window
from anvis.tenancy.selectors import tenancy_report_rows
from anvis.vacancies.choices import VacancyStatus
from anvis.vacancies.models import Lease, Offer, Vacancy
from anvis_core.reports.tenancy import TenancyRow
from anvis_core.simulation.scenario import BucketCredit, RecentPlacement, SupportMethodSpec
from anvis_core.tenancy.survival import horizon_days, kaplan_meier

DEFAULT_RETAINED_12_MONTHS = 0.9
MIN_TENANCIES = 20
HELD_STATUSES = (VacancyStatus.MUNICIPAL, VacancyStatus.ACCEPTED, VacancyStatus.OFFERED)


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
    """What the placement gate counts against the stairwell and department caps on `today`
    (`vacancies.adapters.load_setting`), for the vacancies the municipality does not hold: the
    monitoring register's placements of the rolling 12 months, from their move-in, and the
    leases of active offers whose tenant moves in later (an offer out until then), as placed
    today."""
    placed = placements_in_window(today, 12).values_list("dwelling_id", "placed_on", "pk")
    rows = [(moved, pk, dwelling) for dwelling, moved, pk in placed]
    moving_in = (
        Lease.objects.standing()
        .filter(offer__in=Offer.objects.active(), move_in_on__gt=today)
        .values_list("vacancy__dwelling_id", "pk")
    )
    rows += [(today, pk, dwelling) for dwelling, pk in moving_in]
    return tuple(
        RecentPlacement(str(dwelling), float((today - moved).days))
        for moved, _pk, dwelling in sorted(rows)
        if str(dwelling) in dwelling_ids
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
