from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anvis.common.forms import ModelMultipleChoiceField
from anvis.vacancies.adapters import open_vacancies
from anvis.vacancies.models import Vacancy
from anvis.vacancies.pool import waiting_cases

from .models import Objective


class VacancyChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj: Vacancy) -> str:
        d = obj.dwelling
        return f"{d} · {d.rooms} rum · {obj.rent_at_letting} kr · {obj.organisation.name}"


class RunForm(forms.Form):
    objective = forms.ChoiceField(
        label=_("Objective"), choices=Objective.choices, initial=Objective.MAX_WEIGHT
    )
    vacancies = VacancyChoiceField(
        label=_("Open municipal vacancies"),
        queryset=Vacancy.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose none to include every accepted vacancy not yet offered."),
    )
    case_numbers = forms.CharField(
        label=_("Waiting citizens (case numbers)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Leave empty to include every waiting citizen. Separate with commas or spaces."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["vacancies"].queryset = open_vacancies()  # type: ignore[attr-defined]

    def clean_case_numbers(self) -> list[str]:
        text = self.cleaned_data.get("case_numbers", "")
        numbers = sorted({n for n in re.split(r"[\s,;]+", text.upper()) if n})
        if not numbers:
            return []
        found = set(
            waiting_cases(today=timezone.localdate(), numbers=numbers).values_list(
                "number", flat=True
            )
        )
        missing = [n for n in numbers if n not in found]
        if missing:
            raise forms.ValidationError(
                _("These case numbers are not waiting citizens: %(numbers)s"),
                params={"numbers": ", ".join(missing)},
                code="unknown_cases",
            )
        return numbers
