from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("rapport.<str:fmt>", views.report_download, name="report_download"),
    path("rapporter/", views.snapshot_list, name="snapshot_list"),
    path("rapporter/frys/", views.snapshot_create, name="snapshot_create"),
    path("rapporter/<int:pk>/", views.snapshot_detail, name="snapshot_detail"),
    path("rapporter/<int:pk>/rapport.<str:fmt>", views.snapshot_download, name="snapshot_download"),
    path("moeder/", views.meeting_list, name="meeting_list"),
    path("moeder/ny/", views.meeting_create, name="meeting_create"),
    path("moeder/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("moeder/<int:pk>/rediger/", views.meeting_edit, name="meeting_edit"),
    path("moeder/<int:pk>/beslutning/", views.decision_create, name="decision_create"),
    path("beslutninger/<int:pk>/", views.decision_edit, name="decision_edit"),
]
