from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from anvis.common.fields import EncryptedTextField, rotate_token


def encrypted_columns() -> list[tuple[Any, str]]:
    """Every encrypted column of every installed model (CPR, case notes, tenancy notes, …)."""
    return [
        (model, field.column)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedTextField)
    ]


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted column (CPR numbers, case and tenancy notes) with the first "
        "key in ANVIS_FIELD_KEYS. "
        "Run after putting a new key first; afterwards the old key can be removed."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        with transaction.atomic(), connection.cursor() as cursor:
            for model, column in encrypted_columns():
                table = connection.ops.quote_name(model._meta.db_table)
                col = connection.ops.quote_name(column)
                # Raw SQL on purpose: the ORM would hand back decrypted values.
                cursor.execute(f"SELECT id, {col} FROM {table} WHERE {col} <> ''")  # noqa: S608
                rows = cursor.fetchall()
                for pk, token in rows:
                    cursor.execute(
                        f"UPDATE {table} SET {col} = %s WHERE id = %s",  # noqa: S608
                        [rotate_token(token), pk],
                    )
                total += len(rows)
        self.stdout.write(f"Re-encrypted {total} value(s).")
