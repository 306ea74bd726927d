from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from anvis.audit.models import AppendOnlyError, AuditEvent, PersonalDataAccess
from anvis.audit.services import audit_record, diff, personal_data_access_record, snapshot
from anvis.stock.models import Dwelling


@pytest.mark.django_db
def test_audit_record_with_before_and_after(users: dict[str, Any], org_a: Any) -> None:
    dwelling = Dwelling.objects.get(entrance__department__organisation=org_a, floor="st")
    before = snapshot(dwelling)
    dwelling.rent = 3300
    dwelling.save()
    changed_before, changed_after = diff(before, snapshot(dwelling))
    event = audit_record(
        actor=users["administrator"],
        action="stock.dwelling_update",
        instance=dwelling,
        before=changed_before,
        after=changed_after,
    )
    event.refresh_from_db()
    assert event.actor_label == "u_administrator"
    assert event.object_type == "stock.Dwelling"
    assert event.before == {"rent": 3100}
    assert event.after == {"rent": 3300}


@pytest.mark.django_db
def test_audit_rows_cannot_be_changed_or_deleted_by_the_application(users: dict[str, Any]) -> None:
    event = audit_record(actor=users["administrator"], action="x.y", object_type="t", object_id=1)
    event.note = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    access = personal_data_access_record(
        user=users["sagsbehandler"], subject_id=7, what="case.view"
    )
    with pytest.raises(AppendOnlyError):
        access.delete()
    assert AuditEvent.objects.count() == 1 and PersonalDataAccess.objects.count() == 1


@pytest.mark.django_db
def test_the_database_rejects_updates_on_postgresql(users: dict[str, Any]) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL only")
    event = audit_record(actor=users["administrator"], action="x.y", object_type="t", object_id=1)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(note="tampered")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()


def test_snapshot_hides_excluded_fields() -> None:
    dwelling = Dwelling(rooms=2, area_m2=50, rent=4000)
    dwelling.audit_exclude = ("rent",)  # type: ignore[attr-defined]
    assert snapshot(dwelling)["rent"] == "***"


@pytest.mark.django_db
def test_admin_cannot_edit_audit_rows(client_for: Any, users: dict[str, Any]) -> None:
    event = audit_record(actor=users["administrator"], action="x.y", object_type="t", object_id=1)
    client = client_for("administrator")
    assert client.get("/admin/audit/auditevent/").status_code == 200
    response = client.post(f"/admin/audit/auditevent/{event.pk}/change/", {"note": "x"})
    assert response.status_code == 403
    assert (
        client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )


@pytest.mark.django_db
def test_audited_write_records_before_and_after_in_its_transaction(
    users: dict[str, Any], org_a: Any
) -> None:
    from anvis.audit.services import audited

    dwelling = Dwelling.objects.get(entrance__department__organisation=org_a, floor="st")
    with audited("stock.dwelling_update", actor=users["administrator"]) as write:
        write.track(dwelling)
        dwelling.rent = 3300
        dwelling.save()
    event = AuditEvent.objects.get(action="stock.dwelling_update")
    assert event.before["rent"] == 3100 and event.after["rent"] == 3300
    assert event.object_id == str(dwelling.pk)

    # A refusal inside the block rolls back the change and writes no audit row.
    with pytest.raises(ValueError), audited("stock.refused", actor=users["administrator"]) as w:
        w.track(dwelling)
        dwelling.rent = 1
        dwelling.save()
        raise ValueError("refused")
    dwelling.refresh_from_db()
    assert dwelling.rent == 3300
    assert not AuditEvent.objects.filter(action="stock.refused").exists()

    # Deleting keeps the row's values as `before`; a block that tracked nothing is an error.
    with audited("stock.dwelling_delete", actor=users["administrator"]) as write:
        write.delete(dwelling)
    gone = AuditEvent.objects.get(action="stock.dwelling_delete")
    assert gone.before["rent"] == 3300 and gone.after is None
    assert not Dwelling.objects.filter(pk=dwelling.pk).exists()
    with pytest.raises(RuntimeError), audited("x.nothing", actor=None):
        pass
