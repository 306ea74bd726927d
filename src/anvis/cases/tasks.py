"""Background tasks of the cases app (scheduled: anvis.background.schedule)."""

from __future__ import annotations

from django_tasks import task

from anvis.background.dates import day_of
from anvis.background.queue import retry
from anvis.cases.services import cases_recompute_priorities, cases_unpark_due


@retry(attempts=5)
@task()
def unpark_cases(today: str | None = None) -> int:
    """Unpark the cases whose pause has ended."""
    return cases_unpark_due(today=day_of(today))


@retry(attempts=3)
@task()
def recompute_case_priorities() -> int:
    """Refresh the stored priority totals of open cases (waiting days grow)."""
    return cases_recompute_priorities()
