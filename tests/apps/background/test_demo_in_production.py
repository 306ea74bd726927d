"""The demo's accounts (an administrator among them) all have the published demo password:
`load_demo` does not create them in the production profile unless the operator gave the demo
its own password."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db

PUBLISHED = "Anvis-demo-2026"


@pytest.fixture
def loaded(monkeypatch: Any) -> list[Any]:
    """Record whether the loaders ran, without loading 30,000 dwellings."""
    from anvis.demo.management.commands import load_demo

    calls: list[Any] = []
    monkeypatch.setattr(load_demo, "load_all", lambda ctx, report: calls.append(ctx))
    return calls


def test_the_published_password_is_refused_in_production(settings: Any, loaded: list[Any]) -> None:
    settings.PRODUCTION = True
    settings.ANVIS_DEMO_PASSWORD = PUBLISHED
    with pytest.raises(CommandError, match="ANVIS_DEMO_PASSWORD"):
        call_command("load_demo", stdout=StringIO())
    assert loaded == []


def test_production_with_a_password_of_its_own_and_development_load(
    settings: Any, loaded: list[Any]
) -> None:
    settings.PRODUCTION = True
    settings.ANVIS_DEMO_PASSWORD = "Eget-Demo-Kodeord-2026!"
    call_command("load_demo", stdout=StringIO())
    settings.PRODUCTION = False
    settings.ANVIS_DEMO_PASSWORD = PUBLISHED
    call_command("load_demo", stdout=StringIO())
    assert len(loaded) == 2
