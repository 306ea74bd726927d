from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from anvis.audit.services import Purpose, citizen_subject, personal_data_read
from anvis.cases.selectors import case_queryset
from anvis.core.exports import file_response
from anvis.core.forms import form_status, posted
from anvis.core.lists import paginate
from anvis.permissions import (
    ALL_ROLES,
    LEAD,
    MUNICIPAL,
    POST_ONLY,
    REPORTERS,
    WRITE,
    Role,
    access,
    is_municipal,
    user_has_role,
    vacancy_actions,
)
from anvis_core.quotas import Quarter
from anvis_core.workflow import DEFAULT_OFFER_RESPONSE_WORKING_DAYS, working_days_left

from . import disclosure, gate, selectors, services
from .filters import OPEN, VacancyFilter
from .forms import (
    ClaimDecisionForm,
    GuaranteeClaimForm,
    LeaseForm,
    LetOrdinaryForm,
    OfferDeclineForm,
    OfferForm,
    OfferRejectForm,
    OfferWithdrawForm,
    VacancyDeclineForm,
    VacancyHandBackForm,
    VacancyReportForm,
)
from .models import ClaimStatus, GuaranteeClaim, Lease, Offer, Vacancy, VacancyStatus
from .tables import VOID_RENT_COLUMNS

LEASE_WRITERS = frozenset({Role.ORGANISATION, Role.ALLOCATION_LEAD, Role.ADMIN})


def _apply_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _form_page(
    request: HttpRequest, form: Any, title: str, vacancy: Any = None, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "vacancies/form.html",
        {"form": form, "title": title, "vacancy": vacancy, **extra},
        status=form_status(request, form),
    )


def _error_message(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- lists --------------------------------------------------------------------------------------


@access(ALL_ROLES)
def vacancy_list(request: HttpRequest) -> HttpResponse:
    """The vacancy list, filtered by the one `VacancyFilter` the API uses too (open vacancies
    unless the query names a status)."""
    data = request.GET.copy()
    data.setdefault("status", OPEN)
    filterset = VacancyFilter(
        data, queryset=selectors.vacancy_list(user=request.user), user=request.user
    )
    status = data["status"] if filterset.is_valid() else OPEN
    page, query = paginate(
        request, filterset.qs if filterset.is_valid() else filterset.queryset.none()
    )
    tab_params = data.copy()
    tab_params.pop("page", None)
    tab_params.pop("status", None)
    return render(
        request,
        "vacancies/vacancy_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query,
            "status": status,
            "tab_query": tab_params.urlencode(),
            "statuses": [(s.value, s.label) for s in VacancyStatus if s != VacancyStatus.REPORTED],
            "can_report": user_has_role(request.user, REPORTERS),
        },
        status=200 if filterset.is_valid() else 400,
    )


@access(LEAD)
def inbox(request: HttpRequest) -> HttpResponse:
    rows = selectors.inbox(user=request.user, today=timezone.localdate())
    return render(request, "vacancies/inbox.html", {"rows": rows})


# --- report and answer --------------------------------------------------------------------------


@access(REPORTERS)
def vacancy_report(request: HttpRequest) -> HttpResponse:
    """Report a vacancy; `?bolig=<id>` (the dwelling page's "Report vacant") chooses the
    dwelling beforehand."""
    chosen = request.GET.get("bolig", "")
    initial = {"dwelling": chosen} if chosen.isdigit() and len(chosen) < 19 else {}
    form = VacancyReportForm(posted(request), user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            vacancy = services.vacancy_report(
                actor=request.user,
                dwelling=data["dwelling"],
                notice_date=data["notice_date"],
                available_from=data["available_from"],
                rent_at_letting=data["rent_at_letting"],
                remarks=data["remarks"],
                source=data["source"],
                handheld_request=data["handheld_request"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The vacancy is reported."))
            return redirect("vacancies:vacancy_detail", pk=vacancy.pk)
    return _form_page(
        request,
        form,
        _("Report a vacancy"),
        intro=_(
            "The agreement decides whether it is the municipality's turn; you see the reason "
            "on the vacancy's page."
        ),
    )


@access(ALL_ROLES, deny_status=404, obj=Vacancy)
def vacancy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = selectors.vacancy_get(user=request.user, pk=pk)
    today = timezone.localdate()
    user = request.user
    municipal = is_municipal(user)
    offers = list(vacancy.offers.restrict(user).select_related("case__citizen").order_by("-pk"))
    lease = getattr(vacancy, "lease", None)
    active = None if lease else next((o for o in offers if o.is_active), None)
    nominee = lease.offer if lease and lease.offer else active
    # What this viewer may see of each citizen: one rule, anvis.vacancies.disclosure.
    offer_rows = [(offer, disclosure.nominee_for(user, offer)) for offer in offers]
    nominee_contact = next(
        (who for offer, who in offer_rows if offer == nominee and who.shows_contact), None
    )
    disclosure.record_contact_access(
        user=user, nominees=[nominee_contact] if nominee_contact else [], path=request.path
    )
    if municipal:
        personal_data_read(
            user=user,
            subjects=[citizen_subject(offer.case.citizen) for offer in offers],
            what="offer.names",
            purpose=Purpose.ALLOCATION,
            path=request.path,
        )
    if municipal:
        labels = gate.unit_labels([vacancy])
        for offer in offers:
            offer.finding_texts = gate.stored_texts(offer.findings, labels)
    actions = vacancy_actions(user, vacancy, active, lease)
    days_left = (
        working_days_left(vacancy.response_deadline, today)
        if vacancy.response_deadline and vacancy.status == VacancyStatus.MUNICIPAL
        else None
    )
    return render(
        request,
        "vacancies/vacancy_detail.html",
        {
            "vacancy": vacancy,
            "offer_rows": offer_rows,
            "offers_hidden": disclosure.audience(user) == disclosure.NO_AUDIENCE,
            "active_offer": active,
            "lease": lease,
            "timeline": disclosure.timeline_for(user, selectors.vacancy_timeline(vacancy), offers),
            "days_left": days_left,
            "show_cases": municipal,
            "nominee_contact": None if municipal else nominee_contact,
            **actions,
            "usable": gate.usability(vacancy=vacancy, day=today) if actions["can_answer"] else None,
            "claims": list(lease.guarantee_claims.order_by("pk")) if lease else [],
            "void_rent": vacancy.void_rent_on(today),
        },
    )


@access(LEAD, deny_status=404, obj=Vacancy, action=WRITE, methods=POST_ONLY)
def vacancy_accept(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = selectors.vacancy_get(user=request.user, pk=pk)
    if not request.POST.get("confirm_nobody"):
        usable = gate.usability(vacancy=vacancy, day=timezone.localdate())
        if usable.nobody:
            messages.error(
                request,
                _(
                    "No waiting citizen may get this dwelling. Tick “Accept anyway” to accept "
                    "it all the same."
                ),
            )
            return redirect("vacancies:vacancy_detail", pk=pk)
    try:
        services.vacancy_accept(actor=request.user, vacancy=vacancy)
    except ValidationError as exc:
        _error_message(request, exc)
    else:
        messages.success(request, _("The municipality has accepted the dwelling."))
    return redirect("vacancies:vacancy_detail", pk=pk)


@access(LEAD, deny_status=404, obj=Vacancy, action=WRITE)
def vacancy_decline(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = selectors.vacancy_get(user=request.user, pk=pk)
    form = VacancyDeclineForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.vacancy_decline(
                actor=request.user, vacancy=vacancy, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The dwelling is returned to the organisation."))
            return redirect("vacancies:vacancy_detail", pk=pk)
    return _form_page(request, form, _("Decline the dwelling"), vacancy)


@access(LEAD, deny_status=404, obj=Vacancy, action=WRITE)
def vacancy_hand_back(request: HttpRequest, pk: int) -> HttpResponse:
    """The allocation lead hands an accepted dwelling back to ordinary letting."""
    vacancy = selectors.vacancy_get(user=request.user, pk=pk)
    form = VacancyHandBackForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.vacancy_hand_back(
                actor=request.user, vacancy=vacancy, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("The dwelling is handed back to the organisation; void rent stops today."),
            )
            return redirect("vacancies:vacancy_detail", pk=pk)
    return _form_page(request, form, _("Hand the dwelling back to ordinary letting"), vacancy)


@access(REPORTERS, deny_status=404, obj=Vacancy, action=WRITE)
def vacancy_let(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = selectors.vacancy_get(user=request.user, pk=pk)
    form = LetOrdinaryForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.vacancy_let_ordinary(
                actor=request.user, vacancy=vacancy, starts_on=form.cleaned_data["starts_on"]
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The dwelling is registered as let."))
            return redirect("vacancies:vacancy_detail", pk=pk)
    return _form_page(request, form, _("Let through the organisation's waiting list"), vacancy)


# --- offers -------------------------------------------------------------------------------------


BLOCKED_SHOWN = 50


@access(MUNICIPAL, deny_status=404, obj=Vacancy, action=WRITE)
def offer_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The offer dialogue. The choices are the waiting citizens the one gate lets through
    (eligible first, then those with findings the user may confirm or, as allocation lead,
    override); the others are listed with the rules that keep them from the dwelling. The
    chosen citizen's findings come from the same check the offer service makes."""
    vacancy = selectors.vacancy_get(user=request.user, pk=pk)
    today = timezone.localdate()
    version = vacancy.turn_record.version if vacancy.turn_record else None
    default_days = (
        version.offer_response_working_days if version else DEFAULT_OFFER_RESPONSE_WORKING_DAYS
    )
    can_override = gate.may_override(request.user)
    candidates = gate.vacancy_candidates(vacancy=vacancy, day=today)
    split = candidates.split()
    allowed = split.eligible + split.soft + (split.agreement if can_override else [])
    marks = dict.fromkeys(split.soft + split.agreement, " ⚠")
    case_ids = candidates.pool.case_ids
    choices = (
        case_queryset(user=request.user)
        .filter(pk__in=[case_ids[n] for n in allowed])
        .select_related("citizen")
        .order_by("-priority_total", "waiting_since", "pk")
    )
    form = OfferForm(
        posted(request),
        cases=case_queryset(user=request.user).select_related("citizen"),
        candidates=choices,
        default_days=default_days,
        marks=marks,
        can_override=can_override,
    )
    chosen = None
    chosen_pk = request.POST.get("case") or request.GET.get("sag")
    if chosen_pk and str(chosen_pk).isdigit():
        chosen = case_queryset(user=request.user).filter(pk=int(chosen_pk)).first()
        if chosen is not None and request.method == "GET":
            form.initial["case"] = chosen.pk
    check = gate.offer_check(case=chosen, vacancy=vacancy, day=today) if chosen else None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.offer_create(
                actor=request.user,
                vacancy=vacancy,
                case=data["case"],
                response_working_days=data["response_working_days"],
                viewing_at=data["viewing_at"],
                soft_confirmed=data["soft_confirmed"],
                override_reason=data.get("override_reason", ""),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The offer is made."))
            return redirect("vacancies:vacancy_detail", pk=pk)
    if chosen is not None:
        personal_data_read(
            user=request.user,
            subjects=[citizen_subject(chosen.citizen)],
            what="offer.eligibility",
            purpose=Purpose.ALLOCATION,
            path=request.path,
        )
    blocked = [
        (number, _finding_texts(candidates, number)) for number in split.blocked[:BLOCKED_SHOWN]
    ]
    if not can_override:
        blocked += [
            (number, _finding_texts(candidates, number))
            for number in split.agreement[: max(0, BLOCKED_SHOWN - len(blocked))]
        ]
    return render(
        request,
        "vacancies/offer_form.html",
        {
            "form": form,
            "vacancy": vacancy,
            "chosen": chosen,
            "check": check.rows() if check else [],
            "affordability": check.affordability if check else None,
            "check_blocked": bool(check and check.findings.blocked),
            "split": split,
            "conditional_count": len(split.soft) + (len(split.agreement) if can_override else 0),
            "blocked": blocked,
            "not_offerable_count": len(split.blocked)
            + (0 if can_override else len(split.agreement)),
            "can_override": can_override,
        },
        status=form_status(request, form),
    )


def _finding_texts(candidates: gate.VacancyCandidates, number: str) -> list[str]:
    """The findings that keep a citizen off the list, each with what it would take."""
    result = gate.GateResult(candidates.findings(number), candidates.labels)
    return [f"{row['text']} ({row['severity_label']}.)" for row in result.rows()]


@access(MUNICIPAL, deny_status=404, obj=Offer, action=WRITE, methods=POST_ONLY)
def offer_accept(request: HttpRequest, pk: int) -> HttpResponse:
    offer = selectors.offer_get(user=request.user, pk=pk)
    try:
        services.offer_accept(actor=request.user, offer=offer)
    except ValidationError as exc:
        _error_message(request, exc)
    else:
        messages.success(request, _("The citizen has accepted the offer."))
    return redirect("vacancies:vacancy_detail", pk=offer.vacancy_id)


@access(MUNICIPAL, deny_status=404, obj=Offer, action=WRITE)
def offer_decline(request: HttpRequest, pk: int) -> HttpResponse:
    offer = selectors.offer_get(user=request.user, pk=pk)
    form = OfferDeclineForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_decline(
                actor=request.user,
                offer=offer,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The decline is recorded."))
            return redirect("vacancies:vacancy_detail", pk=offer.vacancy_id)
    return _form_page(request, form, _("Record a decline"), offer.vacancy)


@access(MUNICIPAL, deny_status=404, obj=Offer, action=WRITE)
def offer_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    offer = selectors.offer_get(user=request.user, pk=pk)
    form = OfferWithdrawForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_withdraw(actor=request.user, offer=offer, note=form.cleaned_data["note"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The offer is withdrawn."))
            return redirect("vacancies:vacancy_detail", pk=offer.vacancy_id)
    return _form_page(request, form, _("Withdraw the offer"), offer.vacancy)


@access(REPORTERS, deny_status=404, obj=Offer, action=WRITE)
def offer_reject(request: HttpRequest, pk: int) -> HttpResponse:
    offer = selectors.offer_get(user=request.user, pk=pk)
    form = OfferRejectForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_reject(
                actor=request.user,
                offer=offer,
                ground=form.cleaned_data["ground"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The rejection is recorded."))
            return redirect("vacancies:vacancy_detail", pk=offer.vacancy_id)
    return _form_page(
        request,
        form,
        _("Reject the nominee"),
        offer.vacancy,
        intro=_(
            "The organisation can reject a nominee only on these legal grounds; the ground is "
            "recorded."
        ),
    )


@access(LEASE_WRITERS, deny_status=404, obj=Offer, action=WRITE)
def lease_create(request: HttpRequest, pk: int) -> HttpResponse:
    offer = selectors.offer_get(user=request.user, pk=pk)
    form = LeaseForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.lease_register(
                actor=request.user,
                offer=offer,
                signed_on=data["signed_on"],
                starts_on=data["starts_on"],
                move_in_on=data["move_in_on"],
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The lease is registered; the citizen is housed."))
            for warning in disclosure.lease_warnings_for(request.user, result.warnings, offer):
                messages.warning(request, warning)
            return redirect("vacancies:vacancy_detail", pk=offer.vacancy_id)
    return _form_page(request, form, _("Register the lease"), offer.vacancy)


# --- void rent ----------------------------------------------------------------------------------


@access(ALL_ROLES)
def void_rent(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    try:
        quarter = Quarter.parse(request.GET["kvartal"])
    except (KeyError, ValueError):
        quarter = Quarter.of(today)
    statement = selectors.void_rent_statement(user=request.user, quarter=quarter)
    if request.GET.get("format") in ("csv", "xlsx"):
        return file_response(
            name=f"tomgangsleje-{quarter}",
            filetype=request.GET["format"],
            columns=VOID_RENT_COLUMNS,
            items=statement.lines,
        )
    quarters = [Quarter.of(today)]
    for _i in range(7):
        quarters.append(quarters[-1].previous())
    return render(
        request,
        "vacancies/void_rent.html",
        {
            "statement": statement,
            "quarter": quarter,
            "quarters": quarters,
            "now": selectors.void_rent_now(user=request.user, day=today),
        },
    )


# --- guarantee claims ---------------------------------------------------------------------------


@access(ALL_ROLES)
def claim_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    try:
        quarter = Quarter.parse(request.GET["kvartal"])
    except (KeyError, ValueError):
        quarter = Quarter.of(today)
    quarters = [Quarter.of(today)]
    for _i in range(7):
        quarters.append(quarters[-1].previous())
    return render(
        request,
        "vacancies/claim_list.html",
        {
            "data": selectors.guarantee_claims(user=request.user, quarter=quarter),
            "quarter": quarter,
            "quarters": quarters,
            "can_decide": user_has_role(request.user, LEAD),
        },
    )


@access(REPORTERS, deny_status=404, obj=Lease, action=WRITE)
def claim_create(request: HttpRequest, pk: int) -> HttpResponse:
    lease = Lease.objects.restrict(request.user).select_related("vacancy").get(pk=pk)
    form = GuaranteeClaimForm(posted(request))
    terms = services.guarantee_terms(lease)
    if terms is not None and terms.documentation:
        form.fields["description"].help_text = _(
            "The agreement asks for this documentation: %(documentation)s"
        ) % {"documentation": terms.documentation}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.guarantee_claim_submit(
                actor=request.user,
                lease=lease,
                kind=data["kind"],
                event_date=data["event_date"],
                amount=data["amount"],
                description=data["description"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The claim is submitted to the municipality."))
            return redirect("vacancies:vacancy_detail", pk=lease.vacancy_id)
    return _form_page(request, form, _("Register a guarantee claim"), lease.vacancy)


@access(LEAD, deny_status=404, obj=GuaranteeClaim, action=WRITE)
def claim_decide(request: HttpRequest, pk: int) -> HttpResponse:
    claim = (
        GuaranteeClaim.objects.restrict(request.user)
        .select_related("lease__vacancy")
        .filter(pk=pk, status=ClaimStatus.SUBMITTED)
        .first()
    )
    if claim is None:
        raise Http404
    form = ClaimDecisionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.guarantee_claim_decide(
                actor=request.user,
                claim=claim,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect("vacancies:vacancy_detail", pk=claim.lease.vacancy_id)
    return _form_page(
        request,
        form,
        _("Decide the guarantee claim"),
        claim.lease.vacancy,
        intro=f"{claim.get_kind_display()}: {claim.amount} kr · {claim.description}",
    )
