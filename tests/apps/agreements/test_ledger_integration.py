"""A year of reported vacancies through turn_decide and turn_outcome_set, then the ledger page's
figures checked against a count made directly from the inputs."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from anvis.agreements import selectors, services
from anvis.stock.models import Dwelling, Entrance
from anvis_core.quotas import LedgerStatus, Quarter

pytestmark = pytest.mark.django_db


def test_a_year_of_vacancies(agreement: Any, users: dict[str, Any], org_a: Any, org_b: Any) -> None:
    lead, worker = users["anvisningsleder"], users["sagsbehandler"]
    rng = random.Random(7)
    da = org_a.departments.get()
    services.department_step_set(
        actor=lead,
        agreement=agreement,
        department=da,
        label="Trin 2",
        share_percent=Decimal("40"),
        valid_from=dt.date(2024, 1, 1),
        reason="x",
    )
    # A second department for org_b on the default share, a shielded one for org_a.
    entrance_a2 = Entrance.objects.create(
        department=org_a.departments.create(number="102", name="Skærmet"),
        street="Alfavej 9",
        postal_code="9220",
        city="Aalborg Øst",
    )
    d_shield = Dwelling.objects.create(
        entrance=entrance_a2, floor="st", door="th", rooms=2, area_m2=55, rent=3900
    )
    services.department_step_set(
        actor=lead,
        agreement=agreement,
        department=entrance_a2.department,
        label="Trin 0",
        share_percent=Decimal("0"),
        valid_from=dt.date(2024, 1, 1),
        reason="Skærmet",
    )
    dwellings = list(Dwelling.objects.filter(rent__lte=5000)) + list(
        Dwelling.objects.filter(rent__gt=5000)
    )
    expected: dict[int, dict[str, Any]] = {}
    start = dt.date(2024, 1, 1)
    for _ in range(160):
        day = start + dt.timedelta(days=rng.randrange(366))
        dwelling = rng.choice(dwellings)
        result = services.turn_decide(dwelling=dwelling, report_date=day)
        org = dwelling.entrance.department.organisation_id
        if not result.eligible:
            continue
        share = (
            Fraction(40, 100)
            if dwelling.entrance.department == da
            else (Fraction(0) if dwelling == d_shield else Fraction(25, 100))
        )
        counts = expected.setdefault(
            org, {"eligible": 0, "expected": Fraction(0), "delivered": 0, "pending": 0, "q3": 0}
        )
        counts["eligible"] += 1
        counts["expected"] += share
        counts["q3"] += Quarter.of(day) == Quarter(2024, 3)
        if result.municipal:
            outcome = rng.choice(
                ["accepted", "declined_by_municipality", "expired", "pending", "ordinary"]
            )
            if outcome != "pending":
                services.turn_outcome_set(record=result.record, outcome=outcome, actor=worker)
            counts["delivered"] += outcome in {"accepted", "declined_by_municipality", "expired"}
            counts["pending"] += outcome == "pending"

    view = selectors.ledger(
        user=users["styregruppe"],
        agreement=agreement,
        quarter=Quarter(2024, 4),
        level="organisation",
        today=dt.date(2025, 1, 15),
    )
    assert {row.key for row in view.rows} == {org_a.pk, org_b.pk}
    for row in view.rows:
        c = row.line.cumulative
        want = expected[row.key]
        assert c.eligible == want["eligible"]
        assert c.expected == want["expected"]
        assert c.delivered == want["delivered"]
        assert c.pending == want["pending"]
        assert row.line.closing == want["delivered"] + want["pending"] - want["expected"]
    q3 = selectors.ledger(
        user=users["styregruppe"],
        agreement=agreement,
        quarter=Quarter(2024, 3),
        level="organisation",
        today=dt.date(2025, 1, 15),
    )
    assert {r.key: r.line.quarter.eligible for r in q3.rows} == {
        k: v["q3"] for k, v in expected.items()
    }
    # Organisation staff see only their own row.
    own = selectors.ledger(
        user=users["boligorganisation"],
        agreement=agreement,
        quarter=Quarter(2024, 4),
        level="department",
        today=dt.date(2025, 1, 15),
    )
    assert {r.organisation for r in own.rows} == {org_a.name}
    assert all(r.line.status in set(LedgerStatus) for r in own.rows)


def test_the_cached_ledger_follows_every_change(
    agreement: Any, users: dict[str, Any], org_a: Any, django_assert_max_num_queries: Any
) -> None:
    from django.core.cache import cache

    cache.clear()
    dwelling = Dwelling.objects.filter(rent__lte=5000).first()
    args = {
        "agreement": agreement,
        "quarter": Quarter(2024, 4),
        "level": "organisation",
        "today": dt.date(2025, 1, 15),
    }

    def figures(user: Any) -> dict[int, tuple[int, int, int]]:
        view = selectors.ledger(user=user, **args)
        return {
            r.key: (
                r.line.cumulative.eligible,
                r.line.cumulative.pending,
                r.line.cumulative.delivered,
            )
            for r in view.rows
        }

    steering = users["styregruppe"]
    before = figures(steering)
    with django_assert_max_num_queries(2):  # the fingerprint and the parties: a cache hit
        assert figures(steering) == before
    results = [
        services.turn_decide(dwelling=dwelling, report_date=dt.date(2024, 11, d))
        for d in range(4, 9)
    ]
    added = figures(steering)  # a new record: a new fingerprint, the ledger is recomputed
    assert added[org_a.pk][0] == before[org_a.pk][0] + 5
    pending = next(r.record for r in results if r.municipal)
    services.turn_outcome_set(record=pending, outcome="accepted", actor=users["sagsbehandler"])
    settled = figures(steering)  # the same records, one settled: recomputed again
    assert settled[org_a.pk][2] == added[org_a.pk][2] + 1
    assert settled[org_a.pk][1] == added[org_a.pk][1] - 1
    # Another organisation's staff never get the steering group's cached lines.
    assert set(figures(users["boligorganisation"])) == {org_a.pk}
