from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from anvis.audit.services import Purpose, citizens_read
from anvis.cases.models import Case
from anvis.cases.selectors import case_queryset
from anvis.common.forms import form_page, form_status, perform, posted
from anvis.permissions import LEAD, MUNICIPAL, POST_ONLY, access
from anvis.vacancies.choices import VacancyStatus
from anvis.vacancies.gate import unit_labels
from anvis.vacancies.labels import RULE_LABELS, describe
from anvis.vacancies.selectors import offer_get, vacancy_get
from anvis.vacancies.views_offer import offer_dialogue, offer_terms
from anvis_core.cases.numbers import typed_case_number

from . import selectors, services
from .forms import RunForm
from .models import MatchingRun

PAGE_SIZE = 25


def _page(request: HttpRequest, param: str, items: Any) -> Any:
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get(param))


def _query_without(request: HttpRequest, param: str) -> str:
    params = request.GET.copy()
    params.pop(param, None)
    return params.urlencode()


def _record_access(request: HttpRequest, cases: list[Case], what: str) -> None:
    """The citizens shown, logged as read for allocation (one INSERT for the page)."""
    citizens_read(request, (case.citizen for case in cases), what=what, purpose=Purpose.ALLOCATION)


@access(MUNICIPAL, deny_status=404)
def candidates(request: HttpRequest, vacancy_pk: int) -> HttpResponse:
    vacancy = vacancy_get(user=request.user, pk=vacancy_pk)
    today = timezone.localdate()
    ranking = selectors.vacancy_ranking(vacancy=vacancy, today=today)
    cand_page = _page(request, "side", range(ranking.eligible_count))
    offset = cand_page.start_index() - 1 if ranking.eligible_count else 0
    rows = ranking.candidates(offset=offset, limit=PAGE_SIZE) if ranking.eligible_count else []
    rule = request.GET.get("regel") or None
    rule_choices = [(code, RULE_LABELS.get(code, code), n) for code, n in ranking.failure_counts()]
    if rule not in {code for code, _label, _n in rule_choices}:
        rule = None
    rejected = ranking.rejected_ids(rule)
    why_page = _page(request, "ikke", rejected)
    why_rows = [ranking.why_not(number) for number in why_page.object_list]
    looked_up = None
    typed = request.GET.get("sag", "").strip()
    number = typed_case_number(typed) or typed
    if number:
        if number in ranking.pool.case_ids:
            looked_up = {
                "number": number,
                "candidate": ranking.candidate_for(number),
                "why_not": ranking.why_not(number),
            }
        else:
            looked_up = {"number": number, "missing": True}
    shown_ids = {r.case_id for r in rows} | {r.case_id for r in why_rows}
    if looked_up and not looked_up.get("missing"):
        shown_ids.add(ranking.pool.case_ids[number])
    shown = {c.pk: c for c in Case.objects.filter(pk__in=shown_ids).select_related("citizen")}
    _record_access(request, list(shown.values()), "matching.ranking")
    return render(
        request,
        "matching/candidates.html",
        {
            "vacancy": vacancy,
            "ranking": ranking,
            "rows": [(r, shown.get(r.case_id)) for r in rows],
            "cand_page": cand_page,
            "cand_query": _query_without(request, "side"),
            "why_rows": [(r, shown.get(r.case_id)) for r in why_rows],
            "why_page": why_page,
            "why_count": len(rejected),
            "rule": rule,
            "rule_choices": rule_choices,
            "why_query": _query_without(request, "ikke"),
            "looked_up": looked_up,
            "can_offer": vacancy.status == VacancyStatus.ACCEPTED,
        },
    )


@access(MUNICIPAL, deny_status=404)
def offer_create(request: HttpRequest, vacancy_pk: int, case_pk: int) -> HttpResponse:
    """ "Giv tilbud" on the ranked list: the one offer dialogue with the candidate chosen; the
    confirmed offer stores the ranking's explanation too."""
    vacancy = vacancy_get(user=request.user, pk=vacancy_pk)
    if not case_queryset(user=request.user).filter(pk=case_pk).exists():
        raise Http404

    def make(vacancy: Any, data: dict[str, Any]) -> Any:
        return services.offer_from_ranking(actor=request.user, vacancy=vacancy, **offer_terms(data))

    def done(offer: Any) -> HttpResponse:
        # A citizen the gate lets through only with a confirmation or the lead's override is
        # not ranked, so no explanation is stored: the offer ends where the manual dialogue's
        # does, not on an explanation page that does not exist.
        if selectors.offer_explanation(offer=offer) is None:
            messages.success(request, _("The offer is made."))
            return redirect("vacancies:vacancy_detail", pk=offer.vacancy_id)
        messages.success(request, _("The offer is made and its explanation is stored."))
        return redirect("matching:explanation", offer_pk=offer.pk)

    return offer_dialogue(request, vacancy, make=make, done=done, preselect=case_pk)


@access(MUNICIPAL, deny_status=404)
def explanation(request: HttpRequest, offer_pk: int) -> HttpResponse:
    offer = offer_get(user=request.user, pk=offer_pk)
    row = selectors.offer_explanation(offer=offer)
    if row is None:
        raise Http404
    _record_access(request, [offer.case], "matching.explanation")
    vacancy = vacancy_get(user=request.user, pk=offer.vacancy_id)
    labels = unit_labels([vacancy])
    cap = row.binding_cap
    caps = [
        {**c, "label": labels.get((c["level"], c["unit"]), c["unit"])} for c in (row.caps or [])
    ]
    return render(
        request,
        "matching/explanation.html",
        {
            "offer": offer,
            "vacancy": vacancy,
            "row": row,
            "score": row.score,
            "binding_cap_text": describe(cap["code"], cap["params"], labels) if cap else "",
            "caps": caps,
        },
    )


# --- batch runs ---------------------------------------------------------------------------------


@access(LEAD, deny_status=404)
def run_list(request: HttpRequest) -> HttpResponse:
    page = _page(request, "page", selectors.run_list())
    return render(request, "matching/run_list.html", {"page": page, "query": ""})


@access(LEAD, deny_status=404)
def run_new(request: HttpRequest) -> HttpResponse:
    return form_page(
        request,
        RunForm(posted(request)),
        lambda data: services.run_create(
            actor=request.user,
            objective=data["objective"],
            vacancy_pks=[v.pk for v in data["vacancies"]] or None,
            case_numbers=data["case_numbers"] or None,
        ),
        success=_("The matching run is done."),
        done=lambda run: redirect("matching:run_detail", pk=run.pk),
        template="matching/run_form.html",
    )


def _proposal_rows(run: MatchingRun) -> list[dict[str, Any]]:
    from anvis.vacancies.models import Vacancy

    proposals = run.result.get("proposals", [])
    vacancies = {
        str(v.pk): v
        for v in Vacancy.objects.filter(
            pk__in=[int(p["dwelling"]) for p in proposals]
        ).select_related("organisation", "dwelling__entrance__department")
    }
    cases = {
        c.number: c
        for c in Case.objects.filter(number__in=[p["citizen"] for p in proposals]).select_related(
            "citizen"
        )
    }
    rows = []
    for p in proposals:
        vacancy = vacancies.get(p["dwelling"])
        rows.append(
            {
                "p": p,
                "vacancy": vacancy,
                "case": cases.get(p["citizen"]),
                "open": vacancy is not None and vacancy.status == VacancyStatus.ACCEPTED,
            }
        )
    return rows


@access(LEAD, deny_status=404)
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _run_page(request, pk)


def _run_page(request: HttpRequest, pk: int, refused: bool = False) -> HttpResponse:
    run = get_object_or_404(
        MatchingRun.objects.select_related("created_by", "rerun_of").defer(
            "snapshot", "rerun_of__snapshot"
        ),
        pk=pk,
    )
    rows = _proposal_rows(run)
    _record_access(request, [r["case"] for r in rows if r["case"]], "matching.proposal")
    vacancies = [r["vacancy"] for r in rows if r["vacancy"]]
    labels = unit_labels(vacancies)
    for r in rows:
        cap = r["p"].get("binding_cap")
        r["cap_text"] = describe(cap["code"], cap["params"], labels) if cap else ""
    return render(
        request,
        "matching/run_detail.html",
        {"run": run, "rows": rows, "reruns": list(run.reruns.defer("snapshot").order_by("pk"))},
        status=form_status(request, refused=refused),
    )


@access(LEAD, deny_status=404, methods=POST_ONLY)
def run_offers(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(MatchingRun.objects.defer("snapshot"), pk=pk)
    proposed = {p["dwelling"] for p in run.result.get("proposals", [])}
    chosen = [dwelling for dwelling in request.POST.getlist("proposal") if dwelling in proposed]
    if not chosen:
        messages.error(request, _("Choose at least one proposal."))
        return _run_page(request, run.pk, refused=True)
    outcomes = services.run_make_offers(actor=request.user, run=run, dwellings=chosen)
    # The page names each proposal's citizen (and why an offer was not made), as the run's page.
    named = Case.objects.filter(number__in=[o.citizen for o in outcomes]).select_related("citizen")
    _record_access(request, list(named), "matching.proposal")
    return render(request, "matching/run_offers.html", {"run": run, "outcomes": outcomes})


@access(LEAD, deny_status=404, methods=POST_ONLY)
def run_rerun(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(MatchingRun, pk=pk)
    done = perform(request, lambda: services.run_rerun(actor=request.user, run=run))
    if done is None:
        return redirect("matching:run_detail", pk=run.pk)
    new = done.result
    if new.same_as_original:
        messages.success(request, _("Re-run from the snapshot: the same result."))
    else:
        messages.warning(request, _("Re-run from the snapshot: the result differs."))
    return redirect("matching:run_detail", pk=new.pk)
