from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from anvis.common.lists import list_page
from anvis.common.upload import file_import
from anvis.permissions import (
    STOCK_READERS,
    STOCK_WRITERS,
    Role,
    access,
    can_write_organisation,
    user_has_role,
)

from . import selectors
from .filters import DepartmentFilter, DwellingFilter, EntranceFilter, OrganisationFilter
from .forms import OrganisationStockImportForm, StockImportForm
from .importing import import_stock
from .models import Department, Dwelling, Entrance, HousingOrganisation


@access(STOCK_READERS)
def organisation_list(request: HttpRequest) -> HttpResponse:
    filterset = OrganisationFilter(request.GET, queryset=selectors.organisations(request.user))
    return list_page(
        request,
        filterset,
        "stock/organisation_list.html",
        each_page=selectors.with_dwelling_counts,
    )


@access(STOCK_READERS, deny_status=404)
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_object_or_404(HousingOrganisation.objects.restrict(request.user), pk=pk)
    departments = selectors.organisation_departments(org)
    from anvis.vacancies.selectors import void_rent_now

    now = void_rent_now(user=request.user, day=timezone.localdate(), organisation_id=org.pk)
    return render(
        request,
        "stock/organisation_detail.html",
        {"org": org, "departments": departments, "now": now},
    )


@access(STOCK_READERS)
def department_list(request: HttpRequest) -> HttpResponse:
    filterset = DepartmentFilter(
        request.GET, queryset=selectors.departments(request.user), user=request.user
    )
    # Dwelling figures for the page's departments only (not an aggregate over the whole stock).
    return list_page(
        request,
        filterset,
        "stock/department_list.html",
        each_page=selectors.with_dwelling_figures,
    )


@access(STOCK_READERS, deny_status=404)
def department_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dept = get_object_or_404(
        Department.objects.restrict(request.user).select_related("organisation"), pk=pk
    )
    entrances = selectors.department_entrances(dept)
    stats = selectors.department_stats(dept)
    return render(
        request,
        "stock/department_detail.html",
        {"dept": dept, "entrances": entrances, "stats": stats},
    )


@access(STOCK_READERS)
def entrance_list(request: HttpRequest) -> HttpResponse:
    filterset = EntranceFilter(request.GET, queryset=selectors.entrances(request.user))
    return list_page(
        request, filterset, "stock/entrance_list.html", each_page=selectors.with_entrance_counts
    )


@access(STOCK_READERS, deny_status=404)
def entrance_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entrance = get_object_or_404(
        Entrance.objects.restrict(request.user).select_related(
            "department", "department__organisation"
        ),
        pk=pk,
    )
    dwellings = entrance.dwellings.order_by("floor", "door")
    return render(
        request, "stock/entrance_detail.html", {"entrance": entrance, "dwellings": dwellings}
    )


@access(STOCK_READERS)
def dwelling_list(request: HttpRequest) -> HttpResponse:
    filterset = DwellingFilter(
        request.GET, queryset=selectors.dwellings(request.user), user=request.user
    )
    return list_page(request, filterset, "stock/dwelling_list.html")


@access(STOCK_READERS, deny_status=404)
def dwelling_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dwelling = get_object_or_404(
        Dwelling.objects.restrict(request.user).select_related(
            "entrance", "entrance__department", "entrance__department__organisation"
        ),
        pk=pk,
    )
    # Through the reverse relation: the stock app does not import the vacancies app.
    open_vacancy = dwelling.vacancies.restrict(request.user).open().first()
    can_report = can_write_organisation(request.user, dwelling.entrance.department.organisation_id)
    return render(
        request,
        "stock/dwelling_detail.html",
        {"dwelling": dwelling, "open_vacancy": open_vacancy, "can_report": can_report},
    )


@access(STOCK_WRITERS)
def stock_import(request: HttpRequest) -> HttpResponse:
    def done(result: Any) -> HttpResponse:
        messages.success(
            request,
            _("Imported %(rows)d rows: %(new)d new and %(changed)d changed dwellings.")
            % {
                "rows": result.rows,
                "new": result.created["dwellings"],
                "changed": result.updated["dwellings"],
            },
        )
        return redirect("stock:import")

    return file_import(
        request,
        form_class=StockImportForm
        if user_has_role(request.user, {Role.ADMIN})
        else OrganisationStockImportForm,
        importer=import_stock,
        template="stock/import.html",
        done=done,
    )
