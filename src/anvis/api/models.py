"""API tokens, idempotency records and outbound webhooks (subscriptions and their deliveries)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anvis.common.db import user_link


class TokenKind(models.TextChoices):
    ORGANISATION = "organisation", _("Housing organisation system")
    MUNICIPAL = "municipal", _("Municipal system user")


class ApiToken(models.Model):
    """A bearer token for one system. Only the SHA-256 of the secret is stored; the prefix finds
    the row. The token acts as `user`: for an organisation system a dedicated system user tied to
    that organisation only, for a municipal system the chosen municipal user."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=TokenKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_tokens",
        verbose_name=_("acts as user"),
    )
    organisation = models.ForeignKey(
        "stock.HousingOrganisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="api_tokens",
        verbose_name=_("housing organisation"),
    )
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = user_link()
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = user_link(blank=True)

    audit_exclude = ["token_hash"]

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="organisation") | Q(organisation__isnull=False),
                name="api_organisation_token_has_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class IdempotencyRecord(models.Model):
    """The first response to a POST with an `Idempotency-Key`, replayed for retries."""

    key = models.CharField(max_length=255)
    scope = models.CharField(max_length=64, help_text="token:<id> or user:<id>")
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    # The caller's role and organisations when the first request passed the endpoint's checks
    # (hashed, `idempotency._access`): a retry is replayed only while they are unchanged.
    access = models.CharField(max_length=64, blank=True, default="")
    status_code = models.PositiveSmallIntegerField()
    response_body = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="api_idempotency_key_per_scope")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}"


class EventType(models.TextChoices):
    VACANCY_STATUS = "vacancy.status_changed", _("Vacancy status changed")
    OFFER_STATUS = "offer.status_changed", _("Offer status changed")
    LEASE = "lease.registered", _("Lease registered")
    GUARANTEE = "guarantee.changed", _("Guarantee claim submitted or decided")
    TENANCY_EVENT = "tenancy.event_reported", _("Tenancy event reported by the organisation")


class WebhookSubscription(models.Model):
    """An organisation's endpoint for signed status-change events (optional)."""

    organisation = models.ForeignKey(
        "stock.HousingOrganisation",
        on_delete=models.CASCADE,
        related_name="webhook_subscriptions",
        verbose_name=_("housing organisation"),
    )
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=128)
    event_types = models.JSONField(_("event types"), default=list, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    audit_exclude = ["secret"]

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        ordering = ["organisation_id", "pk"]

    def __str__(self) -> str:
        return self.url

    def clean(self) -> None:
        """The target rule (anvis.api.webhooks.check_target) and the known event types on every
        save path: the API's service and the Django admin's form both call full_clean."""
        from django.core.exceptions import ValidationError
        from django.utils.translation import gettext as _

        from .webhooks import check_target

        super().clean()
        if self.url:
            check_target(self.url)
        unknown = [e for e in self.event_types or [] if e not in EventType.values]
        if unknown:
            raise ValidationError(
                {"event_types": _("Unknown event type: %s") % ", ".join(map(str, unknown))}
            )

    def wants(self, event_type: str) -> bool:
        return self.active and (not self.event_types or event_type in self.event_types)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Given up")


class WebhookDelivery(models.Model):
    """One event to one subscription, and the log of the attempts to send it."""

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_id = models.UUIDField(_("event id"))
    event_type = models.CharField(_("event type"), max_length=40, choices=EventType.choices)
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
        db_index=True,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), db_index=True)
    last_status_code = models.PositiveSmallIntegerField(_("last status code"), null=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.subscription_id}"


class DeliveryAttempt(models.Model):
    """The log line of one attempt: when, the HTTP status (or the error)."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="log")
    at = models.DateTimeField(_("time"), auto_now_add=True)
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True)
    error = models.CharField(_("error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.status_code or self.error}"
