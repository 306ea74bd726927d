"""Guarantee claims under the agreement: submitted by the organisation, decided by the
municipality."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anvis.audit.services import audited
from anvis.common import formats as fmt
from anvis.common.clock import local_today
from anvis_core.workflow.guarantee import (
    ClaimProblem,
    GuaranteeKind,
    GuaranteeTerms,
    check_guarantee_claim,
)

from ..choices import ClaimStatus, EventKind, GuaranteeKindChoice
from ..limits import MAX_CLAIM_DESCRIPTION
from ..models import GuaranteeClaim, Lease
from ..timeline import timeline_add
from ._common import (
    _check_org_writer,
    _user,
    check_length,
)

CLAIM_PROBLEMS = {
    ClaimProblem.NOT_COVERED: (
        "kind",
        gettext_lazy("The agreement does not cover this kind of claim."),
    ),
    ClaimProblem.BEFORE_LEASE: (
        "event_date",
        gettext_lazy("The date is before the lease started."),
    ),
    ClaimProblem.AFTER_PERIOD: (
        "event_date",
        gettext_lazy("The date is after the guarantee period (%(months)s months from %(start)s)."),
    ),
    ClaimProblem.IN_THE_FUTURE: (
        "event_date",
        gettext_lazy("The date is after today: a claim is for what has happened."),
    ),
    ClaimProblem.NOT_POSITIVE: ("amount", gettext_lazy("The amount must be more than 0 kr.")),
    ClaimProblem.OVER_MAXIMUM: (
        "amount",
        gettext_lazy("The claims would exceed the agreement's maximum (%(maximum)s)."),
    ),
}


def _terms(lease: Lease) -> GuaranteeTerms | None:
    version = lease.vacancy.judged_by
    if version is None:
        return None
    return GuaranteeTerms(
        move_out_repairs=version.guarantee_move_out_repairs,
        first_year_arrears=version.guarantee_first_year_arrears,
        period_months=version.guarantee_period_months,
        max_repairs=version.guarantee_max_repairs,
        max_arrears=version.guarantee_max_arrears,
        repairs_period_months=version.guarantee_repairs_period_months,
        documentation=version.guarantee_documentation,
    )


def guarantee_terms(lease: Lease) -> GuaranteeTerms | None:
    """The guarantee terms of the agreement version that judged the lease's vacancy."""
    return _terms(lease)


def _claimed(lease: Lease, kind: str, exclude_pk: int | None = None) -> int:
    qs = GuaranteeClaim.objects.filter(
        lease=lease, kind=kind, status__in=[ClaimStatus.SUBMITTED, ClaimStatus.APPROVED]
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return int(qs.aggregate(total=Sum("amount"))["total"] or 0)


def _check_not_twice(
    lease: Lease, kind: str, event_date: dt.date, amount: int, deciding: int | None = None
) -> None:
    """The same claim (lease, kind, date and amount) is not paid twice: one submitted or
    approved is enough. When ``deciding`` a claim, the one submitted first of two identical
    ones may be approved, the later not."""
    same = GuaranteeClaim.objects.filter(
        lease=lease,
        kind=kind,
        event_date=event_date,
        amount=amount,
        status__in=[ClaimStatus.SUBMITTED, ClaimStatus.APPROVED],
    )
    if deciding is not None:
        same = same.exclude(pk=deciding).filter(Q(status=ClaimStatus.APPROVED) | Q(pk__lt=deciding))
    first = same.order_by("submitted_on", "pk").first()
    if first is not None:
        raise ValidationError(
            _(
                "The same claim (kind, date and amount) was submitted on %(submitted)s and is "
                "%(status)s."
            )
            % {"submitted": fmt.date(first.submitted_on), "status": first.get_status_display()},
            code="claim_twice",
        )


def _check_claim(
    lease: Lease, kind: str, event_date: dt.date, amount: int, claimed: int, today: dt.date
) -> None:
    terms = _terms(lease)
    if terms is None:
        raise ValidationError(_("No agreement covered the vacancy; there is no guarantee."))
    problems = check_guarantee_claim(
        terms=terms,
        kind=GuaranteeKind(kind),
        lease_start=lease.starts_on,
        event_date=event_date,
        amount=amount,
        already_claimed=claimed,
        today=today,
    )
    if problems:
        errors: dict[str, list[str]] = {}
        params = {
            "months": terms.period(GuaranteeKind(kind)),
            "start": fmt.date(lease.starts_on),
            "maximum": fmt.money(terms.maximum(GuaranteeKind(kind))),
        }
        for problem in problems:
            field_name, message = CLAIM_PROBLEMS[problem]
            errors.setdefault(field_name, []).append(str(message) % params)
        raise ValidationError(errors)


def guarantee_claim_submit(
    *,
    actor: Any,
    lease: Lease,
    kind: str,
    event_date: dt.date,
    amount: int,
    description: str,
    today: dt.date | None = None,
) -> GuaranteeClaim:
    """The organisation registers a claim under the guarantee of a tenancy the municipality
    placed; checked against the agreement version that judged the vacancy."""
    if kind not in GuaranteeKindChoice.values:
        raise ValidationError({"kind": _("Choose the kind of claim.")})
    if not description.strip():
        raise ValidationError({"description": _("Describe the claim.")})
    check_length("description", description, MAX_CLAIM_DESCRIPTION)
    with audited("vacancies.claim_submit", actor=actor) as write:
        lease = (
            Lease.objects.select_for_update(of=("self",))
            .select_related("vacancy__turn_record__version")
            .get(pk=lease.pk)
        )
        _check_org_writer(actor, lease.vacancy.organisation_id)
        if lease.is_cancelled:
            raise ValidationError(
                _("The lease was cancelled before move-in; there is no tenancy to claim for."),
                code="lease_cancelled",
            )
        _check_not_twice(lease, kind, event_date, amount)
        _check_claim(lease, kind, event_date, amount, _claimed(lease, kind), local_today(today))
        claim = write.created(
            GuaranteeClaim.objects.create(
                lease=lease,
                kind=kind,
                event_date=event_date,
                amount=amount,
                description=description.strip(),
                submitted_on=local_today(today),
                submitted_by=_user(actor),
            )
        )
        timeline_add(
            vacancy=lease.vacancy,
            actor=_user(actor),
            kind=EventKind.GUARANTEE,
            to_status=ClaimStatus.SUBMITTED,
            summary=f"{claim.get_kind_display()}: {fmt.money(amount)}",
        )
    return claim


def guarantee_claim_decide(
    *,
    actor: Any,
    claim: GuaranteeClaim,
    approve: bool,
    reason: str = "",
    today: dt.date | None = None,
) -> GuaranteeClaim:
    """The municipality approves or rejects (with a reason) a submitted claim."""
    reason = reason.strip()
    if not approve and not reason:
        raise ValidationError({"reason": _("Give a reason for rejecting the claim.")})
    with audited("vacancies.claim_decide", actor=actor) as write:
        lease = (
            Lease.objects.select_for_update(of=("self",))
            .select_related("vacancy__turn_record__version")
            .get(pk=claim.lease_id)
        )
        claim = write.track(GuaranteeClaim.objects.select_for_update().get(pk=claim.pk))
        if claim.status != ClaimStatus.SUBMITTED:
            raise ValidationError(
                _("The claim is already decided (%(status)s).")
                % {"status": claim.get_status_display()}
            )
        if approve:
            _check_not_twice(lease, claim.kind, claim.event_date, claim.amount, claim.pk)
            _check_claim(
                lease,
                claim.kind,
                claim.event_date,
                claim.amount,
                _claimed(lease, claim.kind, exclude_pk=claim.pk),
                local_today(today),
            )
        claim.status = ClaimStatus.APPROVED if approve else ClaimStatus.REJECTED
        claim.decision_reason = reason
        claim.decided_on = local_today(today)
        claim.decided_by = _user(actor)
        claim.save()
        timeline_add(
            vacancy=lease.vacancy,
            actor=_user(actor),
            kind=EventKind.GUARANTEE,
            from_status=ClaimStatus.SUBMITTED,
            to_status=claim.status,
            summary=f"{claim.get_kind_display()}: {fmt.money(claim.amount)}",
        )
    return claim
