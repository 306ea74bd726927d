"""Reads for the steering group's report: the input snapshot (plain JSON) gathered with a few
grouped queries, the report built from it, meetings and stored snapshots.

Public API:

* `report_snapshot_gather(*, quarter, today) -> dict`: the input snapshot of a quarter.
* `report_build(*, quarter, today) -> (snapshot, Report)`: gather and build.
* `meeting_list()`, `meeting_get(pk)`, `report_snapshot_list()`, `report_snapshot_get(pk)`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from fractions import Fraction
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import TruncQuarter
from django.shortcuts import get_object_or_404

from anvis.agreements.models import AllocationAgreement
from anvis.cases.adapters import max_rent_rule, shelter_warning_days
from anvis.cases.models import Case, ShelterStay, SupportPlan
from anvis.monitoring.models import MunicipalPlacement
from anvis.monitoring.placements import placement_counts
from anvis.monitoring.selectors import department_status_map
from anvis.stock.models import Department, Entrance
from anvis.vacancies.choices import ClaimStatus, OfferStatus, VacancyStatus
from anvis.vacancies.models import GuaranteeClaim, Lease, Offer, Vacancy
from anvis.vacancies.selectors import settled_void_rent
from anvis_core.cases.dates import last_start_within
from anvis_core.cases.economy import household_can_pay, max_rent_amount
from anvis_core.cases.support import SECTION_85A_METHODS
from anvis_core.composition import add_months
from anvis_core.composition.placements import window_start
from anvis_core.cpr import age_on
from anvis_core.quotas import Quarter
from anvis_core.reports import SNAPSHOT_FORMAT, Report, build_report, quarters_for
from anvis_core.reports.snapshot import iso
from anvis_core.reports.stats import age_band

from .models import Decision, DecisionStatus, Meeting, ReportSnapshot

ACCEPTED_STATUSES = (VacancyStatus.ACCEPTED, VacancyStatus.OFFERED, VacancyStatus.LET)
OPEN_DECISIONS = (DecisionStatus.OPEN, DecisionStatus.IN_PROGRESS)


def report_quarters(today: dt.date, n: int = 8) -> list[Quarter]:
    """The quarters the selector offers: the running one and the n-1 before it."""
    return list(reversed(quarters_for(Quarter.of(today), n)))


def agreement_for(
    day: dt.date, agreements: list[AllocationAgreement] | None = None
) -> AllocationAgreement | None:
    """The agreement in force on `day`, else the newest one (of `agreements`, newest first,
    when given)."""
    if agreements is None:
        agreements = list(AllocationAgreement.objects.order_by("-period_start", "pk"))
    for agreement in agreements:
        if agreement.in_force_on(day):
            return agreement
    return agreements[0] if agreements else None


def _turns(
    agreement: AllocationAgreement | None, end: dt.date, days: Q | None = None
) -> list[list[Any]]:
    """Turn records grouped by organisation, quarter (its first day) and how they count (up to
    `end`; only those `days` select, when given)."""
    if agreement is None:
        return []
    records = agreement.turn_records.filter(report_date__lte=end)
    if days is not None:
        records = records.filter(days)
    rows = (
        records.annotate(q=TruncQuarter("report_date"))
        .values(
            "organisation_id",
            "q",
            "eligible",
            "municipal",
            "share_percent",
            "outcome",
            "handed_back",
        )
        .annotate(n=Count("pk"))
        .values_list(
            "organisation_id",
            "q",
            "eligible",
            "municipal",
            "share_percent",
            "outcome",
            "n",
            "handed_back",
        )
        .order_by()
    )
    return sorted(
        [o, iso(_date(day)), e, m, str(Fraction(share) / 100), outcome, n, back]
        for o, day, e, m, share, outcome, n, back in rows
    )


def _trend_turns(
    quarters: list[Quarter], as_of: dt.date, agreements: list[AllocationAgreement]
) -> list[list[Any]]:
    """The turn records of each of the report's quarters as that quarter's own report reads
    them: those of the agreement in force on its last day (`agreement_for`), so a quarter's row
    of turns by quarter is the same whichever later quarter is chosen, also when another
    agreement has followed."""
    days: dict[AllocationAgreement, Q] = {}
    for quarter in quarters:
        if quarter.start > as_of:
            continue
        end = min(quarter.end, as_of)
        agreement = agreement_for(end, agreements)
        if agreement is not None:
            span = Q(report_date__range=(quarter.start, end))
            days[agreement] = days[agreement] | span if agreement in days else span
    return sorted(row for agreement, q in days.items() for row in _turns(agreement, as_of, q))


def _date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _vacancies(start: dt.date, end: dt.date) -> list[list[Any]]:
    # The vacancy's standing lease (a lease cancelled before move-in let nothing).
    lease = Lease.objects.standing().filter(vacancy=OuterRef("pk"))
    rows = (
        Vacancy.objects.filter(report_date__lte=end, report_date__gte=add_months(start, -24))
        .annotate(
            first_offer=Min("offers__offered_on"),
            lease_signed_on=Subquery(lease.values("signed_on")[:1]),
            lease_move_in_on=Subquery(lease.values("move_in_on")[:1]),
        )
        .values_list(
            "organisation__name",
            "report_date",
            "status",
            "answered_on",
            "first_offer",
            "lease_signed_on",
            "lease_move_in_on",
            "rent_at_letting",
        )
        .order_by("pk")
    )
    out = []
    for org, report, status, answered, first_offer, signed, move_in, rent in rows:
        accepted = answered if status in ACCEPTED_STATUSES else None
        out.append(
            [
                org,
                iso(report),
                iso(accepted),
                iso(_until(first_offer, end)),
                iso(_until(signed, end)),
                iso(_until(move_in, end)),
                rent,
            ]
        )
    return out


def _until(day: dt.date | None, end: dt.date) -> dt.date | None:
    return day if day is not None and day <= end else None


def _key(keys: dict[int, int], citizen: int) -> int:
    """The citizen's running number in the snapshot (never the database id): the next one for
    a citizen not yet numbered."""
    return keys.setdefault(citizen, len(keys) + 1)


def _cases(end: dt.date) -> tuple[list[list[Any]], dict[int, int]]:
    """Cases registered by `end`, with a running number per citizen (never the database id)."""
    rule = max_rent_rule()
    rows = (
        Case.objects.filter(opened_on__lte=end)
        .annotate(
            housed=Min(
                "offers__lease__move_in_on",
                filter=Q(offers__status=OfferStatus.ACCEPTED, offers__lease__move_in_on__lte=end),
            )
        )
        .values_list(
            "citizen_id",
            "opened_on",
            "waiting_since",
            "closed_on",
            "housed",
            "situation",
            "citizen__birth_date",
            "citizen__recorded_sex",
            "income_amount",
            "housing_benefit",
            "max_rent_override",
            "benefit_income",
        )
        .order_by("citizen_id", "opened_on", "pk")
    )
    keys: dict[int, int] = {}
    out = []
    for citizen, opened, waiting, closed, housed, situation, born, sex, inc, ben, ovr, bi in rows:
        key = _key(keys, citizen)
        max_rent = max_rent_amount(inc, ben, ovr, rule)
        # judged on a housing budget by the gate: no maximum rent (the supply gap's own row)
        by_budget = household_can_pay(inc, bi, ovr, rule) is not None
        out.append(
            [
                key,
                iso(opened),
                iso(waiting),
                iso(_until(closed, end)),
                iso(housed),
                situation,
                age_band(age_on(born, end) if born else None),
                sex,
                max_rent,
                by_budget,
            ]
        )
    return out, keys


def _placements(first: Quarter, end: dt.date) -> list[list[Any]]:
    """Placements whose 6, 12 or 24-month anniversary can fall in the reported quarters (a
    move-in on 31 December has its 6-month anniversary on 30 June: `last_start_within`)."""
    rows = (
        MunicipalPlacement.objects.filter(
            placed_on__gte=add_months(first.start, -24), placed_on__lte=last_start_within(end, 6)
        )
        .values("placed_on", "moved_out_on", "outcome")
        .annotate(n=Count("pk"))
        .values_list("placed_on", "moved_out_on", "outcome", "n")
        .order_by()
    )
    return sorted(
        (
            [iso(p), iso(_until(m, end)), outcome if m is None or m <= end else "living", n]
            for p, m, outcome, n in rows
        ),
        key=lambda r: (r[0], r[1] or "", r[2]),
    )


def _tenancies(end: dt.date, citizen_keys: dict[int, int]) -> list[list[Any]]:
    """Tenancies moved in by `end` (anvis.tenancy), without ids: the citizen's running number,
    dates, the move-out reason, the organisation, the support method and the age band."""
    from anvis.tenancy.selectors import tenancy_report_rows

    out = []
    for row in tenancy_report_rows(end):
        key = citizen_keys.get(row.citizen_id)
        if key is None:
            continue
        out.append(
            [
                key,
                iso(row.opened_on),
                iso(row.move_in),
                iso(_until(row.ended_on, end)),
                row.reason if row.ended_on is not None and row.ended_on <= end else "",
                row.organisation,
                row.method,
                age_band(age_on(row.born, row.move_in) if row.born else None),
            ]
        )
    return sorted(out, key=lambda r: (r[2], r[0]))


def _override_counts(end: dt.date) -> tuple[Counter[int], Counter[int]]:
    """Placements in the 12-month window whose offer carried an override of an agreement rule
    by the allocation lead, per department and per entrance."""
    rows = (
        Lease.objects.standing()
        .filter(move_in_on__gte=window_start(end, 12), move_in_on__lte=end, offer__isnull=False)
        .exclude(offer__override_reason="")
    )
    by_department: Counter[int] = Counter()
    by_entrance: Counter[int] = Counter()
    for entrance, department in rows.values_list(
        "vacancy__dwelling__entrance_id", "vacancy__dwelling__entrance__department_id"
    ):
        by_department[department] += 1
        by_entrance[entrance] += 1
    return by_department, by_entrance


def _windows(end: dt.date) -> tuple[list[list[Any]], list[list[Any]]]:
    """Placements per department and stairwell in the 12 months to ``end``: label, parent,
    count, and how many of them rest on an override."""
    by_department, by_entrance = placement_counts(end, 12)
    over_department, over_entrance = _override_counts(end)
    departments = Department.objects.filter(pk__in=list(by_department)).values_list(
        "pk", "number", "name", "organisation__name"
    )
    entrances = Entrance.objects.filter(pk__in=list(by_entrance)).values_list(
        "pk", "street", "postal_code", "city", "department__number", "department__name"
    )
    return (
        sorted(
            [f"{num} {name}", org, by_department[pk], over_department[pk]]
            for pk, num, name, org in departments
        ),
        sorted(
            [f"{street}, {postal} {city}", f"{num} {name}", by_entrance[pk], over_entrance[pk]]
            for pk, street, postal, city, num, name in entrances
        ),
    )


def _overrides(first: Quarter, end: dt.date) -> list[list[str]]:
    """One row (offer day, rule) per agreement rule the allocation lead overrode on an offer."""
    out = []
    for day, findings in (
        Offer.objects.filter(offered_on__gte=first.start, offered_on__lte=end)
        .exclude(override_reason="")
        .values_list("offered_on", "findings")
        .order_by("offered_on", "pk")
    ):
        out += [[iso(day), f["code"]] for f in findings if f.get("severity") == "agreement"]
    return out


def _department_status(end: dt.date) -> dict[str, Any]:
    """Departments per status on the quarter's end, by the reading the gate and the pages use
    (`department_status_map`): the stored snapshot when it was computed for that day (the
    running quarter), otherwise computed for that day from the indicator year and the list in
    force on it, so a past quarter is not shown with a later snapshot's statuses."""
    computed = Counter(info.status for info in department_status_map(end).values())
    return {"as_of": iso(end), "counts": dict(computed)}


def _meetings(quarter: Quarter) -> list[dict[str, Any]]:
    """Meetings held in the quarter, and earlier meetings with decisions still open."""
    meetings = (
        Meeting.objects.filter(
            Q(held_on__gte=quarter.start, held_on__lte=quarter.end)
            | (Q(held_on__lt=quarter.start) & _open_decision("decisions__"))
        )
        .filter(held_on__lte=quarter.end)
        .distinct()
        .select_related("forum")
        .prefetch_related("decisions")
        .order_by("held_on", "pk")
    )
    return [
        {
            "forum_kind": m.forum.kind,
            "forum": m.forum.name,
            "held_on": iso(m.held_on),
            "minutes": m.minutes,
            "decisions": [
                {
                    "text": dec.text,
                    "follow_up": dec.follow_up,
                    "responsible": dec.responsible,
                    "due_on": iso(dec.due_on),
                    "status": dec.status,
                }
                for dec in m.decisions.all()
            ],
        }
        for m in meetings
    ]


def _money_and_declines(start: dt.date, as_of: dt.date) -> tuple[list[Any], list[Any], list[Any]]:
    """Leases with their void rent, approved guarantee claims and declined offers since `start`."""
    # The void rent paid: the one reading of the void-rent page (vacancies.selectors), runs
    # the municipality pays that ended by a lease or a hand-back, dated by their end.
    leases = [
        [line.organisation, iso(line.ended_on), line.days, str(line.amount)]
        for line in sorted(
            settled_void_rent(start=start, end=as_of), key=lambda x: (x.ended_on, x.vacancy.pk)
        )
    ]
    claims = [
        [org, iso(day), amount]
        for org, day, amount in GuaranteeClaim.objects.filter(
            status=ClaimStatus.APPROVED, decided_on__gte=start, decided_on__lte=as_of
        )
        .values_list("lease__vacancy__organisation__name", "decided_on", "amount")
        .order_by("decided_on", "pk")
    ]
    declines = [
        [iso(day), reason, side]
        for day, reason, side in Offer.objects.filter(
            status=OfferStatus.DECLINED, answered_on__gte=start, answered_on__lte=as_of
        )
        .values_list("answered_on", "decline_reason", "decline_side")
        .order_by("answered_on", "pk")
    ]
    return leases, claims, declines


def report_snapshot_gather(*, quarter: Quarter, today: dt.date) -> dict[str, Any]:
    """The input snapshot of the quarterly report (see docs/reports.md for every key)."""
    as_of = min(quarter.end, today)
    quarters = quarters_for(quarter)
    first = quarters[0]
    agreements = list(AllocationAgreement.objects.order_by("-period_start", "pk"))
    agreement = agreement_for(as_of, agreements)
    version = agreement.version_for(as_of) if agreement else None
    organisations = (
        {str(o.pk): o.name for o in agreement.parties.all()} if agreement is not None else {}
    )
    cases, citizen_keys = _cases(as_of)
    # Stays and § 85 a decisions count by their own dates, whoever holds them: a stay recorded
    # on a case opened after `as_of` still happened in its quarter. Keyed through the running
    # citizen numbers (a citizen without a case by `as_of` gets the next number), so a past
    # quarter's shelter figures are the same whichever later quarter is chosen.
    stays = [
        [_key(citizen_keys, c), iso(a), iso(_until(dis, as_of))]
        for c, a, dis in ShelterStay.objects.filter(admitted_on__lte=as_of)
        .values_list("case__citizen_id", "admitted_on", "discharged_on")
        .order_by("case__citizen_id", "admitted_on", "pk")
    ]
    decisions = [
        [_key(citizen_keys, c), iso(day), method]
        for c, day, method in SupportPlan.objects.filter(
            method__in=[m.value for m in SECTION_85A_METHODS],
            decided_on__gte=first.start,
            decided_on__lte=as_of,
        )
        .values_list("case__citizen_id", "decided_on", "method")
        .order_by("decided_on", "pk")
    ]
    leases, claims, declines = _money_and_declines(first.start, as_of)
    dept_windows, entrance_windows = _windows(as_of)
    return {
        "format": SNAPSHOT_FORMAT,
        "quarter": str(quarter),
        "as_of": iso(as_of),
        "agreement": agreement.title if agreement else "",
        "organisations": organisations,
        "caps": {
            "department": version.cap_per_department_12m if version else None,
            "entrance": version.cap_per_entrance_12m if version else None,
        },
        "turns": _turns(agreement, as_of),
        "trend_turns": _trend_turns(quarters, as_of, agreements),
        "vacancies": _vacancies(first.start, as_of),
        "leases": leases,
        "claims": claims,
        "declines": declines,
        "overrides": _overrides(first, as_of),
        "cases": cases,
        "stays": stays,
        "shelter_warning_days": shelter_warning_days(),
        "decisions_85a": decisions,
        "placements": _placements(first, as_of),
        "tenancies": _tenancies(as_of, citizen_keys),
        "department_windows": dept_windows,
        "entrance_windows": entrance_windows,
        "department_status": _department_status(as_of),
        "meetings": _meetings(quarter),
    }


def report_build(*, quarter: Quarter, today: dt.date) -> tuple[dict[str, Any], Report]:
    snapshot = report_snapshot_gather(quarter=quarter, today=today)
    return snapshot, build_report(snapshot)


def _open_decision(path: str = "") -> Q:
    """A decision still to be followed up (`path`: the relation from the queried model)."""
    return Q(**{f"{path}status__in": OPEN_DECISIONS})


def _overdue_decision(today: dt.date, path: str = "") -> Q:
    """An open decision whose due date has passed."""
    return _open_decision(path) & Q(**{f"{path}due_on__lt": today})


def meeting_list(today: dt.date) -> QuerySet[Meeting]:
    return (
        Meeting.objects.select_related("forum__agreement")
        .annotate(
            n_decisions=Count("decisions"),
            n_open=Count("decisions", filter=_open_decision("decisions__")),
            n_overdue=Count("decisions", filter=_overdue_decision(today, "decisions__")),
        )
        .order_by("-held_on", "-pk")
    )


def meeting_decisions(meeting: Meeting, today: dt.date) -> QuerySet[Decision]:
    """A meeting's decisions, each marked `overdue` as the meeting list counts them."""
    return meeting.decisions.annotate(
        overdue=ExpressionWrapper(_overdue_decision(today), output_field=BooleanField())
    ).order_by("pk")


def decisions_waiting(today: dt.date) -> dict[str, int]:
    """The meeting list's open and overdue decisions, summed over all meetings."""
    return Decision.objects.aggregate(
        open=Count("pk", filter=_open_decision()),
        overdue=Count("pk", filter=_overdue_decision(today)),
    )


def meeting_get(pk: int) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("forum"), pk=pk)


def decision_get(pk: int) -> Decision:
    return get_object_or_404(Decision.objects.select_related("meeting"), pk=pk)


def report_snapshot_list() -> QuerySet[ReportSnapshot]:
    return (
        ReportSnapshot.objects.defer("snapshot", "pdf", "xlsx")
        .select_related("created_by")
        .order_by("-created_at", "-pk")
    )


def report_snapshot_get(pk: int) -> ReportSnapshot:
    return get_object_or_404(ReportSnapshot, pk=pk)
