"""Single sign-on with OpenID Connect (mozilla-django-oidc), one identity provider per
organisation (`IdentityProvider`), the user's role and organisation from the ID token's claims
by the administrator's rules (`ClaimRule`). docs/sso.md tells how to connect Entra ID or AD FS.

The library does the authorization-code flow (state, nonce, PKCE, token request, JWKS). Here:
which provider (chosen on the login page, kept in the session), a stricter check of the ID token
(signature with the provider's key, RS256, audience = our client id, the provider's issuer,
expiry), the claims rules, and the second factor: a login whose `amr`/`acr` shows the provider
used one counts as two-factor; otherwise Anvis' own two-factor rule applies as after a password.
"""

from __future__ import annotations

import logging
from typing import Any

import jwt
import requests
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from anvis.audit.services import audit_record
from anvis.permissions import Role, access
from anvis.security.middleware import SESSION_STRONG_AUTH

from .models import ClaimRule, ExternalIdentity, IdentityProvider

logger = logging.getLogger(__name__)

SESSION_PROVIDER = "anvis_oidc_provider"
# Set when the identity provider vouched for a second factor (checked by the two-factor rule).
SESSION_STRONG = SESSION_STRONG_AUTH
SIGN_ALGORITHM = "RS256"
DISCOVERY_SECONDS = 3600
TIMEOUT_SECONDS = 10


class ProviderError(Exception):
    pass


def endpoints(provider: IdentityProvider) -> dict[str, str]:
    """The provider's endpoints: as filled in, else from its discovery document (cached)."""
    found = {
        "authorization_endpoint": provider.authorization_endpoint,
        "token_endpoint": provider.token_endpoint,
        "jwks_uri": provider.jwks_uri,
    }
    if all(found.values()):
        return found
    key = f"anvis:oidc:discovery:{provider.issuer}"
    document = cache.get(key)
    if document is None:
        url = provider.issuer.rstrip("/") + "/.well-known/openid-configuration"
        try:
            response = requests.get(url, timeout=TIMEOUT_SECONDS)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise ProviderError(f"discovery failed: {exc}") from exc
        if str(document.get("issuer", "")).rstrip("/") != provider.issuer.rstrip("/"):
            raise ProviderError("the discovery document names another issuer")
        cache.set(key, document, DISCOVERY_SECONDS)
    return {name: value or str(document.get(name, "")) for name, value in found.items()}


def rule_for(provider: IdentityProvider, claims: dict[str, Any]) -> ClaimRule | None:
    for rule in provider.rules.select_related("organisation").order_by("order", "pk"):
        if rule.matches(claims):
            return rule
    return None


class ProviderBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    """Authenticates the callback of the provider chosen in this session."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.UserModel = get_user_model()
        self.OIDC_RP_SIGN_ALGO = SIGN_ALGORITHM
        self.OIDC_RP_IDP_SIGN_KEY = None
        self.provider: IdentityProvider | None = None

    def get_settings(self, attr: str, *args: Any) -> Any:
        if attr == "OIDC_VERIFY_KID":
            return True
        return import_from_settings(attr, *args)

    def get_user(self, user_id: Any) -> Any:
        """The session's user, as Django's own backend gives it: none once the account is
        deactivated, so a single sign-on session ends at the next request like a password
        session (the library's `get_user` returns inactive users too)."""
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any:
        if request is None or "code" not in request.GET or "state" not in request.GET:
            return None
        slug = request.session.get(SESSION_PROVIDER)
        self.provider = IdentityProvider.objects.filter(slug=slug, active=True).first()
        if self.provider is None:
            return None
        try:
            urls = endpoints(self.provider)
            self.OIDC_OP_TOKEN_ENDPOINT = urls["token_endpoint"]
            self.OIDC_OP_JWKS_ENDPOINT = urls["jwks_uri"]
            self.OIDC_OP_USER_ENDPOINT = ""
            self.OIDC_RP_CLIENT_ID = self.provider.client_id
            self.OIDC_RP_CLIENT_SECRET = self.provider.client_secret
            return super().authenticate(request, **kwargs)
        except (SuspiciousOperation, ProviderError, requests.RequestException) as exc:
            logger.warning("single sign-on via %s refused: %s", self.provider.slug, exc)
            return None

    def _verify_jws(self, payload: str, key: Any) -> dict[str, Any]:
        """Signature (RS256, the provider's key), audience, issuer and expiry."""
        assert self.provider is not None
        try:
            return jwt.decode(  # type: ignore[no-any-return]
                payload,
                key,
                algorithms=[SIGN_ALGORITHM],
                audience=self.provider.client_id,
                issuer=self.provider.issuer,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
                leeway=30,
            )
        except jwt.InvalidTokenError as exc:
            raise SuspiciousOperation(f"ID token refused: {exc}") from exc

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        """The claims are those of the verified ID token (configure the provider to put the
        groups or roles there, docs/sso.md)."""
        return payload

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        assert self.provider is not None
        if not claims.get("sub"):
            return False
        if rule_for(self.provider, claims) is None:
            logger.warning("single sign-on via %s: no claim rule matches", self.provider.slug)
            return False
        return True

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        return self.UserModel.objects.filter(
            identities__provider=self.provider, identities__subject=str(claims["sub"])
        )

    def _apply(self, user: Any, claims: dict[str, Any], *, created: bool) -> Any:
        assert self.provider is not None
        rule = rule_for(self.provider, claims)
        assert rule is not None
        before = {
            "role": user.role,
            "organisations": sorted(user.organisations.values_list("pk", flat=True))
            if user.pk
            else [],
        }
        user.role = rule.role
        user.first_name = str(claims.get("given_name", user.first_name or ""))[:150]
        user.last_name = str(claims.get("family_name", user.last_name or ""))[:150]
        user.email = str(claims.get("email", user.email or ""))[:254]
        user.is_staff = rule.role == Role.ADMIN
        user.save()
        user.organisations.set([rule.organisation] if rule.organisation_id else [])
        ExternalIdentity.objects.filter(provider=self.provider, user=user).update(
            last_login=timezone.now()
        )
        after = {
            "role": user.role,
            "organisations": [rule.organisation_id] if rule.organisation_id else [],
        }
        if created or before != after:
            audit_record(
                actor=None,
                action="accounts.sso_user_create" if created else "accounts.sso_user_update",
                instance=user,
                before=None if created else before,
                after={**after, "provider": self.provider.slug, "rule": rule.pk},
            )
        user._anvis_strong_auth = self.provider.is_strong(claims)
        return user

    def create_user(self, claims: dict[str, Any]) -> Any:
        assert self.provider is not None
        base = str(claims.get("preferred_username") or claims.get("email") or claims["sub"]).split(
            "@"
        )[0][:100]
        username = f"{self.provider.slug}.{base}"[:140]
        suffix = 1
        while self.UserModel.objects.filter(username=username).exists():
            suffix += 1
            username = f"{self.provider.slug}.{base}.{suffix}"[:150]
        with transaction.atomic():
            user = self.UserModel(username=username, role=Role.CASEWORKER)
            user.set_unusable_password()
            user.save()
            ExternalIdentity.objects.create(
                provider=self.provider, subject=str(claims["sub"]), user=user
            )
            return self._apply(user, claims, created=True)

    def update_user(self, user: Any, claims: dict[str, Any]) -> Any:
        if not user.is_active:
            # Deactivated in Anvis: the callback refuses the login; its claims change nothing.
            return user
        return self._apply(user, claims, created=False)


@access(public=True)
class LoginStartView(OIDCAuthenticationRequestView):  # type: ignore[misc]
    """Send the browser to the chosen provider (`/konto/sso/<slug>/`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)
        self.overrides: dict[str, Any] = {}

    def get_settings(self, attr: str, *args: Any) -> Any:
        if attr in self.overrides:
            return self.overrides[attr]
        return import_from_settings(attr, *args)

    def get(self, request: HttpRequest, slug: str = "") -> HttpResponse:  # type: ignore[override]
        provider = get_object_or_404(IdentityProvider, slug=slug, active=True)
        try:
            urls = endpoints(provider)
        except ProviderError as exc:
            logger.warning("single sign-on via %s unavailable: %s", provider.slug, exc)
            raise Http404 from exc
        self.OIDC_OP_AUTH_ENDPOINT = urls["authorization_endpoint"]
        self.OIDC_RP_CLIENT_ID = provider.client_id
        self.overrides["OIDC_RP_SCOPES"] = provider.scopes
        request.session[SESSION_PROVIDER] = provider.slug
        request.session.pop(SESSION_STRONG, None)
        return super().get(request)  # type: ignore[no-any-return]


@access(public=True)
class LoginCallbackView(OIDCAuthenticationCallbackView):  # type: ignore[misc]
    """The provider sends the browser back here (`/konto/sso/retur/`)."""

    def login_success(self) -> HttpResponse:
        response: HttpResponse = super().login_success()
        self.request.session[SESSION_STRONG] = bool(getattr(self.user, "_anvis_strong_auth", False))
        return response

    def login_failure(self) -> HttpResponse:
        messages.error(
            self.request,
            _("Single sign-on failed: the identity provider's answer could not be accepted."),
        )
        return super().login_failure()  # type: ignore[no-any-return]
