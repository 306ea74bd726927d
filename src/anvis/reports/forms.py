from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from anvis.agreements.models import GovernanceForum

from .models import Decision, DecisionStatus


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class ForumChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.get_kind_display()}, {obj.agreement.title})"


class MeetingForm(forms.Form):
    forum = ForumChoiceField(
        label=_("Forum"),
        queryset=GovernanceForum.objects.select_related("agreement").order_by(
            "agreement__title", "kind", "name"
        ),
        error_messages={
            "required": _("Choose the forum."),
            "invalid_choice": _("Choose the forum."),
        },
    )
    held_on = forms.DateField(
        label=_("Date"),
        widget=DateInput(),
        error_messages={
            "required": _("Give the date of the meeting."),
            "invalid": _("Enter a valid date."),
        },
    )
    minutes = forms.CharField(
        label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )


class DecisionForm(forms.Form):
    text = forms.CharField(
        label=_("Decision"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the decision.")},
    )
    follow_up = forms.CharField(
        label=_("Follow-up"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    responsible = forms.CharField(label=_("Responsible"), required=False, max_length=200)
    due_on = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Enter a valid date.")},
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=DecisionStatus.choices, initial=DecisionStatus.OPEN
    )

    @classmethod
    def for_decision(cls, decision: Decision, data: Any = None) -> DecisionForm:
        return cls(
            data,
            initial={
                "text": decision.text,
                "follow_up": decision.follow_up,
                "responsible": decision.responsible,
                "due_on": decision.due_on,
                "status": decision.status,
            },
        )
