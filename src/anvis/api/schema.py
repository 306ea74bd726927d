"""OpenAPI descriptions of the API's authentication."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "anvis.api.authentication.ApiTokenAuthentication"
    name = "bearerToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token created by an administrator: `anv_<prefix>_<secret>`.",
        }


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "anvis.api.authentication.SessionAuthentication"
    name = "session"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}


PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details; `title`/`detail` in Danish, `code` for machines.",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "errors": {
            "type": "object",
            "description": "Validation errors: field (or items[i].field) → messages.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["type", "title", "status", "detail", "code"],
}
PROBLEM_STATUSES = {
    "400": (
        "The request is not valid (validation errors in `errors`; JSON nested deeper than "
        "ANVIS_API_MAX_JSON_DEPTH, 32 levels: code `json_too_deep`)."
    ),
    "401": "No or an invalid/revoked token.",
    "403": "The role may not use this endpoint.",
    "404": "Not found, or not the caller's (another organisation's objects are hidden).",
    "405": "Method not allowed.",
    "406": "The requested format cannot be delivered.",
    "413": "The request body is larger than the limit (ANVIS_API_MAX_BODY_BYTES, 1 MiB).",
    "415": "Unsupported content type (send application/json).",
    "429": "Rate limit exceeded (see Retry-After).",
}
WRITE_STATUSES = {"422": "The Idempotency-Key was used with another request."}
METHODS = ("get", "post", "put", "patch", "delete")


def add_problem_responses(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """Every operation can answer with problem+json; document it once, for all."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = PROBLEM_SCHEMA
    content = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            statuses = dict(PROBLEM_STATUSES)
            if method == "post":
                statuses.update(WRITE_STATUSES)
            responses = operation.setdefault("responses", {})
            for code, description in statuses.items():
                responses.setdefault(code, {"description": description, "content": content})
    return result
