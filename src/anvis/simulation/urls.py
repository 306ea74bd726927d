from django.urls import path

from . import views

app_name = "simulation"

urlpatterns = [
    path("", views.run_list, name="run_list"),
    path("koersler/<int:pk>/", views.run_detail, name="run_detail"),
    path("koersler/<int:pk>/status/", views.run_status, name="run_status"),
    path("sammenlign/", views.run_compare, name="run_compare"),
    path("kalibrering/", views.calibration_page, name="calibration"),
]
