"""Translated titles for the report's sections, tables, columns and codes, and the plain
presentation of a report that the page, the PDF and the workbook share."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anvis.agreements.models import ForumKind
from anvis.cases.models import Situation, SupportMethod
from anvis.common import formats
from anvis.common.charts import chart_image
from anvis.monitoring.models import Status
from anvis.vacancies.choices import DeclineReasonChoice, DeclineSideChoice
from anvis.vacancies.labels import RULE_LABELS
from anvis_core.quotas import Quarter
from anvis_core.reports import Cell, Kind, Report, Table, format_cell, suppressed_report

from .models import DecisionStatus

SECTIONS = {
    "agreement": gettext_lazy("The agreement: vacancies, turns and the flow"),
    "allocation": gettext_lazy("Allocations against the caps; departments by status"),
    "waiting": gettext_lazy("Waiting list and the supply gap"),
    "money": gettext_lazy("Money: void rent and guarantee claims"),
    "outcomes": gettext_lazy("Outcomes: retention, returns, shelter and support"),
    "declines": gettext_lazy("Declined offers"),
    "fairness": gettext_lazy("Fairness: outcomes by age band and gender"),
}

TABLES = {
    "ledger_organisations": gettext_lazy("Vacancies reported against expected per organisation"),
    "turns_by_quarter": gettext_lazy("Municipal turns and their outcome"),
    "flow_days": gettext_lazy("Days from the vacancy report (median)"),
    "department_caps": gettext_lazy("Placements per department in 12 months against the cap"),
    "overrides_by_rule": gettext_lazy(
        "Offers on which the allocation lead overrode a cap, closure or agreement term"
    ),
    "entrance_caps": gettext_lazy("Placements per stairwell in 12 months against the cap"),
    "department_status": gettext_lazy("Departments by monitoring status"),
    "waiting_by_quarter": gettext_lazy("Waiting list and time to housing"),
    "waiting_by_situation": gettext_lazy("Waiting time by situation (days)"),
    "waiting_by_age": gettext_lazy("Waiting time by age band (days)"),
    "supply_gap": gettext_lazy(
        "The supply gap: citizens waiting by maximum rent against dwellings delivered"
    ),
    "money_organisations": gettext_lazy(
        "Void rent of runs ended and guarantee claims paid per organisation"
    ),
    "money_by_quarter": gettext_lazy(
        "Void rent of runs ended and guarantee claims paid per quarter"
    ),
    "retention_km": gettext_lazy(
        "Housing retention by quarter of move-in (Kaplan–Meier, 95 % band; benchmark 90 %)"
    ),
    "retention_km_organisation": gettext_lazy("Housing retention by housing organisation"),
    "retention_km_method": gettext_lazy("Housing retention by support method"),
    "retention_km_age": gettext_lazy("Housing retention by age band at move-in"),
    "tenancy_outcomes": gettext_lazy(
        "Tenancies by quarter of move-in: time to move-in, endings, returns and shelter days"
    ),
    "retention": gettext_lazy("Housing retention (Housing First benchmark 90 %)"),
    "returns": gettext_lazy("Returns to homelessness"),
    "shelter": gettext_lazy("§ 110 shelter days and reimbursement status"),
    "support_85a": gettext_lazy("§ 85 a support decided before discharge"),
    "declines_by_side": gettext_lazy("Declined offers: client-declined and provider-declined"),
    "declines_by_reason": gettext_lazy("Declined offers by reason"),
    "fairness_age": gettext_lazy("Outcomes by age band"),
    "fairness_sex": gettext_lazy("Outcomes by gender"),
}

COLUMNS = {
    "organisation": gettext_lazy("Housing organisation"),
    "quarter": gettext_lazy("Quarter"),
    "eligible": gettext_lazy("Eligible vacancies"),
    "expected": gettext_lazy("Expected"),
    "municipal_turns": gettext_lazy("Municipal turns"),
    "delivered": gettext_lazy("Delivered"),
    "accepted": gettext_lazy("Accepted"),
    "declined": gettext_lazy("Declined"),
    "expired": gettext_lazy("Expired"),
    "pending": gettext_lazy("Pending"),
    "withdrawn": gettext_lazy("Let by the organisation"),
    "handed_back": gettext_lazy("Handed back by the municipality, not delivered"),
    "balance_cumulative": gettext_lazy("Balance, cumulative"),
    "to_acceptance": gettext_lazy("To acceptance"),
    "to_offer": gettext_lazy("To offer"),
    "to_lease": gettext_lazy("To lease"),
    "to_move_in": gettext_lazy("To move-in"),
    "unit": gettext_lazy("Unit"),
    "parent": gettext_lazy("Belongs to"),
    "placements_12m": gettext_lazy("Placements, 12 months"),
    "cap": gettext_lazy("Cap"),
    "cap_status": gettext_lazy("Cap status"),
    "rule": gettext_lazy("Rule"),
    "status": gettext_lazy("Status"),
    "departments": gettext_lazy("Departments"),
    "waiting": gettext_lazy("Waiting"),
    "median_days": gettext_lazy("Median days waited"),
    "p90_days": gettext_lazy("90th percentile, days"),
    "registered": gettext_lazy("Registered"),
    "housed": gettext_lazy("Housed"),
    "median_days_to_housed": gettext_lazy("Median days to housed"),
    "p90_days_to_housed": gettext_lazy("90th percentile, days to housed"),
    "group": gettext_lazy("Group"),
    "rent_band": gettext_lazy("Rent band (kr/month)"),
    "waiting_max_rent": gettext_lazy("Citizens waiting (maximum rent)"),
    "dwellings_delivered": gettext_lazy("Dwellings delivered (rent)"),
    "void_rent_leases": gettext_lazy("Dwellings whose void rent ended"),
    "void_rent_days": gettext_lazy("Void rent days"),
    "void_rent_paid": gettext_lazy("Void rent of runs ended"),
    "claims_paid": gettext_lazy("Guarantee claims paid"),
    "claims_paid_amount": gettext_lazy("Guarantee claims paid, amount"),
    "move_in_quarter": gettext_lazy("Quarter of move-in"),
    "tenancies": gettext_lazy("Tenancies"),
    "support_method": gettext_lazy("Support method"),
    "age_band": gettext_lazy("Age band"),
    "km_3": gettext_lazy("Housed after 3 months"),
    "km_6": gettext_lazy("Housed after 6 months"),
    "km_12": gettext_lazy("Housed after 12 months"),
    "km_24": gettext_lazy("Housed after 24 months"),
    "km_band_3": gettext_lazy("95 % band, 3 months"),
    "km_band_6": gettext_lazy("95 % band, 6 months"),
    "km_band_12": gettext_lazy("95 % band, 12 months"),
    "km_band_24": gettext_lazy("95 % band, 24 months"),
    "moved_in": gettext_lazy("Moved in"),
    "median_days_case_to_move_in": gettext_lazy("Median days from case opened to move-in"),
    "moved_out": gettext_lazy("Moved out"),
    "lost_home": gettext_lazy("Lost the home"),
    "evictions": gettext_lazy("Evictions"),
    "returns_after_tenancy": gettext_lazy("New case after the tenancy ended"),
    "followed_a_year": gettext_lazy("Followed a year"),
    "shelter_days_year_before": gettext_lazy("§ 110 days, year before move-in"),
    "shelter_days_year_after": gettext_lazy("§ 110 days, year after move-in"),
    "retention_6": gettext_lazy("Retained 6 months"),
    "retention_12": gettext_lazy("Retained 12 months"),
    "retention_24": gettext_lazy("Retained 24 months"),
    "cases_opened": gettext_lazy("Cases opened"),
    "returns": gettext_lazy("Returns (re-entry cases)"),
    "returns_share": gettext_lazy("Share of cases opened"),
    "shelter_days": gettext_lazy("Shelter days"),
    "citizens_in_shelter": gettext_lazy("Citizens in shelter"),
    "running_years": gettext_lazy("Citizens in a running year"),
    "near_cap": gettext_lazy("Near the reimbursement cap"),
    "over_cap": gettext_lazy("Over the reimbursement cap"),
    "decisions": gettext_lazy("Decisions"),
    "before_discharge": gettext_lazy("Before discharge"),
    "after_discharge": gettext_lazy("After discharge"),
    "share_before": gettext_lazy("Share before discharge"),
    "client_declined": gettext_lazy("Client-declined"),
    "provider_declined": gettext_lazy("Provider-declined"),
    "side": gettext_lazy("Declined by"),
    "reason": gettext_lazy("Reason"),
    "on_list": gettext_lazy("On the waiting list"),
    "housed_share": gettext_lazy("Share housed"),
}

CODES: dict[str, Any] = {
    "cap.reached": gettext_lazy("Cap reached"),
    "cap.room": gettext_lazy("Below the cap"),
    "cap.over": gettext_lazy("Over the cap"),
    "cap.over_overridden": gettext_lazy("Over the cap by recorded overrides"),
    **{f"rule.{code}": label for code, label in RULE_LABELS.items()},
    "rent.unknown": gettext_lazy("Maximum rent not known"),
    "rent.budget": gettext_lazy("No maximum rent: judged per dwelling on a housing budget"),
    "sex.female": gettext_lazy("Women"),
    "sex.male": gettext_lazy("Men"),
    "?": gettext_lazy("Not known"),
    "total": gettext_lazy("Total"),
    "org.others": gettext_lazy("Other organisations"),
    "all_tenancies": gettext_lazy("All tenancies"),
    "method.none": gettext_lazy("No support plan"),
    **{f"method.{v}": label for v, label in SupportMethod.choices},
    **{f"status.{v}": label for v, label in Status.choices},
    **{f"situation.{v}": label for v, label in Situation.choices},
    **{f"reason.{v}": label for v, label in DeclineReasonChoice.choices},
    **{f"side.{v}": label for v, label in DeclineSideChoice.choices},
}


def quarter_label(quarter: Quarter | str) -> str:
    return formats.quarter(quarter)


def column_label(key: str) -> str:
    if key.startswith("q:"):
        return quarter_label(key[2:])
    return str(COLUMNS.get(key, key))


def cell_text(cell: Any) -> str:
    if cell.suppressed:
        return format_cell(cell)
    if cell.kind is Kind.CODE or (cell.kind is Kind.TEXT and cell.value == "?"):
        return str(CODES.get(str(cell.value), cell.value))
    if cell.kind is Kind.TEXT and _looks_like_quarter(cell.value):
        return quarter_label(str(cell.value))
    return format_cell(cell)


def _looks_like_quarter(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 7 and value[4:6] == "-Q"


def note_text(table: Table) -> str:
    p = {k: cell_text(v) if isinstance(v, Cell) else v for k, v in table.note_params.items()}
    if table.note == "top_rows_suppressed":
        # The steering group's edition: figures about units whose count is suppressed are left
        # out (anvis_core.reports.figures.cap_tables); the counts may themselves be "<5".
        out = (
            _(
                "%(shown)s of %(total)s units with placements shown (most placements first); "
                "units with fewer than %(threshold)s placements are neither listed nor counted "
                "here. Of the units with %(threshold)s or more placements, %(at_cap)s are at or "
                "over the cap and %(over_cap)s over it."
            )
            % p
        )
        over = table.note_params.get("over_cap")
        if isinstance(over, Cell) and not over.suppressed and over.value:
            out += " " + (
                _(
                    "Of those over the cap, %(over_cap_overridden)s only by offers the "
                    "allocation lead overrode with a written reason."
                )
                % p
            )
        return out
    if table.note == "top_rows":
        out = (
            _(
                "%(shown)s of %(total)s units with placements shown (most placements first); "
                "%(at_cap)s at or over the cap."
            )
            % p
        )
        over = p.get("over_cap", 0)
        if over:
            out += " " + (
                _(
                    "%(over_cap)s over the cap, of them %(over_cap_overridden)s only by offers "
                    "the allocation lead overrode with a written reason."
                )
                % p
            )
        else:
            out += " " + _("None over the cap.")
        return out
    if table.note == "top_organisations":
        return (
            _(
                "The %(shown)s of %(total)s organisations with the most activity are shown; "
                "the rest are added up in one row."
            )
            % p
        )
    if table.note == "status_as_of":
        if not p.get("as_of"):
            return ""
        as_of = formats.date(str(p["as_of"]))
        return _("Monitoring status as computed on %(as_of)s.") % {"as_of": as_of}
    return ""


@dataclass
class ShownTable:
    key: str
    title: str
    columns: list[str]
    rows: list[list[tuple[str, bool]]]  # (text, numeric)
    raw_rows: list[list[Any]]  # for the workbook: numbers as numbers, suppressed as "<5"
    chart: str | None  # data URI
    note: str


@dataclass
class ShownSection:
    key: str
    title: str
    tables: list[ShownTable]


def present(report: Report, *, suppressed: bool, charts: bool = True) -> list[ShownSection]:
    """The report as the page, the PDF and the workbook show it (suppressed when it leaves the
    municipality's own roles)."""
    if suppressed:
        report = suppressed_report(report)
    out = []
    for section in report.sections:
        tables = []
        for table in section.tables:
            columns = [column_label(c) for c in table.columns]
            rows = [
                [(cell_text(c), c.kind not in (Kind.TEXT, Kind.CODE)) for c in row]
                for row in table.rows
            ]
            raw = [[_raw(c) for c in row] for row in table.rows]
            title = str(TABLES.get(table.key, table.key))
            image = (
                chart_image(
                    table,
                    title=title,
                    row_labels=[r[0][0] for r in rows],
                    column_labels=columns,
                    reference_label=_("Housing First benchmark"),
                )
                if charts
                else None
            )
            tables.append(
                ShownTable(
                    table.key,
                    title,
                    columns,
                    rows,
                    raw,
                    image,
                    note_text(table),
                )
            )
        out.append(ShownSection(section.key, str(SECTIONS[section.key]), tables))
    return out


def _raw(cell: Any) -> Any:
    if cell.suppressed:
        return format_cell(cell)
    if cell.kind in (Kind.TEXT, Kind.CODE):
        return cell_text(cell)
    if cell.value is None:
        return None
    if cell.kind is Kind.COUNT:
        return int(cell.value)
    return float(cell.value)


def meetings_shown(report: Report) -> list[dict[str, Any]]:
    kinds = dict(ForumKind.choices)
    statuses = dict(DecisionStatus.choices)
    out = []
    for m in report.meetings:
        out.append(
            {
                **m,
                "held_on": _shown_date(m["held_on"]),
                "forum_kind_label": str(kinds.get(m["forum_kind"], m["forum_kind"])),
                "decisions": [
                    {
                        **dec,
                        "due_on": _shown_date(dec.get("due_on")),
                        "status_label": str(statuses.get(dec["status"], dec["status"])),
                    }
                    for dec in m["decisions"]
                ],
            }
        )
    return out


def _shown_date(value: str | None) -> str:
    """A date the report data keeps as ISO text (so a frozen copy stays the same), as the pages
    show dates (``12.01.2026``)."""
    return formats.date(dt.date.fromisoformat(value)) if value else ""
