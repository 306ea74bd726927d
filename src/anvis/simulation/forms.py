from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from anvis.common.forms import DecimalNumberField, WholeNumberField
from anvis.vacancies.limits import MAX_MONTHLY_RENT
from anvis_core.simulation import ScenarioError

from .models import ScenarioSource
from .scenarios import build_scenario, field_for_parameter

REGIME_CHOICES = [("agreement", _("Agreement")), ("ad_hoc", _("Ad hoc (no agreement)"))]
MODE_CHOICES = [("online", _("Online (one vacancy at a time)")), ("batch", _("Batch every N days"))]
POLICY_CHOICES = [
    ("baseline", _("Simple rules (baseline)")),
    ("production", _("The system's own matching rules")),
]

NOT_NEGATIVE = _("The value must not be negative.")
PROBABILITY = _("A probability must be between 0 and 1.")
# Durations in days the form takes: up to a year (the batch interval and the response time).
MAX_DAYS = 365
# New homeless a year: ten times the national flow (about 9,000 a year, docs/simulation.md).
# Every newcomer is drawn up front, so a typo of a few zeros more would have the task worker,
# which also sends the e-mails and runs the deadlines, run out of memory.
MAX_ARRIVALS_PER_YEAR = 100_000
SCENARIO_MESSAGES = {
    "stock.dwellings": _("There are no dwellings in the database to simulate."),
    "groups": _("There is neither a waiting list nor any new cases to simulate."),
    "regime.rent_ceiling_basis": _(
        "The agreement's rent ceiling must be judged on net or gross rent."
    ),
    "regime.rent_ceiling_comparison": _(
        "The agreement's rent ceiling must be an upper limit (at most) or a limit to stay under."
    ),
}


def _min(value: int | Decimal, message: Any = NOT_NEGATIVE) -> MinValueValidator:
    return MinValueValidator(value, message=message)


class RunForm(forms.Form):
    """Parameters of one run. Empty optional fields keep the chosen source's value."""

    name = forms.CharField(label=_("Name of the run"), max_length=200, required=False)
    source = forms.ChoiceField(
        label=_("Start from"), choices=ScenarioSource.choices, initial=ScenarioSource.DATABASE
    )
    regime = forms.ChoiceField(label=_("Regime"), choices=REGIME_CHOICES, initial="agreement")
    share_percent = DecimalNumberField(
        label=_("Municipal share (%)"),
        required=False,
        max_digits=6,
        decimal_places=2,
        validators=[
            _min(Decimal(0), _("The share must be between 0 and 100 %%.")),
            MaxValueValidator(Decimal(100), _("The share must be between 0 and 100 %%.")),
        ],
        help_text=_("Empty: the source's share (the agreement in force)."),
    )
    use_steps = forms.BooleanField(
        label=_("Use the departments' steps (the share then applies to departments without one)"),
        required=False,
        initial=True,
    )
    rent_ceiling = WholeNumberField(
        label=_("Rent ceiling (kr/month)"),
        required=False,
        validators=[
            _min(0, _("The rent ceiling must not be negative.")),
            MaxValueValidator(
                MAX_MONTHLY_RENT, _("The rent ceiling can be at most %(limit_value)s kr a month.")
            ),
        ],
    )
    stairwell_cap = WholeNumberField(
        label=_("Cap per stairwell (placements per 12 months)"),
        required=False,
        validators=[_min(0, _("A cap must not be negative (0 means no cap)."))],
        help_text=_("0 means no cap; empty keeps the source's cap."),
    )
    department_cap = WholeNumberField(
        label=_("Cap per department (placements per 12 months)"),
        required=False,
        validators=[_min(0, _("A cap must not be negative (0 means no cap)."))],
        help_text=_("0 means no cap; empty keeps the source's cap."),
    )
    matching_mode = forms.ChoiceField(label=_("Matching"), choices=MODE_CHOICES, initial="online")
    matching_policy = forms.ChoiceField(
        label=_("Matching rules"), choices=POLICY_CHOICES, initial="baseline", required=False
    )
    batch_days = WholeNumberField(
        label=_("Batch interval (days)"),
        initial=7,
        validators=[
            _min(1, _("The batch interval must be at least 1 day.")),
            MaxValueValidator(MAX_DAYS, _("The batch interval must be at most 365 days.")),
        ],
    )
    acceptance_probability = DecimalNumberField(
        label=_("Probability that an offer is accepted (0–1)"),
        required=False,
        max_digits=5,
        decimal_places=3,
        validators=[_min(Decimal(0), PROBABILITY), MaxValueValidator(Decimal(1), PROBABILITY)],
    )
    access_probability = DecimalNumberField(
        label=_("Ad hoc: probability that a vacancy reaches the municipality (0–1)"),
        required=False,
        max_digits=5,
        decimal_places=3,
        validators=[_min(Decimal(0), PROBABILITY), MaxValueValidator(Decimal(1), PROBABILITY)],
        help_text=_("Empty: 0.08 (the shipped ad hoc assumption)."),
    )
    response_days = WholeNumberField(
        label=_("Municipality's response time (days)"),
        required=False,
        validators=[
            _min(0, _("The response time must not be negative.")),
            MaxValueValidator(
                MAX_DAYS, _("The response time must be at most %(limit_value)s days.")
            ),
        ],
        help_text=_("Empty: the source's value (ad hoc: 30 days)."),
    )
    arrivals_per_year = DecimalNumberField(
        label=_("New homeless a year"),
        required=False,
        max_digits=9,
        decimal_places=2,
        validators=[
            _min(Decimal(0), _("The arrival rate must not be negative.")),
            MaxValueValidator(
                MAX_ARRIVALS_PER_YEAR,
                _("The arrival rate can be at most 100,000 new homeless a year."),
            ),
        ],
        help_text=_("Empty: the source's rates; otherwise the groups' rates are scaled to this."),
    )
    years = WholeNumberField(
        label=_("Years"),
        initial=10,
        validators=[
            _min(1, _("Simulate at least 1 year.")),
            MaxValueValidator(30, _("Simulate at most 30 years.")),
        ],
    )
    replications = WholeNumberField(
        label=_("Replications"),
        initial=20,
        validators=[
            _min(2, _("At least 2 replications are needed for confidence intervals.")),
            MaxValueValidator(500, _("At most 500 replications.")),
        ],
    )
    seed = WholeNumberField(
        label=_("Seed"), initial=1, validators=[_min(0, _("The seed must not be negative."))]
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def parameters(self) -> dict[str, Any]:
        """The cleaned data as JSON-safe values (decimals as strings)."""
        out: dict[str, Any] = {}
        for key, value in self.cleaned_data.items():
            out[key] = str(value) if isinstance(value, Decimal) else value
        return out

    def run_name(self) -> str:
        if self.cleaned_data.get("name"):
            return str(self.cleaned_data["name"])
        source = ScenarioSource(self.cleaned_data["source"]).label
        regime = dict(REGIME_CHOICES)[self.cleaned_data["regime"]]
        return f"{source}: {regime}"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        try:
            build_scenario(self.parameters(), today=self.today)
        except ScenarioError as exc:
            field = field_for_parameter(exc.parameter)
            if field:
                self.add_error(field, _("The simulator does not accept this value."))
            elif exc.parameter in SCENARIO_MESSAGES:
                self.add_error(None, SCENARIO_MESSAGES[exc.parameter])
            else:
                self.add_error(
                    None,
                    _("The scenario cannot be simulated (parameter %(parameter)s).")
                    % {"parameter": exc.parameter or "–"},
                )
        except (OSError, ValueError):
            self.add_error("source", _("The scenario could not be read."))
        return cleaned


class CompareForm(forms.Form):
    run = forms.TypedMultipleChoiceField(label=_("Runs"), coerce=int)

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["run"].choices = choices

    def clean_run(self) -> list[int]:
        # a run chosen twice (a hand-made address) is one run: nothing to compare it with
        runs: list[int] = list(dict.fromkeys(self.cleaned_data["run"]))
        if len(runs) < 2:
            raise forms.ValidationError(_("Choose at least two finished runs to compare."))
        return runs
