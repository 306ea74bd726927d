"""Where a webhook may point (issue #17, fault 4): `anvis.api.webhooks.check_target`.

A subscription accepted `https://169.254.169.254/…`, `https://10.0.0.1/` and `localhost`, and the
delivery worker would have called them. Now the target is checked when a subscription is saved
(API and Django admin) and again, on freshly resolved addresses, at every delivery, which then
connects to the checked address. No name is looked up in DNS here: tests/conftest.py resolves
every name to 127.0.0.1 except the names in `TEST_HOSTS`; nothing is sent anywhere but
127.0.0.1.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from anvis.api.models import DeliveryAttempt, DeliveryStatus, WebhookDelivery, WebhookSubscription
from anvis.api.webhooks import check_target, deliver_due, enqueue
from tests.apps.rowcounts import row_counts

pytestmark = pytest.mark.django_db

REFUSED = [
    "https://169.254.169.254/latest/meta-data/",
    "https://10.0.0.1/",
    "https://localhost/hook",
    "https://127.0.0.1/",
    "https://127.1.2.3:8443/",
    "https://[::1]/",
    "https://[fe80::1]/",
    "https://[::ffff:127.0.0.1]/",
    "https://[fd00::1]/",
    "https://172.16.0.1/",
    "https://192.168.1.1/",
    "https://100.64.0.1/",  # shared address space (CGNAT)
    "https://224.0.0.1/",  # multicast
    "https://240.0.0.1/",  # reserved
    "https://0.0.0.0/",
    "https://192.0.2.1/",  # documentation
    "https://metadata.example.dk/",  # a name that resolves to the metadata service
    "https://intern.example.dk/",
    "https://cgnat.example.dk/",
    "https://blandet.example.dk/",  # one public and one private address
    "https://v6.example.dk/",
]


@pytest.fixture
def no_allow_list(settings: Any) -> None:
    settings.ANVIS_WEBHOOK_ALLOWED_TARGETS = []


@pytest.mark.parametrize("url", REFUSED)
def test_non_public_targets_are_refused_when_subscribing(
    api: Any, no_allow_list: None, url: str
) -> None:
    before = row_counts()
    response = api("org_a").post("/api/v1/webhooks/", {"url": url})
    assert response.status_code == 400, url
    assert "url" in response.json()["errors"], response.json()
    assert row_counts() == before


def test_a_public_target_is_accepted(api: Any, no_allow_list: None) -> None:
    response = api("org_a").post("/api/v1/webhooks/", {"url": "https://offentlig.example.dk/h"})
    assert response.status_code == 201, response.json()


def test_the_refusal_is_danish_and_names_the_address(no_allow_list: None) -> None:
    with pytest.raises(ValidationError) as caught:
        check_target("https://metadata.example.dk/")
    (message,) = caught.value.message_dict["url"]
    assert "169.254.169.254" in message and "offentlige" in message


@pytest.mark.parametrize(
    ("allowed", "url"),
    [
        (["127.0.0.1"], "https://localhost/hook"),
        (["10.0.0.0/8"], "https://intern.example.dk/"),
        (["intern.example.dk"], "https://intern.example.dk/"),
        (["fe80::/10"], "https://[fe80::1]/"),
    ],
)
def test_the_allow_list_admits_hosts_and_networks(
    settings: Any, allowed: list[str], url: str
) -> None:
    settings.ANVIS_WEBHOOK_ALLOWED_TARGETS = allowed
    assert check_target(url).addresses


def test_http_is_refused_in_production_whatever_the_setting(settings: Any) -> None:
    settings.ANVIS_WEBHOOK_ALLOW_HTTP = True
    settings.PRODUCTION = True
    with pytest.raises(ValidationError):
        check_target("http://offentlig.example.dk/")
    settings.PRODUCTION = False
    assert check_target("http://offentlig.example.dk/").scheme == "http"
    settings.ANVIS_WEBHOOK_ALLOW_HTTP = False
    with pytest.raises(ValidationError):
        check_target("http://offentlig.example.dk/")


@pytest.mark.parametrize(
    "url", ["https://user:pw@offentlig.example.dk/", "https://offentlig.example.dk:99999/", "x"]
)
def test_malformed_targets_are_refused(url: str) -> None:
    with pytest.raises(ValidationError):
        check_target(url)


def test_the_admin_form_refuses_a_non_public_target(
    users: dict[str, Any], org_a: Any, no_allow_list: None
) -> None:
    client = Client()
    client.force_login(users["administrator"])
    response = client.post(
        "/admin/api/webhooksubscription/add/",
        {
            "organisation": org_a.pk,
            "url": "https://169.254.169.254/latest/",
            "event_types": "[]",
            "active": "on",
        },
    )
    assert response.status_code == 200
    assert "offentlige" in response.content.decode()
    assert not WebhookSubscription.objects.exists()


@pytest.fixture
def receiver() -> Iterator[tuple[list[dict[str, str]], int]]:
    seen: list[dict[str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            seen.append(dict(self.headers))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield seen, server.server_port
    finally:
        server.shutdown()
        server.server_close()


def _subscribe(org: Any, url: str) -> WebhookSubscription:
    subscription = WebhookSubscription(organisation=org, url=url, secret="s" * 32)
    subscription.full_clean()
    subscription.save()
    return subscription


def test_delivery_connects_to_the_checked_address_with_the_host_name(
    settings: Any, org_a: Any, receiver: tuple[list[dict[str, str]], int]
) -> None:
    """`pinned.example.dk` exists only in the test resolver: the delivery reached the receiver
    on 127.0.0.1 through the checked address, and sent the host name in the Host header."""
    settings.ANVIS_WEBHOOK_ALLOW_HTTP = True
    seen, port = receiver
    _subscribe(org_a, f"http://pinned.example.dk:{port}/hook")
    enqueue(organisation_id=org_a.pk, event_type="vacancy.status_changed", data={"id": 1})
    assert deliver_due().sent == 1
    assert seen[0]["Host"] == f"pinned.example.dk:{port}"


def test_delivery_checks_the_address_again(settings: Any, org_a: Any, monkeypatch: Any) -> None:
    """Allowed when saved, the name later resolves to the metadata service: the delivery is not
    sent (no connection at all) and the attempt records why."""
    _subscribe(org_a, "https://skifter.example.dk/hook")
    enqueue(organisation_id=org_a.pk, event_type="vacancy.status_changed", data={"id": 1})
    monkeypatch.setattr("anvis.api.webhooks.resolve_host", lambda host, port: ["169.254.169.254"])
    connections: list[Any] = []
    real = socket.create_connection
    monkeypatch.setattr(
        socket, "create_connection", lambda *a, **k: connections.append(a) or real(*a, **k)
    )
    run = deliver_due()
    assert run.sent == 0 and run.failed == 1
    assert connections == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1
    assert "169.254.169.254" in DeliveryAttempt.objects.get().error


def test_delivery_to_an_allow_listed_name_whose_address_changed_is_refused(
    settings: Any, org_a: Any, monkeypatch: Any
) -> None:
    """The allow-list's 127.0.0.1 admits the saved target; at delivery the name resolves to a
    private address that is not on the list."""
    _subscribe(org_a, "https://flytter.example.dk/hook")
    enqueue(organisation_id=org_a.pk, event_type="offer.status_changed", data={"id": 2})
    monkeypatch.setattr("anvis.api.webhooks.resolve_host", lambda host, port: ["10.1.2.3"])
    assert deliver_due().failed == 1
    assert "10.1.2.3" in DeliveryAttempt.objects.get().error


@pytest.mark.parametrize(
    ("model", "field"),
    [("api.WebhookSubscription", "url"), ("accounts.IdentityProvider", "issuer")],
)
def test_the_admin_takes_an_address_without_scheme_as_https(
    rf: Any, users: dict[str, Any], model: str, field: str
) -> None:
    from django.apps import apps
    from django.contrib import admin

    model_class = apps.get_model(model)
    request = rf.get("/admin/")
    request.user = users["administrator"]
    form_field = admin.site._registry[model_class].formfield_for_dbfield(
        model_class._meta.get_field(field), request
    )
    assert form_field.clean("anvis.example.dk/hook") == "https://anvis.example.dk/hook"
