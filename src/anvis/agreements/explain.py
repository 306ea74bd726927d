"""Translatable explanations for turn decisions. The core returns reason codes and parameters;
the text a user reads is chosen here, through gettext."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from anvis.stock.models import DwellingType


def ceiling_text(p: dict[str, Any]) -> str:
    """The rent-ceiling judgement (`anvis_core.rent_ceiling`) in words."""
    values = {k: p.get(k, "") for k in ("rent", "net", "aconto", "ceiling")}
    gross = p.get("basis") == "gross"
    below = p.get("comparison") == "below"
    within = p.get("within")
    if within is None:
        within = (
            int(values["rent"]) < int(values["ceiling"])
            if below
            else int(values["rent"]) <= int(values["ceiling"])
        )
    if within:
        if gross:
            text = (
                _(
                    "The gross rent of %(rent)s kr (rent %(net)s kr + a conto %(aconto)s kr) is "
                    "below the ceiling of %(ceiling)s kr."
                )
                if below
                else _(
                    "The gross rent of %(rent)s kr (rent %(net)s kr + a conto %(aconto)s kr) is "
                    "at most the ceiling of %(ceiling)s kr."
                )
            )
        else:
            text = (
                _("The net rent of %(rent)s kr is below the ceiling of %(ceiling)s kr.")
                if below
                else _("The net rent of %(rent)s kr is at most the ceiling of %(ceiling)s kr.")
            )
        return text % values
    if gross:
        text = (
            _(
                "Not eligible: the gross rent of %(rent)s kr (rent %(net)s kr + a conto "
                "%(aconto)s kr) is not below the ceiling of %(ceiling)s kr."
            )
            if below
            else _(
                "Not eligible: the gross rent of %(rent)s kr (rent %(net)s kr + a conto "
                "%(aconto)s kr) is over the ceiling of %(ceiling)s kr."
            )
        )
    elif below:
        text = _(
            "Not eligible: the net rent of %(rent)s kr is not below the ceiling of %(ceiling)s kr."
        )
    else:
        text = _("Not eligible: rent %(rent)s kr is over the ceiling %(ceiling)s kr.")
    return text % values


def explain(code: str, params: dict[str, Any]) -> str:
    text = _explain(code, params)
    ceiling = params.get("ceiling") if code != "not_eligible" else None
    if isinstance(ceiling, dict):
        return f"{text} {ceiling_text(ceiling)}"
    return text


def _explain(code: str, params: dict[str, Any]) -> str:
    p = dict(params)
    if code == "municipal_turn":
        return (
            _(
                "Municipal turn: %(municipal)s of the %(eligible)s eligible vacancies "
                "in this step of the organisation have gone to the municipality, "
                "share %(share_percent)s %%."
            )
            % p
        )
    if code == "ordinary_turn":
        return (
            _(
                "Ordinary letting: %(municipal)s of the %(eligible)s eligible vacancies "
                "in this step of the organisation have gone to the municipality, "
                "share %(share_percent)s %%."
            )
            % p
        )
    if code == "share_zero":
        return _("Ordinary letting: the department's step has a municipal share of 0 %.")
    if code == "not_eligible":
        parts = [explain(r["code"], r["params"]) for r in p.get("reasons", [])]
        return " ".join(parts) or _("Not eligible.")
    if code == "rent_over_ceiling":
        return ceiling_text({**p, "within": False})
    if code == "type_not_covered":
        label = dict(DwellingType.choices).get(p.get("dwelling_type", ""), p.get("dwelling_type"))
        return _("Not eligible: the agreement does not cover the dwelling type %(type)s.") % {
            "type": str(label).lower()
        }
    if code == "unusable":
        parts = [explain(r["code"], r["params"]) for r in p.get("reasons", [])]
        return _(
            "Not a municipal turn: the municipality cannot use the dwelling on the report day. "
            "%(why)s The next usable vacancy takes the turn."
        ) % {"why": " ".join(parts)}
    if code == "department_closed":
        return _("The department is closed to municipal placements by composition monitoring.")
    if code == "cap_reached":
        values = {"placed": p.get("placed", ""), "max": p.get("max", "")}
        if p.get("level") == "entrance":
            return (
                _("The stairwell has reached its cap: %(placed)s of %(max)s placements.") % values
            )
        return _("The department has reached its cap: %(placed)s of %(max)s placements.") % values
    if code == "no_agreement":
        return _("No allocation agreement covers this dwelling on the report date.")
    return code
