"""Status changes on the vacancy timeline become webhook events (outbox rows written in the
same transaction; the `deliver_webhooks` task sends them after commit)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from anvis.vacancies.models import EventKind, VacancyEvent

from .models import EventType
from .webhooks import enqueue

EVENT_TYPES = {
    EventKind.STATUS: EventType.VACANCY_STATUS,
    EventKind.OFFER: EventType.OFFER_STATUS,
    EventKind.LEASE: EventType.LEASE,
    EventKind.GUARANTEE: EventType.GUARANTEE,
}


@receiver(post_save, sender=VacancyEvent, dispatch_uid="api_vacancy_event_webhook")
def vacancy_event_webhook(
    sender: Any, instance: VacancyEvent, created: bool, **kwargs: Any
) -> None:
    if not created or kwargs.get("raw"):
        return
    event_type = (
        EVENT_TYPES.get(EventKind(instance.kind)) if instance.kind in EventKind.values else None
    )
    if event_type is None:
        return
    organisation_id = instance.vacancy.organisation_id
    enqueue(
        organisation_id=organisation_id,
        event_type=event_type,
        data={
            "vacancy_id": instance.vacancy_id,
            "offer_id": instance.offer_id,
            "from_status": instance.from_status,
            "to_status": instance.to_status,
            "at": instance.at.isoformat() if instance.at else None,
        },
    )
