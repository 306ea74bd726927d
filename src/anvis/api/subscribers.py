"""The flow's domain events (`anvis.events`) become webhook deliveries. The handlers run inside
the publishing transaction and only write outbox rows (`WebhookDelivery`), so a delivery exists
exactly when the change it reports committed, and survives a crash before it is sent; the
`deliver_webhooks` task sends it after commit."""

from __future__ import annotations

from anvis.events import Event, subscribe

from .models import EventType
from .webhooks import enqueue

#: each line of a vacancy's timeline, by aggregate, and the webhook event it becomes
TIMELINE_TYPES = {
    "vacancy": EventType.VACANCY_STATUS,
    "offer": EventType.OFFER_STATUS,
    "lease": EventType.LEASE,
    "claim": EventType.GUARANTEE,
}
TIMELINE_FIELDS = ("vacancy_id", "offer_id", "from_status", "to_status", "at")


def timeline_webhook(event: Event) -> None:
    """A line on a vacancy's timeline (`anvis.vacancies.timeline`) to the organisation."""
    if "kind" not in event.data or event.organisation_id is None:
        return  # not a timeline line (e.g. lease.warnings_withheld)
    enqueue(
        organisation_id=event.organisation_id,
        event_type=TIMELINE_TYPES[event.aggregate],
        data={key: event.data.get(key) for key in TIMELINE_FIELDS},
    )


def tenancy_webhook(event: Event) -> None:
    """The organisation's report of a tenancy event, without the note."""
    assert event.organisation_id is not None
    enqueue(
        organisation_id=event.organisation_id,
        event_type=EventType.TENANCY_EVENT,
        data=dict(event.data),
    )


def register() -> None:
    subscribe(
        [f"{aggregate}.*" for aggregate in TIMELINE_TYPES], timeline_webhook, in_transaction=True
    )
    subscribe("tenancy.event_reported", tenancy_webhook, in_transaction=True)
