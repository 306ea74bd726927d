"""Håndholdt requests: a citizen's need the organisations are asked to meet by hand."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anvis.common import formats as fmt
from anvis.common.db import user_link
from anvis_core.cases.numbers import contains_case_number
from anvis_core.cpr import contains_cpr

from .agreement import AllocationAgreement


class HandheldStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MET = "met", _("Met")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class HandheldQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def restrict(self, user: Any) -> HandheldQuerySet:
        """Municipal roles see all requests; organisation staff those addressed to their
        organisation or to all parties of an agreement they are party to. A request is about
        one citizen (its need, wishes and case reference), so, like the rows with
        `OrgScopedQuerySet.personal_data`, it is outside the steering group's scope."""
        from anvis.permissions import Role, is_municipal, user_has_role, user_organisation_ids

        if is_municipal(user):
            return self
        if user_has_role(user, {Role.ORGANISATION}):
            orgs = user_organisation_ids(user)
            return self.filter(
                Q(organisation__in=orgs) | Q(organisation__isnull=True, agreement__parties__in=orgs)
            ).distinct()
        return self.none()


class HandheldRequest(models.Model):
    """A håndholdt request: the municipality asks for a dwelling of a given size and maximum rent
    for a specific need. Pseudonymous: a case reference, never a name or CPR number."""

    agreement = models.ForeignKey(
        AllocationAgreement,
        on_delete=models.CASCADE,
        related_name="handheld_requests",
        verbose_name=_("agreement"),
    )
    organisation = models.ForeignKey(
        "stock.HousingOrganisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("addressed to"),
        help_text=_("Leave empty to ask all parties."),
    )
    case_reference = models.CharField(
        _("case reference"),
        max_length=40,
        help_text=_("A pseudonymous reference. Never a name or CPR number."),
    )
    rooms = models.PositiveSmallIntegerField(
        _("rooms (at least)"), validators=[MinValueValidator(1, _("At least 1 room."))]
    )
    max_rent = models.PositiveIntegerField(_("maximum rent (kr/month)"))
    need = models.TextField(
        _("need"), help_text=_("Describe the need without names or CPR numbers.")
    )
    district_wishes = models.CharField(_("district wishes"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=HandheldStatus.choices, default=HandheldStatus.OPEN
    )
    met_by = models.ForeignKey(
        "stock.Dwelling",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("met by dwelling"),
    )
    requested_on = models.DateField(_("requested on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closing_note = models.TextField(_("closing note"), blank=True)
    created_by = user_link(_("created by"), blank=True)

    objects = HandheldQuerySet.as_manager()

    class Meta:
        verbose_name = _("håndholdt request")
        verbose_name_plural = _("håndholdt requests")
        ordering = ["status", "-requested_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rooms__gte=1), name="agreements_handheld_rooms_gte_1"
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_on__isnull=True)
                | (~Q(status="open") & Q(closed_on__isnull=False)),
                name="agreements_handheld_closed_on_matches_status",
            ),
        ]

    def __str__(self) -> str:
        # Shown where a request is chosen (the vacancy report): rooms and rent as pages write them.
        return _("%(reference)s: at least %(rooms)s, at most %(rent)s a month") % {
            "reference": self.case_reference,
            "rooms": fmt.rooms(self.rooms),
            "rent": fmt.money(self.max_rent),
        }

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        for name in ("case_reference", "need", "district_wishes", "closing_note"):
            text = getattr(self, name) or ""
            if contains_cpr(text):
                errors[name] = _("Do not write CPR numbers here: the request is pseudonymous.")
            elif contains_case_number(text):
                errors[name] = _(
                    "Do not write the case number here: the housing organisations read the "
                    "request. Use a reference of your own (e.g. HF-2026-014)."
                )
        if errors:
            raise ValidationError(errors)
