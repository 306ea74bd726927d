from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anvis.common import formats as fmt
from anvis.common.exports import file_response
from anvis.common.forms import form_page, form_status, perform, posted, submit
from anvis.common.lists import paginate
from anvis.common.numbers import digits
from anvis.permissions import (
    ALL_ROLES,
    LEAD,
    MUNICIPAL,
    OVERSIGHT,
    POST_ONLY,
    TENANCY_FOLLOWERS,
    access,
    user_has_role,
)
from anvis.stock.selectors import readable_organisation_ids

from . import selectors, services
from .filters import ledger_query
from .forms import (
    AgreementForm,
    ApproveForm,
    ForumForm,
    HandheldCloseForm,
    HandheldForm,
    PartyLeaveForm,
    ProposalForm,
    ReassessmentYearForm,
    StepForm,
    VersionForm,
)
from .labels import STATUS_LABELS
from .models import (
    AgreementVersion,
    GovernanceForum,
    HandheldStatus,
    ReassessmentStatus,
    StepReassessment,
)
from .tables import ledger_columns, ledger_file_name

VIEWERS = ALL_ROLES


def _can_edit(request: HttpRequest) -> bool:
    return user_has_role(request.user, LEAD)


def _form(
    request: HttpRequest,
    form: Any,
    action: Callable[[dict[str, Any]], Any],
    *,
    success: str,
    title: str,
    back: str,
    back_pk: int | None = None,
    done: str | Callable[[Any], HttpResponse] | None = None,
    **extra: Any,
) -> HttpResponse:
    """An agreement form's page (`form_page`): its "Back" link goes to the page `back` names
    (of `back_pk`), and a saved form returns there too unless `done` says where."""
    return form_page(
        request,
        form,
        action,
        success=success,
        done=done or reverse(back, args=[back_pk] if back_pk else None),
        template="agreements/form.html",
        context={"title": title, "back": back, "back_pk": back_pk, **extra},
    )


def _terms(cleaned: dict[str, Any]) -> dict[str, Any]:
    """The version's terms from a version form's cleaned data."""
    return {name: cleaned[name] for name in AgreementVersion.TERM_FIELDS}


def _fresh(version: AgreementVersion) -> AgreementVersion:
    version.refresh_from_db()
    return version


# --- agreements ---------------------------------------------------------------------------------


@access(VIEWERS)
def agreement_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    agreements = list(selectors.agreement_list(user=request.user).prefetch_related("parties"))
    for agreement in agreements:
        agreement.current = agreement.version_for(today)
    return render(
        request,
        "agreements/agreement_list.html",
        {"agreements": agreements, "can_edit": _can_edit(request), "today": today},
    )


@access(VIEWERS, deny_status=404)
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get(user=request.user, pk=pk)
    today = timezone.localdate()
    current = agreement.version_for(today)
    steps = selectors.department_steps(user=request.user, agreement=agreement, day=today)
    parties = list(agreement.parties.order_by("name"))
    until = dict(agreement.memberships.values_list("housingorganisation_id", "until"))
    for party in parties:
        party.party_until = until.get(party.pk)
    return render(
        request,
        "agreements/agreement_detail.html",
        {
            "agreement": agreement,
            "current": current,
            "terms": selectors.version_terms(current) if current else [],
            "history": selectors.version_history(agreement, today),
            "fora": agreement.fora.all(),
            "parties": parties,
            "readable_parties": readable_organisation_ids(request.user, parties),
            "step_summary": selectors.step_summary(steps),
            "steps_total": len(steps),
            "can_edit": _can_edit(request),
            "today": today,
        },
    )


@access(LEAD)
def agreement_create(request: HttpRequest) -> HttpResponse:
    return _form(
        request,
        AgreementForm(posted(request)),
        lambda cd: services.agreement_create(actor=request.user, **cd),
        success=_("The agreement has been created with a first version. Check its terms."),
        title=_("New allocation agreement"),
        back="agreements:agreement_list",
        done=lambda agreement: redirect("agreements:agreement_detail", agreement.pk),
    )


@access(LEAD, deny_status=404)
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get(user=request.user, pk=pk)
    form = AgreementForm(
        posted(request),
        instance=agreement,
        initial={"parties": agreement.parties.all()},
    )
    return _form(
        request,
        form,
        lambda cd: services.agreement_update(actor=request.user, agreement=agreement, **cd),
        success=_("The agreement has been saved."),
        title=_("Edit agreement"),
        back="agreements:agreement_detail",
        back_pk=agreement.pk,
    )


@access(LEAD, deny_status=404)
def party_leave(request: HttpRequest, pk: int) -> HttpResponse:
    """The last day a party is party to the agreement (`services.agreement_party_leave`)."""
    agreement = selectors.agreement_get(user=request.user, pk=pk)

    def said(membership: Any) -> str:
        name = membership.housingorganisation.name
        if membership.until is None:
            return _("%(organisation)s is a party to the agreement as long as it is in force.") % {
                "organisation": name
            }
        return _("%(organisation)s is a party to the agreement until %(date)s.") % {
            "organisation": name,
            "date": fmt.date(membership.until),
        }

    return _form(
        request,
        PartyLeaveForm(posted(request), agreement=agreement),
        lambda cd: services.agreement_party_leave(actor=request.user, agreement=agreement, **cd),
        success=said,
        title=_("A party leaves the agreement"),
        back="agreements:agreement_detail",
        back_pk=agreement.pk,
    )


# --- versions -----------------------------------------------------------------------------------


@access(LEAD, deny_status=404)
def version_create(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get(user=request.user, pk=pk)
    today = timezone.localdate()
    base = agreement.version_for(today) or agreement.versions.order_by("-valid_from").first()
    initial = {name: getattr(base, name) for name in AgreementVersion.TERM_FIELDS} if base else {}
    initial["valid_from"] = services.new_version_from(agreement, today)
    form = VersionForm(
        posted(request),
        instance=AgreementVersion(agreement=agreement),
        initial=initial,
    )
    return _form(
        request,
        form,
        lambda cd: services.agreement_version_create(
            actor=request.user, agreement=agreement, **_terms(cd)
        ),
        success=_("The new version has been saved."),
        title=_("New version of %(title)s") % {"title": agreement.title},
        back="agreements:agreement_detail",
        back_pk=agreement.pk,
        intro=_(
            "The terms are filled in from the version in force. Change what the parties agreed; "
            "the earlier versions stay in the history."
        ),
    )


@access(LEAD, deny_status=404)
def version_edit(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(AgreementVersion.objects.select_related("agreement"), pk=pk)
    selectors.agreement_get(user=request.user, pk=version.agreement_id)
    locked = services.version_locked_message(version, timezone.localdate())
    if locked:
        messages.warning(request, locked)
        return redirect("agreements:agreement_detail", version.agreement_id)
    return _form(
        request,
        VersionForm(posted(request), instance=version),
        lambda cd: services.agreement_version_update(
            actor=request.user, version=_fresh(version), **_terms(cd)
        ),
        success=_("The version has been saved."),
        title=_("Edit version valid from %(date)s") % {"date": fmt.date(version.valid_from)},
        back="agreements:agreement_detail",
        back_pk=version.agreement_id,
    )


# --- fora ---------------------------------------------------------------------------------------


@access(LEAD, deny_status=404)
def forum_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _forum_form(request, selectors.agreement_get(user=request.user, pk=pk), None)


@access(LEAD, deny_status=404)
def forum_edit(request: HttpRequest, pk: int) -> HttpResponse:
    forum = get_object_or_404(GovernanceForum, pk=pk)
    return _forum_form(
        request, selectors.agreement_get(user=request.user, pk=forum.agreement_id), forum
    )


def _forum_form(
    request: HttpRequest, agreement: Any, forum: GovernanceForum | None
) -> HttpResponse:
    return _form(
        request,
        ForumForm(posted(request), instance=forum),
        lambda cd: services.forum_save(actor=request.user, agreement=agreement, forum=forum, **cd),
        success=_("The forum has been saved."),
        title=_("Edit forum") if forum else _("New forum"),
        back="agreements:agreement_detail",
        back_pk=agreement.pk,
    )


# --- department steps ---------------------------------------------------------------------------


@access(VIEWERS, deny_status=404)
def step_list(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get(user=request.user, pk=pk)
    today = timezone.localdate()
    org = request.GET.get("organisation")
    rows = selectors.department_steps(
        user=request.user,
        agreement=agreement,
        day=today,
        organisation_id=digits(org),
    )
    page, query = paginate(request, rows)
    return render(
        request,
        "agreements/step_list.html",
        {
            "agreement": agreement,
            "page": page,
            "query": query,
            "today": today,
            "summary": selectors.step_summary(rows),
            "can_edit": _can_edit(request),
            "organisations": agreement.parties.order_by("name")
            if user_has_role(request.user, OVERSIGHT)
            else [],
            "selected_org": org or "",
        },
    )


@access(LEAD, deny_status=404)
def step_create(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get(user=request.user, pk=pk)
    initial = {"valid_from": timezone.localdate()}
    if (department := digits(request.GET.get("department"))) is not None:
        initial["department"] = department
    return _form(
        request,
        StepForm(posted(request), agreement=agreement, initial=initial),
        lambda cd: services.department_step_set(actor=request.user, agreement=agreement, **cd),
        success=_("The department's new step has been saved."),
        title=_("Set a department step"),
        back="agreements:step_list",
        back_pk=agreement.pk,
        intro=_("The department's current step stays in its history."),
    )


# --- reassessment -------------------------------------------------------------------------------


@access(OVERSIGHT, deny_status=404)
def reassessment_list(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get(user=request.user, pk=pk)
    form = ReassessmentYearForm(
        posted(request),
        initial={"year": timezone.localdate().year},
    )
    if request.method == "POST":
        if not _can_edit(request):
            raise Http404
        if form.is_valid():
            reassessment = services.reassessment_open(
                actor=request.user, agreement=agreement, year=form.cleaned_data["year"]
            )
            return redirect("agreements:reassessment_detail", reassessment.pk)
    return render(
        request,
        "agreements/reassessment_list.html",
        {
            "agreement": agreement,
            "form": form,
            "can_edit": _can_edit(request),
            "reassessments": agreement.reassessments.select_related("approved_by"),
        },
        status=form_status(request, form),
    )


@access(OVERSIGHT, deny_status=404)
def reassessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    reassessment = get_object_or_404(
        StepReassessment.objects.select_related("agreement", "approved_by"), pk=pk
    )
    agreement = selectors.agreement_get(user=request.user, pk=reassessment.agreement_id)
    form = ProposalForm(posted(request), agreement=agreement)
    if request.method == "POST":
        if not _can_edit(request):
            raise Http404
        if reassessment.status == ReassessmentStatus.APPROVED:
            # The page no longer shows the proposal form: say why the proposal is refused.
            messages.error(
                request,
                _("The reassessment for %(year)s has already been approved.")
                % {"year": reassessment.year},
            )
            return _reassessment_page(
                request, reassessment, agreement, ProposalForm(agreement=agreement), None, True
            )
        if submit(
            request,
            form,
            lambda d: services.step_proposals_submit(
                actor=request.user,
                agreement=agreement,
                year=reassessment.year,
                proposals=[(d["department"], d["share_percent"], d["reason"])],
            ),
            success=_("The proposal has been saved."),
        ):
            return redirect("agreements:reassessment_detail", reassessment.pk)
    return _reassessment_page(request, reassessment, agreement, form, None)


def _reassessment_page(
    request: HttpRequest,
    reassessment: StepReassessment,
    agreement: Any,
    form: ProposalForm,
    approve_form: ApproveForm | None,
    refused: bool = False,
) -> HttpResponse:
    today = timezone.localdate()
    proposals = list(
        reassessment.proposals.select_related("department__organisation", "proposed_by")
    )
    current = {
        r.department.pk: r.current
        for r in selectors.department_steps(user=request.user, agreement=agreement, day=today)
    }
    for p in proposals:
        p.current = current.get(p.department_id)
    if approve_form is None:
        approve_form = ApproveForm(initial={"effective_from": f"{reassessment.year + 1}-01-01"})
    return render(
        request,
        "agreements/reassessment_detail.html",
        {
            "agreement": agreement,
            "reassessment": reassessment,
            "proposals": proposals,
            "form": form,
            "approve_form": approve_form,
            "can_edit": _can_edit(request),
        },
        status=form_status(request, form, approve_form, refused=refused),
    )


@access(LEAD, deny_status=404, methods=POST_ONLY)
def reassessment_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve the proposals; a refused approval shows the reassessment again (422)."""
    reassessment = get_object_or_404(StepReassessment, pk=pk)
    agreement = selectors.agreement_get(user=request.user, pk=reassessment.agreement_id)
    form = ApproveForm(request.POST)
    if form.is_valid():
        if (
            perform(
                request,
                lambda: services.step_reassessment_approve(
                    actor=request.user,
                    reassessment=reassessment,
                    effective_from=form.cleaned_data["effective_from"],
                ),
                success=lambda steps: (
                    _("Approved: %(n)d departments have new steps.") % {"n": len(steps)}
                ),
            )
            is not None
        ):
            return redirect("agreements:reassessment_detail", reassessment.pk)
    else:
        messages.error(request, _("Give the date the new steps are valid from."))
    return _reassessment_page(
        request, reassessment, agreement, ProposalForm(agreement=agreement), form, refused=True
    )


# --- håndholdte requests ------------------------------------------------------------------------


@access(TENANCY_FOLLOWERS)  # the parties; a request is about one citizen (steering group: 403)
def handheld_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", HandheldStatus.OPEN)
    if status not in HandheldStatus.values and status != "all":
        status = HandheldStatus.OPEN
    qs = selectors.handheld_request_list(
        user=request.user, status=None if status == "all" else status
    )
    page, query = paginate(request, qs)
    return render(
        request,
        "agreements/handheld_list.html",
        {
            "page": page,
            "query": query,
            "status": status,
            "statuses": HandheldStatus.choices,
            "can_create": user_has_role(request.user, MUNICIPAL),
        },
    )


@access(MUNICIPAL)
def handheld_create(request: HttpRequest) -> HttpResponse:
    agreement = selectors.agreement_default(user=request.user, day=timezone.localdate())
    if agreement is None:
        messages.error(request, _("Create an allocation agreement first."))
        return redirect("agreements:handheld_list")
    return _form(
        request,
        HandheldForm(
            posted(request), agreement=agreement, initial={"requested_on": timezone.localdate()}
        ),
        lambda cd: services.handheld_request_create(actor=request.user, agreement=agreement, **cd),
        success=_("The håndholdt request has been sent to the housing organisations."),
        title=_("New håndholdt request"),
        back="agreements:handheld_list",
        intro=_(
            "Describe the need without names or CPR numbers. The housing organisations "
            "see the request."
        ),
    )


@access(MUNICIPAL, deny_status=404)
def handheld_close(request: HttpRequest, pk: int) -> HttpResponse:
    handheld = selectors.handheld_request_get(user=request.user, pk=pk)
    return _form(
        request,
        HandheldCloseForm(posted(request)),
        lambda cd: services.handheld_request_close(actor=request.user, request=handheld, **cd),
        success=_("The request has been closed."),
        title=_("Close håndholdt request %(ref)s") % {"ref": handheld.case_reference},
        back="agreements:handheld_list",
        handheld=handheld,
    )


# --- ledger -------------------------------------------------------------------------------------


@access(VIEWERS)
def ledger(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    agreements = list(selectors.agreement_list(user=request.user))
    query = ledger_query(request.GET, user=request.user)
    agreement = query.agreement or selectors.agreement_default(user=request.user, day=today)
    if agreement is None:
        return render(request, "agreements/ledger.html", {"view": None, "agreements": agreements})
    quarter, refusal = selectors.ledger_quarter(agreement, query.quarter, today)
    level = query.level
    view = selectors.ledger(
        user=request.user, agreement=agreement, quarter=quarter, level=level, today=today
    )
    if request.GET.get("format") in ("csv", "xlsx"):
        return file_response(
            name=ledger_file_name(view),
            filetype=request.GET["format"],
            columns=ledger_columns(view),
            items=view.rows,
        )
    if refusal:  # said on the page it concerns (a download's would wait for the next page)
        messages.warning(request, refusal)
    # The table pages through the lines (7,000 departments at national scale); the totals and
    # the CSV cover every line. A status filter picks the lines behind their share.
    status = request.GET.get("status", "")
    rows = [r for r in view.rows if r.line.status.value == status] if status else view.rows
    page, query_string = paginate(request, rows)
    return render(
        request,
        "agreements/ledger.html",
        {
            "view": view,
            "agreements": agreements,
            "level": level,
            "page": page,
            "query": query_string,
            "status": status,
            "statuses": [(s.value, _(label)) for s, label in STATUS_LABELS.items()],
        },
    )
