from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Min, Q
from django.db.models.functions import Length
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from anvis.core.forms import form_status
from anvis.core.lists import paginate
from anvis.permissions import STOCK_READERS, STOCK_WRITERS, access, can_write_organisation

from .filters import DepartmentFilter, DwellingFilter, EntranceFilter, OrganisationFilter
from .forms import StockImportForm
from .importing import import_stock
from .models import Department, Dwelling, DwellingType, Entrance, HousingOrganisation


@access(STOCK_READERS)
def organisation_list(request: HttpRequest) -> HttpResponse:
    qs = (
        HousingOrganisation.objects.restrict(request.user)
        .order_by("name")
        .annotate(
            department_count=Count("departments", distinct=True),
        )
    )
    filterset = OrganisationFilter(request.GET, queryset=qs)
    page, query = paginate(request, filterset.qs)
    dwelling_counts = dict(
        Dwelling.objects.filter(entrance__department__organisation__in=[o.pk for o in page])
        .values_list("entrance__department__organisation")
        .annotate(n=Count("id"))
    )
    for org in page:
        org.dwelling_count = dwelling_counts.get(org.pk, 0)
    return render(
        request, "stock/organisation_list.html", {"filter": filterset, "page": page, "query": query}
    )


@access(STOCK_READERS, deny_status=404)
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_object_or_404(HousingOrganisation.objects.restrict(request.user), pk=pk)
    departments = org.departments.annotate(
        dwelling_count=Count("entrances__dwellings"),
        entrance_count=Count("entrances", distinct=True),
    ).order_by(Length("number"), "number")
    from anvis.vacancies.selectors import void_rent_now

    now = void_rent_now(user=request.user, day=timezone.localdate(), organisation_id=org.pk)
    return render(
        request,
        "stock/organisation_detail.html",
        {"org": org, "departments": departments, "now": now},
    )


@access(STOCK_READERS)
def department_list(request: HttpRequest) -> HttpResponse:
    qs = (
        Department.objects.restrict(request.user)
        .select_related("organisation")
        .order_by("organisation__name", Length("number"), "number")
    )
    filterset = DepartmentFilter(request.GET, queryset=qs, user=request.user)
    page, query = paginate(request, filterset.qs)
    # Dwelling figures for the page's departments only (not an aggregate over the whole stock).
    figures = {
        row["entrance__department"]: row
        for row in Dwelling.objects.filter(entrance__department__in=[d.pk for d in page])
        .values("entrance__department")
        .annotate(n=Count("id"), min_rent=Min("rent"))
        .order_by()
    }
    for dept in page:
        row = figures.get(dept.pk, {})
        dept.dwelling_count = row.get("n", 0)
        dept.min_rent = row.get("min_rent")
    return render(
        request, "stock/department_list.html", {"filter": filterset, "page": page, "query": query}
    )


@access(STOCK_READERS, deny_status=404)
def department_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dept = get_object_or_404(
        Department.objects.restrict(request.user).select_related("organisation"), pk=pk
    )
    entrances = dept.entrances.annotate(
        dwelling_count=Count("dwellings"),
        cheap_count=Count("dwellings", filter=Q(dwellings__rent__lt=3500)),
    ).order_by("street")
    stats = Dwelling.objects.filter(entrance__department=dept).aggregate(
        n=Count("id"),
        cheap=Count("id", filter=Q(rent__lt=3500)),
        family=Count("id", filter=Q(dwelling_type=DwellingType.FAMILY)),
    )
    return render(
        request,
        "stock/department_detail.html",
        {"dept": dept, "entrances": entrances, "stats": stats},
    )


@access(STOCK_READERS)
def entrance_list(request: HttpRequest) -> HttpResponse:
    qs = (
        Entrance.objects.restrict(request.user)
        .select_related("department", "department__organisation")
        .order_by("street", "pk")
    )
    filterset = EntranceFilter(request.GET, queryset=qs)
    page, query = paginate(request, filterset.qs)
    counts = dict(
        Dwelling.objects.filter(entrance__in=[e.pk for e in page])
        .values_list("entrance")
        .annotate(n=Count("id"))
        .order_by()
    )
    for entrance in page:
        entrance.dwelling_count = counts.get(entrance.pk, 0)
    return render(
        request, "stock/entrance_list.html", {"filter": filterset, "page": page, "query": query}
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
    qs = (
        Dwelling.objects.restrict(request.user)
        .select_related("entrance", "entrance__department", "entrance__department__organisation")
        # Stairwell by stairwell, then floor and door: served by the unique index on
        # (entrance, floor, door), so a page of the national stock needs no sort of all rows.
        .order_by("entrance_id", "floor", "door")
    )
    filterset = DwellingFilter(request.GET, queryset=qs, user=request.user)
    page, query = paginate(request, filterset.qs)
    return render(
        request, "stock/dwelling_list.html", {"filter": filterset, "page": page, "query": query}
    )


@access(STOCK_READERS, deny_status=404)
def dwelling_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dwelling = get_object_or_404(
        Dwelling.objects.restrict(request.user).select_related(
            "entrance", "entrance__department", "entrance__department__organisation"
        ),
        pk=pk,
    )
    from anvis.vacancies.models import Vacancy

    open_vacancy = Vacancy.objects.restrict(request.user).filter(dwelling=dwelling).open().first()
    can_report = can_write_organisation(request.user, dwelling.entrance.department.organisation_id)
    return render(
        request,
        "stock/dwelling_detail.html",
        {"dwelling": dwelling, "open_vacancy": open_vacancy, "can_report": can_report},
    )


@access(STOCK_WRITERS)
def stock_import(request: HttpRequest) -> HttpResponse:
    result = None
    if request.method == "POST":
        form = StockImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            result = import_stock(upload.read(), upload.name, actor=request.user)
            if result.ok:
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
    else:
        form = StockImportForm()
    return render(
        request,
        "stock/import.html",
        {"form": form, "result": result},
        status=form_status(request, form, refused=result is not None and not result.ok),
    )
