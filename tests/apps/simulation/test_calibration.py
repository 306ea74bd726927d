"""The calibration command: rates with intervals from the history, and the backtest."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from anvis.common import formats as fmt
from anvis_core.simulation.calibration import mean_days, poisson_rate, proportion

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def test_estimators_cover_their_value() -> None:
    r = poisson_rate(12, 2.0)
    assert r.value == 6.0 and r.low is not None and r.high is not None
    assert r.low < 6.0 < r.high
    assert poisson_rate(0, 1.0).low == 0.0 and poisson_rate(0, 1.0).high == pytest.approx(
        3.689, 1e-3
    )
    p = proportion(8, 10)
    assert p.low is not None and p.high is not None and p.low < 0.8 < p.high <= 1.0
    assert mean_days([2.0, 4.0, 6.0]).value == 4.0


def test_calibration_and_backtest_from_the_database(agreement: Any, waiting: Any) -> None:
    out = StringIO()
    call_command(
        "simulation_calibrate",
        "--today",
        TODAY.isoformat(),
        "--backtest",
        "--replications",
        "2",
        "--json",
        stdout=out,
    )
    report = json.loads(out.getvalue())
    c = report["calibration"]
    opened = sum(1 for case in waiting if (TODAY - case.opened_on).days < 365)
    assert c["arrivals_per_year"]["value"] == opened
    assert c["turnover_per_dwelling_year"]["family"]["n"] == 0
    assert c["acceptance"]["value"] is None  # no offers answered yet
    b = report["backtest"]
    assert b["placements"]["observed"] == 0
    assert b["still_waiting_at_end"]["observed"] == len(waiting)
    assert b["still_waiting_at_end"]["simulated"]["mean"] >= 0


def test_bad_day_is_refused() -> None:
    with pytest.raises(CommandError, match="--today"):
        call_command("simulation_calibrate", "--today", "2026-13-01")


def test_a_backtest_the_simulator_refuses_is_a_command_error(agreement: Any, waiting: Any) -> None:
    """A run needs two replications for its intervals: the command says so, no traceback."""
    with pytest.raises(CommandError, match="--replications: must be an integer ≥ 2"):
        call_command(
            "simulation_calibrate",
            "--today",
            TODAY.isoformat(),
            "--backtest",
            "--replications",
            "1",
        )


def test_a_backtest_without_dwellings_is_a_command_error() -> None:
    with pytest.raises(CommandError, match=r"stock\.dwellings: the database holds no dwellings"):
        call_command("simulation_calibrate", "--backtest")


def test_calibration_page_shows_estimates_and_the_latest_backtest(
    client_for: Any, users: Any, agreement: Any, waiting: Any
) -> None:
    from django.urls import reverse

    from anvis.simulation import services

    url = reverse("simulation:calibration")
    assert client_for("sagsbehandler").get(url).status_code == 403
    page = client_for("styregruppe").get(url).content.decode()
    assert "Rater fra det seneste års historik" in page and "Nye sager om året" in page
    assert "Ingen tilbagetest endnu" in page
    today = timezone.localdate()
    assert f"til {fmt.date(today)}, hver med sit" in page  # a Danish date, not ISO
    assert today.isoformat() not in page
    services.simulation_run_create(
        actor=users["anvisningsleder"],
        name="Tilbagetest",
        parameters={"source": "backtest", "replications": 2, "seed": 1, "years": 5},
    )
    assert services.simulation_process_queue(workers=1) == 1
    page = client_for("anvisningsleder").get(url).content.decode()
    assert "Kørslen „Tilbagetest“ spillede året" in page
    assert "Boligplaceringer i året" in page
    assert today.isoformat() not in page
    for case in waiting:
        assert case.number not in page


def test_observed_waiting_is_read_for_the_day_like_the_backtests_start(
    users: Any, waiting: Any
) -> None:
    """Waiting on a day has one reading in the backtest: on the list by then, not closed and
    not moved in by then. The list a year ago (the start) and the list at the year's end (what
    the simulated figure is compared with, on the calibration page for the day the run was
    built) read it the same way: a case closed after that day was still waiting on it."""
    import datetime as dt

    from anvis.cases.services import case_transition
    from anvis.simulation import calibration

    case_transition(
        actor=users["sagsbehandler"],
        case=waiting[0],
        status="closed",
        today=TODAY + dt.timedelta(days=5),
    )
    start_reading = calibration._list_a_year_ago(TODAY + calibration.YEAR).count()
    assert start_reading == len(waiting)
    assert calibration.observed(today=TODAY)["still_waiting_at_end"] == start_reading


def test_the_steering_group_does_not_read_estimates_resting_on_fewer_than_five(
    client_for: Any, users: Any, agreement: Any, waiting: Any
) -> None:
    """The share of two answered offers accepted tells the steering group what one citizen
    answered: an estimate resting on fewer than five observations, and an observed count under
    five, are suppressed for it as in the report; the municipality reads the figures."""
    from django.urls import reverse

    from anvis.cases.models import Case
    from anvis.simulation import calibration

    url = reverse("simulation:calibration")
    opened = Case.objects.filter(opened_on__gt=TODAY - calibration.YEAR).count()
    assert 0 < opened < 5  # the fixture's waiting list is small
    steering = client_for("styregruppe").get(url).content.decode()
    lead = client_for("anvisningsleder").get(url).content.decode()
    assert "Vises ikke: færre end 5 observationer" in steering
    assert "Vises ikke: færre end 5 observationer" not in lead
    assert f"<td>{opened}</td>" in lead
    assert f"<td>{opened}</td>" not in steering
    estimates, _ = calibration.suppressed(
        {"acceptance": {"value": 0.5, "low": 0.1, "high": 0.9, "n": 2}}, None
    )
    assert estimates["acceptance"]["value"] is None and estimates["acceptance"]["suppressed"]


def test_exits_count_the_time_on_the_list_only_until_move_in(
    users: Any, org_a: Any, agreement: Any
) -> None:
    """Two cases on the list 200 days before the day measured: one housed after 100 days (its
    case stays open, status housed), one closed without a lease after 100 days. One exit over
    200 days on the list: the housed case's days after its move-in are not days on the list
    (the backtest's reading, `_waiting_on`)."""
    import datetime as dt

    from anvis.cases.models import Case, CaseStatus
    from anvis.simulation.calibration import calibrate
    from anvis.stock.models import Dwelling
    from anvis.vacancies.models import Lease, Offer, Vacancy

    from .conftest import make_case

    day = dt.date(2026, 12, 1)
    start, moved = day - dt.timedelta(days=200), day - dt.timedelta(days=100)
    housed = make_case(users, "120385-1235", "shelter_110")
    left = make_case(users, "010605-4234", "rough_sleeping")
    Case.objects.filter(pk=housed.pk).update(
        waiting_since=start, opened_on=start, status=CaseStatus.HOUSED
    )
    Case.objects.filter(pk=left.pk).update(
        waiting_since=start, opened_on=start, status=CaseStatus.CLOSED, closed_on=moved
    )
    dwelling = Dwelling.objects.filter(entrance__department__organisation=org_a).first()
    vacancy = Vacancy.objects.create(
        organisation=org_a,
        dwelling=dwelling,
        notice_date=moved,
        available_from=moved,
        report_date=moved,
        rent_at_letting=4000,
        status="let",
        let_from=moved,
    )
    offer = Offer.objects.create(
        vacancy=vacancy, case=housed, status="accepted", offered_on=moved, response_deadline=moved
    )
    Lease.objects.create(
        vacancy=vacancy, offer=offer, signed_on=moved, starts_on=moved, move_in_on=moved
    )
    exits = calibrate(today=day)["exits_per_person_year"]
    assert exits["n"] == 1
    assert exits["value"] == pytest.approx(1 / (200 / 365.25))
