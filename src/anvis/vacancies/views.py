from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anvis.audit.services import (
    Purpose,
    citizens_read,
)
from anvis.common import formats as fmt
from anvis.common.exports import file_response
from anvis.common.forms import form_page, perform, posted
from anvis.common.lists import paginate
from anvis.common.numbers import digits
from anvis.permissions import (
    ALL_ROLES,
    LEAD,
    MUNICIPAL,
    POST_ONLY,
    REPORTERS,
    TENANCY_FOLLOWERS,
    WRITE,
    Role,
    access,
    answer_in_time,
    can_cancel_lease,
    is_municipal,
    user_has_role,
    vacancy_actions,
)
from anvis_core.quotas import Quarter

from . import disclosure, gate, selectors, services
from .choices import ClaimStatus, VacancyStatus
from .filters import ANSWER_DUE, LEASE_DUE, OPEN, vacancy_filter
from .forms import (
    ClaimDecisionForm,
    GuaranteeClaimForm,
    LeaseCancelForm,
    LeaseForm,
    LetOrdinaryForm,
    OfferRejectForm,
    OfferWithdrawForm,
    VacancyDeclineForm,
    VacancyHandBackForm,
    VacancyReportForm,
)
from .models import GuaranteeClaim, Lease, Offer, Vacancy
from .tables import VOID_RENT_COLUMNS

LEASE_WRITERS = frozenset({Role.ORGANISATION, Role.ALLOCATION_LEAD, Role.ADMIN})


def _vacancy_form(
    request: HttpRequest,
    form: Any,
    action: Callable[[dict[str, Any]], Any],
    *,
    success: str,
    title: str,
    vacancy: Vacancy,
    done: Callable[[Any], HttpResponse] | None = None,
    **extra: Any,
) -> HttpResponse:
    """A form about a vacancy (`form_page`): its page links back to the vacancy's page, and a
    saved form goes back there unless `done` says otherwise."""
    return form_page(
        request,
        form,
        action,
        success=success,
        done=done or reverse("vacancies:vacancy_detail", args=[vacancy.pk]),
        template="vacancies/form.html",
        context={"title": title, "vacancy": vacancy, **extra},
    )


def _quarters(request: HttpRequest, today: Any) -> tuple[Quarter, list[Quarter]]:
    """The quarter the query asks for (`?kvartal=`, default this one) and the quarters to
    choose from: the eight latest, and the one asked for when it is not among them (a link from
    an earlier report), so that the chooser shows the quarter the page is about."""
    try:
        quarter = Quarter.parse(request.GET["kvartal"])
        quarter.end  # noqa: B018 (a year the calendar holds)
    except (KeyError, ValueError, OverflowError):
        quarter = Quarter.of(today)
    quarters = [Quarter.of(today)]
    for _i in range(7):
        quarters.append(quarters[-1].previous())
    if quarter not in quarters:
        quarters = sorted([*quarters, quarter], reverse=True)
    return quarter, quarters


# --- lists --------------------------------------------------------------------------------------


@access(ALL_ROLES)
def vacancy_list(request: HttpRequest) -> HttpResponse:
    """The vacancy list, filtered by the one `VacancyFilter` the API uses too (open vacancies
    unless the query names a status)."""
    data = request.GET.copy()
    data.setdefault("status", OPEN)
    filterset = vacancy_filter(user=request.user, data=data)
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
            "statuses": [
                *((s.value, s.label) for s in VacancyStatus if s != VacancyStatus.REPORTED),
                (ANSWER_DUE, _("Awaiting the citizen's answer")),
                (LEASE_DUE, _("Lease to register")),
            ],
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
    initial = {"dwelling": chosen} if digits(chosen) is not None else {}
    return form_page(
        request,
        VacancyReportForm(posted(request), user=request.user, initial=initial),
        lambda data: services.vacancy_report(
            actor=request.user,
            dwelling=data["dwelling"],
            notice_date=data["notice_date"],
            available_from=data["available_from"],
            rent_at_letting=data["rent_at_letting"],
            remarks=data["remarks"],
            source=data["source"],
            handheld_request=data["handheld_request"],
        ),
        success=_("The vacancy is reported."),
        done=lambda vacancy: redirect("vacancies:vacancy_detail", pk=vacancy.pk),
        template="vacancies/form.html",
        context={
            "title": _("Report a vacancy"),
            "vacancy": None,
            "intro": _(
                "The agreement decides whether it is the municipality's turn; you see the reason "
                "on the vacancy's page."
            ),
        },
    )


@access(ALL_ROLES, deny_status=404, obj=Vacancy)
def vacancy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = selectors.vacancy_get(user=request.user, pk=pk)
    today = timezone.localdate()
    user = request.user
    municipal = is_municipal(user)
    offers = list(vacancy.offers.restrict(user).select_related("case__citizen").order_by("-pk"))
    lease = vacancy.lease
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
        citizens_read(
            request,
            (offer.case.citizen for offer in offers),
            what="offer.names",
            purpose=Purpose.ALLOCATION,
        )
    if municipal:
        labels = gate.unit_labels([vacancy])
        for offer in offers:
            offer.finding_texts = gate.stored_texts(offer.findings, labels)
    actions = vacancy_actions(user, vacancy, active, lease, day=today)
    actions["can_cancel_lease"] = can_cancel_lease(
        user, vacancy, lease, moved_in=lease is not None and services.tenant_moved_in(lease)
    )
    # Offers and guarantee claims are rows about one citizen: outside the steering group's
    # scope (`personal_data` on their querysets), so the page says so instead of "none".
    claims_shown = GuaranteeClaim.objects.holds_organisation(user, vacancy.organisation_id)
    deadline = (
        selectors.answer_deadline(vacancy, today)
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
            "claims_hidden": not claims_shown,
            "active_offer": active,
            "lease": lease,
            "cancelled_leases": list(vacancy.leases.cancelled().select_related("cancelled_by")),
            "show_cancellation_reasons": disclosure.sees_cancellation_reasons(user),
            "show_decline_reasons": disclosure.sees_decline_reasons(user),
            "timeline": disclosure.timeline_for(
                user, selectors.vacancy_timeline(vacancy), offers, claims_shown=claims_shown
            ),
            "deadline": deadline,
            "show_cases": municipal,
            "nominee_contact": None if municipal else nominee_contact,
            **actions,
            "usable": gate.usability(vacancy=vacancy, day=today) if actions["can_answer"] else None,
            # A claim is one tenant's money (personal data): the viewer's row scope decides.
            "claims": list(lease.guarantee_claims.order_by("pk")) if lease and claims_shown else [],
            "void_rent": vacancy.void_rent_on(today),
        },
    )


@access(LEAD, deny_status=404, obj=Vacancy, action=WRITE, methods=POST_ONLY)
def vacancy_accept(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = selectors.vacancy_get(user=request.user, pk=pk)
    today = timezone.localdate()
    # Past the deadline (a page loaded before it), the service's refusal says why; asking for
    # "Accept anyway" first would send the lead after the wrong problem.
    if not request.POST.get("confirm_nobody") and answer_in_time(vacancy, today):
        usable = gate.usability(vacancy=vacancy, day=today)
        if usable.nobody:
            messages.error(
                request,
                _(
                    "No waiting citizen may get this dwelling. Tick “Accept anyway” to accept "
                    "it all the same."
                ),
            )
            return redirect("vacancies:vacancy_detail", pk=pk)
    done = perform(
        request,
        lambda: services.vacancy_accept_result(actor=request.user, vacancy=vacancy),
        success=_("The municipality has accepted the dwelling."),
    )
    for correction in done.result.corrections if done else ():
        messages.info(request, correction)  # the money between the parties, as for a lease
    return redirect("vacancies:vacancy_detail", pk=pk)


@access(LEAD, deny_status=404, obj=Vacancy, action=WRITE)
def vacancy_decline(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = selectors.vacancy_get(user=request.user, pk=pk)
    return _vacancy_form(
        request,
        VacancyDeclineForm(posted(request)),
        lambda data: services.vacancy_decline(
            actor=request.user, vacancy=vacancy, note=data["note"]
        ),
        success=_("The dwelling is returned to the organisation."),
        title=_("Decline the dwelling"),
        vacancy=vacancy,
    )


@access(LEAD, deny_status=404, obj=Vacancy, action=WRITE)
def vacancy_hand_back(request: HttpRequest, pk: int) -> HttpResponse:
    """The allocation lead hands an accepted dwelling back to ordinary letting."""
    vacancy = selectors.vacancy_get(user=request.user, pk=pk)
    return _vacancy_form(
        request,
        VacancyHandBackForm(posted(request)),
        lambda data: services.vacancy_hand_back(
            actor=request.user, vacancy=vacancy, reason=data["reason"]
        ),
        success=_("The dwelling is handed back to the organisation; void rent stops today."),
        title=_("Hand the dwelling back to ordinary letting"),
        vacancy=vacancy,
    )


@access(REPORTERS, deny_status=404, obj=Vacancy, action=WRITE)
def vacancy_let(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = selectors.vacancy_get(user=request.user, pk=pk)
    return _vacancy_form(
        request,
        LetOrdinaryForm(posted(request)),
        lambda data: services.vacancy_let_ordinary(
            actor=request.user, vacancy=vacancy, starts_on=data["starts_on"]
        ),
        success=_("The dwelling is registered as let."),
        title=_("Let through the organisation's waiting list"),
        vacancy=vacancy,
    )


# --- offers -------------------------------------------------------------------------------------


@access(MUNICIPAL, deny_status=404, obj=Offer, action=WRITE)
def offer_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    offer = selectors.offer_get(user=request.user, pk=pk)
    return _vacancy_form(
        request,
        OfferWithdrawForm(posted(request)),
        lambda data: services.offer_withdraw(actor=request.user, offer=offer, note=data["note"]),
        success=_("The offer is withdrawn."),
        title=_("Withdraw the offer"),
        vacancy=offer.vacancy,
    )


@access(REPORTERS, deny_status=404, obj=Offer, action=WRITE)
def offer_reject(request: HttpRequest, pk: int) -> HttpResponse:
    offer = selectors.offer_get(user=request.user, pk=pk)
    return _vacancy_form(
        request,
        OfferRejectForm(posted(request)),
        lambda data: services.offer_reject(
            actor=request.user, offer=offer, ground=data["ground"], note=data["note"]
        ),
        success=_("The rejection is recorded."),
        title=_("Reject the nominee"),
        vacancy=offer.vacancy,
        intro=_(
            "The organisation can reject a nominee only on these legal grounds; the ground is "
            "recorded."
        ),
    )


@access(LEASE_WRITERS, deny_status=404, obj=Offer, action=WRITE)
def lease_create(request: HttpRequest, pk: int) -> HttpResponse:
    offer = selectors.offer_get(user=request.user, pk=pk)

    def registered(result: Any) -> HttpResponse:
        for warning in disclosure.lease_warnings_for(request.user, result.warnings, offer):
            messages.warning(request, warning)
        for correction in result.corrections:  # money between the parties: both may see
            messages.info(request, correction)
        return redirect("vacancies:vacancy_detail", pk=offer.vacancy_id)

    try:
        return _vacancy_form(
            request,
            LeaseForm(posted(request)),
            lambda data: services.lease_register(
                actor=request.user,
                offer=offer,
                signed_on=data["signed_on"],
                starts_on=data["starts_on"],
                move_in_on=data["move_in_on"],
            ),
            success=_("The lease is registered; the citizen is housed."),
            title=_("Register the lease"),
            vacancy=offer.vacancy,
            done=registered,
        )
    except PermissionDenied:
        raise Http404 from None


@access(LEASE_WRITERS, deny_status=404, obj=Lease, action=WRITE)
def lease_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """The lease is cancelled before the tenant moves in (the allocation lead or the dwelling's
    organisation): the confirmation form, then `services.lease_cancel`."""
    lease = Lease.objects.restrict(request.user).select_related("vacancy__dwelling").get(pk=pk)

    def cancelled(result: Any) -> HttpResponse:
        for correction in result.corrections:  # money between the parties: both may see
            messages.info(request, correction)
        return redirect("vacancies:vacancy_detail", pk=lease.vacancy_id)

    try:
        return _vacancy_form(
            request,
            LeaseCancelForm(posted(request), initial={"cancelled_on": timezone.localdate()}),
            lambda data: services.lease_cancel(
                actor=request.user,
                lease=lease,
                cancelled_on=data["cancelled_on"],
                reason=data["reason"],
            ),
            success=_(
                "The lease is recorded as cancelled before move-in; the dwelling can be offered "
                "again and the citizen is waiting again."
            ),
            title=_("The lease was cancelled before move-in"),
            vacancy=lease.vacancy,
            done=cancelled,
            intro=_(
                "The lease of %(dwelling)s from %(start)s (signed %(signed)s) is kept as cancelled. "
                "The dwelling goes back to the municipality for a new offer, the void rent runs "
                "again from its start, the placement no longer counts in the caps, and the citizen "
                "is waiting again with the same waiting time."
            )
            % {
                "dwelling": lease.vacancy.dwelling,
                "start": fmt.date(lease.starts_on),
                "signed": fmt.date(lease.signed_on),
            },
        )
    except PermissionDenied:
        raise Http404 from None


# --- void rent ----------------------------------------------------------------------------------


@access(ALL_ROLES)
def void_rent(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    quarter, quarters = _quarters(request, today)
    statement = selectors.void_rent_statement(user=request.user, quarter=quarter, today=today)
    if request.GET.get("format") in ("csv", "xlsx"):
        return file_response(
            name=f"tomgangsleje-{quarter}",
            filetype=request.GET["format"],
            columns=VOID_RENT_COLUMNS,
            items=statement.lines,
        )
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


@access(TENANCY_FOLLOWERS)
def claim_list(request: HttpRequest) -> HttpResponse:
    """The claims of the quarter, one per tenant's lease: tenant-level money, so not for the
    steering group, which sees the claims as suppressed aggregates in its dialogue and report."""
    quarter, quarters = _quarters(request, timezone.localdate())
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
    return _vacancy_form(
        request,
        form,
        lambda data: services.guarantee_claim_submit(
            actor=request.user,
            lease=lease,
            kind=data["kind"],
            event_date=data["event_date"],
            amount=data["amount"],
            description=data["description"],
        ),
        success=_("The claim is submitted to the municipality."),
        title=_("Register a guarantee claim"),
        vacancy=lease.vacancy,
    )


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
    return _vacancy_form(
        request,
        ClaimDecisionForm(posted(request)),
        lambda data: services.guarantee_claim_decide(
            actor=request.user,
            claim=claim,
            approve=data["decision"] == "approve",
            reason=data["reason"],
        ),
        success=_("The decision is recorded."),
        title=_("Decide the guarantee claim"),
        vacancy=claim.lease.vacancy,
        intro=f"{claim.get_kind_display()}: {fmt.money(claim.amount)} · {claim.description}",
    )
