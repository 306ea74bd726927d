"""Append-only records: the audit trail of writes and the log of reads of personal data.

Neither can be changed or deleted through the application: `save()` refuses updates and
`delete()` refuses deletion, the admin shows them read-only, and on PostgreSQL a trigger
rejects UPDATE and DELETE (migration 0002).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


class AppendOnlyModel(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError(f"{type(self).__name__} rows are append-only")


class AuditEvent(AppendOnlyModel):
    """One write: who did what to which object, with the values before and after."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("actor"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"


class Purpose(models.TextChoices):
    """Why personal data was read: one word each, the same on every page, export and API
    (`anvis.audit.services.personal_data_read`)."""

    CASEWORK = "casework", _("Casework")
    ALLOCATION = "allocation", _("Allocation (ranking, offer)")
    LEASE = "lease", _("Lease (accepted nominee)")
    TENANCY = "tenancy", _("Tenancy follow-up")
    EXPORT = "export", _("Export")
    INSIGHT = "insight", _("Insight request (GDPR art. 15)")


class PersonalDataAccess(AppendOnlyModel):
    """One read of personal data: who looked at which citizen, when, what and why."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    user_label = models.CharField(_("user"), max_length=150, blank=True)
    subject_type = models.CharField(_("subject type"), max_length=32, default="citizen")
    subject_id = models.CharField(_("subject id"), max_length=64, db_index=True)
    subject_ref = models.CharField(_("reference"), max_length=64, blank=True)
    what = models.CharField(_("what"), max_length=128)
    purpose = models.CharField(_("purpose"), max_length=255, blank=True)
    path = models.CharField(_("page"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_label} {self.what} {self.subject_ref}"

    @property
    def purpose_label(self) -> str:
        """The purpose in words (rows from before the vocabulary keep their own text)."""
        return str(Purpose(self.purpose).label) if self.purpose in Purpose.values else self.purpose
