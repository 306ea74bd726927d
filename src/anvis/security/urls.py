from django.urls import path

from . import views

app_name = "security"

urlpatterns = [
    path("revisionsspor/", views.audit_list, name="audit_list"),
    path("adgangslog/", views.access_log_list, name="access_log_list"),
    path("to-faktor/", views.two_factor_setup, name="two_factor_setup"),
    path("to-faktor/qr.svg", views.two_factor_qr, name="two_factor_qr"),
    path("to-faktor/kode/", views.two_factor_verify, name="two_factor_verify"),
    path("indsigt/", views.insight_lookup, name="insight_lookup"),
    path("indsigt/<int:pk>/", views.citizen_insight, name="citizen_insight"),
]
