from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.db import transaction
from django.http import HttpResponse
from django.urls import reverse_lazy
from django.views.i18n import set_language as django_set_language

from anvis.audit.services import audit_record
from anvis.common.forms import form_status
from anvis.permissions import ALL_ROLES, access

from .models import IdentityProvider


class RefusedFormStatusMixin:
    """A refused form (wrong password, too weak a new password) answers 422, as in the rest of
    the application. A locked-out login keeps django-axes' own answer (429)."""

    def form_invalid(self, form: Any) -> HttpResponse:
        response: HttpResponse = super().form_invalid(form)  # type: ignore[misc]
        response.status_code = form_status(self.request, form)  # type: ignore[attr-defined]
        return response


@access(public=True)
class LoginView(RefusedFormStatusMixin, auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        context["identity_providers"] = IdentityProvider.objects.filter(active=True)
        return context


@access(public=True)
class LogoutView(auth_views.LogoutView):
    pass


@access(ALL_ROLES)
class PasswordChangeView(RefusedFormStatusMixin, auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form: Any) -> HttpResponse:
        # The new password and its audit row (never the hash) in one transaction.
        with transaction.atomic():
            response: HttpResponse = super().form_valid(form)
            audit_record(
                actor=self.request.user, action="accounts.password_change", instance=form.user
            )
        return response


@access(ALL_ROLES)
class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


set_language = access(public=True)(django_set_language)
