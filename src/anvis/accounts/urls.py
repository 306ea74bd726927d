from django.urls import path

from . import oidc, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("language/", views.set_language, name="set_language"),
    path("sso/retur/", oidc.LoginCallbackView.as_view(), name="oidc_callback"),
    path("sso/<slug:slug>/", oidc.LoginStartView.as_view(), name="oidc_start"),
]
