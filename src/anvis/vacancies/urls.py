from django.urls import path

from . import views, views_bulk, views_offer, views_statements

app_name = "vacancies"

urlpatterns = [
    path("", views.vacancy_list, name="vacancy_list"),
    path("meld/", views.vacancy_report, name="vacancy_report"),
    path("meld/fil/", views_bulk.bulk_report, name="bulk_report"),
    path("indbakke/", views.inbox, name="inbox"),
    path("tomgangsleje/", views.void_rent, name="void_rent"),
    path("garantier/", views.claim_list, name="claim_list"),
    path("opgoerelse/", views_statements.statement, name="statement"),
    path("opgoerelser/", views_statements.statement_overview, name="statement_overview"),
    path("opgoerelse/godkend/", views_statements.statement_approve, name="statement_approve"),
    path("opgoerelse/ret/", views_statements.statement_correct, name="statement_correct"),
    path("garantier/<int:pk>/afgoer/", views.claim_decide, name="claim_decide"),
    path("lejemaal/<int:pk>/garanti/ny/", views.claim_create, name="claim_create"),
    path("lejemaal/<int:pk>/ophaev/", views.lease_cancel, name="lease_cancel"),
    path("<int:pk>/", views.vacancy_detail, name="vacancy_detail"),
    path("<int:pk>/accepter/", views.vacancy_accept, name="vacancy_accept"),
    path("<int:pk>/afvis/", views.vacancy_decline, name="vacancy_decline"),
    path("<int:pk>/udlejet/", views.vacancy_let, name="vacancy_let"),
    path("<int:pk>/lever-tilbage/", views.vacancy_hand_back, name="vacancy_hand_back"),
    path("<int:pk>/tilbud/ny/", views_offer.offer_create, name="offer_create"),
    path(
        "<int:pk>/tilbud/forslag/",
        views_offer.offer_case_suggestions,
        name="offer_case_suggestions",
    ),
    path("tilbud/<int:pk>/accepter/", views_offer.offer_accept, name="offer_accept"),
    path("tilbud/<int:pk>/afslag/", views_offer.offer_decline, name="offer_decline"),
    path("tilbud/<int:pk>/tilbagekald/", views.offer_withdraw, name="offer_withdraw"),
    path("tilbud/<int:pk>/afvis-indstillet/", views.offer_reject, name="offer_reject"),
    path("tilbud/<int:pk>/lejekontrakt/", views.lease_create, name="lease_create"),
]
