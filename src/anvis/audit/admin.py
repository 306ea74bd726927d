import json
from typing import Any

from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.db import models

from .models import AuditEvent, PersonalDataAccess
from .services import audit_record, diff, snapshot

_BEFORE = "_anvis_admin_before"


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


def _action(obj: models.Model, verb: str) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}_admin_{verb}"


def _message_text(message: Any) -> str:
    """The admin's change message in words ("Changed Role and Active."), as its own log shows it."""
    if not message:
        return ""
    raw = message if isinstance(message, str) else json.dumps(message)
    return str(LogEntry(change_message=raw).get_change_message())


def admin_audit(
    request: Any,
    obj: models.Model,
    verb: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    message: Any = "",
) -> None:
    """One audit row for a change made in the Django admin, by the signed-in administrator."""
    if before is not None and after is not None:
        before, after = diff(before, after)
    object_id = obj.pk if obj.pk is not None else (before or {}).get("id")
    audit_record(
        actor=request.user,
        action=_action(obj, verb),
        instance=obj,
        object_id=object_id,
        before=before,
        after=after,
        note=_message_text(message),
    )


class AuditedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """An admin whose additions, changes and deletions, and those of its inline rows, are in
    the audit trail (`<app>.<model>_admin_add|change|delete`, the fields changed before and
    after, the admin's change message as the note), in the admin's own transaction. Fields the
    model lists in `audit_exclude` (a password hash, a client secret) are never copied.

    The admin's own log (`django_admin_log`) is kept as well; it names only the fields.
    `audit_exclude` here adds fields never to copy for a model that cannot list them itself
    (a third-party model's secret key)."""

    audit_exclude: tuple[str, ...] = ()

    def _snapshot(self, obj: models.Model) -> dict[str, Any]:
        return snapshot(obj, exclude=self.audit_exclude)

    def get_object(self, request: Any, object_id: str, from_field: Any = None) -> Any:
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and request.method == "POST":
            # The row as it is before the form changes it (the same instance is changed).
            setattr(request, _BEFORE, {(obj._meta.label, obj.pk): self._snapshot(obj)})
        return obj

    def log_addition(self, request: Any, obj: Any, message: Any) -> Any:
        entry = super().log_addition(request, obj, message)
        admin_audit(request, obj, "add", None, self._snapshot(obj), message)
        return entry

    def log_change(self, request: Any, obj: Any, message: Any) -> Any:
        entry = super().log_change(request, obj, message)
        before = getattr(request, _BEFORE, {}).get((obj._meta.label, obj.pk))
        changed = diff(before or {}, self._snapshot(obj))
        if message or any(changed):  # "Save" with nothing changed: no audit row
            admin_audit(request, obj, "change", *changed, message)
        return entry

    def log_deletions(self, request: Any, queryset: Any) -> Any:
        for obj in queryset:
            admin_audit(request, obj, "delete", self._snapshot(obj), None)
        return super().log_deletions(request, queryset)

    def save_formset(self, request: Any, form: Any, formset: Any, change: bool) -> None:
        """Inline rows (an identity provider's claim rules): one audit row per row added,
        changed or deleted."""
        befores = {
            id(f.instance): self._snapshot(type(f.instance)._default_manager.get(pk=f.instance.pk))
            for f in formset.initial_forms
            if f.instance.pk is not None and f.has_changed()
        }
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            admin_audit(request, obj, "add", None, self._snapshot(obj))
        for obj, _fields in formset.changed_objects:
            admin_audit(request, obj, "change", befores.get(id(obj), {}), self._snapshot(obj))
        for obj in formset.deleted_objects:
            admin_audit(request, obj, "delete", befores.get(id(obj)), None)


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
