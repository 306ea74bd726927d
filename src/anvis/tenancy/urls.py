from django.urls import path

from . import views

app_name = "tenancy"

urlpatterns = [
    path("risiko/", views.risk_list, name="risk_list"),
    path("stoette/", views.support_overview, name="support_overview"),
    path("fil/", views.bulk_report, name="bulk_report"),
    path("lejemaal/<int:pk>/", views.tenancy_detail, name="tenancy_detail"),
    path("lejemaal/<int:pk>/haendelse/", views.event_report, name="event_report"),
    path("lejemaal/<int:pk>/kontakter/", views.contacts, name="contacts"),
    path("opgaver/<int:pk>/kvitter/", views.task_acknowledge, name="task_acknowledge"),
    path("opgaver/<int:pk>/kontakt/", views.task_contact, name="task_contact"),
]
