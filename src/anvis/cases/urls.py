from django.urls import path

from . import search, views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("ny/", views.case_create, name="case_create"),
    path("forslag/", search.case_suggestions, name="case_suggestions"),
    path("<int:pk>/", views.case_overview, name="case_overview"),
    path("<int:pk>/husstand/", views.case_household, name="case_household"),
    path("<int:pk>/oekonomi/", views.case_economy, name="case_economy"),
    path("<int:pk>/herberg-og-stoette/", views.case_shelter, name="case_shelter"),
    path("<int:pk>/tidslinje/", views.case_timeline, name="case_timeline"),
    path("<int:pk>/vis-cpr/", views.case_cpr_reveal, name="case_cpr_reveal"),
    path("<int:pk>/rediger/<slug:section>/", views.case_edit, name="case_edit"),
    path("<int:pk>/status/", views.case_status, name="case_status"),
    path("<int:pk>/hastende/", views.case_urgency, name="case_urgency"),
    path("<int:pk>/parker/", views.case_park, name="case_park"),
    path("<int:pk>/afparker/", views.case_unpark, name="case_unpark"),
    path("<int:pk>/note/", views.case_note, name="case_note"),
    path("<int:pk>/ophold/", views.stay_add, name="stay_add"),
    path("<int:pk>/ophold/<int:stay_pk>/udskriv/", views.stay_discharge, name="stay_discharge"),
    path("<int:pk>/bostoette/", views.plan_add, name="plan_add"),
    path("<int:pk>/bostoette/<int:plan_pk>/status/", views.plan_status, name="plan_status"),
    path("<int:pk>/udelukkelse/", views.bar_add, name="bar_add"),
    path("<int:pk>/udelukkelse/<int:bar_pk>/slet/", views.bar_remove, name="bar_remove"),
    path("<int:pk>/undgaa/", views.avoid_add, name="avoid_add"),
    path("<int:pk>/undgaa/<int:area_pk>/slet/", views.avoid_remove, name="avoid_remove"),
    path("<int:pk>/samtykke/", views.consent_add, name="consent_add"),
    path(
        "<int:pk>/samtykke/<int:consent_pk>/tilbagekald/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
]
