"""The citizen and the case."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anvis.common.db import user_link
from anvis.common.fields import EncryptedTextField
from anvis_core.cases.household import MAX_EXTRA_ROOMS
from anvis_core.cpr import age_on, mask_cpr

from .choices import CaseStatus, IncomeType, PreferredContact, RecordedSexChoice, Situation


class Citizen(models.Model):
    """A person. The CPR number is encrypted; `cpr_hash` (HMAC of the ten digits) finds them."""

    cpr = EncryptedTextField(_("CPR number"))
    cpr_hash = models.CharField(_("CPR lookup hash"), max_length=64, unique=True, editable=False)
    reference = models.CharField(_("reference"), max_length=16, unique=True, editable=False)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    preferred_contact = models.CharField(
        _("preferred contact"),
        max_length=16,
        choices=PreferredContact.choices,
        default=PreferredContact.PHONE,
    )
    birth_date = models.DateField(_("birth date"), editable=False)
    recorded_sex = models.CharField(
        _("sex (CPR)"), max_length=8, choices=RecordedSexChoice.choices, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    audit_exclude = ("cpr", "cpr_hash")

    class Meta:
        verbose_name = _("citizen")
        verbose_name_plural = _("citizens")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.reference

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def cpr_masked(self) -> str:
        return mask_cpr(self.cpr)

    def age_on(self, on: dt.date) -> int:
        return age_on(self.birth_date, on)


class CaseQuerySet(models.QuerySet["Case"]):
    def open(self) -> CaseQuerySet:
        return self.exclude(status=CaseStatus.CLOSED)


class Case(models.Model):
    """One period of homelessness for a citizen. A return to homelessness is a new case."""

    number = models.CharField(_("case number"), max_length=16, unique=True, editable=False)
    citizen = models.ForeignKey(
        Citizen, verbose_name=_("citizen"), on_delete=models.PROTECT, related_name="cases"
    )
    caseworker = user_link(_("caseworker"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=CaseStatus.choices,
        default=CaseStatus.WAITING,
        db_index=True,
    )
    opened_on = models.DateField(_("opened"))
    waiting_since = models.DateField(_("waiting since"))
    closed_on = models.DateField(_("closed"), null=True, blank=True)

    # Current homelessness situation (history in SituationEntry).
    situation = models.CharField(
        _("situation"), max_length=32, choices=Situation.choices, db_index=True
    )
    situation_since = models.DateField(_("situation since"))

    # Household.
    adults = models.PositiveSmallIntegerField(
        _("adults"), default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    pets = models.CharField(_("pets"), max_length=200, blank=True, help_text=_("E.g. 1 dog."))
    extra_rooms = models.PositiveSmallIntegerField(
        _("rooms beyond the minimum"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_EXTRA_ROOMS)],
        help_text=_("Leave empty for the default (one room more than the minimum)."),
    )

    # Needs and wishes.
    needs_step_free = models.BooleanField(_("step-free access"), default=False)
    needs_elevator = models.BooleanField(_("elevator"), default=False)
    needs_wheelchair = models.BooleanField(_("wheelchair-accessible"), default=False)
    needs_ground_floor = models.BooleanField(_("ground floor"), default=False)
    districts_wanted = models.CharField(
        _("districts wanted"), max_length=300, blank=True, help_text=_("Comma-separated.")
    )

    # Economy (whole kroner a month).
    income_type = models.CharField(
        _("income type"), max_length=32, choices=IncomeType.choices, blank=True
    )
    income_amount = models.PositiveIntegerField(
        _("disposable income (kr/month)"), null=True, blank=True
    )
    housing_benefit = models.PositiveIntegerField(
        _("expected housing benefit (kr/month)"), null=True, blank=True
    )
    benefit_income = models.PositiveIntegerField(
        _("household income for the housing benefit (kr/year)"),
        null=True,
        blank=True,
        help_text=_(
            "All adults' income before tax, as boligstøtte counts it. When recorded, each "
            "dwelling is judged on rent + a conto − the estimated housing benefit."
        ),
    )
    max_rent_override = models.PositiveIntegerField(
        _("maximum rent, override (kr/month)"), null=True, blank=True
    )
    max_rent_override_reason = models.CharField(
        _("reason for the override"), max_length=300, blank=True
    )
    deposit_loan_needed = models.BooleanField(_("needs a municipal deposit loan"), default=False)

    # Priority: inputs and the stored total (recomputed on change and nightly).
    discharge_without_address = models.BooleanField(
        _("documented discharge without an address"),
        default=False,
        help_text=_("A documented discharge from hospital, treatment or prison with no address."),
    )
    urgent = models.BooleanField(_("urgent"), default=False)
    urgency_reason = models.CharField(_("reason for urgency"), max_length=300, blank=True)
    priority_total = models.IntegerField(_("priority"), default=0, db_index=True)
    priority_computed_on = models.DateField(_("priority computed"), null=True, blank=True)

    # Parking: temporarily unavailable through parked_until (inclusive).
    parked_until = models.DateField(_("parked until"), null=True, blank=True)
    park_reason = models.CharField(_("reason for parking"), max_length=300, blank=True)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-priority_total", "waiting_since", "pk"]
        constraints = [
            # A household has one to ten adults (the form's bounds): every reader that sizes
            # the dwelling (`room_need`) relies on it, whatever path wrote the row.
            models.CheckConstraint(
                condition=Q(adults__gte=1, adults__lte=10), name="cases_case_adults_1_to_10"
            ),
            models.CheckConstraint(
                condition=Q(max_rent_override__isnull=True) | ~Q(max_rent_override_reason=""),
                name="cases_case_rent_override_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(urgent=False) | ~Q(urgency_reason=""),
                name="cases_case_urgency_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(parked_until__isnull=True) | ~Q(park_reason=""),
                name="cases_case_parking_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status=CaseStatus.CLOSED) | Q(closed_on__isnull=True),
                name="cases_case_closed_on_only_when_closed",
            ),
            models.UniqueConstraint(
                fields=["citizen"],
                condition=~Q(status=CaseStatus.CLOSED),
                name="cases_case_one_open_case_per_citizen",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.max_rent_override is not None and not self.max_rent_override_reason.strip():
            errors["max_rent_override_reason"] = _(
                "Give a reason when you override the maximum rent."
            )
        if self.urgent and not self.urgency_reason.strip():
            errors["urgency_reason"] = _("Give a reason for the urgency.")
        if self.parked_until is not None and not self.park_reason.strip():
            errors["park_reason"] = _("Give a reason for parking the case.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED

    def is_parked_on(self, today: dt.date) -> bool:
        return self.parked_until is not None and today <= self.parked_until

    @property
    def district_list(self) -> list[str]:
        return [d.strip() for d in self.districts_wanted.split(",") if d.strip()]
