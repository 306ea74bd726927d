"""Monthly void-rent statements: approval freezes them, corrections are new lines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anvis.audit.services import audited
from anvis.common import formats as fmt
from anvis.common.clock import local_today
from anvis.events import publish
from anvis.permissions import LEAD, user_has_role
from anvis_core.cpr import contains_cpr
from anvis_core.workflow.statement import as_record, content_hash

from ..models import (
    MonthlyStatement,
    StatementCorrection,
    Vacancy,
)
from ._common import (
    _user,
    cpr_in_reason_message,
)


def lock_statements(organisation_id: int) -> None:
    """Lock an organisation's monthly statements (its row), first in the lock order: approving
    a month and a write that corrects approved months (a lease, its cancellation, an
    acceptance, `lease._correct_approved_statements`) take turns, so the approval either
    computes the month with that write or is there for the write to correct."""
    from anvis.stock.models import HousingOrganisation

    HousingOrganisation.objects.select_for_update().filter(pk=organisation_id).first()


def statement_approve(
    *, actor: Any, organisation_id: int, month: dt.date, today: dt.date | None = None
) -> MonthlyStatement:
    """The allocation lead approves an organisation's statement for a month that has ended: the
    lines and totals are frozen as JSON with their SHA-256 and never change again."""
    from anvis.stock.models import HousingOrganisation

    from ..selectors import statement_compute

    day = local_today(today)
    if not user_has_role(actor, LEAD):
        raise PermissionDenied
    first = month.replace(day=1)
    with audited("vacancies.statement_approve", actor=actor) as write:
        lock_statements(organisation_id)
        organisation = HousingOrganisation.objects.get(pk=organisation_id)
        computed = statement_compute(organisation_id=organisation_id, month=first, as_of=day)
        if not computed.complete:
            raise ValidationError(
                _("The statement for %(month)s can be approved when the month has ended.")
                % {"month": fmt.month(first)},
                code="month_not_ended",
            )
        if MonthlyStatement.objects.filter(organisation=organisation, month=first).exists():
            raise ValidationError(
                _("The statement for %(month)s is already approved; correct it with a new line.")
                % {"month": fmt.month(first)},
                code="already_approved",
            )
        record = as_record(computed)
        statement = MonthlyStatement.objects.create(
            organisation=organisation,
            month=first,
            content=record,
            content_hash=content_hash(record),
            approved_by=_user(actor),
        )
        # The content is frozen under its hash; the audit row names the two.
        write.record(
            instance=statement,
            before=None,
            after={"month": first.isoformat(), "sha256": statement.content_hash},
        )
    return statement


REPEAT_WINDOW = dt.timedelta(minutes=10)
"""How long an identical correction by the same user counts as the same post made again."""


def statement_correct(
    *,
    actor: Any,
    statement: MonthlyStatement,
    amount: Decimal,
    reason: str,
    vacancy: Vacancy | None = None,
) -> StatementCorrection:
    """A correction to an approved statement: a new line (positive or negative), never an edit
    of the frozen lines. The allocation lead's.

    A form posted twice (a double click, a reload) adds one line: a line identical to one the
    same user added to the statement within `REPEAT_WINDOW` (the amount, the reason and the
    vacancy) is not written again but returned, marked `repeated`. The organisation's row is
    locked first (`lock_statements`), so two such posts at the same moment take turns and the
    second finds the first's line. The same correction made again later is a line of its own."""
    if not user_has_role(actor, LEAD):
        raise PermissionDenied
    with transaction.atomic():
        lock_statements(statement.organisation_id)
        same = StatementCorrection.objects.filter(
            statement=statement,
            vacancy=vacancy,
            amount=amount,
            reason=reason.strip(),
            created_by=_user(actor),
            created_at__gte=timezone.now() - REPEAT_WINDOW,
        ).first()
        if same is not None:
            same.repeated = True
            return same
        return correction_write(
            actor=actor, statement=statement, amount=amount, reason=reason, vacancy=vacancy
        )


def correction_write(
    *,
    actor: Any,
    statement: MonthlyStatement,
    amount: Decimal,
    reason: str,
    vacancy: Vacancy | None = None,
) -> StatementCorrection:
    """The correction line itself, checked and audited: by the lead (:func:`statement_correct`)
    or by the flow when a registration changes what an approved month owes (a lease starting
    in an approved month)."""
    reason = reason.strip()
    errors: dict[str, Any] = {}
    if not reason:
        errors["reason"] = _("Give the reason for the correction.")
    elif contains_cpr(reason):
        errors["reason"] = cpr_in_reason_message()
    if amount == 0:
        errors["amount"] = _("A correction cannot be 0 kr.")
    if vacancy is not None and vacancy.organisation_id != statement.organisation_id:
        errors["vacancy"] = _("The vacancy belongs to another housing organisation.")
    if errors:
        raise ValidationError(errors)
    with audited("vacancies.statement_correct", actor=actor) as write:
        correction = write.created(
            StatementCorrection.objects.create(
                statement=statement,
                vacancy=vacancy,
                amount=amount,
                reason=reason,
                created_by=_user(actor),
            )
        )
        # An approved statement has been paid on: whoever pays or is paid learns of the change.
        publish(
            "statement.corrected",
            actor=actor,
            organisation_id=statement.organisation_id,
            correction_id=correction.pk,
        )
    return correction
