"""Outbound webhooks: an outbox written in the same transaction as the status change, and a
delivery task (`anvis.api.tasks.deliver_webhooks`, after each event and every minute) that
sends due deliveries, signed with
HMAC-SHA256, with exponential backoff.

Targets: :func:`check_target` is the one rule for where a webhook may point. It is called when a
subscription is saved (API, Django admin: `WebhookSubscription.clean`) and again for every
delivery, on the freshly resolved addresses (DNS can change); the delivery then connects to the
checked address itself, never to a new lookup. https only in production; no loopback,
link-local, private, shared (CGNAT), multicast, reserved or unspecified address, unless the
host or network is in `ANVIS_WEBHOOK_ALLOWED_TARGETS`. Redirects are not followed.

Signature header: `Anvis-Signature: t=<unix seconds>,v1=<hex>` where
`v1 = HMAC-SHA256(secret, "<t>.<raw body>")`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import http.client
import ipaddress
import json
import socket
import ssl
import time
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

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


# --- where a webhook may point ---------------------------------------------------------------

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def http_allowed() -> bool:
    """Plain http: never in production; in development when `ANVIS_WEBHOOK_ALLOW_HTTP` (default:
    DEBUG) says so."""
    if getattr(settings, "PRODUCTION", False):
        return False
    return bool(getattr(settings, "ANVIS_WEBHOOK_ALLOW_HTTP", settings.DEBUG))


def resolve_host(host: str, port: int) -> list[str]:
    """Every address the host name resolves to (replaced in the tests: no lookups there)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def is_public_address(address: IpAddress) -> bool:
    """A global unicast address: not loopback, link-local (169.254/16, fe80::/10), private
    (10/8, 172.16/12, 192.168/16, fc00::/7), shared/CGNAT (100.64/10), multicast, reserved,
    unspecified or documentation; an IPv4-mapped IPv6 address is judged as its IPv4 address."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return not (
        address.is_loopback
        or address.is_link_local
        or address.is_private
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


def _allow_list() -> tuple[set[str], list[ipaddress.IPv4Network | ipaddress.IPv6Network]]:
    names: set[str] = set()
    networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
    for item in getattr(settings, "ANVIS_WEBHOOK_ALLOWED_TARGETS", []) or []:
        try:
            networks.append(ipaddress.ip_network(item.strip(), strict=False))
        except ValueError:
            names.add(item.strip().lower().rstrip("."))
    return names, networks


@dataclass(frozen=True)
class Target:
    """A checked webhook target: connect to one of `addresses`, send Host/SNI `host`."""

    scheme: str
    host: str
    port: int
    path: str
    addresses: tuple[str, ...]


def check_target(url: str) -> Target:
    """May Anvis send to `url` now? Resolves the host and checks every address it has.

    Raises ValidationError (on the field `url`, in Danish) when it may not; the delivery worker
    records the same message as the attempt's error.
    """

    def refuse(message: str) -> ValidationError:
        return ValidationError({"url": message}, code="webhook_target")

    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise refuse(_("The webhook address is not a valid URL.")) from None
    scheme = parts.scheme.lower()
    if scheme != "https" and not (scheme == "http" and http_allowed()):
        raise refuse(_("The webhook address must use https."))
    host = (parts.hostname or "").lower().rstrip(".")
    if not host:
        raise refuse(_("The webhook address is not a valid URL."))
    if parts.username or parts.password:
        raise refuse(_("The webhook address may not contain a user name or password."))
    port = port or (443 if scheme == "https" else 80)
    names, networks = _allow_list()
    try:
        literal: IpAddress | None = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        addresses = [str(literal)]
    else:
        try:
            addresses = resolve_host(host, port)
        except (OSError, UnicodeError):
            addresses = []
        if not addresses:
            raise refuse(_("The webhook address's host name cannot be looked up."))
    if host not in names:
        for text in addresses:
            address = ipaddress.ip_address(text.split("%", 1)[0])
            if any(address in network for network in networks):
                continue
            if not is_public_address(address):
                raise refuse(
                    _(
                        "The webhook address points to a non-public network address "
                        "(%(address)s); only public addresses are allowed."
                    )
                    % {"address": address}
                )
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(scheme=scheme, host=host, port=port, path=path, addresses=tuple(addresses))


class _PinnedConnection(http.client.HTTPConnection):
    """An HTTP connection to a checked address (the Host header still names the host)."""

    addresses: tuple[str, ...] = ()

    def connect(self) -> None:
        self.sock = _connect_first(self.addresses, self.port, self.timeout)


class _PinnedTlsConnection(http.client.HTTPSConnection):
    """An HTTPS connection to a checked address; the certificate is verified for the host."""

    addresses: tuple[str, ...] = ()

    def connect(self) -> None:
        sock = _connect_first(self.addresses, self.port, self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def _connect_first(addresses: tuple[str, ...], port: int, timeout: Any) -> socket.socket:
    error: OSError = OSError("no address")
    for address in addresses:
        try:
            return socket.create_connection((address, port), timeout)
        except OSError as exc:
            error = exc
    raise error


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str]:
    """Send one delivery: check the target again (DNS can change), then connect to the checked
    address. Redirects are not followed."""
    try:
        target = check_target(url)
    except ValidationError as exc:
        return None, "; ".join(exc.messages)[:300]
    connection: http.client.HTTPConnection
    if target.scheme == "https":
        connection = _PinnedTlsConnection(
            target.host, target.port, timeout=TIMEOUT_SECONDS, context=ssl.create_default_context()
        )
    else:
        connection = _PinnedConnection(target.host, target.port, timeout=TIMEOUT_SECONDS)
    connection.addresses = target.addresses
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        return int(connection.getresponse().status), ""
    except (OSError, http.client.HTTPException, ValueError) as exc:
        return None, str(exc)[:300]
    finally:
        connection.close()


def deliver_due(*, now: dt.datetime | None = None, limit: int = 100) -> DeliveryRun:
    """Send the deliveries that are due; each one is locked while it is sent.

    A receiver that does not answer (a timeout, a refused connection) costs the run one
    attempt's wait, not one per delivery: its further deliveries in the run are logged as failed
    attempts without being sent, with the same retry and give-up schedule as if each had been
    tried, so one dead receiver does not hold back the other organisations' events."""
    now = now or timezone.now()
    counts = {"sent": 0, "failed": 0, "given_up": 0}
    silent: set[int] = set()  # subscriptions that did not answer in this run
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
            if not delivery.subscription.active:
                # Ended (the API's DELETE, the admin): nothing more is sent, not even a retry
                # of an event from before; the log says why it stopped.
                delivery.status = DeliveryStatus.FAILED
                delivery.last_error = _("The subscription was ended; the event was not sent.")
                delivery.save(update_fields=["status", "last_error"])
                counts["given_up"] += 1
                continue
            if delivery.subscription_id in silent:
                code, error = (
                    None,
                    str(_("The receiver did not answer earlier in this run; not sent.")),
                )
            else:
                code, error = _send(delivery)
                if code is None:
                    silent.add(delivery.subscription_id)
            counts[_record(delivery, code, error, now)] += 1
    return DeliveryRun(**counts)


def _send(delivery: WebhookDelivery) -> tuple[int | None, str]:
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
    return _post(delivery.subscription.url, body, headers)


def _record(delivery: WebhookDelivery, code: int | None, error: str, now: dt.datetime) -> str:
    """Log one attempt and move the delivery on: delivered, retried later, or given up."""
    delivery.attempts += 1
    delivery.last_status_code = code
    delivery.last_error = error
    DeliveryAttempt.objects.create(delivery=delivery, status_code=code, error=error)
    if code is not None and 200 <= code < 300:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = timezone.now()
        outcome = "sent"
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = DeliveryStatus.FAILED
        outcome = "given_up"
    else:
        delivery.next_attempt_at = now + backoff(delivery.attempts)
        outcome = "failed"
    delivery.save()
    return outcome
