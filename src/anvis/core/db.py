"""Database helpers shared by the apps: housekeeping after bulk loads, and the common field
shapes."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connection, models

# Below this many new or changed rows PostgreSQL's autovacuum keeps the statistics current
# soon enough; above it, plans made on the old statistics (for example a sequential scan of
# every dwelling because the planner believes there are few) are slow until it runs.
ANALYZE_THRESHOLD = 1_000


def refresh_statistics(*model_classes: type[models.Model]) -> None:
    """Refresh PostgreSQL's planner statistics after a bulk load: of the given models' tables,
    or of the whole database when none are given. Does nothing on other databases. It is cheap:
    ANALYZE samples at most 30,000 rows per table."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if not model_classes:
            cursor.execute("ANALYZE")
            return
        for model in model_classes:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


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
