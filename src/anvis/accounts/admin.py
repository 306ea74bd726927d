from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from anvis.common.forms import URLS_ASSUME_HTTPS

from .models import ClaimRule, ExternalIdentity, IdentityProvider, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "is_active")
    list_filter = ("role", "is_active")
    filter_horizontal = ("organisations",)
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Anvis"), {"fields": ("role", "organisations", "notification_mode")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Anvis"), {"fields": ("role", "organisations")}),
    )


class ClaimRuleInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ClaimRule
    extra = 1
    fields = ("order", "claim", "value", "role", "organisation")


@admin.register(IdentityProvider)
class IdentityProviderAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
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
class ExternalIdentityAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "provider", "subject", "last_login")
    list_filter = ("provider",)
    search_fields = ("user__username", "subject")
