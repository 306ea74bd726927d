"""The housing stock: organisations, departments (afdelinger), entrances (opgange), dwellings."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from anvis.permissions import OrgScopedQuerySet

cvr_validator = RegexValidator(r"^[0-9]{8}$", _("A CVR number has exactly 8 digits."))


class DwellingType(models.TextChoices):
    FAMILY = "family", _("Family dwelling")
    YOUTH = "youth", _("Youth dwelling")
    SENIOR = "senior", _("Senior dwelling")
    SKAEV = "skaev", _("Skæv bolig")
    SHARED = "shared", _("Shared housing (bofællesskab)")
    PRIVATE = "private", _("Private rental")


class OrganisationQuerySet(OrgScopedQuerySet):
    org_path = ""


class DepartmentQuerySet(OrgScopedQuerySet):
    org_path = "organisation"


class EntranceQuerySet(OrgScopedQuerySet):
    org_path = "department__organisation"


class DwellingQuerySet(OrgScopedQuerySet):
    org_path = "entrance__department__organisation"


class HousingOrganisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    cvr = models.CharField(_("CVR number"), max_length=8, unique=True, validators=[cvr_validator])
    admin_system = models.CharField(_("administration system"), max_length=100, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("housing organisation")
        verbose_name_plural = _("housing organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cvr__regex=r"^[0-9]{8}$"), name="stock_org_cvr_8_digits"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """An afdeling, identified by its Landsbyggefonden number within its organisation."""

    organisation = models.ForeignKey(
        HousingOrganisation,
        verbose_name=_("housing organisation"),
        on_delete=models.PROTECT,
        related_name="departments",
    )
    number = models.CharField(_("department number"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    district = models.CharField(_("district"), max_length=100, blank=True, db_index=True)
    postal_code = models.CharField(_("postal code"), max_length=4, blank=True)
    build_year = models.PositiveSmallIntegerField(
        _("build year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1600), MaxValueValidator(2100)],
    )

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["organisation__name", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"], name="stock_department_unique_number"
            ),
            models.CheckConstraint(
                condition=models.Q(build_year__isnull=True)
                | models.Q(build_year__gte=1600, build_year__lte=2100),
                name="stock_department_build_year_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class Entrance(models.Model):
    """An opgang: one street address (DAR husnummer) inside a department."""

    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="entrances"
    )
    street = models.CharField(_("street and number"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=4)
    city = models.CharField(_("city"), max_length=100)
    dar_id = models.UUIDField(_("DAR address id"), null=True, blank=True, unique=True)
    # Lower-case copies kept by the database, for the search as the user types: a prefix match
    # on them uses the pattern indexes below (`anvis.stock.search`).
    street_key = models.GeneratedField(
        expression=Lower("street"),
        output_field=models.CharField(max_length=200),
        db_persist=True,
    )
    city_key = models.GeneratedField(
        expression=Lower("city"),
        output_field=models.CharField(max_length=100),
        db_persist=True,
    )

    objects = EntranceQuerySet.as_manager()

    class Meta:
        verbose_name = _("entrance")
        verbose_name_plural = _("entrances")
        ordering = ["street"]
        # The stairwell list pages through the national stock by address. The search matches
        # the typed word against the start of the street, town and postcode: `LIKE 'to%'` uses a
        # B-tree index only with the pattern operator class on PostgreSQL (whatever the
        # database's collation); other databases ignore `opclasses`.
        indexes = [
            models.Index(fields=["street", "id"], name="stock_entrance_street"),
            models.Index(
                fields=["street_key"],
                opclasses=["varchar_pattern_ops"],
                name="stock_entr_street_key",
            ),
            models.Index(
                fields=["city_key"], opclasses=["varchar_pattern_ops"], name="stock_entr_city_key"
            ),
            models.Index(
                fields=["postal_code"],
                opclasses=["varchar_pattern_ops"],
                name="stock_entr_postcode",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "street", "postal_code"],
                name="stock_entrance_unique_address",
            )
        ]

    def __str__(self) -> str:
        return f"{self.street}, {self.postal_code} {self.city}"


class Dwelling(models.Model):
    """A lejemål. Money is in whole kroner per month."""

    entrance = models.ForeignKey(
        Entrance, verbose_name=_("entrance"), on_delete=models.PROTECT, related_name="dwellings"
    )
    floor = models.CharField(_("floor"), max_length=10, blank=True)
    door = models.CharField(_("door"), max_length=10, blank=True)
    dwelling_type = models.CharField(
        _("type"), max_length=16, choices=DwellingType.choices, default=DwellingType.FAMILY
    )
    rooms = models.PositiveSmallIntegerField(_("rooms"))
    area_m2 = models.PositiveIntegerField(_("area (m²)"))
    rent = models.PositiveIntegerField(_("monthly rent (kr)"))
    aconto = models.PositiveIntegerField(_("a-conto heating and water (kr)"), default=0)
    deposit = models.PositiveIntegerField(_("deposit (kr)"), default=0)
    step_free = models.BooleanField(_("step-free access"), default=False)
    elevator = models.BooleanField(_("elevator"), default=False)
    wheelchair = models.BooleanField(_("wheelchair-accessible"), default=False)
    pets_allowed = models.BooleanField(_("pets allowed"), default=False)
    dar_id = models.UUIDField(_("DAR unit address id"), null=True, blank=True, unique=True)

    objects = DwellingQuerySet.as_manager()

    class Meta:
        verbose_name = _("dwelling")
        verbose_name_plural = _("dwellings")
        ordering = ["entrance__street", "floor", "door"]
        constraints = [
            models.UniqueConstraint(
                fields=["entrance", "floor", "door"], name="stock_dwelling_unique_unit"
            ),
            models.CheckConstraint(
                condition=models.Q(rent__gte=0), name="stock_dwelling_rent_gte_0"
            ),
            models.CheckConstraint(
                condition=models.Q(aconto__gte=0), name="stock_dwelling_aconto_gte_0"
            ),
            models.CheckConstraint(
                condition=models.Q(rooms__gte=1), name="stock_dwelling_rooms_gte_1"
            ),
            models.CheckConstraint(
                condition=models.Q(area_m2__gte=1), name="stock_dwelling_area_gte_1"
            ),
        ]
        indexes = [models.Index(fields=["dwelling_type", "rent"], name="stock_dwelling_type_rent")]

    def __str__(self) -> str:
        unit = " ".join(p for p in (self.floor, self.door) if p)
        return f"{self.entrance.street}{', ' + unit if unit else ''}"

    @property
    def unit_label(self) -> str:
        return " ".join(p for p in (self.floor, self.door) if p)

    @property
    def total_rent(self) -> int:
        return self.rent + self.aconto
