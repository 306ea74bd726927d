"""Benchmark: reporting a vacancy at national scale: the report form's load, and the server-side
search that suggests dwellings as the user types.

Usage (PostgreSQL with the national demo data loaded, see docs/benchmarks.md):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/anvis_bench \\
        python bench/find_dwelling_bench.py --runs 7

Times, through Django's test client (no network, no browser), as the demo's organisation user
(`boligorg`) and as the administrator (every dwelling in the country):
- GET of the report form (`vacancies:vacancy_report`);
- the suggestions for the first two characters of an address (`stock:dwelling_suggestions`),
  for several streets, and for a full address with floor and door.
Prints each request's median and the slowest of the runs, with the number of suggestions.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anvis.config.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=21, help="chooses the streets (same each run)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from anvis.accounts.models import User
    from anvis.stock.models import Dwelling, Entrance

    settings.ALLOWED_HOSTS = ["*"]
    print(
        f"database: {connection.vendor} {connection.settings_dict.get('NAME')}; "
        f"dwellings {Dwelling.objects.count()}, entrances {Entrance.objects.count()}; "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    pick = random.Random(args.seed)
    entrance_ids = list(Entrance.objects.order_by("pk").values_list("pk", flat=True))
    chosen = pick.sample(entrance_ids, 5)
    streets = [Entrance.objects.get(pk=pk).street for pk in chosen]
    one = (
        Dwelling.objects.select_related("entrance")
        .filter(entrance_id=pick.choice(entrance_ids))
        .order_by("pk")
        .first()
    )
    assert one is not None
    full = f"{one.entrance.street} {one.floor} {one.door}"

    cpu: list[float] = []

    def timed(
        client: Client, url: str, data: dict[str, str], method: str = "get"
    ) -> tuple[float, float, int]:
        times, count = [], 0
        for _ in range(args.runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            response = getattr(client, method)(url, data)
            cpu.append((time.process_time() - start_cpu) * 1000)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            if response["Content-Type"].startswith("application/json"):
                count = len(response.json()["results"])
        return statistics.median(times), max(times), count

    for username in ("boligorg", "admin"):
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        client.get(reverse("vacancies:vacancy_report"))  # warm up
        median, worst, _n = timed(client, reverse("vacancies:vacancy_report"), {})
        print(
            f"{username:9} report form                          median {median:7.1f} ms  max {worst:7.1f} ms"
        )
        for street in streets:
            text = street[:2]
            median, worst, n = timed(client, reverse("stock:dwelling_suggestions"), {"q": text})
            print(
                f"{username:9} suggestions {text!r:28} median {median:7.1f} ms  max {worst:7.1f} ms  ({n} shown)"
            )
        median, worst, n = timed(client, reverse("stock:dwelling_suggestions"), {"q": full})
        print(
            f"{username:9} suggestions {full[:26]!r:28} median {median:7.1f} ms  max {worst:7.1f} ms  ({n} shown)"
        )
    for username, url, text, method in (
        ("admin", "stock:department_suggestions", "To", "get"),
        ("sagsbehandler", "cases:case_suggestions", "An", "post"),
    ):
        client = Client()
        client.force_login(User.objects.get(username=username))
        median, worst, n = timed(client, reverse(url), {"q": text}, method)
        print(
            f"{username:9} {url.split(':')[1]:20} {text!r:16} median {median:7.1f} ms  max {worst:7.1f} ms  ({n} shown)"
        )
    print(
        f"load average at the end {os.getloadavg()[0]:.2f}; "
        f"CPU time of this process per request: median {statistics.median(cpu):.1f} ms"
    )


if __name__ == "__main__":
    main()
