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
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anvis.audit.services import Purpose, citizens_read
from anvis.common.forms import form_status, posted, submit
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

    if done := submit(request, form, create):
        if known is not None:
            messages.info(
                request, _("The citizen was known: the new case is linked to the earlier ones.")
            )
        messages.success(request, _("Case %(number)s opened.") % {"number": done.result.number})
        return redirect(_tab_url(done.result, "overview"))
    return render(
        request, "cases/case_create.html", {"form": form}, status=form_status(request, form)
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


def _form_page(
    request: HttpRequest,
    case: Case,
    form: forms.BaseForm,
    title: str,
    back: str,
    intro: str = "",
) -> HttpResponse:
    return render(
        request,
        "cases/case_form.html",
        {
            "case": case,
            "form": form,
            "title": title,
            "back_url": _tab_url(case, back),
            "intro": intro,
        },
        status=form_status(request, form),
    )


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
        dates = "\n".join(c.birth_date.strftime("%d-%m-%Y") for c in case.children.all())
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

    if submit(request, form, save, success=_("Saved.")):
        return redirect(_tab_url(case, back))
    _log(request, case, f"case.edit.{section}")
    return _form_page(request, case, form, str(title), back)


def _action(
    request: HttpRequest,
    pk: int,
    form_factory: Callable[[Any, Case], forms.BaseForm],
    perform: Callable[[Case, dict[str, Any]], Any],
    title: str,
    back: str,
    done: str,
) -> HttpResponse:
    case = _case(request, pk)
    form = form_factory(posted(request), case)
    if submit(request, form, lambda cd: perform(case, cd), success=done):
        return redirect(_tab_url(case, back))
    _log(request, case, "case.edit")
    return _form_page(request, case, form, title, back)


@access(MUNICIPAL, deny_status=404)
def case_status(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        lambda data, case: StatusForm(data, case=case),
        lambda case, cd: services.case_transition(
            actor=request.user, case=case, status=cd["status"], by_hand=True
        ),
        _("Change status"),
        "overview",
        _("Status changed."),
    )


@access(MUNICIPAL, deny_status=404)
def case_urgency(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        lambda data, case: UrgencyForm(data),
        lambda case, cd: services.case_set_urgency(
            actor=request.user, case=case, urgent=cd["urgent"], reason=cd["urgency_reason"]
        ),
        _("Urgency"),
        "overview",
        _("Saved."),
    )


@access(MUNICIPAL, deny_status=404)
def case_park(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        lambda data, case: ParkForm(data),
        lambda case, cd: services.case_park(
            actor=request.user, case=case, until=cd["parked_until"], reason=cd["park_reason"]
        ),
        _("Park the case"),
        "overview",
        _("The case is parked."),
    )


@access(MUNICIPAL, deny_status=404, methods=POST_ONLY)
def case_unpark(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    services.case_unpark(actor=request.user, case=case)
    messages.success(request, _("The case is no longer parked."))
    return redirect(_tab_url(case, "overview"))


@access(MUNICIPAL, deny_status=404)
def case_note(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        lambda data, case: NoteForm(data),
        lambda case, cd: services.case_add_note(actor=request.user, case=case, text=cd["text"]),
        _("Add a note"),
        "timeline",
        _("Note added."),
    )


@access(MUNICIPAL, deny_status=404)
def stay_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        lambda data, case: ShelterStayForm(data),
        lambda case, cd: services.shelter_stay_add(actor=request.user, case=case, **cd),
        _("Add a § 110 stay"),
        "shelter",
        _("Stay added."),
    )


@access(MUNICIPAL, deny_status=404)
def stay_discharge(request: HttpRequest, pk: int, stay_pk: int) -> HttpResponse:
    case = selectors.case_get(user=request.user, pk=pk)
    stay = get_object_or_404(ShelterStay, pk=stay_pk, case=case)
    return _action(
        request,
        pk,
        lambda data, case: DischargeForm(data, initial={"action_plan": stay.action_plan}),
        lambda case, cd: services.shelter_stay_discharge(
            actor=request.user,
            stay=stay,
            discharged_on=cd["discharged_on"],
            action_plan=cd["action_plan"],
        ),
        _("Discharge from § 110"),
        "shelter",
        _("Discharge recorded."),
    )


@access(MUNICIPAL, deny_status=404)
def plan_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        lambda data, case: SupportPlanForm(data),
        lambda case, cd: services.support_plan_add(actor=request.user, case=case, **cd),
        _("Add a support plan"),
        "shelter",
        _("Support plan added."),
    )


class PlanStatusForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=SupportStatus.choices)


@access(MUNICIPAL, deny_status=404)
def plan_status(request: HttpRequest, pk: int, plan_pk: int) -> HttpResponse:
    case = selectors.case_get(user=request.user, pk=pk)
    plan = get_object_or_404(SupportPlan, pk=plan_pk, case=case)
    return _action(
        request,
        pk,
        lambda data, case: PlanStatusForm(data, initial={"status": plan.status}),
        lambda case, cd: services.support_plan_set_status(
            actor=request.user, plan=plan, status=cd["status"]
        ),
        _("Support plan status"),
        "shelter",
        _("Saved."),
    )


@access(MUNICIPAL, deny_status=404)
def bar_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        lambda data, case: LegalBarForm(data),
        lambda case, cd: services.legal_bar_add(actor=request.user, case=case, **cd),
        _("Add a legal bar event"),
        "shelter",
        _("Saved."),
    )


@access(MUNICIPAL, deny_status=404, methods=POST_ONLY)
def bar_remove(request: HttpRequest, pk: int, bar_pk: int) -> HttpResponse:
    case = _case(request, pk)
    event = get_object_or_404(LegalBarEvent, pk=bar_pk, case=case)
    services.legal_bar_remove(actor=request.user, event=event)
    messages.success(request, _("Removed."))
    return redirect(_tab_url(case, "shelter"))


@access(MUNICIPAL, deny_status=404)
def avoid_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        lambda data, case: AvoidAreaForm(data),
        lambda case, cd: services.avoid_area_add(actor=request.user, case=case, **cd),
        _("Add an area to avoid"),
        "household",
        _("Saved."),
    )


@access(MUNICIPAL, deny_status=404, methods=POST_ONLY)
def avoid_remove(request: HttpRequest, pk: int, area_pk: int) -> HttpResponse:
    case = _case(request, pk)
    area = get_object_or_404(AvoidArea, pk=area_pk, case=case)
    services.avoid_area_remove(actor=request.user, area=area)
    messages.success(request, _("Removed."))
    return redirect(_tab_url(case, "household"))


@access(MUNICIPAL, deny_status=404)
def consent_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        lambda data, case: ConsentForm(data, initial={"given_on": timezone.localdate()}),
        lambda case, cd: services.consent_record(
            actor=request.user, case=case, given_on=cd["given_on"], scope=cd["scope"]
        ),
        _("Record consent to share contact details"),
        "shelter",
        _("Consent recorded."),
    )


@access(MUNICIPAL, deny_status=404, methods=POST_ONLY)
def consent_withdraw(request: HttpRequest, pk: int, consent_pk: int) -> HttpResponse:
    case = _case(request, pk)
    consent = get_object_or_404(ContactConsent, pk=consent_pk, case=case, withdrawn_on__isnull=True)
    services.consent_withdraw(
        actor=request.user, consent=consent, withdrawn_on=timezone.localdate()
    )
    messages.success(request, _("Consent withdrawn."))
    return redirect(_tab_url(case, "shelter"))
