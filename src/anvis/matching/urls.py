from django.urls import path

from . import views

app_name = "matching"

urlpatterns = [
    path("", views.run_list, name="run_list"),
    path("koersel/ny/", views.run_new, name="run_new"),
    path("koersel/<int:pk>/", views.run_detail, name="run_detail"),
    path("koersel/<int:pk>/tilbud/", views.run_offers, name="run_offers"),
    path("koersel/<int:pk>/genkoer/", views.run_rerun, name="run_rerun"),
    path("ledig-bolig/<int:vacancy_pk>/kandidater/", views.candidates, name="candidates"),
    path(
        "ledig-bolig/<int:vacancy_pk>/kandidater/<int:case_pk>/tilbud/",
        views.offer_create,
        name="offer_create",
    ),
    path("tilbud/<int:offer_pk>/begrundelse/", views.explanation, name="explanation"),
]
