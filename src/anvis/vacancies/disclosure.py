"""What each role may see of a citizen in the allocation flow: the one home of the disclosure rule
(docs/privacy.md, "Identifiers per role"; issue #15 item 6 and issue #17).

Pages and API answers that show a citizen in an offer, a lease or a vacancy's timeline take it
from here, so a template or a serializer cannot show what its viewer may not see:

* **municipal roles** (caseworker, allocation lead, administrator): the case number and the name,
  with a link to the case;
* **the housing organisation that owns the dwelling**, stage by stage:
  - before the citizen has accepted the offer: the citizen reference (B-…) only, with what a
    viewing needs (the viewing time is on the offer itself);
  - once the citizen has accepted (and after the lease): the reference, name, phone and e-mail
    a lease needs. The legal basis is the allocation itself (almenboligloven § 59, GDPR
    art. 6(1)(e)), so no consent gates it; each showing is logged as a personal-data access;
  - never social data (support plans or whether one exists, needs, legal bars, the situation);
* **everyone else**, the steering group included: no identifier at all, whatever row scope the
  role has for the organisations' non-personal data.

One identifier per citizen per audience: an organisation sees the citizen reference in every
place (offers, timeline, API), never the case number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from anvis.events import publish
from anvis.permissions import Role, is_municipal, user_has_role, user_organisation_ids

from .choices import EventKind, OfferStatus, VacancyStatus
from .models import Offer, VacancyEvent

# The pseudonymous case number (S-2026-00042): municipal only.
CASE_NUMBER = re.compile(r"\bS-\d{4}-\d+\b")

#: The offer's states that end it with a reason: a decline's, or the organisation's ground.
OFFER_ENDINGS = frozenset(
    {OfferStatus.DECLINED, OfferStatus.EXPIRED, OfferStatus.REJECTED_BY_ORGANISATION}
)

MUNICIPAL_AUDIENCE = "municipal"
ORGANISATION_AUDIENCE = "organisation"
NO_AUDIENCE = "none"

# Which identifiers of a citizen each role may see (docs/privacy.md shows this table).
IDENTIFIERS: dict[str, frozenset[str]] = {
    Role.CASEWORKER: frozenset({"case_number", "citizen_reference", "name", "contact", "cpr"}),
    Role.ALLOCATION_LEAD: frozenset({"case_number", "citizen_reference", "name", "contact", "cpr"}),
    Role.ADMIN: frozenset({"case_number", "citizen_reference", "name", "contact", "cpr"}),
    # name and contact: own dwelling, accepted offer (see `nominee_for`)
    Role.ORGANISATION: frozenset({"citizen_reference", "name", "contact"}),
    Role.STEERING: frozenset(),
}


def audience(user: Any) -> str:
    if is_municipal(user):
        return MUNICIPAL_AUDIENCE
    if user_has_role(user, {Role.ORGANISATION}):
        return ORGANISATION_AUDIENCE
    return NO_AUDIENCE


def sees_cancellation_reasons(user: Any) -> bool:
    """Whether the viewer reads why a lease was cancelled before move-in: the parties to it
    (municipal staff, the housing organisation), not the steering group, which sees that it
    happened. The reason is free text about a citizen."""
    return audience(user) != NO_AUDIENCE


def sees_decline_reasons(user: Any) -> bool:
    """Whether the viewer reads why a citizen's offer ended in a decline (the coded reason,
    e.g. "the support is not ready" or "not ready to move", and the pause it put on the case):
    the municipality only. It is the citizen's situation and support, which the housing
    organisation never gets, and a row about one citizen, which the steering group never gets;
    they read that the offer was declined (its status)."""
    return audience(user) == MUNICIPAL_AUDIENCE


@dataclass(frozen=True)
class Nominee:
    """What one viewer may see of the citizen of one offer."""

    label: str = ""  # the audience's one identifier: case number, citizen reference or nothing
    name: str = ""
    phone: str = ""
    email: str = ""
    case_id: int | None = None  # a link to the case page (municipal only)
    citizen_id: int | None = None  # set when name or contact is shown: log the access

    @property
    def shows_contact(self) -> bool:
        return bool(self.name)


def _owns(user: Any, offer: Offer) -> bool:
    return offer.vacancy.organisation_id in user_organisation_ids(user)


def contact_disclosed(offer: Offer) -> bool:
    """The stage at which the organisation gets the name and contact: the citizen accepted."""
    return offer.status == OfferStatus.ACCEPTED


def nominee_for(user: Any, offer: Offer) -> Nominee:
    who = audience(user)
    if who == MUNICIPAL_AUDIENCE:
        citizen = offer.case.citizen
        return Nominee(label=offer.case.number, name=citizen.full_name, case_id=offer.case_id)
    if who == ORGANISATION_AUDIENCE and _owns(user, offer):
        citizen = offer.case.citizen
        if contact_disclosed(offer):
            return Nominee(
                label=citizen.reference,
                name=citizen.full_name,
                phone=citizen.phone or "",
                email=citizen.email or "",
                citizen_id=citizen.pk,
            )
        return Nominee(label=citizen.reference)
    return Nominee()


def record_contact_access(*, user: Any, nominees: list[Nominee], path: str) -> None:
    """Log each organisation showing of a nominee's name and contact (a personal-data access)."""
    from anvis.audit.services import Purpose, Subject, personal_data_read

    personal_data_read(
        user=user,
        subjects=[Subject(id=n.citizen_id, ref=n.label) for n in nominees if n.citizen_id],
        what="offer.contact",
        purpose=Purpose.LEASE,
        path=path,
    )


@dataclass(frozen=True)
class TimelineLine:
    event: VacancyEvent
    summary: str


def timeline_for(
    user: Any, events: list[VacancyEvent], offers: list[Offer], *, claims_shown: bool
) -> list[TimelineLine]:
    """The vacancy's timeline with each summary as the viewer may see it: a case number written
    in an event is replaced by the viewer's identifier of that citizen (nothing for the steering
    group); a guarantee claim's line keeps its kind and amount only when ``claims_shown``: the
    viewer's row scope holds the vacancy's claims (`GuaranteeClaim.objects.holds_organisation`:
    not the steering group); the line that ends an offer keeps a decline's reason only for a
    viewer who `sees_decline_reasons` (the organisation keeps the ground of its own rejection;
    the steering group, which sees no offer, neither)."""
    by_id = {offer.pk: offer for offer in offers}
    municipal = is_municipal(user)
    reasons_shown = sees_decline_reasons(user)
    lines = []
    for event in events:
        summary = event.summary or ""
        if event.kind == EventKind.GUARANTEE and not claims_shown:
            summary = ""
        if not reasons_shown and _ends_offer(event):
            offer = by_id.get(event.offer_id) if event.offer_id else None
            if offer is None or offer.decline_reason:
                summary = ""
        if not municipal and CASE_NUMBER.search(summary):
            offer = by_id.get(event.offer_id) if event.offer_id else None
            label = nominee_for(user, offer).label if offer is not None else ""
            summary = CASE_NUMBER.sub(label, summary).strip(" –-:")
        lines.append(TimelineLine(event=event, summary=summary))
    return lines


def _ends_offer(event: VacancyEvent) -> bool:
    """The two lines that end an offer (declined, expired or rejected): the offer's own, and
    the dwelling's going back from offered to accepted; both carry why it ended."""
    if event.offer_id is None:
        return False
    if event.kind == EventKind.OFFER:
        return event.to_status in OFFER_ENDINGS
    return event.kind == EventKind.STATUS and event.from_status == VacancyStatus.OFFERED


def lease_warnings_for(user: Any, warnings: tuple[str, ...], offer: Offer) -> tuple[str, ...]:
    """The lease registration's warnings (e.g. no decided support plan) are social data: only
    a municipal viewer sees them. When the organisation registered the lease, the case's
    caseworker (or, without one, the allocation leads) is told instead."""
    if not warnings:
        return ()
    if is_municipal(user):
        return warnings
    publish(
        "lease.warnings_withheld",
        actor=user,
        organisation_id=offer.vacancy.organisation_id,
        offer_id=offer.pk,
        case_id=offer.case_id,
        warnings=list(warnings),
    )
    return ()
