"""In-app notifications (with e-mail, immediately or as a daily digest) and the record of sent
digests and reminders that keeps the scheduled work idempotent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    VACANCY_MUNICIPAL = "vacancy_municipal", _("New municipal vacancy")
    DEADLINE_SOON = "deadline_soon", _("Deadline in 2 working days")
    VACANCY_EXPIRED = "vacancy_expired", _("Vacancy expired")
    OFFER_ANSWERED = "offer_answered", _("Offer answered")
    NOMINEE_REJECTED = "nominee_rejected", _("Nominee rejected")
    LATE_DECLINE = "late_decline", _("Late decline")
    TENANCY_WARNING = "tenancy_warning", _("Tenancy at risk")
    TENANCY_ENDED = "tenancy_ended", _("Tenancy ended")
    VACANCY_HANDED_BACK = "vacancy_handed_back", _("Dwelling handed back")
    VACANCY_TAKEN = "vacancy_taken", _("Dwelling taken by the municipality")
    VACANCY_DECLINED = "vacancy_declined", _("Dwelling declined by the municipality")
    VACANCY_READY = "vacancy_ready", _("Dwelling ready to offer")
    NOMINEE_NAMED = "nominee_named", _("Citizen nominated")
    CITIZEN_ANSWERED = "citizen_answered", _("Citizen's answer")
    LEASE_EXPECTED = "lease_expected", _("Lease expected")
    STATEMENT_CORRECTED = "statement_corrected", _("Approved statement corrected")
    LEASE_CANCELLED = "lease_cancelled", _("Lease cancelled before move-in")


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One message to one user. Title and body are Danish and carry no CPR number or name:
    citizens appear only by their pseudonymous case number."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)
    # Set for notifications that must exist at most once per recipient (reminders).
    dedupe_key = models.CharField(_("deduplication key"), max_length=100, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notif_recipient_read")]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="notifications_once_per_recipient_key",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=Kind.values), name="notifications_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class DigestSent(models.Model):
    """A daily digest that has been sent: at most one per user and day."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE
    )
    day = models.DateField(_("day"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)
    count = models.PositiveIntegerField(_("notifications"), default=0)

    class Meta:
        verbose_name = _("sent digest")
        verbose_name_plural = _("sent digests")
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="notifications_one_digest_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}"
