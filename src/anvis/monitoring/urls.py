from django.urls import path

from . import views

app_name = "monitoring"

urlpatterns = [
    path("afdelinger/", views.department_list, name="department_list"),
    path("afdelinger/<int:pk>/", views.department_detail, name="department_detail"),
    path("trappetrin/", views.step_proposal_list, name="step_proposals"),
    path("import/indikatorer/", views.indicators_import, name="indicators_import"),
    path("import/omraader/", views.designations_import, name="designations_import"),
    path("genberegn/", views.recompute, name="recompute"),
]
