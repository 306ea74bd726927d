"""Writes for monitoring: the municipal placement register and the recompute of statuses."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from anvis.audit.services import audit_record, audited
from anvis.stock.models import Dwelling
from anvis_core.cpr import contains_cpr

from . import compute
from .models import MunicipalPlacement, PlacementOutcome


def _check_case_ref(case_ref: str) -> str:
    case_ref = case_ref.strip()
    if not case_ref:
        raise ValidationError({"case_ref": _("A case reference is required.")})
    if len(case_ref) > 40:
        raise ValidationError({"case_ref": _("A case reference may be at most 40 characters.")})
    if contains_cpr(case_ref):
        raise ValidationError(
            {
                "case_ref": _(
                    "The case reference must be pseudonymous and may not contain a CPR number."
                )
            }
        )
    return case_ref


def placement_register(
    *, actor: Any, dwelling: Dwelling, placed_on: dt.date, case_ref: str
) -> MunicipalPlacement:
    """Register a municipal placement at move-in (called by the vacancy and offer flow)."""
    case_ref = _check_case_ref(case_ref)
    with audited("monitoring.placement_register", actor=actor) as write:
        locked = Dwelling.objects.select_for_update().select_related("entrance").get(pk=dwelling.pk)
        placement = MunicipalPlacement(
            dwelling=locked,
            entrance_id=locked.entrance_id,
            department_id=locked.entrance.department_id,
            placed_on=placed_on,
            case_ref=case_ref,
        )
        write.insert(placement)
    return placement


def placement_of(
    *, dwelling_id: int, placed_on: dt.date, case_ref: str
) -> MunicipalPlacement | None:
    """The placement a lease registered (its dwelling, its move-in day, its case's reference)
    that has not ended: the one row a move-out ends or a cancellation withdraws."""
    return (
        MunicipalPlacement.objects.filter(
            dwelling_id=dwelling_id,
            placed_on=placed_on,
            case_ref=case_ref,
            moved_out_on__isnull=True,
        )
        .order_by("pk")
        .first()
    )


def placement_withdraw(*, actor: Any, dwelling_id: int, placed_on: dt.date, case_ref: str) -> bool:
    """The lease behind a placement was cancelled before the tenant moved in: no one moved in,
    so the placement is removed from the register (it counts in no cap window, indicator or
    retention figure); the audit row keeps its values. False when there was none."""
    with audited("monitoring.placement_withdraw", actor=actor) as write:
        placement = placement_of(dwelling_id=dwelling_id, placed_on=placed_on, case_ref=case_ref)
        if placement is None:
            write.unchanged()
            return False
        locked = MunicipalPlacement.objects.select_for_update().get(pk=placement.pk)
        write.delete(locked)
    return True


def placement_end(
    *, actor: Any, placement: MunicipalPlacement, moved_out_on: dt.date, outcome: str
) -> MunicipalPlacement:
    """Record how a placed tenancy ended (the tenancy outcome)."""
    if outcome == PlacementOutcome.LIVING or outcome not in PlacementOutcome.values:
        raise ValidationError({"outcome": _("Choose how the tenancy ended.")})
    with audited("monitoring.placement_end", actor=actor) as write:
        locked = MunicipalPlacement.objects.select_for_update().get(pk=placement.pk)
        if locked.moved_out_on is not None:
            raise ValidationError(_("This placement has already ended."))
        write.track(locked)
        locked.moved_out_on = moved_out_on
        locked.outcome = outcome
        locked.full_clean()
        locked.save(update_fields=["moved_out_on", "outcome"])
    return locked


def monitoring_recompute(*, actor: Any, on_date: dt.date) -> compute.RecomputeResult:
    """Recompute every department's status snapshot, proposals, twins and placement counts."""
    with transaction.atomic():
        result = compute.recompute(on_date=on_date)
        audit_record(
            actor=actor,
            action="monitoring.recompute",
            object_type="monitoring.DepartmentStatus",
            object_repr=f"{on_date.isoformat()}",
            after={"departments": result.departments, "by_status": result.by_status},
        )
    return result
