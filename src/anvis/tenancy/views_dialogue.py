"""The governance dialogue pack: the steering group and the municipality see all organisations
side by side and each organisation's pack; organisation staff see their own organisation's pack
only. The steering group and the organisations see suppressed figures (under 5 shown "<5")."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone

from anvis.permissions import MUNICIPAL, Role, access, is_municipal, user_organisation_ids
from anvis.stock.models import HousingOrganisation

from .dialogue import dialogue_pack, pack_title, side_by_side

READERS = MUNICIPAL | {Role.STEERING, Role.ORGANISATION}


def _organisations(request: HttpRequest) -> list[HousingOrganisation]:
    from anvis.reports.selectors import agreement_for

    agreement = agreement_for(timezone.localdate())
    qs = agreement.parties.all() if agreement is not None else HousingOrganisation.objects.none()
    if request.user.role == Role.ORGANISATION:
        qs = qs.filter(pk__in=user_organisation_ids(request.user))
    return list(qs.order_by("name"))


@access(READERS)
def dialogue_list(request: HttpRequest) -> HttpResponse:
    organisations = _organisations(request)
    if request.user.role == Role.ORGANISATION and len(organisations) == 1:
        return redirect("dialogue:dialogue_detail", pk=organisations[0].pk)
    table = side_by_side(
        organisations=organisations,
        today=timezone.localdate(),
        suppressed=not is_municipal(request.user),
    )
    return render(
        request,
        "tenancy/dialogue_list.html",
        {
            "table": table,
            "organisations": organisations,
            "suppressed": not is_municipal(request.user),
        },
    )


def _pack(request: HttpRequest, pk: int) -> object:
    organisation = get_object_or_404(HousingOrganisation, pk=pk)
    if request.user.role == Role.ORGANISATION and pk not in user_organisation_ids(request.user):
        raise Http404
    return dialogue_pack(
        organisation=organisation,
        today=timezone.localdate(),
        suppressed=not is_municipal(request.user),
    )


@access(READERS, deny_status=404)
def dialogue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pack = _pack(request, pk)
    return render(
        request, "tenancy/dialogue_detail.html", {"pack": pack, "title": pack_title(pack)}
    )


@access(READERS, deny_status=404)
def dialogue_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from weasyprint import HTML

    pack = _pack(request, pk)
    html = render_to_string(
        "tenancy/dialogue_pdf.html", {"pack": pack, "title": pack_title(pack)}, request=request
    )
    response = HttpResponse(bytes(HTML(string=html).write_pdf()), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="anvis-styringsdialog-{pack.organisation.pk}-{pack.quarter}.pdf"'
    )
    return response
