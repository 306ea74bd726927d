"""The agreement, its versioned terms and governance fora."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anvis.common import formats as fmt
from anvis.common.db import user_link
from anvis.stock.models import DwellingType
from anvis_core.quotas import share_from_percent
from anvis_core.rent_ceiling import CeilingBasis, CeilingComparison
from anvis_core.workflow.void_rent import VoidRentConvention

SHARE_FIELD = {"max_digits": 5, "decimal_places": 2}


def share_validators() -> list[Any]:
    # Validators format their message with %-params, hence the doubled percent sign.
    message = _("The municipal share must be between 0 and 100 %%.")
    return [MinValueValidator(Decimal(0), message), MaxValueValidator(Decimal(100), message)]


class AgreementQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def restrict(self, user: Any) -> AgreementQuerySet:
        """Organisation staff see the agreements their organisations are party to."""
        from anvis.permissions import (
            Role,
            sees_all_organisations,
            user_has_role,
            user_organisation_ids,
        )

        if sees_all_organisations(user):
            return self
        if user_has_role(user, {Role.ORGANISATION}):
            return self.filter(parties__in=user_organisation_ids(user)).distinct()
        return self.none()


class AllocationAgreement(models.Model):
    municipality = models.CharField(_("municipality"), max_length=100)
    title = models.CharField(_("title"), max_length=200)
    parties = models.ManyToManyField(
        "stock.HousingOrganisation",
        verbose_name=_("parties (housing organisations)"),
        related_name="agreements",
        blank=True,
        through="AgreementParty",
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    period_start = models.DateField(_("in force from"))
    period_end = models.DateField(_("in force until"), null=True, blank=True)
    renegotiation_date = models.DateField(_("renegotiation date"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = AgreementQuerySet.as_manager()
    audit_many_to_many = ("parties",)

    class Meta:
        verbose_name = _("allocation agreement")
        verbose_name_plural = _("allocation agreements")
        ordering = ["-period_start", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__isnull=True) | Q(period_end__gt=models.F("period_start")),
                name="agreements_agreement_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(signed_on__isnull=True) | Q(signed_on__lte=models.F("period_start")),
                name="agreements_agreement_signed_before_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.municipality})"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.period_start and self.period_end and self.period_end <= self.period_start:
            errors["period_end"] = _("The end date must be after the start date.")
        if self.period_start and self.signed_on and self.signed_on > self.period_start:
            errors["signed_on"] = _("The agreement must be signed on or before its start date.")
        if (
            self.period_start
            and self.renegotiation_date
            and self.renegotiation_date < self.period_start
        ):
            errors["renegotiation_date"] = _(
                "The renegotiation date cannot be before the start date."
            )
        if errors:
            raise ValidationError(errors)

    def in_force_on(self, day: dt.date) -> bool:
        return self.period_start <= day and (self.period_end is None or day <= self.period_end)

    def parties_on(self, day: dt.date) -> models.QuerySet[Any]:
        """The organisations party to the agreement on `day` (a party that has left is party
        up to its last day, `AgreementParty.until`)."""
        from anvis.stock.models import HousingOrganisation

        return HousingOrganisation.objects.filter(
            pk__in=self.memberships.on(day).values("housingorganisation_id")
        )

    def version_for(self, day: dt.date) -> AgreementVersion | None:
        """The version whose terms apply on `day`, or None outside the agreement period."""
        if not self.in_force_on(day):
            return None
        return self.versions.filter(valid_from__lte=day).order_by("-valid_from").first()


def guarantee_period_validators() -> list[Any]:
    """A guarantee period is at least a month: empty is no time limit, and 0 months would end
    the guarantee on the lease's first day and refuse every claim of its kind."""
    return [
        MinValueValidator(
            1,
            _(
                "The guarantee period must be at least 1 month. Leave the field empty if there "
                "is no time limit."
            ),
        )
    ]


class AgreementPartyQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def on(self, day: dt.date) -> AgreementPartyQuerySet:
        """The memberships in force on `day`: the one reading of who is a party on a day."""
        return self.filter(Q(until__isnull=True) | Q(until__gte=day))


class AgreementParty(models.Model):
    """An organisation's membership of an agreement: party from the agreement's start until
    `until` (its last day; empty: as long as the agreement). A party that leaves keeps its row,
    so its history stays in the agreement, the ledger and the report, while its vacancies after
    the last day are no longer the agreement's (`agreements.selectors.agreement_terms_on`).
    The table is the one the plain many-to-many field had (hence the field names)."""

    allocationagreement = models.ForeignKey(
        AllocationAgreement,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("agreement"),
    )
    housingorganisation = models.ForeignKey(
        "stock.HousingOrganisation",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("housing organisation"),
    )
    until = models.DateField(
        _("party until"),
        null=True,
        blank=True,
        help_text=_("The last day the organisation is party to the agreement."),
    )

    objects = AgreementPartyQuerySet.as_manager()

    class Meta:
        db_table = "agreements_allocationagreement_parties"
        unique_together = [("allocationagreement", "housingorganisation")]
        verbose_name = _("party to an agreement")
        verbose_name_plural = _("parties to agreements")

    def __str__(self) -> str:
        return f"{self.allocationagreement_id}: {self.housingorganisation_id}"


MAX_DEADLINE_WORKING_DAYS = 60
"""About three months: longer deadlines are typing errors (and a date that many working days
ahead lies beyond the calendar)."""


class VoidRentPayer(models.TextChoices):
    MUNICIPALITY = "municipality", _("The municipality")
    ORGANISATION = "organisation", _("The housing organisation")


class VoidRentFrom(models.TextChoices):
    AVAILABLE = "available_from", _("From the date the dwelling is available")
    ACCEPTANCE = "acceptance", _("From the municipality's acceptance")


class CeilingBasisChoice(models.TextChoices):
    NET = CeilingBasis.NET.value, _("Net rent (without a conto)")
    GROSS = CeilingBasis.GROSS.value, _("Gross rent (rent + a conto for heating and water)")


class CeilingComparisonChoice(models.TextChoices):
    AT_MOST = CeilingComparison.AT_MOST.value, _("At most the ceiling")
    BELOW = CeilingComparison.BELOW.value, _("Below the ceiling")


class VoidRentConventionChoice(models.TextChoices):
    DAILY = VoidRentConvention.DAILY.value, _("Daily rent (monthly rent × 12 / 365 a day)")
    MONTH30 = (
        VoidRentConvention.MONTH30.value,
        _("Whole months (a whole calendar month is one monthly rent, a part month 1/30 a day)"),
    )


class AgreementVersion(models.Model):
    """The terms of an agreement from `valid_from` until the next version. A version that has
    been in force or has judged a vacancy is never edited: a change is a new version (see
    services)."""

    TERM_FIELDS = (
        "valid_from",
        "rent_ceiling",
        "rent_ceiling_basis",
        "rent_ceiling_comparison",
        "rent_target",
        "municipal_share_percent",
        "covered_dwelling_types",
        "response_deadline_working_days",
        "offer_response_working_days",
        "void_rent_payer",
        "void_rent_from",
        "void_rent_before_report",
        "void_rent_convention",
        "void_rent_covers_aconto",
        "hand_back_delivered",
        "guarantee_move_out_repairs",
        "guarantee_first_year_arrears",
        "guarantee_period_months",
        "guarantee_repairs_period_months",
        "guarantee_documentation",
        "guarantee_max_repairs",
        "guarantee_max_arrears",
        "cap_per_entrance_12m",
        "cap_per_department_12m",
        "notes",
    )

    agreement = models.ForeignKey(
        AllocationAgreement,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("agreement"),
    )
    valid_from = models.DateField(_("valid from"))
    rent_ceiling = models.PositiveIntegerField(
        _("rent ceiling (kr/month)"),
        default=5000,
        validators=[MinValueValidator(1, _("The rent ceiling must be at least 1 kr a month."))],
    )
    rent_ceiling_basis = models.CharField(
        _("rent ceiling judged on"),
        max_length=8,
        choices=CeilingBasisChoice.choices,
        default=CeilingBasisChoice.NET,
    )
    rent_ceiling_comparison = models.CharField(
        _("rent ceiling comparison"),
        max_length=8,
        choices=CeilingComparisonChoice.choices,
        default=CeilingComparisonChoice.AT_MOST,
    )
    rent_target = models.PositiveIntegerField(
        _("rent target for homeless citizens (kr/month)"), default=3500
    )
    municipal_share_percent = models.DecimalField(
        _("default municipal share (%)"),
        default=Decimal("25"),
        validators=share_validators(),
        **SHARE_FIELD,
    )
    covered_dwelling_types = models.JSONField(
        _("dwelling types covered"),
        default=list,
    )
    response_deadline_working_days = models.PositiveSmallIntegerField(
        _("municipality's response deadline (working days)"),
        default=7,
        validators=[
            MinValueValidator(1, _("The deadline must be at least 1 working day.")),
            MaxValueValidator(
                MAX_DEADLINE_WORKING_DAYS,
                _("The deadline can be at most %(limit_value)s working days."),
            ),
        ],
    )
    offer_response_working_days = models.PositiveSmallIntegerField(
        _("citizen's offer response deadline (working days)"),
        default=5,
        validators=[
            MinValueValidator(1, _("The deadline must be at least 1 working day.")),
            MaxValueValidator(
                MAX_DEADLINE_WORKING_DAYS,
                _("The deadline can be at most %(limit_value)s working days."),
            ),
        ],
    )
    void_rent_payer = models.CharField(
        _("void rent paid by"),
        max_length=16,
        choices=VoidRentPayer.choices,
        default=VoidRentPayer.MUNICIPALITY,
    )
    void_rent_from = models.CharField(
        _("void rent paid from"),
        max_length=16,
        choices=VoidRentFrom.choices,
        default=VoidRentFrom.AVAILABLE,
    )
    void_rent_before_report = models.BooleanField(
        _("void rent may start before the report date"),
        default=False,
        help_text=_(
            "Leave unticked: a vacancy reported late has void rent from the report date at the "
            "earliest."
        ),
    )
    void_rent_convention = models.CharField(
        _("void rent convention"),
        max_length=16,
        choices=VoidRentConventionChoice.choices,
        default=VoidRentConventionChoice.DAILY,
    )
    void_rent_covers_aconto = models.BooleanField(
        _("the municipality also pays a conto (heating, water) during the vacancy"),
        default=False,
    )
    hand_back_delivered = models.BooleanField(
        _("a dwelling handed back counts as delivered"),
        default=True,
        help_text=_(
            "Ticked: a dwelling the municipality accepted and handed back counts as delivered in "
            "the ledger. Unticked: it counts as ordinary letting and the turn is owed again."
        ),
    )
    guarantee_move_out_repairs = models.BooleanField(
        _("guarantee for move-out repairs"), default=True
    )
    guarantee_first_year_arrears = models.BooleanField(
        _("guarantee for arrears in the first year"), default=True
    )
    guarantee_period_months = models.PositiveSmallIntegerField(
        _("guarantee period for arrears (months)"),
        null=True,
        blank=True,
        default=12,
        validators=guarantee_period_validators(),
        help_text=_("Empty: no time limit."),
    )
    guarantee_repairs_period_months = models.PositiveSmallIntegerField(
        _("guarantee period for move-out repairs (months)"),
        null=True,
        blank=True,
        validators=guarantee_period_validators(),
        help_text=_("Empty: no time limit."),
    )
    guarantee_documentation = models.TextField(
        _("documentation a guarantee claim needs"), blank=True
    )
    guarantee_max_repairs = models.PositiveIntegerField(
        _("maximum repairs guarantee (kr)"), null=True, blank=True
    )
    guarantee_max_arrears = models.PositiveIntegerField(
        _("maximum arrears guarantee (kr)"), null=True, blank=True
    )
    cap_per_entrance_12m = models.PositiveSmallIntegerField(
        _("max new municipal placements per entrance in 12 months"), null=True, blank=True
    )
    cap_per_department_12m = models.PositiveSmallIntegerField(
        _("max new municipal placements per department in 12 months"), null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = user_link(_("created by"), blank=True)

    class Meta:
        verbose_name = _("agreement version")
        verbose_name_plural = _("agreement versions")
        ordering = ["agreement", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "valid_from"], name="agreements_version_unique_valid_from"
            ),
            models.CheckConstraint(
                condition=Q(municipal_share_percent__gte=0, municipal_share_percent__lte=100),
                name="agreements_version_share_0_100",
            ),
            models.CheckConstraint(
                condition=Q(rent_ceiling__gte=1), name="agreements_version_rent_ceiling_positive"
            ),
            models.CheckConstraint(
                condition=Q(response_deadline_working_days__gte=1)
                & Q(offer_response_working_days__gte=1),
                name="agreements_version_deadlines_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement.title}, {fmt.date(self.valid_from)}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        agreement = getattr(self, "agreement", None) if self.agreement_id else None
        if agreement and self.valid_from:
            if self.valid_from < agreement.period_start:
                errors["valid_from"] = _("A version cannot be valid before the agreement starts.")
            elif agreement.period_end and self.valid_from > agreement.period_end:
                errors["valid_from"] = _("A version cannot be valid after the agreement ends.")
            elif (
                AgreementVersion.objects.filter(agreement=agreement, valid_from=self.valid_from)
                .exclude(pk=self.pk)
                .exists()
            ):
                errors["valid_from"] = _(
                    "The agreement already has a version valid from this date."
                )
            elif self._uncovers_start(agreement):
                errors["valid_from"] = _(
                    "The agreement's first version is valid from the agreement's start "
                    "(%(date)s), so that its terms cover the whole period. Change the "
                    "agreement's start date instead."
                ) % {"date": fmt.date(agreement.period_start)}
        types = set(self.covered_dwelling_types or [])
        if not types:
            errors["covered_dwelling_types"] = _("Choose at least one dwelling type.")
        elif not types <= set(DwellingType.values):
            errors["covered_dwelling_types"] = _("Unknown dwelling type.")
        if (
            self.rent_target is not None
            and self.rent_ceiling is not None
            and self.rent_target > self.rent_ceiling
        ):
            errors["rent_target"] = _("The rent target cannot be above the rent ceiling.")
        if errors:
            raise ValidationError(errors)

    def _uncovers_start(self, agreement: AllocationAgreement) -> bool:
        """Whether this version's valid-from date would leave the first days of the agreement's
        period without terms: the earliest version must be valid from the period's start (the
        agreement's change of start takes its first version along). The turn engine and the
        gate read a day in force without terms as a day without an agreement."""
        versions = AgreementVersion.objects.filter(agreement=agreement)
        stored = list(versions.values_list("valid_from", flat=True))
        if stored and min(stored) != agreement.period_start:
            return False  # the start is being moved along with this version, or was never held
        others = versions.exclude(pk=self.pk).values_list("valid_from", flat=True)
        return min([self.valid_from, *others]) != agreement.period_start

    @property
    def share(self) -> Fraction:
        return share_from_percent(self.municipal_share_percent)

    def covered_type_labels(self) -> list[str]:
        labels = dict(DwellingType.choices)
        return [str(labels.get(t, t)) for t in self.covered_dwelling_types]

    def in_force_since(self, today: dt.date) -> bool:
        """The version has been in force (valid from today or earlier): the placement gate may
        have used its terms for candidate lists, refusals and overrides, even before it judged
        a vacancy."""
        return self.valid_from <= today

    def has_judged(self) -> bool:
        return self.turn_records.exists()

    def is_used(self, today: dt.date) -> bool:
        """A used version is never edited (a change is a new version): it has been in force,
        or it has judged a vacancy."""
        return self.in_force_since(today) or self.has_judged()


class ForumKind(models.TextChoices):
    POLITICAL = "political", _("Political forum")
    STRATEGIC = "strategic", _("Strategic working group")
    PRACTICAL = "practical", _("Practical forum")


class GovernanceForum(models.Model):
    agreement = models.ForeignKey(
        AllocationAgreement,
        on_delete=models.CASCADE,
        related_name="fora",
        verbose_name=_("agreement"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ForumKind.choices)
    name = models.CharField(_("name"), max_length=200)
    members = models.TextField(
        _("members"), blank=True, help_text=_("Roles and organisations, one per line.")
    )
    meeting_frequency = models.CharField(_("meeting frequency"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("governance forum")
        verbose_name_plural = _("governance fora")
        ordering = ["agreement", "kind", "name"]

    def __str__(self) -> str:
        return self.name
