"""Bulk writes for the demo's large tables: PostgreSQL's COPY, or one executemany on SQLite."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection

from anvis.common.db import note_written


def write_rows(model: Any, columns: list[str], rows: Iterable[tuple[Any, ...]]) -> None:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with (
                foreign_keys_checked_once(table),
                indexes_built_once(table),
                cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
            # The COPY bypasses Django's cursor, so it names its table and rows itself.
            note_written(table, max(cursor.cursor.rowcount, 1))
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})",  # noqa: S608
                list(rows),
            )


def foreign_keys(table: str) -> list[tuple[str, str]]:
    """The table's foreign keys as (name, definition), by name (PostgreSQL)."""
    return _catalogue(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
        table,
    )


def _catalogue(sql: str, table: str) -> list[tuple[str, str]]:
    """(name, definition) rows of a catalogue query about one table."""
    with connection.cursor() as cursor:
        cursor.execute(sql, [table])
        return cursor.fetchall()


@contextmanager
def foreign_keys_checked_once(table: str) -> Iterator[None]:
    """The table's foreign keys are dropped for the block and added again after it (PostgreSQL).

    PostgreSQL's advice for populating a database ("Remove Foreign Key Constraints"): Django's
    foreign keys are deferred, so every copied row queues a check that runs at commit, one index
    look-up per row and key (about 900,000 at national scale, seconds at commit). Adding the
    key again checks every row in one join instead; a row that breaks a key still fails the
    load, at the ADD CONSTRAINT, with PostgreSQL's own message naming the key and the value.
    A table cannot be altered while checks are queued for it or the tables it refers to, so the
    checks queued so far run first (the project's keys are all deferred at first, so setting all
    back to deferred restores the transaction's state).
    """
    quote = connection.ops.quote_name
    keys = foreign_keys(table)
    with connection.cursor() as cursor:
        if keys:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for name, _definition in keys:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
    yield
    with connection.cursor() as cursor:
        for name, definition in keys:
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")


def secondary_indexes(table: str) -> list[tuple[str, str]]:
    """The table's indexes that back no constraint, as (name, definition), by name
    (PostgreSQL)."""
    return _catalogue(
        "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
        "JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = %s::regclass "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) "
        "ORDER BY i.relname",
        table,
    )


@contextmanager
def indexes_built_once(table: str) -> Iterator[None]:
    """The table's plain indexes (those behind no primary key or unique constraint) are dropped
    for the block and built again after it (PostgreSQL).

    PostgreSQL's advice for populating a database ("Remove Indexes"): building an index over
    the copied rows in one sort is quicker than updating it row by row (the national stock's
    590,000 dwellings copy in half the time). The indexes come back as they were, from their
    own definitions; a duplicate still fails the load (at the copy for a unique constraint, at
    the index's build for a unique index)."""
    quote = connection.ops.quote_name
    indexes = secondary_indexes(table)
    with connection.cursor() as cursor:
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
    yield
    with connection.cursor() as cursor:
        for _name, definition in indexes:
            cursor.execute(definition)


def reset_sequences(models: list[Any]) -> None:
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
