"""Writing the audit trail. Services write through :func:`audited`, which owns the transaction
and writes the audit row; :func:`audit_record` is the row itself, for the few writes that are
not one row (bulk jobs, imports)."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import models, transaction

from .models import AuditEvent, PersonalDataAccess
from .models import Purpose as Purpose


def acting_user(actor: Any) -> Any:
    """The user to record for an actor (an audit row, a `user_link`): the signed-in user, or
    None for the system (a task, an import without a user, an anonymous request)."""
    return actor if getattr(actor, "is_authenticated", False) else None


def _json_safe(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set | frozenset):
        return [_json_safe(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    return value


def snapshot(instance: models.Model, exclude: Iterable[str] = ()) -> dict[str, Any]:
    """The concrete field values of a row, JSON-safe. Fields a model lists in
    `audit_exclude` (for instance encrypted CPR) are replaced by a marker, never copied; the
    many-to-many fields it lists in `audit_many_to_many` are added as sorted lists of keys."""
    excluded = set(exclude) | set(getattr(instance, "audit_exclude", ()))
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        name = field.attname
        if field.name in excluded or name in excluded:
            data[field.name] = "***"
            continue
        data[field.name] = _json_safe(getattr(instance, name))
    for name in getattr(instance, "audit_many_to_many", ()):
        related = getattr(instance, name).values_list("pk", flat=True) if instance.pk else []
        data[name] = sorted(_json_safe(list(related)))
    return data


def diff(
    before: dict[str, Any] | None, after: dict[str, Any] | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the fields that changed, on both sides."""
    if before is None or after is None:
        return before or {}, after or {}
    keys = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def audit_record(
    *,
    actor: Any,
    action: str,
    instance: models.Model | None = None,
    object_type: str | None = None,
    object_id: Any = None,
    object_repr: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
) -> AuditEvent:
    if instance is not None:
        object_type = object_type or instance._meta.label
        object_id = object_id if object_id is not None else instance.pk
        object_repr = object_repr if object_repr is not None else str(instance)[:255]
    user = acting_user(actor)
    label = getattr(actor, "username", None) or (str(actor) if actor else "system")
    return AuditEvent.objects.create(
        actor=user,
        actor_label=label[:150],
        action=action,
        object_type=object_type or "",
        object_id="" if object_id is None else str(object_id),
        object_repr=(object_repr or "")[:255],
        before=_json_safe(before) if before is not None else None,
        after=_json_safe(after) if after is not None else None,
        note=note,
    )


@dataclass(frozen=True)
class Subject:
    """Whose data was read: the citizen's id and pseudonymous reference (`Citizen.reference`,
    never a CPR number or a name)."""

    id: Any
    ref: str
    type: str = "citizen"


def citizen_subject(citizen: Any) -> Subject:
    return Subject(id=citizen.pk, ref=citizen.reference)


def personal_data_read(
    *,
    user: Any,
    subjects: Iterable[Subject],
    what: str,
    purpose: Purpose,
    path: str = "",
) -> list[PersonalDataAccess]:
    """Log the reading of personal data: one row per subject shown, all in one INSERT (list
    pages show up to fifty citizens). `what` is `<object>.<view>` (`case.list`,
    `case.view.overview`, `offer.names`, `matching.ranking`, …; `docs/privacy.md`), `purpose` one
    of `Purpose`. Returns the rows written."""
    actor = user if getattr(user, "is_authenticated", False) else None
    label = getattr(user, "username", "")[:150]
    rows = [
        PersonalDataAccess(
            user=actor,
            user_label=label,
            subject_type=subject.type,
            subject_id=str(subject.id),
            subject_ref=subject.ref[:64],
            what=what[:128],
            purpose=str(purpose)[:255],
            path=path[:255],
        )
        for subject in subjects
    ]
    if rows:
        PersonalDataAccess.objects.bulk_create(rows)
    return rows


def citizens_read(
    request: Any, citizens: Iterable[Any], *, what: str, purpose: Purpose
) -> list[PersonalDataAccess]:
    """The citizens a page or download shows, logged as read by the request's user at its path:
    `personal_data_read` for views (one INSERT however many citizens)."""
    return personal_data_read(
        user=request.user,
        subjects=[citizen_subject(citizen) for citizen in citizens],
        what=what,
        purpose=purpose,
        path=request.path,
    )


def personal_data_access_record(
    *,
    user: Any,
    subject_id: Any,
    what: str,
    subject_ref: str = "",
    purpose: Purpose = Purpose.CASEWORK,
    path: str = "",
    subject_type: str = "citizen",
) -> PersonalDataAccess:
    """One subject: `personal_data_read` with a single `Subject`."""
    (row,) = personal_data_read(
        user=user,
        subjects=[Subject(id=subject_id, ref=subject_ref, type=subject_type)],
        what=what,
        purpose=purpose,
        path=path,
    )
    return row


M = TypeVar("M", bound=models.Model)


class AuditedWrite:
    """The row one audited write changes; see :func:`audited`."""

    def __init__(self, *, actor: Any, action: str, note: str = "") -> None:
        self.actor = actor
        self.action = action
        self.note = note
        self.instance: models.Model | None = None
        self.before: dict[str, Any] | None = None
        self.recorded = False

    def track(self, instance: M) -> M:
        """The row as it is before the change (call after locking it); its values are the
        audit row's `before`, its values when the block ends the `after`."""
        self.instance, self.before = instance, snapshot(instance)
        return instance

    def created(self, instance: M) -> M:
        """A new row: the audit row has only `after`."""
        self.instance, self.before = instance, None
        return instance

    def insert(self, instance: M, *, exclude: list[str] | None = None) -> M:
        """A new row, checked (`full_clean`, but for the `exclude`d fields) and saved."""
        instance.full_clean(exclude=exclude)
        instance.save()
        return self.created(instance)

    def unchanged(self) -> None:
        """Nothing was changed after all: no audit row."""
        self.recorded = True

    def delete(self, instance: models.Model) -> None:
        """Delete the row; the audit row keeps its values as `before`."""
        self.record(instance=instance, before=snapshot(instance), after=None)
        instance.delete()

    def record(
        self,
        *,
        instance: models.Model,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
    ) -> AuditEvent:
        self.recorded = True
        return audit_record(
            actor=self.actor,
            action=self.action,
            instance=instance,
            before=before,
            after=after,
            note=self.note,
        )


@contextmanager
def audited(action: str, *, actor: Any, note: str = "") -> Iterator[AuditedWrite]:
    """One audited write: owns the transaction, takes the snapshots and writes the audit row.

        with audited("cases.support_plan_status", actor=actor) as write:
            plan = write.track(SupportPlan.objects.select_for_update().get(pk=plan.pk))
            plan.status = status
            plan.save()

    When the block ends without an exception, the audit row is written in the same transaction
    with the tracked row's values before and after (or, for `write.delete(row)`, before only).
    A block that tracked no row is a programming error and rolls back.
    """
    with transaction.atomic():
        write = AuditedWrite(actor=actor, action=action, note=note)
        yield write
        if write.recorded:
            return
        if write.instance is None:
            raise RuntimeError(f"audited write {action!r} tracked no row")
        write.record(instance=write.instance, before=write.before, after=snapshot(write.instance))
