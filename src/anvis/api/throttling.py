"""Rate limit per API token (or per logged-in user for the web session).

The rate is `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["api"]`, from `ANVIS_API_RATE`."""

from __future__ import annotations

from typing import Any

from rest_framework.throttling import SimpleRateThrottle


class TokenRateThrottle(SimpleRateThrottle):
    scope = "api"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        token = getattr(request, "auth", None)
        if token is not None and hasattr(token, "pk"):
            ident = f"token:{token.pk}"
        elif getattr(request.user, "is_authenticated", False):
            ident = f"user:{request.user.pk}"
        else:
            ident = f"anon:{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
