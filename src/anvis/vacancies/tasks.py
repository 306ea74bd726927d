"""Background tasks of the vacancy flow (scheduled: anvis.background.schedule)."""

from __future__ import annotations

from django_tasks import task

from anvis.background.dates import day_of
from anvis.background.queue import retry
from anvis.vacancies.services import vacancies_expire


@retry(attempts=5)
@task()
def expire_vacancies(today: str | None = None) -> dict[str, int]:
    """Expire municipal vacancies and pending offers whose answer deadline has passed."""
    result = vacancies_expire(today=day_of(today))
    return {
        "vacancies": len(result.vacancies),
        "offers": len(result.offers),
        "failed": len(result.failed) + len(result.failed_vacancies),
    }
