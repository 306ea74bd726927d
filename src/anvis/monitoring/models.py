"""Composition monitoring: yearly department indicators, official area designations, the
municipal placement register and the computed status snapshot per department."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from anvis.permissions import OrgScopedQuerySet
from anvis.stock.models import Department, Dwelling, Entrance

PERCENT = {"max_digits": 5, "decimal_places": 1, "null": True, "blank": True}
SHARE_FIELDS = (
    "outside_work_education",
    "basic_schooling_only",
    "non_western",
    "move_out_rate",
    "public_support",
)
VALUE_FIELDS = (
    "outside_work_education",
    "basic_schooling_only",
    "income_relative_region",
    "convictions_relative_national",
    "non_western",
    "move_out_rate",
    "public_support",
)


class ByDepartmentQuerySet(OrgScopedQuerySet):
    org_path = "department__organisation"


class DepartmentIndicators(models.Model):
    """One department's Beboerdata figures for one year. A suppressed year keeps no values."""

    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    residents = models.PositiveIntegerField(_("residents"), null=True, blank=True)
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)
    outside_work_education = models.DecimalField(
        _("18–64-year-olds outside work and education (%)"), **PERCENT
    )
    basic_schooling_only = models.DecimalField(
        _("30–59-year-olds with only basic schooling (%)"), **PERCENT
    )
    income_relative_region = models.DecimalField(
        _("income of 15–64-year-olds relative to the region (%)"), **PERCENT
    )
    convictions_relative_national = models.DecimalField(
        _("convictions relative to the national rate (times)"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
    )
    non_western = models.DecimalField(_("from non-Western countries (%)"), **PERCENT)
    move_out_rate = models.DecimalField(_("move-out rate (%)"), **PERCENT)
    public_support = models.DecimalField(_("on public support (%)"), **PERCENT)
    suppressed = models.BooleanField(_("suppressed"), default=False)

    objects = ByDepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("department indicators")
        verbose_name_plural = _("department indicators")
        ordering = ["department", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "year"], name="monitoring_indicators_unique_year"
            ),
            models.CheckConstraint(
                condition=models.Q(suppressed=False)
                | models.Q(
                    outside_work_education__isnull=True,
                    basic_schooling_only__isnull=True,
                    income_relative_region__isnull=True,
                    convictions_relative_national__isnull=True,
                    non_western__isnull=True,
                    move_out_rate__isnull=True,
                    public_support__isnull=True,
                ),
                name="monitoring_indicators_suppressed_without_values",
            ),
            *[
                models.CheckConstraint(
                    condition=models.Q(**{f"{name}__isnull": True})
                    | models.Q(**{f"{name}__gte": 0, f"{name}__lte": 100}),
                    name=f"monitoring_indicators_{name}_0_100",
                )
                for name in SHARE_FIELDS
            ],
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.year}"

    def clean(self) -> None:
        if self.suppressed and any(getattr(self, f) is not None for f in VALUE_FIELDS):
            raise ValidationError(_("A suppressed year may not hold indicator values."))


class DesignationKind(models.TextChoices):
    UDSAT = "udsat", _("Vulnerable housing area (udsat boligområde)")
    PARALLEL = "parallelsamfund", _("Parallel society (parallelsamfund)")
    TRANSFORMATION = "omdannelse", _("Transformation area (omdannelsesområde)")
    PREVENTION = "forebyggelse", _("Prevention area (forebyggelsesområde)")


class AreaDesignation(models.Model):
    """A department on the official list published 1 December of `list_year`."""

    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        related_name="area_designations",
    )
    list_year = models.PositiveSmallIntegerField(
        _("list year (1 December)"), validators=[MinValueValidator(2010), MaxValueValidator(2100)]
    )
    kind = models.CharField(_("kind"), max_length=16, choices=DesignationKind.choices)

    objects = ByDepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("area designation")
        verbose_name_plural = _("area designations")
        ordering = ["-list_year", "department", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "list_year", "kind"], name="monitoring_designation_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=DesignationKind.values),
                name="monitoring_designation_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.list_year} {self.kind}"

    @property
    def list_date(self) -> dt.date:
        return dt.date(self.list_year, 12, 1)


class PlacementOutcome(models.TextChoices):
    LIVING = "living", _("Still living there")
    MOVED_ON = "moved_on", _("Moved on (planned)")
    TERMINATED = "terminated", _("Tenancy terminated by the landlord")
    ABANDONED = "abandoned", _("Left without notice")
    DIED = "died", _("Died")
    OTHER = "other", _("Other ending")


class PlacementQuerySet(OrgScopedQuerySet):
    org_path = "department__organisation"
    personal_data = True  # a placement names a case: not in the steering group's row scope


class MunicipalPlacement(models.Model):
    """A municipal placement (anvisning) that led to a move-in. No personal data: `case_ref`
    is a pseudonymous reference into the municipality's own case system.

    `entrance` and `department` repeat the dwelling's place so that window counts need no joins.
    """

    dwelling = models.ForeignKey(
        Dwelling, verbose_name=_("dwelling"), on_delete=models.PROTECT, related_name="placements"
    )
    entrance = models.ForeignKey(
        Entrance, verbose_name=_("entrance"), on_delete=models.PROTECT, related_name="placements"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="placements",
    )
    placed_on = models.DateField(_("moved in on"))
    moved_out_on = models.DateField(_("moved out on"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"),
        max_length=16,
        choices=PlacementOutcome.choices,
        default=PlacementOutcome.LIVING,
    )
    case_ref = models.CharField(_("case reference (pseudonymous)"), max_length=40)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    objects = PlacementQuerySet.as_manager()

    class Meta:
        verbose_name = _("municipal placement")
        verbose_name_plural = _("municipal placements")
        ordering = ["-placed_on"]
        indexes = [
            models.Index(fields=["placed_on"], name="monitoring_placement_date"),
            models.Index(fields=["department", "placed_on"], name="monitoring_placement_dept"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(moved_out_on__isnull=True)
                | models.Q(moved_out_on__gte=models.F("placed_on")),
                name="monitoring_placement_out_after_in",
            ),
            models.CheckConstraint(
                condition=(models.Q(outcome="living") & models.Q(moved_out_on__isnull=True))
                | (~models.Q(outcome="living") & models.Q(moved_out_on__isnull=False)),
                name="monitoring_placement_outcome_matches_move_out",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_ref} {self.placed_on}"

    def clean(self) -> None:
        if self.moved_out_on and self.moved_out_on < self.placed_on:
            raise ValidationError(
                {"moved_out_on": _("The move-out date cannot be before the move-in date.")}
            )
        if (self.outcome == PlacementOutcome.LIVING) != (self.moved_out_on is None):
            raise ValidationError(
                {"outcome": _("A placement has a move-out date exactly when it has ended.")}
            )


class Status(models.TextChoices):
    GREEN = "green", _("Green")
    YELLOW = "yellow", _("Yellow")
    RED = "red", _("Red")
    UNKNOWN = "unknown", _("No data")


class DepartmentStatus(models.Model):
    """The computed monitoring snapshot of one department, rewritten by `recompute_monitoring`
    (and after every import). Reasons are stored as codes with parameters."""

    department = models.OneToOneField(
        Department,
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="monitoring_status",
    )
    as_of = models.DateField(_("as of"))
    indicator_year = models.PositiveSmallIntegerField(_("indicator year"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices)
    reasons = models.JSONField(_("reasons"), default=list)
    udsat = models.BooleanField(_("meets the udsat criteria"), default=False)
    forebyggelse = models.BooleanField(
        _("meets the socio-economic criteria of a prevention area"), default=False
    )
    designations = models.JSONField(_("designations on the latest list"), default=list)
    proposed_share = models.DecimalField(
        _("proposed step share (%)"), max_digits=5, decimal_places=1
    )
    proposal_level = models.CharField(_("proposal level"), max_length=8)
    proposal_reason = models.JSONField(_("proposal reason"), default=dict)
    dwellings = models.PositiveIntegerField(_("dwellings"), default=0)
    placements_12 = models.PositiveIntegerField(_("placements, 12 months"), default=0)
    placements_24 = models.PositiveIntegerField(_("placements, 24 months"), default=0)
    placements_36 = models.PositiveIntegerField(_("placements, 36 months"), default=0)
    twin_ids = models.JSONField(_("twin departments"), default=list)

    objects = ByDepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("department status")
        verbose_name_plural = _("department statuses")
        indexes = [models.Index(fields=["status"], name="monitoring_status_status")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="monitoring_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(proposed_share__gte=0, proposed_share__lte=100),
                name="monitoring_status_share_0_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.department_id} {self.status}"


class StepProposal(models.Model):
    """The stored step proposal of one department for the yearly reassessment of `year`
    (indicators up to `year − 1`, the list of 1 December `year − 1`). Written by every
    recompute for the coming year, so the proposals page reads it instead of assessing every
    department on each request; other years are computed when asked for."""

    year = models.PositiveSmallIntegerField(_("year"))
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        related_name="step_proposals",
    )
    computed_on = models.DateField(_("computed on"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices)
    status_reasons = models.JSONField(_("reasons"), default=list)
    level = models.CharField(_("proposal level"), max_length=8)
    share = models.DecimalField(_("proposed step share (%)"), max_digits=5, decimal_places=1)
    reason = models.JSONField(_("proposal reason"), default=dict)

    objects = ByDepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("step proposal")
        verbose_name_plural = _("step proposals")
        indexes = [models.Index(fields=["year", "level"], name="monitoring_proposal_year_level")]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "department"], name="monitoring_proposal_one_per_year"
            ),
            models.CheckConstraint(
                condition=models.Q(share__gte=0, share__lte=100),
                name="monitoring_proposal_share_0_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.department_id} {self.share}"
