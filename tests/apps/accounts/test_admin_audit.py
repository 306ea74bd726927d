"""User administration in the Django admin is in the audit trail: who gave whom which role or
organisation, who deactivated an account or set a password, who changed an identity provider's
claim rules. The Django admin's own log (`django_admin_log`) names only the fields changed, can
be deleted, and is not what the administrators search at /sikkerhed/revisionsspor/."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from anvis.accounts.models import ClaimRule, IdentityProvider, User
from anvis.audit.models import AuditEvent
from anvis.permissions import Role
from tests.apps.security.forms_found import _FormParser

pytestmark = pytest.mark.django_db

MULTIPLE = ("organisations", "groups", "user_permissions")


def _form(client: Client, url: str) -> dict[str, Any]:
    """The admin change form's values as the browser would send them (multiple choices empty)."""
    page = client.get(url)
    assert page.status_code == 200
    parser = _FormParser()
    parser.feed(page.content.decode())
    form = max((f for f in parser.forms if f["method"] == "post"), key=lambda f: len(f["fields"]))
    data: dict[str, Any] = {}
    for name, found in form["fields"].items():
        if found.disabled or found.kind in ("submit", "button") or name in MULTIPLE:
            continue
        if found.kind == "checkbox" and not found.value:
            continue
        data[name] = found.value
    return data


@pytest.fixture
def admin_client(users: dict[str, Any]) -> Client:
    client = Client()
    client.force_login(users[Role.ADMIN])
    return client


def test_role_change_and_deactivation_are_audited(
    admin_client: Client, users: dict[str, Any]
) -> None:
    worker = users[Role.CASEWORKER]
    url = reverse("admin:accounts_user_change", args=[worker.pk])
    data = _form(admin_client, url)
    data["role"] = Role.STEERING
    data.pop("is_active", None)
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    worker.refresh_from_db()
    assert worker.role == Role.STEERING and not worker.is_active

    event = AuditEvent.objects.get(action="accounts.user_admin_change")
    assert event.actor == users[Role.ADMIN]
    assert event.object_type == "accounts.User" and event.object_id == str(worker.pk)
    assert event.before == {"role": Role.CASEWORKER, "is_active": True}
    assert event.after == {"role": Role.STEERING, "is_active": False}


def test_organisation_membership_is_audited(
    admin_client: Client, users: dict[str, Any], org_a: Any, org_b: Any
) -> None:
    staff = users[Role.ORGANISATION]  # staff of organisation A
    url = reverse("admin:accounts_user_change", args=[staff.pk])
    data = _form(admin_client, url)
    data["organisations"] = [org_b.pk]
    assert admin_client.post(url, data).status_code == 302
    event = AuditEvent.objects.get(action="accounts.user_admin_change")
    assert event.before == {"organisations": [org_a.pk]}
    assert event.after == {"organisations": [org_b.pk]}


def test_a_password_set_by_an_administrator_is_audited_without_the_hash(
    admin_client: Client, users: dict[str, Any]
) -> None:
    worker = users[Role.CASEWORKER]
    old_hash = worker.password
    url = reverse("admin:auth_user_password_change", args=[worker.pk])
    new = "Nyt-Kodeord-2026!"
    response = admin_client.post(
        url, {"password1": new, "password2": new, "usable_password": "true"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    worker.refresh_from_db()
    assert worker.check_password(new)
    event = AuditEvent.objects.get(action="accounts.user_admin_change")
    assert event.actor == users[Role.ADMIN]
    assert "password" in event.note.lower() or "adgangskode" in event.note.lower()
    text = str(event.before) + str(event.after) + event.note
    assert old_hash not in text and worker.password not in text


def test_adding_and_deleting_a_user_are_audited(
    admin_client: Client, users: dict[str, Any]
) -> None:
    url = reverse("admin:accounts_user_add")
    data = _form(admin_client, url)
    data.update(
        {
            "username": "ny.bruger",
            "password1": "Nyt-Kodeord-2026!",
            "password2": "Nyt-Kodeord-2026!",
        }
    )
    data["role"] = Role.ALLOCATION_LEAD
    data["usable_password"] = "true"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(username="ny.bruger")
    added = AuditEvent.objects.get(action="accounts.user_admin_add")
    assert added.after is not None
    assert added.after["role"] == Role.ALLOCATION_LEAD and added.after["password"] == "***"

    delete_url = reverse("admin:accounts_user_delete", args=[user.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    deleted = AuditEvent.objects.get(action="accounts.user_admin_delete")
    assert deleted.object_id == str(user.pk) and deleted.before is not None
    assert deleted.before["username"] == "ny.bruger" and deleted.after is None


def test_a_claim_rule_change_is_audited_without_the_client_secret(
    admin_client: Client, org_a: Any
) -> None:
    provider = IdentityProvider.objects.create(
        slug="kommune",
        name="Kommunen",
        issuer="https://idp.example.dk",
        client_id="anvis",
        client_secret="hemmelig-klient-noegle",
    )
    rule = ClaimRule.objects.create(
        provider=provider, claim="groups", value="Anvis", role=Role.CASEWORKER
    )
    url = reverse("admin:accounts_identityprovider_change", args=[provider.pk])
    data = _form(admin_client, url)
    data["rules-0-role"] = Role.ALLOCATION_LEAD
    data["name"] = "Kommunen (ny)"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    rule.refresh_from_db()
    assert rule.role == Role.ALLOCATION_LEAD
    event = AuditEvent.objects.get(action="accounts.identityprovider_admin_change")
    assert event.before == {"name": "Kommunen"}
    assert event.after == {"name": "Kommunen (ny)"}
    assert str(rule) in event.note or "groups" in event.note  # the rule's change is named
    assert "hemmelig" not in str(event.before) + str(event.after) + event.note
    rule_event = AuditEvent.objects.get(action="accounts.claimrule_admin_change")
    assert rule_event.before == {"role": Role.CASEWORKER}
    assert rule_event.after == {"role": Role.ALLOCATION_LEAD}


def test_a_two_factor_device_removed_in_the_admin_is_audited_without_its_key(
    admin_client: Client, users: dict[str, Any]
) -> None:
    """docs/security.md: a lost phone is handled by deleting the user's device in the admin."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    worker = users[Role.CASEWORKER]
    device = TOTPDevice.objects.create(user=worker, name="telefon", confirmed=True)
    url = reverse("admin:otp_totp_totpdevice_delete", args=[device.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    event = AuditEvent.objects.get(action="otp_totp.totpdevice_admin_delete")
    assert event.actor == users[Role.ADMIN] and event.object_id == str(device.pk)
    assert event.before is not None and event.before["user"] == worker.pk
    assert event.before["key"] == "***" and device.key not in str(event.before)


def test_a_dwelling_changed_in_the_admin_is_audited(
    admin_client: Client, users: dict[str, Any], org_a: Any
) -> None:
    from anvis.stock.models import Dwelling

    dwelling = Dwelling.objects.filter(entrance__department__organisation=org_a).first()
    assert dwelling is not None
    url = reverse("admin:stock_dwelling_change", args=[dwelling.pk])
    data = _form(admin_client, url)
    data["rent"] = str(dwelling.rent + 100)
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action="stock.dwelling_admin_change")
    assert event.before == {"rent": dwelling.rent}
    assert event.after == {"rent": dwelling.rent + 100}


def test_a_webhook_target_changed_in_the_admin_is_audited(
    admin_client: Client, users: dict[str, Any], org_a: Any, settings: Any
) -> None:
    from anvis.api.models import WebhookSubscription
    from anvis.api.services import webhook_subscription_create

    settings.ANVIS_WEBHOOK_ALLOWED_TARGETS = ["127.0.0.1"]
    settings.ANVIS_WEBHOOK_ALLOW_HTTP = True
    subscription = webhook_subscription_create(
        actor=users[Role.ADMIN], organisation=org_a, url="http://127.0.0.1:9/a"
    )
    assert AuditEvent.objects.filter(action="api.webhook_subscribe").count() == 1
    url = reverse("admin:api_webhooksubscription_change", args=[subscription.pk])
    data = _form(admin_client, url)
    data["url"] = "http://127.0.0.1:9/b"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert WebhookSubscription.objects.get(pk=subscription.pk).url == "http://127.0.0.1:9/b"
    event = AuditEvent.objects.get(action="api.webhooksubscription_admin_change")
    assert event.before == {"url": "http://127.0.0.1:9/a"}
    assert event.after == {"url": "http://127.0.0.1:9/b"}


def test_saving_a_user_unchanged_writes_no_audit_row(
    admin_client: Client, users: dict[str, Any]
) -> None:
    url = reverse("admin:accounts_user_change", args=[users[Role.CASEWORKER].pk])
    assert admin_client.post(url, _form(admin_client, url)).status_code == 302
    assert not AuditEvent.objects.filter(action="accounts.user_admin_change").exists()
