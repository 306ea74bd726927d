"""TOTP two-factor login on django-otp: who must use it, enrolment, QR code as SVG."""

from __future__ import annotations

from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from anvis.audit.services import audit_record
from anvis.permissions import MUNICIPAL, user_has_role

# URL prefix of the enrolment and code pages (reachable before the second factor).
OPEN_PREFIX = "/sikkerhed/to-faktor/"
DEVICE_NAME = "Anvis"


def required_for(user: Any) -> bool:
    """Municipal roles must use two-factor login when ANVIS_REQUIRE_2FA is on."""
    return bool(settings.ANVIS_REQUIRE_2FA) and user_has_role(user, MUNICIPAL)


def has_confirmed_device(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_device(user: Any) -> TOTPDevice:
    """The user's unconfirmed device (created on first visit to the enrolment page)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def qr_svg(device: TOTPDevice) -> bytes:
    """The otpauth:// URI of a device as an SVG QR code (no script, allowed by the CSP)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    return image.to_string()


def verify(device: TOTPDevice, token: str) -> bool:
    token = "".join(ch for ch in token if ch.isdigit())
    return bool(token) and device.verify_token(token)


def device_confirm(*, actor: Any, device: TOTPDevice) -> TOTPDevice:
    """Enrolment done: the device becomes the user's only confirmed device."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_record(
            actor=actor,
            action="security.two_factor_enrol",
            object_type="accounts.User",
            object_id=device.user_id,
            object_repr=device.user.username,
        )
    return device


def devices_reset(*, actor: Any, user: Any) -> int:
    """Remove a user's devices (lost phone); they enrol again at the next login."""
    with transaction.atomic():
        count, _ = TOTPDevice.objects.filter(user=user).delete()
        audit_record(
            actor=actor,
            action="security.two_factor_reset",
            object_type="accounts.User",
            object_id=user.pk,
            object_repr=user.username,
        )
    return count
