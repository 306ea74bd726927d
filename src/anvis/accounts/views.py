from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy
from django.views.i18n import set_language as django_set_language

from anvis.permissions import ALL_ROLES, access


@access(public=True)
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@access(public=True)
class LogoutView(auth_views.LogoutView):
    pass


@access(ALL_ROLES)
class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")


@access(ALL_ROLES)
class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


set_language = access(public=True)(django_set_language)
