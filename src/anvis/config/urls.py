from django.contrib import admin
from django.urls import include, path

from anvis.permissions import Role


def _admin_has_permission(request):  # type: ignore[no-untyped-def]
    user = request.user
    return bool(
        user.is_active and user.is_authenticated and user.is_staff and user.role == Role.ADMIN
    )


admin.site.has_permission = _admin_has_permission  # type: ignore[method-assign]
admin.site.site_header = "Anvis"
admin.site.site_title = "Anvis"

urlpatterns = [
    path("", include("anvis.common.urls")),
    path("konto/", include("anvis.accounts.urls")),
    path("bestand/", include("anvis.stock.urls")),
    path("aftaler/", include("anvis.agreements.urls")),
    path("sager/", include("anvis.cases.urls")),
    path("overvaagning/", include("anvis.monitoring.urls")),
    path("sikkerhed/", include("anvis.security.urls")),
    path("ledige-boliger/", include("anvis.vacancies.urls")),
    path("indbakke/", include("anvis.notifications.urls")),
    path("simulator/", include("anvis.simulation.urls")),
    path("matchning/", include("anvis.matching.urls")),
    path("styregruppe/", include("anvis.reports.urls")),
    path("boligforloeb/", include("anvis.tenancy.urls")),
    path("styringsdialog/", include("anvis.tenancy.urls_dialogue")),
    path("api/", include("anvis.api.urls")),
    path("drift/", include("anvis.background.urls")),
    path("admin/", admin.site.urls),
]
