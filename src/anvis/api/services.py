"""Writes of the API app: tokens, the organisation's answer to a nominee, bulk stock upsert,
webhook subscriptions. Vacancy, offer, lease and claim writes go through
`anvis.vacancies.services`."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from anvis.accounts.models import User
from anvis.audit.models import AuditEvent
from anvis.audit.services import audited, snapshot
from anvis.common.importing import RowError
from anvis.common.tabular import Row
from anvis.permissions import MUNICIPAL, Role, can_write_organisation, user_has_role
from anvis.stock.importing import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, import_stock_rows
from anvis.stock.models import HousingOrganisation
from anvis.vacancies.choices import EventKind, OfferStatus
from anvis.vacancies.models import Offer, Vacancy
from anvis.vacancies.services import check_not_leased
from anvis.vacancies.timeline import timeline_add

from .authentication import TOKEN_PREFIX, hash_token
from .models import ApiToken, TokenKind, WebhookSubscription


@dataclass(frozen=True)
class CreatedToken:
    token: ApiToken
    raw: str  # shown once, never stored


def _require_admin(actor: Any) -> None:
    if not user_has_role(actor, {Role.ADMIN}):
        raise PermissionDenied


def api_token_create(
    *,
    actor: Any,
    name: str,
    kind: str,
    organisation: HousingOrganisation | None = None,
    user: Any = None,
) -> CreatedToken:
    """Create a token. An organisation token acts as a new system user tied to that organisation
    only; a municipal token acts as the given municipal user. The secret is returned once."""
    _require_admin(actor)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name.")})
    with audited("api.token_create", actor=actor) as write:
        prefix = secrets.token_hex(4)
        while ApiToken.objects.filter(prefix=prefix).exists():
            prefix = secrets.token_hex(4)
        if kind == TokenKind.ORGANISATION:
            if organisation is None:
                raise ValidationError({"organisation": _("Choose the housing organisation.")})
            user = User.objects.create(
                username=f"api-{organisation.cvr}-{prefix}",
                first_name=name[:150],
                role=Role.ORGANISATION,
            )
            user.set_unusable_password()
            user.save(update_fields=["password"])
            user.organisations.add(organisation)
        elif kind == TokenKind.MUNICIPAL:
            if user is None or not user_has_role(user, MUNICIPAL) or not user.is_active:
                raise ValidationError({"user": _("Choose an active municipal user.")})
            organisation = None
        else:
            raise ValidationError({"kind": _("Choose the kind of token.")})
        raw = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
        token = write.created(
            ApiToken.objects.create(
                name=name,
                kind=kind,
                user=user,
                organisation=organisation,
                prefix=prefix,
                token_hash=hash_token(raw),
                created_by=actor,
            )
        )
    return CreatedToken(token=token, raw=raw)


def api_token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    _require_admin(actor)
    with audited("api.token_revoke", actor=actor) as write:
        token = write.track(ApiToken.objects.select_for_update().get(pk=token.pk))
        if token.revoked_at is not None:
            write.unchanged()
            return token
        token.revoked_at = timezone.now()
        token.revoked_by = actor
        token.save(update_fields=["revoked_at", "revoked_by"])
        if token.kind == TokenKind.ORGANISATION:
            # The system user exists only for this token.
            User.objects.filter(pk=token.user_id).update(is_active=False)
    return token


# --- the organisation's answer to a nominee -------------------------------------------------------


NOMINEE_ACCEPT = "api.nominee_accept"


def nominee_accept(*, actor: Any, offer: Offer, note: str = "") -> Offer:
    """The organisation accepts the municipality's nominee for its dwelling. Recorded on the
    vacancy's timeline and in the audit trail; the offer itself is unchanged (the lease ends it).

    The organisation's note goes to the audit record only, never to the timeline: every viewer
    of the vacancy reads the timeline (the steering group too), and a note names whom it likes.
    Refused once the offer is no longer active or its lease is signed (as a rejection is); a
    second approval of the same offer changes nothing."""
    with audited(NOMINEE_ACCEPT, actor=actor, note=note.strip()) as write:
        vacancy = Vacancy.objects.select_for_update().get(pk=offer.vacancy_id)
        if not can_write_organisation(actor, vacancy.organisation_id):
            raise PermissionDenied
        offer = Offer.objects.select_for_update().get(pk=offer.pk)
        check_not_leased(offer)
        if offer.status not in (OfferStatus.PENDING, OfferStatus.ACCEPTED):
            raise ValidationError(
                _("The offer is no longer active (%(status)s).")
                % {"status": offer.get_status_display()},
                code="offer_not_active",
            )
        if AuditEvent.objects.filter(
            action=NOMINEE_ACCEPT, object_type=Offer._meta.label, object_id=str(offer.pk)
        ).exists():
            write.unchanged()  # approved before: one approval, one line
            return offer
        timeline_add(
            vacancy=vacancy,
            actor=actor,
            kind=EventKind.OFFER,
            offer=offer,
            from_status=offer.status,
            to_status=offer.status,
            summary=_("The organisation accepted the nominee."),
            name="offer.nominee_accepted",
        )
        write.record(instance=offer, before=None, after=None)
    return offer


# --- bulk stock upsert ----------------------------------------------------------------------------

STOCK_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS


@dataclass(frozen=True)
class StockUpsertResult:
    ok: bool
    errors: dict[str, list[str]]
    created: dict[str, int]
    updated: dict[str, int]
    rows: int


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    return str(value)


def stock_upsert(*, actor: Any, items: list[dict[str, Any]]) -> StockUpsertResult:
    """Upsert dwellings (with their organisation, department and entrance) in bulk with exactly
    the rules of the stock import (`anvis.stock.importing`): all or nothing, every error
    reported as `items[<index>].<field>`. Organisation staff may only write their own
    organisations (by CVR)."""
    # Only the keys an item has: a key left out keeps what is stored (null clears it), as a
    # column a file does not have.
    rows = [
        Row(
            index + 2,
            {column: _cell(item[column]).strip() for column in STOCK_COLUMNS if column in item},
        )
        for index, item in enumerate(items)
    ]
    result = import_stock_rows(rows, actor=actor, source="api", where=_item)
    errors: dict[str, list[str]] = {}
    for error in result.errors:
        errors.setdefault(_error_key(error), []).append(error.message)
    return StockUpsertResult(
        ok=result.ok,
        errors=errors,
        created=result.created,
        updated=result.updated,
        rows=result.rows,
    )


def _item(line: int) -> str:
    """The item a row stands for: line 1 is the header, item i is line i + 2."""
    return f"items[{line - 2}]"


def _error_key(error: RowError) -> str:
    if error.line < 2:
        return error.column or "non_field_errors"
    return f"{_item(error.line)}.{error.column}" if error.column else _item(error.line)


# --- webhook subscriptions ------------------------------------------------------------------------


def webhook_subscription_create(
    *,
    actor: Any,
    organisation: HousingOrganisation,
    url: str,
    event_types: list[str] | None = None,
    secret: str = "",
) -> WebhookSubscription:
    """Subscribe an organisation's endpoint (the API and the Django admin): its target and event
    types are checked by `WebhookSubscription.clean`."""
    if not can_write_organisation(actor, organisation.pk):
        raise PermissionDenied
    with audited("api.webhook_subscribe", actor=actor) as write:
        subscription = write.insert(
            WebhookSubscription(
                organisation=organisation,
                url=url,
                secret=secret or secrets.token_urlsafe(32),
                event_types=list(event_types or []),
            )
        )
    return subscription


def webhook_subscription_delete(*, actor: Any, subscription: WebhookSubscription) -> None:
    if not can_write_organisation(actor, subscription.organisation_id):
        raise PermissionDenied
    with audited("api.webhook_unsubscribe", actor=actor) as write:
        # A subscription is ended, not deleted; the audit row keeps it as it was.
        write.record(instance=subscription, before=snapshot(subscription), after=None)
        subscription.active = False
        subscription.save(update_fields=["active"])
