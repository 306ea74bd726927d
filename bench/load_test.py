"""Load test: 20 concurrent users on the key pages, against gunicorn and PostgreSQL.

Run (from the project root, on a database loaded with `manage.py load_demo --scale national`):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/anvis_load python bench/load_test.py \\
        [--users 20] [--run-time 60s] [--port 8741] [--workers 3]

The script starts gunicorn on 127.0.0.1 (DEBUG off), waits for /health/, runs locust headless
in a second process with this file as the locustfile, prints per-page and total figures
(requests, failures, median, 95th percentile) and stops gunicorn. The figures are those of the
steady state: the first `--warm-up` seconds (default 20), in which every user logs in (each
login an Argon2id password hash) and the server fills its caches, are dropped, and the
measurement lasts `--run-time` after them. The login lockout is switched
off for the run (all simulated users share the demo accounts and one address). Exit status 1
when there were failures.

Each simulated user either logs in as one of the demo roles and requests that role's pages with
real object ids taken from the database (LOAD_* environment variables set by the runner), or is
a system calling the JSON API with a bearer token created for the run: a housing organisation's
system (organisation token: open vacancies, offers, dwellings, leases) or a municipal system
(municipal token: ledger, vacancies).
"""

from __future__ import annotations

import csv
import os
import random
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = os.environ.get("ANVIS_DEMO_PASSWORD", "Anvis-demo-2026")


def _ids(name: str) -> list[int]:
    return [int(x) for x in os.environ.get(name, "").split(",") if x]


if __name__ != "__main__":
    import gevent
    from locust import HttpUser, between, events, task

    WARM_UP = float(os.environ.get("LOAD_WARM_UP_SECONDS", "0"))

    @events.test_start.add_listener
    def _reset_after_warm_up(environment: Any, **_kwargs: Any) -> None:
        """Forget the figures of the first WARM_UP seconds: the ramp-up, in which every user
        logs in (an Argon2id password hash) and the server fills its caches."""
        if WARM_UP > 0:

            def reset() -> None:
                gevent.sleep(WARM_UP)
                environment.runner.stats.reset_all()

            gevent.spawn(reset)

    CASES = _ids("LOAD_CASE_IDS")
    OWN_DEPARTMENTS = _ids("LOAD_OWN_DEPARTMENT_IDS")
    DEPARTMENTS = _ids("LOAD_DEPARTMENT_IDS")
    DWELLINGS = _ids("LOAD_OWN_DWELLING_IDS")
    AGREEMENT = os.environ.get("LOAD_AGREEMENT_ID", "")

    class RoleUser(HttpUser):
        abstract = True
        wait_time = between(0.5, 1.5)
        username = ""

        def on_start(self) -> None:
            self.client.get("/konto/login/", name="login page")
            token = self.client.cookies.get("csrftoken", "")
            response = self.client.post(
                "/konto/login/",
                {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
                headers={"Referer": self.host + "/konto/login/"},
                name="login",
                allow_redirects=False,
            )
            if response.status_code != 302:
                raise RuntimeError(f"login failed for {self.username}: {response.status_code}")

        def page(self, url: str, name: str) -> None:
            with self.client.get(url, name=name, catch_response=True) as response:
                if response.status_code != 200:
                    response.failure(f"status {response.status_code}")
                elif "/konto/login/" in response.url:
                    response.failure("sent to the login page")

    class Caseworker(RoleUser):
        weight = 6
        username = "sagsbehandler"

        @task(3)
        def case_list(self) -> None:
            self.page("/sager/", "/sager/")

        @task(3)
        def case_overview(self) -> None:
            self.page(f"/sager/{random.choice(CASES)}/", "/sager/[id]/")

        @task(1)
        def case_timeline(self) -> None:
            self.page(f"/sager/{random.choice(CASES)}/tidslinje/", "/sager/[id]/tidslinje/")

        @task(1)
        def home(self) -> None:
            self.page("/", "/")

        @task(1)
        def dwellings(self) -> None:
            self.page("/bestand/boliger/?rooms=2", "/bestand/boliger/?rooms")

    class AllocationLead(RoleUser):
        weight = 4
        username = "anvisningsleder"

        @task(2)
        def ledger(self) -> None:
            self.page("/aftaler/regnskab/", "/aftaler/regnskab/")

        @task(1)
        def agreements(self) -> None:
            self.page("/aftaler/", "/aftaler/")

        @task(2)
        def monitoring(self) -> None:
            self.page("/overvaagning/afdelinger/", "/overvaagning/afdelinger/")

        @task(1)
        def monitoring_detail(self) -> None:
            pk = random.choice(DEPARTMENTS)
            self.page(f"/overvaagning/afdelinger/{pk}/", "/overvaagning/afdelinger/[id]/")

        @task(1)
        def proposals(self) -> None:
            self.page("/overvaagning/trappetrin/", "/overvaagning/trappetrin/")

        @task(1)
        def handheld(self) -> None:
            self.page("/aftaler/haandholdt/", "/aftaler/haandholdt/")

        @task(2)
        def inbox(self) -> None:
            self.page("/ledige-boliger/indbakke/", "/ledige-boliger/indbakke/")

    class OrganisationStaff(RoleUser):
        weight = 6
        username = "boligorg"

        @task(2)
        def departments(self) -> None:
            self.page("/bestand/afdelinger/", "/bestand/afdelinger/")

        @task(2)
        def department(self) -> None:
            pk = random.choice(OWN_DEPARTMENTS)
            self.page(f"/bestand/afdelinger/{pk}/", "/bestand/afdelinger/[id]/")

        @task(2)
        def dwellings(self) -> None:
            self.page("/bestand/boliger/", "/bestand/boliger/")

        @task(1)
        def dwelling(self) -> None:
            self.page(f"/bestand/boliger/{random.choice(DWELLINGS)}/", "/bestand/boliger/[id]/")

        @task(1)
        def ledger(self) -> None:
            self.page("/aftaler/regnskab/", "/aftaler/regnskab/")

        @task(1)
        def monitoring(self) -> None:
            self.page("/overvaagning/afdelinger/", "/overvaagning/afdelinger/")

        @task(2)
        def vacancies(self) -> None:
            self.page("/ledige-boliger/", "/ledige-boliger/")

    class Steering(RoleUser):
        weight = 2
        username = "styregruppe"

        @task(2)
        def ledger(self) -> None:
            self.page("/aftaler/regnskab/", "/aftaler/regnskab/")

        @task(1)
        def organisations(self) -> None:
            self.page("/bestand/organisationer/", "/bestand/organisationer/")

        @task(1)
        def monitoring(self) -> None:
            self.page("/overvaagning/afdelinger/?status=red", "/overvaagning/afdelinger/?status")

    class ApiClient(HttpUser):
        """A system calling the JSON API with a bearer token (no login, no session)."""

        abstract = True
        wait_time = between(0.5, 1.5)
        credential_env = ""

        def on_start(self) -> None:
            self.client.headers["Authorization"] = f"Bearer {os.environ[self.credential_env]}"
            self.client.headers["Accept"] = "application/json"

        def api(self, url: str, name: str) -> None:
            with self.client.get(url, name=name, catch_response=True) as response:
                if response.status_code != 200:
                    response.failure(f"status {response.status_code}")
                elif not response.headers.get("Content-Type", "").startswith("application/json"):
                    response.failure("not a JSON answer")

    class OrganisationSystem(ApiClient):
        """A housing organisation's administration system with its organisation token."""

        weight = 3
        credential_env = "LOAD_ORGANISATION_TOKEN"

        @task(3)
        def vacancies(self) -> None:
            self.api("/api/v1/vacancies/?status=open", "/api/v1/vacancies/?status")

        @task(2)
        def offers(self) -> None:
            self.api("/api/v1/offers/", "/api/v1/offers/")

        @task(2)
        def dwellings(self) -> None:
            self.api("/api/v1/dwellings/?rooms=2", "/api/v1/dwellings/?rooms")

        @task(1)
        def leases(self) -> None:
            self.api("/api/v1/leases/", "/api/v1/leases/")

    class MunicipalSystem(ApiClient):
        """A municipal system reading the ledger with a municipal token."""

        weight = 1
        credential_env = "LOAD_MUNICIPAL_TOKEN"

        @task(1)
        def ledger(self) -> None:
            self.api(f"/api/v1/ledger/?agreement={AGREEMENT}", "/api/v1/ledger/?agreement")

        @task(2)
        def vacancies(self) -> None:
            self.api("/api/v1/vacancies/", "/api/v1/vacancies/")

    class Administrator(RoleUser):
        weight = 2
        username = "admin"

        @task(1)
        def audit(self) -> None:
            self.page("/sikkerhed/revisionsspor/", "/sikkerhed/revisionsspor/")

        @task(1)
        def access_log(self) -> None:
            self.page("/sikkerhed/adgangslog/", "/sikkerhed/adgangslog/")


def _sql(query: str) -> list[str]:
    url = os.environ["DATABASE_URL"]
    out = subprocess.run(
        ["psql", url, "-Atc", query], check=True, capture_output=True, text=True
    ).stdout
    return [line for line in out.splitlines() if line]


def _seconds(text: str) -> float:
    """'60s', '2m' or '90' as seconds."""
    units = {"s": 1, "m": 60, "h": 3600}
    if text and text[-1] in units:
        return float(text[:-1]) * units[text[-1]]
    return float(text)


def _token(option: str, value: str) -> str:
    """A fresh API token for the run, created with the management command (it is named with
    the time of the run, so old ones can be revoked in the admin)."""
    out = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "create_api_token",
            "--name",
            f"Belastningstest {time.strftime('%Y-%m-%d %H:%M:%S')}",
            option,
            value,
            "--by",
            "admin",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return out.strip().splitlines()[-1]


def _wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


def main() -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--run-time", default="60s")
    parser.add_argument("--port", type=int, default=8741)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--csv", default=str(ROOT / "var" / "load_test"))
    parser.add_argument(
        "--warm-up",
        type=float,
        default=20,
        help="seconds at the start whose figures are dropped (the logins and the ramp-up); "
        "the run lasts --run-time after them; 0 keeps everything",
    )
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        print("Set DATABASE_URL to a PostgreSQL database with the national demo data.")
        return 2

    own_org = "(SELECT uo.housingorganisation_id FROM accounts_user_organisations uo "
    own_org += "JOIN accounts_user u ON u.id = uo.user_id WHERE u.username = 'boligorg')"
    env = {
        **os.environ,
        "DEBUG": "false",
        "AXES_ENABLED": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOAD_AGREEMENT_ID": _sql("SELECT min(id) FROM agreements_allocationagreement")[0],
        "LOAD_CASE_IDS": ",".join(_sql("SELECT id FROM cases_case ORDER BY id LIMIT 200")),
        "LOAD_DEPARTMENT_IDS": ",".join(
            _sql("SELECT id FROM stock_department ORDER BY random() LIMIT 200")
        ),
        "LOAD_OWN_DEPARTMENT_IDS": ",".join(
            _sql(f"SELECT id FROM stock_department WHERE organisation_id IN {own_org} LIMIT 200")
        ),
        "LOAD_OWN_DWELLING_IDS": ",".join(
            _sql(
                "SELECT w.id FROM stock_dwelling w JOIN stock_entrance e ON e.id = w.entrance_id "
                f"JOIN stock_department d ON d.id = e.department_id "
                f"WHERE d.organisation_id IN {own_org} LIMIT 200"
            )
        ),
    }
    env["LOAD_ORGANISATION_TOKEN"] = _token(
        "--organisation",
        _sql(f"SELECT cvr FROM stock_housingorganisation WHERE id IN {own_org} LIMIT 1")[0],
    )
    env["LOAD_MUNICIPAL_TOKEN"] = _token("--user", "anvisningsleder")
    env["LOAD_WARM_UP_SECONDS"] = str(args.warm_up)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    host = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "anvis.config.wsgi",
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{args.port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT / "src")},
    )
    try:
        _wait_for(f"{host}/health/")
        Path(args.csv).parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                __file__,
                "--headless",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.spawn_rate),
                "--run-time",
                f"{_seconds(args.run_time) + args.warm_up:.0f}s",
                "--host",
                host,
                "--csv",
                args.csv,
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env=env,
            check=False,
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    return report(Path(args.csv + "_stats.csv"))


def report(stats: Path) -> int:
    failures = 0
    print(f"\n{'page':45} {'requests':>9} {'failures':>9} {'median ms':>10} {'p95 ms':>8}")
    with stats.open(newline="") as handle:
        for row in csv.DictReader(handle):
            name = row["Name"] if row["Name"] != "Aggregated" else "TOTAL"
            print(
                f"{name:45} {row['Request Count']:>9} {row['Failure Count']:>9} "
                f"{row['Median Response Time']:>10} {row['95%']:>8}"
            )
            if row["Name"] == "Aggregated":
                failures = int(row["Failure Count"])
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
