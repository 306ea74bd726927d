from django.urls import path

from . import views

app_name = "agreements"

urlpatterns = [
    path("", views.agreement_list, name="agreement_list"),
    path("ny/", views.agreement_create, name="agreement_create"),
    path("<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("<int:pk>/rediger/", views.agreement_edit, name="agreement_edit"),
    path("<int:pk>/parter/udtraeden/", views.party_leave, name="party_leave"),
    path("<int:pk>/versioner/ny/", views.version_create, name="version_create"),
    path("versioner/<int:pk>/rediger/", views.version_edit, name="version_edit"),
    path("<int:pk>/fora/ny/", views.forum_create, name="forum_create"),
    path("fora/<int:pk>/rediger/", views.forum_edit, name="forum_edit"),
    path("<int:pk>/trin/", views.step_list, name="step_list"),
    path("<int:pk>/trin/ny/", views.step_create, name="step_create"),
    path("<int:pk>/revurdering/", views.reassessment_list, name="reassessment_list"),
    path("revurdering/<int:pk>/", views.reassessment_detail, name="reassessment_detail"),
    path("revurdering/<int:pk>/godkend/", views.reassessment_approve, name="reassessment_approve"),
    path("haandholdt/", views.handheld_list, name="handheld_list"),
    path("haandholdt/ny/", views.handheld_create, name="handheld_create"),
    path("haandholdt/<int:pk>/luk/", views.handheld_close, name="handheld_close"),
    path("regnskab/", views.ledger, name="ledger"),
]
