"""The monthly statement (månedsopgørelse) per housing organisation: page, PDF, XLSX, approval
(frozen with its SHA-256) and corrections as new lines."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from anvis.common.clock import local_day
from anvis.common.exports import file_response
from anvis.common.forms import form_status, perform, submit
from anvis.permissions import ALL_ROLES, LEAD, POST_ONLY, access, user_has_role
from anvis_core.workflow.statement import as_record

from . import selectors, services
from .forms import StatementChoiceForm, StatementCorrectionForm, StatementOverviewForm
from .links import statement_url
from .models import GuaranteeClaim, MonthlyStatement

PDF = "application/pdf"


@dataclass(frozen=True)
class Shown:
    """A statement as shown: the frozen record of an approved statement, or the record computed
    now; amounts as Decimal."""

    organisation: Any
    month: dt.date
    record: dict[str, Any]
    approved: MonthlyStatement | None
    complete: bool
    corrections: list[Any]
    claims_shown: bool = True
    """Whether the viewer reads the guarantee payments one by one (the claims' row scope,
    `GuaranteeClaimQuerySet`: not the steering group, which reads their number and total)."""

    @property
    def lines(self) -> list[dict[str, Any]]:
        return [
            {
                **line,
                "start": dt.date.fromisoformat(line["start"]),
                "last": dt.date.fromisoformat(line["end"]) - dt.timedelta(days=1),
                "void_rent": Decimal(line["void_rent"]),
                "aconto": Decimal(line["aconto"]),
                "total": Decimal(line["void_rent"]) + Decimal(line["aconto"]),
            }
            for line in self.record["lines"]
        ]

    @property
    def guarantees(self) -> list[dict[str, Any]]:
        return [
            {**g, "decided_on": dt.date.fromisoformat(g["decided_on"])}
            for g in self.record["guarantees"]
        ]

    def amount(self, key: str) -> Decimal:
        return Decimal(self.record[key])

    @property
    def void_rent_total(self) -> Decimal:
        return self.amount("void_rent_total")

    @property
    def aconto_total(self) -> Decimal:
        return self.amount("aconto_total")

    @property
    def guarantee_total(self) -> Decimal:
        return self.amount("guarantee_total")

    @property
    def claims_summary(self) -> str:
        """The guarantee payments as a viewer outside the claims' scope reads them."""
        n = len(self.record["guarantees"])
        return ngettext(
            "%(n)d guarantee payment (listed for the parties only)",
            "%(n)d guarantee payments (listed for the parties only)",
            n,
        ) % {"n": n}

    @property
    def correction_total(self) -> Decimal:
        return sum((c.amount for c in self.corrections), Decimal("0.00"))

    @property
    def total(self) -> Decimal:
        return self.amount("total") + self.correction_total


def _shown(organisation: Any, month: dt.date, today: dt.date, user: Any) -> Shown:
    claims_shown = GuaranteeClaim.objects.holds_organisation(user, organisation.pk)
    approved = selectors.statement_approved(organisation_id=organisation.pk, month=month)
    if approved is not None:
        corrections = list(approved.corrections.all())
        return Shown(
            organisation, month, approved.content, approved, True, corrections, claims_shown
        )
    computed = selectors.statement_compute(
        organisation_id=organisation.pk, month=month, as_of=today
    )
    return Shown(
        organisation, month, as_record(computed), None, computed.complete, [], claims_shown
    )


def _previous_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def _page_url(organisation_id: int, month: dt.date) -> str:
    return statement_url(organisation_id, month)


def _filename(shown: Shown, ext: str) -> str:
    return f"maanedsopgoerelse-{shown.organisation.cvr}-{shown.month:%Y-%m}.{ext}"


def _render_page(
    request: HttpRequest,
    choice: StatementChoiceForm,
    shown: Shown | None,
    correction: StatementCorrectionForm | None = None,
) -> HttpResponse:
    user = request.user
    lead = user_has_role(user, LEAD)
    hidden = {}
    if shown is not None:
        hidden = {"organisation": shown.organisation.pk, "month": shown.month.strftime("%Y-%m")}
    if correction is None and shown is not None and shown.approved is not None and lead:
        correction = StatementCorrectionForm(initial=hidden, user=user)
    return render(
        request,
        "vacancies/statement.html",
        {
            "choice": choice,
            "shown": shown,
            "hidden": hidden,
            "can_approve": lead and shown is not None and shown.approved is None and shown.complete,
            "correction_form": correction if lead else None,
        },
        status=form_status(request, correction),
    )


@access(ALL_ROLES)
def statement(request: HttpRequest) -> HttpResponse:
    """One organisation's statement for one month; `?format=pdf|xlsx` downloads it."""
    user = request.user
    today = timezone.localdate()
    if "organisation" in request.GET or "month" in request.GET:
        choice = StatementChoiceForm(request.GET, user=user)
    else:
        first = StatementChoiceForm(user=user).fields["organisation"].queryset.first()  # type: ignore[attr-defined]
        data = {
            "organisation": first.pk if first else "",
            "month": f"{_previous_month(today):%Y-%m}",
        }
        choice = StatementChoiceForm(data, user=user)
    if not choice.is_valid():
        return _render_page(request, choice, None)
    shown = _shown(choice.cleaned_data["organisation"], choice.cleaned_data["month"], today, user)
    fmt = request.GET.get("format")
    if fmt == "pdf":
        from weasyprint import HTML

        html = render_to_string("vacancies/statement_pdf.html", {"shown": shown}, request=request)
        response = HttpResponse(bytes(HTML(string=html).write_pdf()), content_type=PDF)
        response["Content-Disposition"] = f'attachment; filename="{_filename(shown, "pdf")}"'
        return response
    if fmt == "xlsx":
        return _xlsx(shown)
    return _render_page(request, choice, shown)


@dataclass(frozen=True)
class OverviewRow:
    shown: Shown
    url: str

    @property
    def status(self) -> str:
        if self.shown.approved is not None:
            return "approved"
        return "ready" if self.shown.complete else "running"


@access(ALL_ROLES)
def statement_overview(request: HttpRequest) -> HttpResponse:
    """Every organisation's statement for one month, with its status and totals (the
    municipality sees every organisation; organisation staff only their own)."""
    today = timezone.localdate()
    data = request.GET.copy() if request.GET else None
    if data is not None and not data.get("month"):
        data["month"] = f"{_previous_month(today):%Y-%m}"
    form = StatementOverviewForm(
        data or {"month": f"{_previous_month(today):%Y-%m}"}, user=request.user
    )
    rows: list[OverviewRow] = []
    totals: dict[str, Decimal] = {}
    if form.is_valid():
        month = form.cleaned_data["month"]
        field = form.fields["organisation"]
        organisations = (
            [form.cleaned_data["organisation"]]
            if form.cleaned_data.get("organisation")
            else list(field.queryset)  # type: ignore[attr-defined]
        )
        for organisation in organisations:
            rows.append(
                OverviewRow(
                    _shown(organisation, month, today, request.user),
                    _page_url(organisation.pk, month),
                )
            )
        for key in (
            "void_rent_total",
            "aconto_total",
            "guarantee_total",
            "correction_total",
            "total",
        ):
            totals[key] = sum((getattr(r.shown, key) for r in rows), Decimal("0.00"))
    return render(
        request,
        "vacancies/statement_overview.html",
        {"form": form, "rows": rows, "totals": totals},
        status=422 if form.errors else 200,
    )


def _xlsx(shown: Shown) -> HttpResponse:
    headers = [
        _("Line"),
        _("Dwelling"),
        _("From"),
        _("Through"),
        _("Days"),
        _("Void rent (kr)"),
        _("A conto (kr)"),
        _("Amount (kr)"),
    ]
    rows: list[list[Any]] = []
    for line in shown.lines:
        rows.append(
            [
                _("Void rent"),
                line["label"],
                line["start"],
                line["last"],
                line["days"],
                line["void_rent"],
                line["aconto"],
                line["total"],
            ]
        )
    if shown.claims_shown:
        for g in shown.guarantees:
            rows.append(
                [_("Guarantee"), g["label"], g["decided_on"], "", "", "", "", Decimal(g["amount"])]
            )
    elif shown.guarantees:
        rows.append(
            [_("Guarantee"), shown.claims_summary, "", "", "", "", "", shown.guarantee_total]
        )
    for c in shown.corrections:
        rows.append([_("Correction"), c.reason, local_day(c.created_at), "", "", "", "", c.amount])
    rows.append(
        [
            _("Total"),
            "",
            "",
            "",
            shown.record["void_rent_days"],
            shown.void_rent_total,
            shown.aconto_total,
            shown.total,
        ]
    )
    if shown.approved is not None:
        rows.append([_("SHA-256"), shown.approved.content_hash, "", "", "", "", "", ""])
    response = file_response(
        name=f"maanedsopgoerelse-{shown.organisation.cvr}-{shown.month:%Y-%m}",
        filetype="xlsx",
        headers=headers,
        rows=rows,
    )
    return response


@access(LEAD, methods=POST_ONLY)
def statement_approve(request: HttpRequest) -> HttpResponse:
    choice = StatementChoiceForm(request.POST, user=request.user)
    if not choice.is_valid():
        return render(
            request,
            "vacancies/statement.html",
            {"choice": choice, "shown": None, "hidden": {}},
            status=form_status(request, choice),
        )
    organisation, month = choice.cleaned_data["organisation"], choice.cleaned_data["month"]
    perform(
        request,
        lambda: services.statement_approve(
            actor=request.user, organisation_id=organisation.pk, month=month
        ),
        success=lambda approved: (
            _("The statement is approved and frozen (SHA-256 %(hash)s).")
            % {"hash": approved.content_hash[:12]}
        ),
    )
    return redirect(_page_url(organisation.pk, month))


@access(LEAD, methods=POST_ONLY)
def statement_correct(request: HttpRequest) -> HttpResponse:
    form = StatementCorrectionForm(request.POST, user=request.user)
    today = timezone.localdate()

    def correct(data: dict[str, Any]) -> Any:
        approved = selectors.statement_approved(
            organisation_id=data["organisation"].pk, month=data["month"]
        )
        if approved is None:
            raise ValidationError(_("Only an approved statement is corrected; this one is not."))
        return services.statement_correct(
            actor=request.user, statement=approved, amount=data["amount"], reason=data["reason"]
        )

    def said(correction: Any) -> str:
        if correction.repeated:
            return _("This correction was already added a moment ago; it is not added again.")
        return _("The correction is added as a new line.")

    if submit(request, form, correct, success=said):
        return redirect(_page_url(form.cleaned_data["organisation"].pk, form.cleaned_data["month"]))
    choice = StatementChoiceForm(request.POST, user=request.user)
    shown = None
    if choice.is_valid():
        shown = _shown(
            choice.cleaned_data["organisation"], choice.cleaned_data["month"], today, request.user
        )
    return _render_page(request, choice, shown, form)
