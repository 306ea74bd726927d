from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from anvis.permissions import Role


class User(AbstractUser):
    """A person who logs in. The role decides what they may use; organisation staff are tied
    to one or more housing organisations and see only those."""

    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    organisations = models.ManyToManyField(
        "stock.HousingOrganisation",
        verbose_name=_("housing organisations"),
        blank=True,
        related_name="staff",
    )
    notification_mode = models.CharField(
        _("notifications"),
        max_length=16,
        choices=[("immediate", _("Immediately")), ("digest", _("Daily digest"))],
        default="immediate",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="accounts_user_role_valid"
            )
        ]

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label) if self.role in Role.values else ""

    @property
    def is_municipal(self) -> bool:
        return self.role in {Role.CASEWORKER, Role.ALLOCATION_LEAD, Role.ADMIN}
