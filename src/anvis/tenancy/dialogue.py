"""The yearly governance dialogue (styringsdialog) pack per housing organisation: its share of
the vacancies delivered, void rent, guarantee claims, placements and tenancy outcomes in its
departments, the departments' monitoring status, and open issues.

The organisation-level figures are the organisation's own rows of the steering group's quarterly
report (one home per figure: `anvis_core.reports.organisation_figures`, the rows the report's
tables of organisations are made of, so also for an organisation the report adds up with the
others outside its largest 25); the department table is computed here. Everything that leaves
the municipality's own roles is suppressed below 5.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anvis.common import formats as fmt
from anvis.monitoring.models import DepartmentIndicators, MunicipalPlacement
from anvis.monitoring.selectors import department_status_map
from anvis.reports.labels import cell_text, column_label
from anvis.reports.selectors import report_snapshot_gather
from anvis.stock.models import Department, HousingOrganisation
from anvis.vacancies.choices import ClaimStatus
from anvis.vacancies.models import GuaranteeClaim
from anvis_core.composition import add_months
from anvis_core.quotas import Quarter
from anvis_core.reports import (
    Cell,
    Kind,
    OrganisationFigures,
    Table,
    organisation_figures,
    suppress,
)
from anvis_core.reports.table import (
    SUPPRESSION_THRESHOLD,
    code,
    count,
    stat,
    suppress_cell,
    text,
)
from anvis_core.tenancy.events import NOT_A_LOSS

from .models import Tenancy, running_on
from .selectors import risk_list

TITLES = {
    "ledger_organisations": gettext_lazy("Vacancies delivered against expected"),
    "money_organisations": gettext_lazy("Void rent of runs ended and guarantee claims paid"),
    "retention_km_organisation": gettext_lazy("Housing retention of the tenancies placed"),
    "departments": gettext_lazy("Departments: placements, tenancies and monitoring status"),
    "side_by_side": gettext_lazy("The organisations side by side"),
    "composition": gettext_lazy(
        "Composition trend of the departments (Beboerdata, weighted by residents)"
    ),
}
EXTRA_COLUMNS = {
    "department": gettext_lazy("Department"),
    "placements_12m": gettext_lazy("Placements, 12 months"),
    "tenancies_running": gettext_lazy("Tenancies running"),
    "tenancies_ended": gettext_lazy("Tenancies ended"),
    "lost_home": gettext_lazy("Lost the home"),
    "at_risk": gettext_lazy("Homes at risk now"),
    "monitoring_status": gettext_lazy("Monitoring status"),
    "year": gettext_lazy("Year"),
    "departments_with_data": gettext_lazy("Departments with figures"),
    "residents": gettext_lazy("Residents"),
    "outside_work_education": gettext_lazy("Outside work and education (%)"),
    "income_relative_region": gettext_lazy("Income relative to the region (%)"),
    "move_out_rate": gettext_lazy("Move-out rate (%)"),
}
COMPOSITION_YEARS = 4
#: The move-out reasons that are not a lost home (`anvis_core.tenancy.events.is_loss`).
NOT_LOST = sorted(r.value for r in NOT_A_LOSS)
#: The socio-economic criteria only: Anvis's own judgements use no ethnic criterion.
COMPOSITION_FIELDS = ("outside_work_education", "income_relative_region", "move_out_rate")


@dataclass
class ShownTable:
    key: str
    title: str
    columns: list[str]
    rows: list[list[tuple[str, bool]]]
    period: str = ""  # which period the figures cover


def _show(table: Table, suppressed: bool, period: str = "") -> ShownTable:
    if suppressed:
        table = suppress(table)
    return ShownTable(
        table.key,
        str(TITLES.get(table.key, table.key)),
        [str(EXTRA_COLUMNS.get(c, "")) or column_label(c) for c in table.columns],
        [[(cell_text(c), c.kind not in (Kind.TEXT, Kind.CODE)) for c in row] for row in table.rows],
        period,
    )


def period_of(key: str, quarter: Quarter, as_of: dt.date) -> str:
    """The period a table of the pack covers, said under its title: the report's organisation
    rows are the running quarter (to `as_of`) or every tenancy to `as_of`, the department table
    mixes twelve months with the state on the day, the composition is by year."""
    values = {
        "quarter": fmt.quarter(quarter),
        "start": fmt.date(quarter.start),
        "end": fmt.date(min(quarter.end, as_of)),
        "years": COMPOSITION_YEARS,
    }
    texts = {
        "ledger_organisations": _(
            "%(quarter)s (%(start)s–%(end)s): the vacancies reported in the quarter; the "
            "balance is cumulative to %(end)s."
        ),
        "money_organisations": _(
            "%(quarter)s (%(start)s–%(end)s): void rent of the runs that ended in the quarter "
            "(by a lease or a hand-back) and guarantee claims paid in it."
        ),
        "retention_km_organisation": _(
            "Every tenancy moved in by %(end)s, followed until %(end)s."
        ),
        "departments": _(
            "Placements in the 12 months to %(end)s; tenancies running and homes at risk on "
            "%(end)s; tenancies ended and homes lost: all so far."
        ),
        "composition": _("The latest %(years)d years with figures."),
        "side_by_side": _(
            "Vacancies, void rent and claims paid: %(quarter)s (%(start)s–%(end)s). Tenancies "
            "and retention: every tenancy moved in by %(end)s."
        ),
    }
    return texts[key] % values if key in texts else ""


def _organisation_figures(quarter: Quarter, today: dt.date) -> OrganisationFigures:
    """Every organisation's own rows of the quarter's report, from the report's own snapshot."""
    return organisation_figures(report_snapshot_gather(quarter=quarter, today=today))


@dataclass(frozen=True)
class IssueCount:
    """An open issue's count as the pack shows it: `text` is the figure ("<5" in a suppressed
    pack), `counter` picks the sentence's plural form."""

    text: str
    counter: int


def _issue(n: int, suppressed: bool, parts: tuple[int, ...] = ()) -> IssueCount:
    """A count of the open issues, suppressed by the tables' rule. `parts` are the counts of
    the same thing shown beside it (the homes at risk per department): the total rests on each,
    since the total less the parts shown would give a suppressed one away."""
    cell = Cell(n, Kind.COUNT, parts)
    if suppressed:
        cell = suppress_cell(cell)
    return IssueCount(cell_text(cell), SUPPRESSION_THRESHOLD if cell.suppressed else n)


@dataclass
class Pack:
    organisation: HousingOrganisation
    quarter: Quarter
    as_of: dt.date
    tables: list[ShownTable]
    open_claims: IssueCount
    at_risk: IssueCount
    suppressed: bool


def _department_table(
    organisation: HousingOrganisation, as_of: dt.date, at_risk: Counter[int]
) -> Table:
    placements = dict(
        MunicipalPlacement.objects.filter(
            department__organisation=organisation,
            placed_on__gt=add_months(as_of, -12),
            placed_on__lte=as_of,
        )
        .values("department_id")
        .annotate(n=Count("pk"))
        .values_list("department_id", "n")
    )
    tenancies = {
        row["dept"]: row
        for row in Tenancy.objects.filter(lease__vacancy__organisation=organisation)
        .values(dept=models_dept())
        .annotate(
            running=Count("pk", filter=running_on(as_of)),
            ended=Count("pk", filter=Q(ended_on__isnull=False)),
            lost=Count(
                "pk",
                filter=Q(ended_on__isnull=False) & ~Q(end_reason__in=NOT_LOST),
            ),
        )
    }
    departments = list(
        Department.objects.filter(Q(pk__in=list(placements)) | Q(pk__in=list(tenancies))).order_by(
            "number", "pk"
        )
    )
    # The status on `as_of` as the placement gate reads it, not the last snapshot's.
    statuses = department_status_map(as_of, [d.pk for d in departments])
    rows = []
    for dept in departments:
        t = tenancies.get(dept.pk, {})
        info = statuses.get(dept.pk)
        status = info.status if info else None
        rows.append(
            (
                text(f"{dept.number} {dept.name}"),
                count(placements.get(dept.pk, 0)),
                count(t.get("running", 0)),
                count(t.get("ended", 0)),
                count(t.get("lost", 0)),
                count(at_risk.get(dept.pk, 0)),
                code(f"status.{status}") if status else text("–"),
            )
        )
    return Table(
        "departments",
        (
            "department",
            "placements_12m",
            "tenancies_running",
            "tenancies_ended",
            "lost_home",
            "at_risk",
            "monitoring_status",
        ),
        tuple(rows),
    )


def _composition_table(organisation: HousingOrganisation) -> Table:
    """Per year (the latest four with figures): the organisation's departments with figures,
    their residents, and the resident-weighted mean of the socio-economic indicators. Each
    figure rests on the number of departments it is made of."""
    rows = list(
        DepartmentIndicators.objects.filter(
            department__organisation=organisation, suppressed=False, residents__gt=0
        ).values_list("year", "residents", *COMPOSITION_FIELDS)
    )
    years = sorted({r[0] for r in rows})[-COMPOSITION_YEARS:]
    body = []
    for year in years:
        own = [r for r in rows if r[0] == year]
        cells: list[Cell] = [
            text(str(year)),
            count(len(own)),
            stat(sum(r[1] for r in own), len(own)),
        ]
        for index in range(len(COMPOSITION_FIELDS)):
            valued = [(r[1], r[2 + index]) for r in own if r[2 + index] is not None]
            weight = sum(w for w, _v in valued)
            mean = (
                (sum(Decimal(w) * v for w, v in valued) / weight).quantize(Decimal("0.1"))
                if weight
                else None
            )
            cells.append(stat(mean, len(valued)))
        body.append(tuple(cells))
    return Table(
        "composition",
        ("year", "departments_with_data", "residents", *COMPOSITION_FIELDS),
        tuple(body),
    )


def models_dept() -> Any:
    from django.db.models import F

    return F("lease__vacancy__dwelling__entrance__department_id")


def _risk_by_department(organisation_id: int | None = None) -> Counter[int]:
    out: Counter[int] = Counter()
    for r in risk_list():
        vacancy = r.tenancy.lease.vacancy
        if organisation_id is None or vacancy.organisation_id == organisation_id:
            out[vacancy.dwelling.entrance.department_id] += 1
    return out


def dialogue_pack(*, organisation: HousingOrganisation, today: dt.date, suppressed: bool) -> Pack:
    quarter = Quarter.of(today)
    figures = _organisation_figures(quarter, today)
    as_of = figures.as_of
    at_risk = _risk_by_department(organisation.pk)
    departments = _department_table(organisation, as_of, at_risk)
    tables = [
        _show(table, suppressed, period_of(table.key, quarter, as_of))
        for table in (
            *figures.tables(organisation.pk, organisation.name),
            departments,
            _composition_table(organisation),
        )
    ]
    open_claims = GuaranteeClaim.objects.filter(
        lease__vacancy__organisation=organisation, status=ClaimStatus.SUBMITTED
    ).count()
    at_risk_column = departments.columns.index("at_risk")
    return Pack(
        organisation,
        quarter,
        as_of,
        tables,
        _issue(open_claims, suppressed),
        _issue(
            sum(at_risk.values()),
            suppressed,
            tuple(int(row[at_risk_column].value or 0) for row in departments.rows),
        ),
        suppressed,
    )


def side_by_side(
    *, organisations: list[HousingOrganisation], today: dt.date, suppressed: bool
) -> ShownTable:
    """One row per organisation: delivered against expected, void rent and claims paid, and
    housing retention after 12 months."""
    quarter = Quarter.of(today)
    figures = _organisation_figures(quarter, today)
    empty = Cell(None, Kind.COUNT, (0,))
    body = []
    for org in organisations:
        label = text(org.name)
        ledger = figures.ledger.row(org.pk)
        money = figures.money.row(org.name)
        # An organisation without tenancies has none, and no estimate (the report lists it in
        # no row).
        retention = figures.retention.part(label, [org.name])
        body.append(
            (
                label,
                ledger[2] if ledger else empty,
                ledger[4] if ledger else empty,
                money[3] if money else empty,
                money[5] if money else empty,
                retention[1],
                retention[6],
            )
        )
    table = Table(
        "side_by_side",
        (
            "organisation",
            "expected",
            "delivered",
            "void_rent_paid",
            "claims_paid_amount",
            "tenancies",
            "km_12",
        ),
        tuple(body),
    )
    return _show(table, suppressed, period_of(table.key, quarter, figures.as_of))


def pack_title(pack: Pack) -> str:
    return _("Governance dialogue: %(organisation)s") % {"organisation": pack.organisation.name}
