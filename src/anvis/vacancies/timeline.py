"""The vacancy's timeline, and the domain event each line publishes (`anvis.events`).

Every line on a vacancy's timeline is written here, so every step of the flow publishes exactly
one event: `vacancy.<new status>` (`vacancy.reported`, `vacancy.accepted`, `vacancy.handed_back`,
…), `offer.made` and `offer.<new status>` (`offer.accepted`, `offer.declined`, …),
`lease.registered`, and `claim.submitted` / `claim.approved` / `claim.rejected`. The event carries
the line's values (the API's webhook payload); subscribers read the rest after commit."""

from __future__ import annotations

from typing import Any

from anvis.audit.services import acting_user
from anvis.events import publish

from .choices import EventKind
from .models import Offer, Vacancy, VacancyEvent

OFFER_MADE = "offer.made"
LEASE_REGISTERED = "lease.registered"


def event_name(kind: str, to_status: str) -> str:
    """The domain event of a timeline line."""
    if kind == EventKind.STATUS:
        return f"vacancy.{to_status}"
    if kind == EventKind.OFFER:
        return OFFER_MADE if to_status == "pending" else f"offer.{to_status}"
    if kind == EventKind.LEASE:
        return LEASE_REGISTERED
    return f"claim.{to_status}"


def timeline_add(
    *,
    vacancy: Vacancy,
    actor: Any,
    kind: str,
    offer: Offer | None = None,
    from_status: str = "",
    to_status: str = "",
    summary: str = "",
    name: str = "",
    **data: Any,
) -> VacancyEvent:
    """Write one line on the vacancy's timeline and publish its event (`name` when the line is
    not a status change of its own, e.g. the organisation accepting the nominee)."""
    line = VacancyEvent.objects.create(
        vacancy=vacancy,
        offer=offer,
        actor=acting_user(actor),
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        summary=summary[:300],
    )
    publish(
        name or event_name(kind, to_status),
        actor=actor,
        organisation_id=vacancy.organisation_id,
        kind=kind,
        vacancy_id=vacancy.pk,
        offer_id=offer.pk if offer is not None else None,
        from_status=from_status,
        to_status=to_status,
        at=line.at.isoformat() if line.at else None,
        **data,
    )
    return line
