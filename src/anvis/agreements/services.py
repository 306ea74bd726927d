"""Writes for the agreements app. Each function owns one transaction, validates with Danish
messages (django ValidationError), locks what it changes and writes the audit trail."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anvis.audit.services import audit_record, snapshot
from anvis.stock.models import Department, Dwelling, HousingOrganisation
from anvis_core.calendar import add_working_days
from anvis_core.quotas import Outcome, can_set_outcome, check_turn_eligibility, decide_turn

from .explain import explain
from .models import (
    AgreementVersion,
    AllocationAgreement,
    DepartmentStep,
    GovernanceForum,
    HandheldRequest,
    HandheldStatus,
    OutcomeChoice,
    ReassessmentStatus,
    StepProposal,
    StepReassessment,
    TurnCounter,
    TurnRecord,
)

CENT = Decimal("0.01")

AGREEMENT_FIELDS = (
    "municipality",
    "title",
    "signed_on",
    "period_start",
    "period_end",
    "renegotiation_date",
    "notes",
)
VERSION_TERMS = tuple(f for f in AgreementVersion.TERM_FIELDS if f != "valid_from")
FORUM_FIELDS = ("kind", "name", "members", "meeting_frequency")
HANDHELD_FIELDS = (
    "organisation",
    "case_reference",
    "rooms",
    "max_rent",
    "need",
    "district_wishes",
    "requested_on",
)


def _pct(value: Decimal | int | str) -> Decimal:
    return Decimal(value).quantize(CENT)


def _last_judged(agreement: AllocationAgreement, **filters: Any) -> dt.date | None:
    value: dt.date | None = TurnRecord.objects.filter(agreement=agreement, **filters).aggregate(
        last=Max("report_date")
    )["last"]
    return value


# --- agreements ---------------------------------------------------------------------------------


@transaction.atomic
def agreement_create(
    *,
    actor: Any,
    municipality: str,
    title: str,
    period_start: dt.date,
    parties: Iterable[HousingOrganisation] = (),
    signed_on: dt.date | None = None,
    period_end: dt.date | None = None,
    renegotiation_date: dt.date | None = None,
    notes: str = "",
    terms: dict[str, Any] | None = None,
) -> AllocationAgreement:
    """Create an agreement and its first version (valid from the start), with default terms
    unless `terms` are given."""
    agreement = AllocationAgreement(
        municipality=municipality,
        title=title,
        signed_on=signed_on,
        period_start=period_start,
        period_end=period_end,
        renegotiation_date=renegotiation_date,
        notes=notes,
    )
    agreement.full_clean()
    agreement.save()
    agreement.parties.set(list(parties))
    audit_record(
        actor=actor,
        action="agreements.agreement_create",
        instance=agreement,
        after={**snapshot(agreement), "parties": sorted(p.pk for p in agreement.parties.all())},
    )
    initial = {"covered_dwelling_types": ["family"], **(terms or {})}
    agreement_version_create(actor=actor, agreement=agreement, valid_from=period_start, **initial)
    return agreement


@transaction.atomic
def agreement_update(
    *,
    actor: Any,
    agreement: AllocationAgreement,
    parties: Iterable[HousingOrganisation] | None = None,
    **fields: Any,
) -> AllocationAgreement:
    agreement = AllocationAgreement.objects.select_for_update().get(pk=agreement.pk)
    before = {
        **snapshot(agreement),
        "parties": sorted(agreement.parties.values_list("pk", flat=True)),
    }
    for name, value in fields.items():
        if name not in AGREEMENT_FIELDS:
            raise TypeError(f"unknown agreement field {name}")
        setattr(agreement, name, value)
    agreement.full_clean()
    errors: dict[str, Any] = {}
    first = agreement.versions.order_by("valid_from").first()
    if first and first.valid_from < agreement.period_start:
        errors["period_start"] = _(
            "The agreement cannot start after its first version (valid from %(date)s)."
        ) % {"date": first.valid_from.strftime("%d.%m.%Y")}
    judged = TurnRecord.objects.filter(agreement=agreement)
    outside = judged.filter(report_date__lt=agreement.period_start)
    if agreement.period_end:
        outside = judged.filter(
            Q(report_date__lt=agreement.period_start) | Q(report_date__gt=agreement.period_end)
        )
    if outside.exists():
        errors["period_end" if agreement.period_end else "period_start"] = _(
            "Vacancies have already been judged by the agreement outside this period."
        )
    if parties is not None:
        parties = list(parties)
        removed = set(before["parties"]) - {p.pk for p in parties}
        if removed and judged.filter(organisation__in=removed).exists():
            errors["parties"] = _(
                "A party whose vacancies have been judged by the agreement cannot be removed."
            )
    if errors:
        raise ValidationError(errors)
    agreement.save()
    if parties is not None:
        agreement.parties.set(parties)
    after = {
        **snapshot(agreement),
        "parties": sorted(agreement.parties.values_list("pk", flat=True)),
    }
    audit_record(
        actor=actor,
        action="agreements.agreement_update",
        instance=agreement,
        before=before,
        after=after,
    )
    return agreement


# --- versions -----------------------------------------------------------------------------------


def _check_not_before_judged(
    agreement: AllocationAgreement, valid_from: dt.date, name: str
) -> None:
    last = _last_judged(agreement)
    if last is not None and valid_from <= last:
        raise ValidationError(
            {
                name: _(
                    "Vacancies reported up to %(date)s have already been judged by the agreement; "
                    "a change must be valid from a later date."
                )
                % {"date": last.strftime("%d.%m.%Y")}
            }
        )


@transaction.atomic
def agreement_version_create(
    *, actor: Any, agreement: AllocationAgreement, valid_from: dt.date, **terms: Any
) -> AgreementVersion:
    """A change of terms: a new version valid from `valid_from`. Unset terms are copied from the
    version in force on that date (or the model defaults)."""
    agreement = AllocationAgreement.objects.select_for_update().get(pk=agreement.pk)
    unknown = set(terms) - set(VERSION_TERMS)
    if unknown:
        raise TypeError(f"unknown terms {sorted(unknown)}")
    base = agreement.version_for(valid_from) or agreement.versions.order_by("valid_from").first()
    values = {name: getattr(base, name) for name in VERSION_TERMS} if base else {}
    values.update(terms)
    version = AgreementVersion(
        agreement=agreement, valid_from=valid_from, created_by=_user(actor), **values
    )
    version.full_clean()
    _check_not_before_judged(agreement, valid_from, "valid_from")
    version.save()
    audit_record(
        actor=actor, action="agreements.version_create", instance=version, after=snapshot(version)
    )
    return version


@transaction.atomic
def agreement_version_update(
    *, actor: Any, version: AgreementVersion, today: dt.date | None = None, **terms: Any
) -> AgreementVersion:
    """Correct a version that has not judged any vacancy yet. A version in use is superseded by a
    new version instead; a valid-from date in the past is never moved."""
    today = today or timezone.localdate()
    version = (
        AgreementVersion.objects.select_for_update().select_related("agreement").get(pk=version.pk)
    )
    if version.is_used():
        raise ValidationError(
            _(
                "This version has been used to judge vacancies and cannot be changed. "
                "Create a new version instead."
            )
        )
    before = snapshot(version)
    new_from = terms.pop("valid_from", version.valid_from)
    unknown = set(terms) - set(VERSION_TERMS)
    if unknown:
        raise TypeError(f"unknown terms {sorted(unknown)}")
    if new_from != version.valid_from:
        if version.valid_from < today:
            raise ValidationError(
                {
                    "valid_from": _(
                        "The version is already in force; "
                        "its valid-from date can no longer be changed."
                    )
                }
            )
        if new_from < today:
            raise ValidationError(
                {"valid_from": _("The valid-from date cannot be moved into the past.")}
            )
        _check_not_before_judged(version.agreement, new_from, "valid_from")
    version.valid_from = new_from
    for name, value in terms.items():
        setattr(version, name, value)
    version.full_clean()
    version.save()
    audit_record(
        actor=actor,
        action="agreements.version_update",
        instance=version,
        before=before,
        after=snapshot(version),
    )
    return version


# --- fora ---------------------------------------------------------------------------------------


@transaction.atomic
def forum_save(
    *,
    actor: Any,
    agreement: AllocationAgreement,
    forum: GovernanceForum | None = None,
    **fields: Any,
) -> GovernanceForum:
    before = snapshot(forum) if forum else None
    forum = forum or GovernanceForum(agreement=agreement)
    for name, value in fields.items():
        if name not in FORUM_FIELDS:
            raise TypeError(f"unknown forum field {name}")
        setattr(forum, name, value)
    forum.full_clean()
    forum.save()
    audit_record(
        actor=actor,
        action="agreements.forum_save",
        instance=forum,
        before=before,
        after=snapshot(forum),
    )
    return forum


# --- department steps ---------------------------------------------------------------------------


def _check_step(
    agreement: AllocationAgreement,
    department: Department,
    share_percent: Decimal,
    valid_from: dt.date,
) -> None:
    errors: dict[str, Any] = {}
    if not agreement.parties.filter(pk=department.organisation_id).exists():
        errors["department"] = _(
            "The department's housing organisation is not a party to the agreement."
        )
    if not Decimal(0) <= Decimal(share_percent) <= Decimal(100):
        errors["share_percent"] = _("The municipal share must be between 0 and 100 %.")
    if valid_from < agreement.period_start:
        errors["valid_from"] = _("A step cannot be valid before the agreement starts.")
    elif agreement.period_end and valid_from > agreement.period_end:
        errors["valid_from"] = _("A step cannot be valid after the agreement ends.")
    else:
        last = _last_judged(agreement, department=department)
        if last is not None and valid_from <= last:
            errors["valid_from"] = _(
                "Vacancies in this department reported up to %(date)s have already been judged; "
                "the new step must be valid from a later date."
            ) % {"date": last.strftime("%d.%m.%Y")}
    if (
        "valid_from" not in errors
        and DepartmentStep.objects.filter(
            agreement=agreement, department=department, valid_from=valid_from
        ).exists()
    ):
        errors["valid_from"] = _("The department already has a step valid from this date.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
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
    AllocationAgreement.objects.select_for_update().get(pk=agreement.pk)
    _check_step(agreement, department, share_percent, valid_from)
    step = DepartmentStep(
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
    step.full_clean()
    step.save()
    audit_record(actor=actor, action="agreements.step_set", instance=step, after=snapshot(step))
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
    return label or f"{share.normalize():f} %"


@transaction.atomic
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
    audit_record(
        actor=actor,
        action="agreements.step_proposals_submit",
        instance=reassessment,
        after={"year": year, "proposals": [[d.pk, str(s), r] for d, s, r in proposals]},
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


@transaction.atomic
def step_reassessment_approve(
    *, actor: Any, reassessment: StepReassessment, effective_from: dt.date
) -> list[DepartmentStep]:
    """Approve the proposals: each becomes the department's step from `effective_from`, with the
    approver recorded."""
    reassessment = (
        StepReassessment.objects.select_for_update()
        .select_related("agreement")
        .get(pk=reassessment.pk)
    )
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
    before = snapshot(reassessment)
    reassessment.status = ReassessmentStatus.APPROVED
    reassessment.effective_from = effective_from
    reassessment.approved_by = _user(actor)
    reassessment.approved_at = timezone.now()
    reassessment.save()
    audit_record(
        actor=actor,
        action="agreements.reassessment_approve",
        instance=reassessment,
        before=before,
        after=snapshot(reassessment),
    )
    return steps


# --- håndholdte requests ------------------------------------------------------------------------


@transaction.atomic
def handheld_request_create(
    *, actor: Any, agreement: AllocationAgreement, **fields: Any
) -> HandheldRequest:
    unknown = set(fields) - set(HANDHELD_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    request = HandheldRequest(agreement=agreement, created_by=_user(actor), **fields)
    request.full_clean()
    if (
        request.organisation_id
        and not agreement.parties.filter(pk=request.organisation_id).exists()
    ):
        raise ValidationError(
            {"organisation": _("The housing organisation is not a party to the agreement.")}
        )
    request.save()
    audit_record(
        actor=actor, action="agreements.handheld_create", instance=request, after=snapshot(request)
    )
    return request


@transaction.atomic
def handheld_request_close(
    *,
    actor: Any,
    request: HandheldRequest,
    status: str,
    closed_on: dt.date,
    met_by: Dwelling | None = None,
    closing_note: str = "",
) -> HandheldRequest:
    request = HandheldRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != HandheldStatus.OPEN:
        raise ValidationError(_("The request is already closed."))
    if status not in {HandheldStatus.MET, HandheldStatus.WITHDRAWN}:
        raise ValidationError({"status": _("Choose met or withdrawn.")})
    if status == HandheldStatus.MET and met_by is None:
        raise ValidationError({"met_by": _("Choose the dwelling that met the request.")})
    if closed_on < request.requested_on:
        raise ValidationError({"closed_on": _("The request cannot be closed before it was made.")})
    before = snapshot(request)
    request.status = status
    request.closed_on = closed_on
    request.met_by = met_by if status == HandheldStatus.MET else None
    request.closing_note = closing_note
    request.full_clean()
    request.save()
    audit_record(
        actor=actor,
        action="agreements.handheld_close",
        instance=request,
        before=before,
        after=snapshot(request),
    )
    return request


# --- whose turn ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TurnResult:
    """The answer to "whose turn is this vacancy?" with the record the ledger counts."""

    eligible: bool
    municipal: bool
    reason_code: str
    reason_params: dict[str, Any] = field(default_factory=dict)
    share_percent: Decimal | None = None
    record: TurnRecord | None = None
    version: AgreementVersion | None = None
    report_date: dt.date | None = None

    @property
    def explanation(self) -> str:
        return explain(self.reason_code, self.reason_params)

    @property
    def response_deadline(self) -> dt.date | None:
        """The municipality's answer deadline for a municipal turn (working days)."""
        if not self.municipal or self.version is None or self.report_date is None:
            return None
        return add_working_days(self.report_date, self.version.response_deadline_working_days)


def agreement_for_organisation(organisation_id: int, day: dt.date) -> AllocationAgreement | None:
    return (
        AllocationAgreement.objects.filter(parties=organisation_id, period_start__lte=day)
        .filter(Q(period_end__isnull=True) | Q(period_end__gte=day))
        .order_by("-period_start", "pk")
        .first()
    )


@transaction.atomic
def turn_decide(
    *,
    dwelling: Dwelling,
    report_date: dt.date,
    actor: Any = None,
    unusable: Sequence[Mapping[str, Any]] = (),
    rent: int | None = None,
) -> TurnResult:
    """Judge a reported vacancy by the agreement version valid on `report_date`: is it eligible,
    and is it the municipality's turn? Persists the bucket counter (locked) and a `TurnRecord`
    (outcome pending for a municipal turn, ordinary otherwise).

    ``unusable``: the reasons (code and params, from the placement gate) why the municipality
    cannot use the dwelling on the report day — its department closed by monitoring, its
    stairwell or department cap reached. Such an eligible vacancy is not a municipal turn: it is
    recorded as ``blocked`` (counted on its own in the ledger, neither owed nor delivered) and
    the turn counter does not move, so the next usable vacancy takes the turn.

    ``rent``: the rent at letting the organisation reports (default: the stock record's rent);
    the ceiling is judged on it (and the dwelling's a conto when the agreement judges gross rent),
    and the judgement is part of the explanation."""
    dwelling = Dwelling.objects.select_related("entrance__department").get(pk=dwelling.pk)
    department = dwelling.entrance.department
    agreement = agreement_for_organisation(department.organisation_id, report_date)
    version = agreement.version_for(report_date) if agreement else None
    if agreement is None or version is None:
        return TurnResult(
            eligible=False, municipal=False, reason_code="no_agreement", report_date=report_date
        )
    step = step_for(agreement, department, report_date)
    share_percent = _pct(step.share_percent if step else version.municipal_share_percent)
    eligibility = check_turn_eligibility(
        dwelling_type=dwelling.dwelling_type,
        rent=dwelling.rent if rent is None else rent,
        covered_types=set(version.covered_dwelling_types),
        rent_ceiling=version.rent_ceiling,
        aconto=dwelling.aconto,
        ceiling_basis=version.rent_ceiling_basis,
        ceiling_comparison=version.rent_ceiling_comparison,
    )
    record = TurnRecord(
        agreement=agreement,
        version=version,
        organisation_id=department.organisation_id,
        department=department,
        dwelling=dwelling,
        report_date=report_date,
        share_percent=share_percent,
        step_label=step.label if step else "",
    )
    if not eligibility.eligible:
        record.eligible = record.municipal = False
        record.outcome = Outcome.ORDINARY
        record.reason_code = "not_eligible"
        record.reason_params = {
            "reasons": [{"code": r.code, "params": r.params} for r in eligibility.reasons]
        }
    elif unusable:
        record.eligible = True
        record.municipal = False
        record.outcome = Outcome.BLOCKED
        record.reason_code = "unusable"
        record.reason_params = {
            "reasons": [{"code": r["code"], "params": dict(r["params"])} for r in unusable]
        }
    else:
        counter, _created = TurnCounter.objects.get_or_create(
            agreement=agreement,
            organisation_id=department.organisation_id,
            share_percent=share_percent,
        )
        counter = TurnCounter.objects.select_for_update().get(pk=counter.pk)
        decision = decide_turn(counter.state, step.share if step else version.share)
        counter.set_state(decision.after)
        counter.save()
        record.eligible = True
        record.municipal = decision.municipal
        record.outcome = Outcome.PENDING if decision.municipal else Outcome.ORDINARY
        record.reason_code = decision.reason_code
        record.reason_params = dict(decision.params)
    if record.eligible and eligibility.ceiling is not None:
        record.reason_params = {**record.reason_params, "ceiling": eligibility.ceiling.params()}
    record.save()
    audit_record(
        actor=actor, action="agreements.turn_decide", instance=record, after=snapshot(record)
    )
    return TurnResult(
        eligible=record.eligible,
        municipal=record.municipal,
        reason_code=record.reason_code,
        reason_params=record.reason_params,
        share_percent=share_percent,
        record=record,
        version=version,
        report_date=report_date,
    )


@transaction.atomic
def turn_outcome_set(*, record: TurnRecord, outcome: str, actor: Any) -> TurnRecord:
    """Settle a turn: pending → accepted / declined_by_municipality / expired, or an ordinary
    eligible vacancy the municipality took anyway → accepted. Settled outcomes are final."""
    record = TurnRecord.objects.select_for_update().get(pk=record.pk)
    try:
        new = Outcome(outcome)
    except ValueError as exc:
        raise ValidationError(_("Unknown outcome.")) from exc
    if not can_set_outcome(Outcome(record.outcome), new) or (
        not record.eligible and new != record.outcome
    ):
        raise ValidationError(
            _("The outcome of this vacancy cannot be changed from %(current)s to %(new)s.")
            % {
                "current": record.get_outcome_display(),
                "new": dict(OutcomeChoice.choices)[new],
            }
        )
    before = snapshot(record)
    record.outcome = new
    record.outcome_set_at = timezone.now()
    record.outcome_set_by = _user(actor)
    record.save(update_fields=["outcome", "outcome_set_at", "outcome_set_by"])
    audit_record(
        actor=actor,
        action="agreements.turn_outcome_set",
        instance=record,
        before=before,
        after=snapshot(record),
    )
    return record


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None
