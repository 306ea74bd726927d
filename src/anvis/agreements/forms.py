from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from anvis.common.forms import (
    DecimalNumberField,
    ModelForm,
    ModelMultipleChoiceField,
    WholeNumberField,
)
from anvis.common.search import SearchChoiceField
from anvis.stock.models import Department, Dwelling, DwellingType, HousingOrganisation
from anvis.stock.search import department_search, department_suggestion

from .models import (
    AgreementVersion,
    AllocationAgreement,
    GovernanceForum,
    HandheldRequest,
    HandheldStatus,
    share_validators,
)
from .services.common import HANDHELD_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class AgreementForm(ModelForm):
    parties = ModelMultipleChoiceField(
        label=_("Parties (housing organisations)"),
        queryset=HousingOrganisation.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Choose at least one."),
    )

    class Meta:
        model = AllocationAgreement
        fields = [
            "municipality",
            "title",
            "parties",
            "signed_on",
            "period_start",
            "period_end",
            "renegotiation_date",
            "notes",
        ]
        widgets = {
            "signed_on": DateInput(),
            "period_start": DateInput(),
            "period_end": DateInput(),
            "renegotiation_date": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class VersionForm(ModelForm):
    # Not required here: the version itself refuses an empty choice (`AgreementVersion.clean`),
    # so the form says it once.
    covered_dwelling_types = forms.MultipleChoiceField(
        label=_("Dwelling types covered"),
        choices=DwellingType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = AgreementVersion
        fields = list(AgreementVersion.TERM_FIELDS)
        widgets = {"valid_from": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}


class PartyLeaveForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Party"), queryset=HousingOrganisation.objects.none()
    )
    last_day = forms.DateField(
        label=_("Last day as a party"),
        widget=DateInput(),
        required=False,
        help_text=_(
            "After this day the organisation's vacancies are no longer the agreement's: no "
            "municipal turns. Its history and its line in the fair-share ledger stay. Leave the "
            "date empty if it stays a party as long as the agreement."
        ),
    )

    def __init__(self, *args: Any, agreement: AllocationAgreement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = agreement.parties.order_by("name")


class ForumForm(ModelForm):
    class Meta:
        model = GovernanceForum
        fields = ["kind", "name", "members", "meeting_frequency"]
        widgets = {"members": forms.Textarea(attrs={"rows": 4})}


def _department_choices(agreement: AllocationAgreement) -> Any:
    return (
        Department.objects.filter(organisation__in=agreement.parties.all())
        .select_related("organisation")
        .order_by("organisation__name", "number")
    )


def DepartmentChoiceField(**kwargs: Any) -> SearchChoiceField:
    """A department of the agreement's parties, chosen by typing its number or name."""
    return SearchChoiceField(
        search=department_search,
        suggest=department_suggestion,
        url_name="stock:department_suggestions",
        help_text=_("Type the department's number or name, and choose a suggestion."),
        **kwargs,
    )


class StepForm(forms.Form):
    department = DepartmentChoiceField(label=_("Department"), queryset=Department.objects.none())
    label = forms.CharField(label=_("Step"), max_length=50, help_text=_('For example "Trin 1".'))
    share_percent = DecimalNumberField(
        label=_("Municipal share (%)"),
        max_digits=5,
        decimal_places=2,
        validators=share_validators(),
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, agreement: AllocationAgreement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = _department_choices(agreement)


class ProposalForm(forms.Form):
    department = DepartmentChoiceField(label=_("Department"), queryset=Department.objects.none())
    share_percent = DecimalNumberField(
        label=_("Proposed municipal share (%)"),
        max_digits=5,
        decimal_places=2,
        validators=share_validators(),
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, agreement: AllocationAgreement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = _department_choices(agreement)


class ReassessmentYearForm(forms.Form):
    year = WholeNumberField(label=_("Year"), min_value=2000, max_value=2100)


class ApproveForm(forms.Form):
    effective_from = forms.DateField(label=_("New steps valid from"), widget=DateInput())


class HandheldForm(ModelForm):
    class Meta:
        model = HandheldRequest
        fields = list(HANDHELD_FIELDS)
        widgets = {"requested_on": DateInput(), "need": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, agreement: AllocationAgreement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.agreement = agreement
        self.fields["organisation"].queryset = agreement.parties.order_by("name")


class HandheldCloseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Result"),
        choices=[
            (HandheldStatus.MET.value, HandheldStatus.MET.label),
            (HandheldStatus.WITHDRAWN.value, HandheldStatus.WITHDRAWN.label),
        ],
        widget=forms.RadioSelect,
    )
    closed_on = forms.DateField(label=_("Closed on"), widget=DateInput(), initial=dt.date.today)
    met_by = forms.ModelChoiceField(
        label=_("Dwelling that met the request (dwelling number)"),
        queryset=Dwelling.objects.all(),
        required=False,
        widget=forms.NumberInput,
        help_text=_("The number shown on the dwelling's page in the housing stock."),
    )
    closing_note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def decimal_or_none(value: Any) -> Decimal | None:
    return None if value in (None, "") else Decimal(value)
