"""After move-in: the tenancy of a lease that came through the agreement, its events, and the
municipality's follow-up tasks on early warnings.

Rules (kinds, sides, deadlines, what a move-out means) live in `anvis_core.tenancy`; every
change goes through `services.py`. Free text on events and contacts is personal data: it is
encrypted (:class:`anvis.common.fields.EncryptedTextField`) and every read is access-logged.
The housing organisation sees its own reports and that the municipality has acknowledged them,
never the municipality's events (support, hospital, prison) or notes.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anvis.common.db import user_link
from anvis.common.fields import EncryptedTextField
from anvis.permissions import OrgScopedQuerySet
from anvis_core.tenancy.events import EventKind as CoreKind
from anvis_core.tenancy.events import MoveOutReason as CoreReason
from anvis_core.tenancy.events import Side as CoreSide

NOTE_MAX = 500


class EventKind(models.TextChoices):
    ARREARS = CoreKind.ARREARS.value, _("Rent arrears")
    DEMAND = CoreKind.DEMAND.value, _("Formal demand (påkrav)")
    WARNING = CoreKind.WARNING.value, _("Warning: house rules or neighbour complaints")
    CANCELLATION = CoreKind.CANCELLATION.value, _("Cancellation or termination notice")
    EVICTION = CoreKind.EVICTION.value, _("Eviction case filed")
    MOVE_OUT = CoreKind.MOVE_OUT.value, _("Moved out")
    RESOLVED = CoreKind.RESOLVED.value, _("Resolved")
    SUPPORT_STARTED = CoreKind.SUPPORT_STARTED.value, _("Support started")
    SUPPORT_PAUSED = CoreKind.SUPPORT_PAUSED.value, _("Support paused")
    SUPPORT_ENDED = CoreKind.SUPPORT_ENDED.value, _("Support ended")
    HOSPITAL = CoreKind.HOSPITAL.value, _("Hospital or treatment stay")
    PRISON = CoreKind.PRISON.value, _("Prison")
    CONTACT_LOST = CoreKind.CONTACT_LOST.value, _("Contact lost")


class Side(models.TextChoices):
    ORGANISATION = CoreSide.ORGANISATION.value, _("Housing organisation")
    MUNICIPALITY = CoreSide.MUNICIPALITY.value, _("Municipality")


class MoveOutReason(models.TextChoices):
    OWN_WISH = CoreReason.OWN_WISH.value, _("Own wish")
    TRANSFER = CoreReason.TRANSFER.value, _("Transfer to another dwelling")
    INSTITUTION = CoreReason.INSTITUTION.value, _("Institution")
    DEATH = CoreReason.DEATH.value, _("Death")
    EVICTION = CoreReason.EVICTION.value, _("Eviction")
    UNKNOWN = CoreReason.UNKNOWN.value, _("Unknown")


class Source(models.TextChoices):
    FORM = "form", _("Form")
    FILE = "file", _("File")
    API = "api", _("API")
    DEMO = "demo", _("Demo data")
    VACANCY = "vacancy", _("The dwelling's vacancy report")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Awaiting contact")
    DONE = "done", _("Contact recorded")
    CLOSED = "closed", _("Closed at move-out")


def running_on(day: dt.date) -> Q:
    """A tenancy runs from its move-in day until its move-out: moved in by `day` and not moved
    out by then. The one definition of a running tenancy (support overview, dialogue)."""
    return Q(lease__move_in_on__lte=day) & (Q(ended_on__isnull=True) | Q(ended_on__gt=day))


class TenancyQuerySet(OrgScopedQuerySet):
    org_path = "lease__vacancy__organisation"
    # A tenancy, its events and tasks are about one tenant: not in the steering group's scope
    # (it reads the governance dialogue's aggregates).
    personal_data = True

    def running(self, day: dt.date) -> TenancyQuerySet:
        return self.filter(running_on(day))


class Tenancy(models.Model):
    """The tenancy of a lease that came through the agreement (it has an accepted offer)."""

    lease = models.OneToOneField(
        "vacancies.Lease", on_delete=models.PROTECT, related_name="tenancy", verbose_name=_("lease")
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="tenancies", verbose_name=_("case")
    )
    support_plan = models.ForeignKey(
        "cases.SupportPlan",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tenancies",
        verbose_name=_("support plan"),
    )
    municipal_contact = user_link(_("support contact (municipality)"), blank=True)
    organisation_contact = user_link(_("contact at the housing organisation"), blank=True)
    ended_on = models.DateField(_("moved out on"), null=True, blank=True, db_index=True)
    end_reason = models.CharField(
        _("reason for moving out"), max_length=16, choices=MoveOutReason.choices, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = TenancyQuerySet.as_manager()

    class Meta:
        verbose_name = _("tenancy")
        verbose_name_plural = _("tenancies")
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(ended_on__isnull=True) & Q(end_reason=""))
                | (Q(ended_on__isnull=False) & ~Q(end_reason="")),
                name="tenancy_ended_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lease_id}"

    @property
    def is_active(self) -> bool:
        return self.ended_on is None


class TenancyEventQuerySet(OrgScopedQuerySet):
    org_path = "tenancy__lease__vacancy__organisation"
    personal_data = True


class TenancyEvent(models.Model):
    """One event in a tenancy: reported by the organisation or recorded by the municipality."""

    tenancy = models.ForeignKey(
        Tenancy, on_delete=models.PROTECT, related_name="events", verbose_name=_("tenancy")
    )
    kind = models.CharField(_("event"), max_length=24, choices=EventKind.choices, db_index=True)
    side = models.CharField(_("reported by"), max_length=16, choices=Side.choices)
    event_date = models.DateField(_("date"))
    reported_on = models.DateField(_("reported on"))
    reported_by = user_link()
    amount = models.PositiveIntegerField(_("arrears (kr)"), null=True, blank=True)
    months = models.PositiveSmallIntegerField(_("months in arrears"), null=True, blank=True)
    eviction_date = models.DateField(_("eviction date"), null=True, blank=True)
    move_out_reason = models.CharField(
        _("reason for moving out"), max_length=16, choices=MoveOutReason.choices, blank=True
    )
    note = EncryptedTextField(_("note"), blank=True)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

    objects = TenancyEventQuerySet.as_manager()
    audit_exclude = ("note",)

    class Meta:
        verbose_name = _("tenancy event")
        verbose_name_plural = _("tenancy events")
        ordering = ["-event_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="move_out") | ~Q(move_out_reason=""),
                name="tenancy_event_move_out_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(kind="arrears") | (Q(amount__gt=0) & Q(months__gt=0)),
                name="tenancy_event_arrears_has_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tenancy_id}: {self.kind} {self.event_date}"


class FollowUpTaskQuerySet(OrgScopedQuerySet):
    org_path = "tenancy__lease__vacancy__organisation"
    personal_data = True


class FollowUpTask(models.Model):
    """The municipality's task after an early warning: contact the tenant by the deadline."""

    tenancy = models.ForeignKey(
        Tenancy, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("tenancy")
    )
    event = models.OneToOneField(
        TenancyEvent, on_delete=models.CASCADE, related_name="task", verbose_name=_("event")
    )
    deadline = models.DateField(_("contact the tenant by"), db_index=True)
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=TaskStatus.choices,
        default=TaskStatus.OPEN,
        db_index=True,
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = user_link()
    contact_on = models.DateField(_("contact with the tenant"), null=True, blank=True)
    contact_note = EncryptedTextField(_("what was agreed"), blank=True)
    done_by = user_link()
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = FollowUpTaskQuerySet.as_manager()
    audit_exclude = ("contact_note",)

    class Meta:
        verbose_name = _("follow-up task")
        verbose_name_plural = _("follow-up tasks")
        ordering = ["deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | Q(contact_on__isnull=False),
                name="tenancy_task_done_has_contact",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tenancy_id}: {self.deadline}"

    @property
    def is_open(self) -> bool:
        return self.status == TaskStatus.OPEN
