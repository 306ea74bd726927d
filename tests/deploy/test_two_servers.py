"""Several app servers on shared state: two gunicorn servers, a task worker and schedulers
against one PostgreSQL database and Redis (REDIS_URL). A rate limit counts across both servers,
a change made through one is seen by the next request on the other, a scheduled task is
enqueued and run once however many schedulers tick, and a worker killed in the middle of a
simulation leaves no half-written result: the run is put back and finished by another worker."""

from __future__ import annotations

import re
import secrets
from pathlib import Path
from typing import Any

import pytest
import requests
from django_tasks_db.models import DBTaskResult

from anvis.audit.models import AuditEvent
from anvis.background.schedule import SCHEDULE
from anvis.simulation.models import RunStatus, SimulationRun
from tests.conftest import PASSWORD

from .processes import processes, require_postgres_and_redis, wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _login(session: requests.Session, base: str, username: str) -> None:
    page = session.get(f"{base}/konto/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, page.text[:300]
    answer = session.post(
        f"{base}/konto/login/",
        data={"csrfmiddlewaretoken": token.group(1), "username": username, "password": PASSWORD},
        headers={"Referer": f"{base}/konto/login/"},
        timeout=30,
    )
    assert answer.url == f"{base}/", answer.status_code


def test_two_servers_one_worker_shared_state(
    users: dict[str, Any], org_a: Any, tmp_path: Path, settings: Any
) -> None:
    redis_url = require_postgres_and_redis()
    # The servers check passwords with the production hasher, not the tests' fast one.
    settings.PASSWORD_HASHERS = ["anvis.security.passwords.Argon2idHasher"]
    users["anvisningsleder"].set_password(PASSWORD)
    users["anvisningsleder"].save(update_fields=["password"])
    from anvis.api.services import api_token_create

    raw = api_token_create(
        actor=users["administrator"], name="EG Bolig A", kind="organisation", organisation=org_a
    ).raw
    env = {
        "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": f"anvis-test-{secrets.token_hex(4)}",
        "ANVIS_API_RATE": "6/min",
        "ANVIS_WORKER_STALE_SECONDS": "2",
        "ANVIS_SIMULATION_WORKERS": "1",
    }
    with processes(tmp_path, **env) as run:
        a = run.web("web-a")
        b = run.web("web-b")

        # 1. The API's rate limit counts the requests to both servers together.
        auth = {"Authorization": f"Bearer {raw}"}
        codes = [
            requests.get(f"{base}/api/v1/dwellings/", headers=auth, timeout=30).status_code
            for base in [a, b] * 4
        ]
        assert codes[:6] == [200] * 6 and codes[6:] == [429, 429], codes

        # 2. Logged in and changed through A, seen on the next request to B.
        browser = requests.Session()
        _login(browser, a, "u_anvisningsleder")
        form = browser.get(f"{a}/indbakke/indstillinger/", timeout=30).text
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
        assert csrf
        saved = browser.post(
            f"{a}/indbakke/indstillinger/",
            data={"csrfmiddlewaretoken": csrf.group(1), "notification_mode": "digest"},
            headers={"Referer": f"{a}/indbakke/indstillinger/"},
            timeout=30,
        )
        assert saved.status_code == 200
        on_b = browser.get(f"{b}/indbakke/indstillinger/", timeout=30)
        assert on_b.url == f"{b}/indbakke/indstillinger/"  # the session is shared
        assert re.search(r'value="digest"[^>]*checked', on_b.text), on_b.text[:2000]

        # 3. Two schedulers tick at once: every scheduled task is enqueued and run once.
        run.manage(
            "worker-1", "task_worker", "--no-startup-delay", "--interval=0.2", "--worker-id=w1"
        )
        first = run.manage("scheduler-1", "task_scheduler", "--once")
        second = run.manage("scheduler-2", "task_scheduler", "--once")
        assert first.wait(timeout=120) == 0 and second.wait(timeout=120) == 0
        paths = [entry.task for entry in SCHEDULE]
        wait_until(
            lambda: (
                DBTaskResult.objects.filter(task_path__in=paths, status="SUCCESSFUL").count()
                == len(paths)
            ),
            seconds=120,
            what="the scheduled tasks to finish",
        )
        for path in paths:
            assert DBTaskResult.objects.filter(task_path=path).count() == 1, path

        # 4. The worker is killed in the middle of a simulation run.
        queued = browser.get(f"{a}/simulator/", timeout=30).text
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', queued)
        assert csrf
        browser.post(
            f"{a}/simulator/",
            data={
                "csrfmiddlewaretoken": csrf.group(1),
                "name": "Afbrudt kørsel",
                "source": "aalborg",
                "regime": "agreement",
                "use_steps": "on",
                "matching_mode": "online",
                "batch_days": "7",
                "years": "5",
                "replications": "40",
                "seed": "1",
            },
            headers={"Referer": f"{a}/simulator/"},
            timeout=30,
        )
        sim = SimulationRun.objects.get(name="Afbrudt kørsel")
        wait_until(
            lambda: SimulationRun.objects.filter(pk=sim.pk, progress_done__gte=3).exists(),
            seconds=120,
            what="the run to make progress",
        )
        run.kill("worker-1")
        sim.refresh_from_db()
        assert sim.status == RunStatus.RUNNING and sim.result is None
        assert sim.progress_done < sim.progress_total
        assert not AuditEvent.objects.filter(action="simulation.run_done", object_id=str(sim.pk))

        # Another worker starts; the scheduler sees the silent worker and puts the task back.
        run.manage(
            "worker-2", "task_worker", "--no-startup-delay", "--interval=0.2", "--worker-id=w2"
        )
        run.manage("scheduler-3", "task_scheduler", "--interval=1")
        wait_until(
            lambda: SimulationRun.objects.get(pk=sim.pk).status == RunStatus.DONE,
            seconds=180,
            what="the run to be finished by the second worker: "
            + repr(list(DBTaskResult.objects.filter(task_path__contains="simulation").values()))
            + repr(SimulationRun.objects.filter(pk=sim.pk).values("status", "progress_done")),
        )
        sim.refresh_from_db()
        assert sim.result is not None and sim.progress_done == sim.progress_total == 40
        assert (
            AuditEvent.objects.filter(action="simulation.run_done", object_id=str(sim.pk)).count()
            == 1
        )
        task = DBTaskResult.objects.get(task_path="anvis.simulation.tasks.run_simulation")
        assert task.status == "SUCCESSFUL" and task.worker_ids == ["w1", "w2"]
