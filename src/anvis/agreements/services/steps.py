"""Services of the department steps and the yearly reassessment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anvis.audit.services import audited
from anvis.common import formats as fmt
from anvis.stock.models import Department
from anvis_core.cpr import contains_cpr

from ..models import (
    AllocationAgreement,
    DepartmentStep,
    ReassessmentStatus,
    StepProposal,
    StepReassessment,
)
from .common import _pct, _user, first_change_day


def _reason_errors(reason: str) -> dict[str, Any]:
    """A step's reason is read by the department's housing organisation and the steering group,
    in the step history and the reassessment: it names no citizen."""
    if contains_cpr(reason):
        return {
            "reason": _(
                "Do not write CPR numbers here: the housing organisation and the steering group "
                "read the reason."
            )
        }
    return {}


def _check_step(
    agreement: AllocationAgreement,
    department: Department,
    share_percent: Decimal,
    valid_from: dt.date,
    reason: str = "",
) -> None:
    errors: dict[str, Any] = _reason_errors(reason)
    # Named: the yearly approval sets many departments' steps and shows the refusal alone.
    named = {"department": f"{department.number} {department.name}"}
    if not agreement.parties.filter(pk=department.organisation_id).exists():
        errors["department"] = (
            _(
                "Department %(department)s belongs to a housing organisation that is not a "
                "party to the agreement."
            )
            % named
        )
    if not Decimal(0) <= Decimal(share_percent) <= Decimal(100):
        errors["share_percent"] = _("The municipal share must be between 0 and 100 %.")
    if valid_from < agreement.period_start:
        errors["valid_from"] = _("A step cannot be valid before the agreement starts.")
    elif agreement.period_end and valid_from > agreement.period_end:
        errors["valid_from"] = _("A step cannot be valid after the agreement ends.")
    else:
        first = first_change_day(agreement, department=department)
        if first is not None and valid_from < first:
            errors["valid_from"] = _(
                "Vacancies in department %(department)s reported up to %(date)s have already "
                "been judged; its new step must be valid from %(first)s or later."
            ) % {
                **named,
                "date": fmt.date(first - dt.timedelta(days=1)),
                "first": fmt.date(first),
            }
    if (
        "valid_from" not in errors
        and DepartmentStep.objects.filter(
            agreement=agreement, department=department, valid_from=valid_from
        ).exists()
    ):
        errors["valid_from"] = (
            _("Department %(department)s already has a step valid from this date.") % named
        )
    if errors:
        raise ValidationError(errors)


def department_step_set(
    *,
    actor: Any,
    agreement: AllocationAgreement,
    department: Department,
    label: str,
    share_percent: Decimal,
    valid_from: dt.date,
    reason: str,
    reassessment: StepReassessment | None = None,
) -> DepartmentStep:
    """Place a department on a step from `valid_from`. The previous step stays in the history."""
    with audited("agreements.step_set", actor=actor) as write:
        AllocationAgreement.objects.select_for_update().get(pk=agreement.pk)
        _check_step(agreement, department, share_percent, valid_from, reason)
        step = write.insert(
            DepartmentStep(
                agreement=agreement,
                department=department,
                label=label,
                share_percent=_pct(share_percent),
                valid_from=valid_from,
                reason=reason,
                reassessment=reassessment,
                approved_by=_user(actor),
                approved_at=timezone.now(),
            )
        )
    return step


def step_for(
    agreement: AllocationAgreement, department: Department, day: dt.date
) -> DepartmentStep | None:
    return (
        DepartmentStep.objects.filter(
            agreement=agreement, department=department, valid_from__lte=day
        )
        .order_by("-valid_from")
        .first()
    )


def _label_for_share(agreement: AllocationAgreement, share: Decimal) -> str:
    label = (
        DepartmentStep.objects.filter(agreement=agreement, share_percent=share)
        .order_by("-valid_from")
        .values_list("label", flat=True)
        .first()
    )
    return label or fmt.percent(share, None)


def reassessment_open(*, actor: Any, agreement: AllocationAgreement, year: int) -> StepReassessment:
    """The year's reassessment of the department steps, opened once: a year already opened (or
    approved) is returned as it is, without an audit row."""
    with audited("agreements.reassessment_open", actor=actor) as write:
        AllocationAgreement.objects.select_for_update().get(pk=agreement.pk)
        found = StepReassessment.objects.filter(agreement=agreement, year=year).first()
        if found is not None:
            write.unchanged()
            return found
        return write.insert(StepReassessment(agreement=agreement, year=year))


def step_proposals_submit(
    *,
    actor: Any,
    year: int,
    proposals: Sequence[tuple[Department, Decimal, str]],
    agreement: AllocationAgreement | None = None,
) -> StepReassessment:
    """Propose steps for `year`: (department, share %, reason) per department. A later proposal
    for the same department replaces the earlier one while the reassessment is open. The step
    label is the one the agreement already uses for that share. Without `agreement`, the
    agreement the departments' organisations are party to in that year is used."""
    if agreement is None:
        agreement = _agreement_for_departments([d for d, _s, _r in proposals], year)
    with audited("agreements.step_proposals_submit", actor=actor) as write:
        reassessment = _proposals_save(actor, agreement, year, proposals)
        write.record(
            instance=reassessment,
            before=None,
            after={"year": year, "proposals": [[d.pk, str(s), r] for d, s, r in proposals]},
        )
    return reassessment


def _proposals_save(
    actor: Any,
    agreement: AllocationAgreement,
    year: int,
    proposals: Sequence[tuple[Department, Decimal, str]],
) -> StepReassessment:
    AllocationAgreement.objects.select_for_update().get(pk=agreement.pk)
    reassessment, _created = StepReassessment.objects.get_or_create(agreement=agreement, year=year)
    reassessment = StepReassessment.objects.select_for_update().get(pk=reassessment.pk)
    if reassessment.status == ReassessmentStatus.APPROVED:
        raise ValidationError(
            _("The reassessment for %(year)s has already been approved.") % {"year": year}
        )
    for department, share, reason in proposals:
        share = _pct(share)
        if not Decimal(0) <= share <= Decimal(100):
            raise ValidationError(
                {"share_percent": _("The municipal share must be between 0 and 100 %.")}
            )
        if not agreement.parties.filter(pk=department.organisation_id).exists():
            raise ValidationError(
                {
                    "department": _(
                        "The department's housing organisation is not a party to the agreement."
                    )
                }
            )
        if not reason.strip():
            raise ValidationError({"reason": _("Give a reason for the proposed step.")})
        if errors := _reason_errors(reason):
            raise ValidationError(errors)
        StepProposal.objects.update_or_create(
            reassessment=reassessment,
            department=department,
            defaults={
                "share_percent": share,
                "reason": reason,
                "label": _label_for_share(agreement, share),
                "proposed_by": _user(actor),
            },
        )
    return reassessment


def _agreement_for_departments(departments: list[Department], year: int) -> AllocationAgreement:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    org_ids = {d.organisation_id for d in departments}
    candidates = list(
        AllocationAgreement.objects.filter(period_start__lte=end)
        .filter(Q(period_end__isnull=True) | Q(period_end__gte=start))
        .filter(parties__in=org_ids)
        .distinct()
    )
    if len(candidates) != 1:
        raise ValidationError(_("Choose the agreement the proposals belong to."))
    return candidates[0]


def step_reassessment_approve(
    *, actor: Any, reassessment: StepReassessment, effective_from: dt.date
) -> list[DepartmentStep]:
    """Approve the proposals: each becomes the department's step from `effective_from`, with the
    approver recorded."""
    with audited("agreements.reassessment_approve", actor=actor) as write:
        reassessment = write.track(
            StepReassessment.objects.select_for_update()
            .select_related("agreement")
            .get(pk=reassessment.pk)
        )
        return _approve(actor, reassessment, effective_from)


def _approve(
    actor: Any, reassessment: StepReassessment, effective_from: dt.date
) -> list[DepartmentStep]:
    if reassessment.status == ReassessmentStatus.APPROVED:
        raise ValidationError(_("The reassessment has already been approved."))
    proposals = list(reassessment.proposals.select_related("department").order_by("department_id"))
    if not proposals:
        raise ValidationError(_("There are no proposals to approve."))
    steps = [
        department_step_set(
            actor=actor,
            agreement=reassessment.agreement,
            department=p.department,
            label=p.label,
            share_percent=p.share_percent,
            valid_from=effective_from,
            reason=p.reason,
            reassessment=reassessment,
        )
        for p in proposals
    ]
    reassessment.status = ReassessmentStatus.APPROVED
    reassessment.effective_from = effective_from
    reassessment.approved_by = _user(actor)
    reassessment.approved_at = timezone.now()
    reassessment.save()
    return steps


# --- håndholdte requests ------------------------------------------------------------------------
