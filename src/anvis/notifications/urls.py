from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("indstillinger/", views.preferences, name="preferences"),
    path("laest/", views.mark_all_read, name="mark_all_read"),
    path("<int:pk>/", views.open_notification, name="open"),
    path("<int:pk>/laest/", views.mark_read, name="mark_read"),
]
