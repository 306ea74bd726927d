from typing import Any

from django.contrib import admin

from .models import AuditEvent, PersonalDataAccess


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The admin's view of rows that change only through the services (and their audit trail):
    they can be looked at, never added, changed or deleted here. Every app's admin of such rows
    uses it."""

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor_label", "action", "object_type", "object_repr")
    list_filter = ("action", "object_type")
    search_fields = ("actor_label", "object_repr", "object_id", "note")
    date_hierarchy = "at"


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdmin):
    list_display = ("at", "user_label", "what", "subject_ref", "purpose")
    list_filter = ("what",)
    search_fields = ("user_label", "subject_ref", "subject_id", "purpose")
    date_hierarchy = "at"
