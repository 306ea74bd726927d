from django.urls import path

from . import search, views

app_name = "stock"

urlpatterns = [
    path("organisationer/", views.organisation_list, name="organisation_list"),
    path("organisationer/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("afdelinger/", views.department_list, name="department_list"),
    path("afdelinger/<int:pk>/", views.department_detail, name="department_detail"),
    path("opgange/", views.entrance_list, name="entrance_list"),
    path("opgange/<int:pk>/", views.entrance_detail, name="entrance_detail"),
    path("boliger/", views.dwelling_list, name="dwelling_list"),
    path("boliger/<int:pk>/", views.dwelling_detail, name="dwelling_detail"),
    path("boliger/forslag/", search.dwelling_suggestions, name="dwelling_suggestions"),
    path("afdelinger/forslag/", search.department_suggestions, name="department_suggestions"),
    path("import/", views.stock_import, name="import"),
]
