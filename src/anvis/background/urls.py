from django.urls import path

from . import views

app_name = "background"

urlpatterns = [
    path("opgaver/", views.task_list, name="task_list"),
    path("udbakke/", views.outbox, name="outbox"),
]
