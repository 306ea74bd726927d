"""Danish texts for the engine's reason codes (the engine's own texts are English).

Every code of ``anvis_core.matching.eligibility.RULES`` has a translated template here; the
params are the rule's own, with unit ids replaced by what a caseworker recognises (department
number and name, stairwell address, organisation name).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from anvis.common import formats as fmt
from anvis_core.matching.eligibility import Reason

from .pool import OPEN_ENDED

TEMPLATES: dict[str, Any] = {
    "not_waiting": gettext_lazy("The citizen's case is not waiting for a dwelling."),
    "paused": gettext_lazy("The citizen's case is paused until %(paused_until)s."),
    "active_offer": gettext_lazy("The citizen already has an active offer."),
    "declined_before": gettext_lazy(
        "The citizen has already been offered this dwelling and did not take it."
    ),
    "housed": gettext_lazy(
        "The citizen already has a tenancy through the agreement (moved in on %(move_in)s) "
        "that is not recorded as ended: record the move-out on the tenancy first, or give the "
        "reason for a new placement."
    ),
    "rent_over_ceiling": gettext_lazy(
        "The rent of %(rent)s kr exceeds the agreement's ceiling of %(ceiling)s kr."
    ),
    "rent_over_max": gettext_lazy(
        "The rent of %(rent)s kr exceeds the citizen's maximum of %(max_rent)s kr."
    ),
    "unaffordable": gettext_lazy(
        "Rent %(rent)s kr + a conto %(aconto)s kr − estimated housing benefit (%(benefit_kind)s) "
        "%(benefit)s kr = %(net)s kr a month, more than the %(can_pay)s kr the household can "
        "pay. The housing benefit is an estimate; Udbetaling Danmark decides the amount."
    ),
    "overcrowded": gettext_lazy(
        "A household of %(persons)s needs at least %(rooms_needed)s (at most "
        "%(per_room)s persons per room); the dwelling has %(rooms)s."
    ),
    "below_min_rooms": gettext_lazy(
        "The dwelling has %(rooms)s; the citizen needs at least %(min_rooms)s."
    ),
    "accessibility": gettext_lazy("The dwelling lacks what the citizen needs: %(missing)s."),
    "pets": gettext_lazy("The citizen has pets and the dwelling does not allow them."),
    "area_bar": gettext_lazy(
        "The dwelling lies in a designated area and the citizen may not be placed there "
        "until %(barred_until)s."
    ),
    "area_bar_open": gettext_lazy(
        "The dwelling lies in a designated area and the citizen may not be placed there "
        "while the bar lasts (a listed benefit or period without an end date)."
    ),
    "excluded_district": gettext_lazy("The citizen should not live in the district %(district)s."),
    "excluded_department": gettext_lazy(
        "The citizen should not live in the department %(department)s."
    ),
    "age_separation": gettext_lazy(
        "The dwelling is reserved for %(required)s citizens; the citizen is %(age_band)s."
    ),
    "no_agreement": gettext_lazy(
        "No allocation agreement is in force for the housing organisation on %(date)s, so the "
        "dwelling is not judged by agreed caps and rent ceiling."
    ),
    "department_closed": gettext_lazy(
        "The department %(department)s is closed to municipal placements by composition "
        "monitoring (red)."
    ),
    "cap_reached": gettext_lazy(
        "The %(level)s %(unit)s has reached its cap: %(placed)s of %(max)s placements in "
        "12 months (including active offers)."
    ),
}

RULE_LABELS = {
    "not_waiting": gettext_lazy("Case not waiting"),
    "paused": gettext_lazy("Case paused"),
    "active_offer": gettext_lazy("Already has an offer"),
    "declined_before": gettext_lazy("Has declined this dwelling"),
    "housed": gettext_lazy("Already housed through the agreement"),
    "rent_over_ceiling": gettext_lazy("Rent over the agreement's ceiling"),
    "rent_over_max": gettext_lazy("Rent over the citizen's maximum"),
    "unaffordable": gettext_lazy("Not affordable after estimated housing benefit"),
    "overcrowded": gettext_lazy("Too many persons per room"),
    "below_min_rooms": gettext_lazy("Too few rooms"),
    "accessibility": gettext_lazy("Accessibility"),
    "pets": gettext_lazy("Pets"),
    "area_bar": gettext_lazy("Barred from designated areas"),
    "excluded_district": gettext_lazy("District to avoid"),
    "excluded_department": gettext_lazy("Department to avoid"),
    "age_separation": gettext_lazy("Reserved for another age group"),
    "no_agreement": gettext_lazy("No agreement in force"),
    "department_closed": gettext_lazy("Department closed (red)"),
    "cap_reached": gettext_lazy("Cap reached"),
}

NEED_LABELS = {
    "step_free": pgettext_lazy("accessibility need", "step-free access"),
    "elevator": pgettext_lazy("accessibility need", "elevator"),
    "wheelchair": pgettext_lazy("accessibility need", "wheelchair access"),
    "ground_floor": pgettext_lazy("accessibility need", "ground floor"),
}
AGE_LABELS = {
    "young": gettext_lazy("young (18–24)"),
    "older": gettext_lazy("older (25 or more)"),
}
LEVEL_LABELS = {
    "entrance": pgettext_lazy("cap level", "stairwell"),
    "department": pgettext_lazy("cap level", "department"),
    "organisation": pgettext_lazy("cap level", "organisation"),
}


def _date(value: str) -> str:
    return fmt.date(dt.date.fromisoformat(value)) if value else ""


AMOUNTS = ("rent", "ceiling", "max_rent", "aconto", "benefit", "net", "can_pay")
"""The params in kroner (their templates write "kr" after them)."""


def describe(
    code: str, params: Mapping[str, Any], labels: Mapping[tuple[str, str], str] | None = None
) -> str:
    """The Danish text of a failed rule. ``labels`` maps ``(level, id)`` to a display name."""
    names = labels or {}
    p = dict(params)
    if code == "note":  # a free-text warning recorded before findings had codes
        return str(p.get("text", ""))
    if code == "accessibility":
        p["missing"] = ", ".join(str(NEED_LABELS.get(c, c)) for c in p.get("missing_codes", []))
    elif code == "area_bar":
        until = p.get("barred_until", "")
        if until == OPEN_ENDED.isoformat():
            return str(TEMPLATES["area_bar_open"])
        p["barred_until"] = _date(until)
    elif code == "paused":
        p["paused_until"] = _date(p.get("paused_until", ""))
    elif code == "no_agreement":
        p["date"] = _date(p.get("date", ""))
    elif code == "housed":
        p["move_in"] = _date(p.get("move_in", ""))
    elif code in ("overcrowded", "below_min_rooms"):
        for key in ("rooms", "rooms_needed", "min_rooms"):
            if key in p:
                p[key] = fmt.rooms(p[key])
        if "persons" in p:
            p["persons"] = fmt.persons(p["persons"])
    elif code == "age_separation":
        p["required"] = AGE_LABELS.get(p.get("required", ""), p.get("required", ""))
        p["age_band"] = AGE_LABELS.get(p.get("age_band", ""), p.get("age_band", ""))
    elif code in ("excluded_department", "department_closed"):
        p["department"] = names.get(("department", p["department"]), p["department"])
    elif code == "cap_reached":
        level = p.get("level", "")
        p["unit"] = names.get((level, str(p.get("unit", ""))), p.get("unit", ""))
        p["level"] = LEVEL_LABELS.get(level, level)
    for key in AMOUNTS:  # kroner with the thousands separator, as every money page writes them
        if isinstance(p.get(key), int | float):
            p[key] = fmt.number(p[key], 0)
    template = TEMPLATES.get(code)
    if template is None:
        return _("Rule %(code)s failed.") % {"code": code}
    return str(template) % p


def reason_text(reason: Reason, labels: Mapping[tuple[str, str], str] | None = None) -> str:
    return describe(reason.code, reason.params, labels)


def reason_json(reason: Reason | None) -> dict[str, Any] | None:
    """A reason as stored JSON (code and params only; the text is made when shown)."""
    if reason is None:
        return None
    return {"code": reason.code, "params": dict(reason.params)}
