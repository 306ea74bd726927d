"""Column specs of the case lists' downloads (`anvis.common.exports`): the case list (the API's
export, municipal roles only). A pseudonymous citizen reference, never a CPR number or a name."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anvis.common import formats as fmt
from anvis.common.exports import Column

CASE_COLUMNS = [
    Column(_("Case number"), lambda c: c.number),
    Column(_("Citizen reference"), lambda c: c.citizen.reference),
    Column(_("Status"), lambda c: c.get_status_display()),
    Column(_("Opened"), lambda c: fmt.date(c.opened_on)),
    Column(_("Waiting since"), lambda c: fmt.date(c.waiting_since)),
    Column(_("Priority"), lambda c: c.priority_total),
    Column(_("Urgent"), lambda c: c.urgent),
    Column(_("Caseworker"), lambda c: c.caseworker.get_full_name() if c.caseworker else ""),
]
