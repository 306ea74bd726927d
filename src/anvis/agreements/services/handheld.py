"""Services of håndholdt requests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from anvis.audit.services import audited
from anvis.stock.models import Dwelling

from ..models import (
    AllocationAgreement,
    HandheldRequest,
    HandheldStatus,
)
from .common import HANDHELD_FIELDS, _user


def handheld_request_create(
    *, actor: Any, agreement: AllocationAgreement, **fields: Any
) -> HandheldRequest:
    unknown = set(fields) - set(HANDHELD_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    with audited("agreements.handheld_create", actor=actor) as write:
        request = write.created(
            HandheldRequest(agreement=agreement, created_by=_user(actor), **fields)
        )
        request.full_clean()
        if (
            request.organisation_id
            and not agreement.parties_on(request.requested_on)
            .filter(pk=request.organisation_id)
            .exists()
        ):
            raise ValidationError(
                {"organisation": _("The housing organisation is not a party to the agreement.")}
            )
        request.save()
    return request


def handheld_request_close(
    *,
    actor: Any,
    request: HandheldRequest,
    status: str,
    closed_on: dt.date,
    met_by: Dwelling | None = None,
    closing_note: str = "",
) -> HandheldRequest:
    with audited("agreements.handheld_close", actor=actor) as write:
        request = write.track(HandheldRequest.objects.select_for_update().get(pk=request.pk))
        _close(request, status, closed_on, met_by, closing_note)
    return request


def _close(
    request: HandheldRequest,
    status: str,
    closed_on: dt.date,
    met_by: Dwelling | None,
    closing_note: str,
) -> None:
    if request.status != HandheldStatus.OPEN:
        raise ValidationError(_("The request is already closed."))
    if status not in {HandheldStatus.MET, HandheldStatus.WITHDRAWN}:
        raise ValidationError({"status": _("Choose met or withdrawn.")})
    if status == HandheldStatus.MET and met_by is None:
        raise ValidationError({"met_by": _("Choose the dwelling that met the request.")})
    if status == HandheldStatus.MET and met_by is not None:
        _check_met_by(request, met_by)
    if closed_on < request.requested_on:
        raise ValidationError({"closed_on": _("The request cannot be closed before it was made.")})
    request.status = status
    request.closed_on = closed_on
    request.met_by = met_by if status == HandheldStatus.MET else None
    request.closing_note = closing_note
    request.full_clean()
    request.save()


def _check_met_by(request: HandheldRequest, dwelling: Dwelling) -> None:
    """The dwelling that met a request is one of the organisation it was sent to (of a party to
    the agreement, when it was sent to all): that organisation reads the request and the
    dwelling."""
    owner = Dwelling.objects.filter(pk=dwelling.pk).values_list(
        "entrance__department__organisation_id", flat=True
    )[0]
    if request.organisation is not None:
        if owner != request.organisation.pk:
            raise ValidationError(
                {
                    "met_by": _(
                        "The dwelling does not belong to %(organisation)s, to which the request "
                        "was sent."
                    )
                    % {"organisation": request.organisation.name}
                }
            )
    elif not request.agreement.parties.filter(pk=owner).exists():
        raise ValidationError(
            {
                "met_by": _(
                    "The dwelling does not belong to one of the agreement's parties, to which "
                    "the request was sent."
                )
            }
        )


# --- whose turn ---------------------------------------------------------------------------------
