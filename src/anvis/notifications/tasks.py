"""Background tasks of notifications: immediate e-mails, retries, reminders and digests."""

from __future__ import annotations

from django_tasks import task

from anvis.background.dates import day_of
from anvis.background.queue import retry

from . import services


@retry(attempts=5)
@task()
def email_notifications(notification_ids: list[int]) -> int:
    """E-mail these notifications to recipients who chose immediate e-mail (once each)."""
    return services.notifications_email(notification_ids)


@retry(attempts=3)
@task()
def retry_emails() -> int:
    """E-mail immediate notifications whose e-mail has not gone out yet."""
    return services.emails_retry()


@retry(attempts=5)
@task()
def send_deadline_reminders(today: str | None = None) -> int:
    """Remind the allocation leads 2 working days before a vacancy's answer deadline."""
    return services.deadline_reminders(today=day_of(today))


@retry(attempts=5)
@task()
def send_digests(today: str | None = None) -> int:
    """Send the daily digest to users who chose one."""
    return services.digests_send(today=day_of(today))
