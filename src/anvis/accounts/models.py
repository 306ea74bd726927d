from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from anvis.permissions import Role


class AnvisUserManager(UserManager["User"]):
    """Django's manager; a superuser (`manage.py createsuperuser`, the first administrator in
    docs/operations.md) gets the administrator role unless another is given: every user needs
    a role (the check constraint), and the admin site is for administrators only."""

    def create_superuser(
        self, username: str, email: str | None = None, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra)


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

    objects = AnvisUserManager()

    # The audit trail never copies the password hash; it lists the organisations (and Django's
    # groups and permissions) a user belongs to.
    audit_exclude = ("password",)
    audit_many_to_many = ("organisations", "groups", "user_permissions")

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


class IdentityProvider(models.Model):
    """An organisation's OpenID Connect identity provider (Entra ID, AD FS, …): its staff log
    in there, and the claims in the ID token give their role and organisation (`ClaimRule`).
    Only `issuer`, `client_id` and `client_secret` are needed: the endpoints are read from the
    issuer's discovery document unless filled in here (docs/sso.md)."""

    slug = models.SlugField(_("short name"), unique=True)
    name = models.CharField(_("name"), max_length=200, help_text=_("Shown on the login button."))
    active = models.BooleanField(_("active"), default=True)
    issuer = models.URLField(_("issuer"), max_length=500)
    client_id = models.CharField(_("client id"), max_length=300)
    client_secret = models.CharField(_("client secret"), max_length=500, blank=True)
    scopes = models.CharField(_("scopes"), max_length=300, default="openid email profile")
    authorization_endpoint = models.URLField(
        _("authorization endpoint"), max_length=500, blank=True
    )
    token_endpoint = models.URLField(_("token endpoint"), max_length=500, blank=True)
    jwks_uri = models.URLField(_("JWKS address"), max_length=500, blank=True)
    strong_amr = models.CharField(
        _("amr values that count as two-factor"),
        max_length=300,
        default="mfa,otp,hwk,swk,sc",
        blank=True,
        help_text=_("Comma-separated. A login with one of them needs no Anvis code."),
    )
    strong_acr = models.CharField(
        _("acr values that count as two-factor"),
        max_length=500,
        blank=True,
        help_text=_("Comma-separated, e.g. the provider's multi-factor level."),
    )

    audit_exclude = ("client_secret",)

    class Meta:
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def is_strong(self, claims: dict[str, object]) -> bool:
        """Did the provider authenticate with a second factor (amr/acr in the ID token)?"""
        amr = claims.get("amr") or []
        amr_values = {str(v) for v in (amr if isinstance(amr, list) else [amr])}
        strong_amr = {v.strip() for v in self.strong_amr.split(",") if v.strip()}
        strong_acr = {v.strip() for v in self.strong_acr.split(",") if v.strip()}
        return bool(amr_values & strong_amr) or str(claims.get("acr", "")) in strong_acr


class ClaimRule(models.Model):
    """Who a provider's user is in Anvis: the first rule (lowest order) whose claim has the
    value gives the role and, for housing organisation staff, the organisation. A user no rule
    matches cannot log in."""

    provider = models.ForeignKey(
        IdentityProvider,
        verbose_name=_("identity provider"),
        on_delete=models.CASCADE,
        related_name="rules",
    )
    order = models.PositiveIntegerField(_("order"), default=10)
    claim = models.CharField(
        _("claim"), max_length=100, help_text=_("e.g. groups, roles, email or department")
    )
    value = models.CharField(
        _("value"),
        max_length=300,
        help_text=_("The claim's value, or one of its values when it is a list."),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    organisation = models.ForeignKey(
        "stock.HousingOrganisation",
        verbose_name=_("housing organisation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("claim rule")
        verbose_name_plural = _("claim rules")
        ordering = ["provider", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role=Role.ORGANISATION) | models.Q(organisation__isnull=False),
                name="accounts_claimrule_org_staff_have_org",
            )
        ]

    def __str__(self) -> str:
        return f"{self.claim}={self.value} → {self.role}"

    def matches(self, claims: dict[str, object]) -> bool:
        found = claims.get(self.claim)
        if isinstance(found, list):
            return self.value in {str(v) for v in found}
        return found is not None and str(found) == self.value


class ExternalIdentity(models.Model):
    """The link between a provider's subject (`sub`) and an Anvis user."""

    provider = models.ForeignKey(
        IdentityProvider, verbose_name=_("identity provider"), on_delete=models.CASCADE
    )
    subject = models.CharField(_("subject (sub)"), max_length=255)
    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="identities"
    )
    last_login = models.DateTimeField(_("last login"), null=True, blank=True)

    class Meta:
        verbose_name = _("external identity")
        verbose_name_plural = _("external identities")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "subject"], name="accounts_one_user_per_subject"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider.slug}:{self.subject}"
