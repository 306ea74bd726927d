"""What the tenancy follow-up learns from the vacancy flow, through its events (the vacancy app
lies below this one and does not import it)."""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from anvis.common import formats as fmt
from anvis.events import Event
from anvis.vacancies.models import Lease, Vacancy
from anvis.vacancies.selectors import running_leases
from anvis_core.tenancy.events import EventKind as CoreKind

from .models import FollowUpTask, Source, TenancyEvent

log = logging.getLogger(__name__)


def tenancy_of_cancelled_lease(event: Event) -> None:
    """A lease was cancelled before move-in (`lease.cancelled`, run inside the cancellation's
    transaction so both stand or fall together): its tenancy never ran and is removed."""
    from .services import tenancy_remove

    actor = get_user_model().objects.filter(pk=event.actor_id).first()
    tenancy_remove(actor=actor, lease=Lease.objects.get(pk=event.data["lease_id"]))


def notes_of_anonymised_citizen(event: Event) -> None:
    """A citizen was anonymised after the retention period (`security.services.citizen_anonymise`,
    run inside its transaction so both stand or fall together): the note text of the tenancy
    follow-up goes with every other note, the events' notes and what was agreed with the tenant
    on the tasks. The events themselves, their kinds and dates stay for the figures."""
    case_ids = list(event.data["case_ids"])
    TenancyEvent.objects.filter(tenancy__case_id__in=case_ids).update(note="")
    FollowUpTask.objects.filter(tenancy__case_id__in=case_ids).update(contact_note="")


def notice_from_vacancy_report(event: Event) -> None:
    """The organisation reported a dwelling vacant whose tenant came through the agreement and
    has not moved out: the report says the tenant gave notice (its notice date). The tenancy
    gets that notice as an early warning (a follow-up task; the caseworker and the support
    contact are told), unless the organisation reported it already, so a home that is ending is
    never missed and a second tenancy does not start beside a running one unnoticed."""
    from .services import EventInput, already_reported, tenancy_ensure, tenancy_event_report

    vacancy = Vacancy.objects.filter(pk=event.data.get("vacancy_id")).first()
    if vacancy is None:
        return
    lease = (
        running_leases()
        .filter(vacancy__dwelling_id=vacancy.dwelling_id, move_in_on__lte=vacancy.report_date)
        .exclude(vacancy_id=vacancy.pk)
        .order_by("-move_in_on", "-pk")
        .first()
    )
    if lease is None:
        return
    tenancy = tenancy_ensure(lease=lease)
    # Reported on the report day, dated no later: a notice date ahead is the day the notice is
    # to take effect, not a day an event can be dated.
    noticed = min(vacancy.notice_date, vacancy.report_date)
    with translation.override("da"):
        note = _("The dwelling was reported vacant, available from %(date)s.") % {
            "date": fmt.date(vacancy.available_from)
        }
    notice = EventInput(kind=CoreKind.CANCELLATION.value, event_date=noticed, note=note)
    if already_reported(tenancy, notice) is not None:
        return
    actor = get_user_model().objects.filter(pk=event.actor_id).first()
    try:
        tenancy_event_report(
            actor=actor,
            lease=lease,
            data=notice,
            source=Source.VACANCY,
            today=vacancy.report_date,
        )
    except (ValidationError, PermissionDenied) as exc:
        # The report stands; the tenancy is left for the organisation to update by hand.
        log.warning(
            "tenancy %s: notice from vacancy %s not recorded: %s", tenancy.pk, vacancy.pk, exc
        )
