"""Column specs of the stock lists' downloads (`anvis.common.exports`): the dwelling list (the
API's export)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anvis.common.exports import Column

DWELLING_COLUMNS = [
    Column(_("Housing organisation"), lambda d: d.entrance.department.organisation.name),
    Column(_("CVR"), lambda d: d.entrance.department.organisation.cvr),
    Column(_("Department no."), lambda d: d.entrance.department.number),
    Column(_("Department"), lambda d: d.entrance.department.name),
    Column(_("Address"), lambda d: d.entrance.street),
    Column(_("Postcode"), lambda d: d.entrance.postal_code),
    Column(_("City"), lambda d: d.entrance.city),
    Column(_("Floor"), lambda d: d.floor),
    Column(_("Door"), lambda d: d.door),
    Column(_("Type"), lambda d: d.get_dwelling_type_display()),
    Column(_("Rooms"), lambda d: d.rooms),
    Column(_("m²"), lambda d: d.area_m2),
    Column(_("Rent (kr)"), lambda d: d.rent),
    Column(_("Step-free"), lambda d: d.step_free),
    Column(_("Elevator"), lambda d: d.elevator),
    Column(_("Wheelchair"), lambda d: d.wheelchair),
]
