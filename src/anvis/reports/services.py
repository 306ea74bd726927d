"""Writes of the reports app: meetings, decisions and frozen report snapshots."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from anvis.agreements.models import GovernanceForum
from anvis.audit.services import audited
from anvis.background.queue import enqueue_on_commit
from anvis_core.quotas import Quarter
from anvis_core.reports import build_report, snapshot_hash

from .models import Decision, DecisionStatus, Meeting, ReportSnapshot
from .render import render_pdf, render_xlsx
from .selectors import report_snapshot_gather


def meeting_create(
    *, actor: Any, forum: GovernanceForum, held_on: dt.date, minutes: str = ""
) -> Meeting:
    with audited("reports.meeting_create", actor=actor) as write:
        meeting = Meeting(forum=forum, held_on=held_on, minutes=minutes, created_by=actor)
        write.insert(meeting)
    return meeting


def meeting_update(*, actor: Any, meeting: Meeting, held_on: dt.date, minutes: str) -> Meeting:
    with audited("reports.meeting_update", actor=actor) as write:
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        write.track(meeting)
        meeting.held_on = held_on
        meeting.minutes = minutes
        meeting.full_clean()
        meeting.save()
    return meeting


def decision_create(
    *,
    actor: Any,
    meeting: Meeting,
    text: str,
    follow_up: str = "",
    responsible: str = "",
    due_on: dt.date | None = None,
    status: str = DecisionStatus.OPEN,
) -> Decision:
    with audited("reports.decision_create", actor=actor) as write:
        decision = Decision(
            meeting=meeting,
            text=text.strip(),
            follow_up=follow_up.strip(),
            responsible=responsible.strip(),
            due_on=due_on,
            status=status,
        )
        write.insert(decision)
    return decision


def decision_update(
    *,
    actor: Any,
    decision: Decision,
    text: str,
    follow_up: str,
    responsible: str,
    due_on: dt.date | None,
    status: str,
) -> Decision:
    with audited("reports.decision_update", actor=actor) as write:
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        write.track(decision)
        decision.text = text.strip()
        decision.follow_up = follow_up.strip()
        decision.responsible = responsible.strip()
        decision.due_on = due_on
        decision.status = status
        decision.full_clean()
        decision.save()
    return decision


def report_snapshot_create(*, actor: Any, quarter: Quarter, today: dt.date) -> ReportSnapshot:
    """Gather the quarter's inputs and freeze them with their SHA-256; the steering group's PDF
    and workbook are rendered from the frozen inputs by a background task
    (`anvis.reports.tasks.render_report_snapshot`) queued when the freeze commits."""
    raw = report_snapshot_gather(quarter=quarter, today=today)
    digest = snapshot_hash(raw)
    with audited("reports.snapshot_create", actor=actor) as write:
        frozen = write.created(
            ReportSnapshot.objects.create(
                quarter=str(quarter), snapshot=raw, sha256=digest, created_by=actor
            )
        )
        from .tasks import render_report_snapshot

        enqueue_on_commit(render_report_snapshot, frozen.pk)
    return frozen


def report_snapshot_render(*, snapshot_id: int) -> bool:
    """Render the frozen report's steering group PDF and XLSX from its frozen inputs, once
    (idempotent: an already rendered snapshot is left as it is). Returns whether it rendered."""
    frozen = ReportSnapshot.objects.filter(pk=snapshot_id).first()
    if frozen is None or frozen.is_rendered:
        return False
    report = build_report(frozen.snapshot)
    pdf = render_pdf(report, suppressed=True, sha256=frozen.sha256)
    xlsx = render_xlsx(report, suppressed=True, sha256=frozen.sha256)
    with transaction.atomic():
        locked = ReportSnapshot.objects.select_for_update().get(pk=snapshot_id)
        if locked.is_rendered:
            return False
        locked.pdf = pdf
        locked.xlsx = xlsx
        locked.save(update_fields=["pdf", "xlsx"])
    return True
