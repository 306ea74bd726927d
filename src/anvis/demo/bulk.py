"""Bulk writes for the demo's large tables: PostgreSQL's COPY, or one executemany on SQLite."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection

from anvis.core.db import note_written


def write_rows(model: Any, columns: list[str], rows: Iterable[tuple[Any, ...]]) -> None:
    table = model._meta.db_table
    note_written(table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})",  # noqa: S608
                list(rows),
            )


def reset_sequences(models: list[Any]) -> None:
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
