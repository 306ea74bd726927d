"""The turn engine's decisions and their outcomes, recorded as turn records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anvis.audit.services import audited
from anvis.stock.models import Department, Dwelling
from anvis_core.quotas import (
    Eligibility,
    Outcome,
    TurnDecision,
    can_set_outcome,
    check_turn_eligibility,
    decide_turn,
    judge_turn,
)
from anvis_core.workflow import response_deadline

from ..labels import explain
from ..models import (
    AgreementVersion,
    AllocationAgreement,
    OutcomeChoice,
    TurnCounter,
    TurnRecord,
)
from ..selectors import agreement_terms_on
from .common import _pct, _user, hold_terms
from .steps import step_for


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
        return response_deadline(self.report_date, self.version.response_deadline_working_days)


def turn_decide(
    *,
    dwelling: Dwelling,
    report_date: dt.date,
    actor: Any = None,
    unusable: Sequence[Mapping[str, Any]] = (),
    rent: int | None = None,
    aconto: int | None = None,
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
    the ceiling is judged on it (and on ``aconto``, the a conto at letting, default the stock
    record's, when the agreement judges gross rent), and the judgement is part of the
    explanation."""
    dwelling = Dwelling.objects.select_related("entrance__department").get(pk=dwelling.pk)
    department = dwelling.entrance.department
    with audited("agreements.turn_decide", actor=actor) as write:
        terms = _terms_held(report_date, department.organisation_id)
        if terms is None:
            write.unchanged()
            return TurnResult(
                eligible=False,
                municipal=False,
                reason_code="no_agreement",
                report_date=report_date,
            )
        agreement, version = terms
        record = write.created(
            _judged(dwelling, department, agreement, version, report_date, unusable, rent, aconto)
        )
        record.save()
    return TurnResult(
        eligible=record.eligible,
        municipal=record.municipal,
        reason_code=record.reason_code,
        reason_params=record.reason_params,
        share_percent=record.share_percent,
        record=record,
        version=version,
        report_date=report_date,
    )


def _terms_held(
    report_date: dt.date, organisation_id: int
) -> tuple[AllocationAgreement, AgreementVersion] | None:
    """The agreement and version that govern the organisation's vacancy on the day
    (`agreement_terms_on`), read again once the agreement is held (`hold_terms`): a change of
    terms that committed before the lock is seen, and none can commit until the judgement
    has."""
    terms = agreement_terms_on(report_date, {organisation_id})
    while terms is not None:
        hold_terms(terms[0])
        held = agreement_terms_on(report_date, {organisation_id})
        if held == terms:
            return terms
        terms = held
    return None


def _judged(
    dwelling: Dwelling,
    department: Department,
    agreement: AllocationAgreement,
    version: AgreementVersion,
    report_date: dt.date,
    unusable: Sequence[Mapping[str, Any]],
    rent: int | None,
    aconto: int | None = None,
) -> TurnRecord:
    """The vacancy's turn record, judged (not yet saved; a municipal turn moves the counter)."""
    step = step_for(agreement, department, report_date)
    share_percent = _pct(step.share_percent if step else version.municipal_share_percent)
    eligibility = check_turn_eligibility(
        dwelling_type=dwelling.dwelling_type,
        rent=dwelling.rent if rent is None else rent,
        covered_types=set(version.covered_dwelling_types),
        rent_ceiling=version.rent_ceiling,
        aconto=dwelling.aconto if aconto is None else aconto,
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
    _judge(
        record,
        eligibility=eligibility,
        unusable=unusable,
        share=step.share if step else version.share,
    )
    return record


def _judge(
    record: TurnRecord,
    *,
    eligibility: Eligibility,
    unusable: Sequence[Mapping[str, Any]],
    share: Fraction,
) -> None:
    """Set the record's outcome by the core's one judgement (`judge_turn`): ordinary when the
    dwelling is not eligible, blocked when the municipality cannot use it, otherwise the turn
    counter decides (`_take_turn`). An eligible dwelling's rent-ceiling judgement joins the
    explanation."""
    judgement = judge_turn(
        eligible=eligibility.eligible,
        unusable=bool(unusable),
        take_turn=lambda: _take_turn(record, share),
    )
    record.eligible = judgement.eligible
    record.municipal = judgement.municipal
    record.outcome = judgement.outcome
    record.reason_code = judgement.reason_code
    if judgement.decision is not None:
        record.reason_params = dict(judgement.decision.params)
    elif not judgement.eligible:
        record.reason_params = {
            "reasons": [{"code": r.code, "params": r.params} for r in eligibility.reasons]
        }
    else:
        record.reason_params = {
            "reasons": [{"code": r["code"], "params": dict(r["params"])} for r in unusable]
        }
    if record.eligible and eligibility.ceiling is not None:
        record.reason_params = {**record.reason_params, "ceiling": eligibility.ceiling.params()}


def _take_turn(record: TurnRecord, share: Fraction) -> TurnDecision:
    """An eligible, usable vacancy: the bucket's counter (locked) decides whose turn it is."""
    counter, _created = TurnCounter.objects.get_or_create(
        agreement=record.agreement,
        organisation_id=record.organisation_id,
        share_percent=record.share_percent,
    )
    counter = TurnCounter.objects.select_for_update().get(pk=counter.pk)
    decision = decide_turn(counter.state, share)
    counter.set_state(decision.after)
    counter.save()
    return decision


def turn_outcome_set(*, record: TurnRecord, outcome: str, actor: Any) -> TurnRecord:
    """Settle a turn: pending → accepted / declined_by_municipality / expired, or an ordinary
    eligible vacancy the municipality took anyway → accepted. Settled outcomes are final, but
    for a hand-back: accepted → ordinary, which marks the record as handed back."""
    with audited("agreements.turn_outcome_set", actor=actor) as write:
        record = write.track(TurnRecord.objects.select_for_update().get(pk=record.pk))
        _outcome_set(record, outcome, actor)
    return record


def _outcome_set(record: TurnRecord, outcome: str, actor: Any) -> None:
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
    # Accepted → ordinary is the one change of a settled outcome: the municipality handed the
    # dwelling back and the agreement does not count that as delivered (`can_set_outcome`).
    record.handed_back = record.outcome == Outcome.ACCEPTED and new == Outcome.ORDINARY
    record.outcome = new
    record.outcome_set_at = timezone.now()
    record.outcome_set_by = _user(actor)
    record.save(update_fields=["outcome", "handed_back", "outcome_set_at", "outcome_set_by"])
