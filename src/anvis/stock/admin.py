"""The housing stock in the Django admin: every change is in the audit trail (`AuditedAdmin`)."""

from django.contrib import admin

from anvis.audit.admin import AuditedAdmin

from .models import Department, Dwelling, Entrance, HousingOrganisation


@admin.register(HousingOrganisation)
class HousingOrganisationAdmin(AuditedAdmin):
    list_display = ("name", "cvr", "admin_system")
    search_fields = ("name", "cvr")


@admin.register(Department)
class DepartmentAdmin(AuditedAdmin):
    list_display = ("number", "name", "organisation", "district", "build_year")
    list_filter = ("organisation",)
    search_fields = ("name", "number")


@admin.register(Entrance)
class EntranceAdmin(AuditedAdmin):
    list_display = ("street", "postal_code", "city", "department")
    search_fields = ("street",)
    raw_id_fields = ("department",)


@admin.register(Dwelling)
class DwellingAdmin(AuditedAdmin):
    list_display = ("__str__", "dwelling_type", "rooms", "area_m2", "rent")
    list_filter = ("dwelling_type",)
    raw_id_fields = ("entrance",)
