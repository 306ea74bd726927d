from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from django.utils import timezone

from anvis.api.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from anvis.api.tasks import deliver_webhooks
from anvis.api.webhooks import backoff, deliver_due, verify

from .conftest import dwelling_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _allow_local_http(settings: Any) -> None:
    settings.ANVIS_WEBHOOK_ALLOW_HTTP = True


def test_production_webhooks_need_https(api: Any, settings: Any) -> None:
    settings.ANVIS_WEBHOOK_ALLOW_HTTP = False
    response = api("org_a").post("/api/v1/webhooks/", {"url": "http://127.0.0.1:9/hook"})
    assert response.status_code == 400
    assert response.json()["errors"]["url"] == ["Webhook-adressen skal bruge https."]
    assert not WebhookSubscription.objects.exists()


class Receiver:
    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.status = 200


@pytest.fixture
def receiver() -> Iterator[tuple[Receiver, str]]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.requests.append((dict(self.headers), body))
            self.send_response(state.status)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{server.server_port}/hook"
    finally:
        server.shutdown()
        server.server_close()


def _report(api: Any, org: Any) -> dict[str, Any]:
    today = timezone.localdate()
    return api("org_a").post(
        "/api/v1/vacancies/",
        {"dwelling": dwelling_of(org).pk, "notice_date": today.isoformat(),
         "available_from": (today + dt.timedelta(days=9)).isoformat()},
    ).json()  # fmt: skip


def test_subscribe_report_and_deliver_signed_events(
    api: Any, org_a: Any, receiver: tuple[Receiver, str]
) -> None:
    state, url = receiver
    response = api("org_a").post(
        "/api/v1/webhooks/", {"url": url, "event_types": ["vacancy.status_changed"]}
    )
    assert response.status_code == 201, response.content
    secret = response.json()["secret"]
    assert api("org_a").get("/api/v1/webhooks/").json()["results"][0]["url"] == url
    assert "secret" not in api("org_a").get("/api/v1/webhooks/").json()["results"][0]
    vacancy = _report(api, org_a)
    # Written in the transaction of the status change, sent only by the worker.
    assert WebhookDelivery.objects.count() == 2  # reported, ordinary
    assert state.requests == []
    deliver_webhooks.call()
    assert len(state.requests) == 2
    for headers, body in state.requests:
        assert verify(secret, headers["Anvis-Signature"], body)
        assert not verify("wrong", headers["Anvis-Signature"], body)
        event = json.loads(body)
        assert event["type"] == "vacancy.status_changed"
        assert event["data"]["vacancy_id"] == vacancy["id"]
    assert {json.loads(b)["data"]["to_status"] for _h, b in state.requests} == {
        "reported",
        "ordinary",
    }
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"delivered"}
    sub = WebhookSubscription.objects.get()
    log = api("org_a").get(f"/api/v1/webhooks/{sub.pk}/deliveries/").json()["results"]
    assert {row["last_status_code"] for row in log} == {200}
    # Nothing is sent twice.
    deliver_webhooks.call()
    assert len(state.requests) == 2


def test_failed_delivery_is_retried_with_backoff_then_given_up(
    api: Any, org_a: Any, receiver: tuple[Receiver, str]
) -> None:
    state, url = receiver
    state.status = 500
    api("org_a").post("/api/v1/webhooks/", {"url": url, "event_types": ["vacancy.status_changed"]})
    _report(api, org_a)
    WebhookDelivery.objects.exclude(pk=WebhookDelivery.objects.order_by("pk").first().pk).delete()
    now = timezone.now()
    run = deliver_due(now=now)
    assert (run.sent, run.failed) == (0, 1)
    delivery = WebhookDelivery.objects.get()
    assert delivery.attempts == 1
    assert delivery.last_status_code == 500
    assert delivery.next_attempt_at == now + dt.timedelta(seconds=30)
    assert deliver_due(now=now).failed == 0  # not yet due
    run = deliver_due(now=now + dt.timedelta(seconds=30))
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == now + dt.timedelta(seconds=30) + dt.timedelta(seconds=60)
    state.status = 204
    deliver_due(now=now + dt.timedelta(hours=1))
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert list(delivery.log.values_list("status_code", flat=True)) == [500, 500, 204]


def test_backoff_doubles_and_is_capped() -> None:
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff(30).total_seconds() == 6 * 60 * 60


def test_unreachable_endpoint_gives_up_after_max_attempts(
    api: Any, org_a: Any, users: dict[str, Any]
) -> None:
    from anvis.api.services import webhook_subscription_create
    from anvis.api.webhooks import MAX_ATTEMPTS

    # A closed port on the local machine.
    webhook_subscription_create(
        actor=users["boligorganisation"], organisation=org_a, url="http://127.0.0.1:9/hook",
        event_types=["vacancy.status_changed"],
    )  # fmt: skip
    _report(api, org_a)
    far = timezone.now()
    for _ in range(MAX_ATTEMPTS):
        far += dt.timedelta(days=1)
        deliver_due(now=far)
    statuses = set(WebhookDelivery.objects.values_list("status", flat=True))
    assert statuses == {DeliveryStatus.FAILED}
    assert WebhookDelivery.objects.first().last_error


def test_other_organisations_events_are_not_sent(
    api: Any, org_a: Any, org_b: Any, receiver: tuple[Receiver, str]
) -> None:
    _state, url = receiver
    api("org_b").post("/api/v1/webhooks/", {"url": url})
    _report(api, org_a)
    assert WebhookDelivery.objects.count() == 0
    sub = WebhookSubscription.objects.get()
    assert api("org_a").get(f"/api/v1/webhooks/{sub.pk}/deliveries/").status_code == 404
    assert api("org_a").delete(f"/api/v1/webhooks/{sub.pk}/").status_code == 404
    assert api("org_b").delete(f"/api/v1/webhooks/{sub.pk}/").status_code == 204
    assert not WebhookSubscription.objects.get().active


def test_an_ended_subscription_is_sent_nothing_more(
    api: Any, org_a: Any, receiver: tuple[Receiver, str]
) -> None:
    """A receiver that answered 500 has deliveries waiting for a retry; once the organisation
    ends the subscription (DELETE), none of them is sent again: they are closed as given up,
    with the reason in the delivery log, and no attempt is logged."""
    state, url = receiver
    state.status = 500
    sub = api("org_a").post("/api/v1/webhooks/", {"url": url}).json()
    _report(api, org_a)
    now = timezone.now()
    deliver_due(now=now)
    sent = len(state.requests)
    assert sent == 2
    assert api("org_a").delete(f"/api/v1/webhooks/{sub['id']}/").status_code == 204
    state.status = 200
    deliver_due(now=now + dt.timedelta(hours=1))
    assert len(state.requests) == sent
    log = api("org_a").get(f"/api/v1/webhooks/{sub['id']}/deliveries/").json()["results"]
    assert {row["status"] for row in log} == {"failed"}
    assert {row["attempts"] for row in log} == {1}
    assert {row["last_error"] for row in log} == {
        "Abonnementet er afsluttet; hændelsen blev ikke sendt."
    }


def test_an_idempotency_key_retried_for_another_organisation_is_refused(
    users: dict[str, Any], org_a: Any, org_b: Any, receiver: tuple[Receiver, str]
) -> None:
    """The query string is part of the request an idempotency key stands for: an administrator's
    system that subscribes organisation A and then, with the same key and body, organisation B
    is told the key was used for another request (422), not handed A's subscription as if it
    were B's; a true retry (same query) is still replayed."""
    from anvis.api.services import api_token_create

    from .conftest import ApiClient

    _state, url = receiver
    admin = api_token_create(
        actor=users["administrator"], name="Drift", kind="municipal", user=users["administrator"]
    )
    client = ApiClient(admin.raw)
    key = {"Idempotency-Key": "subscribe-1"}
    first = client.post(f"/api/v1/webhooks/?organisation={org_a.pk}", {"url": url}, headers=key)
    assert first.status_code == 201, first.content
    assert first.json()["organisation"] == org_a.pk
    again = client.post(f"/api/v1/webhooks/?organisation={org_a.pk}", {"url": url}, headers=key)
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    other = client.post(f"/api/v1/webhooks/?organisation={org_b.pk}", {"url": url}, headers=key)
    assert other.status_code == 422, other.content
    assert other.json()["code"] == "idempotency_key_reused"
    assert list(WebhookSubscription.objects.values_list("organisation", flat=True)) == [org_a.pk]


def test_the_documented_verification_accepts_a_real_delivery(
    api: Any, org_a: Any, receiver: tuple[Receiver, str]
) -> None:
    """The receiver's check as docs/api.md prints it verifies what Anvis sends."""
    import re
    from pathlib import Path

    docs = (Path(__file__).parents[3] / "docs" / "api.md").read_text(encoding="utf-8")
    (code,) = re.findall(r"```python\n(import hashlib.*?)```", docs, flags=re.S)
    namespace: dict[str, Any] = {}
    exec(code, namespace)  # noqa: S102 (the project's own documentation)
    documented_verify = namespace["verify"]
    state, url = receiver
    secret = api("org_a").post("/api/v1/webhooks/", {"url": url}).json()["secret"]
    _report(api, org_a)
    deliver_webhooks.call()
    assert state.requests
    for headers, body in state.requests:
        assert documented_verify(secret, headers["Anvis-Signature"], body)
        assert not documented_verify(secret, headers["Anvis-Signature"], body + b" ")
        assert json.loads(body)["id"] == headers["Anvis-Event-Id"]


def test_a_receiver_that_does_not_answer_is_tried_once_a_run(
    api: Any, org_a: Any, users: dict[str, Any], receiver: tuple[Receiver, str]
) -> None:
    """A receiver that does not answer costs the run one attempt's wait, not one per event: its
    other events of the run are logged as failed attempts without being sent (their retries and
    give-up as if each had been tried), and another subscription's events are still sent."""
    from anvis.api.services import webhook_subscription_create

    state, url = receiver
    webhook_subscription_create(
        actor=users["boligorganisation"], organisation=org_a, url="http://127.0.0.1:9/hook",
        event_types=["vacancy.status_changed"],
    )  # fmt: skip
    api("org_a").post("/api/v1/webhooks/", {"url": url})
    _report(api, org_a)  # two events: reported, ordinary
    dead = WebhookDelivery.objects.filter(subscription__url__endswith=":9/hook")
    assert dead.count() == 2
    now = timezone.now()
    run = deliver_due(now=now)
    assert len(state.requests) == 2  # the live receiver got every event
    assert (run.sent, run.failed) == (2, 2)
    skipped = "Modtageren svarede ikke tidligere i denne kørsel; ikke sendt."
    first, second = dead.order_by("pk")
    assert first.last_error and first.last_error != skipped  # tried: the connection was refused
    assert second.last_error == skipped
    assert {d.attempts for d in dead} == {1}
    assert {d.next_attempt_at for d in dead} == {now + dt.timedelta(seconds=30)}
