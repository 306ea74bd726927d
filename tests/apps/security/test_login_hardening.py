"""Lockout after failed logins, password rules, session limits and two-factor login."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from anvis.audit.models import AuditEvent
from anvis.security.middleware import LOGIN_AT_KEY
from anvis.security.passwords import character_classes
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def token_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


# --- lockout ---------------------------------------------------------------------------------------


def test_lockout_after_the_failure_limit_with_a_danish_message(
    settings: Any, users: dict[str, Any]
) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    client = Client()
    for _ in range(2):
        response = client.post(
            "/konto/login/", {"username": "u_sagsbehandler", "password": "forkert-kode-123"}
        )
        assert response.status_code == 422
    response = client.post(
        "/konto/login/", {"username": "u_sagsbehandler", "password": "forkert-kode-123"}
    )
    assert response.status_code == 429
    page = response.content.decode()
    assert "Login spærret" in page
    assert "3 mislykkede forsøg" in page
    # Locked: even the right password is refused now.
    response = client.post("/konto/login/", {"username": "u_sagsbehandler", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_user_name(settings: Any, users: dict[str, Any]) -> None:
    settings.AXES_FAILURE_LIMIT = 2
    client = Client()
    for _ in range(2):
        client.post("/konto/login/", {"username": "u_sagsbehandler", "password": "forkert"})
    response = client.post("/konto/login/", {"username": "u_styregruppe", "password": PASSWORD})
    assert response.status_code == 302


def test_successful_login_below_the_limit(settings: Any, users: dict[str, Any]) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    client = Client()
    client.post("/konto/login/", {"username": "u_sagsbehandler", "password": "forkert"})
    response = client.post("/konto/login/", {"username": "u_sagsbehandler", "password": PASSWORD})
    assert response.status_code == 302


# --- passwords -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "classes"),
    [
        ("abcdefghijkl", 1),
        ("abcdefABCDEF", 2),
        ("abcdef123456", 2),
        ("abcDEF123456", 3),
        ("aB1!", 4),
    ],
)
def test_character_classes(password: str, classes: int) -> None:
    assert character_classes(password) == classes


def test_password_rules_in_danish(users: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as info:
        validate_password("husetbrænderned", users["sagsbehandler"])
    assert any("mindst 3 af disse" in m for m in info.value.messages)
    with pytest.raises(ValidationError) as info:
        validate_password("Kort1!", users["sagsbehandler"])
    assert any("for kort" in m for m in info.value.messages)
    validate_password("Lang-og-Sikker-2026", users["sagsbehandler"])


# --- sessions --------------------------------------------------------------------------------------


def test_idle_timeout_is_renewed_on_every_request(settings: Any) -> None:
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_AGE <= 60 * 60


def test_session_ends_after_the_maximum_age(client_for: Any, settings: Any) -> None:
    settings.ANVIS_SESSION_MAX_AGE = 600
    client = client_for("sagsbehandler")
    assert client.get("/").status_code == 200
    session = client.session
    session[LOGIN_AT_KEY] = int(time.time()) - 601
    session.save()
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")
    assert client.get("/").status_code == 302


# --- two-factor login ------------------------------------------------------------------------------


def test_two_factor_not_required_when_switched_off(client_for: Any, settings: Any) -> None:
    settings.ANVIS_REQUIRE_2FA = False
    assert client_for("sagsbehandler").get("/").status_code == 200


@pytest.mark.parametrize("role", ["sagsbehandler", "anvisningsleder", "administrator"])
def test_municipal_roles_must_enrol_when_required(
    client_for: Any, settings: Any, role: str
) -> None:
    settings.ANVIS_REQUIRE_2FA = True
    client = client_for(role)
    response = client.get("/sager/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sikkerhed/to-faktor/?next=")
    assert client.get("/admin/").status_code == 302


@pytest.mark.parametrize("role", ["boligorganisation", "styregruppe"])
def test_other_roles_may_choose(client_for: Any, settings: Any, role: str) -> None:
    settings.ANVIS_REQUIRE_2FA = True
    assert client_for(role).get("/").status_code == 200


def test_enrolment_with_qr_code_then_code_at_every_login(
    settings: Any, users: dict[str, Any]
) -> None:
    settings.ANVIS_REQUIRE_2FA = True
    user = users["sagsbehandler"]
    client = Client()
    response = client.post("/konto/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    page = client.get("/sikkerhed/to-faktor/")
    assert page.status_code == 200
    assert "Opsæt totrinslogin" in page.content.decode()
    qr = client.get("/sikkerhed/to-faktor/qr.svg")
    assert qr["Content-Type"] == "image/svg+xml"
    assert b"<svg" in qr.content
    device = TOTPDevice.objects.get(user=user, confirmed=False)

    # A code that is certainly wrong now: the current one shifted by one digit value.
    wrong_token = "".join(str((int(ch) + 1) % 10) for ch in token_for(device))
    wrong = client.post("/sikkerhed/to-faktor/", {"token": wrong_token, "next": "/sager/"})
    assert wrong.status_code == 422
    assert "Koden er ikke korrekt" in wrong.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # failures slow down further guesses
    device.throttle_reset()

    done = client.post("/sikkerhed/to-faktor/", {"token": token_for(device), "next": "/sager/"})
    assert done.status_code == 302
    assert done["Location"] == "/sager/"
    assert client.get("/sager/").status_code == 200
    assert AuditEvent.objects.filter(action="security.two_factor_enrol").count() == 1

    # Next login: the password alone is not enough.
    client.post("/konto/logout/")
    other = Client()
    other.post("/konto/login/", {"username": user.username, "password": PASSWORD})
    response = other.get("/sager/")
    assert response["Location"].startswith("/sikkerhed/to-faktor/kode/")
    # ... and the enrolment page cannot be used to replace the device without the code.
    assert other.get("/sikkerhed/to-faktor/")["Location"].startswith("/sikkerhed/to-faktor/kode/")
    device.refresh_from_db()
    wrong_token = "".join(str((int(ch) + 1) % 10) for ch in token_for(device))
    refused = other.post("/sikkerhed/to-faktor/kode/", {"token": wrong_token, "next": "/sager/"})
    assert refused.status_code == 422
    assert "Koden er ikke korrekt" in refused.content.decode()
    device.refresh_from_db()
    device.throttle_reset()
    device.last_t = -1  # allow the same time step again in the test
    device.save()
    ok = other.post("/sikkerhed/to-faktor/kode/", {"token": token_for(device), "next": "/sager/"})
    assert ok.status_code == 302
    assert other.get("/sager/").status_code == 200


def test_voluntary_enrolment_applies_to_any_role(settings: Any, users: dict[str, Any]) -> None:
    settings.ANVIS_REQUIRE_2FA = False
    user = users["boligorganisation"]
    TOTPDevice.objects.create(user=user, name="Anvis", confirmed=True)
    client = Client()
    client.post("/konto/login/", {"username": user.username, "password": PASSWORD})
    response = client.get("/bestand/afdelinger/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sikkerhed/to-faktor/kode/")


def test_open_redirect_refused(client_for: Any, users: dict[str, Any]) -> None:
    client = client_for("styregruppe")
    device = TOTPDevice.objects.create(user=users["styregruppe"], name="Anvis", confirmed=False)
    response = client.post(
        "/sikkerhed/to-faktor/", {"token": token_for(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_security_headers_on_the_login_page(client: Any) -> None:
    response = client.get("/konto/login/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_lost_phone_reset_by_an_administrator(users: dict[str, Any], settings: Any) -> None:
    from anvis.security.twofactor import devices_reset, has_confirmed_device

    user = users["sagsbehandler"]
    TOTPDevice.objects.create(user=user, name="Anvis", confirmed=True)
    assert has_confirmed_device(user)
    assert devices_reset(actor=users["administrator"], user=user) == 1
    assert not has_confirmed_device(user)
    event = AuditEvent.objects.get(action="security.two_factor_reset")
    assert event.actor == users["administrator"] and event.object_id == str(user.pk)


def test_totp_devices_in_the_admin_for_administrators(
    client_for: Any, users: dict[str, Any]
) -> None:
    TOTPDevice.objects.create(user=users["sagsbehandler"], name="Anvis", confirmed=True)
    response = client_for("administrator").get("/admin/otp_totp/totpdevice/")
    assert response.status_code == 200
