"""Scheduled workers killed midway and started again: every deadline is still handled, and
nothing is done twice (the vacancy expiry worker of the flow, on the shared world)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

import pytest
from django.utils import timezone

from anvis.audit.models import AuditEvent
from anvis.stock.models import Dwelling
from anvis.vacancies import services
from anvis.vacancies.models import Vacancy
from anvis.vacancies.services import vacancy as vacancy_services

pytestmark = pytest.mark.django_db


def test_expiry_worker_killed_then_restarted(world: dict[str, Any], users: dict[str, Any]) -> None:
    entrance = world["entrance_a"]
    today = timezone.localdate()
    waiting = []
    for door in ("a", "b", "c"):
        dwelling = Dwelling.objects.create(
            entrance=entrance, floor="2", door=door, rooms=2, area_m2=55, rent=3500
        )
        waiting.append(
            services.vacancy_report(
                actor=users["boligorganisation"],
                dwelling=dwelling,
                notice_date=today,
                available_from=today,
            )
        )
    later = today + dt.timedelta(days=60)
    real = vacancy_services._settle_turn
    calls = {"n": 0}

    def killed_on_the_second(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:
            raise SystemExit("worker killed")
        return real(*args, **kwargs)

    with (
        mock.patch.object(vacancy_services, "_settle_turn", killed_on_the_second),
        pytest.raises(SystemExit),
    ):
        services.vacancies_expire(today=later)
    expired = Vacancy.objects.filter(pk__in=[v.pk for v in waiting], status="expired")
    assert expired.count() == 1  # the first is done, the second rolled back, the third not begun

    result = services.vacancies_expire(today=later)  # the restart
    assert len(result.vacancies) == 2
    assert expired.count() == 3
    assert AuditEvent.objects.filter(action="vacancies.expire").count() == 3
    again = services.vacancies_expire(today=later)
    assert again.vacancies == [] and again.offers == []
    assert AuditEvent.objects.filter(action="vacancies.expire").count() == 3
