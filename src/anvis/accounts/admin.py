from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from anvis.audit.admin import AuditedAdmin
from anvis.common.forms import URLS_ASSUME_HTTPS

from .models import ClaimRule, ExternalIdentity, IdentityProvider, User


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):  # type: ignore[misc]
    """Users, their role and organisations: every addition, change (also a password set here,
    and a deactivation) and deletion is in the audit trail (`AuditedAdmin`)."""

    list_display = ("username", "first_name", "last_name", "role", "is_active")
    list_filter = ("role", "is_active")
    filter_horizontal = ("organisations",)
    # Set by Django, not by an administrator (the form would also cut date_joined to seconds on
    # every save, a change in the audit trail that nobody made).
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Anvis"), {"fields": ("role", "organisations", "notification_mode")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Anvis"), {"fields": ("role", "organisations")}),
    )

    def user_change_password(self, request: Any, id: str, form_url: str = "") -> HttpResponse:
        # The new password and its audit row in one transaction, as the other admin changes.
        with transaction.atomic():
            return super().user_change_password(request, id, form_url)


class ClaimRuleInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ClaimRule
    extra = 1
    fields = ("order", "claim", "value", "role", "organisation")


@admin.register(IdentityProvider)
class IdentityProviderAdmin(AuditedAdmin):
    """Single sign-on: the provider and the rules that map its claims to role and organisation
    (docs/sso.md)."""

    formfield_overrides = URLS_ASSUME_HTTPS

    list_display = ("name", "slug", "issuer", "active")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [ClaimRuleInline]
    fieldsets = (
        (None, {"fields": ("name", "slug", "active")}),
        (_("Provider"), {"fields": ("issuer", "client_id", "client_secret", "scopes")}),
        (
            _("Endpoints (empty: read from the issuer's discovery document)"),
            {"fields": ("authorization_endpoint", "token_endpoint", "jwks_uri")},
        ),
        (_("Two-factor"), {"fields": ("strong_amr", "strong_acr")}),
    )


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(AuditedAdmin):
    list_display = ("user", "provider", "subject", "last_login")
    list_filter = ("provider",)
    search_fields = ("user__username", "subject")
