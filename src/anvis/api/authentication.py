"""Bearer tokens (`Authorization: Bearer anv_<prefix>_<secret>`) and the web session (with CSRF)."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from django.middleware import csrf
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .models import ApiToken

TOKEN_PREFIX = "anv"  # noqa: S105 (the public marker of the token format)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def split_token(raw: str) -> str | None:
    """The lookup prefix of a well-formed token, else None."""
    parts = raw.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or not parts[1] or not parts[2]:
        return None
    return parts[1]


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Any) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        keyword, _sep, raw = header.strip().partition(" ")
        if keyword != self.keyword:
            return None
        raw = raw.strip()
        prefix = split_token(raw)
        invalid = exceptions.AuthenticationFailed(_("The API token is not valid."))
        if prefix is None:
            raise invalid
        token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
        if token is None or not hmac.compare_digest(token.token_hash, hash_token(raw)):
            raise invalid
        if token.revoked_at is not None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The API token has been revoked."))
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return token.user, token

    def authenticate_header(self, request: Any) -> str:
        return 'Bearer realm="api"'


# Django's reasons for refusing a request without a valid CSRF token are English and not
# translatable: the two a caller can act on get a Danish text, the others a general one.
CSRF_REASONS = {
    csrf.REASON_NO_CSRF_COOKIE: _("the CSRF cookie is not set"),
    csrf.REASON_CSRF_TOKEN_MISSING: _("the CSRF token is missing"),
}


class SessionAuthentication(authentication.SessionAuthentication):
    """The logged-in web user; unsafe methods need the CSRF token as in the web pages."""

    def enforce_csrf(self, request: Any) -> None:
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied as refused:
            reason = str(refused.detail).removeprefix("CSRF Failed: ")
            raise exceptions.PermissionDenied(
                _(
                    "CSRF check failed: %(reason)s. Send the CSRF token in the X-CSRFToken "
                    "header with the CSRF cookie, or use an API token."
                )
                % {
                    "reason": CSRF_REASONS.get(
                        reason, _("the CSRF token or the origin of the request is not valid")
                    )
                }
            ) from None
