"""The steering group's pages: dashboard with quarter selector, PDF and XLSX, frozen snapshots,
and the meeting and decision log.

Municipal roles see exact figures; the steering group sees suppressed figures only, and every
stored report pack (what leaves the municipality) is the suppressed edition.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anvis.common.clock import local_today
from anvis.common.forms import form_page, form_status, posted
from anvis.common.lists import paginate
from anvis.permissions import (
    LEAD,
    OVERSIGHT,
    POST_ONLY,
    access,
    is_municipal,
    user_has_role,
)
from anvis_core.quotas import Quarter
from anvis_core.reports import build_report

from . import selectors, services
from .forms import DecisionForm, MeetingForm
from .labels import meetings_shown, present, quarter_label
from .render import render_pdf, render_xlsx

EDITION_PARAM = "udgave"
STEERING_EDITION = "styregruppe"


def _suppressed(request: HttpRequest) -> bool:
    """The steering group always gets the suppressed edition; municipal roles may ask for it."""
    if not is_municipal(request.user):
        return True
    return request.GET.get(EDITION_PARAM) == STEERING_EDITION


def _quarter(request: HttpRequest) -> tuple[Quarter, list[Quarter]]:
    today = timezone.localdate()
    choices = selectors.report_quarters(today)
    wanted = request.GET.get("kvartal", "")
    try:
        quarter = Quarter.parse(wanted) if wanted else choices[0]
    except ValueError:
        quarter = choices[0]
    if quarter not in choices:
        quarter = choices[0]
    return quarter, choices


def _filename(quarter: Quarter | str, suppressed: bool, ext: str) -> str:
    edition = "styregruppe" if suppressed else "intern"
    return f"anvis-kvartalsrapport-{quarter}-{edition}.{ext}"


def _download(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


PDF = "application/pdf"
FORMATS = ("pdf", "xlsx")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@access(OVERSIGHT)
def dashboard(request: HttpRequest) -> HttpResponse:
    quarter, choices = _quarter(request)
    suppressed = _suppressed(request)
    _raw, report = selectors.report_build(quarter=quarter, today=timezone.localdate())
    return render(
        request,
        "reports/dashboard.html",
        {
            "report": report,
            "quarter": quarter,
            "quarter_label": quarter_label(quarter),
            "choices": [(str(q), quarter_label(q)) for q in choices],
            "sections": present(report, suppressed=suppressed),
            "meetings": meetings_shown(report),
            "suppressed": suppressed,
            "municipal": is_municipal(request.user),
            "can_freeze": user_has_role(request.user, LEAD),
            "edition": STEERING_EDITION if suppressed else "",
        },
    )


@access(OVERSIGHT)
def report_download(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    quarter, _choices = _quarter(request)
    suppressed = _suppressed(request)
    _raw, report = selectors.report_build(quarter=quarter, today=timezone.localdate())
    if fmt == "pdf":
        return _download(
            render_pdf(report, suppressed=suppressed), PDF, _filename(quarter, suppressed, "pdf")
        )
    return _download(
        render_xlsx(report, suppressed=suppressed), XLSX, _filename(quarter, suppressed, "xlsx")
    )


@access(OVERSIGHT)
def snapshot_list(request: HttpRequest) -> HttpResponse:
    return _snapshot_page(request)


def _snapshot_page(request: HttpRequest, refused: bool = False) -> HttpResponse:
    _quarter_now, choices = _quarter(request)
    page, query = paginate(request, selectors.report_snapshot_list())
    return render(
        request,
        "reports/snapshot_list.html",
        {
            "page": page,
            "query": query,
            "choices": [(str(q), quarter_label(q)) for q in choices],
            "can_freeze": user_has_role(request.user, LEAD),
            "municipal": is_municipal(request.user),
        },
        status=form_status(request, refused=refused),
    )


@access(LEAD, methods=POST_ONLY)
def snapshot_create(request: HttpRequest) -> HttpResponse:
    try:
        quarter: Quarter | None = Quarter.parse(request.POST.get("kvartal", ""))
    except ValueError:
        quarter = None
    choices = selectors.report_quarters(timezone.localdate())
    if quarter not in choices:
        # Only the quarters the page offers (the running one and the seven before it): a
        # quarter not yet begun has no figures, and one long past would be frozen with the
        # agreement and data of today.
        messages.error(
            request,
            _("Quarter: choose one of the quarters offered, from %(first)s to %(last)s.")
            % {"first": quarter_label(choices[-1]), "last": quarter_label(choices[0])},
        )
        return _snapshot_page(request, refused=True)
    assert quarter is not None
    frozen = services.report_snapshot_create(
        actor=request.user, quarter=quarter, today=timezone.localdate()
    )
    messages.success(
        request,
        _("The report for %(quarter)s is frozen (SHA-256 %(hash)s).")
        % {"quarter": quarter_label(quarter), "hash": frozen.sha256[:12]},
    )
    return redirect("reports:snapshot_detail", pk=frozen.pk)


@access(OVERSIGHT)
def snapshot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    frozen = selectors.report_snapshot_get(pk)
    suppressed = _suppressed(request)
    report = build_report(frozen.snapshot)
    return render(
        request,
        "reports/snapshot_detail.html",
        {
            "frozen": frozen,
            "report": report,
            "quarter_label": quarter_label(frozen.quarter),
            "sections": present(report, suppressed=suppressed),
            "meetings": meetings_shown(report),
            "suppressed": suppressed,
            "municipal": is_municipal(request.user),
        },
    )


@access(OVERSIGHT)
def snapshot_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The stored steering group edition as it was rendered; municipal roles may ask for the
    exact edition, rendered again from the frozen inputs."""
    if fmt not in FORMATS:
        raise Http404
    frozen = selectors.report_snapshot_get(pk)
    exact = is_municipal(request.user) and request.GET.get(EDITION_PARAM) == "intern"
    if exact:
        report = build_report(frozen.snapshot)
        body = (
            render_pdf(report, suppressed=False, sha256=frozen.sha256)
            if fmt == "pdf"
            else render_xlsx(report, suppressed=False, sha256=frozen.sha256)
        )
    else:
        if not frozen.is_rendered:
            messages.info(request, _("The report is being rendered. Try again in a moment."))
            return redirect("reports:snapshot_detail", pk=frozen.pk)
        body = bytes(frozen.pdf if fmt == "pdf" else frozen.xlsx)
    return _download(body, PDF if fmt == "pdf" else XLSX, _filename(frozen.quarter, not exact, fmt))


# --- meetings and decisions ---------------------------------------------------------------------


def _form(
    request: HttpRequest,
    form: Any,
    action: Callable[[dict[str, Any]], Any],
    *,
    success: str,
    done: str | Callable[[Any], HttpResponse],
    title: str,
    meeting: Any = None,
) -> HttpResponse:
    """A meeting's or a decision's form page (`form_page`), which links back to `meeting`, or
    without one to the list of meetings."""
    return form_page(
        request,
        form,
        action,
        success=success,
        done=done,
        template="reports/form.html",
        context={"title": title, "back": "reports:meeting_list", "meeting": meeting},
    )


@access(OVERSIGHT)
def meeting_list(request: HttpRequest) -> HttpResponse:
    page, query = paginate(request, selectors.meeting_list(local_today()))
    return render(
        request,
        "reports/meeting_list.html",
        {
            "page": page,
            "query": query,
            "can_edit": user_has_role(request.user, LEAD),
        },
    )


@access(OVERSIGHT)
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(pk)
    return render(
        request,
        "reports/meeting_detail.html",
        {
            "meeting": meeting,
            "decisions": selectors.meeting_decisions(meeting, local_today()),
            "can_edit": user_has_role(request.user, LEAD),
        },
    )


@access(LEAD)
def meeting_create(request: HttpRequest) -> HttpResponse:
    return _form(
        request,
        MeetingForm(posted(request)),
        lambda cd: services.meeting_create(actor=request.user, **cd),
        success=_("The meeting is recorded."),
        done=lambda meeting: redirect("reports:meeting_detail", pk=meeting.pk),
        title=_("Record a meeting"),
    )


@access(LEAD)
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(pk)
    initial = {"forum": meeting.forum, "held_on": meeting.held_on, "minutes": meeting.minutes}
    form = MeetingForm(posted(request), initial=initial)
    form.fields["forum"].disabled = True
    return _form(
        request,
        form,
        lambda cd: services.meeting_update(
            actor=request.user, meeting=meeting, held_on=cd["held_on"], minutes=cd["minutes"]
        ),
        success=_("The meeting is saved."),
        done=reverse("reports:meeting_detail", kwargs={"pk": meeting.pk}),
        title=_("Edit the meeting"),
    )


@access(LEAD)
def decision_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(pk)
    return _form(
        request,
        DecisionForm(posted(request)),
        lambda cd: services.decision_create(actor=request.user, meeting=meeting, **cd),
        success=_("The decision is recorded."),
        done=reverse("reports:meeting_detail", kwargs={"pk": meeting.pk}),
        title=_("Record a decision"),
        meeting=meeting,
    )


@access(LEAD)
def decision_edit(request: HttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(pk)
    return _form(
        request,
        DecisionForm.for_decision(decision, posted(request)),
        lambda cd: services.decision_update(actor=request.user, decision=decision, **cd),
        success=_("The decision is saved."),
        done=reverse("reports:meeting_detail", kwargs={"pk": decision.meeting_id}),
        title=_("Edit the decision"),
        meeting=decision.meeting,
    )
