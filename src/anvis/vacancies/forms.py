from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anvis.agreements.models import MAX_DEADLINE_WORKING_DAYS, HandheldRequest, HandheldStatus
from anvis.cases.models import Case
from anvis.cases.search import case_search, case_suggestion
from anvis.common.forms import DecimalNumberField, WholeNumberField
from anvis.common.search import SearchChoiceField
from anvis.permissions import Role, user_has_role, user_organisation_ids
from anvis.stock.models import Dwelling, Entrance, HousingOrganisation
from anvis.stock.search import dwelling_search, dwelling_suggestion

from .choices import DeclineReasonChoice, GuaranteeKindChoice, RejectionGroundChoice, VacancySource
from .limits import (
    MAX_CLAIM_AMOUNT,
    MAX_CLAIM_DESCRIPTION,
    MAX_MONTHLY_RENT,
    MAX_NOTE,
    MAX_REASON,
    MAX_REMARKS,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class VacancyReportForm(forms.Form):
    dwelling = SearchChoiceField(
        queryset=Dwelling.objects.none(),
        label=_("Dwelling"),
        help_text=_(
            "Type part of the address, the postcode or town, or the department's number or name, "
            "and choose a suggestion."
        ),
        search=dwelling_search,
        suggest=dwelling_suggestion,
        url_name="stock:dwelling_suggestions",
    )
    source = forms.ChoiceField(
        label=_("Kind of report"), choices=VacancySource.choices, initial=VacancySource.REPORT
    )
    handheld_request = forms.ModelChoiceField(
        queryset=HandheldRequest.objects.none(),
        label=_("Håndholdt request"),
        required=False,
        help_text=_("Only when the dwelling answers a håndholdt request."),
    )
    notice_date = forms.DateField(label=_("Tenant's notice date"), widget=DATE)
    available_from = forms.DateField(label=_("Available from"), widget=DATE)
    rent_at_letting = WholeNumberField(
        label=_("Rent at letting (kr/month)"),
        min_value=0,
        max_value=MAX_MONTHLY_RENT,
        required=False,
        help_text=_("Leave empty to use the dwelling's registered rent."),
    )
    remarks = forms.CharField(
        label=_("Remarks"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=MAX_REMARKS,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        dwellings = Dwelling.objects.select_related("entrance__department__organisation")
        entrances = Entrance.objects.all()
        requests = HandheldRequest.objects.filter(status=HandheldStatus.OPEN)
        if not user_has_role(user, {Role.ADMIN}):
            orgs = user_organisation_ids(user)
            dwellings = dwellings.filter(entrance__department__organisation__in=orgs)
            entrances = entrances.filter(department__organisation__in=orgs)
            requests = requests.filter(Q(organisation__isnull=True) | Q(organisation__in=orgs))
        field = self.fields["dwelling"]
        assert isinstance(field, SearchChoiceField)
        field.queryset = dwellings
        field.search = lambda qs, text: dwelling_search(qs, text, entrances=entrances)
        self.fields["handheld_request"].queryset = requests  # type: ignore[attr-defined]


class VacancyDeclineForm(forms.Form):
    note = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=MAX_REASON,
        help_text=_("The organisation sees the reason; do not name a citizen."),
    )


class VacancyHandBackForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_REASON,
        help_text=_("The organisation sees the reason; do not name a citizen."),
        error_messages={"required": _("Give the reason for handing the dwelling back.")},
    )


class LetOrdinaryForm(forms.Form):
    starts_on = forms.DateField(label=_("Lease starts"), widget=DATE)


class OfferForm(forms.Form):
    """The offer dialogue: the citizen, the answer deadline and the viewing, and — when the
    gate has findings — the confirmation of soft findings and the allocation lead's reason for
    overriding an agreement rule."""

    case = SearchChoiceField(
        queryset=Case.objects.none(),
        label=_("Citizen (case)"),
        help_text=_(
            "Type the citizen's name or the case number, and choose a suggestion: only the "
            "citizens who may get the dwelling are suggested, the highest priority first."
        ),
        search=case_search,
        suggest=case_suggestion,
        url_name="",
        method="post",
    )
    response_working_days = WholeNumberField(
        label=_("Answer deadline (working days)"), min_value=1, max_value=MAX_DEADLINE_WORKING_DAYS
    )
    viewing_at = forms.DateTimeField(
        label=_("Viewing"), required=False, widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"]
    )
    soft_confirmed = forms.BooleanField(
        label=_("I have considered the findings that need my confirmation"), required=False
    )
    override_reason = forms.CharField(
        label=_("Reason for overriding (allocation lead)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Caps, closed departments and the agreement's terms can be overridden only by the "
            "allocation lead, with a written reason. It is stored on the offer, in the audit "
            "trail and counted in the steering group's report. Legal bars cannot be overridden."
        ),
    )

    def __init__(
        self,
        *args: Any,
        cases: Any,
        candidates: Any,
        default_days: int,
        suggest_url: str = "",
        can_override: bool = False,
        **kwargs: Any,
    ) -> None:
        """``cases``: every case the user may see (a submitted one is judged by the offer
        service, so a refusal names the rules); ``candidates``: those the list offers."""
        super().__init__(*args, **kwargs)
        field = self.fields["case"]
        field.queryset = cases  # type: ignore[attr-defined]
        field.widget.url = suggest_url  # type: ignore[attr-defined]
        self.candidates = candidates
        self.fields["response_working_days"].initial = default_days
        if not can_override:
            del self.fields["override_reason"]


class OfferDeclineForm(forms.Form):
    """No reason is preselected: the user chooses one, having read its consequence."""

    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=DeclineReasonChoice.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a reason for declining.")},
    )
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=MAX_NOTE,
    )


class OfferRejectForm(forms.Form):
    """The documentation is required by `services.offer_reject` (on the page and in the API
    alike, in its words), so the form does not refuse an empty one itself."""

    ground = forms.ChoiceField(label=_("Legal ground"), choices=RejectionGroundChoice.choices)
    note = forms.CharField(
        label=_("Documentation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "required": True}),
        max_length=MAX_NOTE,
        help_text=_("Describe the ground, e.g. the size of the debt and that no plan exists."),
    )


class OfferWithdrawForm(forms.Form):
    note = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=MAX_NOTE,
    )


class LeaseForm(forms.Form):
    signed_on = forms.DateField(label=_("Lease signed"), widget=DATE)
    starts_on = forms.DateField(label=_("Lease starts"), widget=DATE)
    move_in_on = forms.DateField(label=_("Move-in"), widget=DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, move_in = data.get("starts_on"), data.get("move_in_on")
        if isinstance(start, dt.date) and isinstance(move_in, dt.date) and move_in < start:
            self.add_error("move_in_on", _("The move-in date cannot be before the lease starts."))
        return data


class LeaseCancelForm(forms.Form):
    """A lease cancelled before move-in: when, and why (`services.lease_cancel` checks both)."""

    cancelled_on = forms.DateField(
        label=_("Cancelled on"),
        widget=DATE,
        error_messages={"required": _("Give the date the lease was cancelled.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_REASON,
        help_text=_(
            "For example that the citizen withdrew, cannot be reached or the lease was annulled. "
            "The caseworker and the organisation see the reason; do not give personal details."
        ),
        error_messages={"required": _("Give the reason the lease was cancelled before move-in.")},
    )


class GuaranteeClaimForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of claim"), choices=GuaranteeKindChoice.choices)
    event_date = forms.DateField(
        label=_("Date of the move-out or the arrears"),
        widget=DATE,
    )
    amount = WholeNumberField(label=_("Amount (kr)"), min_value=1, max_value=MAX_CLAIM_AMOUNT)
    description = forms.CharField(
        label=_("Description"),
        max_length=MAX_CLAIM_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the claim covers; attach no personal data beyond what is needed."),
    )


class ClaimDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Required when you reject the claim."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give a reason for rejecting the claim."))
        return data


# --- monthly statements ---------------------------------------------------------------------------

MONTH_FORMATS = ["%Y-%m"]


class StatementChoiceForm(forms.Form):
    """Which organisation and month a statement is for (the page's filter, the approval and the
    correction carry the same two fields)."""

    organisation = forms.ModelChoiceField(
        queryset=HousingOrganisation.objects.none(), label=_("Housing organisation")
    )
    month = forms.DateField(
        label=_("Month"),
        input_formats=MONTH_FORMATS,
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        error_messages={"invalid": _("Give the month as year and month, e.g. 2026-03.")},
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = HousingOrganisation.objects.restrict(user).order_by("name")

    def clean_month(self) -> dt.date:
        month: dt.date = self.cleaned_data["month"]
        if not 2000 <= month.year <= 2099:
            raise forms.ValidationError(_("Choose a month between 2000 and 2099."))
        return month.replace(day=1)


class StatementOverviewForm(StatementChoiceForm):
    """The filters of the statements across organisations: the month, and one organisation or
    all the user may see."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].required = False
        self.fields["organisation"].empty_label = _("All organisations")  # type: ignore[attr-defined]


class StatementCorrectionForm(StatementChoiceForm):
    amount = DecimalNumberField(
        label=_("Amount (kr)"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("-9999999999.99"),
        max_value=Decimal("9999999999.99"),
        help_text=_("Negative to credit the municipality."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)
