from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from anvis.cases.models import SupportPlan, SupportStatus
from anvis.common.forms import WholeNumberField
from anvis.permissions import MUNICIPAL, Role

from .models import NOTE_MAX, EventKind, MoveOutReason
from .services import MAX_ARREARS, MAX_MONTHS, EventInput, kinds_for

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Event"))
    event_date = forms.DateField(label=_("Date"), widget=DATE)
    amount = WholeNumberField(
        label=_("Arrears (kr)"),
        required=False,
        min_value=1,
        max_value=MAX_ARREARS,
        help_text=_("Only for rent arrears."),
    )
    months = WholeNumberField(
        label=_("Months in arrears"),
        required=False,
        min_value=1,
        max_value=MAX_MONTHS,
        help_text=_("Only for rent arrears."),
    )
    eviction_date = forms.DateField(
        label=_("Eviction date"),
        required=False,
        widget=DATE,
        help_text=_("Only for an eviction case, when the bailiff has set a date."),
    )
    move_out_reason = forms.ChoiceField(
        label=_("Reason for moving out"),
        required=False,
        choices=[("", "---------"), *MoveOutReason.choices],
        help_text=_("Only for a move-out."),
    )
    confirm_move_out = forms.BooleanField(
        label=_("The tenant has moved out"),
        required=False,
        help_text=_(
            "Only for a move-out: it ends the tenancy, closes its tasks and tells the "
            "municipality, and cannot be undone."
        ),
    )
    note = forms.CharField(
        label=_("Short note"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Personal data: write only what the other party needs. The note is encrypted and "
            "every reading is logged."
        ),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = set(kinds_for(user))
        self.fields["kind"].choices = [(v, label) for v, label in EventKind.choices if v in allowed]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("kind") == EventKind.MOVE_OUT and not cleaned.get("confirm_move_out"):
            self.add_error(
                "confirm_move_out",
                _("Tick the box to report the move-out: it ends the tenancy for good."),
            )
        return cleaned

    def to_input(self) -> EventInput:
        return EventInput.from_values(self.cleaned_data)


class ContactForm(forms.Form):
    contact_on = forms.DateField(label=_("Contact with the tenant on"), widget=DATE)
    note = forms.CharField(
        label=_("What was agreed"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Seen by the municipality only. Encrypted; every reading is logged."),
    )


class MunicipalContactsForm(forms.Form):
    municipal_contact = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(),
        label=_("Support contact (municipality)"),
        required=False,
    )
    support_plan = forms.ModelChoiceField(
        queryset=SupportPlan.objects.none(), label=_("Support plan"), required=False
    )

    def __init__(self, *args: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipal_contact"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, role__in=MUNICIPAL)
            .order_by("first_name", "last_name", "username")
        )
        self.fields["support_plan"].queryset = case.support_plans.exclude(
            status=SupportStatus.CANCELLED
        ).order_by("-decided_on", "-pk")


class OrganisationContactForm(forms.Form):
    organisation_contact = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(),
        label=_("Contact at the housing organisation"),
        required=False,
    )

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation_contact"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, role=Role.ORGANISATION, organisations=organisation_id)
            .order_by("first_name", "last_name", "username")
        )
