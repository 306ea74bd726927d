"""Case pages. Municipal roles only; everyone else gets 404 for every case URL.

Every page that shows case details writes a personal-data access record; revealing the full
CPR number is a separate POST that writes its own record (``case.cpr_reveal``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anvis.audit.services import Purpose, citizens_read
from anvis.common import formats as fmt
from anvis.common.forms import form_page, form_status, perform, posted, submit
from anvis.common.lists import paginate, search_params, search_redirect
from anvis.permissions import MUNICIPAL, POST_ONLY, access
from anvis_core.cases.bars import AreaKind, BarStatus
from anvis_core.cases.priority import Criterion, PriorityBreakdown

from . import selectors, services
from .filters import CaseFilter
from .forms import (
    AvoidAreaForm,
    CaseCreateForm,
    ConsentForm,
    ContactForm,
    DischargeForm,
    EconomyForm,
    HouseholdForm,
    LegalBarForm,
    NeedsForm,
    NoteForm,
    ParkForm,
    ShelterStayForm,
    SituationForm,
    StatusForm,
    SupportPlanForm,
    UrgencyForm,
)
from .models import (
    AvoidArea,
    BarKind,
    Case,
    ContactConsent,
    LegalBarEvent,
    ShelterStay,
    Situation,
    SupportPlan,
    SupportStatus,
)

PRIVATE_SEARCH = ("q",)
TABS = [
    ("overview", "", gettext_lazy("Overview")),
    ("household", "husstand/", gettext_lazy("Household and needs")),
    ("economy", "oekonomi/", gettext_lazy("Economy")),
    ("shelter", "herberg-og-stoette/", gettext_lazy("Shelter and support")),
    ("timeline", "tidslinje/", gettext_lazy("Timeline")),
]
TAB_URLS = {key: f"cases:case_{key}" for key, _path, _label in TABS}
CRITERION_LABELS = {
    Criterion.WAITING_DAYS: gettext_lazy("Waiting days"),
    Criterion.SITUATION: gettext_lazy("Situation"),
    Criterion.CHILDREN: gettext_lazy("Children in the household"),
    Criterion.DISCHARGE_WITHOUT_ADDRESS: gettext_lazy("Documented discharge without an address"),
    Criterion.URGENCY: gettext_lazy("Caseworker urgency"),
}
AREA_LABELS = {
    AreaKind.VULNERABLE: gettext_lazy("Vulnerable areas (udsatte boligområder, § 59 stk. 6)"),
    AreaKind.PREVENTION: gettext_lazy("Prevention areas (forebyggelsesområder, § 59 stk. 7)"),
}


def _priority_rows(breakdown: PriorityBreakdown) -> list[dict[str, Any]]:
    rows = []
    for item in breakdown.items:
        detail = item.detail
        if item.criterion is Criterion.SITUATION and detail:
            detail = str(Situation(detail).label)
        elif item.criterion is Criterion.WAITING_DAYS:
            detail = _("%(days)d days") % {"days": item.quantity}
        rows.append(
            {"label": CRITERION_LABELS[item.criterion], "detail": detail, "points": item.points}
        )
    return rows


def _bar_rows(bars: dict[AreaKind, BarStatus]) -> list[dict[str, Any]]:
    return [
        {
            "label": AREA_LABELS[area],
            "status": status,
            "reasons": [str(BarKind(r).label) for r in status.reasons],
        }
        for area, status in bars.items()
    ]


def _log(request: HttpRequest, case: Case, what: str) -> None:
    citizens_read(request, [case.citizen], what=what, purpose=Purpose.CASEWORK)


def _case(request: HttpRequest, pk: int, read: str = "") -> Case:
    """The case; `read` names the view when the page shows the case (logged as casework)."""
    case = selectors.case_get(
        user=request.user,
        pk=pk,
        purpose=Purpose.CASEWORK if read else None,
        what=read,
        path=request.path,
    )
    if case.parked_until is not None and case.parked_until < timezone.localdate():
        case = services.case_unpark(actor=request.user, case=case, automatic=True)
    return case


def _tab_url(case: Case, tab: str) -> str:
    return reverse(TAB_URLS[tab], args=[case.pk])


@access(MUNICIPAL, deny_status=404)
def case_list(request: HttpRequest) -> HttpResponse:
    services.cases_unpark_due()
    # The search box may hold a name or a CPR number: it is posted, never sent in a URL.
    if request.method == "POST":
        filterset = CaseFilter(request.POST, queryset=selectors.case_list(user=request.user))
        if filterset.is_valid():
            return search_redirect(request, PRIVATE_SEARCH)
    else:
        filterset = CaseFilter(
            search_params(request, PRIVATE_SEARCH), queryset=selectors.case_list(user=request.user)
        )
    page, query = paginate(request, filterset.qs)
    today = timezone.localdate()
    for case in page:
        case.age = case.citizen.age_on(today)
    citizens_read(
        request, (case.citizen for case in page), what="case.list", purpose=Purpose.CASEWORK
    )
    return render(
        request,
        "cases/case_list.html",
        {"filter": filterset, "page": page, "query": query, "today": today},
        status=422 if request.method == "POST" else 200,
    )


@access(MUNICIPAL, deny_status=404)
def case_create(request: HttpRequest) -> HttpResponse:
    form = CaseCreateForm(posted(request))
    known = None

    def create(data: dict[str, Any]) -> Case:
        nonlocal known
        known = selectors.citizen_find_by_cpr(cpr=data["cpr"])
        fields = [
            "cpr",
            "first_name",
            "last_name",
            "phone",
            "email",
            "preferred_contact",
            "situation",
            "situation_since",
            "release_from",
            "release_date",
            "adults",
        ]
        return services.case_create(actor=request.user, **{f: data[f] for f in fields})

    def opened(case: Case) -> HttpResponse:
        if known is not None:
            messages.info(
                request, _("The citizen was known: the new case is linked to the earlier ones.")
            )
        messages.success(request, _("Case %(number)s opened.") % {"number": case.number})
        return redirect(_tab_url(case, "overview"))

    return form_page(
        request, form, create, success=None, done=opened, template="cases/case_create.html"
    )


def _detail(request: HttpRequest, pk: int, tab: str, show_cpr: bool = False) -> HttpResponse:
    case = _case(request, pk, read="case.cpr_reveal" if show_cpr else f"case.view.{tab}")
    today = timezone.localdate()
    context: dict[str, Any] = {
        "case": case,
        "citizen": case.citizen,
        "tab": tab,
        "tabs": [(key, reverse(TAB_URLS[key], args=[case.pk]), label) for key, _p, label in TABS],
        "today": today,
        "show_cpr": show_cpr,
        **selectors.case_overview(case=case, today=today),
    }
    context["priority_rows"] = _priority_rows(context["priority"])
    context["bar_rows"] = _bar_rows(context["bars"])
    if tab == "overview":
        context["status_form"] = StatusForm(case=case)
        context["park_form"] = ParkForm()
        context["urgency_form"] = UrgencyForm(
            initial={"urgent": case.urgent, "urgency_reason": case.urgency_reason}
        )
    elif tab == "household":
        context["avoid_areas"] = case.avoid_areas.select_related(
            "department", "department__organisation"
        )
        context["situations"] = case.situations.all()
    elif tab == "shelter":
        context["stays"] = case.shelter_stays.all()
        context["bar_events"] = case.bar_events.all()
        context["consents"] = case.consents.all()
        context["support_statuses"] = SupportStatus.choices
    elif tab == "timeline":
        context["events"] = case.events.select_related("actor")
        context["note_form"] = NoteForm()
    return render(request, "cases/case_detail.html", context)


def _tab_view(tab: str) -> Callable[..., HttpResponse]:
    @access(MUNICIPAL, deny_status=404)
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        return _detail(request, pk, tab)

    view.__name__ = f"case_{tab}"
    return view


case_overview = _tab_view("overview")
case_household = _tab_view("household")
case_economy = _tab_view("economy")
case_shelter = _tab_view("shelter")
case_timeline = _tab_view("timeline")


@access(MUNICIPAL, deny_status=404, methods=POST_ONLY)
def case_cpr_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk, "overview", show_cpr=True)


# (form class, title, tab to return to, initial values, save)
EDIT_SECTIONS: dict[str, tuple[Any, Any, str]] = {
    "kontakt": (ContactForm, gettext_lazy("Contact details"), "overview"),
    "husstand": (HouseholdForm, gettext_lazy("Household"), "household"),
    "behov": (NeedsForm, gettext_lazy("Needs and wishes"), "household"),
    "oekonomi": (EconomyForm, gettext_lazy("Economy"), "economy"),
    "situation": (SituationForm, gettext_lazy("Homelessness situation"), "overview"),
}


@access(MUNICIPAL, deny_status=404)
def case_edit(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    if section not in EDIT_SECTIONS:
        raise Http404
    case = _case(request, pk)
    form_class, title, back = EDIT_SECTIONS[section]
    data = posted(request)
    if form_class is ContactForm:
        form = ContactForm(data, instance=case.citizen)
    elif form_class is SituationForm:
        form = SituationForm(
            data, initial={"situation": case.situation, "since": timezone.localdate()}
        )
    elif form_class is HouseholdForm:
        dates = "\n".join(fmt.date(c.birth_date) for c in case.children.all())
        form = HouseholdForm(data, instance=case, initial={"children_birth_dates": dates})
    else:
        form = form_class(data, instance=case)

    def save(cd: dict[str, Any]) -> Any:
        user = request.user
        if form_class is ContactForm:
            return services.citizen_update(actor=user, citizen=case.citizen, changes=cd)
        if form_class is SituationForm:
            return services.case_set_situation(
                actor=user,
                case=case,
                situation=cd["situation"],
                since=cd["since"],
                release_from=cd["release_from"],
                release_date=cd["release_date"],
            )
        if form_class is HouseholdForm:
            changes = {k: v for k, v in cd.items() if k != "children_birth_dates"}
            return services.case_update_household(
                actor=user, case=case, changes=changes, birth_dates=cd["children_birth_dates"]
            )
        return services.case_update(actor=user, case=case, changes=cd)

    return _case_form(
        request,
        case,
        form,
        save,
        title=str(title),
        back=back,
        success=_("Saved."),
        read=f"case.edit.{section}",
    )


def _case_form(
    request: HttpRequest,
    case: Case,
    form: forms.BaseForm,
    save: Callable[[dict[str, Any]], Any],
    *,
    title: str,
    back: str,
    success: str,
    read: str = "case.edit",
) -> HttpResponse:
    """A form about the case: a valid POST saves it (`submit`) and goes back to the case's
    `back` tab; otherwise the form's page, whose showing of the case is logged as `read`."""
    if submit(request, form, save, success=success):
        return redirect(_tab_url(case, back))
    _log(request, case, read)
    return render(
        request,
        "cases/case_form.html",
        {"case": case, "form": form, "title": title, "back_url": _tab_url(case, back), "intro": ""},
        status=form_status(request, form),
    )


def _action_view(
    form: Callable[[Any, Case], forms.BaseForm],
    save: Callable[[Any, Case, dict[str, Any]], Any],
    *,
    title: str | Promise,
    back: str,
    success: str | Promise,
) -> Callable[..., HttpResponse]:
    """The view of one action on a case: `form(data, case)`, whose valid POST runs
    `save(user, case, cleaned_data)` (`_case_form`)."""

    @access(MUNICIPAL, deny_status=404)
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        case = _case(request, pk)
        return _case_form(
            request,
            case,
            form(posted(request), case),
            lambda cd: save(request.user, case, cd),
            title=str(title),
            back=back,
            success=str(success),
        )

    return view


case_status = _action_view(
    lambda data, case: StatusForm(data, case=case),
    lambda user, case, cd: services.case_transition(
        actor=user, case=case, status=cd["status"], by_hand=True
    ),
    title=gettext_lazy("Change status"),
    back="overview",
    success=gettext_lazy("Status changed."),
)
case_urgency = _action_view(
    lambda data, case: UrgencyForm(data),
    lambda user, case, cd: services.case_set_urgency(
        actor=user, case=case, urgent=cd["urgent"], reason=cd["urgency_reason"]
    ),
    title=gettext_lazy("Urgency"),
    back="overview",
    success=gettext_lazy("Saved."),
)
case_park = _action_view(
    lambda data, case: ParkForm(data),
    lambda user, case, cd: services.case_park(
        actor=user, case=case, until=cd["parked_until"], reason=cd["park_reason"]
    ),
    title=gettext_lazy("Park the case"),
    back="overview",
    success=gettext_lazy("The case is parked."),
)


@access(MUNICIPAL, deny_status=404, methods=POST_ONLY)
def case_unpark(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    perform(
        request,
        lambda: services.case_unpark(actor=request.user, case=case),
        success=_("The case is no longer parked."),
    )
    return redirect(_tab_url(case, "overview"))


case_note = _action_view(
    lambda data, case: NoteForm(data),
    lambda user, case, cd: services.case_add_note(actor=user, case=case, text=cd["text"]),
    title=gettext_lazy("Add a note"),
    back="timeline",
    success=gettext_lazy("Note added."),
)
stay_add = _action_view(
    lambda data, case: ShelterStayForm(data),
    lambda user, case, cd: services.shelter_stay_add(actor=user, case=case, **cd),
    title=gettext_lazy("Add a § 110 stay"),
    back="shelter",
    success=gettext_lazy("Stay added."),
)
plan_add = _action_view(
    lambda data, case: SupportPlanForm(data),
    lambda user, case, cd: services.support_plan_add(actor=user, case=case, **cd),
    title=gettext_lazy("Add a support plan"),
    back="shelter",
    success=gettext_lazy("Support plan added."),
)
bar_add = _action_view(
    lambda data, case: LegalBarForm(data),
    lambda user, case, cd: services.legal_bar_add(actor=user, case=case, **cd),
    title=gettext_lazy("Add a legal bar event"),
    back="shelter",
    success=gettext_lazy("Saved."),
)
avoid_add = _action_view(
    lambda data, case: AvoidAreaForm(data),
    lambda user, case, cd: services.avoid_area_add(actor=user, case=case, **cd),
    title=gettext_lazy("Add an area to avoid"),
    back="household",
    success=gettext_lazy("Saved."),
)
consent_add = _action_view(
    lambda data, case: ConsentForm(data, initial={"given_on": timezone.localdate()}),
    lambda user, case, cd: services.consent_record(
        actor=user, case=case, given_on=cd["given_on"], scope=cd["scope"]
    ),
    title=gettext_lazy("Record consent to share contact details"),
    back="shelter",
    success=gettext_lazy("Consent recorded."),
)


@access(MUNICIPAL, deny_status=404)
def stay_discharge(request: HttpRequest, pk: int, stay_pk: int) -> HttpResponse:
    stay = get_object_or_404(
        ShelterStay, pk=stay_pk, case=selectors.case_get(user=request.user, pk=pk)
    )
    case = _case(request, pk)
    return _case_form(
        request,
        case,
        DischargeForm(posted(request), initial={"action_plan": stay.action_plan}),
        lambda cd: services.shelter_stay_discharge(
            actor=request.user,
            stay=stay,
            discharged_on=cd["discharged_on"],
            action_plan=cd["action_plan"],
        ),
        title=_("Discharge from § 110"),
        back="shelter",
        success=_("Discharge recorded."),
    )


class PlanStatusForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=SupportStatus.choices)


@access(MUNICIPAL, deny_status=404)
def plan_status(request: HttpRequest, pk: int, plan_pk: int) -> HttpResponse:
    plan = get_object_or_404(
        SupportPlan, pk=plan_pk, case=selectors.case_get(user=request.user, pk=pk)
    )
    case = _case(request, pk)
    return _case_form(
        request,
        case,
        PlanStatusForm(posted(request), initial={"status": plan.status}),
        lambda cd: services.support_plan_set_status(
            actor=request.user, plan=plan, status=cd["status"]
        ),
        title=_("Support plan status"),
        back="shelter",
        success=_("Saved."),
    )


@access(MUNICIPAL, deny_status=404, methods=POST_ONLY)
def bar_remove(request: HttpRequest, pk: int, bar_pk: int) -> HttpResponse:
    case = _case(request, pk)
    event = get_object_or_404(LegalBarEvent, pk=bar_pk, case=case)
    perform(
        request,
        lambda: services.legal_bar_remove(actor=request.user, event=event),
        success=_("Removed."),
    )
    return redirect(_tab_url(case, "shelter"))


@access(MUNICIPAL, deny_status=404, methods=POST_ONLY)
def avoid_remove(request: HttpRequest, pk: int, area_pk: int) -> HttpResponse:
    case = _case(request, pk)
    area = get_object_or_404(AvoidArea, pk=area_pk, case=case)
    perform(
        request,
        lambda: services.avoid_area_remove(actor=request.user, area=area),
        success=_("Removed."),
    )
    return redirect(_tab_url(case, "household"))


@access(MUNICIPAL, deny_status=404, methods=POST_ONLY)
def consent_withdraw(request: HttpRequest, pk: int, consent_pk: int) -> HttpResponse:
    case = _case(request, pk)
    consent = get_object_or_404(ContactConsent, pk=consent_pk, case=case, withdrawn_on__isnull=True)
    perform(
        request,
        lambda: services.consent_withdraw(
            actor=request.user, consent=consent, withdrawn_on=timezone.localdate()
        ),
        success=_("Consent withdrawn."),
    )
    return redirect(_tab_url(case, "shelter"))
