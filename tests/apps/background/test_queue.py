"""The task queue's own rules: retries with back-off, recovery of a stopped worker's task,
the schedule enqueued once per period, and the operations pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from anvis.background.models import ScheduleSlot, WorkerBeat
from anvis.background.queue import recover_stale, run_pending
from anvis.background.schedule import BY_NAME, SCHEDULE, tick

from .flaky import flaky

pytestmark = pytest.mark.django_db


def _row(result: Any) -> DBTaskResult:
    return DBTaskResult.objects.get(pk=result.id)


def test_a_failing_task_is_retried_with_growing_pauses_then_given_up() -> None:
    cache.set("flaky-1", True)
    result = flaky.enqueue("flaky-1")
    before = timezone.now()
    run_pending()
    row = _row(result)
    assert row.status == "READY" and len(row.worker_ids) == 1
    assert dt.timedelta(seconds=29) <= row.run_after - before <= dt.timedelta(seconds=35)
    assert "FlakyError: flaky-1 failed on purpose" in row.traceback
    run_pending()  # not due yet: nothing happens
    assert len(_row(result).worker_ids) == 1

    DBTaskResult.objects.filter(pk=row.pk).update(run_after=timezone.now())
    before = timezone.now()
    run_pending()
    row = _row(result)
    assert row.status == "READY" and len(row.worker_ids) == 2
    assert dt.timedelta(seconds=59) <= row.run_after - before <= dt.timedelta(seconds=65)

    DBTaskResult.objects.filter(pk=row.pk).update(run_after=timezone.now())
    run_pending()
    row = _row(result)
    assert row.status == "FAILED" and len(row.worker_ids) == 3  # attempts used up


def test_a_retried_task_that_succeeds_clears_its_error() -> None:
    cache.set("flaky-2", True)
    result = flaky.enqueue("flaky-2")
    run_pending()
    cache.delete("flaky-2")
    DBTaskResult.objects.filter(pk=result.id).update(run_after=timezone.now())
    run_pending()
    row = _row(result)
    assert (row.status, row.return_value, row.traceback) == ("SUCCESSFUL", "ok", "")


def test_the_task_of_a_stopped_worker_goes_back_in_the_queue(settings: Any) -> None:
    settings.ANVIS_WORKER_STALE_SECONDS = 60
    now = timezone.now()
    old = now - dt.timedelta(minutes=5)
    dead = flaky.enqueue("x")
    alive = flaky.enqueue("y")
    used_up = flaky.enqueue("z")
    DBTaskResult.objects.filter(pk=dead.id).update(
        status="RUNNING", started_at=old, worker_ids=["gone"]
    )
    DBTaskResult.objects.filter(pk=alive.id).update(
        status="RUNNING", started_at=old, worker_ids=["busy"]
    )
    DBTaskResult.objects.filter(pk=used_up.id).update(
        status="RUNNING", started_at=old, worker_ids=["a", "b", "gone"]
    )
    WorkerBeat.objects.create(worker_id="busy", seen_at=now)
    WorkerBeat.objects.create(worker_id="gone", seen_at=old)
    assert recover_stale(now=now) == 2
    assert _row(dead).status == "READY"
    assert _row(alive).status == "RUNNING"  # its worker is beating: left alone
    row = _row(used_up)
    assert row.status == "FAILED" and "WorkerLostError" in row.traceback
    assert recover_stale(now=now) == 0


def test_each_scheduled_task_is_enqueued_once_per_period() -> None:
    now = timezone.now().replace(second=5)
    assert tick(now=now) == [entry.name for entry in SCHEDULE]
    assert tick(now=now) == []  # a second scheduler in the same period enqueues nothing
    assert DBTaskResult.objects.count() == len(SCHEDULE)
    assert ScheduleSlot.objects.count() == len(SCHEDULE)
    later = tick(now=now + dt.timedelta(minutes=1))
    assert "webhooks" in later and "digests" not in later


def test_daily_slots_are_local_time() -> None:
    digests = BY_NAME["digests"]
    morning = timezone.make_aware(dt.datetime(2026, 3, 2, 6, 59))
    after = timezone.make_aware(dt.datetime(2026, 3, 2, 7, 1))
    assert timezone.localtime(digests.slot(morning)).date() == dt.date(2026, 3, 1)
    assert timezone.localtime(digests.slot(after)) == timezone.make_aware(
        dt.datetime(2026, 3, 2, 7, 0)
    )


def test_the_administrator_sees_tasks_workers_and_schedule(client_for: Any) -> None:
    cache.set("flaky-3", True)
    flaky.enqueue("flaky-3")
    run_pending()
    DBTaskResult.objects.update(status="FAILED")
    response = client_for("administrator").get("/drift/opgaver/?status=fejlet")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Baggrundsopgaver</h1>" in page
    assert "FlakyError: flaky-3 failed on purpose" in page
    assert "1 / 3" in page
    assert "Lever forfaldne webhook-hændelser" in page  # the schedule
    assert "Ingen arbejder kører" in page


@pytest.mark.parametrize(
    "role", ["sagsbehandler", "anvisningsleder", "boligorganisation", "styregruppe"]
)
def test_other_roles_do_not_see_the_operations_pages(client_for: Any, role: str) -> None:
    assert client_for(role).get("/drift/opgaver/").status_code == 403
    assert client_for(role).get("/drift/udbakke/").status_code == 403


def test_outbox_keeps_the_mail_for_the_administrator(client_for: Any, settings: Any) -> None:
    settings.EMAIL_BACKEND = "anvis.background.mail.OutboxBackend"
    mail.send_mail("Anvis: Prøve", "Brødtekst", "anvis@localhost", ["lead@example.dk"])
    page = client_for("administrator").get("/drift/udbakke/").content.decode()
    assert "Anvis: Prøve" in page and "Til lead@example.dk" in page and "Brødtekst" in page


def test_error_pages_are_danish_without_technical_detail(client_for: Any) -> None:
    response = client_for("sagsbehandler").get("/findes-ikke/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Siden blev ikke fundet" in page
    assert "urlpatterns" not in page and "URLconf" not in page
    response = client_for("sagsbehandler").get("/drift/opgaver/")
    assert "Ingen adgang" in response.content.decode()


def test_a_recovered_task_runs_again() -> None:
    result = flaky.enqueue("again")
    old = timezone.now() - dt.timedelta(minutes=5)
    DBTaskResult.objects.filter(pk=result.id).update(
        status="RUNNING", started_at=old, worker_ids=["gone"]
    )
    assert recover_stale() == 1
    run_pending()
    row = _row(result)
    assert row.status == "SUCCESSFUL" and row.worker_ids == ["gone", "inline"]


def test_the_policy_of_a_task_not_yet_imported_is_known() -> None:
    import sys

    from anvis.background import queue

    path = "tests.apps.background.flaky.flaky"
    queue._POLICIES.pop(path, None)
    sys.modules.pop("tests.apps.background.flaky", None)
    assert queue.policy_of(path).attempts == 3
    assert queue.policy_of("no.such.task").attempts == 1


def test_server_error_page_is_danish_without_detail() -> None:
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("da"):
        page = render_to_string("500.html")
    assert "Der opstod en fejl" in page and "Intet blev gemt" in page
    assert "Traceback" not in page


def test_demo_logins_name_the_roles_in_danish_and_the_address_served() -> None:
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("demo_logins", url="http://0.0.0.0:9000/", stdout=out)
    text = out.getvalue()
    assert "Anvisningsleder" in text and "Boligorganisation" in text
    assert "Åbn http://127.0.0.1:9000/ i en browser" in text


def test_old_task_results_are_pruned_failed_ones_kept_longer() -> None:
    from anvis.background.tasks import prune_task_results

    now = timezone.now()
    cache.set("flaky-prune", True)
    rows = {}
    for name, days, fails in (
        ("recent", 3, False),
        ("old", 20, False),
        ("old_failed", 20, True),
        ("ancient_failed", 100, True),
    ):
        result = flaky.enqueue("flaky-prune" if fails else "flaky-fine")
        status = "FAILED" if fails else "SUCCESSFUL"
        DBTaskResult.objects.filter(pk=result.id).update(
            status=status, finished_at=now - dt.timedelta(days=days)
        )
        rows[name] = result.id
    waiting = flaky.enqueue("flaky-waiting")  # not finished: never pruned
    DBTaskResult.objects.filter(pk=waiting.id).update(enqueued_at=now - dt.timedelta(days=200))
    assert prune_task_results.call() == 2
    left = set(DBTaskResult.objects.values_list("pk", flat=True))
    assert {str(pk) for pk in left} == {
        str(rows["recent"]),
        str(rows["old_failed"]),
        str(waiting.id),
    }
    assert "task_results" in BY_NAME
