"""API v1 endpoints, one module per resource. Every view declares its access rule with
`api_access` (the roles of `anvis.permissions`) and scopes its rows with `.restrict(user)`: an
organisation token sees and changes only its own organisation's rows (404 otherwise) and no
endpoint serves it cases. `common` holds what the views share."""

from .cases import CaseExport
from .common import NotFoundView
from .ledger import LedgerExport, LedgerView
from .offers import (
    ClaimListCreate,
    LeaseCancel,
    LeaseListCreate,
    OfferAnswer,
    OfferDetail,
    OfferList,
)
from .stock import DwellingDetail, DwellingExport, DwellingList, StockUpsert
from .vacancies import (
    VacancyDetail,
    VacancyExport,
    VacancyHandBack,
    VacancyLet,
    VacancyListCreate,
)
from .webhooks import WebhookDeliveries, WebhookDetail, WebhookListCreate

__all__ = [
    "CaseExport",
    "ClaimListCreate",
    "DwellingDetail",
    "DwellingExport",
    "DwellingList",
    "LeaseCancel",
    "LeaseListCreate",
    "LedgerExport",
    "LedgerView",
    "NotFoundView",
    "OfferAnswer",
    "OfferDetail",
    "OfferList",
    "StockUpsert",
    "VacancyDetail",
    "VacancyExport",
    "VacancyHandBack",
    "VacancyLet",
    "VacancyListCreate",
    "WebhookDeliveries",
    "WebhookDetail",
    "WebhookListCreate",
]
