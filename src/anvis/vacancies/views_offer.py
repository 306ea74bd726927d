"""The one offer dialogue and the decline dialogue.

"Tilbyd en borger boligen" on the vacancy and "Giv tilbud" on the ranked candidate list open the
same dialogue (:func:`offer_dialogue`): the citizen (only those the one gate admits), the
dwelling, the answer deadline, the viewing, the gate's findings for the chosen citizen, and a
confirmation step that shows what will be sent before anything is written. The ranked list
passes its own way of making the offer (it stores the ranking's explanation too).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anvis.audit.services import Purpose, citizens_read
from anvis.cases.search import case_search, case_suggestion, suggested_cases_logged
from anvis.cases.selectors import case_queryset
from anvis.common import formats as fmt
from anvis.common.forms import apply_errors, form_status, perform, posted, submit
from anvis.common.numbers import digits
from anvis.common.search import LIMIT, MIN_CHARS, Suggestion, search_text, suggestions_response
from anvis.permissions import MUNICIPAL, POST_ONLY, WRITE, access
from anvis_core.workflow import (
    DeclineReason,
    decline_pause_days,
    offer_deadline,
)

from . import gate, selectors, services
from .forms import OfferDeclineForm, OfferForm
from .models import Offer, Vacancy

BLOCKED_SHOWN = 50

MakeOffer = Callable[[Vacancy, dict[str, Any]], Offer]
"""Makes the offer from the dialogue's cleaned data (through the one gate, in the service)."""


def offer_terms(data: dict[str, Any]) -> dict[str, Any]:
    """The dialogue's cleaned data as the keyword arguments of the offer services."""
    return {
        "case": data["case"],
        "response_working_days": data["response_working_days"],
        "viewing_at": data["viewing_at"],
        "soft_confirmed": data["soft_confirmed"],
        "override_reason": data.get("override_reason", ""),
        "considered": data.get("considered"),
    }


def _considered(request: HttpRequest) -> frozenset[str] | None:
    """The rule codes the confirmation step showed (its hidden field): the reason and the tick
    cover those findings only, so one that arose after the confirmation is refused and shown.
    ``None`` when the post does not say (then the findings at the click are covered)."""
    if "considered" not in request.POST:
        return None
    return frozenset(request.POST["considered"].split())


def _make_offer(request: HttpRequest) -> MakeOffer:
    def make(vacancy: Vacancy, data: dict[str, Any]) -> Offer:
        return services.offer_create(actor=request.user, vacancy=vacancy, **offer_terms(data))

    return make


@access(MUNICIPAL, deny_status=404, obj=Vacancy, action=WRITE)
def offer_create(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Tilbyd en borger boligen": the offer dialogue from the vacancy."""
    vacancy = selectors.vacancy_get(user=request.user, pk=pk)

    def done(offer: Offer) -> HttpResponse:
        messages.success(request, _("The offer is made."))
        return redirect("vacancies:vacancy_detail", pk=offer.vacancy_id)

    return offer_dialogue(request, vacancy, make=_make_offer(request), done=done)


def _choices(request: HttpRequest, candidates: gate.VacancyCandidates, can_override: bool) -> Any:
    """The cases the gate admits: eligible, then those with findings the user may confirm or,
    as allocation lead, override."""
    split = candidates.split()
    allowed = split.eligible + split.soft + (split.agreement if can_override else [])
    case_ids = candidates.pool.case_ids
    return (
        case_queryset(user=request.user)
        .filter(pk__in=[case_ids[n] for n in allowed])
        .select_related("citizen")
        .order_by("-priority_total", "waiting_since", "pk")
    )


def _chosen(request: HttpRequest, form: OfferForm, preselect: int | None) -> Any:
    chosen_pk = request.POST.get("case") or request.GET.get("sag") or preselect
    case_id = digits(chosen_pk)
    if case_id is None:
        return None
    chosen = case_queryset(user=request.user).filter(pk=case_id).select_related("citizen")
    case = chosen.first()
    if case is not None and request.method == "GET":
        form.initial["case"] = case.pk
    return case


def _not_offerable(
    candidates: gate.VacancyCandidates, can_override: bool
) -> tuple[list[tuple[str, list[str]]], int]:
    """The waiting citizens the gate keeps from the dwelling (the first ones, with why) and
    how many there are."""
    split = candidates.split()
    numbers = split.blocked + ([] if can_override else split.agreement)
    rows = [(number, _finding_texts(candidates, number)) for number in numbers[:BLOCKED_SHOWN]]
    return rows, len(numbers)


def _cases(request: HttpRequest, numbers: list[str]) -> list[Any]:
    """The cases of these case numbers, with their citizens."""
    if not numbers:
        return []
    return list(
        case_queryset(user=request.user).filter(number__in=numbers).select_related("citizen")
    )


def _finding_texts(candidates: gate.VacancyCandidates, number: str) -> list[str]:
    """The findings that keep a citizen off the list, each with what it would take."""
    result = gate.GateResult(candidates.findings(number), candidates.labels)
    return [f"{row['text']} ({row['severity_label']}.)" for row in result.rows()]


def _confirmation(
    request: HttpRequest, form: OfferForm, vacancy: Vacancy, today: dt.date
) -> dict[str, Any] | None:
    """Step two: the gate is asked (no write) and, when it lets the offer through, the page
    shows what the offer will say. ``None`` when the form goes back to step one."""
    data = form.cleaned_data
    try:
        services.check_offerable(vacancy)
        decision = gate.offer_enforce(
            actor=request.user,
            case=data["case"],
            vacancy=vacancy,
            day=today,
            override_reason=data.get("override_reason", ""),
            soft_confirmed=data["soft_confirmed"],
        )
    except ValidationError as exc:
        apply_errors(form, exc)
        return None
    return {
        "case": data["case"],
        "deadline": offer_deadline(today, data["response_working_days"]),
        "days": data["response_working_days"],
        "viewing_at": data["viewing_at"],
        "findings": decision.result.rows(),
        "considered": " ".join(decision.result.findings.codes),
        "override_reason": decision.override_reason,
    }


def _deadline_as_shown(request: HttpRequest, form: OfferForm, today: dt.date) -> bool:
    """Whether the answer deadline the offer gets today is the one its confirmation showed (its
    hidden field): a confirmation shown on Friday and clicked on Monday would give the citizen
    a later deadline than the one the person confirmed; then it is shown again, with a word."""
    shown = request.POST.get("deadline")
    deadline = offer_deadline(today, form.cleaned_data["response_working_days"])
    if shown is None or shown == deadline.isoformat():
        return True
    messages.warning(
        request,
        _(
            "The answer deadline is now %(date)s, not the one the confirmation showed: check "
            "the offer and confirm it again."
        )
        % {"date": fmt.date(deadline)},
    )
    return False


def offer_dialogue(
    request: HttpRequest,
    vacancy: Vacancy,
    *,
    make: MakeOffer,
    done: Callable[[Offer], HttpResponse],
    preselect: int | None = None,
) -> HttpResponse:
    """The one offer dialogue. GET shows it; a POST checks the offer with the gate and shows
    the confirmation; the confirmed POST makes the offer through ``make``."""
    today = timezone.localdate()
    can_override = gate.may_override(request.user)
    candidates = gate.vacancy_candidates(vacancy=vacancy, day=today)
    form = OfferForm(
        posted(request),
        cases=case_queryset(user=request.user).select_related("citizen"),
        candidates=_choices(request, candidates, can_override),
        default_days=services.offer_response_days_default(vacancy),
        suggest_url=reverse("vacancies:offer_case_suggestions", args=[vacancy.pk]),
        can_override=can_override,
    )
    chosen = _chosen(request, form, preselect)
    confirm = None
    if request.method == "POST" and form.is_valid() and "edit" not in request.POST:
        if request.POST.get("confirmed") == "1" and _deadline_as_shown(request, form, today):
            try:
                return done(
                    make(vacancy, {**form.cleaned_data, "considered": _considered(request)})
                )
            except ValidationError as exc:
                apply_errors(form, exc)
        else:
            confirm = _confirmation(request, form, vacancy, today)
    return _render(request, form, vacancy, candidates, chosen, confirm, can_override, today)


@access(MUNICIPAL, deny_status=404, obj=Vacancy, action=WRITE, methods=POST_ONLY)
def offer_case_suggestions(request: HttpRequest, pk: int) -> HttpResponse:
    """The offer dialogue's citizen field: the citizens the gate admits to this dwelling whose
    name or case number match the typed text, the highest priority first; those with findings
    to confirm (or, for the allocation lead, to override) say so. POST only, and every citizen
    suggested is written to the personal-data access log."""
    vacancy = selectors.vacancy_get(user=request.user, pk=pk)
    text = search_text(request)
    if len(text) < MIN_CHARS:
        return suggestions_response([])
    can_override = gate.may_override(request.user)
    candidates = gate.vacancy_candidates(vacancy=vacancy, day=timezone.localdate())
    split = candidates.split()
    marked = set(split.soft + split.agreement)
    cases = list(
        case_search(_choices(request, candidates, can_override), text).order_by(
            "-priority_total", "waiting_since", "pk"
        )[:LIMIT]
    )
    suggested_cases_logged(request, cases, what="offer.eligibility")
    return suggestions_response(_candidate_suggestion(c, c.number in marked) for c in cases)


def _candidate_suggestion(case: Any, has_findings: bool) -> Suggestion:
    suggestion = case_suggestion(case)
    if not has_findings:
        return suggestion
    detail = f"{suggestion.detail} · ⚠ {_('findings to consider')}"
    return Suggestion(suggestion.value, suggestion.label, detail)


def _render(
    request: HttpRequest,
    form: OfferForm,
    vacancy: Vacancy,
    candidates: gate.VacancyCandidates,
    chosen: Any,
    confirm: dict[str, Any] | None,
    can_override: bool,
    today: dt.date,
) -> HttpResponse:
    split = candidates.split()
    check = gate.offer_check(case=chosen, vacancy=vacancy, day=today) if chosen else None
    blocked, not_offerable = _not_offerable(candidates, can_override)
    # The chosen citizen and the waiting citizens listed as not offerable (by case number, with
    # why: a legal bar, an area to avoid) are shown: logged as read, as the candidate page logs
    # its "why not" rows.
    shown = {case.pk: case for case in _cases(request, [number for number, _texts in blocked])}
    if chosen is not None:
        shown[chosen.pk] = chosen
    citizens_read(
        request,
        (case.citizen for case in shown.values()),
        what="offer.eligibility",
        purpose=Purpose.ALLOCATION,
    )
    conditional = len(split.soft) + (len(split.agreement) if can_override else 0)
    refusal = [] if form.candidates else gate.vacancy_blocks(vacancy=vacancy, day=today).rows()
    return render(
        request,
        "vacancies/offer_form.html",
        {
            "form": form,
            "vacancy": vacancy,
            "chosen": chosen,
            "confirm": confirm,
            "check": check.rows() if check else [],
            "affordability": check.affordability if check else None,
            "check_blocked": bool(check and check.findings.blocked),
            "eligible_count": len(split.eligible),
            "conditional_count": conditional,
            "blocked": blocked,
            "not_offerable_count": not_offerable,
            "refusal": refusal,
            "can_override": can_override,
        },
        status=422 if request.method == "POST" and form.errors else 200,
    )


# --- the decline dialogue -----------------------------------------------------------------------


def pause_days(reason: DeclineReason) -> int:
    """The pause a decline reason gives the citizen (``ANVIS_DECLINE_PAUSE_DAYS``, else the
    agreement defaults in `anvis_core.workflow`)."""
    return decline_pause_days(reason, getattr(settings, "ANVIS_DECLINE_PAUSE_DAYS", {}) or {})


def consequences() -> list[dict[str, Any]]:
    """Each decline reason with what it means for the citizen, in the form's order."""
    rows = []
    for code, label in OfferDeclineForm.base_fields["reason"].choices:  # type: ignore[attr-defined]
        if not code:
            continue
        days = pause_days(DeclineReason(code))
        rows.append({"code": code, "label": label, "days": days})
    return rows


@access(MUNICIPAL, deny_status=404, obj=Offer, action=WRITE)
def offer_accept(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the citizen's yes after a confirmation that names the citizen and what follows:
    the organisation is given the citizen's name and contact details for the lease."""
    offer = selectors.offer_get(user=request.user, pk=pk)
    if request.method == "POST":
        perform(
            request,
            lambda: services.offer_accept(actor=request.user, offer=offer),
            success=_("The citizen has accepted the offer."),
        )
        return redirect("vacancies:vacancy_detail", pk=offer.vacancy_id)
    citizens_read(request, [offer.case.citizen], what="offer.accept", purpose=Purpose.ALLOCATION)
    return render(
        request,
        "vacancies/offer_accept.html",
        {"offer": offer, "vacancy": offer.vacancy, "citizen": offer.case.citizen},
    )


@access(MUNICIPAL, deny_status=404, obj=Offer, action=WRITE)
def offer_decline(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the citizen's or the municipality's no: the citizen is named, no reason is
    preselected, and each reason's consequence (a pause of N days, or none) is stated."""
    offer = selectors.offer_get(user=request.user, pk=pk)
    form = OfferDeclineForm(posted(request))
    if submit(
        request,
        form,
        lambda data: services.offer_decline(
            actor=request.user, offer=offer, reason=data["reason"], note=data["note"]
        ),
        success=_("The decline is recorded."),
    ):
        return redirect("vacancies:vacancy_detail", pk=offer.vacancy_id)
    citizens_read(request, [offer.case.citizen], what="offer.decline", purpose=Purpose.ALLOCATION)
    return render(
        request,
        "vacancies/offer_decline.html",
        {
            "form": form,
            "offer": offer,
            "vacancy": offer.vacancy,
            "citizen": offer.case.citizen,
            "consequences": consequences(),
        },
        status=form_status(request, form),
    )
