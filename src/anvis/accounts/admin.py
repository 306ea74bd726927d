from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


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
