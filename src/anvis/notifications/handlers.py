"""What the notifications learn from the apps below them through their events, other than the
hand-offs of the flow (`handoffs.py`)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from anvis.events import Event
from anvis.vacancies.models import Lease

from .models import Kind, Notification


def texts_of_anonymised_citizen(event: Event) -> None:
    """A citizen was anonymised after the retention period (`security.services.citizen_anonymise`,
    run inside its transaction so both stand or fall together): a notification that quoted the
    reason a lease of the citizen was cancelled (to the municipality, linked to the case; to the
    organisation, linked to the vacancy) keeps its title and link, and its text becomes a fixed
    line. The organisation's notice names no case, so every such notice on the vacancy of a
    cancelled lease of the citizen is rewritten."""
    case_ids = list(event.data["case_ids"])
    vacancy_ids = (
        Lease.objects.cancelled()
        .filter(offer__case_id__in=case_ids)
        .values_list("vacancy_id", flat=True)
        .distinct()
    )
    links = [reverse("cases:case_overview", args=[pk]) for pk in case_ids] + [
        reverse("vacancies:vacancy_detail", args=[pk]) for pk in vacancy_ids
    ]
    with translation.override("da"):
        body = _("The text was removed when the citizen's data were anonymised.")
    Notification.objects.filter(kind=Kind.LEASE_CANCELLED, link__in=links).update(body=body)
