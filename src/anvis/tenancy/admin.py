"""Read-only admin views: tenancies change only through the services (audit trail)."""

from __future__ import annotations

from django.contrib import admin

from anvis.audit.admin import ReadOnlyAdmin

from .models import FollowUpTask, Tenancy, TenancyEvent


@admin.register(Tenancy)
class TenancyAdmin(ReadOnlyAdmin):
    list_display = ("lease", "case", "ended_on", "end_reason")
    list_filter = ("end_reason",)


@admin.register(TenancyEvent)
class TenancyEventAdmin(ReadOnlyAdmin):
    list_display = ("tenancy", "kind", "side", "event_date", "reported_on", "source")
    list_filter = ("kind", "side", "source")
    exclude = ("note",)


@admin.register(FollowUpTask)
class FollowUpTaskAdmin(ReadOnlyAdmin):
    list_display = ("tenancy", "deadline", "status", "acknowledged_at", "contact_on")
    list_filter = ("status",)
    exclude = ("contact_note",)
