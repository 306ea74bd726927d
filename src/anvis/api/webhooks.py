"""Outbound webhooks: an outbox written in the same transaction as the status change, and a
delivery task (`anvis.api.tasks.deliver_webhooks`, after each event and every minute) that
sends due deliveries, signed with
HMAC-SHA256, with exponential backoff.

Signature header: `Anvis-Signature: t=<unix seconds>,v1=<hex>` where
`v1 = HMAC-SHA256(secret, "<t>.<raw body>")`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from anvis.background.queue import enqueue_on_commit

from .models import DeliveryAttempt, DeliveryStatus, WebhookDelivery, WebhookSubscription

MAX_ATTEMPTS = 8
BASE_DELAY_SECONDS = 30
MAX_DELAY_SECONDS = 6 * 60 * 60
TIMEOUT_SECONDS = 10


def sign(secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify(secret: str, header: str, body: bytes, tolerance: int = 300) -> bool:
    """What a receiver does (also used in the tests)."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(time.time() - timestamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), parts.get("v1", ""))


def backoff(attempts: int) -> dt.timedelta:
    """Delay before the next attempt after `attempts` failed ones: 30 s, 60 s, 120 s, … ≤ 6 h."""
    seconds = min(BASE_DELAY_SECONDS * 2 ** max(attempts - 1, 0), MAX_DELAY_SECONDS)
    return dt.timedelta(seconds=seconds)


def enqueue(*, organisation_id: int, event_type: str, data: dict[str, Any]) -> int:
    """Write one delivery per interested subscription (inside the caller's transaction)."""
    subscriptions = [
        s
        for s in WebhookSubscription.objects.filter(organisation_id=organisation_id, active=True)
        if s.wants(event_type)
    ]
    if not subscriptions:
        return 0
    now = timezone.now()
    event_id = uuid.uuid4()
    payload = {
        "id": str(event_id),
        "type": event_type,
        "occurred_at": now.isoformat(),
        "organisation_id": organisation_id,
        "data": data,
    }
    WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(
                subscription=s,
                event_id=event_id,
                event_type=event_type,
                payload=payload,
                next_attempt_at=now,
            )
            for s in subscriptions
        ]
    )
    from .tasks import deliver_webhooks  # sent at once after commit; retries on the schedule

    enqueue_on_commit(deliver_webhooks)
    return len(subscriptions)


@dataclass(frozen=True)
class DeliveryRun:
    sent: int
    failed: int
    given_up: int


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return int(response.status), ""
    except urllib.error.HTTPError as exc:
        return int(exc.code), ""
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return None, str(exc)[:300]


def deliver_due(*, now: dt.datetime | None = None, limit: int = 100) -> DeliveryRun:
    """Send the deliveries that are due; each one is locked while it is sent."""
    now = now or timezone.now()
    sent = failed = given_up = 0
    ids = list(
        WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    skip_locked = (
        getattr(settings, "DATABASES", {})
        .get("default", {})
        .get("ENGINE", "")
        .endswith("postgresql")
    )
    for pk in ids:
        with transaction.atomic():
            delivery = (
                WebhookDelivery.objects.select_for_update(skip_locked=skip_locked)
                .select_related("subscription")
                .filter(pk=pk, status=DeliveryStatus.PENDING)
                .first()
            )
            if delivery is None:
                continue
            body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
            timestamp = int(time.time())
            headers = {
                "Content-Type": "application/json",
                "User-Agent": "Anvis-Webhooks/1",
                "Anvis-Event-Id": str(delivery.event_id),
                "Anvis-Event-Type": delivery.event_type,
                "Anvis-Signature": (
                    f"t={timestamp},v1={sign(delivery.subscription.secret, timestamp, body)}"
                ),
            }
            code, error = _post(delivery.subscription.url, body, headers)
            delivery.attempts += 1
            delivery.last_status_code = code
            delivery.last_error = error
            DeliveryAttempt.objects.create(delivery=delivery, status_code=code, error=error)
            if code is not None and 200 <= code < 300:
                delivery.status = DeliveryStatus.DELIVERED
                delivery.delivered_at = timezone.now()
                sent += 1
            elif delivery.attempts >= MAX_ATTEMPTS:
                delivery.status = DeliveryStatus.FAILED
                given_up += 1
            else:
                delivery.next_attempt_at = now + backoff(delivery.attempts)
                failed += 1
            delivery.save()
    return DeliveryRun(sent=sent, failed=failed, given_up=given_up)
