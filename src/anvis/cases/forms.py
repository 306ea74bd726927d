"""Case forms. Validation messages are English source strings translated to Danish."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anvis.common.forms import ModelForm, WholeNumberField
from anvis.common.importing import parse_date
from anvis.common.search import SearchChoiceField
from anvis.stock.models import Department
from anvis.stock.search import department_search, department_suggestion
from anvis_core.cases import bars as core_bars
from anvis_core.cases.status import BY_HAND
from anvis_core.cases.status import CaseStatus as CoreStatus

from .models import (
    BarKind,
    Case,
    CaseStatus,
    Citizen,
    ConsentScope,
    LegalBarEvent,
    PreferredContact,
    ReleaseFromChoice,
    ShelterStay,
    Situation,
    SupportPlan,
)
from .services import cpr_parse_or_error


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def date_field(label: Any, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput(), help_text=help_text)


class SituationFieldsMixin(forms.Form):
    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("situation") == Situation.RELEASE_NO_ADDRESS and not data.get("release_from"):
            self.add_error("release_from", _("Choose where the citizen is released from."))
        return data


class CaseCreateForm(SituationFieldsMixin):
    cpr = forms.CharField(
        label=_("CPR number"),
        max_length=11,
        help_text=_("DDMMYY-XXXX. A known CPR number re-opens the citizen."),
    )
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    preferred_contact = forms.ChoiceField(
        label=_("Preferred contact"), choices=PreferredContact.choices
    )
    situation = forms.ChoiceField(label=_("Homelessness situation"), choices=Situation.choices)
    situation_since = date_field(_("In this situation since"))
    release_from = forms.ChoiceField(
        label=_("Released from"), choices=[("", "—"), *ReleaseFromChoice.choices], required=False
    )
    release_date = date_field(_("Release date"), required=False)
    adults = WholeNumberField(
        label=_("Adults in the household"), min_value=1, max_value=10, initial=1
    )

    def clean_cpr(self) -> str:
        return cpr_parse_or_error(self.cleaned_data["cpr"], on=timezone.localdate()).digits


class ContactForm(ModelForm):
    class Meta:
        model = Citizen
        fields = ["first_name", "last_name", "phone", "email", "preferred_contact"]


class HouseholdForm(ModelForm):
    children_birth_dates = forms.CharField(
        label=_("Children's birth dates"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One date per line, for example 04.03.2015."),
    )

    class Meta:
        model = Case
        fields = ["adults", "pets", "extra_rooms"]

    def clean_children_birth_dates(self) -> list[dt.date]:
        out = []
        for line in self.cleaned_data["children_birth_dates"].splitlines():
            line = line.strip()
            if not line:
                continue
            try:
                day = parse_date(line)
            except ValueError:
                raise ValidationError(
                    _("“%(value)s” is not a date; write it as 04.03.2015."), params={"value": line}
                ) from None
            if day > timezone.localdate():
                raise ValidationError(_("A child's birth date cannot be in the future."))
            out.append(day)
        return out


class NeedsForm(ModelForm):
    class Meta:
        model = Case
        fields = [
            "needs_step_free",
            "needs_elevator",
            "needs_wheelchair",
            "needs_ground_floor",
            "districts_wanted",
            "discharge_without_address",
        ]


class EconomyForm(ModelForm):
    class Meta:
        model = Case
        fields = [
            "income_type",
            "income_amount",
            "housing_benefit",
            "benefit_income",
            "max_rent_override",
            "max_rent_override_reason",
            "deposit_loan_needed",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (
            data.get("max_rent_override") is not None
            and not (data.get("max_rent_override_reason") or "").strip()
        ):
            self.add_error(
                "max_rent_override_reason", _("Give a reason when you override the maximum rent.")
            )
        return data


class SituationForm(SituationFieldsMixin):
    situation = forms.ChoiceField(label=_("Homelessness situation"), choices=Situation.choices)
    since = date_field(_("Since"))
    release_from = forms.ChoiceField(
        label=_("Released from"), choices=[("", "—"), *ReleaseFromChoice.choices], required=False
    )
    release_date = date_field(_("Release date"), required=False)


class UrgencyForm(forms.Form):
    urgent = forms.BooleanField(label=_("Urgent"), required=False)
    urgency_reason = forms.CharField(label=_("Reason for urgency"), max_length=300, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("urgent") and not (data.get("urgency_reason") or "").strip():
            self.add_error("urgency_reason", _("Give a reason for the urgency."))
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=CaseStatus.choices)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The page offers the status page's transitions only. Any other status (from a page
        # shown before the case changed) goes on to the service, which says why it is refused.
        allowed = BY_HAND[CoreStatus(case.status)]
        self.fields["status"].widget.choices = [
            (v, label) for v, label in CaseStatus.choices if v in allowed
        ]
        if CoreStatus.CLOSED in allowed:
            self.fields["confirm_close"] = forms.BooleanField(
                label=_("Close the case for good"),
                help_text=_(
                    "A closed case cannot be reopened; if the citizen becomes homeless again, "
                    "a new case is opened."
                ),
                required=False,
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            "confirm_close" in self.fields
            and cleaned.get("status") == CaseStatus.CLOSED
            and not cleaned.get("confirm_close")
        ):
            self.add_error(
                "confirm_close",
                _("Tick the box to close the case: a closed case cannot be reopened."),
            )
        return cleaned


class ParkForm(forms.Form):
    parked_until = date_field(
        _("Parked until"), help_text=_("The case is available again the day after.")
    )
    park_reason = forms.CharField(label=_("Reason"), max_length=300)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )


class ShelterStayForm(ModelForm):
    class Meta:
        model = ShelterStay
        fields = ["shelter", "admitted_on", "discharged_on", "action_plan"]
        widgets = {"admitted_on": DateInput(), "discharged_on": DateInput()}


class DischargeForm(forms.Form):
    discharged_on = date_field(_("Discharged"))
    action_plan = forms.BooleanField(label=_("Action plan (handleplan) present"), required=False)


class SupportPlanForm(ModelForm):
    class Meta:
        model = SupportPlan
        fields = ["method", "provider", "decided_on", "starts_on", "ends_on", "status"]
        widgets = {"decided_on": DateInput(), "starts_on": DateInput(), "ends_on": DateInput()}
        help_texts = {"ends_on": _("Empty for CTI: nine months from the start.")}


class LegalBarForm(ModelForm):
    class Meta:
        model = LegalBarEvent
        fields = ["kind", "member", "date", "end", "benefit"]
        widgets = {"date": DateInput(), "end": DateInput()}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") != BarKind.BENEFITS:
            data["benefit"] = ""
        if data.get("kind") not in core_bars.PERIOD_KINDS:
            data["end"] = None
        return data


class AvoidAreaForm(forms.Form):
    district = forms.CharField(label=_("District"), max_length=100, required=False)
    department = SearchChoiceField(
        label=_("Department"),
        queryset=Department.objects.select_related("organisation"),
        required=False,
        help_text=_("Type the department's number or name, and choose a suggestion."),
        search=department_search,
        suggest=department_suggestion,
        url_name="stock:department_suggestions",
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=300, help_text=_("E.g. away from a former network.")
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not (data.get("district") or "").strip() and data.get("department") is None:
            raise ValidationError(_("Give a district or a department."))
        return data


class ConsentForm(forms.Form):
    scope = forms.ChoiceField(label=_("Scope"), choices=ConsentScope.choices)
    given_on = date_field(_("Given"))
