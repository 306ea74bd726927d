"""Background tasks of security: deleting expired sessions and old login records (scheduled:
anvis.background.schedule).

A session row holds what the user kept between requests, among it the terms of their person
searches (a CPR number or a name, `anvis.common.lists.search_redirect`). A session that ends by
logging out is deleted at once; one that ends by the idle timeout or a closed browser stays in
the database until it is deleted here."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone
from django_tasks import task

from anvis.background.queue import retry


@retry(attempts=3)
@task()
def clear_expired_sessions() -> int:
    """Delete the sessions past their expiry; returns how many."""
    deleted, _detail = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@retry(attempts=3)
@task()
def prune_login_records() -> int:
    """Delete the login lockout's records (django-axes: successful logins, failed attempts and
    their log, each with the address and browser) older than `ANVIS_LOGIN_RECORD_DAYS`; returns
    how many. They are staff members' personal data, kept for the security review of recent
    logins, not for ever."""
    from axes.handlers.proxy import AxesProxyHandler
    from axes.models import AccessAttempt

    days = settings.ANVIS_LOGIN_RECORD_DAYS
    limit = timezone.now() - dt.timedelta(days=days)
    attempts, _detail = AccessAttempt.objects.filter(attempt_time__lte=limit).delete()
    return (
        AxesProxyHandler.reset_logs(age_days=days)
        + AxesProxyHandler.reset_failure_logs(age_days=days)
        + attempts
    )
