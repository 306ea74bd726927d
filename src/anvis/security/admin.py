"""Two-factor devices in the Django admin, where an administrator deletes a lost phone's device
(docs/security.md): django-otp's own admin, with every addition, change and deletion in the
audit trail (`AuditedAdmin`), never the device's secret key."""

from __future__ import annotations

from django.contrib import admin
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin as OtpTOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from anvis.audit.admin import AuditedAdmin

if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(AuditedAdmin, OtpTOTPDeviceAdmin):  # type: ignore[misc]
    audit_exclude = ("key",)
