"""Row counts of every Anvis table in one query: the bad-input tests compare them before and
after a refused request to show that nothing was written (the audit trail included).

The personal-data access log is left out: showing a case page again, or a refused case export,
is an access to personal data and is logged as such."""

from __future__ import annotations

from django.apps import apps
from django.db import connection


def _count_sql() -> str:
    from anvis.audit.models import PersonalDataAccess

    quote = connection.ops.quote_name
    tables = sorted(
        {
            model._meta.db_table
            for model in apps.get_models()
            if model.__module__.startswith("anvis.") and model is not PersonalDataAccess
        }
    )
    return "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)


def row_counts() -> tuple[int, ...]:
    with connection.cursor() as cursor:
        cursor.execute(_count_sql())
        return tuple(cursor.fetchone())
