"""Background task of security: deleting expired sessions (scheduled: anvis.background.schedule).

A session row holds what the user kept between requests, among it the terms of their person
searches (a CPR number or a name, `anvis.common.lists.search_redirect`). A session that ends by
logging out is deleted at once; one that ends by the idle timeout or a closed browser stays in
the database until it is deleted here."""

from __future__ import annotations

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
