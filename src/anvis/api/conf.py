"""Django REST framework and OpenAPI settings, imported by `anvis.config.settings`.

Plain values only (no Django settings or models): the settings module imports this file. The
values are read with `anvis.common.env`, which refuses one it cannot read, naming it. The rate limit per
token (or per logged-in user) comes from `ANVIS_API_RATE` (DRF syntax, e.g. `600/min`).
"""

from __future__ import annotations

import os
import re

from django.core.exceptions import ImproperlyConfigured

from anvis.common.env import env_int, env_list

# Limits checked before a request body is parsed (anvis.api.parsers): larger bodies are refused
# with 413, deeper JSON with a 400 problem `json_too_deep`.
ANVIS_API_MAX_BODY_BYTES = env_int("ANVIS_API_MAX_BODY_BYTES", 1024 * 1024, minimum=1)
ANVIS_API_MAX_JSON_DEPTH = env_int("ANVIS_API_MAX_JSON_DEPTH", 32, minimum=1)

# Webhook targets that may have a non-public address (anvis.api.webhooks.check_target): host
# names, IP addresses or networks (CIDR), comma-separated. Empty: only public addresses.
ANVIS_WEBHOOK_ALLOWED_TARGETS = env_list("ANVIS_WEBHOOK_ALLOWED_TARGETS")

# Django REST framework reads the rate at the first request (`<number>/<s|m|h|d…>`); a value it
# cannot read would make every API request a server error, so it is checked at start-up.
ANVIS_API_RATE = os.environ.get("ANVIS_API_RATE", "").strip() or "600/min"
if not re.fullmatch(r"[0-9]+/[smhd][a-z]*", ANVIS_API_RATE):
    raise ImproperlyConfigured(
        f"ANVIS_API_RATE must be a number of requests per period, e.g. 600/min or 20/s "
        f"(got {ANVIS_API_RATE!r})"
    )

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "anvis.api.authentication.ApiTokenAuthentication",
        "anvis.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["anvis.api.access.AccessRulePermission"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["anvis.api.parsers.LimitedJSONParser"],
    "DEFAULT_PAGINATION_CLASS": "anvis.api.pagination.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["anvis.api.filters.KnownParametersBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["anvis.api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": ANVIS_API_RATE},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "anvis.api.errors.problem_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": True,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Anvis API",
    "DESCRIPTION": (
        "Integration API for the housing organisations' systems and the municipality's case "
        "systems. Authenticate with `Authorization: Bearer <token>`. Errors are "
        "`application/problem+json` (RFC 9457) with a Danish title/detail and a machine-readable "
        "`code`. See docs/api.md."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "anvis.api.schema.add_problem_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "VacancyStatusEnum": "anvis.vacancies.choices.VacancyStatus",
        "OfferStatusEnum": "anvis.vacancies.choices.OfferStatus",
        "ClaimStatusEnum": "anvis.vacancies.choices.ClaimStatus",
        "VacancyEventKindEnum": "anvis.vacancies.choices.EventKind",
        "TenancyEventKindEnum": "anvis.tenancy.models.EventKind",
        "GuaranteeKindEnum": "anvis.vacancies.choices.GuaranteeKindChoice",
        "RejectionGroundEnum": "anvis.vacancies.choices.RejectionGroundChoice",
        "DeliveryStatusEnum": "anvis.api.models.DeliveryStatus",
        "WebhookEventTypeEnum": "anvis.api.models.EventType",
        "DwellingTypeEnum": "anvis.stock.models.DwellingType",
        "VacancySourceEnum": "anvis.vacancies.choices.VacancySource",
        "ReportSourceEnum": [("report", "report"), ("voluntary", "voluntary")],
    },
}
