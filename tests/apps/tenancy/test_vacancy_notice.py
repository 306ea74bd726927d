"""A dwelling reported vacant while its tenant through the agreement has not moved out: the
report's notice date reaches the tenancy as the tenant's notice, an early warning."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from anvis.notifications.models import Notification
from anvis.tenancy.models import FollowUpTask, TenancyEvent
from anvis.vacancies import services as flow

pytestmark = pytest.mark.django_db


def _report(users: dict[str, Any], let: dict[str, Any], notice: dt.date) -> Any:
    return flow.vacancy_report(
        actor=users["boligorganisation"],
        dwelling=let["lease"].vacancy.dwelling,
        notice_date=notice,
        available_from=notice + dt.timedelta(days=90),
        source="voluntary",
        report_date=timezone.localdate(),
    )


def test_a_vacancy_report_tells_the_tenancy_that_the_tenant_gave_notice(
    users: dict[str, Any],
    let: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    notice = timezone.localdate() - dt.timedelta(days=2)
    told = Notification.objects.filter(recipient=users["sagsbehandler"])
    before = told.count()
    with django_capture_on_commit_callbacks(execute=True):
        _report(users, let, notice)
    event = TenancyEvent.objects.get(tenancy__lease=let["lease"])
    assert (event.kind, event.event_date, event.source) == ("cancellation", notice, "vacancy")
    assert "meldt ledig" in event.note
    assert FollowUpTask.objects.filter(event=event, status="open").exists()
    assert told.count() == before + 1


def test_a_notice_date_ahead_is_recorded_on_the_report_day(
    users: dict[str, Any],
    let: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    """A notice that takes effect later is reported now: the event is dated the report day, so
    the organisation can still report the move-out when it happens."""
    from anvis.tenancy import services

    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        _report(users, let, today + dt.timedelta(days=13))
    event = TenancyEvent.objects.get(tenancy__lease=let["lease"])
    assert (event.kind, event.event_date) == ("cancellation", today)
    services.tenancy_event_report(
        actor=users["boligorganisation"],
        lease=let["lease"],
        data=services.EventInput(kind="move_out", event_date=today, move_out_reason="own_wish"),
    )


def test_a_notice_the_organisation_reported_is_not_recorded_twice(
    users: dict[str, Any],
    let: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    from anvis.tenancy import services

    notice = timezone.localdate() - dt.timedelta(days=2)
    services.tenancy_event_report(
        actor=users["boligorganisation"],
        lease=let["lease"],
        data=services.EventInput(kind="cancellation", event_date=notice),
    )
    with django_capture_on_commit_callbacks(execute=True):
        _report(users, let, notice)
    assert TenancyEvent.objects.filter(tenancy__lease=let["lease"]).count() == 1


def test_after_the_move_out_a_report_is_the_organisations_own_business(
    users: dict[str, Any],
    let: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    from anvis.tenancy import services

    day = timezone.localdate() - dt.timedelta(days=3)
    services.tenancy_event_report(
        actor=users["boligorganisation"],
        lease=let["lease"],
        data=services.EventInput(kind="move_out", event_date=day, move_out_reason="own_wish"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        _report(users, let, day)
    assert not TenancyEvent.objects.filter(
        tenancy__lease=let["lease"], kind="cancellation"
    ).exists()
