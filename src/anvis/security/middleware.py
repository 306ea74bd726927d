"""Session limits and the two-factor step after the password."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from . import twofactor

LOGIN_AT_KEY = "anvis_login_at"

# Paths a user who still has to pass the second factor may reach.
_OPEN_PREFIXES = ("/static/", "/health/", "/konto/logout/", "/konto/language/", "/konto/login/")


class SessionLimitsMiddleware:
    """Ends a session ANVIS_SESSION_MAX_AGE seconds after login, however active the user is.

    The idle timeout is Django's own: SESSION_SAVE_EVERY_REQUEST renews the cookie on every
    request, so SESSION_COOKIE_AGE is the allowed time without activity.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(LOGIN_AT_KEY)
            now = int(time.time())
            if started is None:
                request.session[LOGIN_AT_KEY] = now
            elif now - int(started) > settings.ANVIS_SESSION_MAX_AGE:
                logout(request)
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


SESSION_STRONG_AUTH = "anvis_oidc_strong_auth"  # set by anvis.accounts.oidc


class TwoFactorMiddleware:
    """After the password, a user who must or chose to use two-factor login sees nothing but
    the enrolment or code page until a TOTP code has been verified in this session."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(_OPEN_PREFIXES)
            and not request.path.startswith(twofactor.OPEN_PREFIX)
            and not user.is_verified()
            # The organisation's identity provider vouched for a second factor (amr/acr).
            and not request.session.get(SESSION_STRONG_AUTH)
        ):
            if twofactor.has_confirmed_device(user):
                return redirect_to_step("security:two_factor_verify", request)
            if twofactor.required_for(user):
                return redirect_to_step("security:two_factor_setup", request)
        return self.get_response(request)


def redirect_to_step(url_name: str, request: HttpRequest) -> HttpResponse:
    from django.urls import reverse
    from django.utils.http import urlencode

    target = reverse(url_name)
    if request.method == "GET":
        target += "?" + urlencode({"next": request.get_full_path()})
    return redirect(target)
