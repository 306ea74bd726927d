from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from anvis.audit.models import AuditEvent
from anvis.background.queue import run_pending
from anvis.simulation import services
from anvis.simulation.models import RunStatus, SimulationRun
from anvis.simulation.scenarios import build_scenario
from anvis.simulation.tasks import run_simulation

from .conftest import TODAY

pytestmark = pytest.mark.django_db

TINY = {
    "source": "database",
    "regime": "agreement",
    "use_steps": True,
    "matching_mode": "online",
    "batch_days": 7,
    "years": 1,
    "replications": 2,
    "seed": 3,
    "share_percent": "100",
    "arrivals_per_year": "6",
}


def queue(user: Any, **changes: Any) -> SimulationRun:
    return services.simulation_run_create(
        actor=user, name="Lille kørsel", parameters={**TINY, **changes}
    )


def test_overrides_reach_the_scenario(agreement: Any, waiting: Any) -> None:
    s = build_scenario(
        {
            **TINY,
            "regime": "ad_hoc",
            "use_steps": False,
            "stairwell_cap": 0,
            "department_cap": 3,
            "matching_mode": "batch",
            "matching_policy": "production",
            "batch_days": 14,
            "acceptance_probability": "0.5",
        },
        today=TODAY,
    )
    assert s.matching.policy == "production"
    assert s.regime.kind == "ad_hoc"
    assert s.regime.share == Fraction(1)
    assert s.regime.steps == ()
    assert s.regime.stairwell_cap is None and s.regime.department_cap == 3
    assert s.regime.access_probability == pytest.approx(0.08)  # the shipped ad hoc assumption
    assert s.regime.response_days.a == 30
    assert (s.matching.mode, s.matching.batch_days) == ("batch", 14.0)
    assert s.matching.acceptance_probability == 0.5
    assert sum(g.arrivals_per_year for g in s.groups) == pytest.approx(6)
    assert (s.replications, s.seed) == (2, 3)
    assert s.horizon_days == pytest.approx(365.25)


def test_worker_runs_a_tiny_scenario_end_to_end(
    users: Any,
    agreement: Any,
    waiting: Any,
    monkeypatch: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        run = queue(users["anvisningsleder"])  # the task is queued when the run commits
    assert (run.status, run.progress_total) == (RunStatus.QUEUED, 2)
    seen: list[tuple[int, int, str]] = []
    original = services._set_progress

    def spy(run_id: int, done: int, total: int) -> None:
        original(run_id, done, total)
        row = SimulationRun.objects.get(pk=run_id)
        seen.append((row.progress_done, row.progress_total, row.status))

    monkeypatch.setattr(services, "_set_progress", spy)
    monkeypatch.setattr(settings, "ANVIS_SIMULATION_WORKERS", 1, raising=False)
    run_pending()

    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.error
    assert seen == [(0, 2, "running"), (1, 2, "running"), (2, 2, "running")]
    assert (run.progress_done, run.progress_total) == (2, 2)
    assert run.result["schema"] == "anvis.simulation.result/1"
    assert run.result["scenario"]["replications"] == 2
    assert run.result["initial_waiting_list"]["count"]["mean"] == 2
    assert run.result["built_on"] == timezone.localdate().isoformat()
    assert run.started_at and run.finished_at
    actions = list(
        AuditEvent.objects.filter(object_id=str(run.pk), object_type="simulation.SimulationRun")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["simulation.run_create", "simulation.run_done"]
    # The result is never copied into the audit trail.
    assert "Alfa" not in str(AuditEvent.objects.filter(action="simulation.run_done").get().after)


def test_worker_is_idempotent_and_claims_each_run_once(
    users: Any, agreement: Any, waiting: Any
) -> None:
    queue(users["anvisningsleder"])
    first = services.simulation_run_claim_next()
    assert first is not None and first.status == RunStatus.RUNNING
    assert services.simulation_run_claim_next() is None
    services.simulation_run_execute(run=first)
    assert run_simulation.call(first.pk) == "skipped"  # a run already done is left alone
    first.refresh_from_db()
    assert first.status == RunStatus.DONE
    assert AuditEvent.objects.filter(action="simulation.run_done").count() == 1


def test_a_failing_run_is_recorded_and_the_queue_goes_on(
    users: Any, agreement: Any, waiting: Any
) -> None:
    bad = queue(users["anvisningsleder"], source="nowhere")
    good = queue(users["anvisningsleder"])
    assert services.simulation_process_queue(workers=1) == 2
    bad.refresh_from_db()
    good.refresh_from_db()
    assert bad.status == RunStatus.FAILED and "nowhere" in bad.error
    assert bad.result is None
    assert good.status == RunStatus.DONE


def test_group_labels_for_shipped_scenarios() -> None:
    from anvis.simulation.selectors import group_label

    result = {
        "waiting_time_by_group": {"street 18-24": {"situation": "street", "age_band": "18-24"}}
    }
    from django.utils import translation

    with translation.override("da"):
        assert group_label(result, "street 18-24") == "Gadesovende eller natvarmestue, 18-24"
    assert group_label(result, "unknown") == "unknown"


def test_a_failed_run_says_in_danish_what_to_do_and_keeps_the_detail_apart(
    users: Any, agreement: Any, waiting: Any, client_for: Any
) -> None:
    from django.urls import reverse

    bad = queue(users["anvisningsleder"], source="nowhere")
    services.simulation_process_queue(workers=1)
    page = client_for("anvisningsleder").get(reverse("simulation:run_detail", args=[bad.pk]))
    body = page.content.decode()
    assert "Kørslen mislykkedes." in body
    assert "Ret scenariet, og start en ny kørsel" in body
    # The error itself (the engine's words, often in English) is the technical detail.
    detail = body[body.index("<details") :]
    assert "nowhere" in detail[: detail.index("</details>")]
