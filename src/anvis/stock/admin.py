from django.contrib import admin

from .models import Department, Dwelling, Entrance, HousingOrganisation


@admin.register(HousingOrganisation)
class HousingOrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "cvr", "admin_system")
    search_fields = ("name", "cvr")


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("number", "name", "organisation", "district", "build_year")
    list_filter = ("organisation",)
    search_fields = ("name", "number")


@admin.register(Entrance)
class EntranceAdmin(admin.ModelAdmin):
    list_display = ("street", "postal_code", "city", "department")
    search_fields = ("street",)
    raw_id_fields = ("department",)


@admin.register(Dwelling)
class DwellingAdmin(admin.ModelAdmin):
    list_display = ("__str__", "dwelling_type", "rooms", "area_m2", "rent")
    list_filter = ("dwelling_type",)
    raw_id_fields = ("entrance",)
