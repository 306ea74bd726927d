from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from anvis.cases.models import CaseEvent, Citizen
from anvis.core.fields import rotate_token

ENCRYPTED_COLUMNS = ((Citizen, "cpr"), (CaseEvent, "note"))


class Command(BaseCommand):
    help = (
        "Re-encrypt CPR numbers and case notes with the first key in ANVIS_FIELD_KEYS. "
        "Run after putting a new key first; afterwards the old key can be removed."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        with transaction.atomic(), connection.cursor() as cursor:
            for model, column in ENCRYPTED_COLUMNS:
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
