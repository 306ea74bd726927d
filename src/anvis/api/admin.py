"""Administrators create and revoke API tokens and see the webhook delivery log in the Django
admin (administrators only). The token is shown once, right after it is created."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anvis.audit.admin import AuditedAdmin
from anvis.common.forms import URLS_ASSUME_HTTPS
from anvis.permissions import MUNICIPAL

from .models import ApiToken, DeliveryAttempt, TokenKind, WebhookDelivery, WebhookSubscription
from .services import api_token_create, api_token_revoke, webhook_subscription_create


class ApiTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["name", "kind", "organisation", "user"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from anvis.accounts.models import User

        if "user" in self.fields:
            self.fields["user"].required = False
            self.fields["user"].queryset = User.objects.filter(role__in=MUNICIPAL, is_active=True)
            self.fields["user"].help_text = gettext_lazy("Only for a municipal system token.")
        if "organisation" in self.fields:
            self.fields["organisation"].help_text = gettext_lazy(
                "Only for a housing organisation system token."
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == TokenKind.ORGANISATION and not data.get("organisation"):
            self.add_error("organisation", _("Choose the housing organisation."))
        if data.get("kind") == TokenKind.MUNICIPAL and not data.get("user"):
            self.add_error("user", _("Choose an active municipal user."))
        return data


@admin.action(description=gettext_lazy("Revoke the selected tokens"))
def revoke_tokens(modeladmin: Any, request: Any, queryset: Any) -> None:
    for token in queryset:
        api_token_revoke(actor=request.user, token=token)
    modeladmin.message_user(request, _("The tokens were revoked."), messages.SUCCESS)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    form = ApiTokenForm
    list_display = ["name", "kind", "organisation", "user", "prefix", "last_used_at", "revoked_at"]
    list_filter = ["kind", "revoked_at"]
    actions = [revoke_tokens]
    readonly_fields = ["prefix", "created_at", "created_by", "last_used_at", "revoked_at"]

    def get_fields(self, request: Any, obj: Any = None) -> list[str]:
        if obj is None:
            return ["name", "kind", "organisation", "user"]
        return ["name", "kind", "organisation", "user", *self.readonly_fields]

    def get_readonly_fields(self, request: Any, obj: Any = None) -> list[str]:
        if obj is None:
            return []
        return ["kind", "organisation", "user", *self.readonly_fields]

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def save_model(self, request: Any, obj: ApiToken, form: Any, change: bool) -> None:
        if change:
            ApiToken.objects.filter(pk=obj.pk).update(name=obj.name)
            return
        created = api_token_create(
            actor=request.user,
            name=obj.name,
            kind=obj.kind,
            organisation=form.cleaned_data.get("organisation"),
            user=form.cleaned_data.get("user"),
        )
        obj.pk = created.token.pk
        obj.user = created.token.user
        self.message_user(
            request,
            _("The token is shown only now; copy it: %(token)s") % {"token": created.raw},
            messages.WARNING,
        )


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    readonly_fields = ["at", "status_code", "error"]


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(AuditedAdmin):
    """A change of target, event types or state, or a deletion, is in the audit trail
    (`AuditedAdmin`); a new subscription through the API's service, which audits it."""

    formfield_overrides = URLS_ASSUME_HTTPS
    list_display = ["organisation", "url", "active", "created_at"]
    list_filter = ["active"]
    exclude = ["secret"]

    def save_model(self, request: Any, obj: WebhookSubscription, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        # A new subscription through the API's own service: the same checks and audit row.
        created = webhook_subscription_create(
            actor=request.user,
            organisation=obj.organisation,
            url=obj.url,
            event_types=list(obj.event_types or []),
        )
        obj.pk, obj.secret, obj.created_at = created.pk, created.secret, created.created_at

    def log_addition(self, request: Any, obj: Any, message: Any) -> Any:
        # Audited by `webhook_subscription_create` ("api.webhook_subscribe"); only the admin's
        # own log here.
        return admin.ModelAdmin.log_addition(self, request, obj, message)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["event_type", "subscription", "status", "attempts", "next_attempt_at"]
    list_filter = ["status", "event_type"]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]
    inlines = [DeliveryAttemptInline]
