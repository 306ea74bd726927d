"""Reads for case pages and for other apps. Every function that returns personal data expects
the caller to have checked access (views carry ``@access(MUNICIPAL, deny_status=404)``) and to
write a personal-data access record for what it shows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from anvis.audit.services import Purpose, citizen_subject, personal_data_read
from anvis.common.fields import lookup_hash
from anvis.permissions import is_municipal
from anvis_core.cases.household import YOUNG_AGES, age_band
from anvis_core.cpr import CprError, parse_cpr

from . import adapters
from .models import Case, Citizen, ConsentScope, ContactConsent, EventKind


def case_queryset(*, user: Any) -> QuerySet[Case]:
    """All cases for municipal roles, nothing for anyone else."""
    if not is_municipal(user):
        return Case.objects.none()
    return Case.objects.select_related("citizen", "caseworker")


def case_list(*, user: Any) -> QuerySet[Case]:
    return (
        case_queryset(user=user)
        .annotate(n_children=Count("children"))
        .order_by("-priority_total", "waiting_since", "pk")
    )


def case_get(
    *, user: Any, pk: int, purpose: Purpose | None = None, what: str = "case.view", path: str = ""
) -> Case:
    """The case, if the user may see it (else 404). With a `purpose` the read is written to the
    personal-data access log (`what`, the citizen's reference as `subject_ref`)."""
    case = case_queryset(user=user).filter(pk=pk).first()
    if case is None:
        raise Http404
    if purpose is not None:
        personal_data_read(
            user=user,
            subjects=[citizen_subject(case.citizen)],
            what=what,
            purpose=purpose,
            path=path,
        )
    return case


def citizen_find_by_cpr(*, cpr: str) -> Citizen | None:
    """Find a citizen by the keyed hash of the CPR number (no decryption, no scan)."""
    try:
        digits = parse_cpr(cpr).digits
    except CprError:
        return None
    return Citizen.objects.filter(cpr_hash=lookup_hash(digits)).first()


def contact_consent_active(
    *, case: Case, on: dt.date, scope: str = ConsentScope.OFFER_ORGANISATION
) -> bool:
    """Has the citizen consented (and not withdrawn) to share contact details on `on`?

    For the offer flow: an organisation may see name and contact details only for an accepted
    offer on its own dwelling AND when this returns True.
    """
    return any(c.active_on(on) for c in ContactConsent.objects.filter(case=case, scope=scope))


def case_priority_total(*, case: Case, today: dt.date) -> int:
    """The priority number the matching engine takes as input (fresh, not the stored value)."""
    return adapters.compute_priority(case, today).total


def _age_group(age: int) -> str:
    """The age group the matching reads (:func:`anvis_core.cases.household.age_band`), named;
    a citizen under 18 is named as such (the matching reads a minor as older: no youth
    dwelling)."""
    low, high = YOUNG_AGES
    if age < low:
        return _("Under %(age)s years") % {"age": low}
    if age_band(age) == "young":
        return _("Young (%(low)s–%(high)s)") % {"low": low, "high": high}
    return _("Older (%(low)s+)") % {"low": high + 1}


def case_overview(*, case: Case, today: dt.date) -> dict[str, Any]:
    """Everything the case page derives from the rules, as plain values."""
    children = list(case.children.all())
    return {
        "priority": adapters.compute_priority(case, today, children=len(children)),
        "room_need": adapters.case_room_need(case),
        "max_rent": adapters.case_max_rent(case),
        "can_pay": adapters.case_can_pay(case),
        "bars": adapters.case_bars(case, today),
        "reimbursement": adapters.citizen_reimbursement(case.citizen, today),
        "plans": adapters.support_plan_views(case, today),
        "children": [(c, c.age_on(today)) for c in children],
        "age": (age := case.citizen.age_on(today)),
        "age_group": _age_group(age),
        "parked": case.is_parked_on(today),
        "other_cases": list(case.citizen.cases.exclude(pk=case.pk).order_by("-opened_on")),
        # The move-out that ended the case's tenancy (told by the tenancy on the timeline).
        "tenancy_ended": case.events.filter(kind=EventKind.TENANCY_ENDED)
        .order_by("-at", "-pk")
        .first(),
    }
