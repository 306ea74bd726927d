"""`{% tenancy_panel lease %}` on the lease page: both sides' named contacts ("én indgang")
and the way to the tenancy's page, for those who may see it."""

from __future__ import annotations

from typing import Any

from django import template

from anvis.permissions import MUNICIPAL, Role, can_write_organisation, user_has_role

from ..models import Tenancy

register = template.Library()


@register.inclusion_tag("tenancy/_lease_panel.html", takes_context=True)
def tenancy_panel(context: Any, lease: Any) -> dict[str, Any]:
    user = context["request"].user
    allowed = user_has_role(user, MUNICIPAL) or (
        user_has_role(user, {Role.ORGANISATION})
        and can_write_organisation(user, lease.vacancy.organisation_id)
    )
    tenancy = (
        Tenancy.objects.select_related(
            "municipal_contact", "organisation_contact", "case__caseworker"
        )
        .filter(lease_id=lease.pk)
        .first()
        if allowed and lease.offer_id
        else None
    )
    return {"tenancy": tenancy, "lease": lease}
