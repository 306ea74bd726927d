"""One error format for the whole API: `application/problem+json` (RFC 9457).

Every error has `type`, `title` and `detail` (Danish), `status` and a machine-readable `code`;
validation errors also carry `errors`: field → list of messages (items of a bulk request are
`items[<index>].<field>`)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from .parsers import JsonTooDeep, RequestTooLarge

PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "/api/v1/problems/"

# Messages of Django REST framework's fields that its own Danish catalogue lacks: marked here so
# that this app's catalogue keeps their translations and a field's error is Danish too.
REST_FRAMEWORK_MESSAGES = (
    gettext_noop("Not a valid string."),
    gettext_noop("Must be a valid boolean."),
    gettext_noop("Must be a valid UUID."),
    gettext_noop("A valid biginteger is required."),
    gettext_noop("Integer value too large to convert to float"),
    gettext_noop("Datetime value out of range."),
    gettext_noop("Ensure this field has at least {min_length} elements."),
    gettext_noop("Ensure this field has no more than {max_length} elements."),
    gettext_noop("This dictionary may not be empty."),
    gettext_noop("Invalid input."),
)
# Texts Django REST framework writes without marking them for translation: translated here.
UNMARKED_MESSAGES = frozenset(
    {
        gettext_noop("No data provided"),  # the body is JSON null
    }
)


def _message(text: Any) -> str:
    text = str(text)
    return _(text) if text in UNMARKED_MESSAGES else text


def problem(
    *,
    status_code: int,
    code: str,
    title: str,
    detail: str = "",
    errors: dict[str, list[str]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    body: dict[str, Any] = {
        "type": TYPE_BASE + code,
        "title": title,
        "status": status_code,
        "detail": detail or title,
        "code": code,
    }
    if errors:
        body["errors"] = errors
    response = Response(body, status=status_code, headers=headers)
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


def flatten_errors(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error structure as `field → messages` (`items[2].rent`)."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            if isinstance(key, int):
                sub = f"{prefix}[{key}]"
            else:
                name = "" if key in ("non_field_errors", "__all__") else str(key)
                sub = f"{prefix}.{name}" if prefix and name else (prefix or name)
            for k, v in flatten_errors(value, sub).items():
                out.setdefault(k, []).extend(v)
    elif isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            out.setdefault(prefix or "non_field_errors", []).extend(_message(i) for i in detail)
        else:
            for index, item in enumerate(detail):
                if item:
                    for k, v in flatten_errors(item, f"{prefix}[{index}]").items():
                        out.setdefault(k, []).extend(v)
    else:
        out.setdefault(prefix or "non_field_errors", []).append(_message(detail))
    return out


def django_validation_errors(error: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            ("non_field_errors" if k == "__all__" else k): [str(m) for m in v]
            for k, v in error.message_dict.items()
        }
    return {"non_field_errors": [str(m) for m in error.messages]}


def validation_problem(errors: dict[str, list[str]], code: str = "validation_error") -> Response:
    first = next(iter(errors.values()), [""])
    return problem(
        status_code=status.HTTP_400_BAD_REQUEST,
        code=code,
        title=_("The request is not valid."),
        detail=first[0] if first else "",
        errors=errors,
    )


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        code = getattr(exc, "code", None) or "validation_error"
        return validation_problem(django_validation_errors(exc), code=str(code))
    if isinstance(exc, (OverflowError, DataError)):
        # A number too large for the database (an id or a filter value).
        return problem(
            status_code=status.HTTP_400_BAD_REQUEST,
            code="value_out_of_range",
            title=_("The request is not valid."),
            detail=_("A number in the request is out of range."),
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    headers = {
        k: v for k, v in response.headers.items() if k in ("WWW-Authenticate", "Retry-After")
    }
    if isinstance(exc, exceptions.ValidationError):
        return validation_problem(flatten_errors(exc.detail))
    titles = {
        JsonTooDeep: _("The request is not valid."),
        RequestTooLarge: _("The request is too large."),
        exceptions.NotAuthenticated: _("Authentication is required."),
        exceptions.AuthenticationFailed: _("Authentication failed."),
        exceptions.PermissionDenied: _("You do not have access to this."),
        exceptions.NotFound: _("Not found."),
        exceptions.MethodNotAllowed: _("The method is not allowed."),
        exceptions.NotAcceptable: _("The requested format cannot be delivered."),
        exceptions.UnsupportedMediaType: _("The content type is not supported."),
        exceptions.ParseError: _("The request body could not be read."),
        exceptions.Throttled: _("Too many requests."),
    }
    title = next((t for cls, t in titles.items() if isinstance(exc, cls)), _("The request failed."))
    detail = ""
    if isinstance(exc, exceptions.ParseError):
        # The parser's own text is English (the JSON decoder's position of the error).
        detail = _("The request body is not valid JSON.")
    elif isinstance(exc, exceptions.APIException):
        detail = str(exc.detail) if not isinstance(exc.detail, (dict, list)) else ""
    code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
    return problem(
        status_code=response.status_code,
        code=code if isinstance(code, str) else "error",
        title=title,
        detail=detail,
        headers=headers,
    )
