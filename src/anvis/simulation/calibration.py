"""Calibration: the scenario's rates estimated from the database's history, and a backtest.

`calibrate(today=...)` estimates, over the 365 days up to `today`, with 95 % intervals:

- arrivals: cases opened, a year (exact Poisson interval);
- exits by other routes: cases closed without a lease, per person-year on the list;
- turnover: vacancies reported per dwelling-year, by dwelling type;
- the municipality's response: days from report to answer on municipal turns (mean);
- the citizen's answer: days from offer to answer (mean), and the share of answered offers
  accepted (Wilson interval).

`backtest(today=...)` plays the past year: the scenario from the database with the waiting list
as it stood a year ago (cases waiting then: on the list by then, not closed and not moved in by
then, with the days they had waited) run over one year, and compares the simulated placements
and the number still waiting with what happened (leases moved in during the year, cases waiting
at its end, read as the list a year ago is: `_waiting_on`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import replace
from typing import Any

from anvis.cases.models import Case
from anvis.stock.models import Dwelling
from anvis.vacancies.choices import OfferStatus
from anvis.vacancies.models import Lease, Offer, Vacancy
from anvis_core.reports.table import SUPPRESSION_THRESHOLD
from anvis_core.simulation import InitialCitizen, Scenario, run_scenario
from anvis_core.simulation.calibration import Estimate, mean_days, poisson_rate, proportion
from anvis_core.simulation.scenario import DAYS_PER_YEAR

from .adapters import _case_rows, scenario_from_database, waiting_citizens

YEAR = dt.timedelta(days=365)
ANSWERED = (OfferStatus.ACCEPTED, OfferStatus.DECLINED, OfferStatus.EXPIRED)


def _overlap_days(start: dt.date, end: dt.date, lo: dt.date, hi: dt.date) -> int:
    return max(0, (min(end, hi) - max(start, lo)).days)


def _exits(today: dt.date) -> Estimate:
    """Cases closed without a lease, over the time on the list: from `waiting_since` until
    closed or moved in (a housed case stays open; its days after the move-in are not on the
    list, as `_waiting_on` reads it)."""
    start = today - YEAR
    housed: dict[int, dt.date] = {}
    for case_id, move_in in (
        Lease.objects.standing()
        .filter(offer__isnull=False)
        .values_list("offer__case_id", "move_in_on")
    ):
        housed[case_id] = min(move_in, housed.get(case_id, move_in))
    exposure = 0
    exits = 0
    for pk, since, closed in Case.objects.values_list("pk", "waiting_since", "closed_on"):
        end = min(closed or today, housed.get(pk, today))
        exposure += _overlap_days(since, end, start, today)
        if closed is not None and start < closed <= today and pk not in housed:
            exits += 1
    return poisson_rate(exits, exposure / DAYS_PER_YEAR)


def _turnover(today: dt.date) -> dict[str, Estimate]:
    start = today - YEAR
    dwellings = Counter(Dwelling.objects.values_list("dwelling_type", flat=True))
    reports = Counter(
        Vacancy.objects.filter(report_date__gt=start, report_date__lte=today).values_list(
            "dwelling__dwelling_type", flat=True
        )
    )
    return {t: poisson_rate(reports.get(t, 0), float(n)) for t, n in sorted(dwellings.items())}


def calibrate(*, today: dt.date) -> dict[str, Any]:
    start = today - YEAR
    opened = Case.objects.filter(opened_on__gt=start, opened_on__lte=today).count()
    answers = Vacancy.objects.filter(
        answered_on__gt=start, answered_on__lte=today, response_deadline__isnull=False
    ).values_list("report_date", "answered_on")
    offers = Offer.objects.filter(answered_on__gt=start, answered_on__lte=today)
    answered = list(offers.filter(status__in=ANSWERED).values_list("offered_on", "answered_on"))
    accepted = offers.filter(status=OfferStatus.ACCEPTED).count()
    return {
        "period": {"from": start.isoformat(), "to": today.isoformat()},
        "arrivals_per_year": poisson_rate(opened, 1.0).to_dict(),
        "exits_per_person_year": _exits(today).to_dict(),
        "turnover_per_dwelling_year": {t: e.to_dict() for t, e in _turnover(today).items()},
        "response_days": mean_days([float((b - a).days) for a, b in answers]).to_dict(),
        "offer_answer_days": mean_days([float((b - a).days) for a, b in answered]).to_dict(),
        "acceptance": proportion(accepted, len(answered)).to_dict(),
    }


def _waiting_on(day: dt.date) -> Any:
    """The cases waiting on `day`: on the list by then, not closed and not moved in by then
    (the backtest's one reading, at its start and at its end; read from the dates, not from
    today's status, so a case closed or housed since still counts on that day)."""
    moved = (
        Lease.objects.standing()
        .filter(move_in_on__lte=day, offer__isnull=False)
        .values("offer__case_id")
    )
    return (
        Case.objects.filter(waiting_since__lte=day)
        .exclude(closed_on__lte=day)
        .exclude(pk__in=moved)
    )


def _list_a_year_ago(today: dt.date) -> Any:
    return _waiting_on(today - YEAR)


def backtest_scenario(*, today: dt.date, replications: int = 20) -> Scenario:
    """The scenario from the database with the waiting list as it stood a year before `today`,
    over one year (see the module docstring)."""
    then = today - YEAR
    scenario = scenario_from_database(today=today, name="Backtest")
    cases = _list_a_year_ago(today)
    rows = _case_rows(cases, then, "today")
    return scenario.with_changes(
        initial_citizens=_in_known_groups(scenario, waiting_citizens(cases, rows, then)),
        open_vacancies=(),
        recent_placements=(),
        horizon_days=DAYS_PER_YEAR,
        replications=replications,
    )


def observed(*, today: dt.date) -> dict[str, Any]:
    """What happened in the year up to `today`: leases moved in, cases waiting at its end."""
    then = today - YEAR
    return {
        "period": {"from": then.isoformat(), "to": today.isoformat()},
        "placements": Lease.objects.standing()
        .filter(move_in_on__gt=then, move_in_on__lte=today)
        .count(),
        "still_waiting_at_end": _waiting_on(today).count(),
    }


def comparison(result: dict[str, Any], seen: dict[str, Any]) -> dict[str, Any]:
    """Simulated (intervals) next to observed, per figure."""
    return {
        "period": seen["period"],
        "initial_waiting": result["initial_waiting_list"]["count"]["mean"],
        "placements": {"simulated": result["housed"], "observed": seen["placements"]},
        "still_waiting_at_end": {
            "simulated": result["still_waiting_at_end"],
            "observed": seen["still_waiting_at_end"],
        },
    }


def _small(count: Any) -> bool:
    return isinstance(count, int) and count < SUPPRESSION_THRESHOLD


def _suppressed_estimate(e: dict[str, Any]) -> dict[str, Any]:
    if not _small(e.get("n")):
        return e
    return {**e, "value": None, "low": None, "high": None, "n": None, "suppressed": True}


def suppressed(estimates: dict[str, Any], backtest: dict[str, Any] | None) -> tuple[Any, Any]:
    """The page as the steering group reads it (`anvis.permissions.sees_exact_counts`): an
    estimate resting on fewer than five events, trials or observations, and an observed count
    under five, are not shown (the report's rule, `anvis_core.reports.table`): the share of two
    answered offers accepted tells what one citizen answered."""
    out = {
        key: (
            {k: _suppressed_estimate(e) for k, e in value.items()}
            if key == "turnover_per_dwelling_year"
            else _suppressed_estimate(value)
            if isinstance(value, dict) and "n" in value
            else value
        )
        for key, value in estimates.items()
    }
    if backtest is None:
        return out, None
    seen = dict(backtest)
    for key in ("placements", "still_waiting_at_end"):
        if _small(seen[key]["observed"]):
            seen[key] = {**seen[key], "observed": None, "suppressed": True}
    return out, seen


def backtest(*, today: dt.date, replications: int = 20, workers: int = 1) -> dict[str, Any]:
    """Simulated vs observed for the year up to `today` (see the module docstring)."""
    result = run_scenario(
        backtest_scenario(today=today, replications=replications), workers=workers
    )
    return comparison(result, observed(today=today))


def _in_known_groups(
    scenario: Scenario, citizens: tuple[InitialCitizen, ...]
) -> tuple[InitialCitizen, ...]:
    """The citizens (judged as the gate judges their cases, on the day a year ago) in the groups
    the scenario knows (situation × band), else in its first group."""
    names = {g.name for g in scenario.groups}
    fallback = scenario.groups[0].name
    return tuple(c if c.group in names else replace(c, group=fallback) for c in citizens)
