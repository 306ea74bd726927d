"""Read-only admin views: tenancies change only through the services (audit trail)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from .models import FollowUpTask, Tenancy, TenancyEvent


class ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Tenancy)
class TenancyAdmin(ReadOnly):
    list_display = ("lease", "case", "ended_on", "end_reason")
    list_filter = ("end_reason",)


@admin.register(TenancyEvent)
class TenancyEventAdmin(ReadOnly):
    list_display = ("tenancy", "kind", "side", "event_date", "reported_on", "source")
    list_filter = ("kind", "side", "source")
    exclude = ("note",)


@admin.register(FollowUpTask)
class FollowUpTaskAdmin(ReadOnly):
    list_display = ("tenancy", "deadline", "status", "acknowledged_at", "contact_on")
    list_filter = ("status",)
    exclude = ("contact_note",)
