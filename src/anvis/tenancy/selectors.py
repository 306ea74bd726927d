"""Reads for tenancy pages, the risk list, the support overview and the outcome figures.

Every queryset is restricted to the user (`.restrict(user)`); organisation staff see their own
organisation's tenancies and only the organisation's side of them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Min, Prefetch, Q
from django.shortcuts import get_object_or_404

from anvis.cases.models import SupportMethod, SupportPlan, SupportStatus
from anvis.permissions import is_municipal
from anvis.vacancies.choices import OfferStatus
from anvis.vacancies.models import Lease, LeaseQuerySet
from anvis_core.cases.support import SupportMethod as CoreMethod
from anvis_core.tenancy.events import RISK_KINDS
from anvis_core.tenancy.support import SupportFlags, support_flags

from .models import EventKind, FollowUpTask, Side, TaskStatus, Tenancy, TenancyEvent

RISK_VALUES = [k.value for k in RISK_KINDS]


def agreement_leases() -> LeaseQuerySet:
    """Leases that came through the agreement: they have an accepted offer to a case."""
    return Lease.objects.filter(offer__isnull=False, offer__status=OfferStatus.ACCEPTED)


def lease_get(*, user: Any, pk: int) -> Lease:
    return get_object_or_404(
        agreement_leases()
        .restrict(user)
        .select_related("vacancy__dwelling__entrance", "vacancy__organisation", "offer__case"),
        pk=pk,
    )


def tenancy_of(lease: Lease) -> Tenancy | None:
    return (
        Tenancy.objects.select_related(
            "municipal_contact", "organisation_contact", "support_plan", "case__caseworker"
        )
        .filter(lease_id=lease.pk)
        .first()
    )


def events_for(*, user: Any, tenancy: Tenancy | None) -> list[TenancyEvent]:
    """The events a user may see: municipal roles all, the organisation its own reports."""
    if tenancy is None:
        return []
    qs = tenancy.events.select_related("reported_by").order_by("-event_date", "-pk")
    if not is_municipal(user):
        qs = qs.filter(side=Side.ORGANISATION)
    return list(qs)


def tasks_for(tenancy: Tenancy | None) -> list[FollowUpTask]:
    if tenancy is None:
        return []
    return list(tenancy.tasks.select_related("event", "done_by").order_by("deadline", "pk"))


def task_get(*, user: Any, pk: int) -> FollowUpTask:
    return get_object_or_404(
        FollowUpTask.objects.restrict(user).select_related("tenancy__lease", "event"),
        pk=pk,
    )


@dataclass(frozen=True)
class RiskRow:
    tenancy: Tenancy
    oldest_open: dt.date | None
    open_tasks: int
    latest: TenancyEvent | None

    def task_overdue(self, today: dt.date) -> bool:
        """An open follow-up task is past its deadline on `today`."""
        return self.oldest_open is not None and self.oldest_open < today


def risk_list() -> list[RiskRow]:
    """ "Boliger i risiko": tenancies not ended with an open follow-up task, or an early warning
    not followed by "resolved"; the oldest open task first, then the oldest warning."""
    tenancies = (
        Tenancy.objects.filter(ended_on__isnull=True)
        .annotate(
            oldest_open=Min("tasks__deadline", filter=Q(tasks__status=TaskStatus.OPEN)),
            first_risk=Min("events__event_date", filter=Q(events__kind__in=RISK_VALUES)),
        )
        .filter(Q(oldest_open__isnull=False) | Q(first_risk__isnull=False))
        .select_related(
            "case__citizen", "lease__vacancy__dwelling__entrance", "lease__vacancy__organisation"
        )
        .prefetch_related(
            Prefetch(
                "events",
                queryset=TenancyEvent.objects.filter(side=Side.ORGANISATION).order_by(
                    "event_date", "pk"
                ),
                to_attr="org_events",
            ),
            Prefetch(
                "tasks",
                queryset=FollowUpTask.objects.filter(status=TaskStatus.OPEN),
                to_attr="open_tasks",
            ),
        )
    )
    rows = []
    for t in tenancies:
        events = list(getattr(t, "org_events", []))
        unresolved = _unresolved(events)
        open_tasks = list(getattr(t, "open_tasks", []))
        if not open_tasks and not unresolved:
            continue
        rows.append(
            RiskRow(
                tenancy=t,
                oldest_open=min((x.deadline for x in open_tasks), default=None),
                open_tasks=len(open_tasks),
                latest=unresolved[-1] if unresolved else (events[-1] if events else None),
            )
        )
    far = dt.date.max
    rows.sort(
        key=lambda r: (
            r.oldest_open or far,
            r.latest.event_date if r.latest else far,
            r.tenancy.pk,
        )
    )
    return rows


def _unresolved(events: list[TenancyEvent]) -> list[TenancyEvent]:
    """Early warnings after the last "resolved" report (events in date order)."""
    out: list[TenancyEvent] = []
    for e in events:
        if e.kind == EventKind.RESOLVED:
            out = []
        elif e.kind in RISK_VALUES:
            out.append(e)
    return out


# --- support ----------------------------------------------------------------------------------


def support_plan_of(tenancy: Tenancy) -> SupportPlan | None:
    """The tenancy's support plan: the one linked on the tenancy (a cancelled one counts as
    none)."""
    plan = tenancy.support_plan
    if plan is None or plan.status == SupportStatus.CANCELLED:
        return None
    return plan


def flags_for(tenancy: Tenancy, events: list[TenancyEvent], today: dt.date) -> SupportFlags:
    """The support flags of one tenancy (the rules are `anvis_core.tenancy.support`)."""
    plan = support_plan_of(tenancy)
    started = sorted(e.event_date for e in events if e.kind == EventKind.SUPPORT_STARTED)
    starts = [d for d in (plan.starts_on if plan else None, *started[:1]) if d is not None]
    pauses: list[tuple[dt.date, dt.date | None]] = []
    paused_since: dt.date | None = None
    for e in sorted(events, key=lambda x: (x.event_date, x.pk)):
        if e.kind == EventKind.SUPPORT_PAUSED and paused_since is None:
            paused_since = e.event_date
        elif e.kind == EventKind.SUPPORT_STARTED and paused_since is not None:
            pauses.append((paused_since, e.event_date))
            paused_since = None
    if paused_since is not None:
        pauses.append((paused_since, None))
    ended = [e.event_date for e in events if e.kind == EventKind.SUPPORT_ENDED]
    ended_on = plan.ends_on if plan and plan.ends_on else (max(ended) if ended else None)
    if plan is not None and plan.status == SupportStatus.ENDED and ended_on is None:
        ended_on = today
    method = CoreMethod(plan.method) if plan else None
    return support_flags(
        move_in=tenancy.lease.move_in_on,
        method=method,
        support_start=min(starts) if starts else None,
        ended_on=ended_on,
        pauses=pauses,
        today=min(today, tenancy.ended_on) if tenancy.ended_on else today,
    )


@dataclass(frozen=True)
class SupportRow:
    tenancy: Tenancy
    plan: SupportPlan | None
    flags: SupportFlags


def support_overview(today: dt.date) -> list[SupportRow]:
    """Every tenancy running today (moved in, not moved out), with its support flags
    (flagged ones first)."""
    tenancies = (
        Tenancy.objects.running(today)
        .select_related("support_plan", "case__citizen", "lease__vacancy__dwelling__entrance")
        .prefetch_related("events")
        .order_by("lease__move_in_on", "pk")
    )
    rows = [
        SupportRow(t, support_plan_of(t), flags_for(t, list(t.events.all()), today))
        for t in tenancies
    ]
    rows.sort(key=lambda r: (not r.flags.flagged, r.tenancy.lease.move_in_on, r.tenancy.pk))
    return rows


def method_label(code: str | None) -> str:
    return str(SupportMethod(code).label) if code in SupportMethod.values else ""


# --- figures ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportRow:
    citizen_id: int
    opened_on: dt.date
    move_in: dt.date
    ended_on: dt.date | None
    reason: str
    organisation: str
    method: str
    born: dt.date | None


def tenancy_report_rows(end: dt.date) -> list[ReportRow]:
    """Every tenancy moved in by `end`, for the figures (one query)."""
    rows = (
        Tenancy.objects.filter(lease__move_in_on__lte=end)
        .values_list(
            "case__citizen_id",
            "case__opened_on",
            "lease__move_in_on",
            "ended_on",
            "end_reason",
            "lease__vacancy__organisation__name",
            "support_plan__method",
            "support_plan__status",
            "case__citizen__birth_date",
        )
        .order_by("lease__move_in_on", "pk")
    )
    return [
        ReportRow(
            citizen,
            opened,
            move_in,
            ended,
            reason,
            org,
            method if method and status != SupportStatus.CANCELLED else "",
            born,
        )
        for citizen, opened, move_in, ended, reason, org, method, status, born in rows
    ]
