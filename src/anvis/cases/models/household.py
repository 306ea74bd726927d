"""What a case records of the household and situation: situation history, children, areas to avoid and legal bars."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anvis.common.db import user_link
from anvis_core import law
from anvis_core.cases import bars as core_bars
from anvis_core.cpr import age_on

from .case import Case
from .choices import FORMER_BENEFITS, BarKind, IncomeType, ReleaseFromChoice, Situation


class SituationEntry(models.Model):
    """The history of a case's homelessness situation (the newest is the current one)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="situations")
    situation = models.CharField(_("situation"), max_length=32, choices=Situation.choices)
    since = models.DateField(_("since"))
    release_from = models.CharField(
        _("released from"), max_length=16, choices=ReleaseFromChoice.choices, blank=True
    )
    release_date = models.DateField(_("release date"), null=True, blank=True)
    recorded_by = user_link()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("situation")
        verbose_name_plural = _("situation history")
        ordering = ["-since", "-pk"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.situation} {self.since}"


class HouseholdChild(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="children")
    birth_date = models.DateField(_("birth date"))

    class Meta:
        verbose_name = _("child")
        verbose_name_plural = _("children")
        ordering = ["birth_date", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.birth_date}"

    def age_on(self, on: dt.date) -> int:
        return age_on(self.birth_date, on)


class AvoidArea(models.Model):
    """A district or department the citizen should not be placed in, with the reason."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="avoid_areas")
    district = models.CharField(_("district"), max_length=100, blank=True)
    department = models.ForeignKey(
        "stock.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=300)

    class Meta:
        verbose_name = _("area to avoid")
        verbose_name_plural = _("areas to avoid")
        constraints = [
            models.CheckConstraint(
                condition=~Q(district="") | Q(department__isnull=False),
                name="cases_avoidarea_district_or_department",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="cases_avoidarea_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.district or self.department_id}"

    def clean(self) -> None:
        if not self.district.strip() and self.department_id is None:
            raise ValidationError(_("Give a district or a department."))


class HouseholdMember(models.TextChoices):
    """Whose event it is: benefit periods of different members are never joined (§ 59)."""

    APPLICANT = "applicant", _("Applicant")
    PARTNER = "partner", _("Spouse or partner")
    OTHER_ADULT = "other_adult", _("Other adult in the household")
    CHILD = "child", _("Child in the household")


class LegalBarEvent(models.Model):
    """An event behind a § 59 stk. 6–7 bar: a release, a termination, or a benefit period."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="bar_events")
    kind = models.CharField(_("kind"), max_length=32, choices=BarKind.choices)
    date = models.DateField(_("date"), help_text=_("For benefits: the first day of the period."))
    end = models.DateField(
        _("last day of the period"),
        null=True,
        blank=True,
        help_text=_("For benefits and citizenship: empty while it lasts."),
    )
    benefit = models.CharField(
        _("benefit"),
        max_length=32,
        choices=[(c, label) for c, label in IncomeType.choices if c in set(core_bars.Benefit)],
        blank=True,
    )
    member = models.CharField(
        _("household member"),
        max_length=16,
        choices=HouseholdMember.choices,
        default=HouseholdMember.APPLICANT,
        help_text=_("Benefit periods are joined only for the same member."),
    )
    recorded_by = user_link()

    class Meta:
        verbose_name = _("legal bar event")
        verbose_name_plural = _("legal bar events")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="benefits") | ~Q(benefit=""), name="cases_bar_benefit_named"
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("date")),
                name="cases_bar_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.kind} {self.date}"

    def clean(self) -> None:
        if self.kind == BarKind.BENEFITS and not self.benefit:
            raise ValidationError({"benefit": _("Choose the benefit.")})
        if self.kind == BarKind.BENEFITS and self.date is not None:
            reform = law.REFORM_2025
            if self.benefit in FORMER_BENEFITS and self.date >= reform:
                raise ValidationError(
                    {
                        "benefit": _(
                            "This benefit ended on 30 June 2025; a period from 1 July 2025 is "
                            "kontanthjælp."
                        )
                    }
                )
            if self.benefit == IncomeType.CASH_BENEFIT_MINIMUM and self.date < reform:
                raise ValidationError(
                    {"benefit": _("The minimum rate of kontanthjælp exists from 1 July 2025.")}
                )
        if self.end is not None and self.date is not None and self.end < self.date:
            raise ValidationError({"end": _("The period cannot end before it starts.")})

    def to_core(self) -> core_bars.BarEvent:
        return core_bars.BarEvent.from_values(
            self.kind, self.date, self.end, self.benefit, self.member
        )
