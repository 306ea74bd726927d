"""Administrator search of the audit trail and the access log (read-only), two-factor login
pages, and the citizen insight document (indsigt)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from anvis.audit.services import Purpose, citizens_read
from anvis.cases.models import Citizen
from anvis.common.forms import form_status, posted
from anvis.common.lists import list_page, search_params, search_redirect
from anvis.permissions import ADMIN_ONLY, ALL_ROLES, MUNICIPAL, access

from . import selectors, twofactor
from .filters import PRIVATE_TERMS, AuditEventFilter, PersonalDataAccessFilter
from .forms import InsightLookupForm, TokenForm


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("common:home")


# --- audit search (administrators, read-only) ----------------------------------------------------


@require_GET
@access(ADMIN_ONLY)
def audit_list(request: HttpRequest) -> HttpResponse:
    filterset = AuditEventFilter(request.GET, queryset=selectors.audit_events())
    return list_page(request, filterset, "security/audit_list.html", tab="audit")


@require_http_methods(["GET", "POST"])
@access(ADMIN_ONLY)
def access_log_list(request: HttpRequest) -> HttpResponse:
    """The access log's search. "Who has looked at me?" comes with a CPR number, so the search
    is posted and the citizen's term kept in the session, never in the address (as the case
    list's, `anvis.common.lists.search_redirect`); the search writes nothing."""
    accesses = selectors.personal_data_accesses()
    if request.method == "POST":
        filterset = PersonalDataAccessFilter(request.POST, queryset=accesses)
        if filterset.is_valid():
            return search_redirect(request, PRIVATE_TERMS)
    else:
        filterset = PersonalDataAccessFilter(
            search_params(request, PRIVATE_TERMS), queryset=accesses
        )
    return list_page(
        request,
        filterset,
        "security/access_log_list.html",
        tab="access",
        post=True,
        status=form_status(request, filterset.form),
    )


# --- two-factor login ----------------------------------------------------------------------------


@access(ALL_ROLES)
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: scan the QR code, confirm with one code."""
    if twofactor.has_confirmed_device(request.user) and not request.user.is_verified():
        # Replacing a device needs the current one: a password alone must not be enough.
        return redirect(reverse("security:two_factor_verify") + f"?next={_next_url(request)}")
    device = twofactor.pending_device(request.user)
    form = TokenForm(posted(request))
    if request.method == "POST" and form.is_valid():
        if twofactor.verify(device, form.cleaned_data["token"]):
            twofactor.device_confirm(actor=request.user, device=device)
            otp_login(request, device)
            messages.success(request, _("Two-factor login is now on for your account."))
            return redirect(_next_url(request))
        form.add_error("token", _("The code is not correct. Try the newest code in the app."))
    return render(
        request,
        "security/two_factor_setup.html",
        {
            "form": form,
            "secret": device.bin_key.hex(),
            "required": twofactor.required_for(request.user),
            "enrolled": twofactor.has_confirmed_device(request.user),
            "next": _next_url(request),
        },
        status=form_status(request, form),
    )


@require_GET
@access(ALL_ROLES)
def two_factor_qr(request: HttpRequest) -> HttpResponse:
    device = twofactor.pending_device(request.user)
    response = HttpResponse(twofactor.qr_svg(device), content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    return response


@access(ALL_ROLES)
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step after the password."""
    devices = list(TOTPDevice.objects.filter(user=request.user, confirmed=True))
    if not devices:
        return redirect(reverse("security:two_factor_setup") + f"?next={_next_url(request)}")
    form = TokenForm(posted(request))
    if request.method == "POST" and form.is_valid():
        for device in devices:
            if twofactor.verify(device, form.cleaned_data["token"]):
                otp_login(request, device)
                return redirect(_next_url(request))
        form.add_error("token", _("The code is not correct. Try the newest code in the app."))
    return render(
        request,
        "security/two_factor_verify.html",
        {"form": form, "next": _next_url(request)},
        status=form_status(request, form),
    )


# --- insight (indsigt) ---------------------------------------------------------------------------


@access(MUNICIPAL, deny_status=404)
def insight_lookup(request: HttpRequest) -> HttpResponse:
    # Posted, never a query string: the reference may be a CPR number (issue #17).
    form = InsightLookupForm(posted(request))
    if request.method == "POST" and form.is_valid():
        citizen = selectors.citizen_find(form.cleaned_data["reference"])
        if citizen is not None:
            return redirect("security:citizen_insight", pk=citizen.pk)
        form.add_error("reference", _("No citizen or case with that reference."))
    return render(
        request,
        "security/insight_lookup.html",
        {"form": form},
        status=form_status(request, form),
    )


@require_GET
@access(MUNICIPAL, deny_status=404)
def citizen_insight(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything held about a citizen as a printable document, or a PDF with ?format=pdf."""
    citizen = get_object_or_404(Citizen, pk=pk)
    as_pdf = request.GET.get("format") == "pdf"
    citizens_read(
        request,
        [citizen],
        what="citizen.insight_pdf" if as_pdf else "citizen.insight",
        purpose=Purpose.INSIGHT,
    )
    context: dict[str, Any] = {
        **selectors.citizen_insight(citizen),
        "generated_at": timezone.localtime(),
        "generated_by": request.user,
    }
    if as_pdf:
        return _pdf(request, context, citizen)
    return render(request, "security/citizen_insight.html", context)


def _pdf(request: HttpRequest, context: dict[str, Any], citizen: Citizen) -> HttpResponse:
    from weasyprint import HTML

    html = render_to_string("security/citizen_insight_document.html", context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="indsigt-{citizen.reference}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
