"""A session that has expired (idle timeout, browser closed without logging out) is deleted by
the scheduled work: it holds the terms of the user's person searches (a CPR number or a name,
kept out of the URL, `anvis.common.lists.search_redirect`), which must not stay in the
database, and so in every backup, for ever."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from anvis.background.queue import run_pending
from anvis.background.schedule import tick

pytestmark = pytest.mark.django_db

CPR = "0101901234"


def _holding_the_term() -> list[Session]:
    return [s for s in Session.objects.all() if CPR in str(s.get_decoded())]


def test_the_schedule_deletes_expired_sessions_and_the_search_terms_in_them(
    client_for: Any,
) -> None:
    client = client_for("sagsbehandler")
    response = client.post(reverse("cases:case_list"), {"q": CPR})
    assert response.status_code == 302 and CPR not in response["Location"]
    assert len(_holding_the_term()) == 1
    active = client_for("anvisningsleder")
    active.get(reverse("cases:case_list"))  # another user's session, still in use

    # The first user walks away: the session passes its idle timeout (SESSION_COOKIE_AGE).
    now = timezone.now()
    (idle,) = _holding_the_term()
    Session.objects.filter(pk=idle.pk).update(expire_date=now - dt.timedelta(minutes=1))

    tick(now=now)
    run_pending()
    assert _holding_the_term() == []
    assert Session.objects.filter(expire_date__gt=now).count() == 1  # the active one stays


def test_old_login_records_are_deleted_after_the_configured_days(settings: Any) -> None:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from anvis.security.tasks import prune_login_records

    settings.ANVIS_LOGIN_RECORD_DAYS = 180
    now = timezone.now()
    for days in (10, 200):
        at = now - dt.timedelta(days=days)
        for model in (AccessLog, AccessFailureLog):
            row = model.objects.create(username=f"u{days}", ip_address="10.0.0.1", user_agent="x")
            model.objects.filter(pk=row.pk).update(attempt_time=at)
        attempt = AccessAttempt.objects.create(
            username=f"u{days}", ip_address="10.0.0.1", user_agent="x", failures_since_start=1
        )
        AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=at)
    assert prune_login_records.call() == 3
    for model in (AccessLog, AccessFailureLog, AccessAttempt):
        assert list(model.objects.values_list("username", flat=True)) == ["u10"], model
