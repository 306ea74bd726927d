"""Benchmark: the vacancy's candidate page with 10,000 waiting citizens on PostgreSQL.

Usage:

    python bench/candidates_bench.py --citizens 10000 --runs 9

Creates a throw-away database (BENCH_DATABASE, default anvis_bench_matchweb) on the PostgreSQL
server at 127.0.0.1:5432, migrates it, creates a small stock (4 organisations, 40 departments,
400 dwellings), an agreement with stairwell and department caps, and the waiting citizens and
their cases with ``bulk_create`` (with children, areas to avoid and legal bars for some), then
reports and accepts one vacancy through the flow, and takes planner statistics (ANALYZE), as
autovacuum would in a working database. It then requests
``/matchning/ledig-bolig/<pk>/kandidater/`` through the Django test client (without the test
environment's template instrumentation) as the allocation
lead (first page of candidates and of the why-not list, names recorded as personal-data access;
the monitoring snapshot computed first, as the nightly job does) and prints the median of
``--runs`` requests after one warm-up request. BENCH_KEEP=1 keeps the database.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DB = os.environ.get("BENCH_DATABASE", "anvis_bench_matchweb")
URL = f"postgres://postgres@127.0.0.1:5432/{DB}"


def psql(sql: str) -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql, "postgres"], check=True
    )


def prepare_database() -> None:
    psql(f"DROP DATABASE IF EXISTS {DB}")
    psql(f"CREATE DATABASE {DB}")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": URL},
        check=True,
    )


def populate(n_citizens: int, seed: int) -> int:
    """Create stock, agreement, users and the waiting citizens; return the vacancy's id."""
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from anvis.accounts.models import User
    from anvis.agreements.services import agreement_create
    from anvis.cases.models import (
        AvoidArea,
        Case,
        Citizen,
        HouseholdChild,
        LegalBarEvent,
        Situation,
    )
    from anvis.cases.services import citizen_hash
    from anvis.monitoring.compute import recompute
    from anvis.stock.models import Department, Dwelling, Entrance, HousingOrganisation
    from anvis.vacancies import services as flow
    from anvis_core.cpr import parse_cpr

    rng = random.Random(seed)
    today = timezone.localdate()
    lead = User.objects.create_user(username="bench_lead", role="anvisningsleder")
    org_user = User.objects.create_user(username="bench_org", role="boligorganisation")
    orgs = [
        HousingOrganisation.objects.create(name=f"Boligselskab {i}", cvr=f"{10000000 + i}")
        for i in range(4)
    ]
    org_user.organisations.add(*orgs)
    districts = ["Aalborg Øst", "Vestbyen", "Nørresundby", "Hasseris", "Centrum"]
    departments = Department.objects.bulk_create(
        Department(
            organisation=orgs[i % 4],
            number=str(100 + i),
            name=f"Afdeling {100 + i}",
            district=districts[i % len(districts)],
            build_year=1970,
        )
        for i in range(40)
    )
    entrances = Entrance.objects.bulk_create(
        Entrance(department=d, street=f"Vej {d.number}, {k}", postal_code="9000", city="Aalborg")
        for d in departments
        for k in range(2)
    )
    Dwelling.objects.bulk_create(
        Dwelling(
            entrance=e,
            floor="st" if k == 0 else str(k),
            door="tv",
            rooms=1 + (k % 3),
            area_m2=40 + 15 * (k % 3),
            rent=3000 + 150 * k,
            elevator=k % 2 == 0,
            step_free=k == 0,
        )
        for e in entrances
        for k in range(5)
    )
    agreement_create(
        actor=lead,
        municipality="Aalborg Kommune",
        title="Udlejningsaftale",
        period_start=dt.date(2024, 1, 1),
        parties=orgs,
        terms={
            "municipal_share_percent": Decimal("100"),
            "covered_dwelling_types": ["family"],
            "rent_ceiling": 5000,
            "cap_per_entrance_12m": 2,
            "cap_per_department_12m": 6,
        },
    )

    situations = list(Situation.values)
    citizens = []
    for i in range(n_citizens):
        birth = dt.date(1950, 1, 1) + dt.timedelta(days=2 * i)  # distinct: unique CPR numbers
        seventh = 4 if birth.year >= 2000 else 0
        cpr = f"{birth:%d%m%y}-{seventh}{i % 1000:03d}"
        parsed = parse_cpr(cpr)
        citizens.append(
            Citizen(
                cpr=cpr,
                cpr_hash=citizen_hash(parsed),
                reference=f"B{i:07d}",
                first_name="Borger",
                last_name=str(i),
                birth_date=parsed.birth_date,
                recorded_sex="male" if i % 2 else "female",
            )
        )
    citizens = Citizen.objects.bulk_create(citizens, batch_size=2000)
    cases = []
    for i, c in enumerate(citizens):
        waiting = today - dt.timedelta(days=rng.randrange(0, 900))
        income = rng.choice([None, 9000, 11000, 13000, 16000])
        cases.append(
            Case(
                number=f"S-2026-{i:05d}",
                citizen=c,
                opened_on=waiting,
                waiting_since=waiting,
                situation=rng.choice(situations),
                situation_since=waiting,
                adults=rng.choice([1, 1, 1, 2]),
                pets="1 hund" if rng.random() < 0.1 else "",
                needs_elevator=rng.random() < 0.1,
                needs_step_free=rng.random() < 0.05,
                districts_wanted=rng.choice(["", "", "Vestbyen", "Aalborg Øst, Centrum"]),
                income_amount=income,
                housing_benefit=rng.choice([None, 1000, 2000]) if income else None,
                discharge_without_address=rng.random() < 0.05,
                priority_total=0,
            )
        )
    cases = Case.objects.bulk_create(cases, batch_size=2000)
    HouseholdChild.objects.bulk_create(
        HouseholdChild(case=c, birth_date=today - dt.timedelta(days=2000))
        for c in cases
        if rng.random() < 0.1
    )
    AvoidArea.objects.bulk_create(
        AvoidArea(case=c, district=rng.choice(districts), reason="Netværk")
        for c in cases
        if rng.random() < 0.1
    )
    LegalBarEvent.objects.bulk_create(
        LegalBarEvent(case=c, kind="prison_release", date=today - dt.timedelta(days=30))
        for c in cases
        if rng.random() < 0.03
    )
    dwelling = Dwelling.objects.filter(rent__lte=3600).order_by("pk").first()
    assert dwelling is not None
    vacancy = flow.vacancy_report(
        actor=org_user,
        dwelling=dwelling,
        notice_date=today - dt.timedelta(days=20),
        available_from=today - dt.timedelta(days=5),
    )
    flow.vacancy_accept(actor=lead, vacancy=vacancy)
    # The nightly monitoring snapshot, as in production (statuses are then read in one query).
    recompute(on_date=today)
    return vacancy.pk


def measure(client: object, url: str, runs: int) -> dict[str, tuple[list[float], list[float]]]:
    """Three kinds of request in the same rounds: the waiting citizens unchanged since the last
    request (warm); right after a change to one case (a field written without ``save()``, so
    nothing but the row changes; the pool converts that one case again); and with the process's
    pools dropped first (cold: every citizen converted, as after any change before the pool was
    kept per case)."""
    from anvis.cases.models import Case
    from anvis.vacancies import pool

    rng = random.Random(7)
    ids = list(Case.objects.filter(status="waiting").values_list("pk", flat=True))
    series: dict[str, tuple[list[float], list[float]]] = {
        name: ([], []) for name in ("warm", "after a case change", "cold")
    }

    def timed(name: str) -> None:
        t0, c0 = time.perf_counter(), time.process_time()
        response = client.get(url)  # type: ignore[attr-defined]
        series[name][0].append(time.perf_counter() - t0)
        series[name][1].append(time.process_time() - c0)
        assert response.status_code == 200

    for i in range(runs):
        timed("warm")
        Case.objects.filter(pk=rng.choice(ids)).update(pets="1 kat" if i % 2 else "")
        timed("after a case change")
        with pool._POOLS_LOCK:
            pool._POOLS.clear()
        timed("cold")
    return series


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--citizens", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()

    prepare_database()
    os.environ["DATABASE_URL"] = URL
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anvis.config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    # Start as a web worker does (the URLconf loaded, the start-up objects out of the garbage
    # collector's reach): anvis.config.wsgi, which gunicorn imports.
    import anvis.config.wsgi  # noqa: F401
    from anvis.accounts.models import User

    settings.ALLOWED_HOSTS = ["testserver"]
    started = time.perf_counter()
    vacancy_pk = populate(args.citizens, args.seed)
    # A working database has planner statistics (autovacuum analyses a table once a tenth of it
    # has changed, within a minute). Right after the bulk inserts above it may not have them
    # yet, and the planner, expecting one waiting case instead of 10,000, loops over the
    # citizens by index; whether autovacuum got there first made the figures differ from run
    # to run by 30 ms. The statistics are therefore taken here, as autovacuum would.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"populated in {time.perf_counter() - started:.1f} s", flush=True)

    client = Client()
    client.force_login(User.objects.get(username="bench_lead"))
    url = f"/matchning/ledig-bolig/{vacancy_pk}/kandidater/"
    response = client.get(url)  # warm-up
    assert response.status_code == 200, response.status_code
    from django.utils import timezone

    from anvis.matching.selectors import vacancy_ranking
    from anvis.vacancies.models import Vacancy

    ranking = vacancy_ranking(
        vacancy=Vacancy.objects.get(pk=vacancy_pk), today=timezone.localdate()
    )
    series = measure(client, url, args.runs)
    print(
        f"database: {connection.vendor} {connection.settings_dict.get('NAME')}; "
        f"waiting citizens {ranking.waiting_count}, eligible {ranking.eligible_count}; "
        f"cpus {os.cpu_count()}; load average {os.getloadavg()[0]:.2f}"
    )
    for name, (times, cpu) in series.items():
        print(f"{name} runs (ms): " + ", ".join(f"{t * 1000:.0f}" for t in times))
        print(f"{name} cpu of this process (ms): " + ", ".join(f"{t * 1000:.0f}" for t in cpu))
        print(
            f"candidate page, {name}: median {statistics.median(times) * 1000:.0f} ms wall, "
            f"{statistics.median(cpu) * 1000:.0f} ms cpu (this process, without the database "
            f"server) over {len(times)} runs"
        )
    print(f"load average after {os.getloadavg()[0]:.2f}")
    connection.close()
    if os.environ.get("BENCH_KEEP") != "1":
        psql(f"DROP DATABASE IF EXISTS {DB}")


if __name__ == "__main__":
    main()
