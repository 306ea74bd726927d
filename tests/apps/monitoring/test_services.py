from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from anvis.audit.models import AuditEvent
from anvis.monitoring.models import DepartmentIndicators, MunicipalPlacement
from anvis.monitoring.services import monitoring_recompute, placement_end, placement_register
from anvis.stock.models import Dwelling


def test_register_fills_entrance_and_department_and_audits(org_a: Any, users: Any) -> None:
    dwelling = Dwelling.objects.filter(entrance__department__organisation=org_a).first()
    p = placement_register(
        actor=users["sagsbehandler"],
        dwelling=dwelling,
        placed_on=dt.date(2026, 3, 1),
        case_ref="SAG-2026-0042",
    )
    assert p.entrance_id == dwelling.entrance_id
    assert p.department_id == dwelling.entrance.department_id
    assert p.outcome == "living" and p.moved_out_on is None
    assert AuditEvent.objects.filter(
        action="monitoring.placement_register", object_id=str(p.pk)
    ).exists()


@pytest.mark.parametrize("ref", ["", "0101901234", "SAG 010190-1234"])
def test_register_refuses_empty_or_cpr_like_reference(org_a: Any, ref: str) -> None:
    dwelling = Dwelling.objects.first()
    with translation.override("da"), pytest.raises(ValidationError) as exc:
        placement_register(
            actor=None, dwelling=dwelling, placed_on=dt.date(2026, 1, 1), case_ref=ref
        )
    message = " ".join(exc.value.message_dict["case_ref"])
    assert "sagsreference" in message.lower()
    assert MunicipalPlacement.objects.count() == 0


def test_end_records_outcome(org_a: Any, users: Any) -> None:
    dwelling = Dwelling.objects.first()
    p = placement_register(
        actor=None, dwelling=dwelling, placed_on=dt.date(2025, 1, 1), case_ref="S-1"
    )
    ended = placement_end(
        actor=users["sagsbehandler"],
        placement=p,
        moved_out_on=dt.date(2025, 9, 1),
        outcome="terminated",
    )
    assert ended.outcome == "terminated"
    with translation.override("da"), pytest.raises(ValidationError) as exc:
        placement_end(
            actor=None, placement=p, moved_out_on=dt.date(2025, 10, 1), outcome="moved_on"
        )
    assert "allerede afsluttet" in str(exc.value)


def test_end_before_move_in_is_refused_in_danish(org_a: Any) -> None:
    p = placement_register(
        actor=None, dwelling=Dwelling.objects.first(), placed_on=dt.date(2025, 5, 1), case_ref="S-2"
    )
    with translation.override("da"), pytest.raises(ValidationError) as exc:
        placement_end(actor=None, placement=p, moved_out_on=dt.date(2025, 4, 1), outcome="other")
    assert "Fraflytningsdatoen kan ikke ligge før indflytningsdatoen." in str(exc.value)


def test_database_refuses_values_on_a_suppressed_year(dept_a: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        DepartmentIndicators.objects.create(
            department=dept_a,
            year=2025,
            residents=50,
            households=20,
            suppressed=True,
            non_western=10,
        )


def test_database_refuses_living_placement_with_move_out(org_a: Any) -> None:
    dwelling = Dwelling.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        MunicipalPlacement.objects.create(
            dwelling=dwelling,
            entrance=dwelling.entrance,
            department=dwelling.entrance.department,
            placed_on=dt.date(2025, 1, 1),
            moved_out_on=dt.date(2025, 2, 1),
            outcome="living",
            case_ref="S-3",
        )


def test_recompute_service_audits(monitored: Any, users: Any) -> None:
    result = monitoring_recompute(actor=users["anvisningsleder"], on_date=dt.date(2026, 6, 15))
    assert result.departments == 2
    assert result.by_status == {"red": 1, "green": 1}
    assert AuditEvent.objects.filter(action="monitoring.recompute").exists()
