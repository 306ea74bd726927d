from __future__ import annotations

from typing import Any

import pytest

from anvis.demo import simulation as demo
from anvis.demo.context import DemoContext
from anvis.simulation.models import RunStatus, SimulationRun

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def test_demo_leaves_two_finished_runs(users: Any, agreement: Any, waiting: Any) -> None:
    lines: list[str] = []
    ctx = DemoContext(today=TODAY, log=lines.append, data={"users": users})
    demo.load(ctx)
    runs = list(SimulationRun.objects.order_by("pk"))
    assert [r.status for r in runs] == [RunStatus.DONE, RunStatus.DONE]
    assert [r.parameters["regime"] for r in runs] == ["agreement", "ad_hoc"]
    assert lines == ["simulation: 2 of 2 demo runs done"]


def test_demo_is_skipped_at_national_scale(users: Any) -> None:
    demo.load(DemoContext(scale="national", log=lambda _line: None, data={"users": users}))
    assert not SimulationRun.objects.exists()
