from django.urls import path, re_path

from anvis.tenancy.api import TenancyEventListCreate

from . import docs, pages, views

app_name = "api"

urlpatterns = [
    path("udtraek/", pages.downloads, name="downloads"),
    path("v1/schema/", docs.SchemaView.as_view(), name="schema"),
    path("v1/docs/", docs.docs_page, name="docs"),
    path("v1/dwellings/", views.DwellingList.as_view(), name="dwelling_list"),
    path("v1/dwellings/<int:pk>/", views.DwellingDetail.as_view(), name="dwelling_detail"),
    path("v1/stock/", views.StockUpsert.as_view(), name="stock_upsert"),
    path("v1/vacancies/", views.VacancyListCreate.as_view(), name="vacancy_list"),
    path("v1/vacancies/<int:pk>/", views.VacancyDetail.as_view(), name="vacancy_detail"),
    path(
        "v1/vacancies/<int:pk>/hand-back/",
        views.VacancyHandBack.as_view(),
        name="vacancy_hand_back",
    ),
    path("v1/vacancies/<int:pk>/let/", views.VacancyLet.as_view(), name="vacancy_let"),
    path("v1/offers/", views.OfferList.as_view(), name="offer_list"),
    path("v1/offers/<int:pk>/", views.OfferDetail.as_view(), name="offer_detail"),
    path("v1/offers/<int:pk>/answer/", views.OfferAnswer.as_view(), name="offer_answer"),
    path("v1/leases/", views.LeaseListCreate.as_view(), name="lease_list"),
    path("v1/leases/<int:pk>/cancel/", views.LeaseCancel.as_view(), name="lease_cancel"),
    path("v1/guarantee-claims/", views.ClaimListCreate.as_view(), name="claim_list"),
    path("v1/ledger/", views.LedgerView.as_view(), name="ledger"),
    path("v1/exports/dwellings/", views.DwellingExport.as_view(), name="export_dwellings"),
    path("v1/exports/vacancies/", views.VacancyExport.as_view(), name="export_vacancies"),
    path("v1/exports/ledger/", views.LedgerExport.as_view(), name="export_ledger"),
    path("v1/exports/cases/", views.CaseExport.as_view(), name="export_cases"),
    path("v1/webhooks/", views.WebhookListCreate.as_view(), name="webhook_list"),
    path("v1/webhooks/<int:pk>/", views.WebhookDetail.as_view(), name="webhook_detail"),
    path(
        "v1/webhooks/<int:pk>/deliveries/",
        views.WebhookDeliveries.as_view(),
        name="webhook_deliveries",
    ),
    path("v1/tenancy-events/", TenancyEventListCreate.as_view(), name="tenancy_event_list"),
    re_path(r"^v1/.*$", views.NotFoundView.as_view(), name="not_found"),
]
