"""Writes: offers with their explanation, batch runs, re-runs and offers from a run.

Offers are always made through the flow (``anvis.vacancies.services.offer_create``); the
explanation is stored in the same transaction, so an offer made here never lacks its reasons.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from anvis.audit.services import acting_user, audited
from anvis.cases.models import Case
from anvis.common.clock import local_today
from anvis.vacancies import services as flow
from anvis.vacancies.adapters import ENGINE_VERSION
from anvis.vacancies.models import Offer, Vacancy
from anvis_core.matching.domain_form import build_problem, parse_domain_input
from anvis_core.matching.eligibility import BATCH_RULES
from anvis_core.matching.jsonio import result_to_json
from anvis_core.matching.problem import ProblemError
from anvis_core.matching.ranking import rank_vacancy
from anvis_core.matching.solve import solve
from anvis_core.matching.table import CitizenTable

from .models import MatchingRun, Objective, OfferExplanation
from .selectors import batch_snapshot, ranking_explanation, vacancy_ranking


def _store_explanation(
    *,
    actor: Any,
    offer: Offer,
    explanation: dict[str, Any],
    as_of: dt.date,
    run: MatchingRun | None = None,
    engine_version: str = ENGINE_VERSION,
) -> OfferExplanation:
    with audited("matching.offer_explained", actor=actor) as write:
        return write.created(
            OfferExplanation.objects.create(
                offer=offer,
                run=run,
                rank=explanation["rank"],
                eligible_count=explanation["eligible_count"],
                waiting_count=explanation["waiting_count"],
                score=explanation["score"],
                lead_over_next=explanation["lead_over_next"],
                next_case_number=explanation["next_case_number"],
                binding_cap=explanation["binding_cap"],
                caps=explanation["caps"],
                engine_version=engine_version,
                as_of=as_of,
                created_by=acting_user(actor),
            )
        )


def offer_from_ranking(
    *,
    actor: Any,
    vacancy: Vacancy,
    case: Case,
    response_working_days: int | None = None,
    viewing_at: dt.datetime | None = None,
    soft_confirmed: bool = False,
    override_reason: str = "",
    considered: Collection[str] | None = None,
    today: dt.date | None = None,
) -> Offer:
    """Offer ``vacancy`` to a candidate of its ranking and store why (rank, score breakdown,
    lead over the next, binding cap, engine version). The offer goes through the one gate
    (`anvis.vacancies.services.offer_create`), which refuses a citizen who may not get the
    dwelling with the failed rules."""
    day = local_today(today)
    with transaction.atomic():
        ranking = vacancy_ranking(vacancy=vacancy, today=day)
        offer = flow.offer_create(
            actor=actor,
            vacancy=vacancy,
            case=case,
            response_working_days=response_working_days,
            viewing_at=viewing_at,
            soft_confirmed=soft_confirmed,
            override_reason=override_reason,
            considered=considered,
            today=day,
        )
        explanation = ranking.explanation(case.number)
        if explanation is not None:
            _store_explanation(actor=actor, offer=offer, explanation=explanation, as_of=day)
    return offer


# --- batch runs ---------------------------------------------------------------------------------


def solve_snapshot(data: dict[str, Any]) -> dict[str, Any]:
    """Solve a stored domain-form snapshot and explain each proposal. Pure: the same snapshot
    gives the same result (``seconds`` aside)."""
    citizens, dwellings, ctx, weights, objective = parse_domain_input(data)
    table = CitizenTable.build(citizens)
    problem = build_problem(table, dwellings, ctx, weights)
    result = solve(problem, objective=objective)
    out = result_to_json(result)
    by_id = {d.id: d for d in dwellings}
    proposals = []
    for citizen_id, dwelling_id in result.assignments:
        ranking = rank_vacancy(by_id[dwelling_id], table, ctx, weights, BATCH_RULES)
        explanation = ranking_explanation(ranking, citizen_id, ctx)
        proposals.append({"citizen": citizen_id, "dwelling": dwelling_id, **(explanation or {})})
    out["proposals"] = proposals
    out["laminar"] = result.laminar
    out["pairs"] = problem.n_pairs
    return out


def same_result(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Two results agree when status, assignments and total weight agree (time aside)."""
    keys = ("status", "assignments", "total_weight", "gap")
    return all(a.get(k) == b.get(k) for k in keys)


def _store_run(
    *,
    actor: Any,
    data: dict[str, Any],
    parameters: dict[str, Any],
    rerun_of: MatchingRun | None = None,
) -> MatchingRun:
    try:
        result = solve_snapshot(data)
    except (ProblemError, ValueError) as exc:
        raise ValidationError(
            _("The matching input is invalid: %(error)s") % {"error": exc}, code="invalid_input"
        ) from exc
    run = MatchingRun(
        created_by=acting_user(actor),
        as_of=dt.date.fromisoformat(data["as_of"]),
        objective=data["objective"],
        parameters=parameters,
        engine_version=ENGINE_VERSION,
        snapshot=data,
        result=result,
        status=result["status"],
        seconds=float(result["seconds"]),
        citizen_count=len(data["citizens"]),
        vacancy_count=len(data["dwellings"]),
        rerun_of=rerun_of,
        same_as_original=same_result(result, rerun_of.result) if rerun_of else None,
    )
    with audited("matching.run_rerun" if rerun_of else "matching.run_create", actor=actor) as write:
        run.save()
        # The run's input and result are large; the audit row keeps a summary.
        write.record(
            instance=run,
            before=None,
            after={
                "objective": run.objective,
                "parameters": parameters,
                "status": run.status,
                "assignments": len(result["assignments"]),
                "rerun_of": rerun_of.pk if rerun_of else None,
            },
        )
    return run


def run_create(
    *,
    actor: Any,
    objective: str = Objective.MAX_WEIGHT,
    vacancy_pks: Sequence[int] | None = None,
    case_numbers: Sequence[str] | None = None,
    today: dt.date | None = None,
) -> MatchingRun:
    """Run a batch allocation over the chosen open vacancies and waiting citizens (``None``:
    all) and store it with its input snapshot, parameters, engine version and result."""
    if objective not in Objective.values:
        raise ValidationError({"objective": _("Choose an objective.")})
    day = local_today(today)
    batch = batch_snapshot(
        today=day, objective=objective, vacancy_pks=vacancy_pks, case_numbers=case_numbers
    )
    if not batch.snapshot["dwellings"]:
        raise ValidationError(_("There are no open municipal vacancies to match."))
    if not batch.snapshot["citizens"]:
        raise ValidationError(_("There are no waiting citizens to match."))
    parameters = {
        "objective": objective,
        "vacancies": "all" if vacancy_pks is None else sorted(int(p) for p in vacancy_pks),
        "citizens": "all" if case_numbers is None else sorted(case_numbers),
    }
    return _store_run(actor=actor, data=batch.snapshot, parameters=parameters)


def run_rerun(*, actor: Any, run: MatchingRun) -> MatchingRun:
    """Solve the stored snapshot of ``run`` again and store the new run with the comparison."""
    return _store_run(actor=actor, data=run.snapshot, parameters=dict(run.parameters), rerun_of=run)


@dataclass(frozen=True)
class ProposalOutcome:
    dwelling: str
    citizen: str
    ok: bool
    message: str
    offer: Offer | None = None


def run_make_offers(
    *, actor: Any, run: MatchingRun, dwellings: Sequence[str], today: dt.date | None = None
) -> list[ProposalOutcome]:
    """Turn the chosen proposals of ``run`` (by dwelling id) into offers through the flow, each
    in its own transaction; report per proposal whether it succeeded and why not."""
    day = local_today(today)
    chosen = set(dwellings)
    outcomes: list[ProposalOutcome] = []
    for proposal in run.result.get("proposals", []):
        if proposal["dwelling"] not in chosen:
            continue
        outcomes.append(_offer_from_proposal(actor=actor, run=run, proposal=proposal, day=day))
    return outcomes


def _offer_from_proposal(
    *, actor: Any, run: MatchingRun, proposal: dict[str, Any], day: dt.date
) -> ProposalOutcome:
    dwelling, citizen = proposal["dwelling"], proposal["citizen"]
    vacancy = Vacancy.objects.filter(pk=int(dwelling)).first()
    case = Case.objects.filter(number=citizen).first()
    if vacancy is None or case is None:
        return ProposalOutcome(dwelling, citizen, False, _("The vacancy or the case is gone."))
    try:
        with transaction.atomic():
            offer = flow.offer_create(actor=actor, vacancy=vacancy, case=case, today=day)
            _store_explanation(
                actor=actor,
                offer=offer,
                explanation=proposal,
                as_of=run.as_of,
                run=run,
                engine_version=run.engine_version,
            )
    except ValidationError as exc:
        return ProposalOutcome(dwelling, citizen, False, " ".join(exc.messages))
    return ProposalOutcome(dwelling, citizen, True, _("The offer is made."), offer)
