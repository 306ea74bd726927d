"""Database helpers shared by the apps: housekeeping after bulk loads, and the common field
shapes."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, connections, models, router


def user_link(verbose_name: Any = None, *, blank: bool = False) -> Any:
    """A link to the user who did something (reported, approved, decided): kept when the user
    is deleted (the link is then empty), with no reverse accessor on the user."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=blank,
        related_name="+",
        verbose_name=verbose_name,
    )


_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|COPY)\s+"?(\w+)"?', re.IGNORECASE)
_written: ContextVar[tuple[Counter[str], ...]] = ContextVar("written_tables", default=())


def note_written(table: str, rows: int = 1) -> None:
    """Count `rows` rows of `table` as written in the enclosing `tracking_writes` blocks (for
    writes that do not go through Django's cursor, such as COPY)."""
    for tables in _written.get():
        tables[table] += rows


@contextmanager
def tracking_writes() -> Iterator[Counter[str]]:
    """The tables the block inserts into, updates, deletes from or copies into, with the number
    of rows written to each, so that a bulk load refreshes the statistics of those tables only
    (a whole-database ANALYZE samples every table again, the national stock's too). Blocks
    nest: a write counts in every enclosing block."""
    tables: Counter[str] = Counter()
    token = _written.set((*_written.get(), tables))

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        result = execute(sql, params, many, context)
        match = _WRITE.match(sql)
        if match:
            # At least one: a driver may report no count (SQLite's before RETURNING is read).
            tables[match.group(1)] += max(context["cursor"].rowcount, 1)
        return result

    try:
        with connection.execute_wrapper(wrapper):
            yield tables
    finally:
        _written.reset(token)


# The written tables with their row estimate, and the server's own measure of stale statistics.
_STATISTICS_SQL = (
    "SELECT t.name, c.reltuples, current_setting('autovacuum_analyze_threshold')::float8, "
    "current_setting('autovacuum_analyze_scale_factor')::float8 "
    "FROM unnest(%s::text[]) AS t(name) JOIN pg_class c ON c.oid = to_regclass(quote_ident(t.name))"
)


def refresh_table_statistics(written: Mapping[str, int]) -> None:
    """ANALYZE the written tables (by database name, PostgreSQL only) whose statistics the
    writes made stale by autovacuum's own measure: never analysed, or more rows written than
    its threshold plus its share of the rows the statistics counted (50 + 10 % by default).
    A table that a load filled is analysed; one it added a few rows to is left as autovacuum
    would leave it (the demo's 41,000 turn records were sampled again after each loader that
    added a handful, a quarter of a second each time)."""
    if connection.vendor != "postgresql" or not written:
        return
    with connection.cursor() as cursor:
        cursor.execute(_STATISTICS_SQL, [sorted(written)])
        stale = sorted(
            name
            for name, rows, threshold, share in cursor.fetchall()
            if rows < 0 or written[name] > threshold + share * rows
        )
        for table in stale:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


@contextmanager
def without_savepoints() -> Iterator[None]:
    """Inside one outer transaction that is given up on its first error (a bulk load), the
    nested atomic blocks of the services make no savepoints: two round trips fewer for each.
    An error inside marks the whole transaction for rollback instead of rolling back to a
    savepoint, and any further query then fails loudly."""
    # `savepoint()` asks `_savepoint_allowed()` on every backend (SQLite's ignores the
    # `uses_savepoints` feature), so that is the one switch; the instance attribute hides the
    # backend's method until it is deleted again.
    connection._savepoint_allowed = lambda: False  # type: ignore[method-assign]
    try:
        yield
    finally:
        del connection._savepoint_allowed


_constraints_left: ContextVar[bool] = ContextVar("constraints_left_to_database", default=False)
_model_validate_constraints = models.Model.validate_constraints
_foreign_key_validate = models.ForeignKey.validate
_left_depth = [0]


def _enforced_by_database(constraint: Any, features: Any) -> bool:
    """Whether the database itself refuses a row that breaks `constraint` (its table has it):
    check constraints, and unique constraints of the plain kinds every supported database
    creates."""
    if isinstance(constraint, models.CheckConstraint):
        return bool(features.supports_table_check_constraints)
    if isinstance(constraint, models.UniqueConstraint):
        return (
            constraint.deferrable is None
            and not constraint.include
            and not constraint.opclasses
            and (constraint.condition is None or features.supports_partial_indexes)
            and (not constraint.expressions or features.supports_expression_indexes)
        )
    return False


def _validate_constraints(self: models.Model, exclude: Any = None) -> None:
    """`Model.validate_constraints`, leaving out inside `constraints_left_to_database` the
    constraints the database enforces on the write that follows."""
    if not _constraints_left.get():
        _model_validate_constraints(self, exclude=exclude)
        return
    using = router.db_for_write(type(self), instance=self)
    features = connections[using].features
    errors: dict[str, Any] = {}
    for model_class, constraints in self.get_constraints():
        for constraint in constraints:
            if _enforced_by_database(constraint, features):
                continue
            try:
                constraint.validate(model_class, self, exclude=exclude, using=using)
            except ValidationError as exc:
                if getattr(exc, "code", None) == "unique" and len(constraint.fields) == 1:
                    errors.setdefault(constraint.fields[0], []).append(exc)
                else:
                    errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def _validate_foreign_key(self: Any, value: Any, model_instance: Any) -> None:
    """`ForeignKey.validate`, without its query for the row referred to inside
    `constraints_left_to_database` when the database's foreign key checks the same: a key with
    a constraint in the database and no `limit_choices_to` (which the database cannot check)."""
    if (
        not _constraints_left.get()
        or not self.db_constraint
        or self.remote_field.limit_choices_to
        or self.remote_field.parent_link
        or not connections[router.db_for_write(self.model)].features.supports_foreign_keys
    ):
        _foreign_key_validate(self, value, model_instance)
        return
    super(models.ForeignKey, self).validate(value, model_instance)  # choices, null and blank


@contextmanager
def constraints_left_to_database() -> Iterator[None]:
    """Inside one transaction that is given up on its first error (a bulk load), the models'
    `full_clean` does not check beforehand, one query each, the check, unique and foreign key
    constraints the database checks anyway when the row is written (a foreign key at the
    latest on commit): the rules are the same, a row that breaks one still stops the load (as
    an IntegrityError instead of a ValidationError). Every other validation runs as always;
    other threads and code outside the block are not affected."""
    if _left_depth[0] == 0:
        models.Model.validate_constraints = _validate_constraints  # type: ignore[method-assign]
        models.ForeignKey.validate = _validate_foreign_key  # type: ignore[method-assign]
    _left_depth[0] += 1
    token = _constraints_left.set(True)
    try:
        yield
    finally:
        _constraints_left.reset(token)
        _left_depth[0] -= 1
        if _left_depth[0] == 0:
            models.Model.validate_constraints = _model_validate_constraints  # type: ignore[method-assign]
            models.ForeignKey.validate = _foreign_key_validate  # type: ignore[method-assign]
