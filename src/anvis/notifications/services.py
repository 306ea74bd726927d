"""Writes for notifications: creating them, e-mail (immediate or daily digest), deadline
reminders and reading.

What the flow tells whom is in `anvis.notifications.handoffs`, which subscribes to the domain
events (`anvis.events`) and runs after the flow's transaction commits, so a rolled-back action
tells no one. Texts are composed in Danish and name citizens only by their pseudonymous case
number (municipal recipients) or not at all (the housing organisations).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from anvis.audit.services import audit_record
from anvis.background.queue import enqueue_on_commit
from anvis.common import formats as fmt
from anvis.common.clock import local_day, local_today
from anvis.common.numbers import digits
from anvis.permissions import Role
from anvis.vacancies.choices import OfferStatus, VacancyStatus
from anvis.vacancies.models import Offer, Vacancy
from anvis_core.workflow import working_days_left

from .models import DigestSent, Kind, Notification

logger = logging.getLogger(__name__)

REMINDER_WORKING_DAYS = 2
#: The dedupe keys of the deadline reminders: one per vacancy or offer and recipient.
VACANCY_REMINDER = "deadline_soon:"
OFFER_REMINDER = "offer_deadline_soon:"
MODES = ("immediate", "digest")
# Immediate e-mails that failed are retried by the worker for this long.
EMAIL_RETRY_WINDOW = dt.timedelta(days=2)


# --- recipients ---------------------------------------------------------------------------------


def _active_users() -> Any:
    return get_user_model().objects.filter(is_active=True)


def allocation_lead_ids() -> set[int]:
    return set(_active_users().filter(role=Role.ALLOCATION_LEAD).values_list("pk", flat=True))


def organisation_staff_ids(organisation_id: int) -> set[int]:
    return set(
        _active_users()
        .filter(role=Role.ORGANISATION, organisations=organisation_id)
        .values_list("pk", flat=True)
    )


def _without_actor(ids: Iterable[int], actor: Any) -> set[int]:
    actor_id = getattr(actor, "pk", None) if getattr(actor, "is_authenticated", False) else None
    return {pk for pk in ids if pk != actor_id}


# --- creating and e-mailing -----------------------------------------------------------------------


def _absolute(link: str) -> str:
    base = str(getattr(settings, "ANVIS_BASE_URL", "") or "").rstrip("/")
    return f"{base}{link}" if base else link


def _email_one(notification: Notification) -> bool:
    user = notification.recipient
    if not user.email:
        return False
    with translation.override("da"):
        footer = _(
            "You receive this e-mail at once. Choose a daily digest instead under "
            "Notifications → Settings in Anvis."
        )
        body = "\n\n".join(
            part for part in (notification.body, _absolute(notification.link), footer) if part
        )
        subject = _("Anvis: %(title)s") % {"title": notification.title}
    with transaction.atomic():
        # Claimed under a row lock: the immediate task and the five-minute retry, on two
        # workers, can both see the notification as not e-mailed; the one that finds it locked
        # (or already e-mailed once the lock is gone) leaves it.
        claimed = list(
            Notification.objects.select_for_update(skip_locked=_skip_locked())
            .filter(pk=notification.pk, emailed_at__isnull=True)
            .values_list("pk", flat=True)
        )
        if not claimed:
            return False
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        except Exception:
            logger.exception("notification e-mail %s could not be sent", notification.pk)
            return False
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return True


def _skip_locked() -> bool:
    """`skip_locked` where the database has it (PostgreSQL); SQLite serialises writers."""
    from django.db import connection

    return bool(connection.features.has_select_for_update_skip_locked)


def notify(
    *,
    recipient_ids: Iterable[int],
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    dedupe_key: str = "",
) -> list[Notification]:
    """Create one notification per recipient now and e-mail those who chose immediate e-mail
    once the surrounding transaction (if any) commits. With a `dedupe_key` a recipient gets the
    notification at most once, however often this is called."""
    created: list[Notification] = []
    users = get_user_model().objects.filter(pk__in=set(recipient_ids), is_active=True)
    for user in users.order_by("pk"):
        if not dedupe_key:
            created.append(
                Notification(recipient=user, kind=kind, title=title[:200], body=body, link=link)
            )
            continue
        try:
            with transaction.atomic():
                notification, made = Notification.objects.get_or_create(
                    recipient=user,
                    dedupe_key=dedupe_key,
                    defaults={"kind": kind, "title": title[:200], "body": body, "link": link},
                )
        except IntegrityError:
            continue
        if made:
            created.append(notification)
    if not dedupe_key:
        # One INSERT for all the recipients (a hand-off to the allocation leads has several).
        created = Notification.objects.bulk_create(created)
    immediate = [n.pk for n in created if n.recipient.notification_mode != "digest"]
    if immediate:
        from .tasks import email_notifications

        enqueue_on_commit(email_notifications, immediate)
    return created


def notifications_email(notification_ids: Iterable[int]) -> int:
    """E-mail these notifications to recipients who chose immediate e-mail, each at most once
    (the background task of `notify`). Returns how many were e-mailed."""
    pending = (
        Notification.objects.filter(
            pk__in=list(notification_ids),
            emailed_at__isnull=True,
            recipient__is_active=True,
        )
        .exclude(recipient__notification_mode="digest")
        .select_related("recipient")
        .order_by("pk")
    )
    return sum(1 for n in still_due(pending, local_today()) if _email_one(n))


def _vacancy_link(vacancy_id: int) -> str:
    return reverse("vacancies:vacancy_detail", args=[vacancy_id])


def _date(day: dt.date | None) -> str:
    return fmt.date(day) if day else ""


# --- scheduled work -------------------------------------------------------------------------------


def deadline_reminders(*, today: dt.date | None = None) -> int:
    """Remind the allocation leads of every municipal vacancy whose answer deadline is at most 2
    working days away (and not passed), and the leads and the caseworker who made it of every
    pending offer whose citizen's answer deadline is as near (`offer_deadline_reminders`).
    Idempotent: one reminder per vacancy or offer and recipient, ever, however often or late
    this runs. Returns the number of notifications created."""
    day = local_today(today)
    leads = allocation_lead_ids()
    count = offer_deadline_reminders(today=day, leads=leads)
    due = (
        Vacancy.objects.filter(status=VacancyStatus.MUNICIPAL, response_deadline__gte=day)
        .select_related("dwelling", "organisation")
        .order_by("response_deadline", "pk")
    )
    with translation.override("da"):
        for vacancy in due:
            left = working_days_left(vacancy.response_deadline, day)
            if left > REMINDER_WORKING_DAYS:
                continue
            title = _("Answer due by %(deadline)s: %(dwelling)s") % {
                "deadline": _date(vacancy.response_deadline),
                "dwelling": vacancy.dwelling,
            }
            body = ngettext(
                "%(days)s working day left to answer the vacancy from %(organisation)s. "
                "Without an answer it expires and returns to the organisation.",
                "%(days)s working days left to answer the vacancy from %(organisation)s. "
                "Without an answer it expires and returns to the organisation.",
                left,
            ) % {"days": left, "organisation": vacancy.organisation}
            key = f"{VACANCY_REMINDER}{vacancy.pk}"
            count += _remind(leads, title, body, vacancy.pk, key)
    return count


def _reminded(notifications: Iterable[Notification], prefix: str) -> set[int]:
    """The vacancies or offers (by `prefix`) these deadline reminders chase."""
    ids = (
        digits(n.dedupe_key.removeprefix(prefix))
        for n in notifications
        if n.kind == Kind.DEADLINE_SOON and n.dedupe_key.startswith(prefix)
    )
    return {pk for pk in ids if pk is not None}


def still_due(notifications: Iterable[Notification], day: dt.date) -> list[Notification]:
    """The notifications worth e-mailing on `day`: all but the deadline reminders whose vacancy
    or offer no longer waits for the answer they chase (answered, or the deadline passed). A
    reminder waiting for the next digest, or for a retry of a failed e-mail, is then left in
    the app; the e-mail would say "2 working days left" after the answer or the expiry."""
    notes = list(notifications)
    vacancies, offers = _reminded(notes, VACANCY_REMINDER), _reminded(notes, OFFER_REMINDER)
    waiting = {
        f"{VACANCY_REMINDER}{pk}"
        for pk in Vacancy.objects.filter(
            pk__in=vacancies, status=VacancyStatus.MUNICIPAL, response_deadline__gte=day
        ).values_list("pk", flat=True)
    } | {
        f"{OFFER_REMINDER}{pk}"
        for pk in Offer.objects.filter(
            pk__in=offers, status=OfferStatus.PENDING, response_deadline__gte=day
        ).values_list("pk", flat=True)
    }
    chasing = {f"{VACANCY_REMINDER}{pk}" for pk in vacancies} | {
        f"{OFFER_REMINDER}{pk}" for pk in offers
    }
    return [
        n
        for n in notes
        if n.kind != Kind.DEADLINE_SOON or n.dedupe_key not in chasing or n.dedupe_key in waiting
    ]


def _remind(recipients: set[int], title: str, body: str, vacancy_id: int, key: str) -> int:
    """One reminder per recipient and `key`, ever; its own transaction, so a run killed
    half-way carries on where it stopped."""
    with transaction.atomic():
        return len(
            notify(
                recipient_ids=recipients,
                kind=Kind.DEADLINE_SOON,
                title=title,
                body=body,
                link=_vacancy_link(vacancy_id),
                dedupe_key=key,
            )
        )


def offer_deadline_reminders(*, today: dt.date, leads: set[int]) -> int:
    """Remind the allocation leads and the offer's caseworker when a citizen's answer deadline
    is at most 2 working days away: the answer is chased before the offer expires and the
    dwelling waits longer (the expiry itself is told by `handoffs.offer_answered`)."""
    due = (
        Offer.objects.filter(status=OfferStatus.PENDING, response_deadline__gte=today)
        .select_related("vacancy__dwelling", "case")
        .order_by("response_deadline", "pk")
    )
    count = 0
    with translation.override("da"):
        for offer in due:
            left = working_days_left(offer.response_deadline, today)
            if left > REMINDER_WORKING_DAYS:
                continue
            recipients = leads | ({offer.made_by_id} if offer.made_by_id else set())
            title = _("Citizen's answer due by %(deadline)s: %(dwelling)s") % {
                "deadline": _date(offer.response_deadline),
                "dwelling": offer.vacancy.dwelling,
            }
            body = ngettext(
                "%(days)s working day left for case %(case)s to answer the offer. Register "
                "the answer on the vacancy; without one the offer expires.",
                "%(days)s working days left for case %(case)s to answer the offer. Register "
                "the answer on the vacancy; without one the offer expires.",
                left,
            ) % {"days": left, "case": offer.case.number}
            key = f"{OFFER_REMINDER}{offer.pk}"
            count += _remind(recipients, title, body, offer.vacancy_id, key)
    return count


def emails_retry(*, now: dt.datetime | None = None) -> int:
    """E-mail immediate-mode notifications that are not e-mailed yet (the send failed, or the
    user switched from digest), created within the retry window. Idempotent; the scheduled
    task `retry_emails` runs it every few minutes."""
    moment = now or timezone.now()
    pending = (
        Notification.objects.filter(
            emailed_at__isnull=True,
            created__gte=moment - EMAIL_RETRY_WINDOW,
            created__lte=moment,
            recipient__is_active=True,
            recipient__notification_mode="immediate",
        )
        .exclude(recipient__email="")
        .select_related("recipient")
        .order_by("pk")
    )
    return sum(1 for n in still_due(pending, local_day(moment)) if _email_one(n))


class DigestsNotSent(Exception):
    """Some digests could not be sent (the others were): the task fails, so its retry sends
    the missing ones, and the error stays on the tasks page."""


def digests_send(*, today: dt.date | None = None) -> int:
    """Send each digest-mode user one e-mail a day with the notifications not yet e-mailed.
    The sent digest is recorded (one per user and day), so a second run the same day sends
    nothing. A digest that cannot be sent (a refused address, a failing server) is logged and
    left for the retry; it does not keep the other users' digests back. Returns the number of
    digests sent."""
    day = local_today(today)
    sent = 0
    failed: list[int] = []
    users = (
        _active_users()
        .filter(notification_mode="digest")
        .exclude(email="")
        .exclude(digestsent__day=day)
        .order_by("pk")
    )
    for user in users:
        try:
            sent += _digest_send(user, day)
        except Exception:
            logger.exception("digest for user %s on %s could not be sent", user.pk, day)
            failed.append(user.pk)
    if failed:
        raise DigestsNotSent(
            f"{len(failed)} of {len(failed) + sent} digest(s) could not be sent "
            f"(users {', '.join(map(str, failed))}); sent: {sent}"
        )
    return sent


def _digest_send(user: Any, day: dt.date) -> int:
    """One user's digest for `day`, in its own transaction: recorded and marked e-mailed only
    when the e-mail went out. Returns 1 if sent, else 0."""
    with transaction.atomic():
        pending = still_due(
            Notification.objects.select_for_update()
            .filter(recipient=user, emailed_at__isnull=True)
            .order_by("created", "pk"),
            day,
        )
        if not pending:
            return 0
        try:
            with transaction.atomic():
                DigestSent.objects.create(user=user, day=day, count=len(pending))
        except IntegrityError:
            return 0  # another worker sent it
        with translation.override("da"):
            subject = _("Anvis: %(count)s new notification(s) %(date)s") % {
                "count": len(pending),
                "date": _date(day),
            }
            lines = [f"- {n.title}\n  {n.body}\n  {_absolute(n.link)}".rstrip() for n in pending]
            footer = _(
                "You receive these notifications once a day. Choose e-mail at once instead "
                "under Notifications → Settings in Anvis."
            )
            body = "\n\n".join([*lines, footer])
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(
            emailed_at=timezone.now()
        )
    return 1


# --- reading and preferences ----------------------------------------------------------------------


def notification_mark_read(*, actor: Any, notification: Notification) -> Notification:
    if notification.recipient_id != actor.pk:
        raise ValidationError(_("The notification is not yours."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, actor: Any) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notification_mode_set(*, actor: Any, mode: str) -> Any:
    """The user chooses e-mail at once or a daily digest."""
    if mode not in MODES:
        raise ValidationError({"notification_mode": _("Choose how you want to be e-mailed.")})
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=actor.pk)
        before = {"notification_mode": user.notification_mode}
        user.notification_mode = mode
        user.save(update_fields=["notification_mode"])
        audit_record(
            actor=actor,
            action="notifications.mode_set",
            instance=user,
            before=before,
            after={"notification_mode": mode},
        )
    return user
