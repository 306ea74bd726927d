from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from anvis.common.charts import line_chart
from anvis.common.forms import form_page, posted
from anvis.common.lists import list_page, paginate
from anvis.common.upload import file_import
from anvis.permissions import ALL_ROLES, LEAD, OVERSIGHT, access, sees_exact_counts
from anvis.stock.models import Department
from anvis_core.composition import area_rules, latest_list_year

from . import selectors
from .filters import MonitoringDepartmentFilter
from .forms import MonitoringImportForm, RecomputeForm
from .importing import ImportResult, import_designations, import_indicators
from .labels import DESIGNATION_LABELS, INDICATOR_LABELS, comparison
from .services import monitoring_recompute


def _chart_thresholds(list_year: int) -> dict[str, dict[Any, tuple[str, list[str]]]]:
    """Legal thresholds drawn on the trend charts, from the law table for a list year:
    indicator → {threshold: (criterion code, laws)}."""
    rules = area_rules(list_year)
    out: dict[str, dict[Any, tuple[str, list[str]]]] = {}
    for law, criteria in (("udsat", rules.udsat), ("forebyggelse", rules.forebyggelse)):
        for c in criteria:
            entry = out.setdefault(c.indicator, {}).setdefault(c.threshold, (c.code, []))
            entry[1].append(law)
    return out


@access(ALL_ROLES)
def department_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.department_list(request.user)
    filterset = MonitoringDepartmentFilter(request.GET, queryset=qs, user=request.user)

    edition = {"suppressed": False}

    def placements(page: Any) -> None:
        # The status on the day, as the placement gate reads it (the snapshot's when fresh).
        statuses = selectors.department_status_map(timezone.localdate(), [dept.pk for dept in page])
        for dept in page:
            dept.status_now = statuses.get(dept.pk)
            suppressed = not sees_exact_counts(request.user, dept.organisation_id)
            edition["suppressed"] |= suppressed
            dept.placement_cells = selectors.department_placement_cells(
                getattr(dept, "monitoring_status", None), suppressed=suppressed
            )

    return list_page(
        request,
        filterset,
        "monitoring/department_list.html",
        each_page=placements,
        edition=edition,
    )


def _charts(indicators: list[Any]) -> list[dict[str, Any]]:
    years = [i.year for i in indicators]
    limits = _chart_thresholds(latest_list_year(timezone.localdate()))
    charts = []
    for field_name, label in INDICATOR_LABELS.items():
        values = [None if i.suppressed else getattr(i, field_name) for i in indicators]
        if not any(v is not None for v in values):
            continue
        thresholds = [
            (
                t,
                _("Threshold for %(laws)s: %(rule)s")
                % {"laws": " / ".join(laws), "rule": comparison(code, t)},
            )
            for t, (code, laws) in limits.get(field_name, {}).items()
        ]
        description = _(
            "Values per year from %(first)s to %(last)s; empty years are suppressed."
        ) % {"first": years[0], "last": years[-1]}
        charts.append(
            {"label": label, "svg": line_chart(str(label), description, years, values, thresholds)}
        )
    return charts


@access(ALL_ROLES, deny_status=404)
def department_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dept = get_object_or_404(
        Department.objects.restrict(request.user).select_related("organisation"), pk=pk
    )
    overview = selectors.department_overview(dept)
    figures = selectors.placement_figures(
        overview, suppressed=not sees_exact_counts(request.user, dept.organisation_id)
    )
    return render(
        request,
        "monitoring/department_detail.html",
        {
            "dept": dept,
            "o": overview,
            "placements": figures,
            "charts": _charts(overview.indicators),
            "indicator_labels": INDICATOR_LABELS,
            "designation_labels": DESIGNATION_LABELS,
        },
    )


PROPOSAL_LEVELS = {
    "red": gettext_lazy("Red: closed"),
    "yellow": gettext_lazy("Yellow: reduced share"),
    "green": gettext_lazy("Green: ordinary share"),
    "strong": gettext_lazy("Strong: raised share"),
}


@access(OVERSIGHT)
def step_proposal_list(request: HttpRequest) -> HttpResponse:
    default_year = timezone.localdate().year + 1
    try:
        year = int(request.GET.get("aar", default_year))
    except ValueError:
        year = default_year
    year = min(max(year, 2011), 2100)
    level = request.GET.get("niveau", "")
    if level not in PROPOSAL_LEVELS:
        level = ""
    search = request.GET.get("q", "").strip()[:100]
    proposals = selectors.step_proposal_list(year, request.user, level=level, search=search)
    page, query = paginate(request, proposals.rows)
    return render(
        request,
        "monitoring/step_proposals.html",
        {
            "page": page,
            "query": query,
            "rows": selectors.proposal_rows(page.object_list),
            "proposals": proposals,
            "levels": [(k, v, proposals.levels.get(k, 0)) for k, v in PROPOSAL_LEVELS.items()],
            "level": level,
            "search": search,
            "year": year,
            "years": range(default_year - 5, default_year + 1),
        },
    )


def _import_view(request: HttpRequest, kind: str) -> HttpResponse:
    def done(result: ImportResult) -> HttpResponse:
        messages.success(
            request,
            ngettext(
                "Imported %(rows)d row; the statuses have been recomputed.",
                "Imported %(rows)d rows; the statuses have been recomputed.",
                result.rows,
            )
            % {"rows": result.rows},
        )
        return redirect(f"monitoring:{kind}_import")

    return file_import(
        request,
        form_class=MonitoringImportForm,
        importer=import_indicators if kind == "indicators" else import_designations,
        template=f"monitoring/import_{kind}.html",
        done=done,
        context={"kind": kind},
    )


@access(LEAD)
def indicators_import(request: HttpRequest) -> HttpResponse:
    return _import_view(request, "indicators")


@access(LEAD)
def designations_import(request: HttpRequest) -> HttpResponse:
    return _import_view(request, "designations")


@access(LEAD)
def recompute(request: HttpRequest) -> HttpResponse:
    return form_page(
        request,
        RecomputeForm(posted(request)),
        lambda cd: monitoring_recompute(actor=request.user, on_date=timezone.localdate()),
        success=lambda result: _("Recomputed %(n)d departments.") % {"n": result.departments},
        done="monitoring:department_list",
        template="monitoring/recompute.html",
    )
