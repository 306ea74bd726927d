"""Tenancy pages: the tenancy of a lease (both sides, each seeing its own part), reporting an
event, the municipality's follow-up tasks, the named contacts, "Boliger i risiko", support in
the home, and the event file import.

Organisation staff reach only their own organisation's tenancies and see only the
organisation's own reports and whether the municipality has acknowledged them; the steering
group sees none of these pages (aggregates only, on the dashboard and the governance pack).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anvis.audit.services import (
    Purpose,
    citizens_read,
)
from anvis.common import formats as fmt
from anvis.common.forms import form_page, posted
from anvis.common.upload import file_import, upload_form
from anvis.permissions import (
    MUNICIPAL,
    POST_ONLY,
    REPORTERS,
    TENANCY_FOLLOWERS,
    access,
    can_write_organisation,
    is_municipal,
    user_has_role,
)

from . import selectors, services
from .forms import ContactForm, EventForm, MunicipalContactsForm, OrganisationContactForm
from .importing import import_events


def _log_read(request: HttpRequest, tenancy: Any, what: str) -> None:
    citizens_read(request, [tenancy.case.citizen], what=what, purpose=Purpose.TENANCY)


def _log_list(request: HttpRequest, tenancies: Iterable[Any], what: str) -> None:
    """A list page's tenants (by case number, with their warnings or support flags): one
    access row each, in one INSERT, as the case list logs its page."""
    citizens_read(request, [t.case.citizen for t in tenancies], what=what, purpose=Purpose.TENANCY)


def _form(
    request: HttpRequest,
    form: Any,
    action: Callable[[dict[str, Any]], Any],
    *,
    success: str,
    lease: Any,
    title: str,
    **extra: Any,
) -> HttpResponse:
    """A form about a tenancy (`form_page`): the page links back to the tenancy of `lease`, and
    a saved form goes back there."""
    return form_page(
        request,
        form,
        action,
        success=success,
        done=reverse("tenancy:tenancy_detail", kwargs={"pk": lease.pk}),
        template="tenancy/form.html",
        context={"lease": lease, "title": title, **extra},
    )


@access(TENANCY_FOLLOWERS, deny_status=404)
def tenancy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lease = selectors.lease_get(user=request.user, pk=pk)
    tenancy = selectors.tenancy_of(lease)
    user = request.user
    municipal = is_municipal(user)
    events = selectors.events_for(user=user, tenancy=tenancy)
    tasks = selectors.tasks_for(tenancy)
    flags = None
    today = timezone.localdate()
    if tenancy is not None:
        if any(e.note for e in events) or (municipal and any(t.contact_note for t in tasks)):
            _log_read(request, tenancy, "tenancy.notes")
        elif municipal:
            # The case number with its events (arrears, eviction, hospital, prison) and
            # support flags: a read even without a note. The organisation's page names no one.
            _log_read(request, tenancy, "tenancy.view")
        # Flagged from the move-in day, as the support overview flags the tenancies running.
        if municipal and lease.move_in_on <= today:
            flags = selectors.flags_for(
                tenancy, selectors.events_for(user=user, tenancy=tenancy), today
            )
    organisation_id = lease.vacancy.organisation_id
    return render(
        request,
        "tenancy/tenancy_detail.html",
        {
            "lease": lease,
            "tenancy": tenancy,
            "events": events,
            "tasks": tasks,
            "municipal": municipal,
            "flags": flags,
            "not_moved_in": lease.move_in_on > today,
            "plan": selectors.support_plan_of(tenancy) if tenancy and municipal else None,
            "can_report": bool(services.kinds_for(user))
            and (municipal or can_write_organisation(user, organisation_id))
            and tenancy is not None
            and tenancy.ended_on is None,
            "can_set_contacts": municipal or can_write_organisation(user, organisation_id),
        },
    )


@access(TENANCY_FOLLOWERS, deny_status=404)
def event_report(request: HttpRequest, pk: int) -> HttpResponse:
    lease = selectors.lease_get(user=request.user, pk=pk)
    form = EventForm(posted(request), user=request.user)
    return _form(
        request,
        form,
        lambda cd: services.tenancy_event_report(
            actor=request.user, lease=lease, data=form.to_input()
        ),
        success=_("The event is reported."),
        lease=lease,
        title=_("Report an event on the tenancy"),
    )


@access(MUNICIPAL, deny_status=404, methods=POST_ONLY)
def task_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.task_get(user=request.user, pk=pk)
    services.task_acknowledge(actor=request.user, task=task)
    messages.success(request, _("The warning is acknowledged; the organisation can see that."))
    return redirect("tenancy:tenancy_detail", pk=task.tenancy.lease_id)


@access(MUNICIPAL, deny_status=404)
def task_contact(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.task_get(user=request.user, pk=pk)
    return _form(
        request,
        ContactForm(posted(request), initial={"contact_on": timezone.localdate()}),
        lambda cd: services.task_contact_record(
            actor=request.user, task=task, contact_on=cd["contact_on"], note=cd.get("note") or ""
        ),
        success=_("The contact is recorded and the task is done."),
        lease=task.tenancy.lease,
        title=_("Record contact with the tenant"),
        intro=_("%(kind)s reported %(date)s; contact the tenant by %(deadline)s.")
        % {
            "kind": task.event.get_kind_display(),
            "date": fmt.date(task.event.reported_on),
            "deadline": fmt.date(task.deadline),
        },
    )


@access(TENANCY_FOLLOWERS, deny_status=404)
def contacts(request: HttpRequest, pk: int) -> HttpResponse:
    lease = selectors.lease_get(user=request.user, pk=pk)
    tenancy = services.tenancy_ensure(lease=lease) if request.method == "POST" else None
    tenancy = tenancy or selectors.tenancy_of(lease)
    municipal = is_municipal(request.user)
    organisation_id = lease.vacancy.organisation_id
    if tenancy is None or not (municipal or can_write_organisation(request.user, organisation_id)):
        raise Http404
    form: forms.Form
    if municipal:
        form = MunicipalContactsForm(
            posted(request),
            case=tenancy.case,
            initial={
                "municipal_contact": tenancy.municipal_contact_id,
                "support_plan": tenancy.support_plan_id,
            },
        )
    else:
        form = OrganisationContactForm(
            posted(request),
            organisation_id=organisation_id,
            initial={"organisation_contact": tenancy.organisation_contact_id},
        )
    return _form(
        request,
        form,
        lambda d: (
            services.tenancy_contacts_set(
                actor=request.user,
                tenancy=tenancy,
                municipal_contact=d.get("municipal_contact"),
                support_plan=d.get("support_plan"),
                set_municipal=True,
            )
            if municipal
            else services.tenancy_contacts_set(
                actor=request.user,
                tenancy=tenancy,
                organisation_contact=d.get("organisation_contact"),
                set_organisation=True,
            )
        ),
        success=_("The contacts are saved."),
        lease=lease,
        title=_("Contacts of the tenancy"),
    )


@access(MUNICIPAL, deny_status=404)
def risk_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = selectors.risk_list()
    _log_list(request, (row.tenancy for row in rows), "tenancy.risk")
    return render(
        request,
        "tenancy/risk_list.html",
        {"rows": [(row, row.task_overdue(today)) for row in rows]},
    )


@access(MUNICIPAL, deny_status=404)
def support_overview(request: HttpRequest) -> HttpResponse:
    rows = selectors.support_overview(timezone.localdate())
    _log_list(request, (row.tenancy for row in rows), "tenancy.support")
    counts = {
        "tenancies": len(rows),
        "without": sum(1 for r in rows if r.flags.without_support),
        "late": sum(1 for r in rows if r.flags.late),
        "cti": sum(1 for r in rows if r.flags.missed_cti_phase_ends),
    }
    return render(request, "tenancy/support_overview.html", {"rows": rows, "counts": counts})


ImportForm = upload_form(
    gettext_lazy("One row per event. The columns are described on this page."), capped=True
)


@access(REPORTERS)
def bulk_report(request: HttpRequest) -> HttpResponse:
    def done(result: Any) -> HttpResponse:
        messages.success(request, _("Reported %(rows)d tenancy events.") % {"rows": result.rows})
        return redirect("tenancy:bulk_report")

    return file_import(
        request,
        form_class=ImportForm,
        importer=import_events,
        template="tenancy/bulk_report.html",
        done=done,
        context={"organisation": user_has_role(request.user, REPORTERS)},
    )
